"""A fault-injecting HTTP proxy on loopback, between a sync client and a real platform.

The proxy accepts plain HTTP/1.1 from the client, as a reverse proxy (the client's base URL is
the proxy's) or as a forward proxy (httpx's ``proxy=`` setting sends absolute request URIs),
and forwards each request on a fresh connection to the platform. A policy chooses a fault per
request; every request and what was done to it is recorded in ``events``, so a test can check
that the fault it asked for really happened and whether the platform saw the request.

Faults (``Fault``):
  PASS            forward unchanged
  DROP_REQUEST    close the client's connection without forwarding (the platform sees nothing)
  RESET_REQUEST   reset the client's connection (TCP RST) without forwarding
  DROP_RESPONSE   forward, let the platform answer (and commit), then close without answering
  RESET_RESPONSE  forward, then reset the connection instead of answering
  DUPLICATE       forward the same request twice; the client gets the second answer
  DELAY           wait ``delay_s`` before forwarding
  ERROR_BEFORE    answer 503 without forwarding
  ERROR_AFTER     forward (the platform commits), then answer 502 instead
  TRUNCATE        forward, send the headers and only half the body, then close
  CUT_BODY        forward, send half the body with a Content-Length that matches it (a body
                  that arrives "whole" but is not the platform's answer)
"""

from __future__ import annotations

import contextlib
import enum
import http.client
import random
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit


class Fault(enum.Enum):
    PASS = "pass"
    DROP_REQUEST = "drop_request"
    RESET_REQUEST = "reset_request"
    DROP_RESPONSE = "drop_response"
    RESET_RESPONSE = "reset_response"
    DUPLICATE = "duplicate"
    DELAY = "delay"
    ERROR_BEFORE = "error_before"
    ERROR_AFTER = "error_after"
    TRUNCATE = "truncate"
    CUT_BODY = "cut_body"


FORWARDED = frozenset(
    {
        Fault.PASS,
        Fault.DROP_RESPONSE,
        Fault.RESET_RESPONSE,
        Fault.DUPLICATE,
        Fault.DELAY,
        Fault.ERROR_AFTER,
        Fault.TRUNCATE,
        Fault.CUT_BODY,
    }
)
"""Faults after which the platform has seen (and, for a push, committed) the request."""

SAFE_BEFORE = (Fault.DROP_REQUEST, Fault.RESET_REQUEST, Fault.ERROR_BEFORE, Fault.DELAY)
"""Faults that never let a request through half-answered: for single-use requests (sign-in,
a refresh token), which a client must not resend once the platform may have seen them."""


@dataclass(frozen=True)
class Request:
    """What the policy is told about a request."""

    number: int
    method: str
    path: str
    body: bytes


@dataclass(frozen=True)
class Event:
    """What the proxy did with one request."""

    number: int
    method: str
    path: str
    fault: Fault
    platform_saw: int
    """How many times the request reached the platform (0, 1, or 2 for a duplicate)."""
    status: int | None
    """The platform's answer status (the last one), if it answered."""


Policy = Callable[[Request], Fault]


class Scripted:
    """Faults in order per path (``{"/api/v1/sync/push": [Fault.DROP_RESPONSE]}``), then PASS."""

    def __init__(self, script: Mapping[str, Sequence[Fault]] | None = None) -> None:
        self._lock = threading.Lock()
        self.script: dict[str, list[Fault]] = {k: list(v) for k, v in (script or {}).items()}

    def add(self, path: str, *faults: Fault) -> None:
        with self._lock:
            self.script.setdefault(path, []).extend(faults)

    def __call__(self, request: Request) -> Fault:
        with self._lock:
            queue = self.script.get(request.path)
            return queue.pop(0) if queue else Fault.PASS


class Seeded:
    """A fault with probability ``rate`` per request, drawn from a seeded generator.

    The faults are dealt from a shuffled deck, so every kind comes up before any repeats.
    Paths in ``careful`` get faults from ``SAFE_BEFORE`` only, at half the rate; ``enabled``
    can be switched off for a fault-free final round.
    """

    def __init__(
        self,
        seed: int,
        rate: float,
        faults: Iterable[Fault] = (),
        careful: Iterable[str] = (),
    ) -> None:
        self.rng = random.Random(seed)
        self.rate = rate
        self.faults = tuple(faults) or tuple(f for f in Fault if f is not Fault.PASS)
        self.careful = frozenset(careful)
        self.enabled = True
        self._deck: list[Fault] = []
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Fault:
        with self._lock:
            if not self.enabled:
                return Fault.PASS
            if request.path in self.careful:
                if self.rng.random() >= self.rate / 2:
                    return Fault.PASS
                return self.rng.choice(SAFE_BEFORE)
            if self.rng.random() >= self.rate:
                return Fault.PASS
            if not self._deck:
                self._deck = list(self.faults)
                self.rng.shuffle(self._deck)
            return self._deck.pop()


_HOP_HEADERS = frozenset(
    {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "content-length", "te"}
)


class _Closed(Exception):
    """The client closed its connection."""


def _read_request(
    reader: socket.SocketIO | object,
) -> tuple[str, str, list[tuple[str, str]], bytes]:
    """One request from the client: method, target, headers, body (Content-Length only)."""
    assert hasattr(reader, "readline")
    assert hasattr(reader, "read")
    line = reader.readline(65536)
    while line in (b"\r\n", b"\n"):
        line = reader.readline(65536)
    if not line:
        raise _Closed
    method, target, _version = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    headers: list[tuple[str, str]] = []
    while True:
        raw = reader.readline(65536)
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers.append((name.strip(), value.strip()))
    length = next((int(v) for k, v in headers if k.lower() == "content-length"), 0)
    body = reader.read(length) if length else b""
    if len(body) != length:
        raise _Closed
    return method, target, headers, body


