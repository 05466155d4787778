"""Team lead screens against the real platform: review, allocate, approve, supervise, and a
field officer refused by the platform when a laptop offers them a lead's action."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QTableView

from app.demo import DemoUser
from app.models import entities as e
from app.sync.engine import SyncReport
from app.ui.session import StoreEvents, UiSession
from app.ui.team.allocation import AllocationPage
from app.ui.team.approvals import ApprovalsPage
from app.ui.team.caseload import TeamCaseloadPage
from app.ui.team.models import ITEM_ROLE, RAG_ROLE
from app.ui.team.supervision import SupervisionNotesWidget
from app.views.team import Rag
from tests.server.world import wait_for_feed
from tests.sync.conftest import rows_of, template
from tests.sync.team_world import (
    colleague_of,
    demo_user,
    lead_of,
    officer_of_another_team,
    officers_of,
    referred_to,
    signed_in,
)
from tests.sync.test_engine import (
    Laptop,
    laptops,
    make_client,
    pg_platform_template,
    seeded_pg,
    seeded_pg_template,
    sleeper,
    wire,
)

__all__ = [
    "laptops",
    "make_client",
    "pg_platform_template",
    "seeded_pg",
    "seeded_pg_template",
    "sleeper",
    "template",
    "wire",
]

pytestmark = pytest.mark.postgres


@dataclass
class Seat(UiSession):
    """A screen session with the laptop behind it, whose sync the test drives."""

    laptop: Laptop


def _session(make: Callable[[str], Laptop], name: str, user: DemoUser) -> Seat:
    laptop = signed_in(make, name, user)
    identity = laptop.local.state().identity
    assert identity is not None
    return Seat(laptop.store, laptop.local, laptop.changes(), identity, StoreEvents(), laptop)


def _sync(session: Seat, platform: sa.Engine) -> SyncReport:
    wait_for_feed(platform)  # the shared server's other transactions hold the feed back
    report = session.laptop.engine.run_cycle()
    session.events.changed.emit()
    return report


def _select(view: QTableView, row: int) -> None:
    view.setFocus()
    view.selectionModel().setCurrentIndex(
        view.model().index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_the_caseload_shows_workload_rag_and_drills_down(
    qtbot: Any,
    qtmodeltester: Any,
    laptops: Callable[[str], Laptop],
    seeded_pg: sa.Engine,
    tmp_path: Path,
) -> None:
    lead = demo_user("team.lead")
    session = _session(laptops, "lead", lead)
    page = TeamCaseloadPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()

    qtmodeltester.check(page.officers)
    qtmodeltester.check(page.cases)
    officers = page.officers.rows()
    assert sorted(o.name for o in officers) == sorted(
        u.display_name for u in officers_of(lead.team_id)
    )
    assert sum(o.open_cases for o in officers) == len(
        [c for c in page.cases.rows() if c.officer_id]
    )
    assert all(o.points >= o.open_cases for o in officers)  # every case weighs at least 1
    # RAG is words and an icon, never colour alone.
    first = page.cases.index(0, 1)
    assert page.cases.data(first) in ("Red", "Amber", "Green")
    assert not page.cases.data(first, Qt.ItemDataRole.DecorationRole).isNull()
    assert page.cases.data(first, RAG_ROLE) in {str(r) for r in Rag}

    # Drill down by keyboard on the chart: Down to the second officer, Enter opens them.
    page.chart.select(0)
    qtbot.keyClick(page.chart, Qt.Key.Key_Down)
    qtbot.keyClick(page.chart, Qt.Key.Key_Return)
    second = page.officers.rows()[1]
    assert {c.officer_id for c in page.cases.rows()} <= {second.officer_id}
    assert len(page.cases.rows()) == second.open_cases
    assert second.name in page.cases_label.text()
    # And by mouse on the first officer's bar.
    qtbot.mouseClick(page.chart, Qt.MouseButton.LeftButton, pos=page.chart.bar_rect(0).center())
    assert len(page.cases.rows()) == page.officers.rows()[0].open_cases
    qtbot.mouseClick(page.show_all_button, Qt.MouseButton.LeftButton)
    assert len(page.cases.rows()) == len(page.board.cases)  # type: ignore[union-attr]

    # The chart paints a bar per officer (and says the same in its accessible description).
    image = page.chart.grab().toImage()
    assert not image.isNull()
    assert image.width() > 0
    for officer in page.officers.rows():
        assert f"{officer.name}: {officer.points} points" in page.chart.accessibleDescription()
    bar = page.chart.bar_rect(0)
    assert image.pixelColor(bar.center()).name() in {"#b00020", "#b35c00", "#2e7d32"}

    page.export_csv(tmp_path / "caseload.csv")
    page.export_pdf(tmp_path / "summary.pdf")
    with (tmp_path / "caseload.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + len(page.board.cases)  # type: ignore[union-attr]
    pdf = (tmp_path / "summary.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert b"/Count 1" in pdf  # the page tree holds one page


def test_a_lead_allocates_with_a_reason_and_the_officer_receives_it(
    qtbot: Any,
    qtmodeltester: Any,
    laptops: Callable[[str], Laptop],
    seeded_pg: sa.Engine,
) -> None:
    lead_user = demo_user("team.lead")
    officer = demo_user("housing.officer")
    receiver = next(u for u in officers_of(lead_user.team_id) if u.id != officer.id)
    lead = _session(laptops, "lead", lead_user)
    other = _session(laptops, "receiver", receiver)
    page = AllocationPage(lead)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    qtmodeltester.check(page.queue)
    qtmodeltester.check(page.cases)
    waiting = rows_of(
        lead.store,
        "SELECT id FROM case_record WHERE owning_team_id = ? AND officer_id IS NULL "
        "AND status != 'closed'",
        lead_user.team_id.hex,
    )
    assert {item.id.hex for item in page.queue.rows() if item.kind == "case"} == {
        r[0] for r in waiting
    }

    page.tabs.setCurrentIndex(1)
    row = next(i for i, c in enumerate(page.cases.rows()) if c.officer_id == officer.id)
    case = page.cases.rows()[row]
    _select(page.case_view, row)
    assert page.case_id == case.id
    assert page.choose_officer(receiver.id)

    # No reason: refused at the keyboard, by field, and nothing written.
    qtbot.mouseClick(page.allocate_button, Qt.MouseButton.LeftButton)
    assert page.message.text().startswith("reason:")
    assert lead.local.status().pending == 0

    qtbot.keyClicks(page.reason, "Alex is on leave for a month")
    with qtbot.waitSignal(page.allocated):
        qtbot.mouseClick(page.allocate_button, Qt.MouseButton.LeftButton)
    qtmodeltester.check(page.history)
    assert [(h.from_officer, h.to_officer, h.reason) for h in page.history.rows()] == [
        (officer.display_name, receiver.display_name, "Alex is on leave for a month")
    ]

    assert _sync(lead, seeded_pg).rejected == 0
    _sync(other, seeded_pg)
    mine = rows_of(other.store, "SELECT officer_id FROM case_record WHERE id = ?", case.id.hex)
    assert mine == [(receiver.id.hex,)]
    history = rows_of(other.store, "SELECT reason FROM allocation WHERE case_id = ?", case.id.hex)
    assert history == [("Alex is on leave for a month",)]


def test_a_lead_allocates_a_referral_into_a_new_case_for_the_officer(
    qtbot: Any, laptops: Callable[[str], Laptop], seeded_pg: sa.Engine
) -> None:
    lead_user = demo_user("team.lead")
    receiver = officers_of(lead_user.team_id)[0]
    sent = referred_to(laptops, seeded_pg, lead_user)
    lead = _session(laptops, "lead", lead_user)
    other = _session(laptops, "receiver", receiver)
    page = AllocationPage(lead)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    row = next(i for i, q in enumerate(page.queue.rows()) if q.id == sent)
    referral = page.queue.rows()[row]
    assert referral.kind == "referral"
    _select(page.queue_view, row)
    assert page.referral is not None
    assert page.referral.id == referral.id
    assert page.choose_officer(receiver.id)

    # No reason: refused by field, and the referral is neither accepted nor a case opened.
    qtbot.mouseClick(page.allocate_button, Qt.MouseButton.LeftButton)
    assert page.message.text().startswith("reason:")
    assert lead.local.status().pending == 0

    qtbot.keyClicks(page.reason, "Knows the family already")
    with qtbot.waitSignal(page.allocated) as allocated:
        qtbot.mouseClick(page.allocate_button, Qt.MouseButton.LeftButton)
    case = page.case_id
    assert case is not None
    assert rows_of(
        lead.store, "SELECT status, created_case_id FROM referral WHERE id = ?", referral.id.hex
    ) == [("accepted", case.hex)]
    assert [(h.from_officer, h.to_officer, h.reason) for h in page.history.rows()] == [
        ("", receiver.display_name, "Knows the family already")
    ]

    assert _sync(lead, seeded_pg).rejected == 0
    with seeded_pg.connect() as connection:
        kept = connection.execute(
            sa.select(e.Case.officer_id, e.Case.owning_team_id).where(e.Case.id == case)
        ).one()
        record = connection.execute(
            sa.select(e.Allocation.allocated_by_id, e.Allocation.reason).where(
                e.Allocation.id == allocated.args[0]
            )
        ).one()
    assert tuple(kept) == (receiver.id, lead_user.team_id)
    assert tuple(record) == (lead_user.id, "Knows the family already")
    _sync(other, seeded_pg)
    mine = rows_of(other.store, "SELECT officer_id FROM case_record WHERE id = ?", case.hex)
    assert mine == [(receiver.id.hex,)]
    history = rows_of(other.store, "SELECT reason FROM allocation WHERE case_id = ?", case.hex)
    assert history == [("Knows the family already",)]


def test_a_lead_transfers_a_case_to_another_team_chosen_by_keyboard(
    qtbot: Any, laptops: Callable[[str], Laptop], seeded_pg: sa.Engine
) -> None:
    lead_user = demo_user("team.lead")
    officer = demo_user("housing.officer")
    receiver = officer_of_another_team(officer)
    lead = _session(laptops, "lead", lead_user)
    page = AllocationPage(lead)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()

    # Own team by default, named for assistive technology; other teams of the service follow.
    assert page.team.accessibleName() == "Team"
    assert page.team.currentData() == str(lead_user.team_id)
    teams = [page.team.itemData(i) for i in range(page.team.count())]
    assert str(receiver.team_id) in teams
    own_officers = {page.officer.itemData(i) for i in range(page.officer.count())}
    assert own_officers == {str(u.id) for u in officers_of(lead_user.team_id)}
    assert page.team.focusPolicy() != Qt.FocusPolicy.NoFocus

    # Down the list by keyboard to the receiving team: its officers (and its queue) replace ours.
    page.team.setFocus()
    while page.team.currentData() != str(receiver.team_id):
        before = page.team.currentIndex()
        qtbot.keyClick(page.team, Qt.Key.Key_Down)
        assert page.team.currentIndex() == before + 1
    offered = [page.officer.itemData(i) for i in range(page.officer.count())]
    assert offered[0] == "queue"
    assert set(offered[1:]) == {str(u.id) for u in officers_of(receiver.team_id)}

    page.tabs.setCurrentIndex(1)
    row = next(i for i, c in enumerate(page.cases.rows()) if c.officer_id == officer.id)
    case = page.cases.rows()[row]
    _select(page.case_view, row)
    assert page.choose_officer(receiver.id)
    qtbot.keyClicks(page.reason, "Moved to the south patch")
    with qtbot.waitSignal(page.allocated):
        qtbot.mouseClick(page.allocate_button, Qt.MouseButton.LeftButton)
    assert page.team.currentText() in page.message.text()
    assert rows_of(
        lead.store, "SELECT to_team_id, reason FROM allocation WHERE case_id = ?", case.id.hex
    ) == [(receiver.team_id.hex, "Moved to the south patch")]

    # A new case of the team goes to the receiving team's queue, for its own leads to allocate.
    [(subject,)] = rows_of(
        lead.store, "SELECT subject_person_id FROM case_record WHERE id = ?", case.id.hex
    )
    queued = lead.changes.create(
        "case",
        {
            "reference": "TM-LQUEUE01",
            "service": "tenancy_management",
            "case_type": "tenancy",
            "priority": "normal",
            "owning_team_id": lead_user.team_id,
            "subject_person_id": uuid.UUID(subject),
            "summary": "Mutual exchange enquiry",
            "referral_date": lead.changes.clock().date(),
        },
    )
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        lead.events.changed.emit()
    assert page.team.currentData() == str(receiver.team_id)  # the choice survives a reload
    page.tabs.setCurrentIndex(0)
    _select(page.queue_view, [q.id for q in page.queue.rows()].index(queued))
    assert page.case_id == queued
    page.officer.setCurrentIndex(page.officer.findData("queue"))
    qtbot.keyClicks(page.reason, "Needs the south patch's duty officer")
    with qtbot.waitSignal(page.allocated):
        qtbot.mouseClick(page.allocate_button, Qt.MouseButton.LeftButton)
    assert page.message.text().startswith("Moved to the queue of")

    assert _sync(lead, seeded_pg).rejected == 0
    with seeded_pg.connect() as connection:
        moved = connection.execute(
            sa.select(e.Case.id, e.Case.owning_team_id, e.Case.officer_id).where(
                e.Case.id.in_([case.id, queued])
            )
        ).all()
    assert {tuple(row) for row in moved} == {
        (case.id, receiver.team_id, receiver.id),
        (queued, receiver.team_id, None),
    }


def test_a_referral_is_allocated_only_within_the_leads_own_team(
    qtbot: Any, laptops: Callable[[str], Laptop], seeded_pg: sa.Engine
) -> None:
    lead_user = demo_user("team.lead")
    receiver = officer_of_another_team(demo_user("housing.officer"))
    sent = referred_to(laptops, seeded_pg, lead_user)
    lead = _session(laptops, "lead", lead_user)
    page = AllocationPage(lead)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    _select(page.queue_view, next(i for i, q in enumerate(page.queue.rows()) if q.id == sent))
    assert page.choose_team(receiver.team_id)
    assert page.choose_officer(receiver.id)
    qtbot.keyClicks(page.reason, "Their patch")
    qtbot.mouseClick(page.allocate_button, Qt.MouseButton.LeftButton)

    assert page.message.text().startswith("team:")
    assert lead.local.status().pending == 0
    assert rows_of(lead.store, "SELECT status FROM referral WHERE id = ?", sent.hex) == [("sent",)]


def test_a_field_officer_offered_allocation_is_refused_by_the_platform(
    qtbot: Any, laptops: Callable[[str], Laptop], seeded_pg: sa.Engine
) -> None:
    officer = demo_user("housing.officer")
    session = _session(laptops, "officer", officer)
    # The laptop believes (wrongly) that this user is a lead: only the platform stands between
    # the officer and another officer's caseload.
    session.changes.role = str(e.Role.TEAM_LEAD)
    page = AllocationPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    page.tabs.setCurrentIndex(1)
    row = next(i for i, c in enumerate(page.cases.rows()) if c.officer_id == officer.id)
    case = page.cases.rows()[row]
    _select(page.case_view, row)
    colleague = colleague_of(officer)
    assert page.choose_officer(colleague.id)
    qtbot.keyClicks(page.reason, "Too busy")
    with qtbot.waitSignal(page.allocated):
        qtbot.mouseClick(page.allocate_button, Qt.MouseButton.LeftButton)

    report = _sync(session, seeded_pg)

    assert report.rejected == 2
    refused = {
        r.entity: (r.code, [(x["field"], x["message"]) for x in r.errors])
        for r in session.local.rejected()
    }
    assert refused["allocation"] == (
        "forbidden",
        [("case_id", "Only a team lead of the case's team may allocate it.")],
    )
    assert refused["case"][0] == "forbidden"
    assert [field for field, _ in refused["case"][1]] == ["officer_id"]
    with seeded_pg.connect() as connection:
        holder = connection.execute(
            sa.select(e.Case.officer_id).where(e.Case.id == case.id)
        ).scalar_one()
    assert holder == officer.id


def test_a_marker_shows_to_other_services_once_a_lead_approves_it(
    qtbot: Any,
    qtmodeltester: Any,
    laptops: Callable[[str], Laptop],
    seeded_pg: sa.Engine,
) -> None:
    officer = _session(laptops, "officer", demo_user("housing.officer"))
    lead = _session(laptops, "lead", demo_user("team.lead"))
    social = _session(laptops, "social", demo_user("social.worker"))
    person = rows_of(officer.store, "SELECT id FROM person WHERE sealed = 0 LIMIT 1")[0][0]
    marker = officer.changes.create(
        "warning_marker",
        {
            "person_id": uuid.UUID(hex=person),
            "category": "violence",
            "reason": "Threatened an officer with a knife",
            "review_date": officer.changes.clock().date() + timedelta(days=90),
        },
    )
    _sync(officer, seeded_pg)
    _sync(social, seeded_pg)
    assert not social.laptop.has("warning_marker", marker)

    page = ApprovalsPage(lead)
    qtbot.addWidget(page)
    _sync(lead, seeded_pg)
    qtmodeltester.check(page.markers)
    qtmodeltester.check(page.closures)
    row = next(i for i, m in enumerate(page.markers.rows()) if m.id == marker)
    assert page.markers.data(page.markers.index(row, 2)) == "Threatened an officer with a knife"
    assert page.markers.data(page.markers.index(row, 0), ITEM_ROLE).id == marker
    _select(page.marker_view, row)
    with qtbot.waitSignal(page.decided):
        qtbot.mouseClick(page.approve_marker_button, Qt.MouseButton.LeftButton)
    assert marker not in {m.id for m in page.markers.rows()}

    assert _sync(lead, seeded_pg).rejected == 0
    _sync(social, seeded_pg)
    seen = rows_of(social.store, "SELECT status FROM warning_marker WHERE id = ?", marker.hex)
    assert seen == [("approved",)]


def test_a_closure_waits_for_the_leads_approval(
    qtbot: Any, laptops: Callable[[str], Laptop], seeded_pg: sa.Engine
) -> None:
    lead_user = lead_of("homelessness")
    officer_user = officers_of(lead_user.team_id)[0]
    officer = _session(laptops, "officer", officer_user)
    lead = _session(laptops, "lead", lead_user)
    person = rows_of(officer.store, "SELECT id FROM person WHERE sealed = 0 LIMIT 1")[0][0]
    today = officer.changes.clock().date()
    case = officer.changes.create(
        "case",
        {
            "reference": "HO-TEST-1",
            "service": "homelessness",
            "case_type": "homelessness",
            "priority": "normal",
            "owning_team_id": lead_user.team_id,
            "officer_id": officer_user.id,
            "subject_person_id": uuid.UUID(hex=person),
            "referral_date": today - timedelta(days=3),
            "summary": "Sofa surfing",
        },
    )
    officer.changes.transition(case, "relief")
    assert _sync(officer, seeded_pg).rejected == 0

    # The officer may not close it themselves, even offline: a lead must approve.
    with pytest.raises(Exception, match="closed only by a team lead"):
        officer.changes.transition(case, "closed", {"closure_reason": "Housed"})
    officer.changes.request_closure(case, "Settled in a private let")
    assert _sync(officer, seeded_pg).rejected == 0

    page = ApprovalsPage(lead)
    qtbot.addWidget(page)
    _sync(lead, seeded_pg)
    row = next(i for i, c in enumerate(page.closures.rows()) if c.id == case)
    assert page.closures.rows()[row].closure_reason == "Settled in a private let"
    _select(page.closure_view, row)
    with qtbot.waitSignal(page.decided):
        qtbot.mouseClick(page.approve_closure_button, Qt.MouseButton.LeftButton)
    assert _sync(lead, seeded_pg).rejected == 0
    with seeded_pg.connect() as connection:
        status = connection.execute(sa.select(e.Case.status).where(e.Case.id == case)).scalar_one()
    assert status == "closed"


def test_supervision_notes_reach_the_allocated_officer_and_no_colleague(
    qtbot: Any,
    qtmodeltester: Any,
    laptops: Callable[[str], Laptop],
    seeded_pg: sa.Engine,
) -> None:
    lead_user = demo_user("team.lead")
    officer_user = demo_user("housing.officer")
    colleague_user = next(u for u in officers_of(lead_user.team_id) if u.id != officer_user.id)
    lead = _session(laptops, "lead", lead_user)
    officer = _session(laptops, "officer", officer_user)
    colleague = _session(laptops, "colleague", colleague_user)
    case = officer.laptop.my_case()

    widget = SupervisionNotesWidget(lead)
    qtbot.addWidget(widget)
    widget.set_case(case)
    qtbot.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
    assert widget.error.text().startswith("text:")  # an empty note is refused by field
    qtbot.keyClicks(widget.editor, "Agreed weekly visits until the hearing.")
    with qtbot.waitSignal(widget.note_added):
        qtbot.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
    qtmodeltester.check(widget.notes)
    assert [n.pending for n in widget.notes.rows()] == [True]
    assert _sync(lead, seeded_pg).rejected == 0
    assert [n.pending for n in widget.notes.rows()] == [False]

    _sync(officer, seeded_pg)
    _sync(colleague, seeded_pg)
    seen = SupervisionNotesWidget(officer)
    qtbot.addWidget(seen)
    seen.set_case(case)
    assert [n.text for n in seen.notes.rows()] == ["Agreed weekly visits until the hearing."]
    assert rows_of(colleague.store, "SELECT count(*) FROM supervision_note") == [(0,)]
    assert colleague.laptop.has("case_record", case)  # the colleague reads the case itself
