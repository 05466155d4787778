"""The QApplication: names, icon, High-DPI behaviour and the interface language."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from app import __version__

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
TRANSLATIONS = RESOURCES / "translations"
ICON = RESOURCES / "doorstep.png"
LANGUAGES = ("en", "cy")


def choose_language(setting: str, locale: QLocale | None = None) -> str:
    """The user's setting if made, else the OS locale's language if we ship it, else English."""
    if setting in LANGUAGES:
        return setting
    name = (locale or QLocale.system()).name()  # e.g. "cy_GB"
    language = name.split("_", 1)[0]
    return language if language in LANGUAGES else "en"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load Doorstep's (and Qt's own) translations for ``language``; English needs none.

    Returns the installed translators, which must be kept alive as long as they are used.
    """
    installed: list[QTranslator] = []
    if language == "en":
        return installed
    ours = QTranslator(app)
    if ours.load(f"doorstep_{language}", str(TRANSLATIONS)):
        app.installTranslator(ours)
        installed.append(ours)
    qt_own = QTranslator(app)
    # Qt's standard dialog buttons (OK, Cancel); absent from a pruned bundle, which is fine.
    if qt_own.load(
        f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(qt_own)
        installed.append(qt_own)
    return installed


def remove_translators(app: QCoreApplication, translators: Sequence[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)


def create_application(argv: Sequence[str]) -> QApplication:
    """The one QApplication, named so QSettings and the OS know it, usable at 200% scaling."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Fractional scale factors (150%, 175%) are passed through, not rounded: text and
        # icons keep their size on the council's high-DPI laptops.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(list(argv))
    app.setApplicationName("Doorstep")
    app.setOrganizationName("Doorstep")
    app.setOrganizationDomain("doorstep.invalid")
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("Doorstep")
    QGuiApplication.setDesktopFileName("doorstep")
    if ICON.exists():
        app.setWindowIcon(QIcon(str(ICON)))
    return app
