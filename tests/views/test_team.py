"""Team lead caseload queries: workload points, overdue work, clocks as RAG, queues, export."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from app.models.workflow import add_working_days
from app.store.db import Store
from app.views import team as views
from app.views.team import Rag
from tests.sync.conftest import NOW, TENANT, complete, load

TEAM = uuid.UUID(int=100)
OTHER_TEAM = uuid.UUID(int=101)
LEAD = uuid.UUID(int=110)
ALEX = uuid.UUID(int=111)
BEA = uuid.UUID(int=112)
CAI = uuid.UUID(int=113)  # an officer with nothing yet: still listed
PERSON = uuid.UUID(int=120)


class Council:
    """Rows for one team, built up by a test, loaded into the store at once."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {
            "team": [
                {"id": TEAM, "name": "Housing Options", "service": "homelessness"},
                {"id": OTHER_TEAM, "name": "Repairs North", "service": "housing_repairs"},
            ],
            "user": [
                {"id": LEAD, "username": "lead", "display_name": "Sam Lead", "role": "team_lead"},
                {"id": ALEX, "username": "alex", "display_name": "Alex Morgan"},
                {"id": BEA, "username": "bea", "display_name": "Bea Jones"},
                {"id": CAI, "username": "cai", "display_name": "Cai Evans"},
            ],
            "person": [{"id": PERSON, "given_name": "Siân", "family_name": "Pritchard"}],
            "case": [],
            "task": [],
            "referral": [],
            "workload_weight": [],
            "warning_marker": [],
        }
        for user in self.rows["user"]:
            user.setdefault("role", "field_officer")
            user["team_id"] = TEAM

    def case(
        self,
        case_type: str,
        status: str,
        *,
        officer: uuid.UUID | None = ALEX,
        started_days_ago: float = 5,
        priority: str = "normal",
        team: uuid.UUID = TEAM,
        **values: Any,
    ) -> uuid.UUID:
        case_id = uuid.uuid4()
        started = NOW - timedelta(days=started_days_ago)
        self.rows["case"].append(
            {
                "id": case_id,
                "reference": f"C-{len(self.rows['case']):04d}",
                "service": "homelessness",
                "case_type": case_type,
                "status": status,
                "priority": priority,
                "owning_team_id": team,
                "officer_id": officer,
                "subject_person_id": PERSON,
                "summary": values.pop("summary", "Threatened with eviction"),
                "referral_date": (started - timedelta(days=3)).date(),
                "opened_at": values.pop("opened_at", started),
                "status_changed_at": started,
                **values,
            }
        )
        return case_id

    def task(self, case_id: uuid.UUID, kind: str, due: datetime, status: str = "open") -> None:
        self.rows["task"].append(
            {"id": uuid.uuid4(), "case_id": case_id, "kind": kind, "title": "Do it", "due_at": due}
            | {"status": status}
        )

    def load(self, store: Store) -> None:
        common = {"tenant_id": TENANT, "version": 1, "updated_at": NOW, "deleted": False}
        from app.models.registry import BY_NAME

        load(
            store,
            {
                entity: {
                    row["id"]: complete(BY_NAME[entity].model, {**common, **row}) for row in rows
                }
                for entity, rows in self.rows.items()
            },
        )


def board(store: Store, now: datetime = NOW) -> views.TeamDashboard:
    with store.engine.connect() as connection:
        return views.team_dashboard(connection, TEAM, now)


def by_ref(board_: views.TeamDashboard) -> dict[uuid.UUID, views.CaseLine]:
    return {line.id: line for line in board_.cases}


