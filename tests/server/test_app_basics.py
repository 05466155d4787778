"""Health, readiness, body limits, gzip request bodies and an access log free of personal data."""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import logging
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from server.app import create_app
from server.db import make_engine
from server.deps import Principal
from server.limits import BodyLimitMiddleware
from server.logs import JsonFormatter, configure_logging
from server.migrate import head_revision
from server.problems import MEDIA_TYPE, PROBLEM_BASE
from tests.server.conftest import MakeClient, settings_for

LIMIT = 4096
RESIDENT = "Bronwen Pryce-Jones"
NHS_NUMBER = "9434765919"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl"


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    body: dict[str, Any] = response.json()
    assert body["type"] == PROBLEM_BASE + code
    assert body["status"] == status
    return body


# --- health and readiness ---------------------------------------------------------------------


def test_health_is_ok_even_without_a_schema(tmp_path: Path, make_client: MakeClient) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    response = make_client(engine).get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_on_a_migrated_database(
    sqlite_platform_engine: sa.Engine, make_client: MakeClient
) -> None:
    response = make_client(sqlite_platform_engine).get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "revision": head_revision()}


@pytest.mark.postgres
def test_ready_on_a_migrated_postgresql_database(
    pg_platform_engine: sa.Engine, make_client: MakeClient
) -> None:
    response = make_client(pg_platform_engine).get("/ready")
    assert response.status_code == 200
    assert response.json()["revision"] == head_revision()


def test_not_ready_before_migrating(tmp_path: Path, make_client: MakeClient) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    body = _problem(make_client(engine).get("/ready"), 503, "not-ready")
    assert "run 'doorstep-server migrate'" in body["detail"]
    assert body["revision"] is None
    assert body["expected_revision"] == head_revision()


