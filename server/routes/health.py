"""Routes: liveness (the process answers) and readiness (the database answers, schema at head)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from server.migrate import current_revision, head_revision
from server.problems import Problem

router = APIRouter(tags=["health"])
logger = logging.getLogger(__name__)


@router.get("/health", summary="Liveness: the process is up")
def health() -> dict[str, str]:
    """Always ``{"status": "ok"}`` while the process can answer; touches nothing else."""
    return {"status": "ok"}


@router.get(
    "/ready",
    summary="Readiness: the database answers and its schema is current",
    responses={503: {"description": "Not ready (problem+json, code 'not-ready')"}},
)
def ready(request: Request) -> dict[str, str]:
    """``{"status": "ready", "revision": ...}``, or 503 while the platform cannot serve.

    Load balancers should route to a worker only while this answers 200: before
    ``doorstep-server migrate`` has run, or while the database is unreachable, it is 503.
    """
    engine: Engine = request.app.state.engine
    expected = head_revision()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            revision = current_revision(connection)
    except SQLAlchemyError as error:
        # The error text can name hosts and users: logged by type only, never returned.
        logger.warning("readiness check: database unavailable (%s)", type(error).__name__)
        raise Problem(
            503,
            "not-ready",
            "The platform is not ready.",
            "The database does not answer.",
            headers={"Retry-After": "5"},
        ) from None
    if revision != expected:
        raise Problem(
            503,
            "not-ready",
            "The platform is not ready.",
            f"The database schema is at revision {revision or 'none'}, this build needs "
            f"{expected}; run 'doorstep-server migrate'.",
            extra={"revision": revision, "expected_revision": expected},
            headers={"Retry-After": "30"},
        )
    return {"status": "ready", "revision": expected}
