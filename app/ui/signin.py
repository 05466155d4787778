"""The sign-in window: platform, council, user and password, with errors beside each field."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.config import SERVER_URL, TENANT
from app.signon import Desktop, Opened, SignInFailed, SignInRequest, open_session
from app.ui.workers import Workers

FIELDS = ("server_url", "tenant", "username", "password", "passphrase")


class SignInWindow(QWidget):
    """Asks who is signing in, then signs in on a worker thread (the window never freezes).

    Signals:
        signed_in(object): the ``Opened`` store and identity, online or offline.
        failed(str, str): (field, message) of a refused sign-in, after it is shown.
    """

    signed_in = Signal(object)
    failed = Signal(str, str)

    def __init__(self, desktop: Desktop, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desktop = desktop
        self.workers = workers
        self.busy = False
        self.setWindowTitle(self.tr("Sign in to Doorstep"))
        self.setAccessibleName(self.tr("Sign in to Doorstep"))
        settings = desktop.settings

        title = QLabel(self.tr("Sign in to Doorstep"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)

        self.inputs: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        labels = {
            "server_url": self.tr("&Platform address:"),
            "tenant": self.tr("&Council code:"),
            "username": self.tr("&Username:"),
            "password": self.tr("Pass&word:"),
            "passphrase": self.tr("&Store passphrase:"),
        }
        names = {
            "server_url": self.tr("Platform address"),
            "tenant": self.tr("Council code"),
            "username": self.tr("Username"),
            "password": self.tr("Password"),
            "passphrase": self.tr("Store passphrase"),
        }
        self.locked: dict[str, QLabel] = {}
        for name in FIELDS:
            edit = QLineEdit(self)
            edit.setAccessibleName(names[name])
            self.inputs[name] = edit
            error = QLabel(self)
            error.setWordWrap(True)
            error.setAccessibleName(self.tr("%1 error").replace("%1", names[name]))
            error.hide()
            self.errors[name] = error
        self.inputs["password"].setEchoMode(QLineEdit.EchoMode.Password)
        self.inputs["passphrase"].setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again = QLineEdit(self)
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again.setAccessibleName(self.tr("Store passphrase again"))

        for name, setting in (("server_url", SERVER_URL), ("tenant", TENANT)):
            self.inputs[name].setText(str(settings.get(setting)))
            if settings.is_locked(setting):
                # Policy decides this value: shown, explained, not editable.
                self.inputs[name].setReadOnly(True)
                lock = QLabel(self.tr("🔒 Set by your organisation"), self)
                lock.setAccessibleName(
                    self.tr("%1 is set by your organisation").replace("%1", names[name])
                )
                self.locked[name] = lock

        for name in FIELDS:
            row = QVBoxLayout()
            line = QHBoxLayout()
            line.addWidget(self.inputs[name], 1)
            if name in self.locked:
                line.addWidget(self.locked[name])
            row.addLayout(line)
            row.addWidget(self.errors[name])
            label = QLabel(labels[name], self)
            label.setBuddy(self.inputs[name])
            form.addRow(label, row)
            if name == "passphrase":
                self.passphrase_label = label
        again_label = QLabel(self.tr("Passphrase &again:"), self)
        again_label.setBuddy(self.passphrase_again)
        form.addRow(again_label, self.passphrase_again)

        needs_passphrase = desktop.needs_passphrase
        for widget in (self.inputs["passphrase"], self.passphrase_label):
            widget.setVisible(needs_passphrase)
        for widget in (self.passphrase_again, again_label):
            widget.setVisible(needs_passphrase and not desktop.store_exists)

        self.keyring_notice = QLabel(self)
        self.keyring_notice.setWordWrap(True)
        self.keyring_icon = QLabel(self)
        if not desktop.secure_keyring:
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            self.keyring_icon.setPixmap(icon.pixmap(16, 16))
            self.keyring_notice.setText(
                self.tr(
                    "No secure keyring (Secret Service, Keychain or Credential Manager) is "
                    "available on this computer. Your sign-in is kept in memory for this "
                    "session only and is never written to a file, so you will sign in again "
                    "next time and cannot start offline."
                )
            )
        self.keyring_notice.setAccessibleName(self.keyring_notice.text())
        self.keyring_notice.setVisible(bool(self.keyring_notice.text()))
        self.keyring_icon.setVisible(bool(self.keyring_notice.text()))
        notice = QHBoxLayout()
        notice.addWidget(self.keyring_icon, 0)
        notice.addWidget(self.keyring_notice, 1)

        self.form_error = QLabel(self)
        self.form_error.setWordWrap(True)
        self.form_error.setAccessibleName(self.tr("Sign-in error"))
        self.form_error.hide()
        self.progress = QLabel(self)
        self.progress.setAccessibleName(self.tr("Sign-in progress"))
        self.sign_in_button = QPushButton(self.tr("Sign &in"), self)
        self.sign_in_button.setAccessibleName(self.tr("Sign in"))
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setAutoDefault(True)
        self.sign_in_button.clicked.connect(self.submit)
        for edit in (*self.inputs.values(), self.passphrase_again):
            edit.returnPressed.connect(self.submit)

        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.sign_in_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addLayout(notice)
        layout.addWidget(self.form_error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        order = [
            *(self.inputs[name] for name in FIELDS if not self.inputs[name].isReadOnly()),
            self.passphrase_again,
            self.sign_in_button,
        ]
        for first, second in pairwise(order):
            self.setTabOrder(first, second)
        self.resize(520, 420)

    # --- public -----------------------------------------------------------------------------

    def prefill(self, *, server_url: str = "", tenant: str = "", username: str = "") -> None:
        """Fill fields given on the command line (never over a value policy has locked)."""
        for name, value in (("server_url", server_url), ("tenant", tenant), ("username", username)):
            if value and not self.inputs[name].isReadOnly():
                self.inputs[name].setText(value)
        self.focus_first_empty()

    def focus_first_empty(self) -> None:
        for name in FIELDS:
            edit = self.inputs[name]
            if edit.isVisible() and not edit.isReadOnly() and not edit.text():
                edit.setFocus()
                return
        self.inputs["password"].setFocus()

    def show_message(self, message: str) -> None:
        """A message about the whole form (e.g. why the person was signed out)."""
        self.form_error.setText(message)
        self.form_error.setAccessibleName(message)
        self.form_error.setVisible(bool(message))

    def request(self) -> SignInRequest:
        return SignInRequest(
            server_url=self.inputs["server_url"].text(),
            tenant=self.inputs["tenant"].text(),
            username=self.inputs["username"].text(),
            password=self.inputs["password"].text(),
            passphrase=self.inputs["passphrase"].text(),
            passphrase_again=self.passphrase_again.text(),
        )

    def submit(self) -> None:
        """Sign in on a worker; the window stays responsive and shows progress."""
        if self.busy:
            return
        self.busy = True
        self.clear_errors()
        self._set_inputs_enabled(False)
        self.progress.setText(self.tr("Signing in…"))
        desktop, request = self.desktop, self.request()
        self.workers.start(
            lambda _report: open_session(desktop, request),
            self._on_worker_succeeded,
            self._on_worker_failed,
        )

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()
        self.show_message("")

    def error_text(self, field: str) -> str:
        """The message shown beside ``field`` ("" for the whole form)."""
        if field in self.errors:
            return self.errors[field].text().removeprefix("⚠ ")
        return self.form_error.text().removeprefix("⚠ ")

    # --- results ----------------------------------------------------------------------------

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for edit in (*self.inputs.values(), self.passphrase_again):
            edit.setEnabled(enabled)
        self.sign_in_button.setEnabled(enabled)

    def _on_worker_succeeded(self, opened: object) -> None:
        self.busy = False
        self.progress.clear()
        self._set_inputs_enabled(True)
        assert isinstance(opened, Opened)
        self.inputs["password"].clear()
        self.inputs["passphrase"].clear()
        self.passphrase_again.clear()
        self.signed_in.emit(opened)

    def _on_worker_failed(self, error: BaseException) -> None:
        self.busy = False
        self.progress.clear()
        self._set_inputs_enabled(True)
        if not isinstance(error, SignInFailed):
            raise error
        field = error.field if error.field in self.errors else ""
        text = "⚠ " + error.message
        if field:
            label = self.errors[field]
            label.setText(text)
            label.setAccessibleName(error.message)
            label.show()
            # Screen readers announce the field with its problem.
            self.inputs[field].setAccessibleDescription(error.message)
            target = self.inputs[field]
            if target.isReadOnly():
                self.inputs["password"].setFocus()
            else:
                target.setFocus()
                target.selectAll()
        else:
            self.show_message(text)
        self.failed.emit(field, error.message)
