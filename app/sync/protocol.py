"""The sync wire format (push, pull, cursors), defined once for the laptop and the platform."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"
PUSH_PATH = f"{API_PREFIX}/sync/push"
PULL_PATH = f"{API_PREFIX}/sync/pull"
TOKEN_PATH = f"{API_PREFIX}/auth/token"
REFRESH_PATH = f"{API_PREFIX}/auth/refresh"

MAX_BATCH = 500
"""Most mutations one push may carry."""
MAX_PAGE = 5000
"""Most changes one pull page may carry."""
MAX_BODY_BYTES = 8 * 1024 * 1024
"""Largest request body the platform reads (after gzip decoding)."""

Op = Literal["create", "update", "delete", "transition"]
Outcome = Literal["applied", "merged", "conflict", "rejected"]
Scope = Literal["full", "summary", "exit"]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Mutation(_Wire):
    """One local change, numbered in order by the client that made it.

    ``fields`` holds new values (every field for ``create``); ``base`` holds, for ``update``
    and ``transition``, each changed field's value at ``base_version``, which is what the
    platform's three-way merge compares against.
    """

    mutation_id: Annotated[int, Field(ge=1)]
    entity: Annotated[str, Field(min_length=1, max_length=40)]
    id: uuid.UUID
    op: Op
    base_version: Annotated[int, Field(ge=0)] = 0
    fields: dict[str, Any] = Field(default_factory=dict)
    base: dict[str, Any] = Field(default_factory=dict)
    at: AwareDatetime


class PushRequest(_Wire):
    """A batch of mutations from one client, in mutation_id order."""

    client_id: uuid.UUID
    mutations: Annotated[list[Mutation], Field(max_length=MAX_BATCH)]


class FieldError(_Wire):
    """Why a field's value was refused."""

    field: str
    message: str


class FieldConflict(_Wire):
    """A field changed on the platform since the client's base: both values are kept."""

    conflict_id: uuid.UUID
    field: str
    base: Any
    mine: Any
    theirs: Any


class MutationResult(_Wire):
    """The platform's answer to one mutation. Retrying the mutation returns the same answer."""

    mutation_id: int
    outcome: Outcome
    version: int | None = None
    conflicts: list[FieldConflict] = Field(default_factory=list)
    errors: list[FieldError] = Field(default_factory=list)
    code: str | None = None


class PushResponse(_Wire):
    """Answers in the order of the request, and the last mutation id now applied."""

    results: list[MutationResult]
    last_mutation_id: int


class Change(_Wire):
    """One record's current state in the change feed.

    ``scope`` is ``full`` for records the user may read in full, ``summary`` for cases
    outside their detail scope (only the summary fields are sent, and the laptop drops the
    case's detail once its own pending changes are pushed), and ``exit`` for records the user
    may no longer see at all (``fields`` is then null and the laptop removes the record).
    """

    entity: str
    id: uuid.UUID
    version: int
    deleted: bool = False
    scope: Scope = "full"
    fields: dict[str, Any] | None = None


class PullResponse(_Wire):
    """One page of the change feed and the cursor to ask for the next."""

    changes: list[Change]
    cursor: str
    has_more: bool
    epoch: uuid.UUID


class TokenRequest(_Wire):
    """Sign in on a device."""

    tenant: Annotated[str, Field(min_length=1, max_length=40)]
    username: Annotated[str, Field(min_length=1, max_length=80)]
    password: Annotated[str, Field(min_length=1, max_length=200)]
    device_id: uuid.UUID
    device_name: Annotated[str, Field(max_length=120)] = ""


class RefreshRequest(_Wire):
    """Exchange a refresh token for a new pair; the old one stops working."""

    refresh_token: Annotated[str, Field(min_length=20, max_length=200)]


class TokenResponse(_Wire):
    """Tokens and who they are for."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (the OAuth token type, not a secret)
    expires_in: int
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    device_id: uuid.UUID
    role: str
    team_id: uuid.UUID | None
    display_name: str


class CursorError(ValueError):
    """A cursor that this platform did not make."""


@dataclass(frozen=True)
class Cursor:
    """Where a client is in the change feed: (xid, seq) under one server epoch."""

    epoch: uuid.UUID
    xid: int
    seq: int

    def encode(self) -> str:
        """The opaque text a client stores and sends back."""
        raw = f"v1:{self.epoch.hex}:{self.xid}:{self.seq}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Read a cursor made by ``encode``."""
        try:
            padded = text + "=" * (-len(text) % 4)
            version, epoch, xid, seq = base64.urlsafe_b64decode(padded).decode().split(":")
            if version != "v1":
                raise ValueError(version)
            return cls(uuid.UUID(hex=epoch), int(xid), int(seq))
        except (ValueError, UnicodeDecodeError) as error:
            raise CursorError("The sync cursor is not one this platform made.") from error

    @classmethod
    def start(cls, epoch: uuid.UUID) -> Cursor:
        """The beginning of the feed."""
        return cls(epoch, 0, 0)


# --- Client updates (read by `doorstep status`, `doorstep self-test` and the app) ---------------

CLIENT_VERSION_PATH = f"{API_PREFIX}/client/version"


class ClientVersion(_Wire):
    """The laptop client version the council's platform currently offers to its users."""

    version: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^\d+(\.\d+)*$")]
