"""A one-page PDF summary of a team's caseload for supervision meetings."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app.ui.team.models import rag_text
from app.views.team import Rag, TeamDashboard

MAX_CASES = 15
"""Red and amber cases listed on the page, worst and soonest first; the rest are counted."""


def summary_html(board: TeamDashboard) -> str:
    """The summary as HTML: officers' workloads and the cases needing attention (no names of
    residents: the page is printed and carried into meetings)."""
    title = QCoreApplication.translate("TeamScreens", "Caseload summary: {team}").format(
        team=escape(board.team_name)
    )
    parts = [
        f"<h2>{title}</h2>",
        "<p>"
        + escape(
            QCoreApplication.translate("TeamScreens", "As of {when}").format(
                when=f"{board.as_of:%d %B %Y %H:%M} UTC"
            )
        ),
        "</p><table border='1' cellspacing='0' cellpadding='3' width='100%'><tr>",
    ]
    heads = (
        QCoreApplication.translate("TeamScreens", "Officer"),
        QCoreApplication.translate("TeamScreens", "Open cases"),
        QCoreApplication.translate("TeamScreens", "Points"),
        QCoreApplication.translate("TeamScreens", "Overdue tasks"),
        QCoreApplication.translate("TeamScreens", "Overdue visits"),
        QCoreApplication.translate("TeamScreens", "Red"),
        QCoreApplication.translate("TeamScreens", "Amber"),
    )
    for head in heads:
        parts.append(f"<th>{escape(head)}</th>")
    parts.append("</tr>")
    for o in board.officers:
        cells = (o.name, o.open_cases, o.points, o.overdue_tasks, o.overdue_visits, o.red, o.amber)
        parts.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    parts.append("</table>")
    unallocated = len(board.cases_of(None))
    parts.append(
        "<p>"
        + escape(
            QCoreApplication.translate(
                "TeamScreens", "Waiting for allocation: {queue} (of which new cases: {cases})"
            ).format(queue=len(board.queue), cases=unallocated)
        )
        + "</p>"
    )
    urgent = [c for c in board.cases if c.rag is not Rag.GREEN]
    urgent.sort(key=lambda c: (c.rag is not Rag.RED, c.deadline.due if c.deadline else board.as_of))
    heading = QCoreApplication.translate("TeamScreens", "Cases needing attention")
    parts.append(f"<h3>{escape(heading)}</h3><table width='100%'>")
    for c in urgent[:MAX_CASES]:
        row = (
            rag_text(c.rag),
            c.reference,
            c.officer_name or QCoreApplication.translate("TeamScreens", "Unallocated"),
            c.rag_text,
        )
        parts.append("<tr>" + "".join(f"<td>{escape(str(x))}</td>" for x in row) + "</tr>")
    parts.append("</table>")
    if len(urgent) > MAX_CASES:
        more = QCoreApplication.translate(
            "TeamScreens", "… and {n} more red or amber cases."
        ).format(n=len(urgent) - MAX_CASES)
        parts.append(f"<p>{escape(more)}</p>")
    return "".join(parts)


def write_summary_pdf(board: TeamDashboard, path: Path) -> None:
    """Write the summary to ``path`` as an A4 PDF of one page."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(96)
    writer.setTitle(QCoreApplication.translate("TeamScreens", "Caseload summary"))
    document = QTextDocument()
    document.setDefaultStyleSheet("body { font-size: 9pt; } th { text-align: left; }")
    document.setHtml(summary_html(board))
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    document.setPageSize(QSizeF(page.width(), page.height()))
    document.print_(writer)
