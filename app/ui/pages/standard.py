"""The pages the main window offers, as injected specs: one list the shell is built from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.models.entities import Role
from app.ui.pages.case import CasePage
from app.ui.pages.caseload import CaseloadPage
from app.ui.pages.conflicts import ConflictsPage
from app.ui.pages.referrals import ReferralsPage
from app.ui.pages.resident import ResidentPage
from app.ui.pages.search import SearchPage
from app.ui.pages.visits import VisitsPage
from app.ui.session import UiSession
from app.ui.team.allocation import AllocationPage
from app.ui.team.approvals import ApprovalsPage
from app.ui.team.caseload import TeamCaseloadPage

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


def standard_pages(role: str = Role.FIELD_OFFICER) -> list[PageSpec]:
    """The pages ``role`` is offered, in navigation order (call after the translator is installed).

    Team leads also get the team's screens. Hiding them from others is a courtesy only: the
    platform refuses a lead's action from anyone else whatever the laptop offers.
    """
    # Literal translate() calls, so pyside6-lupdate finds every title.
    translate = QCoreApplication.translate
    pages = [
        PageSpec("caseload", translate("Navigation", "My caseload"), "Ctrl+1", CaseloadPage),
        PageSpec("visits", translate("Navigation", "Today's visits"), "Ctrl+2", VisitsPage),
        PageSpec("search", translate("Navigation", "Search"), "Ctrl+3", SearchPage),
        PageSpec("referrals", translate("Navigation", "Referrals inbox"), "Ctrl+4", ReferralsPage),
        PageSpec("conflicts", translate("Navigation", "Conflicts"), "Ctrl+5", ConflictsPage),
        PageSpec("resident", translate("Navigation", "Resident"), None, ResidentPage, False),
        PageSpec("case", translate("Navigation", "Case"), None, CasePage, False),
    ]
    if role == Role.TEAM_LEAD:
        pages[5:5] = [
            PageSpec("team", translate("Navigation", "Team caseload"), "Ctrl+6", TeamCaseloadPage),
            PageSpec("allocation", translate("Navigation", "Allocation"), "Ctrl+7", AllocationPage),
            PageSpec("approvals", translate("Navigation", "Approvals"), "Ctrl+8", ApprovalsPage),
        ]
    return pages
