"""Team lead work between real laptops and the real platform: allocation moves a case between
laptops, a lead's approval travels, and a field officer's lead-only change is refused."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from app.models import entities as e
from app.views.referrals import case_for_referral, load_inbox
from tests.server.world import wait_for_feed
from tests.sync.conftest import rows_of
from tests.sync.team_world import (
    colleague_of,
    demo_user,
    officer_of_another_team,
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

# Fixtures this module uses, imported from where they are defined.
__all__ = [
    "laptops",
    "make_client",
    "pg_platform_template",
    "seeded_pg",
    "seeded_pg_template",
    "sleeper",
    "wire",
]

pytestmark = pytest.mark.postgres


def test_a_transfer_moves_the_case_between_laptops_after_pending_changes_are_in(
    laptops: Callable[[str], Laptop], seeded_pg: sa.Engine
) -> None:
    officer = demo_user("housing.officer")
    receiver = officer_of_another_team(officer)
    old = signed_in(laptops, "old", officer)
    lead = signed_in(laptops, "lead", demo_user("team.lead"))
    new = signed_in(laptops, "new", receiver)
    case = old.my_case()
    assert not new.has("case_record", case)

    lead.changes().allocate(
        case, receiver.id, "Tenant moved into the south patch", team_id=receiver.team_id
    )
    assert lead.engine.run_cycle().rejected == 0
    wait_for_feed(seeded_pg)  # other transactions on the shared server hold the feed back
    new.engine.run_cycle()

    assert new.has("case_record", case)
    history = rows_of(
        new.store,
        "SELECT reason, from_officer_id, to_officer_id FROM allocation WHERE case_id = ?",
        case.hex,
    )
    assert history == [("Tenant moved into the south patch", officer.id.hex, receiver.id.hex)]

    # The old officer writes a note while the exit is on its way: the case must stay until
    # that note has been answered by the platform.
    written: list[uuid.UUID] = []

    def writes_during_the_pull(phase: str, done: int, total: int | None) -> None:
        if phase == "pull" and not written:
            written.append(old.changes().add_note(case, "visit", "Called round; no answer."))

    old.engine.progress = writes_during_the_pull
    wait_for_feed(seeded_pg)
    old.engine.run_cycle()
    assert written, "the note was written during the pull"
    assert old.has("case_record", case), "kept while the note is pending"
    assert old.local.status().pending == 1

    old.engine.progress = lambda *event: None
    old.engine.run_cycle()

    assert old.local.status().pending == 0
    # The note was answered: the case is no longer the old officer's, so the platform refused
    # it, and the refusal is kept for them to see rather than lost.
    refused = [r for r in old.local.rejected() if r.record_id == written[0]]
    assert [r.code for r in refused] == ["forbidden"]
    assert not old.has("case_record", case)
    assert rows_of(old.store, "SELECT count(*) FROM case_summary WHERE id = ?", case.hex) == [(1,)]


def test_a_field_officer_allocating_is_refused_by_the_platform(
    laptops: Callable[[str], Laptop], seeded_pg: sa.Engine
) -> None:
    officer = demo_user("housing.officer")
    colleague = colleague_of(officer)
    old = signed_in(laptops, "officer", officer)
    case = old.my_case()
    # A laptop whose role is out of date (or tampered with) offers the lead's action; the
    # platform, not the button, is what refuses it.
    forged = old.changes()
    forged.role = str(e.Role.TEAM_LEAD)
    forged.allocate(case, colleague.id, "I would rather not")

    report = old.engine.run_cycle()

    assert report.rejected == 2
    refused = {r.entity: (r.code, [x["field"] for x in r.errors]) for r in old.local.rejected()}
    assert refused == {
        "allocation": ("forbidden", ["case_id"]),
        "case": ("forbidden", ["officer_id"]),
    }
    # The laptop undid its own change: the case is with the officer again.
    assert rows_of(old.store, "SELECT officer_id FROM case_record WHERE id = ?", case.hex) == [
        (officer.id.hex,)
    ]
    with seeded_pg.connect() as connection:
        kept = connection.execute(
            sa.select(e.Case.officer_id).where(e.Case.id == case)
        ).scalar_one()
        allocations = connection.execute(
            sa.select(sa.func.count()).select_from(e.Allocation).where(e.Allocation.case_id == case)
        ).scalar_one()
    assert (kept, allocations) == (officer.id, 0)


def test_a_field_officer_allocating_a_referral_is_refused_by_the_platform(
    laptops: Callable[[str], Laptop], seeded_pg: sa.Engine
) -> None:
    officer = demo_user("housing.officer")
    colleague = colleague_of(officer)
    sent = referred_to(laptops, seeded_pg, officer)
    laptop = signed_in(laptops, "officer", officer)
    referral = next(r for r in load_inbox(laptop.store, officer.team_id) if r.id == sent)
    forged = laptop.changes()
    # A laptop that wrongly believes its user is a lead offers the lead's action.
    forged.role = str(e.Role.TEAM_LEAD)
    case = uuid.uuid4()
    fields = case_for_referral(
        referral,
        team_id=officer.team_id,
        officer_id=colleague.id,
        today=forged.clock().date(),
        case_id=case,
    )
    forged.allocate_referral(referral.id, fields, case, colleague.id, "Suits her patch")

    laptop.engine.run_cycle()

    refused = {r.entity: (r.code, [x["field"] for x in r.errors]) for r in laptop.local.rejected()}
    assert refused == {
        "allocation": ("forbidden", ["case_id"]),
        "case": ("forbidden", ["officer_id"]),
    }
    # Accepting a referral into the team's queue is an officer's right; allocating is not: the
    # case stands unallocated on the platform, with no allocation record, for a lead to allocate.
    with seeded_pg.connect() as connection:
        holder = connection.execute(
            sa.select(e.Case.officer_id, e.Case.owning_team_id).where(e.Case.id == case)
        ).one()
        allocations = connection.execute(
            sa.select(sa.func.count()).select_from(e.Allocation).where(e.Allocation.case_id == case)
        ).scalar_one()
    assert (tuple(holder), allocations) == ((None, officer.team_id), 0)
    assert rows_of(laptop.store, "SELECT officer_id FROM case_record WHERE id = ?", case.hex) == [
        (None,)
    ]


def test_a_reassignment_in_the_team_takes_supervision_notes_off_the_old_laptop(
    laptops: Callable[[str], Laptop], seeded_pg: sa.Engine
) -> None:
    officer = demo_user("housing.officer")
    colleague = colleague_of(officer)
    old = signed_in(laptops, "old", officer)
    lead = signed_in(laptops, "lead", demo_user("team.lead"))
    new = signed_in(laptops, "new", colleague)
    case = old.my_case()
    note = lead.changes().add_supervision_note(case, "Review the arrears plan weekly.")
    assert lead.engine.run_cycle().rejected == 0
    wait_for_feed(seeded_pg)
    old.engine.run_cycle()
    new.engine.run_cycle()
    assert old.has("supervision_note", note)
    assert not new.has("supervision_note", note)

    lead.changes().allocate(case, colleague.id, "Rebalancing after a new starter")
    assert lead.engine.run_cycle().rejected == 0
    wait_for_feed(seeded_pg)
    old.engine.run_cycle()
    new.engine.run_cycle()

    # Both still read the case (it stays with their team); the supervision moved with it.
    assert old.has("case_record", case)
    assert new.has("case_record", case)
    assert not old.has("supervision_note", note)
    assert new.has("supervision_note", note)
