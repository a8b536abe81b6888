"""A real SMTP server (aiosmtpd) for the e-mails about reports, and an agreement to report under."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.agreements import create_agreement, recommend
from tests.integration.reminders.conftest import Mailbox, free_port


@pytest.fixture(scope="session")
def case_mailbox() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    from core.settings import get_settings

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    before = os.environ.get("SMTP_HOST"), os.environ.get("SMTP_PORT")
    os.environ["SMTP_HOST"], os.environ["SMTP_PORT"] = "127.0.0.1", str(controller.port)
    get_settings.cache_clear()
    yield box
    controller.stop()
    for name, value in zip(("SMTP_HOST", "SMTP_PORT"), before, strict=True):
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    get_settings.cache_clear()


@pytest.fixture(scope="module")
async def vg_agreement(client) -> dict:
    made = await create_agreement(client)
    await recommend(client, made["id"])
    return made
