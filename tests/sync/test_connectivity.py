"""Online/offline detection against the real platform, through the proxy, and with it gone."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa

from app.sync.connectivity import Connectivity, probe
from app.sync.engine import SyncEngine
from app.sync.local import LocalSync
from app.sync.transport import RetryPolicy, Transport, Unreachable
from tests.server import conftest as platform_fixtures
from tests.sync.conftest import FakeClock
from tests.sync.faults import Fault, FaultProxy, Scripted
from tests.sync.live import free_port, serve
from tests.sync.test_engine import SERVER
from tests.sync.test_transport import FakeSleeper, Script

pg_platform_template = platform_fixtures.pg_platform_template
pg_platform_url = platform_fixtures.pg_platform_url
pg_platform_engine = platform_fixtures.pg_platform_engine


@pytest.fixture
def platform(pg_platform_engine: sa.Engine) -> Iterator[str]:
    with serve(pg_platform_engine) as url:
        yield url


@pytest.mark.postgres
def test_online_then_offline_then_online_again(platform: str, clock: FakeClock) -> None:
    assert Connectivity(clock).online is None  # unknown until something was tried
    state = Connectivity(clock)
    with FaultProxy(platform, Scripted({"/health": [Fault.RESET_REQUEST]})) as proxy:
        with httpx.Client(base_url=proxy.url) as client:
            assert state.check(client) is False  # the connection was reset on the way
            assert (state.online, state.since) == (False, clock.now)
            clock.advance(minutes=1)
            assert state.check(client) is True
            assert (state.online, state.since) == (True, clock.now)
            assert state.record(True) is False  # no change, nothing to tell the UI
        assert proxy.faults("/health") == [Fault.RESET_REQUEST]


def test_nothing_listening_is_offline() -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{free_port()}") as client:
        assert probe(client, timeout=1.0) is False


def test_sync_cycles_report_online_and_offline(sync: LocalSync, clock: FakeClock) -> None:
    page = {"changes": [], "cursor": "c1", "has_more": False, "epoch": str(uuid.UUID(int=999))}
    script = Script(page, httpx.ConnectError("refused"), httpx.ConnectError("refused"))
    state = Connectivity(clock)
    with httpx.Client(transport=httpx.MockTransport(script), base_url=SERVER) as client:
        transport = Transport(
            client, refresh_token="r" * 30, sleep=FakeSleeper(), policy=RetryPolicy(attempts=2)
        )
        transport.access_token = "a"
        engine = SyncEngine(sync, transport, clock=clock, connectivity=state)
        engine.run_cycle()
        assert state.online is True
        with pytest.raises(Unreachable):
            engine.run_cycle()
        assert state.online is False
