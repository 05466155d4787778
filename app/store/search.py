"""Full-text search over persons and cases: the FTS5 schema, its triggers and bulk re-indexing."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Each FTS row shares the rowid of the record it indexes, so updates and deletes are rowid
# lookups rather than scans. Persons are found by where they live too, so an address change
# re-indexes the people in households at that property.
PERSON_DOC = """
    SELECT p.rowid AS rowid,
           p.given_name || ' ' || p.family_name AS name,
           coalesce(p.nhs_number, '') AS nhs_number,
           coalesce(pr.postcode, '') AS postcode,
           coalesce(pr.address_line1 || coalesce(', ' || pr.address_line2, '') || ', ' || pr.town,
                    '') AS address,
           coalesce(CAST(pr.uprn AS TEXT), '') AS uprn
      FROM person p
      LEFT JOIN household_member hm ON hm.person_id = p.id AND hm.deleted = 0
      LEFT JOIN household h ON h.id = hm.household_id AND h.deleted = 0
      LEFT JOIN property pr ON pr.id = h.property_id AND pr.deleted = 0
"""
PERSON_COLUMNS = "rowid, name, nhs_number, postcode, address, uprn"

CASE_DOC = """
    SELECT c.rowid AS rowid,
           c.reference AS reference,
           c.case_type || ' ' || c.service AS case_type,
           coalesce((SELECT p.given_name || ' ' || p.family_name FROM person p
                      WHERE p.id = c.subject_person_id), '') AS subject
      FROM case_record c
