"""The web pages secretariats and clerks work in: server-rendered, Swedish, with HTMX where it
saves a page load. Handlers are thin: call the services, render a template in api/templates/.

All pages sit in one router whose errors are HTML pages (the JSON API keeps problem+json).
"""

from __future__ import annotations

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

from api.pages import (
    agreement,
    changes,
    documents,
    home,
    login,
    my_calendar,
    my_notifications,
    party,
    round_uploads,
    rounds,
    search,
    structure,
)
from api.pages.cases import CASE_PAGES
from api.pages.disputes import DISPUTE_PAGES
from api.pages.render import PAGE_ERRORS, STATIC

PAGES = Router(
    "/",
    route_handlers=[
        home.home,
        agreement.agreement_page,
        party.party_page,
        structure.structures,
        structure.matrix,
        structure.matrix_csv,
        structure.matrix_xlsx,
        structure.set_round_policy,
        search.search,
        changes.log_decision,
        changes.record_step,
        changes.record_group_recommendation,
        changes.register_notice,
        changes.log_party_decision,
        changes.record_proposal,
        changes.correct_party_proposal,
        login.login_page,
        login.login,
        login.logout,
        my_calendar.my_calendar,
        my_calendar.make_my_calendar,
        my_calendar.revoke_my_calendar,
        rounds.round_page,
        rounds.close_round,
        rounds.edit_round,
        rounds.answer_page,
        rounds.save_answer,
        rounds.new_round_page,
        rounds.open_round,
        rounds.new_structure_round_page,
        rounds.open_structure_round,
        rounds.answers_csv,
        rounds.answers_xlsx,
        round_uploads.upload_round_file,
        round_uploads.upload_answer_file,
        round_uploads.delete_round_file,
        round_uploads.delete_answer_file,
        documents.upload_document,
        documents.comparison_page,
        my_notifications.my_notifications,
        my_notifications.save_preferences,
        my_notifications.follow_page,
        my_notifications.unfollow_page,
        my_notifications.unfollow_party_page,
        my_notifications.unsubscribe_page,
        my_notifications.unsubscribe,
        *CASE_PAGES,
        *DISPUTE_PAGES,
    ],
    exception_handlers=PAGE_ERRORS,
    include_in_schema=False,
)

STATIC_FILES = create_static_files_router(
    "/static",
    directories=[STATIC],
    opt={"access": "public"},
    cache_control=CacheControlHeader(max_age=3600),
)