def test_not_ready_when_the_database_does_not_answer(make_client: MakeClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = make_engine(f"postgresql+psycopg://doorstep:hunter22@127.0.0.1:{port}/nowhere")
    response = make_client(engine).get("/ready")
    body = _problem(response, 503, "not-ready")
    assert body["detail"] == "The database does not answer."
    assert "hunter22" not in response.text
    assert response.headers["retry-after"] == "5"


def test_openapi_docs_still_work(
    sqlite_platform_engine: sa.Engine, make_client: MakeClient
) -> None:
    client = make_client(sqlite_platform_engine)
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/health", "/ready"} <= set(paths)


# --- body limits and gzip ---------------------------------------------------------------------


@pytest.fixture
def echo_client(sqlite_platform_engine: sa.Engine) -> Iterator[TestClient]:
    """The platform app with a small body limit and test routes that echo what they get."""
    app = create_app(settings_for(sqlite_platform_engine, max_body_bytes=LIMIT))
    _add_test_routes(app)
    with TestClient(app) as client:
        yield client


def _add_test_routes(app: FastAPI) -> None:
    @app.post("/test/echo")
    async def echo(request: Request) -> dict[str, Any]:
        body = await request.body()
        return {
            "length": len(body),
            "json": json.loads(body) if body else None,
            "content_length": request.headers.get("content-length"),
            "content_encoding": request.headers.get("content-encoding"),
        }

    @app.post("/test/residents/{resident_id}")
    async def signed_in(resident_id: str, request: Request) -> dict[str, str]:
        # What server.auth does for every signed-in request.
        request.state.principal = Principal(
            user_id=uuid.UUID(int=7),
            tenant_id=uuid.UUID(int=1),
            device_id=uuid.UUID(int=2),
            role="field_officer",
            team_id=None,
            service=None,
            may_view_sealed=False,
        )
        return {"resident": resident_id}


def test_a_body_just_within_the_limit_is_accepted(echo_client: TestClient) -> None:
    payload = b'"' + b"x" * (LIMIT - 2) + b'"'
    response = echo_client.post("/test/echo", content=payload)
    assert response.status_code == 200
    assert response.json()["length"] == LIMIT


def test_a_declared_oversize_body_is_refused_with_413(echo_client: TestClient) -> None:
    body = _problem(echo_client.post("/test/echo", content=b"x" * (LIMIT + 1)), 413, "too-large")
    assert body["max_body_bytes"] == LIMIT


def test_a_chunked_oversize_body_is_refused(echo_client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"y" * 1000

    # A generator makes httpx send Transfer-Encoding: chunked, with no Content-Length.
    _problem(echo_client.post("/test/echo", content=chunks()), 413, "too-large")


def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_limit() -> None:
    """Straight at the middleware: the test client would read the whole body up front."""
    received = 0
    sent: list[Message] = []
    inner_called = False

    async def inner(_scope: Scope, _receive: Receive, _send: Send) -> None:
        nonlocal inner_called
        inner_called = True

    async def receive() -> Message:
        nonlocal received
        received += 1
        return {"type": "http.request", "body": b"y" * 1000, "more_body": received < 100}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/sync/push",
        "raw_path": b"/api/v1/sync/push",
        "query_string": b"",
        "headers": [(b"transfer-encoding", b"chunked")],
        "scheme": "http",
        "server": ("testserver", 80),
        "root_path": "",
    }
    asyncio.run(BodyLimitMiddleware(inner, max_body_bytes=LIMIT)(scope, receive, send))

    assert sent[0]["type"] == "http.response.start"
    assert sent[0]["status"] == 413
    assert not inner_called
    assert received == LIMIT // 1000 + 1


def test_a_gzip_body_is_decompressed_for_the_route(echo_client: TestClient) -> None:
    document = {"mutations": [{"id": i, "fields": {"note": "a" * 50}} for i in range(40)]}
    raw = json.dumps(document).encode()
    assert len(raw) < LIMIT
    response = echo_client.post(
        "/test/echo",
        content=gzip.compress(raw),
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert response.status_code == 200
    echoed = response.json()
    assert echoed["json"] == document
    assert echoed["length"] == len(raw)
    # The route sees a plain body: correct length, no encoding left to undo.
    assert echoed["content_length"] == str(len(raw))
    assert echoed["content_encoding"] is None


def test_a_zip_bomb_is_refused_after_decompressing_only_up_to_the_limit(
    echo_client: TestClient,
) -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))
    assert len(bomb) < LIMIT * 20
    body = _problem(
        echo_client.post("/test/echo", content=bomb, headers={"Content-Encoding": "gzip"}),
        413,
        "too-large",
    )
    assert "after decompression" in body["detail"]