"""
CASE_COLUMNS = "rowid, reference, case_type, subject"

# Bulk loads (demo import, a sync page) switch the per-row triggers off inside their own
# transaction and re-index what they touched in a few set-based statements instead; other
# connections never see the switch, since it is never committed in the on position.
TRIGGERS_ON = "(SELECT deferred FROM search_control) = 0"


def _index_persons(where: str) -> list[str]:
    return [
        f"DELETE FROM person_fts WHERE rowid IN (SELECT p.rowid FROM person p WHERE {where})",
        f"INSERT INTO person_fts ({PERSON_COLUMNS}) SELECT {PERSON_COLUMNS} FROM "
        f"({PERSON_DOC} WHERE p.deleted = 0 AND ({where}) GROUP BY p.rowid)",
    ]


def _index_cases(where: str) -> list[str]:
    return [
        f"DELETE FROM case_fts WHERE rowid IN (SELECT c.rowid FROM case_record c WHERE {where})",
        f"INSERT INTO case_fts ({CASE_COLUMNS}) SELECT {CASE_COLUMNS} FROM "
        f"({CASE_DOC} WHERE c.deleted = 0 AND ({where}))",
    ]


def _body(*statements: list[str]) -> str:
    """A trigger body running ``statements`` in order."""
    return "BEGIN " + " ".join(f"{s};" for group in statements for s in group) + " END"


_AT_PROPERTY = (
    "p.id IN (SELECT hm.person_id FROM household_member hm JOIN household h "
    "ON h.id = hm.household_id WHERE h.property_id = NEW.id)"
)

_DROP_PERSON = ["DELETE FROM person_fts WHERE rowid = OLD.rowid"]
_DROP_CASE = ["DELETE FROM case_fts WHERE rowid = OLD.rowid"]

TRIGGERS: dict[str, str] = {
    "person_fts_ai": f"AFTER INSERT ON person WHEN {TRIGGERS_ON} "
    + _body(_index_persons("p.id = NEW.id")),
    # A renamed person is found under the new name on their cases too.
    "person_fts_au": f"AFTER UPDATE ON person WHEN {TRIGGERS_ON} "
    + _body(_index_persons("p.id = NEW.id"), _index_cases("c.subject_person_id = NEW.id")),
    "person_fts_ad": "AFTER DELETE ON person " + _body(_DROP_PERSON),
    "person_fts_hm_ai": f"AFTER INSERT ON household_member WHEN {TRIGGERS_ON} "
    + _body(_index_persons("p.id = NEW.person_id")),
    "person_fts_hm_au": f"AFTER UPDATE ON household_member WHEN {TRIGGERS_ON} "
    + _body(_index_persons("p.id IN (OLD.person_id, NEW.person_id)")),
    "person_fts_hm_ad": "AFTER DELETE ON household_member "
    + _body(_index_persons("p.id = OLD.person_id")),
    "person_fts_pr_au": f"AFTER UPDATE ON property WHEN {TRIGGERS_ON} "
    + _body(_index_persons(_AT_PROPERTY)),
    "case_fts_ai": f"AFTER INSERT ON case_record WHEN {TRIGGERS_ON} "
    + _body(_index_cases("c.id = NEW.id")),
    "case_fts_au": f"AFTER UPDATE ON case_record WHEN {TRIGGERS_ON} "
    + _body(_index_cases("c.id = NEW.id")),
    "case_fts_ad": "AFTER DELETE ON case_record " + _body(_DROP_CASE),
}


def schema_statements() -> list[str]:
    """Create the search tables and triggers, and index whatever the store already holds."""
    return [
        "CREATE TABLE search_control (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "deferred INTEGER NOT NULL DEFAULT 0)",
        "INSERT INTO search_control (id, deferred) VALUES (1, 0)",
        # Prefix indexes of 2 and 3 characters make short as-you-type queries index lookups;
        # longer prefixes are already narrow ranges of the term dictionary.
        "CREATE VIRTUAL TABLE person_fts USING fts5("
        "name, nhs_number, postcode, address, uprn, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
        "CREATE VIRTUAL TABLE case_fts USING fts5("
        "reference, case_type, subject, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
        # Backfill, so an upgrade loses nothing from search.
        *_index_persons("1"),
        *_index_cases("1"),
        *(f"CREATE TRIGGER {name} {body}" for name, body in TRIGGERS.items()),
    ]


def drop_statements() -> list[str]:
    """Undo ``schema_statements``."""
    return [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
        "DROP TABLE IF EXISTS case_fts",
        "DROP TABLE IF EXISTS person_fts",
        "DROP TABLE IF EXISTS search_control",
    ]


# --- Bulk writes ------------------------------------------------------------------------------

INDEXED_TABLES = ("person", "household_member", "household", "property", "case_record")

BULK_BEGIN = [
    "CREATE TEMP TABLE IF NOT EXISTS search_touched (entity TEXT NOT NULL, id TEXT NOT NULL)",
    "DELETE FROM temp.search_touched",
    "UPDATE search_control SET deferred = 1",
]
TOUCH = "INSERT INTO temp.search_touched (entity, id) VALUES (?, ?)"

_TOUCHED = "SELECT id FROM temp.search_touched WHERE entity = '{}'"
_PERSONS_TOUCHED = (
    f"p.id IN ({_TOUCHED.format('person')} "
    "UNION SELECT hm.person_id FROM household_member hm WHERE "
    f"hm.id IN ({_TOUCHED.format('household_member')}) "
    f"OR hm.household_id IN ({_TOUCHED.format('household')}) "
    "OR hm.household_id IN (SELECT h.id FROM household h WHERE "
    f"h.property_id IN ({_TOUCHED.format('property')})))"
)
_CASES_TOUCHED = (
    f"c.id IN ({_TOUCHED.format('case_record')}) "
    f"OR c.subject_person_id IN ({_TOUCHED.format('person')})"
)
BULK_END = [
    *_index_persons(_PERSONS_TOUCHED),
    *_index_cases(_CASES_TOUCHED),
    "UPDATE search_control SET deferred = 0",
    "DELETE FROM temp.search_touched",
]


def touched_ids(table: str, rows: Iterable[dict[str, object]]) -> list[tuple[str, str]]:
    """The (table, id) pairs a bulk write must re-index; empty for tables search ignores."""
    if table not in INDEXED_TABLES:
        return []
    return [(table, row["id"].hex) for row in rows]  # type: ignore[attr-defined]


def fts_query(text_in: str) -> str | None:
    """Turn what a user typed into an FTS5 prefix query; None when there is nothing to find."""
    tokens = re.findall(r"\w+", text_in.casefold())
    if not tokens:
        return None
    # Quoting each token keeps FTS5 syntax characters in user input from being interpreted.
    return " ".join(f'"{token}"*' for token in tokens)
