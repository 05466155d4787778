"""Pull pages applied locally: upserts, pending edits kept, tombstones, scope changes, cursor."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import entities as e
from app.store.db import Store
from app.sync.local import BULK_PAGE, LocalSync, PageRejected, ResyncRequired
from app.sync.outbox import LocalChanges
from app.sync.protocol import Change, MutationResult
from app.sync.state import SyncStateError
from app.sync.tables import case_summary
from tests.sync.conftest import (
    CASE,
    EPOCH,
    HOUSEHOLD,
    MEMBER,
    NOTE,
    NOW,
    OTHER_TEAM,
    PERSON,
    PROPERTY,
    TASK,
    TEAM,
    USER,
    VISIT,
    FakeClock,
    fail_on_insert,
    full,
    gone,
    page,
    rows_of,
    summary,
    world,
)

W = world()


def person(**changes: object) -> dict[str, object]:
    return {**W["person"][PERSON], **changes}


def case(**changes: object) -> dict[str, object]:
    return {**W["case"][CASE], **changes}


def new_person(number: int, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "id": uuid.UUID(int=number),
        "given_name": f"Person{number}",
        "nhs_number": None,
    }
    return person(**{**values, **changes})


def count(store: Store, table: str) -> int:
    return int(rows_of(store, f"SELECT count(*) FROM {table}")[0][0])


# --- the basics -----------------------------------------------------------------------------


def test_a_page_upserts_records_and_stores_its_cursor(
    store: Store, sync: LocalSync, clock: FakeClock
) -> None:
    newcomer = new_person(31, family_name="Llewellyn")
    counts = sync.apply_page(
        page(full("person", person(family_name="Morgan"), 4), full("person", newcomer, 1))
    )
    assert counts.upserted == 2
    assert rows_of(store, "SELECT family_name, version, tenant_id FROM person ORDER BY id") == [
        ("Morgan", 4, W["person"][PERSON]["tenant_id"].hex),
        ("Llewellyn", 1, W["person"][PERSON]["tenant_id"].hex),
    ]
    state = sync.state()
    assert (state.cursor, state.epoch, state.last_sync_at) == ("c1", EPOCH, clock())
    # Search follows the page: the renamed resident, the newcomer, and the case's subject.
    assert [h.name for h in store.search_persons("morgan")] == ["Siân Morgan"]
    assert [h.name for h in store.search_persons("llew")] == ["Person31 Llewellyn"]
    assert [c.subject for c in store.search_cases("TM-000042")] == ["Siân Morgan"]


def test_last_sync_time_waits_for_the_last_page(sync: LocalSync) -> None:
    sync.apply_page(page(full("person", person(), 2), has_more=True, cursor="c1"))
    assert sync.state().last_sync_at is None
    assert sync.state().cursor == "c1"


def test_pulling_needs_a_signed_in_store(empty_store: Store, clock: FakeClock) -> None:
    with pytest.raises(SyncStateError, match="Sign in"):
        LocalSync(empty_store, clock=clock).apply_page(page())


def test_an_invalid_value_rejects_the_page_whole(store: Store, sync: LocalSync) -> None:
    bad = full("person", new_person(32), 1)
    bad = bad.model_copy(update={"fields": {**(bad.fields or {}), "date_of_birth": "last week"}})
    with pytest.raises(PageRejected, match="date_of_birth"):
        sync.apply_page(page(full("person", new_person(31), 1), bad))
    assert count(store, "person") == 1
    assert sync.state().cursor is None


# --- crash safety ---------------------------------------------------------------------------


def test_a_crash_half_way_through_a_page_applies_nothing(store: Store, sync: LocalSync) -> None:
    sync.apply_page(page(full("person", person(), 2), cursor="c1"))
    fail_on_insert(store, "person", "NEW.given_name = 'Crash'")
    changes = [full("person", new_person(100 + i), 1) for i in range(10)]
    changes.insert(5, full("person", new_person(99, given_name="Crash"), 1))
    with pytest.raises(Exception, match="injected failure"):
        sync.apply_page(
            page(full("person", person(family_name="Morgan"), 3), *changes, cursor="c2")
        )
    assert count(store, "person") == 1
    assert rows_of(store, "SELECT family_name, version FROM person") == [("Pritchard", 2)]
    assert sync.state().cursor == "c1"
    assert store.search_persons("morgan") == []


def test_a_crash_while_saving_the_cursor_applies_nothing(store: Store, sync: LocalSync) -> None:
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TRIGGER fail_cursor BEFORE UPDATE OF cursor ON sync_state "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )
    with pytest.raises(Exception, match="injected failure"):
        sync.apply_page(page(full("person", person(family_name="Morgan"), 3), cursor="c2"))
    assert rows_of(store, "SELECT family_name FROM person") == [("Pritchard",)]
    assert sync.state().cursor is None


def test_a_page_of_another_epoch_needs_a_resync(store: Store, sync: LocalSync) -> None:
    sync.apply_page(page(full("person", person(), 2), cursor="c1"))
    with pytest.raises(ResyncRequired):
        sync.apply_page(page(full("person", person(family_name="X"), 3), epoch=uuid.uuid4()))
    assert rows_of(store, "SELECT family_name FROM person") == [("Pritchard",)]


# --- pending local edits ----------------------------------------------------------------------


def test_pulled_change_keeps_fields_with_pending_edits(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.update("person", PERSON, {"phone": "07700 900001"})
    sync.apply_page(page(full("person", person(phone="07700 955555", family_name="Morgan"), 3)))
    # The pending phone stays; the other field and the version follow the platform.
    assert rows_of(store, "SELECT phone, family_name, version FROM person") == [
        ("07700 900001", "Morgan", 3)
    ]
    # A later edit still names the version the first pending edit was based on, so the
    # platform merges it by values instead of applying it blind over version 3.
    changes.update("person", PERSON, {"email": "sian@example.org"})
    first, second = sync.pending_mutations()
    assert (first.base_version, second.base_version) == (1, 1)
    assert first.base == {"phone": "029 2000 0000"}


def test_a_pending_create_is_not_overwritten(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    created = changes.create("person", {"given_name": "Rhys", "family_name": "Owen"})
    echo = full("person", new_person(0, id=created, given_name="Other", family_name="Name"), 1)
    sync.apply_page(page(echo))
    assert rows_of(store, "SELECT given_name, version FROM person WHERE id = ?", created.hex) == [
        ("Rhys", 1)
    ]


# --- tombstones -------------------------------------------------------------------------------


def test_tombstones_delete_records(store: Store, sync: LocalSync) -> None:
    sync.apply_page(page(gone("task", TASK, 2), gone("task", uuid.uuid4(), 3)))
    assert rows_of(store, "SELECT id FROM task") == [(VISIT.hex,)]


def test_a_tombstone_other_rows_need_stays_hidden(store: Store, sync: LocalSync) -> None:
    sync.apply_page(page(gone("case", CASE, 5)))
    # The platform keeps a deleted case's notes; so does the laptop, and the case as a tombstone.
    assert rows_of(store, "SELECT deleted, version FROM case_record") == [(1, 5)]
    assert count(store, "note") == 1
    assert store.search_cases("TM-000042") == []
    # When its children go too, so does it.
    sync.apply_page(
        page(
            gone("case", CASE, 6),
            gone("note", NOTE, 2),
            gone("task", TASK, 2),
            gone("task", VISIT, 2),
        )
    )
    assert count(store, "case_record") == 0


def test_a_tombstone_for_a_record_with_pending_edits_keeps_it(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.update("task", TASK, {"title": "Call the landlord again"})
    sync.apply_page(page(gone("task", TASK, 2)))
    # The edit is pushed and the platform answers delete-vs-edit; until then it stays.
    assert rows_of(store, "SELECT title, deleted FROM task WHERE id = ?", TASK.hex) == [
        ("Call the landlord again", 0)
    ]


# --- scope --------------------------------------------------------------------------------------


def test_a_case_leaving_detail_scope_becomes_a_summary(store: Store, sync: LocalSync) -> None:
    counts = sync.apply_page(page(summary(case(status="investigating"), 7)))
    assert counts.summaries == 1
    assert count(store, "case_record") == 0
    assert count(store, "note") == count(store, "task") == 0
    with store.engine.connect() as connection:
        row = connection.execute(select(case_summary)).mappings().one()
    assert (row["id"], row["status"], row["version"], row["reference"]) == (
        CASE,
        "investigating",
        7,
        "TM-000042",
    )
    assert store.search_cases("TM-000042") == []
    # Back in scope: full again, and the summary goes.
    sync.apply_page(page(full("case", case(), 8)))
    assert count(store, "case_record") == 1
    assert count(store, "case_summary") == 0


def test_summary_waits_for_pending_detail_to_be_pushed(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    note = changes.add_note(CASE, "phone", "Tenant rang.")
    counts = sync.apply_page(page(summary(case(), 7)))
    assert counts.deferred == 1
    assert count(store, "case_record") == 1
    assert sync.status().awaiting_push_to_leave == 1
    [entry] = sync.pending_mutations()
    sync.apply_results(
        [MutationResult(mutation_id=entry.mutation_id, outcome="applied", version=1)]
    )
    assert count(store, "case_record") == 0
    assert rows_of(store, "SELECT count(*) FROM note WHERE id = ?", note.hex) == [(0,)]
    assert count(store, "case_summary") == 1
    assert sync.status().awaiting_push_to_leave == 0


def test_an_exit_takes_everything_about_the_person(store: Store, sync: LocalSync) -> None:
    marker = {
        "id": uuid.UUID(int=90),
        "person_id": PERSON,
        "category": "dog",
        "reason": "Large dog",
        "review_date": date(2027, 1, 1),
        "status": "approved",
        "tenant_id": W["person"][PERSON]["tenant_id"],
        "version": 1,
        "updated_at": NOW,
        "deleted": False,
    }
    sync.apply_page(page(full("warning_marker", marker, 1)))
    other = new_person(33)
    sync.apply_page(
        page(full("person", other, 1), summary(case(id=uuid.UUID(int=61), reference="TM-7"), 2))
    )
    sync.apply_page(page(gone("person", PERSON, 9, exit_=True)))
    assert rows_of(store, "SELECT id FROM person") == [(uuid.UUID(int=33).hex,)]
    for table in (
        "household_member",
        "warning_marker",
        "case_record",
        "note",
        "task",
        "case_summary",
    ):
        assert count(store, table) == 0, table
    # The household and property are not the person's: they stay.
    assert count(store, "household") == count(store, "property") == 1
    assert store.search_persons("siân") == []


def test_an_exit_with_pending_edits_is_deferred_until_pushed(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.update("task", TASK, {"title": "Call landlord today"})
    sync.apply_page(page(gone("person", PERSON, 9, exit_=True)))
    assert count(store, "person") == 1
    assert count(store, "task") == 2
    [entry] = sync.pending_mutations()
    sync.apply_results([MutationResult(mutation_id=entry.mutation_id, outcome="rejected")])
    assert count(store, "person") == count(store, "task") == count(store, "case_record") == 0


def test_back_in_scope_before_the_push_cancels_the_exit(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.update("person", PERSON, {"phone": "07700 900001"})
    sync.apply_page(page(gone("person", PERSON, 9, exit_=True)))
    sync.apply_page(page(full("person", person(), 10)))
    [entry] = sync.pending_mutations()
    sync.apply_results([MutationResult(mutation_id=entry.mutation_id, outcome="applied")])
    assert count(store, "person") == 1


# --- references arriving out of order ------------------------------------------------------------


def test_a_child_before_its_parent_is_parked_until_the_parent_arrives(
    store: Store, sync: LocalSync
) -> None:
    """The feed serves a record at its latest change: a person edited after their case was
    opened comes after the case, possibly a page later."""
    newcomer = new_person(34)
    new_case = case(id=uuid.UUID(int=62), reference="TM-9", subject_person_id=newcomer["id"])
    new_note = {**W["note"][NOTE], "id": uuid.UUID(int=81), "case_id": new_case["id"]}
    counts = sync.apply_page(
        page(full("case", new_case, 1), full("note", new_note, 1), cursor="c1", has_more=True)
    )
    assert counts.parked == 2
    assert sync.status().parked == 2
    assert rows_of(
        store, "SELECT count(*) FROM case_record WHERE id = ?", uuid.UUID(int=62).hex
    ) == [(0,)]
    counts = sync.apply_page(page(full("person", newcomer, 3), cursor="c2"))
    assert counts.unparked == 2
    assert sync.status().parked == 0
    assert rows_of(
        store, "SELECT version FROM case_record WHERE id = ?", uuid.UUID(int=62).hex
    ) == [(1,)]
    assert rows_of(store, "SELECT count(*) FROM note WHERE id = ?", uuid.UUID(int=81).hex) == [(1,)]
    assert [c.subject for c in store.search_cases("TM-9")] == ["Person34 Pritchard"]


def test_children_before_parents_within_a_page_are_fine(store: Store, sync: LocalSync) -> None:
    newcomer = new_person(35)
    new_case = case(id=uuid.UUID(int=63), reference="TM-10", subject_person_id=newcomer["id"])
    counts = sync.apply_page(page(full("case", new_case, 1), full("person", newcomer, 1)))
    assert counts.parked == 0
    assert count(store, "case_record") == 2


def test_a_referral_naming_a_case_that_became_a_summary_is_parked(
    store: Store, sync: LocalSync
) -> None:
    referral = {
        "id": uuid.UUID(int=95),
        "person_id": PERSON,
        "case_id": CASE,
        "from_service": "tenancy_management",
        "to_service": "housing_repairs",
        "to_team_id": TEAM,
        "reason": "Damp",
        "urgency": "urgent",
        "lawful_basis": "Public task",
        "status": "sent",
        "sent_at": NOW,
        "tenant_id": W["person"][PERSON]["tenant_id"],
        "version": 1,
        "updated_at": NOW,
        "deleted": False,
    }
    sync.apply_page(page(full("referral", referral, 1)))
    sync.apply_page(page(summary(case(), 7)))
    assert count(store, "referral") == 0
    assert sync.status().parked == 1
    sync.apply_page(page(full("case", case(), 8)))
    assert count(store, "referral") == 1


def test_an_empty_page_leaves_a_parked_change_parked(store: Store, sync: LocalSync) -> None:
    referral = {
        "id": uuid.UUID(int=96),
        "person_id": PERSON,
        "case_id": CASE,
        "from_service": "tenancy_management",
        "to_service": "housing_repairs",
        "to_team_id": TEAM,
        "reason": "Damp",
        "urgency": "urgent",
        "lawful_basis": "Public task",
        "status": "sent",
        "sent_at": NOW,
        "tenant_id": W["person"][PERSON]["tenant_id"],
        "version": 1,
        "updated_at": NOW,
        "deleted": False,
    }
    sync.apply_page(page(full("referral", referral, 1)))
    sync.apply_page(page(summary(case(), 7)))
    assert sync.status().parked == 1
    # Nothing new on the feed (a routine sync): the page applies and the parked copy waits on.
    sync.apply_page(page(cursor="c2"))
    assert sync.status().parked == 1


# --- conflicts from the feed ------------------------------------------------------------------


def conflict_change(conflict_id: uuid.UUID, **fields: object) -> Change:
    values: dict[str, object] = {
        "entity": "person",
        "record_id": str(PERSON),
        "field": "phone",
        "base": "a",
        "mine": "b",
        "theirs": "c",
        "user_id": str(USER),
        "owning_team_id": str(TEAM),
        "client_id": str(uuid.UUID(int=5)),
        "mutation_id": 3,
        "created_at": "2026-11-01T10:00:00Z",
        "resolved_at": None,
        "resolved_by_id": None,
        "resolution": None,
    }
    values.update(fields)
    return Change(entity="conflict", id=conflict_id, version=1, fields=values)


def test_conflicts_arrive_from_the_feed(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    sync.apply_page(page(conflict_change(first), conflict_change(second, field="email")))
    assert [c.field for c in sync.conflicts()] == ["email", "phone"]
    changes.resolve_conflict(first, "theirs")
    # The platform has not heard of the resolution yet; the feed does not reopen it.
    sync.apply_page(page(conflict_change(first), cursor="c2"))
    assert [c.field for c in sync.conflicts()] == ["email"]
    sync.apply_page(
        page(
            conflict_change(
                second, field="email", resolved_at="2026-11-02T08:00:00Z", resolution="theirs"
            ),
            cursor="c3",
        )
    )
    assert sync.conflicts() == []


# --- a new epoch ------------------------------------------------------------------------------


def test_resync_sweeps_what_the_new_feed_does_not_send_and_keeps_the_outbox(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    sync.apply_page(
        page(full("person", person(), 2), summary(case(id=uuid.UUID(int=64), reference="TM-11"), 1))
    )
    changes.update("task", VISIT, {"title": "Home visit (bring forms)"})
    before = sync.pending_mutations()
    sync.reset_for_resync()
    assert sync.state().cursor is None
    restored = uuid.uuid4()
    everything_but_tasks = [
        full("team", W["team"][TEAM], 1),
        full("team", W["team"][OTHER_TEAM], 1),
        full("user", W["user"][USER], 1),
        full("property", W["property"][PROPERTY], 1),
        full("person", W["person"][PERSON], 1),
        full("household", W["household"][HOUSEHOLD], 1),
    ]
    sync.apply_page(page(*everything_but_tasks, epoch=restored, has_more=True, cursor="r1"))
    assert count(store, "task") == 2  # nothing is swept before the feed's end
    sync.apply_page(
        page(
            full("household_member", W["household_member"][MEMBER], 1),
            full("case", case(), 1),
            epoch=restored,
            cursor="r2",
        )
    )
    # Not sent again: the note and the unedited task; the summary case. The task with a
    # pending edit stays, and so does the case it belongs to.
    assert rows_of(store, "SELECT id FROM task") == [(VISIT.hex,)]
    assert count(store, "note") == 0
    assert count(store, "case_summary") == 0
    assert count(store, "person") == 1
    assert sync.pending_mutations() == before
    state = sync.state()
    assert (state.epoch, state.cursor, state.resyncing) == (restored, "r2", False)


# --- volume -------------------------------------------------------------------------------------


def test_a_large_page_takes_the_bulk_path_and_is_searchable(store: Store, sync: LocalSync) -> None:
    people = [
        full(
            "person",
            new_person(
                1000 + i,
                family_name=f"Family{i:04d}",
                date_of_birth=date(1980, 1, 1) + timedelta(days=i),
            ),
            1,
        )
        for i in range(BULK_PAGE)
    ]
    counts = sync.apply_page(page(*people))
    assert counts.upserted == BULK_PAGE
    assert count(store, "person") == BULK_PAGE + 1
    assert [h.name for h in store.search_persons("family0999")] == ["Person1999 Family0999"]
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar_one() == -32_000
        assert connection.exec_driver_sql("SELECT deferred FROM search_control").scalar_one() == 0


def test_the_record_kinds_the_feed_sends_all_apply(store: Store, sync: LocalSync) -> None:
    assessment = {
        "id": uuid.UUID(int=96),
        "case_id": CASE,
        "form_id": "housing_needs",
        "form_version": 2,
        "answers": {"q1": "yes"},
        "tenant_id": W["person"][PERSON]["tenant_id"],
        "version": 1,
        "updated_at": NOW,
        "deleted": False,
    }
    counts = sync.apply_page(
        page(
            full("assessment", assessment, 1),
            full("task", {**W["task"][TASK], "status": e.TaskStatus.DONE}, 4),
        )
    )
    assert counts.upserted == 2
    assert rows_of(store, "SELECT answers FROM assessment") == [('{"q1": "yes"}',)]


def test_pages_applied_together_are_one_transaction(store: Store, sync: LocalSync) -> None:
    fail_on_insert(store, "person", "NEW.given_name = 'Crash'")
    first = page(full("person", new_person(31), 1), cursor="c1", has_more=True)
    second = page(full("person", new_person(32, given_name="Crash"), 1), cursor="c2")
    with pytest.raises(Exception, match="injected failure"):
        sync.apply_pages([first, second])
    assert count(store, "person") == 1
    assert sync.state().cursor is None
    counts = sync.apply_pages([first, page(full("person", new_person(32), 1), cursor="c2")])
    assert counts.upserted == 2
    assert sync.state().cursor == "c2"


def test_a_case_exit_takes_its_detail_and_summary(store: Store, sync: LocalSync) -> None:
    other = case(id=uuid.UUID(int=65), reference="TM-12")
    sync.apply_page(page(summary(other, 1)))
    sync.apply_page(
        page(gone("case", CASE, 9, exit_=True), gone("case", uuid.UUID(int=65), 2, exit_=True))
    )
    for table in ("case_record", "case_summary", "note", "task"):
        assert count(store, table) == 0, table
    assert count(store, "person") == 1


def test_long_closed_cases_leave_the_laptop_unless_allocated_to_the_user(
    store: Store, sync: LocalSync, clock: FakeClock
) -> None:
    closed = {"status": "closed", "closure_reason": "Done", "closed_at": NOW - timedelta(days=40)}
    mine = case(**closed)
    theirs = case(id=uuid.UUID(int=66), reference="TM-13", officer_id=None, **closed)
    recent = case(
        id=uuid.UUID(int=67),
        reference="TM-14",
        officer_id=None,
        **{**closed, "closed_at": NOW - timedelta(days=3)},
    )
    old_summary = case(
        id=uuid.UUID(int=68),
        reference="TM-15",
        status="closed",
        updated_at=NOW - timedelta(days=40),
    )
    sync.apply_page(
        page(
            full("case", mine, 2),
            full("case", theirs, 2),
            full("case", recent, 2),
            summary(old_summary, 2),
        )
    )
    assert sync.prune_closed_cases(30) == 2
    assert sorted(r[0] for r in rows_of(store, "SELECT reference FROM case_record")) == [
        "TM-000042",
        "TM-14",
    ]
    assert count(store, "case_summary") == 0


def test_only_the_case_with_pending_work_waits_to_become_a_summary(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    other = case(id=uuid.UUID(int=69), reference="TM-16")
    sync.apply_page(page(full("case", other, 1)))
    changes.add_note(CASE, "phone", "Tenant rang.")
    counts = sync.apply_page(page(summary(case(), 7), summary(other, 2), cursor="c2"))
    assert counts.deferred == 1
    assert rows_of(store, "SELECT reference FROM case_record") == [("TM-000042",)]
    assert rows_of(store, "SELECT reference FROM case_summary") == [("TM-16",)]
