"""The resident view: markers first, details validated inline, notes and referrals queued."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from app.sync.tables import case_summary
from app.ui.pages.resident import ResidentPage
from app.ui.session import UiSession
from tests.ui.pages.conftest import check_model, pending, scalar

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester


def open_page(qtbot: QtBot, session: UiSession, person_hex: str) -> ResidentPage:
    page = ResidentPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.shown):
        page.show_person(uuid.UUID(hex=person_hex))
    return page


def my_resident(session: UiSession) -> str:
    """The subject of one of this officer's cases."""
    found = scalar(
        session,
        "SELECT subject_person_id FROM case_record WHERE officer_id = :me ORDER BY reference",
        me=session.identity.user_id.hex,
    )
    assert isinstance(found, str)
    return found


def test_approved_marker_is_shown_first_with_words(
    qtbot: QtBot, qtmodeltester: ModelTester, session: UiSession
) -> None:
    today = session.changes.clock().date().isoformat()
    person = scalar(
        session,
        "SELECT person_id FROM warning_marker WHERE status = 'approved' AND review_date >= :t "
        "AND category = 'do not visit alone' LIMIT 1",
        t=today,
    )
    assert isinstance(person, str)
    page = open_page(qtbot, session, person)
    assert not page.markers_box.isHidden()
    texts = [label.text() for label in page.marker_labels]
    assert any(t.startswith("WARNING: Do not visit alone.") for t in texts)
    assert all(label.accessibleName() == label.text() for label in page.marker_labels)
    # Above everything else on the page, and first in the tab order.
    body = page.markers_box.parentWidget()
    assert body is not None
    layout = body.layout()
    assert layout is not None
    assert layout.indexOf(page.markers_box) == 0
    assert page.marker_labels[0].focusPolicy() == Qt.FocusPolicy.TabFocus
    for model in (page.household_model, page.cases_model, page.notes_model):
        check_model(qtmodeltester, model)


def test_resident_without_markers_shows_no_banner(qtbot: QtBot, session: UiSession) -> None:
    person = scalar(
        session,
        "SELECT id FROM person WHERE id NOT IN (SELECT person_id FROM warning_marker) LIMIT 1",
    )
    assert isinstance(person, str)
    page = open_page(qtbot, session, person)
    assert page.markers_box.isHidden()
    assert page.marker_labels == []


def test_other_services_cases_show_as_summaries(
    qtbot: QtBot, qtmodeltester: ModelTester, session: UiSession
) -> None:
    person = my_resident(session)
    summary_id = uuid.uuid4()
    with session.store.write_transaction() as connection:
        connection.execute(
            insert(case_summary).values(
                id=summary_id,
                tenant_id=session.identity.tenant_id,
                reference="EH-999001",
                service="childrens_early_help",
                case_type="early_help",
                status="assessment",
                owning_team_id=uuid.uuid4(),
                subject_person_id=uuid.UUID(hex=person),
                updated_at=datetime(2026, 11, 1, tzinfo=UTC),
            )
        )
    page = open_page(qtbot, session, person)
    lines = {line.reference: line for line in page.cases_model.rows}
    assert not lines["EH-999001"].detail
    row = page.cases_model.rows.index(lines["EH-999001"])
    access = page.cases_model.data(page.cases_model.index(row, 4))
    assert access == "Summary only (another service's case)"
    assert any(line.detail for line in lines.values())
    # The chronology covers only the cases held in full, newest first.
    times = [note.created_at for note in page.chronology]
    assert times == sorted(times, reverse=True)
    assert {note.case_reference for note in page.chronology} <= {
        line.reference for line in lines.values() if line.detail
    }
    check_model(qtmodeltester, page.cases_model)


