"""How synced tables refer to one another: foreign keys, and which children leave with a parent."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table

from app.models.registry import SPECS, EntitySpec

TABLES: dict[str, Table] = {
    spec.model.__tablename__: spec.model.__table__  # type: ignore[attr-defined]
    for spec in SPECS
}
"""Every synced table by name, parents before children (the registry's order)."""

SPEC_OF_TABLE: dict[str, EntitySpec] = {
    spec.model.__tablename__: spec  # type: ignore[attr-defined]
    for spec in SPECS
}
TABLE_OF_ENTITY: dict[str, str] = {spec.name: table for table, spec in SPEC_OF_TABLE.items()}

ORDER: dict[str, int] = {name: rank for rank, name in enumerate(TABLES)}
"""Foreign-key rank of each table: insert in this order, delete in reverse."""


@dataclass(frozen=True)
class Reference:
    """One foreign key: ``child.column`` names a row of ``parent``."""

    child: str
    column: str
    parent: str


def _references() -> tuple[Reference, ...]:
    found = []
    for name, table in TABLES.items():
        for column in table.columns:
            for key in column.foreign_keys:
                found.append(Reference(name, column.name, key.column.table.name))
    return tuple(found)


REFERENCES = _references()

PARENTS: dict[str, tuple[Reference, ...]] = {
    name: tuple(r for r in REFERENCES if r.child == name) for name in TABLES
}
"""The foreign keys of each table."""

REFERRERS: dict[str, tuple[Reference, ...]] = {
    name: tuple(r for r in REFERENCES if r.parent == name) for name in TABLES
}
"""The foreign keys that point at each table."""

# Children that leave the laptop with their parent when it leaves the user's scope: the
# platform stops serving them at the same moment (a case's detail is readable only with the
# case's detail; everything about a person leaves with a sealed person), so it never sends
# their exits. Other references (a referral naming a case, a case naming a property) are not
# ownership: a row left pointing at a removed parent is parked, not deleted.
_OWNED = frozenset(
    {
        ("note", "case_id"),
        ("task", "case_id"),
        ("assessment", "case_id"),
        ("attachment", "case_id"),
        ("attachment", "note_id"),
        ("allocation", "case_id"),
        ("supervision_note", "case_id"),
        ("household_member", "person_id"),
        ("relationship", "person_id"),
        ("relationship", "related_person_id"),
        ("warning_marker", "person_id"),
        ("case_record", "subject_person_id"),
        ("referral", "person_id"),
    }
)

OWNED: dict[str, tuple[Reference, ...]] = {
    name: tuple(r for r in REFERRERS[name] if (r.child, r.column) in _OWNED) for name in TABLES
}
"""Per parent table, the references whose rows are removed along with the parent."""

WIRE_EXCLUDED = frozenset({"id", "tenant_id", "version", "deleted"})
"""Columns a change carries outside its ``fields`` (or, for tenant_id, not at all)."""


def wire_columns(table: str) -> tuple[str, ...]:
    """The columns a full change's ``fields`` carry for ``table``."""
    return tuple(c.name for c in TABLES[table].columns if c.name not in WIRE_EXCLUDED)
