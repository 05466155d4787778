"""The platform's sync API over httpx: retries with back-off, token refresh, problem errors."""

from __future__ import annotations

import json
import math
import random
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Literal, TypeVar

import certifi
import httpx
import pydantic

from app.config import CA_BUNDLE, PROXY, Settings
from app.sync.feed import FeedPage, PageMalformed, read_page
from app.sync.local import ResyncRequired
from app.sync.protocol import (
    API_PREFIX,
    PULL_PATH,
    PUSH_PATH,
    REFRESH_PATH,
    TOKEN_PATH,
    PushRequest,
    PushResponse,
    RefreshRequest,
    TokenRequest,
    TokenResponse,
)

LOGOUT_PATH = f"{API_PREFIX}/auth/logout"
USER_AGENT = "Doorstep-laptop"

T = TypeVar("T")
Sleeper = Callable[[float], None]
# "all": safe to send again whatever happened (push, pull, logout: the platform is idempotent).
# "unsent": only when the request surely never reached the platform (sign-in counts failed
# attempts; a refresh token is single-use, so resending one whose answer was lost would look
# like theft and revoke the whole sign-in).
RetryMode = Literal["all", "unsent"]


class TransportError(Exception):
    """The platform could not be asked, or refused; ``message`` says what the user can do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Unreachable(TransportError):
    """No usable answer after every retry: offline, timing out, or the platform failing."""


class ProblemError(TransportError):
    """The platform answered with a problem+json error that retrying will not fix."""

    def __init__(
        self, status: int, code: str, message: str, *, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_after = retry_after


class SignInRequired(ProblemError):
    """The sign-in is over (refresh refused, account disabled): sign in again."""


class DeviceRevoked(ProblemError):
    """An administrator revoked this device: its local store must be erased."""


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off with full jitter: attempt n waits uniform(0, min(cap, base * 2**n))."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 30.0
    max_retry_after: float = 120.0
    """A ``Retry-After`` longer than this is not waited out within one sync."""

    def delay(self, attempt: int, rng: random.Random) -> float:
        """The wait before retry number ``attempt`` (0 for the first retry)."""
        return rng.uniform(0.0, min(self.cap, self.base * 2**attempt))


def _ssl_context(ca_bundle: str) -> ssl.SSLContext:
    """The usual public CAs plus the council's extra ones; verification stays on either way."""
    context = ssl.create_default_context(cafile=certifi.where())
    if ca_bundle:
        # A TLS-inspecting proxy re-signs with the council's own CA, given as extra trust.
        context.load_verify_locations(cafile=ca_bundle)
    return context


def make_http_client(server_url: str, settings: Settings | None = None) -> httpx.Client:
    """An httpx client for ``server_url`` with the machine's proxy and CA bundle."""
    proxy = settings.get(PROXY) if settings is not None else ""
    ca_bundle = settings.get(CA_BUNDLE) if settings is not None else ""
    return httpx.Client(
        base_url=server_url.rstrip("/"),
        verify=_ssl_context(ca_bundle),
        proxy=proxy or None,
        # Connecting should be quick or not at all; a big pull page may take a while to send.
        timeout=httpx.Timeout(60.0, connect=10.0),
        limits=httpx.Limits(max_keepalive_connections=4, keepalive_expiry=60.0),
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"},
        follow_redirects=False,
    )


