"""Desktop screens benchmark: caseload of 20,000, search over 100,000 persons, resident view.

Builds one encrypted store with the synthetic council once (bulk load, untimed), then times
only the UI work, offscreen: a caseload page from construction until its model is filled and
its table painted; a keystroke in the search box until its grouped results are in the model
(debounce included, through the real event loop); a resident with 50 cases from
``show_person`` until the page is painted.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import secrets
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from app.demo import demo_tenant_id, demo_users, generate_council
from app.models.workflow import CASE_TYPES, CLOSED
from app.store.db import Store
from app.store.keys import StoreKey
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.state import Identity
from app.ui.pages.caseload import CaseloadPage
from app.ui.pages.resident import ResidentPage
from app.ui.pages.search import SearchPage
from app.ui.session import StoreEvents, UiSession
from app.views.caseload import CASELOAD_SQL
from bench.common import emit, machine, median, percentile

TODAY = date(2026, 11, 2)
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
TARGETS_MS = {"caseload": 300.0, "search": 50.0, "resident": 200.0}


def build_store(path: Path, persons: int, seed: int) -> Store:
    store = Store.open(path, StoreKey(secrets.token_hex(32), "keyring"))
    store.bulk_load((b.model, b.rows) for b in generate_council(persons, seed, today=TODAY))
    return store


def make_session(store: Store, seed: int) -> UiSession:
    user = next(u for u in demo_users(seed) if u.username == "social.worker")
    identity = Identity(
        server_url="https://platform.test",
        tenant="demo",
        tenant_id=demo_tenant_id(seed),
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        team_id=user.team_id,
        device_id=uuid.UUID(int=12),
    )
    local = LocalSync(store, clock=lambda: NOW)
    local.set_identity(identity)
    changes = LocalChanges(
        store,
        clock=lambda: NOW,
        user_id=user.id,
        device_id=identity.device_id,
        tenant_id=identity.tenant_id,
        allow_test_numbers=True,
        role=user.role,
    )
    return UiSession(store, local, changes, identity, StoreEvents())


def give_caseload(store: Store, user_id: uuid.UUID, size: int) -> int:
    """Allocate ``size`` cases to the user, re-opening closed ones at their type's start."""
    reopen = " ".join(f"WHEN '{code}' THEN '{kind.initial}'" for code, kind in CASE_TYPES.items())
    with store.write_transaction() as connection:
        connection.execute(
            text(
                f"UPDATE case_record SET officer_id = :u, "
                f"status = CASE WHEN status = 'closed' THEN CASE case_type {reopen} END "
                "ELSE status END WHERE rowid IN (SELECT rowid FROM case_record LIMIT :n)"
            ),
            {"u": user_id.hex, "n": size},
        )
        return int(
            connection.execute(
                text(
                    "SELECT count(*) FROM case_record WHERE officer_id = :u AND status != 'closed'"
                ),
                {"u": user_id.hex},
            ).scalar_one()
        )


