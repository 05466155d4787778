"""Pull: pages and cursors, collapsed versions, tombstones, projections, scope exits, errors."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from app.models import entities as e
from app.models.registry import BY_NAME
from app.sync import codec
from app.sync.protocol import MAX_PAGE, Cursor
from server.auth import principal_for_device
from server.models import ChangeLog
from server.problems import Problem
from server.sync.pull import feed_page
from server.users import change_user_scope
from tests.server.conftest import settings_for
from tests.server.world import World, as_user, mutation

pytestmark = pytest.mark.postgres

PULL = "/api/v1/sync/pull"


def test_pages_follow_the_cursor_and_serve_each_record_once(world: World) -> None:
    officer = world.user(world.team())
    persons = {world.person(given_name=f"P{i}") for i in range(25)}

    first = world.pull(officer, limit=10)
    quiet = world.pull(officer, first, limit=10)
    later = world.person(given_name="Later")
    fresh = world.pull(officer, quiet, limit=10)

    pulled = [c.id for c in first.changes if c.entity == "person"]
    assert sorted(pulled) == sorted(persons)
    assert len(pulled) == len(set(pulled))
    assert quiet.changes == []
    assert quiet.cursor == first.cursor
    assert [c.id for c in fresh.changes] == [later]


def test_pages_are_limited_and_say_whether_more_follow(world: World) -> None:
    officer = world.user(world.team())
    for i in range(5):
        world.person(given_name=f"P{i}")
    world.settle()

    with world.client() as http:
        page = http.get(PULL, params={"limit": 3}, headers=as_user(officer)).json()
        rest = http.get(
            PULL, params={"limit": 3, "cursor": page["cursor"]}, headers=as_user(officer)
        ).json()
        too_big = http.get(PULL, params={"limit": MAX_PAGE + 1}, headers=as_user(officer))

    assert (len(page["changes"]), page["has_more"]) == (3, True)
    # team, user and five persons: seven entries in all.
    assert (len(rest["changes"]), rest["has_more"]) == (3, True)
    assert too_big.status_code == 422


def test_superseded_versions_are_collapsed_to_the_current_one(world: World) -> None:
    officer = world.user(world.team())
    pid = world.person(phone="0")
    client = uuid.uuid4()
    for n in range(1, 4):
        world.push(
            officer,
            client,
            mutation(
                n,
                "person",
                pid,
                "update",
                {"phone": str(n)},
                base={"phone": str(n - 1)},
                base_version=n,
            ),
        )

    feed = world.pull(officer, limit=2)

    served = [c for c in feed.changes if c.id == pid]
    assert len(served) == 1
    assert served[0].version == 4
    assert served[0].fields is not None
    assert served[0].fields["phone"] == "3"


def test_deletes_arrive_as_tombstones(world: World) -> None:
    officer = world.user(world.team())
    pid = world.person()
    start = world.pull(officer)

    world.push(officer, uuid.uuid4(), mutation(1, "person", pid, "delete", base_version=1))
    after = world.pull(officer, start)

    tombstone = after.get("person", pid)
    assert tombstone is not None
    assert (tombstone.deleted, tombstone.fields, tombstone.version) == (True, None, 2)


def test_other_teams_cases_carry_only_summary_fields(world: World) -> None:
    owners, others = world.team(), world.team()
    outsider = world.user(others)
    case_id = world.case(owners, world.person(), summary="Private")

    case = world.pull(outsider).get("case", case_id)

    assert case is not None
    assert case.scope == "summary"
    assert case.fields is not None
    assert "summary" not in case.fields
    assert "officer_id" not in case.fields
    assert case.fields["status"] == "open"


def test_reassigning_a_case_moves_its_detail_between_teams(world: World) -> None:
    old_team, new_team = world.team(), world.team()
    old_officer = world.user(old_team)
    new_officer = world.user(new_team)
    lead = world.user(old_team, e.Role.TEAM_LEAD)
    case_id = world.case(old_team, world.person())
    note_id = world.note(case_id, old_officer.user_id)
    old_start, new_start = world.pull(old_officer), world.pull(new_officer)
    assert old_start.get("case", case_id).scope == "full"  # type: ignore[union-attr]
    assert new_start.get("case", case_id).scope == "summary"  # type: ignore[union-attr]

    transfer = {
        "case_id": case_id,
        "to_team_id": new_team,
        "reason": "Moved to the team covering the new address",
        "allocated_by_id": lead.user_id,
    }
    moved = world.push(
        lead,
        uuid.uuid4(),
        mutation(1, "allocation", uuid.uuid4(), "create", transfer),
        mutation(
            2,
            "case",
            case_id,
            "update",
            {"owning_team_id": new_team},
            base={"owning_team_id": old_team},
            base_version=1,
        ),
    )
    old_after, new_after = world.pull(old_officer, old_start), world.pull(new_officer, new_start)

    assert [r.outcome for r in moved.results] == ["applied", "applied"]
    assert old_after.get("case", case_id).scope == "summary"  # type: ignore[union-attr]
    assert note_id not in old_after.ids("note")
    assert new_after.get("case", case_id).scope == "full"  # type: ignore[union-attr]
    assert note_id in new_after.ids("note")


def test_sealing_a_person_sends_exits_for_everything_about_them(world: World) -> None:
    team = world.team()
    officer = world.user(team)
    lead = world.user(team, e.Role.TEAM_LEAD, may_view_sealed=True)
    person = world.person()
    _household, member = world.household(person)
    marker = world.marker(person, officer.user_id)
    case_id = world.case(team, person)
    start = world.pull(officer)

    sealed = world.push(
        lead,
        uuid.uuid4(),
        mutation(
            1, "person", person, "update", {"sealed": True}, base={"sealed": False}, base_version=1
        ),
    )
    after = world.pull(officer, start)
    named = world.pull(lead, world.pull(lead))

    assert sealed.results[0].outcome == "applied"
    exits = {c.id for c in after.changes if c.scope == "exit"}
    assert {person, member, marker, case_id} <= exits
    assert all(c.fields is None for c in after.changes if c.scope == "exit")
    assert named.changes == []  # nothing new for a named user after their own full pull


def test_a_cursor_of_another_epoch_must_resync(world: World) -> None:
    officer = world.user(world.team())
    stale = Cursor(uuid.uuid4(), 0, 0).encode()

    with world.client() as http:
        response = http.get(PULL, params={"cursor": stale}, headers=as_user(officer))

    assert response.status_code == 409
    assert response.json()["type"].endswith("/resync-required")


@pytest.mark.parametrize(
    "cursor", ["garbage", "djE6eHl6", Cursor(uuid.uuid4(), 1, 2).encode()[:-3]]
)
def test_a_cursor_the_platform_did_not_make_is_a_bad_request(world: World, cursor: str) -> None:
    officer = world.user(world.team())

    with world.client() as http:
        response = http.get(PULL, params={"cursor": cursor}, headers=as_user(officer))

    assert response.status_code == 400
    assert response.json()["type"].endswith("/bad-cursor")


def test_pages_are_gzipped_for_clients_that_accept_it(world: World) -> None:
    officer = world.user(world.team())
    for i in range(30):
        world.person(given_name=f"Person {i}")
    world.settle()

    with world.client() as http:
        zipped = http.get(PULL, headers={**as_user(officer), "Accept-Encoding": "gzip"})
        plain = http.get(PULL, headers={**as_user(officer), "Accept-Encoding": "identity"})

    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert zipped.json() == plain.json()
    assert len(zipped.json()["changes"]) == 32


def test_conflicts_are_served_to_the_loser_and_the_owning_teams_leads(world: World) -> None:
    team, other = world.team(), world.team()
    winner, loser = world.user(team), world.user(team)
    lead, other_lead = world.user(team, e.Role.TEAM_LEAD), world.user(other, e.Role.TEAM_LEAD)
    case_id = world.case(team, world.person(), summary="Start")
    edit: dict[str, Any] = {"base": {"summary": "Start"}, "base_version": 1}
    world.push(
        winner, uuid.uuid4(), mutation(1, "case", case_id, "update", {"summary": "A"}, **edit)
    )
    lost = world.push(
        loser, uuid.uuid4(), mutation(1, "case", case_id, "update", {"summary": "B"}, **edit)
    )
    conflict_id = lost.results[0].conflicts[0].conflict_id

    served = {who: world.pull(who).ids("conflict") for who in (winner, loser, lead, other_lead)}
    with world.client() as http:
        listed = http.get("/api/v1/conflicts", headers=as_user(lead)).json()["conflicts"]

    assert served[loser] == {conflict_id}
    assert served[lead] == {conflict_id}
    assert served[winner] == set()
    assert served[other_lead] == set()
    assert [(c["id"], c["fields"]["mine"], c["fields"]["theirs"]) for c in listed] == [
        (str(conflict_id), "B", "A")
    ]


def test_feed_fields_are_exactly_the_codecs_wire_values(world: World) -> None:
    team = world.team()
    officer = world.user(team)
    person = world.person(date_of_birth=date(1980, 2, 29), email="megan@example.org")
    case_id = world.case(
        team,
        person,
        target_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),  # no microseconds
        closed_at=datetime(2026, 3, 2, 9, 0, 0, 120, tzinfo=UTC),
    )
    world.settle()

    with world.client() as http:
        page = http.get(PULL, headers=as_user(officer)).json()

    served = {(c["entity"], c["id"]): c["fields"] for c in page["changes"]}
    for entity, record_id in (("person", person), ("case", case_id)):
        row = world.row(entity, record_id)
        assert row is not None
        wire = codec.encode(BY_NAME[entity].model, row)
        expected = {
            k: val for k, val in wire.items() if k not in ("id", "tenant_id", "version", "deleted")
        }
        assert served[(entity, str(record_id))] == expected


def test_push_and_pull_work_on_sqlite(sqlite_platform_engine: sa.Engine) -> None:
    sqlite = World(sqlite_platform_engine, settings_for(sqlite_platform_engine))
    team = sqlite.team()
    officer = sqlite.user(team)
    case_id = sqlite.case(team, sqlite.person())
    start = sqlite.pull(officer)
    note_id = uuid.uuid4()

    answer = sqlite.push(
        officer,
        uuid.uuid4(),
        mutation(
            1,
            "note",
            note_id,
            "create",
            {
                "case_id": case_id,
                "kind": "visit",
                "text": "Seen.",
                "visibility": "service",
                "created_at": "2026-01-05T10:00:00Z",
            },
        ),
        mutation(
            2,
            "case",
            case_id,
            "transition",
            {"status": "investigating"},
            base={"status": "open"},
            base_version=1,
        ),
    )
    after = sqlite.pull(officer, start, limit=1)

    assert case_id in start.ids("case")
    assert [r.outcome for r in answer.results] == ["applied", "applied"]
    assert after.ids("note") == {note_id}
    assert after.get("case", case_id).fields["status"] == "investigating"  # type: ignore[union-attr,index]


def _feed_end(world: World) -> tuple[int, int]:
    """The (xid, seq) of the tenant's last change-log entry."""
    log = ChangeLog.__table__
    with world.sessions() as session:
        row = session.execute(
            sa.select(log.c.xid, log.c.seq)
            .where(log.c.tenant_id == world.tenant_id)
            .order_by(log.c.xid.desc(), log.c.seq.desc())
            .limit(1)
        ).one()
    return int(row.xid), int(row.seq)