def _problem(response: httpx.Response) -> tuple[str, str]:
    """(code, human text) of a problem+json answer; tolerant of anything else."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return f"http-{response.status_code}", f"HTTP {response.status_code}"
    code = str(body.get("type", "")).rsplit("/", 1)[-1] or f"http-{response.status_code}"
    text = " ".join(str(body[k]) for k in ("title", "detail") if body.get(k))
    return code, text or f"HTTP {response.status_code}"


def retry_after(response: httpx.Response) -> float | None:
    """Seconds from a ``Retry-After`` header (a number or an HTTP date), if there is one."""
    raw = response.headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


class Transport:
    """The sync endpoints over one keep-alive httpx client, retried and authenticated.

    ``client`` carries the base URL (``make_http_client``; tests pass a ``TestClient`` or a
    ``MockTransport`` client). ``sleep`` and ``rng`` are injected so tests wait for nothing.
    ``on_tokens`` is told of every new token pair, so a rotated refresh token is saved at once.
    """

    def __init__(
        self,
        client: httpx.Client,
        *,
        refresh_token: str | None = None,
        on_tokens: Callable[[TokenResponse], None] | None = None,
        sleep: Sleeper = time.sleep,
        rng: random.Random | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.client = client
        self.refresh_token = refresh_token
        self.access_token: str | None = None
        self.on_tokens = on_tokens
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.policy = policy or RetryPolicy()

    # --- the endpoints --------------------------------------------------------------------

    def sign_in(self, request: TokenRequest) -> TokenResponse:
        """Sign in on this device; raises ``ProblemError`` (401 wrong password, 429 locked)."""
        tokens = self._call(
            "POST",
            TOKEN_PATH,
            body=request.model_dump(mode="json"),
            parse=TokenResponse.model_validate_json,
            authenticated=False,
            retry="unsent",
        )
        self._adopt(tokens)
        return tokens

    def refresh(self) -> TokenResponse:
        """Exchange the refresh token for a new pair (the old one stops working)."""
        if not self.refresh_token:
            raise SignInRequired(401, "no-refresh-token", "Not signed in: sign in again.")
        body = RefreshRequest(refresh_token=self.refresh_token).model_dump(mode="json")
        try:
            tokens = self._call(
                "POST",
                REFRESH_PATH,
                body=body,
                parse=TokenResponse.model_validate_json,
                authenticated=False,
                retry="unsent",
            )
        except ProblemError as error:
            if error.status == 401 and not isinstance(error, SignInRequired):
                raise SignInRequired(error.status, error.code, error.message) from None
            raise
        self._adopt(tokens)
        return tokens

    def push(self, request: PushRequest) -> PushResponse:
        """Send one batch; safe to resend, the platform applies each mutation once."""
        return self._call(
            "POST",
            PUSH_PATH,
            body=request.model_dump(mode="json"),
            parse=PushResponse.model_validate_json,
        )

    def pull(self, cursor: str | None, limit: int) -> FeedPage:
        """One page of the change feed after ``cursor``; raises ``ResyncRequired`` on 409."""
        params: dict[str, str | int] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        return self._call("GET", PULL_PATH, params=params, parse=read_page)

    def logout(self) -> None:
        """Revoke this device's refresh tokens on the platform, then forget them here."""
        if self.access_token is None and self.refresh_token:
            self.refresh()
        self._call("POST", LOGOUT_PATH, parse=lambda _body: None)
        self.access_token = None
        self.refresh_token = None

    # --- the machinery --------------------------------------------------------------------

    def _adopt(self, tokens: TokenResponse) -> None:
        self.access_token = tokens.access_token
        self.refresh_token = tokens.refresh_token
        if self.on_tokens is not None:
            self.on_tokens(tokens)

    def _wait(self, attempt: int, at_least: float = 0.0) -> None:
        self.sleep(max(at_least, self.policy.delay(attempt, self.rng)))

    def _call(
        self,
        method: str,
        path: str,
        *,
        parse: Callable[[bytes], T],
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, str | int] | None = None,
        authenticated: bool = True,
        retry: RetryMode = "all",
    ) -> T:
        content = json.dumps(body, separators=(",", ":")).encode() if body is not None else None
        refreshed = False
        attempt = 0
        last = "no answer"
        while True:
            if authenticated and self.access_token is None:
                self.refresh()
                refreshed = True
            headers = {"Accept": "application/json"}
            if content is not None:
                headers["Content-Type"] = "application/json"
            if authenticated:
                headers["Authorization"] = f"Bearer {self.access_token}"
            try:
                response = self.client.request(
                    method, path, content=content, params=params, headers=headers
                )
            except httpx.TransportError as error:
                unsent = isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
                last = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
                if (retry == "all" or unsent) and attempt + 1 < self.policy.attempts:
                    self._wait(attempt)
                    attempt += 1
                    continue
                raise Unreachable(f"The platform could not be reached ({last}).") from error
            status = response.status_code
            if 200 <= status < 300:
                try:
                    return parse(response.content)
                except (ValueError, PageMalformed, pydantic.ValidationError) as error:
                    # A body cut short on the way (or mangled by a proxy): ask again.
                    last = f"an unreadable answer ({error})"
                    if retry == "all" and attempt + 1 < self.policy.attempts:
                        self._wait(attempt)
                        attempt += 1
                        continue
                    raise Unreachable(f"The platform sent {last}.") from None
            code, text = _problem(response)
            wait = retry_after(response)
            if status == 401 and code == "invalid-token" and authenticated and not refreshed:
                # The access token expired (or was never had): one refresh, then try again.
                self.access_token = None
                self.refresh()
                refreshed = True
                continue
            if status == 403 and code == "device-revoked":
                raise DeviceRevoked(status, code, text)
            if status == 409 and code == "resync-required":
                raise ResyncRequired(text)
            if status == 401:
                raise SignInRequired(status, code, text)
            transient = status >= 500 or (status == 429 and authenticated)
            if (
                transient
                and (retry == "all" or status == 503)
                and attempt + 1 < self.policy.attempts
                and (wait is None or wait <= self.policy.max_retry_after)
            ):
                last = f"HTTP {status} {code}"
                self._wait(attempt, wait or 0.0)
                attempt += 1
                continue
            if transient:
                raise Unreachable(f"The platform kept failing (HTTP {status}: {text}).")
            raise ProblemError(
                status,
                code,
                text,
                retry_after=math.ceil(wait) if wait is not None else None,
            )