def _response_bytes(status: int, reason: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}"]
    lines += [f"{k}: {v}" for k, v in headers if k.lower() not in _HOP_HEADERS]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _reset(sock: socket.socket) -> None:
    """Close with a TCP RST rather than a FIN: the peer sees 'connection reset'."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class FaultProxy:
    """The proxy: ``with FaultProxy(upstream, policy) as proxy: ... proxy.url``."""

    def __init__(
        self,
        upstream: str,
        policy: Policy | None = None,
        delay_s: float = 0.2,
        on_answered: Callable[[Event], None] | None = None,
    ) -> None:
        parts = urlsplit(upstream)
        assert parts.hostname is not None
        assert parts.port is not None
        self.upstream = (parts.hostname, parts.port)
        self.policy: Policy = policy or Scripted()
        self.delay_s = delay_s
        # Told of each request the platform answered, before the answer is relayed: a test
        # can kill the client there (the platform committed, the client never hears).
        self.on_answered = on_answered
        self.events: list[Event] = []
        self._lock = threading.Lock()
        self._count = 0
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port: int = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    # --- reports ---------------------------------------------------------------------------

    def faults(self, path: str | None = None) -> list[Fault]:
        """The faults injected so far (PASS left out), optionally for one path."""
        with self._lock:
            return [
                e.fault
                for e in self.events
                if e.fault is not Fault.PASS and (path is None or e.path == path)
            ]

    def seen(self, path: str) -> int:
        """How many times requests to ``path`` reached the platform."""
        with self._lock:
            return sum(e.platform_saw for e in self.events if e.path == path)

    # --- the work --------------------------------------------------------------------------

    def _record(self, event: Event) -> None:
        with self._lock:
            self.events.append(event)

    def _forward(
        self, method: str, path: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(*self.upstream, timeout=120)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                if name.lower() not in _HOP_HEADERS:
                    connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.putheader("Connection", "close")
            connection.endheaders(body)
            answer = connection.getresponse()
            payload = answer.read()
            return answer.status, answer.reason, answer.getheaders(), payload
        finally:
            connection.close()

    def _serve(self, sock: socket.socket) -> None:
        reader = sock.makefile("rb")
        try:
            while True:
                try:
                    method, target, headers, body = _read_request(reader)
                except (_Closed, OSError, ValueError):
                    return
                path_and_query = target
                if "://" in target:  # forward-proxy form: absolute URI
                    parts = urlsplit(target)
                    path_and_query = parts.path + (f"?{parts.query}" if parts.query else "")
                path = urlsplit(path_and_query).path
                with self._lock:
                    self._count += 1
                    number = self._count
                fault = self.policy(Request(number, method, path, body))
                try:
                    if not self._handle(
                        sock, number, method, path_and_query, path, headers, body, fault
                    ):
                        return
                except OSError:
                    return  # the client went away (killed) while it was being answered
        finally:
            reader.close()
            with contextlib.suppress(OSError):
                sock.close()

    def _handle(
        self,
        sock: socket.socket,
        number: int,
        method: str,
        target: str,
        path: str,
        headers: list[tuple[str, str]],
        body: bytes,
        fault: Fault,
    ) -> bool:
        """Deal with one request; False once the client's connection is closed."""

        def record(saw: int, status: int | None) -> None:
            self._record(Event(number, method, path, fault, saw, status))

        if fault is Fault.DROP_REQUEST:
            record(0, None)
            sock.shutdown(socket.SHUT_RDWR)
            return False
        if fault is Fault.RESET_REQUEST:
            record(0, None)
            _reset(sock)
            return False
        if fault is Fault.ERROR_BEFORE:
            record(0, None)
            problem = (
                b'{"type":"about:blank","title":"Service Unavailable (injected)","status":503}'
            )
            sock.sendall(
                _response_bytes(
                    503, "Service Unavailable", [("Content-Type", "application/json")], problem
                )
            )
            return True
        if fault is Fault.DELAY:
            time.sleep(self.delay_s)
        try:
            status, reason, answer_headers, payload = self._forward(method, target, headers, body)
            saw = 1
            if fault is Fault.DUPLICATE:
                status, reason, answer_headers, payload = self._forward(
                    method, target, headers, body
                )
                saw = 2
        except OSError:
            record(0, None)
            _reset(sock)
            return False
        record(saw, status)
        if self.on_answered is not None:
            self.on_answered(Event(number, method, path, fault, saw, status))
        if fault is Fault.DROP_RESPONSE:
            sock.shutdown(socket.SHUT_RDWR)
            return False
        if fault is Fault.RESET_RESPONSE:
            _reset(sock)
            return False
        if fault is Fault.ERROR_AFTER:
            sock.sendall(_response_bytes(502, "Bad Gateway", [], b"upstream answer lost"))
            return True
        if fault is Fault.TRUNCATE:
            whole = _response_bytes(status, reason, answer_headers, payload)
            sock.sendall(whole[: len(whole) - max(1, len(payload) // 2)])
            sock.shutdown(socket.SHUT_RDWR)
            return False
        if fault is Fault.CUT_BODY:
            sock.sendall(
                _response_bytes(status, reason, answer_headers, payload[: len(payload) // 2])
            )
            return True
        sock.sendall(_response_bytes(status, reason, answer_headers, payload))
        return True


@dataclass
class Tally:
    """Counts of injected faults by kind (for a test's report)."""

    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, events: Iterable[Event]) -> Tally:
        counts: dict[str, int] = {}
        for event in events:
            counts[event.fault.value] = counts.get(event.fault.value, 0) + 1
        return cls(counts)
