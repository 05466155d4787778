"""Search finds residents by name, NHS number and postcode and cases by reference; Enter opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.ui.pages.search import CASES, PEOPLE, SearchPage
from app.ui.session import UiSession
from tests.ui.pages.conftest import check_model

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester


def a_resident(session: UiSession) -> dict[str, str]:
    """A demo resident with an NHS number and a home, read from the store itself."""
    with session.store.engine.connect() as connection:
        row = connection.execute(
            text(
                """
                SELECT p.id, p.given_name, p.family_name, p.nhs_number, pr.postcode,
                       CAST(pr.uprn AS TEXT)
                  FROM person p
                  JOIN household_member hm ON hm.person_id = p.id
                  JOIN household h ON h.id = hm.household_id
                  JOIN property pr ON pr.id = h.property_id
                 WHERE p.nhs_number IS NOT NULL AND pr.postcode NOT LIKE 'ZZ99%'
                   AND pr.uprn IS NOT NULL
                 ORDER BY p.family_name LIMIT 1
                """
            )
        ).one()
    return dict(zip(("id", "given", "family", "nhs", "postcode", "uprn"), row, strict=True))


def typed(qtbot: QtBot, page: SearchPage, query: str) -> None:
    """Type as an officer would and wait for the debounced search to answer."""
    page.box.clear()
    with qtbot.waitSignal(page.searched, timeout=5000):
        QTest.keyClicks(page.box, query)


def people_ids(page: SearchPage) -> set[str]:
    return {hit.id.hex for hit in page.model.people}


@pytest.mark.parametrize("field", ["name", "nhs", "postcode", "uprn"])
def test_finds_a_person_by_name_nhs_number_postcode_or_uprn(
    qtbot: QtBot, qtmodeltester: ModelTester, session: UiSession, field: str
) -> None:
    page = SearchPage(session)
    qtbot.addWidget(page)
    resident = a_resident(session)
    query = {
        "name": f"{resident['given']} {resident['family']}",
        "nhs": resident["nhs"],
        "postcode": resident["postcode"],
        "uprn": resident["uprn"],
    }[field]
    typed(qtbot, page, query)
    assert resident["id"] in people_ids(page)
    check_model(qtmodeltester, page.model)
    group = page.model.index(PEOPLE, 0)
    assert page.model.data(group).startswith("People (")
    assert page.model.rowCount(group) == len(page.model.people)


def test_enter_opens_the_first_person(qtbot: QtBot, session: UiSession) -> None:
    page = SearchPage(session)
    qtbot.addWidget(page)
    resident = a_resident(session)
    page.box.setText(resident["nhs"])
    with qtbot.waitSignal(session.events.open_person) as opened:
        QTest.keyClick(page.box, Qt.Key.Key_Return)
    assert opened.args[0].hex == resident["id"]


def test_down_then_enter_opens_a_case_by_reference(
    qtbot: QtBot, qtmodeltester: ModelTester, session: UiSession
) -> None:
    with session.store.engine.connect() as connection:
        case_id, reference = connection.execute(
            text("SELECT id, reference FROM case_record ORDER BY reference LIMIT 1 OFFSET 5")
        ).one()
    page = SearchPage(session)
    qtbot.addWidget(page)
    typed(qtbot, page, reference)
    assert [hit.reference for hit in page.model.cases] == [reference]
    check_model(qtmodeltester, page.model)
    cases = page.model.index(CASES, 0)
    page.results.setCurrentIndex(page.model.index(0, 0, cases))
    with qtbot.waitSignal(session.events.open_case) as opened:
        QTest.keyClick(page.results, Qt.Key.Key_Return)
    assert opened.args[0].hex == case_id


def test_down_moves_from_the_box_into_the_results(qtbot: QtBot, session: UiSession) -> None:
    page = SearchPage(session)
    qtbot.addWidget(page)
    typed(qtbot, page, a_resident(session)["family"])
    QTest.keyClick(page.box, Qt.Key.Key_Down)
    current = page.results.currentIndex()
    assert page.model.hit(current) is page.model.people[0]


def test_nothing_typed_finds_nothing(qtbot: QtBot, session: UiSession) -> None:
    page = SearchPage(session)
    qtbot.addWidget(page)
    typed(qtbot, page, "  ")
    assert page.model.people == []
    assert page.model.cases == []
