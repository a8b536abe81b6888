"""Every route handler of the app, in one list for the app factory."""

from __future__ import annotations

from api.agreements import AgreementController, DecisionController, party_agreements
from api.audit_log import audit_events
from api.auth import AuthController, UserController
from api.cases import CASE_ROUTES
from api.disputes import DISPUTE_ROUTES
from api.documents import DOCUMENT_ROUTES
from api.feeds import FEED_ROUTES
from api.health import health
from api.my_notifications import MyNotificationsController
from api.pages import PAGES, STATIC_FILES
from api.parties import GroupController, PartyController, StructureController
from api.reminders import ReminderController, SubscriptionController
from api.round_uploads import RoundFileController
from api.rounds import ROUND_ROUTES

ROUTES: list = [
    health,
    AuthController,
    UserController,
    audit_events,
    StructureController,
    PartyController,
    GroupController,
    AgreementController,
    DecisionController,
    party_agreements,
    ReminderController,
    SubscriptionController,
    *FEED_ROUTES,
    *ROUND_ROUTES,
    RoundFileController,
    *DOCUMENT_ROUTES,
    MyNotificationsController,
    *CASE_ROUTES,
    *DISPUTE_ROUTES,
    PAGES,
    STATIC_FILES,
]