def test_statutory_clocks_show_as_rag_with_the_reason_in_words(empty_store: Store) -> None:
    council = Council()
    relief_late = council.case("homelessness", "relief", started_days_ago=60)
    relief_near = council.case("homelessness", "prevention", started_days_ago=50)
    relief_fine = council.case("homelessness", "relief", started_days_ago=10)
    review_late = council.case("care_act", "support_plan", started_days_ago=57)
    approach = council.case("homelessness", "approach", started_days_ago=300)
    # Children's assessment: 45 working days from the day it started, holidays skipped.
    started = NOW - timedelta(days=70)
    assessment_due = add_working_days(started.date(), 45)
    assessment = council.case("early_help", "assessment", started_days_ago=70)
    repair = council.case(
        "repair",
        "reported",
        priority="emergency",
        started_days_ago=1.1,
        target_at=NOW - timedelta(hours=2),
    )
    council.load(empty_store)

    lines = by_ref(board(empty_store))

    assert (lines[relief_late].rag, lines[relief_late].rag_text) == (
        Rag.RED,
        "Relief duty (56 days): overdue by 4 days",
    )
    assert (lines[relief_near].rag, lines[relief_near].rag_text) == (
        Rag.AMBER,
        "Prevention duty (56 days): due in 6 days",
    )
    assert lines[relief_fine].rag is Rag.GREEN
    assert lines[relief_fine].rag_text.startswith("Relief duty (56 days): due ")
    assert (lines[review_late].rag, lines[review_late].rag_text) == (
        Rag.RED,
        "Care Act first review: overdue by 1 days",
    )
    assert (lines[approach].rag, lines[approach].rag_text) == (Rag.GREEN, "No running clock")
    expected = Rag.RED if assessment_due < NOW.date() else Rag.AMBER
    assert lines[assessment].rag is expected
    deadline = lines[assessment].deadline
    assert deadline is not None
    assert deadline.due.date() == assessment_due
    assert (lines[repair].rag, lines[repair].rag_text) == (
        Rag.RED,
        "Repair target: overdue by 2 h",
    )


def test_workload_points_and_overdue_work_per_officer(empty_store: Store) -> None:
    council = Council()
    a1 = council.case("homelessness", "relief", started_days_ago=10, priority="high")
    council.case("homelessness", "relief", started_days_ago=10, priority="normal")
    council.case("care_act", "assessment", officer=BEA, priority="low")
    council.case("homelessness", "closed", officer=BEA)  # closed: not open work
    council.case("tenancy", "open", officer=BEA, team=OTHER_TEAM)  # another team's
    council.task(a1, "task", NOW - timedelta(days=1))
    council.task(a1, "visit", NOW - timedelta(hours=3))
    council.task(a1, "visit", NOW + timedelta(days=1))  # not yet due
    council.task(a1, "task", NOW - timedelta(days=3), status="done")  # done is not overdue
    # The council's own weight for one pairing; the rest are the defaults.
    council.rows["workload_weight"].append(
        {"id": uuid.uuid4(), "case_type": "homelessness", "priority": "high", "points": 9}
    )
    council.load(empty_store)

    result = board(empty_store)

    loads = {o.name: o for o in result.officers}
    assert list(loads) == ["Alex Morgan", "Bea Jones", "Cai Evans"]
    alex, bea, cai = loads["Alex Morgan"], loads["Bea Jones"], loads["Cai Evans"]
    assert (alex.open_cases, alex.points, alex.overdue_tasks, alex.overdue_visits) == (2, 12, 1, 1)
    assert (bea.open_cases, bea.points) == (1, 3)
    assert (cai.open_cases, cai.points, cai.rag) == (0, 0, Rag.GREEN)
    late = by_ref(result)[a1]
    assert late.rag is Rag.AMBER  # clock on track, but work overdue
    assert late.rag_text.endswith("; overdue: 1 tasks, 1 visits")
    assert [c.officer_name for c in result.cases_of(BEA)] == ["Bea Jones"]


def test_unallocated_cases_and_referrals_form_one_queue_oldest_first(empty_store: Store) -> None:
    council = Council()
    new_case = council.case("homelessness", "approach", officer=None, started_days_ago=2)
    council.case("homelessness", "approach", officer=ALEX)
    for to_team, status, days in (
        (TEAM, "sent", 4),
        (None, "sent", 1),  # the service's inbox: this team's service
        (TEAM, "accepted", 9),
        (OTHER_TEAM, "sent", 9),
    ):
        council.rows["referral"].append(
            {
                "id": uuid.uuid4(),
                "person_id": PERSON,
                "from_service": "adult_social_care",
                "to_service": "homelessness",
                "to_team_id": to_team,
                "reason": f"Referral {days}",
                "lawful_basis": "Art 6(1)(e)",
                "status": status,
                "sent_at": NOW - timedelta(days=days),
            }
        )
    council.load(empty_store)

    queue = board(empty_store).queue

    # A case waits from its referral date (five days back here), a referral from its sending.
    assert [(item.kind, item.summary) for item in queue] == [
        ("case", "Threatened with eviction"),
        ("referral", "Referral 4"),
        ("referral", "Referral 1"),
    ]
    assert queue[0].id == new_case
    assert queue[0].received == (NOW - timedelta(days=5)).date()