def test_the_cursor_moves_past_entries_the_reader_may_not_see(world: World) -> None:
    mine, theirs = world.team(), world.team()
    officer, other = world.user(mine), world.user(theirs)
    start = world.pull(officer)
    case_id = world.case(theirs, world.person())
    start = world.pull(officer, start)
    for _ in range(5):
        world.note(case_id, other.user_id)

    after = world.pull(officer, start, limit=2)

    assert after.changes == []
    position = Cursor.decode(after.cursor or "")
    # Not where the last visible entry was: the end of what the scan read, so the next
    # pull does not read those five notes again.
    assert (position.xid, position.seq) == _feed_end(world)
    assert Cursor.decode(start.cursor or "").seq < position.seq
    assert world.pull(other, limit=2).ids("note") != set()


def test_summary_readers_get_a_case_only_when_its_summary_changes(world: World) -> None:
    owners, others, third = world.team(), world.team(), world.team()
    officer, lead = world.user(owners), world.user(owners, e.Role.TEAM_LEAD)
    outsider = world.user(others)
    case_id = world.case(owners, world.person(), summary="Start")
    officer_start, outsider_start = world.pull(officer), world.pull(outsider)
    assert outsider_start.get("case", case_id).scope == "summary"  # type: ignore[union-attr]
    client = uuid.uuid4()
    edit = mutation(
        1,
        "case",
        case_id,
        "update",
        {"summary": "Visited"},
        base={"summary": "Start"},
        base_version=1,
    )

    world.push(officer, client, edit)
    officer_after, outsider_after = (
        world.pull(officer, officer_start),
        world.pull(outsider, outsider_start),
    )

    assert officer_after.get("case", case_id).version == 2  # type: ignore[union-attr]
    assert outsider_after.changes == []

    # A summary change (v3) followed by one the outsider does not see (v4): the summary
    # still arrives, at the version current when it is served.
    transfer = {
        "case_id": case_id,
        "to_team_id": third,
        "reason": "Handed to the team covering the new address",
        "allocated_by_id": lead.user_id,
    }
    moved = mutation(
        2,
        "case",
        case_id,
        "update",
        {"owning_team_id": third},
        base={"owning_team_id": owners},
        base_version=2,
    )
    world.push(
        lead, uuid.uuid4(), mutation(1, "allocation", uuid.uuid4(), "create", transfer), moved
    )
    third_officer = world.user(third)
    world.push(
        third_officer,
        uuid.uuid4(),
        mutation(
            1,
            "case",
            case_id,
            "update",
            {"summary": "Handed over"},
            base={"summary": "Visited"},
            base_version=3,
        ),
    )
    outsider_last = world.pull(outsider, outsider_after)

    served = outsider_last.get("case", case_id)
    assert served is not None
    assert served.scope == "summary"
    assert served.fields is not None
    assert served.fields["owning_team_id"] == str(third)
    assert served.version == 4


