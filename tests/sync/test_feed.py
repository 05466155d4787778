"""Reading pull pages without pydantic: the same page, the same refusals, the same result."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from app.store.db import Store
from app.sync.feed import PageMalformed, from_response, read_page
from app.sync.local import LocalSync
from app.sync.protocol import Change, PullResponse
from tests.sync.conftest import CASE, PERSON, TASK, full, gone, page, rows_of, summary, world


def body_of(response: PullResponse) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(response.model_dump_json())
    return data


def mixed() -> PullResponse:
    w = world()
    conflict = Change(
        entity="conflict",
        id=uuid.uuid4(),
        version=1,
        fields={"entity": "person", "record_id": str(PERSON), "field": "phone"},
    )
    return page(
        full("person", {**w["person"][PERSON], "family_name": "Morgan"}, 4),
        summary(w["case"][CASE], 5),
        gone("task", TASK, 2),
        gone("person", uuid.UUID(int=77), 3, exit_=True),
        conflict,
        has_more=True,
    )


def test_read_page_gives_what_pydantic_gives() -> None:
    response = mixed()
    raw = response.model_dump_json()
    assert read_page(raw) == from_response(PullResponse.model_validate_json(raw))
    assert read_page(raw.encode()) == read_page(json.loads(raw))


def test_members_may_be_left_to_their_defaults() -> None:
    data = body_of(mixed())
    for change in data["changes"]:
        if change["scope"] == "full" and not change["deleted"]:
            del change["scope"], change["deleted"]
    assert read_page(data) == from_response(PullResponse.model_validate(data))


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ((), "not json", "not JSON"),
        (("cursor",), None, "exactly"),
        (("extra",), 1, "exactly"),
        (("has_more",), "yes", "has_more"),
        (("epoch",), "never", "epoch"),
        (("changes", 0, "id"), "123", "'id' is not a UUID"),
        (("changes", 0, "version"), "4", "version a number"),
        (("changes", 0, "scope"), "partial", "scope"),
        (("changes", 0, "fields"), [1], "fields an object"),
        (("changes", 0, "colour"), "red", "not an object of"),
    ],
)
def test_malformed_pages_are_refused(path: tuple[Any, ...], value: Any, message: str) -> None:
    data: Any = body_of(mixed())
    if not path:
        data = value
    elif value is None:
        del data[path[0]]
    else:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    with pytest.raises(PageMalformed, match=message):
        read_page(data if not path else json.dumps(data))


def test_a_page_read_fast_applies_the_same(store: Store, sync: LocalSync) -> None:
    counts = sync.apply_page(read_page(mixed().model_dump_json()))
    assert (counts.upserted, counts.summaries, counts.tombstones, counts.exits) == (1, 1, 1, 1)
    assert rows_of(store, "SELECT family_name, version FROM person") == [("Morgan", 4)]
    assert rows_of(store, "SELECT count(*) FROM case_record") == [(0,)]
    assert sync.state().cursor == "c1"
