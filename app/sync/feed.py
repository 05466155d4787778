"""Pull pages in the light form the local applier works on, read fast from the wire."""

from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from app.sync import pulled
from app.sync.protocol import PullResponse

# ``PullResponse.model_validate_json`` builds a pydantic object per change and costs more than
# applying the page (about 27,000 changes/s against 135,000/s for ``json.loads`` on the 2-core
# benchmark machine). ``read_page`` checks the same envelope (every member of the page and of
# each change, with its type) by hand on top of ``json.loads``; field values are checked when
# the page is applied, exactly as they are for a ``PullResponse``.


class PageMalformed(ValueError):
    """A pull page that does not follow the protocol; ``message`` names what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FeedChange(NamedTuple):
    """One change of a page; ``record`` is the record's id as 32 hex digits."""

    entity: str
    record: str
    version: int
    deleted: bool
    scope: str
    fields: dict[str, Any] | None


@dataclass(frozen=True)
class FeedPage:
    """One page of the change feed."""

    changes: list[FeedChange]
    cursor: str
    has_more: bool
    epoch: uuid.UUID


def from_response(page: PullResponse) -> FeedPage:
    """A validated ``PullResponse`` in the applier's form."""
    return FeedPage(
        changes=[
            FeedChange(c.entity, c.id.hex, c.version, c.deleted, c.scope, c.fields)
            for c in page.changes
        ],
        cursor=page.cursor,
        has_more=page.has_more,
        epoch=page.epoch,
    )


_PAGE_KEYS = frozenset({"changes", "cursor", "has_more", "epoch"})
_CHANGE_KEYS = frozenset({"entity", "id", "version", "deleted", "scope", "fields"})
_SCOPES = frozenset({"full", "summary", "exit"})


def _hex_id(raw: Any, index: int) -> str:
    try:
        return pulled.uuid_hex(raw)
    except pulled.Unsure:
        pass
    try:
        return uuid.UUID(str(raw)).hex
    except ValueError:
        raise PageMalformed(f"change {index}: 'id' is not a UUID.") from None


def read_page(body: bytes | str | Mapping[str, Any]) -> FeedPage:
    """Read a ``PullResponse`` body (JSON text, or already parsed) without pydantic.

    Raises ``PageMalformed`` for anything ``PullResponse`` would refuse in the envelope: a
    missing or unknown member, or a member of the wrong type.
    """
    # A page parses into hundreds of thousands of small acyclic objects; the cyclic
    # collector's sweeps over them would cost a third of the reading time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read(body)
    finally:
        if collecting:
            gc.enable()


def _read(body: bytes | str | Mapping[str, Any]) -> FeedPage:
    try:
        data = json.loads(body) if isinstance(body, bytes | str) else body
    except ValueError as error:
        raise PageMalformed(f"The page is not JSON: {error}") from None
    if not isinstance(data, Mapping) or set(data) != _PAGE_KEYS:
        raise PageMalformed("A page has exactly: changes, cursor, has_more, epoch.")
    cursor, has_more, raw_changes = data["cursor"], data["has_more"], data["changes"]
    if type(cursor) is not str or type(has_more) is not bool or type(raw_changes) is not list:
        raise PageMalformed("A page's cursor is text, has_more true or false, changes a list.")
    try:
        epoch = uuid.UUID(str(data["epoch"]))
    except ValueError:
        raise PageMalformed("A page's epoch is not a UUID.") from None
    changes: list[FeedChange] = []
    append = changes.append
    for raw in raw_changes:
        if type(raw) is not dict or not raw.keys() <= _CHANGE_KEYS:
            raise PageMalformed(
                f"change {len(changes)}: not an object of {', '.join(sorted(_CHANGE_KEYS))}."
            )
        entity = raw.get("entity")
        version = raw.get("version")
        deleted = raw.get("deleted", False)
        scope = raw.get("scope", "full")
        fields = raw.get("fields")
        if type(entity) is not str or type(version) is not int or type(deleted) is not bool:
            raise PageMalformed(
                f"change {len(changes)}: entity is text, version a number, deleted a flag."
            )
        if scope not in _SCOPES or (fields is not None and type(fields) is not dict):
            raise PageMalformed(
                f"change {len(changes)}: scope is full, summary or exit; fields an object."
            )
        append(
            FeedChange(
                entity, _hex_id(raw.get("id"), len(changes)), version, deleted, scope, fields
            )
        )
    return FeedPage(changes=changes, cursor=cursor, has_more=has_more, epoch=epoch)