def test_invalid_nhs_number_shows_the_field_message_and_saves_nothing(
    qtbot: QtBot, session: UiSession
) -> None:
    person = my_resident(session)
    page = open_page(qtbot, session, person)
    before = pending(session)
    stored = scalar(session, "SELECT nhs_number FROM person WHERE id = :p", p=person)
    page.fields["nhs_number"].setText("943 476 5918")  # wrong check digit
    page.fields["phone"].setText("01632 960001")  # a valid change in the same save
    assert not page.save_details()
    message = page.errors.message("nhs_number")
    assert message.startswith("Error: NHS number fails its check digit")
    label = page.findChild(type(page.general_error), "error_nhs_number")
    assert label is not None
    assert label.isVisibleTo(page)
    assert page.errors.message("phone") == ""
    assert pending(session) == before
    assert scalar(session, "SELECT nhs_number FROM person WHERE id = :p", p=person) == stored
    assert scalar(session, "SELECT phone FROM person WHERE id = :p", p=person) != "01632 960001"


def test_bad_date_of_birth_is_reported_by_its_field(qtbot: QtBot, session: UiSession) -> None:
    page = open_page(qtbot, session, my_resident(session))
    page.fields["date_of_birth"].setText("31/02/1980")
    assert not page.save_details()
    assert "day/month/year" in page.errors.message("date_of_birth")


def test_valid_edit_is_saved_and_queued(qtbot: QtBot, session: UiSession) -> None:
    person = my_resident(session)
    page = open_page(qtbot, session, person)
    before = pending(session)
    page.fields["nhs_number"].setText("943 476 5919")
    with qtbot.waitSignal(session.events.changed):
        assert page.save_details()
    assert pending(session) == before + 1
    assert scalar(session, "SELECT nhs_number FROM person WHERE id = :p", p=person) == "9434765919"
    assert page.fields["nhs_number"].text() == "9434765919"


def test_add_note_raises_the_outbox_count_and_shows_in_the_chronology(
    qtbot: QtBot, session: UiSession
) -> None:
    page = open_page(qtbot, session, my_resident(session))
    before = pending(session)
    page.note_text.setPlainText("Visited; resident well, boiler now working.")
    page.note_kind.setCurrentIndex(page.note_kind.findData("phone"))
    with qtbot.waitSignal(page.shown):
        assert page.add_note()
    assert pending(session) == before + 1
    newest = page.chronology[0]
    assert newest.text == "Visited; resident well, boiler now working."
    assert newest.kind == "phone"


def test_empty_note_is_refused_with_a_message(qtbot: QtBot, session: UiSession) -> None:
    page = open_page(qtbot, session, my_resident(session))
    before = pending(session)
    assert not page.add_note()
    assert "text is required" in page.note_errors.message("text")
    assert pending(session) == before


def test_referral_needs_a_reason_then_is_queued(qtbot: QtBot, session: UiSession) -> None:
    person = my_resident(session)
    page = open_page(qtbot, session, person)
    before = pending(session)
    page.refer_service.setCurrentIndex(page.refer_service.findData("housing_repairs"))
    assert not page.send_referral()
    assert page.referral_errors.message("reason") == "Error: A reason is required."
    assert pending(session) == before
    page.refer_reason.setText("Damp in the bedroom is affecting her breathing.")
    assert page.send_referral()
    assert pending(session) == before + 1
    row = scalar(
        session,
        "SELECT to_service || '/' || from_service || '/' || status FROM referral "
        "WHERE person_id = :p AND reason LIKE 'Damp in the bedroom%'",
        p=person,
    )
    assert row == "housing_repairs/adult_social_care/sent"


def test_expired_marker_is_shown_as_expired_after_current_ones(
    qtbot: QtBot, session: UiSession
) -> None:
    today = session.changes.clock().date().isoformat()
    person = scalar(
        session,
        "SELECT person_id FROM warning_marker WHERE status = 'approved' AND review_date < :t "
        "LIMIT 1",
        t=today,
    )
    assert isinstance(person, str)
    page = open_page(qtbot, session, person)
    texts = [label.text() for label in page.marker_labels]
    expired = [t for t in texts if t.startswith("Expired warning (review was due ")]
    assert expired
    current = [t for t in texts if t.startswith("WARNING: ")]
    assert texts == current + expired  # in-date markers come first
    assert {label.objectName() for label in page.marker_labels if label.text() in expired} == {
        "expired_marker"
    }
