"""`doorstep self-test`: configuration, keyring, store, proxy, TLS and platform checks for IT."""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import httpx
from keyring.backend import KeyringBackend

from app import __version__
from app.config import (
    CA_BUNDLE,
    PROXY,
    SERVER_URL,
    SETTINGS,
    UPDATE_POLICY,
    ConfigError,
    Settings,
)
from app.store.db import Store, StoreError
from app.store.keys import StoreKeyError, keyring_is_secure, obtain_store_key
from app.support.redact import redact_text, redact_url
from app.support.updates import check_for_update

Status = Literal["pass", "warn", "fail", "skip"]
PROXY_CONNECT_SECONDS = 5.0


@dataclass(frozen=True)
class Check:
    """One check's outcome: ``warn`` and ``skip`` do not fail the self-test, ``fail`` does."""

    name: str
    status: Status
    detail: str


@dataclass(frozen=True)
class SelfTestReport:
    """Every check, in the order run."""

    checks: tuple[Check, ...]
    offline: bool

    @property
    def passed(self) -> bool:
        return all(check.status != "fail" for check in self.checks)

    def as_dict(self) -> dict[str, object]:
        return {
            "version": __version__,
            "passed": self.passed,
            "offline": self.offline,
            "checks": [
                {"name": c.name, "status": c.status, "detail": c.detail} for c in self.checks
            ],
        }

    def render(self) -> str:
        """The report as text an administrator can read at a glance."""
        lines = [f"Doorstep self-test (doorstep {__version__})"]
        width = max(len(check.name) for check in self.checks)
        lines.extend(
            f"  {check.status.upper():<4}  {check.name:<{width}}  {check.detail}"
            for check in self.checks
        )
        failed = [check.name for check in self.checks if check.status == "fail"]
        if failed:
            lines.append(f"Result: FAIL ({', '.join(failed)})")
        else:
            scope = " (offline: platform checks skipped)" if self.offline else ""
            lines.append(f"Result: PASS{scope}")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class SelfTestInputs:
    """What the self-test looks at, injected so tests give their own keyring and client."""

    env: Mapping[str, str]
    settings: Callable[[], Settings]
    keyring: Callable[[], KeyringBackend | None]
    http_client: Callable[[str, Settings], httpx.Client]
    store_path: Path


def run_self_test(inputs: SelfTestInputs, *, offline: bool = False) -> SelfTestReport:
    """Run every check; never raises for a failing check, only reports it."""
    checks: list[Check] = []

    def add(name: str, status: Status, detail: str) -> None:
        checks.append(Check(name, status, redact_text(detail)))

    settings: Settings | None
    try:
        settings = inputs.settings()
    except ConfigError as error:
        settings = None
        add("configuration", "fail", f"cannot be used: {error}")
    else:
        add("configuration", "pass", _describe_config(settings))

    backend = _check_keyring(inputs, add)
    _check_store(inputs, backend, add)

    if settings is None:
        for name in ("proxy", "tls", "platform", "updates"):
            add(name, "skip", "configuration unusable")
        return SelfTestReport(tuple(checks), offline)
    _check_network(inputs, settings, offline, add)
    return SelfTestReport(tuple(checks), offline)


Adder = Callable[[str, Status, str], None]


def _describe_config(settings: Settings) -> str:
    locked = [s.name for s in SETTINGS if settings.is_locked(s)]
    server = settings.get(SERVER_URL)
    where = redact_url(server) if server else "none set"
    text = f"platform: {where} (from {settings.source(SERVER_URL)})"
    text += f"; locked by policy: {', '.join(locked)}" if locked else "; nothing locked by policy"
    return text


def _check_keyring(inputs: SelfTestInputs, add: Adder) -> KeyringBackend | None:
    try:
        backend = inputs.keyring()
    except Exception as error:  # a broken D-Bus session surfaces as anything
        add("keyring", "warn", f"no keyring could be opened ({type(error).__name__})")
        return None
    name = f"{type(backend).__module__}.{type(backend).__qualname__}" if backend else "none"
    if keyring_is_secure(backend):
        add("keyring", "pass", f"secure OS keyring ({name})")
    else:
        add(
            "keyring",
            "warn",
            f"no secure keyring ({name}): sign-ins last for the session only and the store "
            "needs a passphrase; secrets are never written to a file",
        )
    return backend


def _check_store(inputs: SelfTestInputs, backend: KeyringBackend | None, add: Adder) -> None:
    path = inputs.store_path
    if not path.exists() or path.stat().st_size == 0:
        add("store", "skip", f"no local store yet at {path}; it is made at first sign-in")
        return
    try:
        key = obtain_store_key(
            str(path.absolute()), store_exists=True, backend=backend, env=inputs.env
        )
        store = Store.open(path, key)
    except StoreKeyError as error:
        add("store", "fail", f"{path}: no key to open it: {error.message}")
        return
    except StoreError as error:
        add("store", "fail", f"{path}: {error.message}")
        return
    try:
        result = store.check()
    finally:
        store.close()
    status: Status = "pass" if result.ok else "fail"
    add(
        "store",
        status,
        f"{path}: opened with the {key.source} key, encrypted, integrity {result.integrity}, "
        f"schema {result.revision}",
    )


