"""Routes: the sync endpoints (push a batch of mutations, pull a page of the change feed)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.exc import DBAPIError

from app.sync.protocol import MAX_PAGE, PullResponse, PushRequest, PushResponse
from server.auth import CallerDep, note_seen_later
from server.deps import SessionDep, SettingsDep
from server.problems import Problem
from server.sync.pull import feed_page
from server.sync.push import apply_push, is_retryable

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1/sync", tags=["sync"])

PUSH_ATTEMPTS = 5
"""A batch that loses a deadlock (rows locked in another order by a scope change) is retried."""

JSON = "application/json"


@router.post("/push", response_model=PushResponse, summary="Push a batch of mutations")
def push(
    request: Request,
    batch: PushRequest,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Apply the batch exactly once and answer per mutation (see docs/sync-protocol.md)."""
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        try:
            # Counted, so pages wait for it (server.sync.gate), until just before its commit:
            # waiting for that (the WAL flush) needs no interpreter, so a page may start
            # meanwhile; the push then only sends its answer.
            # The caller's device and account are checked in the push's own transaction.
            with session.begin(), request.app.state.sync_gate.push():
                principal = caller(session)
                answer = apply_push(session, principal, batch, settings)
        except DBAPIError as error:
            if not is_retryable(error):
                raise
            log.warning("push retried after a deadlock", extra={"attempt": attempt})
            continue
        return Response(answer.model_dump_json(), media_type=JSON)
    raise Problem(
        503,
        "busy",
        "The platform is busy; push the batch again.",
        "Retrying the same batch is safe: nothing in it is applied twice.",
        headers={"Retry-After": "1"},
    )


@router.get("/pull", response_model=PullResponse, summary="Pull a page of the change feed")
def pull(
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PAGE)] = None,
) -> Response:
    """The next page of the caller's scope after ``cursor`` (none: from the beginning)."""
    # Pushes go straight on; pages wait for a slot and a moment with no push running (see
    # server.sync.gate), holding no database connection while they wait. The caller's device
    # and account are checked in the page's own transaction.
    with request.app.state.sync_gate.pull(), session.begin():
        principal = caller(session, note_seen=False)
        page = feed_page(session, principal, cursor, limit or settings.pull_page_size)
    note_seen_later(request, session)
    return Response(page.to_json(), media_type=JSON)
