"""One way to assert a refusal exactly: the error's class (not a subclass), field and message."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from core.errors import DomainError


@contextmanager
def refused(error_class: type[DomainError], *, field: str | None, message: str) -> Iterator[None]:
    with pytest.raises(DomainError) as caught:
        yield
    assert type(caught.value) is error_class
    assert caught.value.field == field
    assert caught.value.message == message