def give_cases_to_one_resident(store: Store, count: int) -> uuid.UUID:
    """A resident with ``count`` cases (and their notes), as a long-known family has."""
    with store.write_transaction() as connection:
        person = connection.execute(
            text(
                "SELECT subject_person_id FROM case_record GROUP BY subject_person_id "
                "ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar_one()
        connection.execute(
            text(
                "UPDATE case_record SET subject_person_id = :p WHERE rowid IN "
                "(SELECT rowid FROM case_record WHERE subject_person_id != :p LIMIT :n)"
            ),
            {"p": person, "n": count - 1},
        )
        held = connection.execute(
            text("SELECT count(*) FROM case_record WHERE subject_person_id = :p"), {"p": person}
        ).scalar_one()
    assert held >= count
    return uuid.UUID(hex=person)


def wait(signal: object, timeout_ms: int = 30_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def time_caseload_query(session: UiSession, runs: int) -> list[float]:
    """The floor: the caseload's SQL alone through the driver, no Python objects or Qt."""
    params = {"officer": session.identity.user_id.hex, "closed": CLOSED}
    times = []
    with session.store.engine.connect() as connection:
        for _ in range(runs):
            started = time.perf_counter()
            connection.execute(CASELOAD_SQL, params).all()
            times.append(time.perf_counter() - started)
    return times


def time_caseload(session: UiSession, runs: int) -> tuple[list[float], int]:
    times, rows = [], 0
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        page = CaseloadPage(session)
        page.resize(1280, 800)
        wait(page.model.loaded)
        page.grab()  # lays out and paints the visible rows
        times.append(time.perf_counter() - started)
        rows = page.model.rowCount()
        page.deleteLater()
        QApplication.processEvents()
    return times, rows


def search_queries(store: Store, count: int, seed: int) -> list[str]:
    """What officers type: surnames, full names, postcodes, NHS and UPRN prefixes, references."""
    rng = random.Random(seed)
    with store.engine.connect() as connection:
        people = connection.execute(
            text(
                "SELECT p.given_name, p.family_name, p.nhs_number, pr.postcode, pr.uprn "
                "FROM person p JOIN household_member hm ON hm.person_id = p.id "
                "JOIN household h ON h.id = hm.household_id "
                "JOIN property pr ON pr.id = h.property_id ORDER BY random() LIMIT :n"
            ),
            {"n": count},
        ).all()
        references = connection.execute(
            text("SELECT reference FROM case_record ORDER BY random() LIMIT :n"), {"n": count}
        ).scalars()
        refs = list(references)
    queries = []
    for i, (given, family, nhs, postcode, uprn) in enumerate(people):
        kind = i % 6
        if kind == 0:
            queries.append(family[: rng.randint(3, len(family))])
        elif kind == 1:
            queries.append(f"{given} {family[:3]}")
        elif kind == 2:
            queries.append(postcode)
        elif kind == 3 and nhs:
            queries.append(nhs[: rng.randint(4, 10)])
        elif kind == 4 and uprn:
            queries.append(str(uprn)[:8])
        else:
            queries.append(refs[i % len(refs)])
    return queries


def time_search(session: UiSession, queries: list[str]) -> tuple[list[float], list[float]]:
    """Per query: type all but the last character, then time the last keystroke to results."""
    page = SearchPage(session)
    page.resize(1000, 700)
    keystroke, work = [], []
    for query in queries:
        page.box.clear()
        page.box.setText(query[:-1])
        page.search_now()
        QApplication.processEvents()
        gc.collect()
        done: list[float] = []
        loop = QEventLoop()
        page.searched.connect(done.append)
        page.searched.connect(loop.quit)
        started = time.perf_counter()
        QTest.keyClicks(page.box, query[-1])
        loop.exec()  # the debounce timer fires, the search runs, ``searched`` quits the loop
        page.results.doItemsLayout()
        keystroke.append(time.perf_counter() - started)
        work.append(done[0])
        page.searched.disconnect(done.append)
        page.searched.disconnect(loop.quit)
    page.deleteLater()
    return keystroke, work


def time_resident(session: UiSession, person: uuid.UUID, runs: int) -> tuple[list[float], int]:
    times, cases = [], 0
    page = ResidentPage(session)
    page.resize(1280, 1000)
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        page.show_person(person)
        page.grab()
        times.append(time.perf_counter() - started)
        cases = page.cases_model.rowCount()
    page.deleteLater()
    return times, cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--caseload", type=int, default=20_000)
    parser.add_argument("--resident-cases", type=int, default=50)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        store = build_store(Path(folder) / "store.db", args.persons, args.seed)
        session = make_session(store, args.seed)
        caseload_size = give_caseload(store, session.identity.user_id, args.caseload)
        person = give_cases_to_one_resident(store, args.resident_cases)
        queries = search_queries(store, args.queries, args.seed)
        setup = time.perf_counter() - started

        floor = time_caseload_query(session, args.runs)
        caseload, rows = time_caseload(session, args.runs)
        keystroke, work = time_search(session, queries)
        resident, cases = time_resident(session, person, args.runs)
        store.close()
    del app

    ms = 1000.0
    figures = {
        "caseload_ms_median": median(caseload) * ms,
        "caseload_rows": rows,
        "caseload_sql_floor_ms_median": median(floor) * ms,
        "search_keystroke_ms_median": median(keystroke) * ms,
        "search_keystroke_ms_p95": percentile(keystroke, 95) * ms,
        "search_query_ms_median": median(work) * ms,
        "search_query_ms_p95": percentile(work, 95) * ms,
        "resident_ms_median": median(resident) * ms,
        "resident_cases": cases,
    }
    runs = {
        "caseload_ms": [round(t * ms, 1) for t in caseload],
        "caseload_sql_ms": [round(t * ms, 1) for t in floor],
        "resident_ms": [round(t * ms, 1) for t in resident],
    }
    result = {
        "persons": args.persons,
        "caseload_requested": args.caseload,
        "caseload_open_cases": caseload_size,
        "queries": len(queries),
        "runs": args.runs,
        "setup_s": setup,
        "figures": figures,
        "runs_ms": runs,
        "targets_ms": TARGETS_MS,
        "load_average": os.getloadavg(),
        "machine": machine(),
    }
    lines = [
        f"store: {args.persons:,} persons, built in {setup:.1f} s (untimed); "
        f"load average {os.getloadavg()[0]:.2f}",
        f"caseload of {rows:,} cases shown: median {figures['caseload_ms_median']:.0f} ms "
        f"of {args.runs} (target < {TARGETS_MS['caseload']:.0f} ms); its SQL alone "
        f"{figures['caseload_sql_floor_ms_median']:.0f} ms",
        f"search keystroke to results ({len(queries)} queries, debounce included): "
        f"median {figures['search_keystroke_ms_median']:.1f} ms, "
        f"p95 {figures['search_keystroke_ms_p95']:.1f} ms "
        f"(target < {TARGETS_MS['search']:.0f} ms); query + model alone median "
        f"{figures['search_query_ms_median']:.1f} ms, p95 {figures['search_query_ms_p95']:.1f} ms",
        f"resident view with {cases} cases shown: median {figures['resident_ms_median']:.0f} ms "
        f"of {args.runs} (target < {TARGETS_MS['resident']:.0f} ms)",
    ]
    emit(result, as_json=args.json, lines=lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