def _check_network(inputs: SelfTestInputs, settings: Settings, offline: bool, add: Adder) -> None:
    server = settings.get(SERVER_URL)
    proxy = settings.get(PROXY)
    proxy_ok = _check_proxy(proxy, offline, inputs.env, add)
    ca_problem = _check_ca_bundle(settings.get(CA_BUNDLE))
    if offline or not server:
        if ca_problem is not None:
            add("tls", "fail", ca_problem)
        else:
            bundle = "the ca_bundle is readable" if settings.get(CA_BUNDLE) else "no ca_bundle set"
            add("tls", "skip", f"no connection made; {bundle}")
        reason = "offline: not contacted" if offline else "no platform set (server_url)"
        add("platform", "skip" if offline else "fail", reason)
        add("updates", "skip", reason)
        return
    if ca_problem is not None:
        add("tls", "fail", ca_problem)
        add("platform", "skip", "TLS settings unusable")
        add("updates", "skip", "TLS settings unusable")
        return
    https = urlsplit(server).scheme == "https"
    started = time.perf_counter()
    try:
        with inputs.http_client(server, settings) as client:
            response = client.get("/health", timeout=10.0)
            elapsed_ms = (time.perf_counter() - started) * 1000
            notice = None
            if response.status_code == 200:
                notice = check_for_update(settings.get(UPDATE_POLICY), client)
    except httpx.ProxyError as error:
        add("tls", "skip", "not reached")
        add("platform", "fail", f"the proxy refused to connect to {server}: {error}")
        add("updates", "skip", "platform not reached")
        return
    except httpx.TransportError as error:
        if _is_certificate_error(error):
            add(
                "tls",
                "fail",
                f"the certificate of {server} is not trusted ({_root_message(error)}); if a "
                "TLS-inspecting proxy is in the way, set ca_bundle to its CA certificate",
            )
            add("platform", "fail", "not reached: TLS verification failed")
        else:
            add("tls", "skip", "not reached")
            via = " via the proxy" if proxy and proxy_ok else ""
            add(
                "platform",
                "fail",
                f"cannot reach {server}{via}: {type(error).__name__}: {_root_message(error)}",
            )
        add("updates", "skip", "platform not reached")
        return
    if https:
        extra = " and the ca_bundle" if settings.get(CA_BUNDLE) else ""
        add("tls", "pass", f"certificate verified against the system CAs{extra}")
    else:
        add("tls", "warn", "the platform URL is http://: traffic is not encrypted")
    if response.status_code != 200:
        add("platform", "fail", f"{server}/health answered HTTP {response.status_code}")
        add("updates", "skip", "platform not healthy")
        return
    add("platform", "pass", f"{server} answered /health in {elapsed_ms:.0f} ms")
    assert notice is not None
    status: Status = {"off": "skip", "current": "pass"}.get(notice.state, "warn")  # type: ignore[assignment]
    add("updates", status, notice.message)


def _check_proxy(proxy: str, offline: bool, env: Mapping[str, str], add: Adder) -> bool:
    if not proxy:
        from_env = [name for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY") if env.get(name)]
        if from_env:
            add("proxy", "pass", f"none set; the environment's {from_env[0]} applies")
        else:
            add("proxy", "pass", "none set: direct connection")
        return True
    parts = urlsplit(proxy)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    if offline:
        add("proxy", "skip", f"offline: {redact_url(proxy)} not contacted")
        return True
    try:
        with socket.create_connection((host, port), timeout=PROXY_CONNECT_SECONDS):
            pass
    except OSError as error:
        add("proxy", "fail", f"cannot connect to the proxy {redact_url(proxy)}: {error}")
        return False
    add("proxy", "pass", f"{redact_url(proxy)} accepts connections")
    return True


def _check_ca_bundle(ca_bundle: str) -> str | None:
    """None when usable (or unset); otherwise what is wrong with it."""
    if not ca_bundle:
        return None
    try:
        ssl.create_default_context().load_verify_locations(cafile=ca_bundle)
    except FileNotFoundError:
        return f"ca_bundle {ca_bundle} does not exist"
    except (OSError, ssl.SSLError) as error:
        return f"ca_bundle {ca_bundle} is not a readable PEM file of certificates ({error})"
    return None


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _is_certificate_error(error: BaseException) -> bool:
    return any(
        isinstance(e, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(e)
        for e in _chain(error)
    )


def _root_message(error: BaseException) -> str:
    root = _chain(error)[-1]
    return str(root) or type(root).__name__
