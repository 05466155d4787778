"""Full-text search over persons and cases, kept in step by triggers on every write."""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Each FTS row shares the rowid of the record it indexes, so updates and deletes are
# O(log n) lookups rather than scans. Persons are found by where they live too, so an
# address change re-indexes the people in households at that property.
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

CASE_DOC = """
    SELECT c.rowid AS rowid,
           c.reference AS reference,
           c.case_type || ' ' || c.service AS case_type,
           coalesce((SELECT p.given_name || ' ' || p.family_name FROM person p
                      WHERE p.id = c.subject_person_id), '') AS subject
      FROM case_record c
"""


def _reindex_person(where: str) -> str:
    return f"""
        DELETE FROM person_fts WHERE rowid IN (SELECT p.rowid FROM person p WHERE {where});
        INSERT INTO person_fts (rowid, name, nhs_number, postcode, address, uprn)
            SELECT rowid, name, nhs_number, postcode, address, uprn FROM ({PERSON_DOC}
             WHERE p.deleted = 0 AND ({where}) GROUP BY p.rowid);
    """


TRIGGERS = {
    "person_fts_ai": f"AFTER INSERT ON person BEGIN {_reindex_person('p.id = NEW.id')} END",
    "person_fts_au": f"AFTER UPDATE ON person BEGIN {_reindex_person('p.id = NEW.id')} END",
    "person_fts_ad": "AFTER DELETE ON person BEGIN "
    "DELETE FROM person_fts WHERE rowid = OLD.rowid; END",
    "person_fts_hm_ai": "AFTER INSERT ON household_member BEGIN "
    f"{_reindex_person('p.id = NEW.person_id')} END",
    "person_fts_hm_au": "AFTER UPDATE ON household_member BEGIN "
    f"{_reindex_person('p.id IN (OLD.person_id, NEW.person_id)')} END",
    "person_fts_hm_ad": "AFTER DELETE ON household_member BEGIN "
    f"{_reindex_person('p.id = OLD.person_id')} END",
    "person_fts_pr_au": "AFTER UPDATE ON property BEGIN "
    + _reindex_person(
        "p.id IN (SELECT hm.person_id FROM household_member hm JOIN household h "
        "ON h.id = hm.household_id WHERE h.property_id = NEW.id)"
    )
    + " END",
    "case_fts_ai": "AFTER INSERT ON case_record BEGIN "
    "INSERT INTO case_fts (rowid, reference, case_type, subject) "
    f"SELECT rowid, reference, case_type, subject FROM ({CASE_DOC} WHERE c.id = NEW.id) "
    "WHERE NEW.deleted = 0; END",
    "case_fts_au": "AFTER UPDATE ON case_record BEGIN "
    "DELETE FROM case_fts WHERE rowid = OLD.rowid; "
    "INSERT INTO case_fts (rowid, reference, case_type, subject) "
    f"SELECT rowid, reference, case_type, subject FROM ({CASE_DOC} WHERE c.id = NEW.id) "
    "WHERE NEW.deleted = 0; END",
    "case_fts_ad": "AFTER DELETE ON case_record BEGIN "
    "DELETE FROM case_fts WHERE rowid = OLD.rowid; END",
    # A renamed person is found under the new name on their cases too.
    "case_fts_person_au": "AFTER UPDATE OF given_name, family_name ON person BEGIN "
    "DELETE FROM case_fts WHERE rowid IN "
    "(SELECT rowid FROM case_record WHERE subject_person_id = NEW.id); "
    "INSERT INTO case_fts (rowid, reference, case_type, subject) "
    f"SELECT rowid, reference, case_type, subject FROM ({CASE_DOC} "
    "WHERE c.subject_person_id = NEW.id AND c.deleted = 0); END",
}


def upgrade() -> None:
    # prefix indexes make as-you-type prefix queries index lookups instead of scans.
    op.execute(
        "CREATE VIRTUAL TABLE person_fts USING fts5("
        "name, nhs_number, postcode, address, uprn, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4')"
    )
    op.execute(
        "CREATE VIRTUAL TABLE case_fts USING fts5("
        "reference, case_type, subject, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4')"
    )
    # Backfill what an older store already holds, so an upgrade loses nothing from search.
    op.execute(
        "INSERT INTO person_fts (rowid, name, nhs_number, postcode, address, uprn) "
        f"SELECT rowid, name, nhs_number, postcode, address, uprn FROM ({PERSON_DOC} "
        "WHERE p.deleted = 0 GROUP BY p.rowid)"
    )
    op.execute(
        "INSERT INTO case_fts (rowid, reference, case_type, subject) "
        f"SELECT rowid, reference, case_type, subject FROM ({CASE_DOC} WHERE c.deleted = 0)"
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS case_fts")
    op.execute("DROP TABLE IF EXISTS person_fts")
