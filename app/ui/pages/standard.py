"""The pages the main window offers, as injected specs: one list the shell is built from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.ui.pages.case import CasePage
from app.ui.pages.caseload import CaseloadPage
from app.ui.pages.conflicts import ConflictsPage
from app.ui.pages.referrals import ReferralsPage
from app.ui.pages.resident import ResidentPage
from app.ui.pages.search import SearchPage
from app.ui.pages.visits import VisitsPage
from app.ui.session import UiSession

PageFactory = Callable[[UiSession], QWidget]


@dataclass(frozen=True)
class PageSpec:
    """One page of the main window.

    ``factory(session)`` builds the page the first time it is shown. Pages outside the
    navigation are reached by events: "resident" must have ``show_person(uuid)`` and "case"
    ``show_case(uuid)``. ``shortcut`` is a QKeySequence string such as "Ctrl+1".
    """

    key: str
    title: str
    shortcut: str | None
    factory: PageFactory
    in_navigation: bool = True


def standard_pages() -> list[PageSpec]:
    """Every page of this build in navigation order (call after the translator is installed)."""
    # Literal translate() calls, so pyside6-lupdate finds every title.
    translate = QCoreApplication.translate
    return [
        PageSpec("caseload", translate("Navigation", "My caseload"), "Ctrl+1", CaseloadPage),
        PageSpec("visits", translate("Navigation", "Today's visits"), "Ctrl+2", VisitsPage),
        PageSpec("search", translate("Navigation", "Search"), "Ctrl+3", SearchPage),
        PageSpec("referrals", translate("Navigation", "Referrals inbox"), "Ctrl+4", ReferralsPage),
        PageSpec("conflicts", translate("Navigation", "Conflicts"), "Ctrl+5", ConflictsPage),
        PageSpec("resident", translate("Navigation", "Resident"), None, ResidentPage, False),
        PageSpec("case", translate("Navigation", "Case"), None, CasePage, False),
    ]
