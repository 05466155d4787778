"""The pages the main window offers, as injected specs: one list the shell is built from."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

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


def _page(module: str, class_name: str) -> PageFactory | None:
    """The page class's constructor if its module is part of this build, else None.

    Screens are built in parallel; a build without one simply leaves it out of navigation.
    """
    name = f"app.ui.pages.{module}"
    if importlib.util.find_spec(name) is None:
        return None
    page_class = getattr(importlib.import_module(name), class_name)

    def build(session: UiSession) -> QWidget:
        widget: QWidget = page_class(session)
        return widget

    return build


def standard_pages() -> list[PageSpec]:
    """Every page of this build in navigation order (call after the translator is installed)."""
    # Literal translate() calls, so pyside6-lupdate finds every title.
    translate = QCoreApplication.translate
    wanted: Sequence[tuple[str, str, str | None, bool, str]] = (
        ("caseload", translate("Navigation", "My caseload"), "Ctrl+1", True, "CaseloadPage"),
        ("visits", translate("Navigation", "Today's visits"), "Ctrl+2", True, "VisitsPage"),
        ("search", translate("Navigation", "Search"), "Ctrl+3", True, "SearchPage"),
        ("referrals", translate("Navigation", "Referrals inbox"), "Ctrl+4", True, "ReferralsPage"),
        ("conflicts", translate("Navigation", "Conflicts"), "Ctrl+5", True, "ConflictsPage"),
        ("resident", translate("Navigation", "Resident"), None, False, "ResidentPage"),
        ("case", translate("Navigation", "Case"), None, False, "CasePage"),
    )
    specs = []
    for key, title, shortcut, in_navigation, class_name in wanted:
        factory = _page(key, class_name)
        if factory is not None:
            specs.append(PageSpec(key, title, shortcut, factory, in_navigation))
    return specs