def test_caseload_csv_has_one_row_per_open_case_and_defuses_formulas(empty_store: Store) -> None:
    council = Council()
    council.rows["user"][1]["display_name"] = "=HYPERLINK(1)"
    council.case("homelessness", "relief", started_days_ago=60)
    council.case("homelessness", "relief", officer=None)
    council.load(empty_store)

    rows = list(csv.reader(io.StringIO(views.caseload_csv(board(empty_store)))))

    assert rows[0] == list(views.CSV_COLUMNS)
    assert len(rows) == 3
    assert {r[1] for r in rows[1:]} == {"'=HYPERLINK(1)", "Unallocated"}
    late = next(r for r in rows[1:] if r[1] != "Unallocated")
    assert late[6:8] == ["Red", "Relief duty (56 days): overdue by 4 days"]
    assert "Pritchard" not in views.caseload_csv(board(empty_store))


@pytest.mark.parametrize(("days_left", "rag"), [(-0.5, Rag.RED), (3, Rag.AMBER), (20, Rag.GREEN)])
def test_a_deadline_is_amber_in_its_last_fifth(days_left: float, rag: Rag) -> None:
    due = NOW + timedelta(days=days_left)
    (deadline,) = views.case_deadlines(
        "tenancy", "open", NOW, NOW - timedelta(days=56), None, due, NOW
    )
    assert deadline.rag is rag


def test_approvals_history_and_supervision_queries(empty_store: Store) -> None:
    council = Council()
    asked = council.case(
        "homelessness",
        "relief",
        closure_reason="Accommodation secured",
        closure_requested_at=NOW - timedelta(hours=1),
        closure_requested_by_id=ALEX,
    )
    council.case("homelessness", "relief")
    council.rows["warning_marker"] += [
        {
            "id": uuid.uuid4(),
            "person_id": PERSON,
            "category": "violence",
            "reason": "Threatened staff",
            "review_date": date(2027, 1, 1),
            "status": status,
            "proposed_by_id": ALEX,
        }
        for status in ("proposed", "approved")
    ]
    council.rows["allocation"] = [
        {
            "id": uuid.uuid4(),
            "case_id": asked,
            "from_officer_id": from_,
            "to_officer_id": to,
            "to_team_id": TEAM,
            "reason": reason,
            "allocated_by_id": LEAD,
            "allocated_at": NOW - timedelta(days=days),
        }
        for from_, to, reason, days in ((None, BEA, "New case", 9), (BEA, ALEX, "Leave", 2))
    ]
    council.rows["supervision_note"] = [
        {
            "id": uuid.uuid4(),
            "case_id": asked,
            "author_id": LEAD,
            "created_at": NOW,
            "text": "Check the offer letter.",
        }
    ]
    council.load(empty_store)

    with empty_store.engine.connect() as connection:
        closures = views.pending_closures(connection, TEAM)
        markers = views.pending_markers(connection)
        history = views.allocation_history(connection, asked)
        notes = views.supervision_notes(connection, asked)

    assert [(c.id, c.closure_reason, c.requested_by) for c in closures] == [
        (asked, "Accommodation secured", "Alex Morgan")
    ]
    assert [(m.reason, m.proposed_by) for m in markers] == [("Threatened staff", "Alex Morgan")]
    assert [(h.from_officer, h.to_officer, h.by, h.reason) for h in history] == [
        ("", "Bea Jones", "Sam Lead", "New case"),
        ("Bea Jones", "Alex Morgan", "Sam Lead", "Leave"),
    ]
    assert [(n.author, n.text, n.pending) for n in notes] == [
        ("Sam Lead", "Check the offer letter.", False)
    ]
