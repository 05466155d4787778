"""The FastAPI application factory: routes, problem+json errors, limits, gzip and logging."""

from __future__ import annotations

import gc
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from sqlalchemy import Engine

from server import problems
from server.db import make_engine, session_factory
from server.limits import BodyLimitMiddleware
from server.logs import AccessLogMiddleware, configure_logging
from server.routes import admin, auth, client, health, records, sync, workload
from server.settings import Settings
from server.sync.gate import SyncGate


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """Build the platform app; tests pass their own settings, engine and clock."""
    settings = settings or Settings()
    configure_logging(settings.log_level)
    engine = engine or make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        if settings.tune_gc:
            # A pull page makes hundreds of thousands of short-lived objects; with default
            # thresholds the cycle collector ran constantly and cost a quarter of pull time.
            # Freezing start-up objects keeps them out of every later collection.
            gc.collect()
            gc.freeze()
            gc.set_threshold(50_000, 50, 100)
            # A push holds row locks from its updates to its commit, a few round trips,
            # and after each one waits for the interpreter; at the default 5 ms a page
            # builder keeps it that long each time. 1 ms hands it over sooner.
            sys.setswitchinterval(0.001)
        yield
        engine.dispose()

    app = FastAPI(
        title="Doorstep platform API",
        version=settings.client_version,
        lifespan=lifespan,
        docs_url="/docs",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.sync_gate = SyncGate(
        settings.pull_concurrency, settings.pull_wait_for_pushes_ms / 1000
    )
    # Read by server.auth.current_time; None means the real UTC clock.
    app.state.clock = clock
    problems.install(app)
    # Added innermost first: the access log wraps everything, so it records 413s too.
    # Level 5: a 5,000-record pull page compresses in ~30 ms instead of ~70 ms at level 9,
    # for about 4% more bytes.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(AccessLogMiddleware)
    for module in (health, client, auth, sync, records, admin, workload):
        app.include_router(module.router)
    return app
