"""The single view of a resident: warning markers first, then person, household, property,
every case this user may see, and one chronology across them; edit, add a note, refer.

Keyboard: Tab starts at the warning markers, then the details form; Ctrl+S saves the
details, Ctrl+Shift+N moves to the note text, Ctrl+Shift+R to the referral form; Enter on a
case in the cases table opens it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models import entities as e
from app.models.validation import RecordInvalid, ValidationError
from app.models.workflow import Service
from app.ui.pages.common import (
    FieldErrors,
    RowsModel,
    add_field_row,
    case_type_label,
    code_label,
    errors_of,
    fill_with_scrolled,
    show_date,
    show_time,
    slot,
    table_view,
    tr,
    warning_icon,
)
from app.ui.session import UiSession
from app.views.case import NoteRow
from app.views.referrals import load_team_service
from app.views.resident import CaseLine, MarkerView, ResidentView, load_resident

DEFAULT_LAWFUL_BASIS = "UK GDPR Art 6(1)(e) public task; Art 9(2)(h) health or social care"


def parse_uk_date(text: str, field: str) -> date | None:
    """A date typed as 31/01/1980 (or ISO 1980-01-31); empty means none."""
    value = text.strip()
    if not value:
        return None
    for shape in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, shape).date()
        except ValueError:
            continue
    raise ValidationError(field, tr("Enter the date as day/month/year, for example 31/01/1980."))


def notes_model(parent: QWidget) -> RowsModel:
    """The chronology table: newest first, across the cases given."""
    columns: list[tuple[str, Any]] = [
        (tr("When"), lambda n: show_time(n.created_at)),
        (tr("Case"), lambda n: n.case_reference),
        (tr("Kind"), lambda n: code_label(n.kind)),
        (tr("Shared"), lambda n: tr("Shared") if n.visibility == "shared" else tr("Service")),
        (tr("By"), lambda n: n.author or ""),
        (tr("Note"), lambda n: n.text),
    ]
    return RowsModel(columns, parent)


def note_kind_combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName(tr("Note kind"))
    for kind in e.NoteKind:
        combo.addItem(code_label(kind), str(kind))
    return combo


def visibility_combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName(tr("Note visibility"))
    combo.addItem(tr("This service only"), str(e.Visibility.SERVICE))
    combo.addItem(tr("Shared with other services"), str(e.Visibility.SHARED))
    return combo


def append_note(
    session: UiSession,
    case_id: uuid.UUID,
    kind: QComboBox,
    text: QPlainTextEdit,
    visibility: QComboBox,
    errors: FieldErrors,
) -> bool:
    """Add the note composed in ``kind``, ``text`` and ``visibility`` to ``case_id``; on
    success the text is emptied and every screen told, on refusal the reason shows by field."""
    try:
        session.changes.add_note(
            case_id, kind.currentData(), text.toPlainText().strip(), visibility.currentData()
        )
    except (ValidationError, RecordInvalid) as error:
        errors.show(errors_of(error))
        return False
    errors.clear()
    text.clear()
    session.events.changed.emit()
    return True


class ResidentPage(QWidget):
    """Everything this user may see about one resident, warnings first.

    Signals:
        shown(): the resident's view has been (re)built from the store.
    """

    shown = Signal()

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.person_id: uuid.UUID | None = None
        self.view: ResidentView | None = None
        self.setObjectName("resident_page")
        self.setAccessibleName(self.tr("Resident"))

        # --- warning markers: first in the layout and in the tab order -------------------
        self.markers_box = QFrame(self)
        self.markers_box.setObjectName("warning_markers")
        self.markers_box.setAccessibleName(self.tr("Warning markers"))
        self.markers_box.setFrameShape(QFrame.Shape.Box)
        self.markers_box.setLineWidth(3)
        self.markers_layout = QVBoxLayout(self.markers_box)
        self.marker_labels: list[QLabel] = []

        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.title.setAccessibleName(self.tr("Resident name"))

        # --- person details form ----------------------------------------------------------
        details = QGroupBox(self.tr("Details"), self)
        form = QFormLayout(details)
        self.general_error = QLabel(details)
        self.errors = FieldErrors(self.general_error)
        self.fields: dict[str, QLineEdit] = {}
        for name, label in (
            ("given_name", self.tr("&Given name")),
            ("family_name", self.tr("&Family name")),
            ("date_of_birth", self.tr("Date of &birth (dd/mm/yyyy)")),
            ("nhs_number", self.tr("&NHS number")),
            ("phone", self.tr("&Phone")),
            ("email", self.tr("&Email")),
            ("communication_needs", self.tr("&Communication needs")),
        ):
            edit = QLineEdit(details)
            edit.setObjectName(name)
            edit.setAccessibleName(label.replace("&", ""))
            self.fields[name] = edit
            add_field_row(form, self.errors, label, edit, name)
        self.language = QComboBox(details)
        self.language.setObjectName("preferred_language")
        self.language.setAccessibleName(self.tr("Preferred language"))
        for code, text in (
            ("en", self.tr("English")),
            ("cy", self.tr("Welsh")),
            ("other", self.tr("Other")),
        ):
            self.language.addItem(text, code)
        add_field_row(
            form, self.errors, self.tr("Preferred &language"), self.language, "preferred_language"
        )
        self.interpreter = QCheckBox(self.tr("&Interpreter needed"), details)
        self.interpreter.setAccessibleName(self.tr("Interpreter needed"))
        form.addRow("", self.interpreter)
        self.save_button = QPushButton(self.tr("&Save details"), details)
        self.save_button.setAccessibleName(self.tr("Save details"))
        self.save_button.clicked.connect(slot(self.save_details))
        self.saved_label = QLabel(details)
        self.saved_label.setAccessibleName(self.tr("Save result"))
        form.addRow(self.general_error)
        form.addRow(self.save_button, self.saved_label)

        # --- household and property -------------------------------------------------------
        home = QGroupBox(self.tr("Household and property"), self)
        home_layout = QVBoxLayout(home)
        self.property_label = QLabel(home)
        self.property_label.setAccessibleName(self.tr("Property"))
        self.property_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.household_model = RowsModel(
            [
                (self.tr("Name"), lambda m: m.name),
                (self.tr("Role"), lambda m: code_label(m.role)),
                (self.tr("Date of birth"), lambda m: show_date(m.date_of_birth)),
            ],
            self,
        )
        self.household_table = table_view(self.household_model, self.tr("Household"), home)
        self.household_table.activated.connect(self._on_household_activated)
        home_layout.addWidget(self.property_label)
        home_layout.addWidget(self.household_table)

        # --- cases across services --------------------------------------------------------
        cases = QGroupBox(self.tr("Cases across services"), self)
        cases_layout = QVBoxLayout(cases)
        self.cases_model = RowsModel(
            [
                (self.tr("Reference"), lambda c: c.reference),
                (self.tr("Service"), lambda c: code_label(c.service)),
                (self.tr("Type"), lambda c: case_type_label(c.case_type)),
                (self.tr("Status"), lambda c: code_label(c.status)),
                (
                    self.tr("Access"),
                    lambda c: (
                        self.tr("Full record")
                        if c.detail
                        else self.tr("Summary only (another service's case)")
                    ),
                ),
                (self.tr("Officer"), lambda c: c.officer or ""),
            ],
            self,
        )
        self.cases_table = table_view(self.cases_model, self.tr("Cases across services"), cases)
        self.cases_table.activated.connect(self._on_cases_activated)
        cases_layout.addWidget(self.cases_table)

        # --- chronology and add note ------------------------------------------------------
        chronology = QGroupBox(self.tr("Chronology"), self)
        chron_layout = QVBoxLayout(chronology)
        self.notes_model = notes_model(self)
        self.notes_table = table_view(self.notes_model, self.tr("Chronology"), chronology)
        note_row = QHBoxLayout()
        self.note_case = QComboBox(chronology)
        self.note_case.setAccessibleName(self.tr("Case the note is about"))
        self.note_kind = note_kind_combo(chronology)
        self.note_visibility = visibility_combo(chronology)
        self.note_text = QPlainTextEdit(chronology)
        self.note_text.setAccessibleName(self.tr("Note text"))
        self.note_text.setTabChangesFocus(True)
        self.note_text.setMaximumHeight(80)
        self.add_note_button = QPushButton(self.tr("&Add note"), chronology)
        self.add_note_button.setAccessibleName(self.tr("Add note"))
        self.add_note_button.clicked.connect(slot(self.add_note))
        self.note_error = QLabel(chronology)
        self.note_errors = FieldErrors(self.note_error)
        for widget in (self.note_case, self.note_kind, self.note_visibility):
            note_row.addWidget(widget)
        note_row.addWidget(self.add_note_button)
        chron_layout.addWidget(self.notes_table, 1)
        chron_layout.addLayout(note_row)
        chron_layout.addWidget(self.note_text)
        chron_layout.addWidget(self.note_error)

        # --- refer to another service -----------------------------------------------------
        refer = QGroupBox(self.tr("Refer to another service"), self)
        refer_form = QFormLayout(refer)
        self.referral_general = QLabel(refer)
        self.referral_errors = FieldErrors(self.referral_general)
        self.refer_service = QComboBox(refer)
        self.refer_service.setObjectName("to_service")
        self.refer_service.setAccessibleName(self.tr("Refer to service"))
        self.refer_case = QComboBox(refer)
        self.refer_case.setAccessibleName(self.tr("From case"))
        self.refer_reason = QLineEdit(refer)
        self.refer_reason.setAccessibleName(self.tr("Reason for referral"))
        self.refer_urgency = QComboBox(refer)
        self.refer_urgency.setAccessibleName(self.tr("Urgency"))
        for urgency in e.Urgency:
            self.refer_urgency.addItem(code_label(urgency), str(urgency))
        self.refer_basis = QLineEdit(DEFAULT_LAWFUL_BASIS, refer)
        self.refer_basis.setAccessibleName(self.tr("Lawful basis for sharing"))
        refer_fields: list[tuple[str, QWidget, str]] = [
            (self.tr("Refer &to"), self.refer_service, "to_service"),
            (self.tr("Fr&om case"), self.refer_case, "case_id"),
            (self.tr("&Reason"), self.refer_reason, "reason"),
            (self.tr("&Urgency"), self.refer_urgency, "urgency"),
            (self.tr("La&wful basis"), self.refer_basis, "lawful_basis"),
        ]
        for label, control, field in refer_fields:
            add_field_row(refer_form, self.referral_errors, label, control, field)
        self.refer_button = QPushButton(self.tr("Sen&d referral"), refer)
        self.refer_button.setAccessibleName(self.tr("Send referral"))
        self.refer_button.clicked.connect(slot(self.send_referral))
        self.referral_result = QLabel(refer)
        self.referral_result.setAccessibleName(self.tr("Referral result"))
        refer_form.addRow(self.referral_general)
        refer_form.addRow(self.refer_button, self.referral_result)

        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(slot(self.save_details))
        QShortcut(QKeySequence(self.tr("Ctrl+Shift+N")), self).activated.connect(
            self.note_text.setFocus
        )
        QShortcut(QKeySequence(self.tr("Ctrl+Shift+R")), self).activated.connect(
            self.refer_service.setFocus
        )

        body = QWidget(self)
        column = QVBoxLayout(body)
        column.addWidget(self.markers_box)
        column.addWidget(self.title)
        column.addWidget(details)
        column.addWidget(home)
        column.addWidget(cases)
        column.addWidget(chronology, 1)
        column.addWidget(refer)
        fill_with_scrolled(self, body)
        session.events.changed.connect(self._on_store_changed)

    # --- showing ----------------------------------------------------------------------------

    def show_person(self, person_id: uuid.UUID) -> None:
        """Show ``person_id`` as this laptop holds them (a few small indexed queries)."""
        self.person_id = person_id
        self.errors.clear()
        self.note_errors.clear()
        self.referral_errors.clear()
        self.saved_label.clear()
        self.referral_result.clear()
        self._refresh(reset_form=True)

    def _on_store_changed(self) -> None:
        if self.person_id is not None:
            self._refresh(reset_form=False)

    def _refresh(self, *, reset_form: bool) -> None:
        assert self.person_id is not None
        today = self.session.changes.clock().date()
        view = load_resident(self.session.store, self.person_id, today)
        self.view = view
        if view is None:
            self.title.setText(self.tr("This resident is not on this laptop."))
            self._show_markers([])
            for model in (self.household_model, self.cases_model, self.notes_model):
                model.set_rows([])
            self.shown.emit()
            return
        person = view.person
        self.title.setText(person.name)
        self._show_markers(view.markers)
        if reset_form:
            self._fill_form(view)
        self.household_model.set_rows(view.household)
        if view.property is not None:
            prop = view.property
            self.property_label.setText(
                self.tr("{0}, {1} · UPRN {2} · {3}").format(
                    prop.address,
                    prop.postcode,
                    prop.uprn if prop.uprn is not None else self.tr("none"),
                    code_label(prop.tenure),
                )
            )
        else:
            self.property_label.setText(self.tr("No property on record."))
        self.cases_model.set_rows(view.cases)
        self.notes_model.set_rows(view.chronology)
        self._fill_case_choices(view.cases)
        self.shown.emit()

    def _show_markers(self, markers: list[MarkerView]) -> None:
        for label in self.marker_labels:
            self.markers_layout.removeWidget(label)
            label.deleteLater()
        self.marker_labels = []
        self.markers_box.setVisible(bool(markers))
        for marker in markers:
            row = QLabel(self.markers_box)
            row.setTextFormat(Qt.TextFormat.PlainText)
            row.setWordWrap(True)
            row.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable, and read out, first
            if marker.expired:
                text = self.tr("Expired warning (review was due {2}): {0}. {1}")
            else:
                text = self.tr("WARNING: {0}. {1} (review by {2})")
            row.setText(
                text.format(
                    code_label(marker.category), marker.reason, show_date(marker.review_date)
                )
            )
            row.setAccessibleName(row.text())
            row.setObjectName("expired_marker" if marker.expired else "marker")
            size = 18 if not marker.expired else 12
            icon = QLabel(self.markers_box)
            icon.setPixmap(warning_icon().pixmap(size * 2, size * 2))
            icon.setAccessibleName(self.tr("Warning"))
            weight = "bold" if not marker.expired else "normal"
            row.setStyleSheet(f"font-size: {size - 4}pt; font-weight: {weight};")
            line = QHBoxLayout()
            line.addWidget(icon)
            line.addWidget(row, 1)
            holder = QWidget(self.markers_box)
            holder.setLayout(line)
            self.markers_layout.addWidget(holder)
            self.marker_labels.append(row)

    def _fill_form(self, view: ResidentView) -> None:
        person = view.person
        values = {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": show_date(person.date_of_birth),
            "nhs_number": person.nhs_number or "",
            "phone": person.phone or "",
            "email": person.email or "",
            "communication_needs": person.communication_needs or "",
        }
        for name, value in values.items():
            self.fields[name].setText(value)
        self.language.setCurrentIndex(max(self.language.findData(person.preferred_language), 0))
        self.interpreter.setChecked(person.interpreter_needed)

    def _fill_case_choices(self, cases: list[CaseLine]) -> None:
        detail = [case for case in cases if case.detail]
        for combo, blank in ((self.note_case, None), (self.refer_case, self.tr("No case"))):
            current = combo.currentData()
            combo.clear()
            if blank is not None:
                combo.addItem(blank, None)
            for case in detail:
                combo.addItem(f"{case.reference} · {code_label(case.service)}", case.id)
            combo.setCurrentIndex(max(combo.findData(current), 0))
        self.add_note_button.setEnabled(bool(detail))
        own = load_team_service(self.session.store, self.session.identity.team_id)
        current = self.refer_service.currentData()
        self.refer_service.clear()
        for service in Service:
            if service != own:
                self.refer_service.addItem(code_label(service), str(service))
        self.refer_service.setCurrentIndex(max(self.refer_service.findData(current), 0))

    # --- actions ----------------------------------------------------------------------------

    def _form_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            name: edit.text().strip() or None for name, edit in self.fields.items()
        }
        values["given_name"] = self.fields["given_name"].text().strip()
        values["family_name"] = self.fields["family_name"].text().strip()
        values["date_of_birth"] = parse_uk_date(
            self.fields["date_of_birth"].text(), "date_of_birth"
        )
        values["preferred_language"] = self.language.currentData()
        values["interpreter_needed"] = self.interpreter.isChecked()
        return values

    def save_details(self) -> bool:
        """Save the changed fields; each error is shown by its field and nothing is saved."""
        if self.view is None:
            return False
        self.saved_label.clear()
        person = self.view.person
        try:
            values = self._form_values()
        except ValidationError as error:
            self.errors.show(errors_of(error))
            return False
        changed = {name: value for name, value in values.items() if value != getattr(person, name)}
        if not changed:
            self.errors.clear()
            self.saved_label.setText(self.tr("No changes to save."))
            return True
        try:
            self.session.changes.update("person", person.id, changed)
        except (ValidationError, RecordInvalid) as error:
            self.errors.show(errors_of(error))
            return False
        self.errors.clear()
        self.saved_label.setText(self.tr("Saved on this laptop; it will sync."))
        self.session.events.changed.emit()
        self._refresh(reset_form=True)
        return True

    def add_note(self) -> bool:
        """Append a note to the chosen case."""
        case_id = self.note_case.currentData()
        if case_id is None:
            self.note_errors.show({"case_id": self.tr("Choose a case for the note.")})
            return False
        return append_note(
            self.session,
            case_id,
            self.note_kind,
            self.note_text,
            self.note_visibility,
            self.note_errors,
        )

    def send_referral(self) -> bool:
        """Create a referral to the chosen service about this resident."""
        if self.view is None:
            return False
        own = load_team_service(self.session.store, self.session.identity.team_id)
        fields = {
            "person_id": self.view.person.id,
            "case_id": self.refer_case.currentData(),
            "from_service": own or "",
            "to_service": self.refer_service.currentData() or "",
            "to_team_id": None,
            "reason": self.refer_reason.text().strip(),
            "urgency": self.refer_urgency.currentData(),
            "lawful_basis": self.refer_basis.text().strip(),
        }
        try:
            self.session.changes.create("referral", fields)
        except (ValidationError, RecordInvalid) as error:
            self.referral_errors.show(errors_of(error))
            return False
        self.referral_errors.clear()
        self.refer_reason.clear()
        self.referral_result.setText(
            self.tr("Referral to {0} saved; it will be sent on the next sync.").format(
                code_label(fields["to_service"])
            )
        )
        self.session.events.changed.emit()
        return True

    def _on_cases_activated(self, index: QModelIndex) -> None:
        line: CaseLine = self.cases_model.row_at(index.row())
        if line.detail:
            self.session.events.open_case.emit(line.id)

    def _on_household_activated(self, index: QModelIndex) -> None:
        member = self.household_model.row_at(index.row())
        if member.person_id != self.person_id:
            self.session.events.open_person.emit(member.person_id)

    @property
    def chronology(self) -> list[NoteRow]:
        return list(self.notes_model.rows)
