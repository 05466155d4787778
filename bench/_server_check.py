"""The end-of-run check for bench/server.py: nothing acknowledged is lost or applied twice."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import URL

from bench._server_infra import connect
from bench._server_load import Edit, LoadResult

EDITED = {"case": ("case_record", "summary"), "task": ("task", "title")}
"""Entity -> (table, field) of the edits the laptops make."""

BUMPS = ("applied", "merged")
"""Outcomes of a one-field edit with a value never sent before that change the record: each
makes exactly one new version (a conflict keeps the platform's value and version)."""


@dataclass
class Ledger:
    """Every answer of every load process, merged."""

    notes: dict[str, tuple[str, str]] = field(default_factory=dict)
    unacknowledged: set[str] = field(default_factory=set)
    edits: list[Edit] = field(default_factory=list)
    answers: dict[str, dict[int, str]] = field(default_factory=dict)
    last_sent: dict[str, int] = field(default_factory=dict)
    conflicts: list[tuple[str, str, int]] = field(default_factory=list)

    @classmethod
    def merge(cls, results: list[LoadResult]) -> Ledger:
        """One ledger from every process's results."""
        ledger = cls()
        for result in results:
            ledger.notes.update(result.notes)
            ledger.unacknowledged |= result.unacknowledged
            ledger.edits += result.edits
            ledger.answers.update(result.answers)
            ledger.last_sent.update(result.last_sent)
            ledger.conflicts += result.conflicts
        return ledger


def baseline_versions(url: URL, tenant_id: uuid.UUID) -> dict[str, dict[str, int]]:
    """Version of every case and task before the run (entity -> id -> version)."""
    found: dict[str, dict[str, int]] = {}
    with connect(url) as conn:
        for entity, (table, _field) in EDITED.items():
            rows = conn.execute(
                f"SELECT id::text, version FROM {table} WHERE tenant_id = %s", (tenant_id,)
            )
            found[entity] = dict(rows.fetchall())
    return found


class _Problems:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.examples: list[str] = []

    def add(self, kind: str, example: str) -> None:
        self.counts[kind] += 1
        if len(self.examples) < 20:
            self.examples.append(f"{kind}: {example}")


def check(
    url: URL,
    tenant_id: uuid.UUID,
    tag: str,
    ledger: Ledger,
    baseline: dict[str, dict[str, int]],
) -> dict[str, Any]:
    """Compare every acknowledged answer with the database; ``ok`` only if all agree."""
    problems = _Problems()
    with connect(url) as conn:
        summary: dict[str, Any] = {
            "notes": _check_notes(conn, tag, ledger, problems),
            "edits": _check_edits(conn, ledger, baseline, problems),
            "answers": _check_answers(conn, ledger, problems),
            "conflicts": _check_conflicts(conn, ledger, problems),
        }
        duplicates = conn.execute(
            "SELECT entity, record_id::text, version, count(*) FROM change_log "
            "WHERE tenant_id = %s GROUP BY 1, 2, 3 HAVING count(*) > 1 LIMIT 20",
            (tenant_id,),
        ).fetchall()
        for entity, record_id, version, count in duplicates:
            problems.add("duplicate feed entry", f"{entity} {record_id} v{version} x{count}")
    summary["ok"] = not problems.counts
    summary["problems"] = dict(problems.counts)
    summary["examples"] = problems.examples
    return summary


def _check_notes(conn: Any, tag: str, ledger: Ledger, problems: _Problems) -> dict[str, int]:
    """Every acknowledged note is there once, as sent, with one audit event; no strays."""
    acknowledged = ledger.notes
    ids = list(acknowledged)
    stored = {
        note_id: (case_id, text)
        for note_id, case_id, text in conn.execute(
            "SELECT id::text, case_id::text, text FROM note WHERE id = ANY(%s::uuid[])", (ids,)
        )
    }
    for note_id, sent in acknowledged.items():
        if note_id not in stored:
            problems.add("note lost", note_id)
        elif stored[note_id] != sent:
            problems.add("note differs", note_id)
    tagged = {
        row[0]
        for row in conn.execute("SELECT id::text FROM note WHERE text LIKE %s", (f"bench {tag} %",))
    }
    for note_id in tagged - set(acknowledged) - ledger.unacknowledged:
        problems.add("note never acknowledged", note_id)
    audits = dict(
        conn.execute(
            "SELECT entity_id::text, count(*) FROM audit_event WHERE entity = 'note' "
            "AND action = 'create' AND entity_id = ANY(%s::uuid[]) GROUP BY 1",
            (ids,),
        ).fetchall()
    )
    logged = dict(
        conn.execute(
            "SELECT record_id::text, count(*) FROM change_log WHERE entity = 'note' "
            "AND record_id = ANY(%s::uuid[]) GROUP BY 1",
            (ids,),
        ).fetchall()
    )
    for note_id in ids:
        if audits.get(note_id, 0) != 1:
            problems.add("note audit events", f"{note_id}: {audits.get(note_id, 0)}")
        if logged.get(note_id, 0) != 1:
            problems.add("note feed entries", f"{note_id}: {logged.get(note_id, 0)}")
    return {"acknowledged": len(ids), "found": len(stored), "tagged_in_db": len(tagged)}


def _check_edits(
    conn: Any, ledger: Ledger, baseline: dict[str, dict[str, int]], problems: _Problems
) -> dict[str, int]:
    """Per edited record: each applied edit made one version, the last one's value stands.

    The versions the platform returned for the edits that changed a record must be exactly
    base+1 .. its version now, each once (none lost, none applied twice); the feed must hold
    one entry per version and the audit trail one update per edit; the record must hold the
    value of the edit that made its current version.
    """
    by_record: dict[tuple[str, str], list[Edit]] = defaultdict(list)
    for edit in ledger.edits:
        by_record[(edit.entity, edit.record_id)].append(edit)
    checked = versions_made = 0
    for entity, (table, column) in EDITED.items():
        ids = [record_id for kind, record_id in by_record if kind == entity]
        rows = {
            record_id: (version, value)
            for record_id, version, value in conn.execute(
                f"SELECT id::text, version, {column} FROM {table} WHERE id = ANY(%s::uuid[])",
                (ids,),
            )
        }
        feed = dict(
            conn.execute(
                "SELECT record_id::text, array_agg(version ORDER BY version) FROM change_log "
                "WHERE entity = %s AND record_id = ANY(%s::uuid[]) GROUP BY 1",
                (entity, ids),
            ).fetchall()
        )
        audits = dict(
            conn.execute(
                "SELECT entity_id::text, count(*) FROM audit_event WHERE entity = %s "
                "AND action = 'update' AND entity_id = ANY(%s::uuid[]) GROUP BY 1",
                (entity, ids),
            ).fetchall()
        )
        for record_id in ids:
            checked += 1
            start = baseline[entity].get(record_id, 1)
            edits = [e for e in by_record[(entity, record_id)] if e.outcome in BUMPS]
            made = sorted(e.version or 0 for e in edits)
            versions_made += len(made)
            if record_id not in rows:
                problems.add(f"{entity} missing", record_id)
                continue
            version, value = rows[record_id]
            if made != list(range(start + 1, version + 1)):
                problems.add(
                    f"{entity} versions",
                    f"{record_id}: answers made {_span(made)}, stored v{version} from v{start}",
                )
            if edits:
                last = max(edits, key=lambda e: e.version or 0)
                if value != last.value:
                    problems.add(f"{entity} value", f"{record_id}: '{value}' != '{last.value}'")
            logged = [v for v in feed.get(record_id, []) if v > start]
            if logged != made:
                problems.add(f"{entity} feed entries", f"{record_id}: {_span(logged)}")
            if audits.get(record_id, 0) != len(made):
                problems.add(
                    f"{entity} audit events", f"{record_id}: {audits.get(record_id, 0)}/{len(made)}"
                )
    return {"records": checked, "edits": len(ledger.edits), "versions_made": versions_made}


def _check_answers(conn: Any, ledger: Ledger, problems: _Problems) -> dict[str, int]:
    """The platform stored each answer once, as given, and each client's last mutation id."""
    clients = list(ledger.answers)
    stored: dict[str, dict[int, str]] = defaultdict(dict)
    rows = 0
    for client_id, mutation_id, outcome in conn.execute(
        "SELECT client_id::text, mutation_id, result->>'outcome' FROM mutation_result "
        "WHERE client_id = ANY(%s::uuid[])",
        (clients,),
    ):
        stored[client_id][mutation_id] = outcome
        rows += 1
    last = dict(
        conn.execute(
            "SELECT client_id::text, last_mutation_id FROM client_state "
            "WHERE client_id = ANY(%s::uuid[])",
            (clients,),
        ).fetchall()
    )
    answered = 0
    for client_id, answers in ledger.answers.items():
        answered += len(answers)
        kept = stored.get(client_id, {})
        for mutation_id, outcome in answers.items():
            if kept.get(mutation_id) != outcome:
                problems.add(
                    "stored answer", f"{client_id} m{mutation_id}: {kept.get(mutation_id)}"
                )
        extra = set(kept) - set(answers)
        if extra and ledger.last_sent.get(client_id, 0) < max(extra):
            problems.add("answers never asked for", f"{client_id}: {sorted(extra)[:5]}")
        if answers and last.get(client_id, 0) < max(answers):
            problems.add("last mutation id", f"{client_id}: {last.get(client_id)}")
    return {"clients": len(clients), "answered": answered, "stored": rows}


def _check_conflicts(conn: Any, ledger: Ledger, problems: _Problems) -> dict[str, int]:
    """Every conflict reported is stored once, for the mutation that reported it."""
    clients = list(ledger.answers)
    stored = {
        conflict_id: (client_id, mutation_id)
        for conflict_id, client_id, mutation_id in conn.execute(
            "SELECT id::text, client_id::text, mutation_id FROM conflict "
            "WHERE client_id = ANY(%s::uuid[])",
            (clients,),
        )
    }
    reported = {c: (client, m) for c, client, m in ledger.conflicts}
    if len(reported) != len(ledger.conflicts):
        problems.add("conflict reported twice", str(len(ledger.conflicts) - len(reported)))
    for conflict_id, origin in reported.items():
        if stored.get(conflict_id) != origin:
            problems.add("conflict not stored", conflict_id)
    for conflict_id in set(stored) - set(reported):
        problems.add("conflict never reported", conflict_id)
    return {"reported": len(reported), "stored": len(stored)}


def _span(versions: list[int]) -> str:
    if not versions:
        return "none"
    if versions == list(range(versions[0], versions[-1] + 1)):
        return f"v{versions[0]}..v{versions[-1]}"
    return ",".join(f"v{v}" for v in versions[:12]) + ("..." if len(versions) > 12 else "")
