"""Every route handler of the app, in one list for the app factory."""

from __future__ import annotations

from api.agreements import AgreementController, DecisionController, party_agreements
from api.health import health
from api.parties import PartyController, StructureController

ROUTES: list = [
    health,
    StructureController,
    PartyController,
    AgreementController,
    DecisionController,
    party_agreements,
]
