"""The referrals inbox: referrals to the team, accepted (opening a case) or declined."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytestqt.qtbot import QtBot

from app.ui.pages.referrals import ReferralsPage
from app.ui.session import UiSession
from tests.ui.pages.conftest import check_model, pending, scalar

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester


def test_inbox_lists_referrals_waiting_for_my_team(
    qtbot: QtBot, qtmodeltester: ModelTester, session: UiSession
) -> None:
    page = ReferralsPage(session)
    qtbot.addWidget(page)
    check_model(qtmodeltester, page.model)
    assert page.model.rows
    team = session.identity.team_id
    assert team is not None
    for row in page.model.rows:
        to_team = scalar(session, "SELECT to_team_id FROM referral WHERE id = :r", r=row.id.hex)
        assert to_team in (team.hex, None)
        assert row.to_service == "adult_social_care"


def test_accept_opens_a_case_allocated_to_me(qtbot: QtBot, session: UiSession) -> None:
    page = ReferralsPage(session)
    qtbot.addWidget(page)
    waiting = len(page.model.rows)
    referral = page.model.rows[0]
    page.table.setCurrentIndex(page.model.index(0, 0))
    before = pending(session)
    with qtbot.waitSignal(page.refreshed):
        case_id = page.accept_selected()
    assert case_id is not None
    assert len(page.model.rows) == waiting - 1
    assert pending(session) == before + 2  # the case and the answer, sent together
    status = scalar(
        session,
        "SELECT status || '/' || created_case_id FROM referral WHERE id = :r",
        r=referral.id.hex,
    )
    assert status == f"accepted/{case_id.hex}"
    case = scalar(
        session,
        "SELECT officer_id || '/' || subject_person_id || '/' || status FROM case_record "
        "WHERE id = :c",
        c=case_id.hex,
    )
    assert case == f"{session.identity.user_id.hex}/{referral.person_id.hex}/referral"


def test_decline_needs_a_reason(qtbot: QtBot, session: UiSession) -> None:
    page = ReferralsPage(session)
    qtbot.addWidget(page)
    page.table.setCurrentIndex(page.model.index(0, 0))
    referral = page.model.rows[0]
    before = pending(session)
    assert not page.decline_selected()
    assert page.errors.message("decline_reason") == "Error: A decline reason is required."
    assert pending(session) == before
    page.decline_reason.setText("Needs are met by the current support plan.")
    assert page.decline_selected()
    assert referral.id not in {row.id for row in page.model.rows}
    assert scalar(session, "SELECT status FROM referral WHERE id = :r", r=referral.id.hex) == (
        "declined"
    )