def test_a_compressed_body_over_the_limit_is_refused_before_decompressing(
    echo_client: TestClient,
) -> None:
    incompressible = uuid.uuid4().bytes * (LIMIT // 8)
    _problem(
        echo_client.post(
            "/test/echo",
            content=gzip.compress(incompressible),
            headers={"Content-Encoding": "gzip"},
        ),
        413,
        "too-large",
    )


@pytest.mark.parametrize(
    "payload",
    [b"not gzip at all", gzip.compress(b'{"a": 1}')[:-6], gzip.compress(b"{}") + b"trailing"],
    ids=["garbage", "truncated", "trailing-data"],
)
def test_a_body_that_is_not_valid_gzip_is_a_bad_request(
    echo_client: TestClient, payload: bytes
) -> None:
    _problem(
        echo_client.post("/test/echo", content=payload, headers={"Content-Encoding": "gzip"}),
        400,
        "bad-encoding",
    )


def test_an_unsupported_content_encoding_is_refused(echo_client: TestClient) -> None:
    _problem(
        echo_client.post("/test/echo", content=b"{}", headers={"Content-Encoding": "br"}),
        415,
        "unsupported-encoding",
    )


def test_a_bad_content_length_is_a_bad_request(echo_client: TestClient) -> None:
    _problem(
        echo_client.post("/test/echo", content=b"{}", headers={"Content-Length": "lots"}),
        400,
        "bad-request",
    )


# --- logging ----------------------------------------------------------------------------------


@pytest.fixture
def log_output(echo_client: TestClient) -> Iterator[io.StringIO]:
    """Everything the app logs, as the JSON lines production would write."""
    buffer = io.StringIO()
    handler = configure_logging("INFO", stream=buffer)
    try:
        yield buffer
    finally:
        logging.getLogger().removeHandler(handler)


def _access_lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    return [line for line in lines if line["logger"] == "doorstep.access"]


def test_access_log_names_the_route_template_and_caller_but_no_personal_data(
    echo_client: TestClient, log_output: io.StringIO
) -> None:
    body = {"given_name": "Bronwen", "family_name": "Pryce-Jones", "nhs_number": NHS_NUMBER}
    response = echo_client.post(
        f"/test/residents/{RESIDENT}?q={RESIDENT}&nhs={NHS_NUMBER}",
        json=body,
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 200
    echo_client.post(
        "/test/echo",
        content=gzip.compress(json.dumps({"name": RESIDENT}).encode()),
        headers={"Content-Encoding": "gzip", "Authorization": f"Bearer {TOKEN}"},
    )
    echo_client.post("/test/echo", content=json.dumps({"name": RESIDENT}) * 500)  # a 413

    logged = _access_lines(log_output)
    text = "\n".join(json.dumps(line) for line in logged)
    for secret in (RESIDENT, "Bronwen", "Pryce", NHS_NUMBER, TOKEN, "Bearer", "q="):
        assert secret not in text
    first, second, third = logged
    assert first["method"] == "POST"
    assert first["route"] == "/test/residents/{resident_id}"
    assert first["status"] == 200
    assert first["user_id"] == str(uuid.UUID(int=7))
    assert isinstance(first["duration_ms"], float)
    assert first["request_id"] == response.headers["x-request-id"]
    assert (second["route"], second["status"], second["user_id"]) == ("/test/echo", 200, None)
    # Refused before routing: no route to name, and never the raw path instead.
    assert (third["route"], third["status"]) == ("<unmatched>", 413)


def test_nothing_logged_anywhere_carries_a_request_body(
    echo_client: TestClient, log_output: io.StringIO
) -> None:
    echo_client.post("/test/echo", json={"name": RESIDENT, "nhs_number": NHS_NUMBER})
    echo_client.post(f"/test/unknown/{RESIDENT}", json={"name": RESIDENT})
    output = log_output.getvalue()
    assert output  # the access log did write
    # Every line, from every logger except the test's own HTTP client (which logs its URL).
    server_lines = [line for line in output.splitlines() if '"logger": "httpx"' not in line]
    assert server_lines
    for line in server_lines:
        assert RESIDENT not in line
        assert NHS_NUMBER not in line


def test_unmatched_paths_are_not_logged_as_typed(
    echo_client: TestClient, log_output: io.StringIO
) -> None:
    echo_client.get(f"/no/such/{RESIDENT}")
    (line,) = _access_lines(log_output)
    assert (line["route"], line["status"]) == ("<unmatched>", 404)


def test_exceptions_are_logged_by_type_and_frames_without_their_message() -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.server.exceptions")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ValueError(f"duplicate key (given_name)=({RESIDENT})")
        except ValueError:
            logger.exception("insert failed", extra={"entity": "person"})
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    entry = json.loads(buffer.getvalue())
    assert entry["message"] == "insert failed"
    assert entry["entity"] == "person"
    assert entry["exc_type"] == "builtins.ValueError"
    assert "test_exceptions_are_logged" in entry["traceback"]
    assert RESIDENT not in buffer.getvalue()


def test_configuring_logging_twice_keeps_one_handler() -> None:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    first = configure_logging("INFO", stream=io.StringIO())
    second = configure_logging("WARNING", stream=io.StringIO())
    try:
        assert first not in root.handlers
        assert second in root.handlers
        assert root.level == logging.WARNING
    finally:
        root.removeHandler(second)
        root.setLevel(level)
        for handler in before:
            if handler not in root.handlers:
                root.addHandler(handler)
