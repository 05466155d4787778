"""Structured JSON-lines logging and an access log that records no personal data or secrets."""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
import uuid
from datetime import UTC, datetime
from typing import Any, TextIO

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ACCESS_LOGGER = "doorstep.access"
REQUEST_ID_HEADER = b"x-request-id"
# Whatever a record carries beyond these came from ``extra={...}`` and is logged as fields.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the ``extra`` fields.

    Exceptions are logged as their type and stack frames only: the message of a database
    error can quote the row values (names, NHS numbers) that failed, so it is left out.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRS and key not in entry:
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            entry["exc_type"] = f"{exc_type.__module__}.{exc_type.__qualname__}"
            entry["traceback"] = "".join(traceback.format_tb(tb))
        return json.dumps(entry, default=str, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time, so a swapped stream is never stale."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


_HANDLER_MARK = "_doorstep_json_handler"


def configure_logging(level: str | int = "INFO", stream: TextIO | None = None) -> logging.Handler:
    """Send every log record (ours, uvicorn's, SQLAlchemy's) to one JSON-lines handler.

    Calling it again replaces the handler rather than adding a second, so each app made in
    the same process (tests make many) logs each line once. Returns the handler installed.
    """
    handler: logging.Handler = _StderrHandler() if stream is None else logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    setattr(handler, _HANDLER_MARK, True)
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, _HANDLER_MARK, False):
            root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    return handler


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    if route is None:
        # FastAPI names only its API routes in the scope; find plain ones (/docs) ourselves.
        router = scope.get("router")
        for candidate in getattr(router, "routes", ()):
            if isinstance(candidate, BaseRoute) and candidate.matches(scope)[0] is Match.FULL:
                route = candidate
                break
    path = getattr(route, "path", None)
    # Unmatched paths are not logged as typed: a mistyped URL could carry anything.
    return path if isinstance(path, str) else "<unmatched>"


def _user_id(scope: Scope) -> str | None:
    state = scope.get("state")
    principal = state.get("principal") if isinstance(state, dict) else None
    user_id = getattr(principal, "user_id", None)
    return str(user_id) if isinstance(user_id, uuid.UUID) else None


class AccessLogMiddleware:
    """Pure ASGI middleware writing one access-log line per HTTP request.

    Logged: method, route template (``/api/v1/records/{entity}/{record_id}``, never the raw
    path or query string), status, duration, the signed-in user's id when a route set
    ``request.state.principal``, and a request id echoed in ``X-Request-ID``. Never logged:
    bodies, query strings, headers, tokens.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.logger = logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER, request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            fields = {
                "method": scope.get("method", ""),
                "route": _route_template(scope),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "user_id": _user_id(scope),
                "request_id": request_id,
            }
            self.logger.info("request", extra=fields)
