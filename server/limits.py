"""Request body limits, and gzip request bodies decompressed under the same limit."""

from __future__ import annotations

import zlib

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.problems import Problem

GZIP_ENCODINGS = frozenset({"gzip", "x-gzip"})


class BodyLimitMiddleware:
    """Pure ASGI middleware: refuse bodies over ``max_body_bytes`` with 413 problem+json.

    A declared Content-Length over the limit is refused before reading anything; a chunked
    (or dishonest) body is counted as it streams and refused as soon as it passes the limit.
    ``Content-Encoding: gzip`` bodies are decompressed here, and the limit applies to the
    decompressed size too, so a small zip bomb is refused after at most ``max_body_bytes``
    of output. Routes then see a plain body with a correct Content-Length.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in GZIP_ENCODINGS | {"identity", ""}:
            await self._problem(
                scope,
                receive,
                send,
                Problem(
                    415,
                    "unsupported-encoding",
                    "The request body's encoding is not supported.",
                    "Send the body as is, or with Content-Encoding: gzip.",
                ),
            )
            return
        declared = headers.get("content-length")
        if declared is None and "transfer-encoding" not in headers:
            # No body (HTTP/1.1 framing): nothing to count or decompress.
            await self.app(scope, receive, send)
            return
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                length = -1
            if length < 0:
                await self._problem(
                    scope,
                    receive,
                    send,
                    Problem(400, "bad-request", "The Content-Length header is not valid."),
                )
                return
            if length > self.max_body_bytes:
                await self._problem(scope, receive, send, self._too_large())
                return

        body = await self._read_body(receive)
        if body is None:
            await self._problem(scope, receive, send, self._too_large())
            return
        if encoding in GZIP_ENCODINGS:
            try:
                decompressed = self._gunzip(body)
            except zlib.error:
                await self._problem(
                    scope,
                    receive,
                    send,
                    Problem(
                        400,
                        "bad-encoding",
                        "The request body is not valid gzip.",
                        "The body was sent with Content-Encoding: gzip but could not be "
                        "decompressed whole.",
                    ),
                )
                return
            if decompressed is None:
                await self._problem(scope, receive, send, self._too_large())
                return
            body = decompressed

        # Routes see the body as if it had been sent plain: in place, so the router's
        # additions to the scope (the matched route) stay visible to outer middleware.
        scope["headers"] = [
            (name, value)
            for name, value in scope["headers"]
            if name.lower() not in (b"content-encoding", b"content-length", b"transfer-encoding")
        ] + [(b"content-length", str(len(body)).encode())]
        await self.app(scope, _replay(body, receive), send)

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it passes the limit."""
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; the route sees what arrived
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _gunzip(self, body: bytes) -> bytes | None:
        """Decompress ``body``; None if the output would pass the limit. Raises zlib.error."""
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        output = inflater.decompress(body, self.max_body_bytes + 1)
        if len(output) > self.max_body_bytes or inflater.unconsumed_tail:
            return None
        if not inflater.eof or inflater.unused_data:
            raise zlib.error("truncated gzip stream, or data after its end")
        return output

    def _too_large(self) -> Problem:
        return Problem(
            413,
            "too-large",
            "The request body is too large.",
            f"Request bodies may be at most {self.max_body_bytes:,} bytes, also after "
            "decompression. Send fewer mutations per batch.",
            extra={"max_body_bytes": self.max_body_bytes},
        )

    @staticmethod
    async def _problem(scope: Scope, receive: Receive, send: Send, problem: Problem) -> None:
        # Connection: close, so a server that did not read the rest of the body never takes
        # its leftover bytes for the next request.
        problem.headers.setdefault("Connection", "close")
        await problem.response(Request(scope))(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive channel that yields ``body`` once, then whatever the client sends next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
