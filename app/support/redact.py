"""Keeping personal data and secrets out of logs and diagnostics: a log filter, text scrubbers."""

from __future__ import annotations

import datetime as dt
import enum
import logging
import re
import threading
import traceback
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

REDACTED = "<redacted>"

# Values that look like secrets or personal identifiers wherever they appear in a message.
# Order matters: URL credentials and bearer tokens first, so their parts are not half-matched.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # scheme://user:password@host -> scheme://<redacted>@host (proxy URLs carry passwords).
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@"), r"\1" + REDACTED + "@"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 " + REDACTED),
    # JSON web tokens (access tokens): three base64url parts, the first an encoded '{"'.
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), REDACTED),
    # key=value / "key": "value" for anything named like a secret.
    (
        re.compile(
            r"(?i)([\"']?\b[\w-]*(?:password|passphrase|secret|token|api[_-]?key|authorization"
            r"|cookie)[\w-]*[\"']?\s*[:=]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&}]+)"
        ),
        r"\1" + REDACTED,
    ),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "<email>"),
    # NHS numbers (10 digits, maybe spaced 3-3-4) and UK phone numbers.
    (re.compile(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b"), "<number>"),
    (re.compile(r"(?<![\w])(?:\+44\s?|0)\d{2,4}[ ]?\d{3,4}[ ]?\d{3,4}\b"), "<phone>"),
    # UK postcodes (an address is personal data).
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"), "<postcode>"),
)
# Long opaque strings with letters and digits: refresh tokens, store keys, cursors.
_OPAQUE = re.compile(r"[A-Za-z0-9_+=-]{32,}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _hide_opaque(match: re.Match[str]) -> str:
    text = match.group(0)
    # Record ids (UUIDs) name records, not people, and support needs them.
    if _UUID.fullmatch(text):
        return text
    if any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
        return REDACTED
    return text


# Arguments of these types are interpolated as they are: they cannot hold a name or address.
_SAFE_TYPES = (int, float, bool, type(None), uuid.UUID, dt.date, dt.time, dt.timedelta)


class Public(str):
    """A string a developer vouches for as free of personal data (a code, a table name).

    ``logger.info("pushed to %s", public(table))``: every other string argument is hidden.
    """

    __slots__ = ()


def public(text: object) -> Public:
    """Mark ``text`` as safe to log as it is."""
    return Public(str(text))


def redact_text(text: str, known: Iterable[str] = ()) -> str:
    """``text`` with secrets, identifiers and any of the ``known`` sensitive values hidden."""
    for value in sorted(known, key=len, reverse=True):
        if len(value) >= 3:
            text = re.sub(re.escape(value), REDACTED, text, flags=re.IGNORECASE)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    text = _OPAQUE.sub(_hide_opaque, text)
    return _home_to_tilde(text)


def redact_url(url: str) -> str:
    """A URL with any user name and password hidden; everything else kept for support."""
    return _PATTERNS[0][0].sub(r"\1" + REDACTED + "@", url)


def _home_to_tilde(text: str) -> str:
    # The home folder usually carries the worker's own login name.
    home = str(Path.home())
    return text.replace(home, "~") if len(home) > 1 else text


def _safe_arg(value: object) -> object:
    if isinstance(value, Public):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, Path):
        return _home_to_tilde(str(value))
    if isinstance(value, _SAFE_TYPES):
        return value
    # Strings, records, exceptions, dicts...: any could carry a resident's name.
    return f"<{type(value).__name__}>"


def _safe_exception(exc_info: Any) -> str:
    """The traceback's frames (code locations) and exception types, with every message hidden."""
    exception = exc_info[1]
    if exception is None:
        return ""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exception
    chain: list[BaseException] = []
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    for index, error in enumerate(reversed(chain)):
        if index:
            lines.append("\nDuring handling of the above exception, another exception occurred:\n")
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(error.__traceback__))
        # The message is where values end up ("no person named ..."): type only.
        lines.append(f"{type(error).__module__}.{type(error).__qualname__}: {REDACTED}\n")
    return "".join(lines).rstrip("\n")


class RedactingFilter(logging.Filter):
    """Rewrites each record so only developer-written text and safe values reach a handler.

    Attach it to handlers, not loggers, so records from every library pass through it. String
    arguments are hidden unless wrapped in ``public()``; exception messages are hidden (frames
    are kept); the result is then scrubbed for tokens, identifiers and ``remember``-ed values.
    """

    def __init__(self) -> None:
        super().__init__()
        self._known: set[str] = set()
        self._lock = threading.Lock()

    def remember(self, *values: str) -> None:
        """Hide these exact values from now on (the signed-in user's name, a token...)."""
        with self._lock:
            self._known.update(value for value in values if value and len(value) >= 3)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, Public) or not isinstance(record.msg, str):
            template = _safe_arg(record.msg) if not isinstance(record.msg, Public) else record.msg
            record.msg = str(template)
        if record.args:
            if isinstance(record.args, Mapping):
                record.args = {key: _safe_arg(value) for key, value in record.args.items()}
            else:
                record.args = tuple(_safe_arg(value) for value in record.args)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # A %d given a hidden string: keep the template rather than lose the record.
            message = f"{record.msg} {REDACTED}"
        with self._lock:
            known = tuple(self._known)
        record.msg = redact_text(message, known)
        record.args = None
        if record.exc_info:
            record.exc_text = _safe_exception(record.exc_info)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact_text(record.exc_text, known)
        return True
