"""Platform settings, read once from the environment (DOORSTEP_*) by pydantic-settings."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the platform can be told; each maps to DOORSTEP_<NAME> in the environment."""

    model_config = SettingsConfigDict(env_prefix="DOORSTEP_", extra="ignore")

    database_url: str = "sqlite:///./doorstep-platform.db"
    # Where unset, a key is generated once and kept in the database (server_state), so
    # every worker process signs and checks tokens with the same key.
    signing_key: Annotated[str | None, Field(min_length=32)] = None
    access_token_minutes: Annotated[int, Field(ge=1, le=120)] = 15
    refresh_token_days: Annotated[int, Field(ge=1, le=90)] = 30
    # A refresh token presented again this soon after its rotation is taken for the retry of
    # a lost answer, not for theft (see server.auth.refresh); 0 turns the grace off.
    refresh_reuse_grace_seconds: Annotated[int, Field(ge=0, le=600)] = 60
    max_failed_sign_ins: Annotated[int, Field(ge=1, le=100)] = 5
    lockout_minutes: Annotated[int, Field(ge=1, le=1440)] = 15
    max_body_bytes: Annotated[int, Field(ge=1024)] = 8 * 1024 * 1024
    pull_page_size: Annotated[int, Field(ge=1, le=5000)] = 2000
    # Pull pages one worker process builds at once; more wait their turn. Building a page
    # is CPU-bound Python, so more at once only slows each, and the pushes beside them
    # (short, holding row locks) wait longer for the interpreter.
    pull_concurrency: Annotated[int, Field(ge=1, le=256)] = 1
    # A page then waits for a moment with no push running in its worker, at most this long
    # (server.sync.gate): pushes, an officer's work holding row locks, go first.
    pull_wait_for_pushes_ms: Annotated[int, Field(ge=0, le=60_000)] = 1000
    # Threads a worker process runs sync routes on (anyio's default is 40): requests
    # waiting for a pull slot or a database connection hold one.
    worker_threads: Annotated[int, Field(ge=1, le=1000)] = 100
    # Closed cases older than this leave laptops (scope exit), unless allocated to the user.
    keep_closed_cases_days: Annotated[int, Field(ge=0, le=3650)] = 30
    # Accept 999-range test NHS numbers (demo and test platforms only).
    demo_mode: bool = False
    log_level: str = "INFO"
    # The laptop version offered at GET /api/v1/client/version (update_policy "notify").
    client_version: Annotated[str, Field(pattern=r"^\d+(\.\d+)*$", max_length=40)] = "0.1.0"
    # Set by `doorstep-server serve` for its worker processes (see server.app's lifespan).
    tune_gc: bool = False