def test_a_user_moved_to_another_team_resyncs_into_their_new_scope(world: World) -> None:
    old_team, new_team = world.team(), world.team(service="tenancy_management")
    officer, colleague = world.user(old_team), world.user(new_team)
    old_case = world.case(old_team, world.person())
    new_case = world.case(new_team, world.person())
    old_note = world.note(old_case, officer.user_id)
    new_note = world.note(new_case, colleague.user_id)
    before = world.pull(officer)
    assert old_note in before.ids("note")
    assert new_note not in before.ids("note")

    with world.sessions.begin() as session:
        changed = change_user_scope(
            session, world.tenant_id, officer.user_id, team_id=new_team, now=datetime.now(UTC)
        )
    with world.sessions() as session:
        moved = principal_for_device(session, officer.device_id)
    assert changed
    assert moved is not None
    assert moved.team_id == new_team

    # The old cursor no longer serves: the laptop must pull its new scope from the start.
    with pytest.raises(Problem) as refused, world.sessions.begin() as session:
        feed_page(session, moved, before.cursor, 100)
    assert refused.value.code == "resync-required"
    after = world.pull(moved)

    assert new_note in after.ids("note")
    assert old_note not in after.ids("note")
    assert after.get("case", new_case).scope == "full"  # type: ignore[union-attr]
    assert after.get("case", old_case).scope == "summary"  # type: ignore[union-attr]
    # Nothing changed for anyone else: their cursors carry on.
    assert world.pull(colleague, world.pull(colleague)).changes == []
