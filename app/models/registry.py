"""Which entities sync, under which wire names, and which of their fields a client may change."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.models import entities as e
from app.models.base import Syncable

SYSTEM_FIELDS = frozenset({"id", "tenant_id", "version", "updated_at", "deleted"})


@dataclass(frozen=True)
class EntitySpec:
    """How one entity behaves in sync and under need-to-know rules."""

    name: str
    model: type[Syncable]
    # Fields a client may set on update; creation may set these plus ``create_only``.
    editable: frozenset[str] = frozenset()
    create_only: frozenset[str] = frozenset()
    # Fields only a team lead may change (allocation, approvals).
    lead_only: frozenset[str] = frozenset()
    # Insert-if-absent by client-made UUID: never edited, never a conflict.
    append_only: bool = False
    # Case detail: readable only with access to the case named by this column.
    case_field: str | None = None
    # The field changed by workflow transitions rather than plain edits.
    workflow_field: str | None = None
    client_creatable: bool = True
    # Whether laptops receive it in the change feed (audit events only travel up).
    pulled: bool = True
    summary_fields: frozenset[str] = field(default_factory=frozenset)

    @property
    def columns(self) -> frozenset[str]:
        """Every column of the entity's table."""
        return frozenset(c.name for c in self.model.__table__.columns)  # type: ignore[attr-defined]

    @property
    def creatable(self) -> frozenset[str]:
        """Fields a client may give when creating the record."""
        return (
            self.editable
            | self.create_only
            | self.lead_only
            | (frozenset({self.workflow_field}) if self.workflow_field else frozenset())
        )


def _f(*names: str) -> frozenset[str]:
    return frozenset(names)


SPECS: tuple[EntitySpec, ...] = (
    EntitySpec("team", e.Team, client_creatable=False),
    EntitySpec("user", e.User, client_creatable=False),
    EntitySpec(
        "property",
        e.Property,
        editable=_f("uprn", "address_line1", "address_line2", "town", "postcode", "tenure"),
    ),
    EntitySpec(
        "person",
        e.Person,
        editable=_f(
            "given_name",
            "family_name",
            "date_of_birth",
            "nhs_number",
            "phone",
            "email",
            "preferred_language",
            "interpreter_needed",
            "communication_needs",
        ),
        lead_only=_f("sealed"),
    ),
    EntitySpec("household", e.Household, editable=_f("property_id")),
    EntitySpec(
        "household_member",
        e.HouseholdMember,
        editable=_f("role"),
        create_only=_f("household_id", "person_id"),
    ),
    EntitySpec(
        "relationship",
        e.Relationship,
        editable=_f("kind"),
        create_only=_f("person_id", "related_person_id"),
    ),
    EntitySpec(
        "case",
        e.Case,
        editable=_f(
            "summary",
            "priority",
            "due_date",
            "target_at",
            "property_id",
            "closure_reason",
            "closed_at",
            "closure_requested_at",
            "closure_requested_by_id",
        ),
        create_only=_f(
            "reference",
            "service",
            "case_type",
            "subject_person_id",
            "referral_date",
            "opened_at",
            "status_changed_at",
        ),
        lead_only=_f("owning_team_id", "officer_id"),
        workflow_field="status",
        summary_fields=_f(
            "service", "case_type", "status", "owning_team_id", "subject_person_id", "reference"
        ),
    ),
    EntitySpec(
        "note",
        e.Note,
        append_only=True,
        case_field="case_id",
        create_only=_f("case_id", "author_id", "created_at", "kind", "text", "visibility"),
    ),
    EntitySpec(
        "task",
        e.Task,
        case_field="case_id",
        editable=_f("title", "due_at", "assignee_id", "status", "checked_in_at", "checked_out_at"),
        create_only=_f("case_id", "kind"),
    ),
    EntitySpec(
        "warning_marker",
        e.WarningMarker,
        editable=_f("category", "reason", "review_date"),
        create_only=_f("person_id", "proposed_by_id"),
        lead_only=_f("status", "approved_by_id", "approved_at"),
    ),
    EntitySpec(
        "referral",
        e.Referral,
        editable=_f("status", "decline_reason", "created_case_id"),
        create_only=_f(
            "person_id",
            "case_id",
            "from_service",
            "to_service",
            "to_team_id",
            "reason",
            "urgency",
            "lawful_basis",
            "sent_at",
        ),
    ),
    EntitySpec(
        "assessment",
        e.Assessment,
        case_field="case_id",
        editable=_f("answers", "completed_at"),
        create_only=_f("case_id", "form_id", "form_version"),
    ),
    EntitySpec(
        "attachment",
        e.Attachment,
        append_only=True,
        case_field="case_id",
        create_only=_f("case_id", "note_id", "filename", "media_type", "size_bytes", "sha256"),
    ),
    EntitySpec(
        "audit_event",
        e.AuditEvent,
        append_only=True,
        pulled=False,
        create_only=_f("user_id", "device_id", "action", "entity", "entity_id", "at"),
    ),
    # Set by platform administrators (server/routes/admin.py); every laptop receives them.
    EntitySpec("workload_weight", e.WorkloadWeight, client_creatable=False),
    EntitySpec(
        "allocation",
        e.Allocation,
        append_only=True,
        case_field="case_id",
        create_only=_f(
            "case_id",
            "from_officer_id",
            "to_officer_id",
            "to_team_id",
            "reason",
            "allocated_by_id",
            "allocated_at",
        ),
    ),
    EntitySpec(
        "supervision_note",
        e.SupervisionNote,
        append_only=True,
        case_field="case_id",
        create_only=_f("case_id", "author_id", "created_at", "text"),
    ),
)

BY_NAME: dict[str, EntitySpec] = {spec.name: spec for spec in SPECS}
BY_MODEL: dict[type[Syncable], EntitySpec] = {spec.model: spec for spec in SPECS}
