"""Store benchmark: bulk load and prefix search over a synthetic council, beside sqlite3's floor."""

from __future__ import annotations

import argparse
import gc
import random
import secrets
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from app.demo import generate_council
from app.store import search
from app.store.db import BULK_BEGIN, BULK_END, CACHE_KIB, Store, migrate
from app.store.keys import StoreKey
from app.store.rows import insert_plan, to_parameters
from bench.common import emit, machine, median, percentile

Rows = list[tuple[Any, list[dict[str, Any]]]]


def complete_rows(persons: int, seed: int) -> Rows:
    """Materialise the council once, so both paths insert exactly the same rows.

    Left-out columns take their defaults in ``rows.to_parameters``, which both paths use.
    """
    return [
        (batch.model, batch.rows)
        for batch in generate_council(persons, seed, today=date(2026, 11, 2))
    ]


def floor_load(path: Path, batches: Rows) -> float:
    """Seconds for stdlib sqlite3 to run the store's bulk-load statements on an unencrypted file.

    Same schema, same rows (converted before the clock starts), same search re-indexing: what
    remains between this and the store is SQLCipher, SQLAlchemy and our own conversion.
    """
    engine = create_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    prepared = []
    for model, rows in batches:
        table = model.__table__
        sql = insert_plan(table).sql
        prepared.append((sql, to_parameters(table, rows), search.touched_ids(table.name, rows)))
    connection = sqlite3.connect(path, isolation_level=None)
    # The store's own pragmas, so the floor differs from it only by the stack.
    pragmas = (
        "journal_mode=WAL",
        "foreign_keys=ON",
        "synchronous=NORMAL",
        f"cache_size=-{CACHE_KIB}",
    )
    for pragma in pragmas:
        connection.execute(f"PRAGMA {pragma}")
    gc.collect()
    started = time.perf_counter()
    connection.execute("BEGIN")
    for statement in BULK_BEGIN:
        connection.execute(statement)
    for sql, tuples, touched in prepared:
        if tuples:
            connection.executemany(sql, tuples)
        if touched:
            connection.executemany(search.TOUCH, touched)
    for statement in BULK_END:
        connection.execute(statement)
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def store_load(path: Path, batches: Rows) -> tuple[float, Store]:
    """Seconds for Doorstep's own bulk load into a new encrypted store."""
    store = Store.open(path, StoreKey(secrets.token_hex(32), "keyring"))
    gc.collect()
    started = time.perf_counter()
    store.bulk_load(batches)
    return time.perf_counter() - started, store


def search_queries(batches: Rows, count: int, seed: int) -> list[str]:
    """What officers type: name prefixes, full names, postcodes, NHS and UPRN prefixes."""
    rng = random.Random(seed)
    persons = next(rows for model, rows in batches if model.__tablename__ == "person")
    properties = next(rows for model, rows in batches if model.__tablename__ == "property")
    queries = []
    for i in range(count):
        person = rng.choice(persons)
        prop = rng.choice(properties)
        kind = i % 6
        if kind == 0:
            queries.append(person["family_name"][: rng.randint(2, 4)])
        elif kind == 1:
            queries.append(f"{person['given_name']} {person['family_name'][:3]}")
        elif kind == 2:
            queries.append(prop["postcode"][: rng.randint(3, 6)])
        elif kind == 3:
            queries.append((person["nhs_number"] or "999")[: rng.randint(4, 7)])
        elif kind == 4:
            queries.append(str(prop["uprn"])[: rng.randint(5, 9)])
        else:
            queries.append(person["given_name"][:1])
    return queries


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="load runs of each path")
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    batches = complete_rows(args.persons, args.seed)
    generate_s = time.perf_counter() - started
    records = sum(len(rows) for _, rows in batches)

    floor_times: list[float] = []
    store_times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        store: Store | None = None
        for run in range(args.repeat):
            # Alternate the two paths so drift on this shared machine hits both alike.
            floor_times.append(floor_load(Path(tmp) / f"floor{run}.db", batches))
            if store is not None:
                store.close()
            elapsed, store = store_load(Path(tmp) / f"store{run}.db", batches)
            store_times.append(elapsed)
        assert store is not None
        counts = store.check().counts
        assert counts["person"] == args.persons, counts

        queries = search_queries(batches, args.queries, args.seed)
        for query in queries[:50]:  # warm the page cache as a running app would be
            store.search_persons(query)
        latencies = []
        hits = 0
        for query in queries:
            t0 = time.perf_counter()
            found = store.search_persons(query)
            latencies.append((time.perf_counter() - t0) * 1000)
            hits += bool(found)
        store.close()

    floor_s, store_s = median(floor_times), median(store_times)
    result = {
        "benchmark": "store",
        "machine": machine(),
        "persons": args.persons,
        "records": records,
        "generate_s": round(generate_s, 2),
        "load": {
            "runs": args.repeat,
            "store_s_median": round(store_s, 3),
            "floor_s_median": round(floor_s, 3),
            "store_records_per_s": round(records / store_s),
            "floor_records_per_s": round(records / floor_s),
            "ratio_to_floor": round(store_s / floor_s, 2),
            "target_ratio": 2.0,
        },
        "search": {
            "queries": len(latencies),
            "queries_with_hits": hits,
            "p50_ms": round(percentile(latencies, 50), 2),
            "p95_ms": round(percentile(latencies, 95), 2),
            "max_ms": round(max(latencies), 2),
            "target_p95_ms": 15.0,
        },
    }
    load, search = result["load"], result["search"]
    emit(
        result,
        as_json=args.json,
        lines=[
            f"machine: {result['machine']['cpu']} x{result['machine']['cores']}",
            f"synthetic council: {args.persons:,} persons, {records:,} records "
            f"(generated in {generate_s:.1f} s)",
            f"bulk load, median of {args.repeat}: encrypted store {store_s:.2f} s "
            f"({load['store_records_per_s']:,} records/s); sqlite3 floor {floor_s:.2f} s "
            f"({load['floor_records_per_s']:,} records/s); ratio {load['ratio_to_floor']}x "
            "(target <= 2x)",
            f"prefix search over {args.persons:,} persons, {len(latencies)} queries: "
            f"p50 {search['p50_ms']} ms, p95 {search['p95_ms']} ms, max {search['max_ms']} ms "
            f"(target p95 <= 15 ms); {hits} returned results",
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
