"""Each network fault, injected by a real proxy between a laptop and the real platform.

The platform runs under uvicorn on a PostgreSQL clone of the seeded council; the laptop's
httpx client reaches it through ``tests.sync.faults.FaultProxy``, named as the proxy in the
machine config, so the config's proxy setting is exercised too. Each test checks that the
proxy really injected its fault (and whether the platform saw the request), then that sync
survived it with nothing lost and nothing applied twice.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.config import ConfigSources, load_settings
from app.models import entities as e
from app.store.db import Store
from app.store.keys import SessionKeyring, StoreKey
from app.sync.engine import SyncEngine
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.protocol import PULL_PATH, PUSH_PATH
from app.sync.session import TokenVault, sign_in
from app.sync.transport import Transport, make_http_client
from server.models import MutationResult
from tests.server import conftest as platform_fixtures
from tests.sync.conftest import rows_of
from tests.sync.faults import FORWARDED, Fault, FaultProxy, Scripted
from tests.sync.live import seeded_clone, serve
from tests.sync.test_engine import now
from tests.sync.test_transport import FakeSleeper

pg_platform_template = platform_fixtures.pg_platform_template
seeded_pg_template = platform_fixtures.seeded_pg_template

PASSWORD = "doorstep-demo-1"
FAULTS = [f for f in Fault if f is not Fault.PASS]


@pytest.fixture(scope="module")
def platform_engine(pg_admin_url: str, seeded_pg_template: str) -> Iterator[sa.Engine]:
    # One platform for the module: each test signs in as a new device with its own client
    # id and outbox, and checks only the records it made.
    with seeded_clone(pg_admin_url, seeded_pg_template) as engine:
        yield engine


@pytest.fixture(scope="module")
def platform_url(platform_engine: sa.Engine) -> Iterator[str]:
    with serve(platform_engine) as url:
        yield url


@pytest.fixture
def proxy(platform_url: str) -> Iterator[FaultProxy]:
    with FaultProxy(platform_url, Scripted(), delay_s=0.3) as running:
        yield running


class Laptop:
    """A laptop whose machine config names the fault proxy."""

    def __init__(self, folder: Path, template: tuple[Path, StoreKey], platform: str, proxy: str):
        folder.mkdir()
        (folder / "config.toml").write_text(f'proxy = "{proxy}"\n')
        settings = load_settings(
            ConfigSources(folder / "config.toml", None), {"DOORSTEP_HOME": str(folder)}
        )
        path = folder / "doorstep.db"
        path.write_bytes(template[0].read_bytes())
        self.store = Store.open(path, template[1])
        self.local = LocalSync(self.store, clock=now)
        self.client = make_http_client(platform, settings)
        self.sleeper = FakeSleeper()
        self.transport = Transport(self.client, sleep=self.sleeper, rng=random.Random(5))
        self.engine = SyncEngine(self.local, self.transport, clock=now, page_limit=200)
        self.platform = platform

    def sign_in(self) -> None:
        sign_in(
            self.local,
            self.transport,
            TokenVault(None, SessionKeyring()),
            server_url=self.platform,
            tenant="demo",
            username="housing.officer",
            password=PASSWORD,
        )

    def changes(self) -> LocalChanges:
        identity = self.local.state().identity
        assert identity is not None
        return LocalChanges(
            self.store,
            clock=now,
            user_id=identity.user_id,
            device_id=identity.device_id,
            tenant_id=identity.tenant_id,
            allow_test_numbers=True,
        )

    def a_case(self) -> uuid.UUID:
        identity = self.local.state().identity
        assert identity is not None
        [(found,)] = rows_of(
            self.store,
            "SELECT id FROM case_record WHERE officer_id = ? AND status != 'closed' "
            "ORDER BY reference LIMIT 1",
            identity.user_id.hex,
        )
        return uuid.UUID(hex=found)

    def ids(self, table: str) -> set[str]:
        return {r[0] for r in rows_of(self.store, f"SELECT id FROM {table} WHERE NOT deleted")}

    def close(self) -> None:
        self.client.close()
        self.store.close()


@pytest.fixture
def laptops(
    tmp_path: Path, template: tuple[Path, StoreKey], platform_url: str, proxy: FaultProxy
) -> Iterator[Callable[[str], Laptop]]:
    made: list[Laptop] = []

    def make(name: str) -> Laptop:
        laptop = Laptop(tmp_path / name, template, platform_url, proxy.url)
        made.append(laptop)
        return laptop

    yield make
    for laptop in made:
        laptop.close()


def platform_notes(engine: sa.Engine, text: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).select_from(e.Note).where(e.Note.text == text)
            ).scalar_one()
        )


def answers_stored(engine: sa.Engine, client_id: uuid.UUID) -> list[int]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(MutationResult.mutation_id)
                .where(MutationResult.client_id == client_id)
                .order_by(MutationResult.mutation_id)
            ).scalars()
        )


@pytest.mark.postgres
def test_the_proxy_from_the_machine_config_carries_the_traffic(
    laptops: Callable[[str], Laptop], proxy: FaultProxy
) -> None:
    a = laptops("a")
    a.sign_in()
    a.engine.run_cycle()
    paths = [event.path for event in proxy.events]
    assert paths[0] == "/api/v1/auth/token"
    assert PULL_PATH in paths
    assert all(event.fault is Fault.PASS for event in proxy.events)


@pytest.mark.postgres
@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.value)
def test_a_push_survives(
    fault: Fault,
    laptops: Callable[[str], Laptop],
    proxy: FaultProxy,
    platform_engine: sa.Engine,
) -> None:
    a = laptops("a")
    a.sign_in()
    a.engine.run_cycle()
    text = f"Pushed through {fault.value} {uuid.uuid4()}"
    note = a.changes().add_note(a.a_case(), "phone", text)
    assert isinstance(proxy.policy, Scripted)
    proxy.policy.add(PUSH_PATH, fault)

    report = a.engine.run_cycle()

    [event, *rest] = [ev for ev in proxy.events if ev.path == PUSH_PATH]
    assert event.fault is fault
    assert event.platform_saw == (2 if fault is Fault.DUPLICATE else int(fault in FORWARDED))
    retried = fault not in (Fault.PASS, Fault.DELAY, Fault.DUPLICATE)
    assert len(rest) == int(retried)
    assert len(a.sleeper.delays) == int(retried)  # backed off once before the retry
    assert report.pushed == 1
    assert a.local.status().pending == 0
    assert platform_notes(platform_engine, text) == 1
    # One stored answer: a retry of a committed push was answered from it, not applied again.
    assert answers_stored(platform_engine, a.local.state().client_id) == [1]
    assert note.hex in a.ids("note")


@pytest.mark.postgres
@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.value)
def test_a_pull_survives(fault: Fault, laptops: Callable[[str], Laptop], proxy: FaultProxy) -> None:
    reference = laptops("reference")
    reference.sign_in()
    reference.engine.run_cycle()

    a = laptops("a")
    a.sign_in()
    assert isinstance(proxy.policy, Scripted)
    # The second page of the initial sync meets the fault.
    proxy.policy.add(PULL_PATH, Fault.PASS, fault)
    report = a.engine.run_cycle()

    pulls = [ev for ev in proxy.events if ev.path == PULL_PATH]
    assert [ev.fault for ev in pulls if ev.fault is not Fault.PASS] == [fault]
    assert report.pulled >= len(reference.ids("person"))
    for table in ("person", "case_record", "note", "task", "household_member"):
        assert a.ids(table) == reference.ids(table), table
    assert a.local.state().cursor is not None


@pytest.mark.postgres
def test_the_platform_failing_every_time_leaves_the_outbox_whole(
    laptops: Callable[[str], Laptop], proxy: FaultProxy, platform_engine: sa.Engine
) -> None:
    from app.sync.transport import Unreachable

    a = laptops("a")
    a.sign_in()
    a.engine.run_cycle()
    text = f"Kept through an outage {uuid.uuid4()}"
    a.changes().add_note(a.a_case(), "phone", text)
    assert isinstance(proxy.policy, Scripted)
    attempts = a.transport.policy.attempts
    proxy.policy.add(PUSH_PATH, *[Fault.DROP_RESPONSE] * attempts)

    with pytest.raises(Unreachable):
        a.engine.run_cycle()
    assert proxy.faults(PUSH_PATH) == [Fault.DROP_RESPONSE] * attempts
    # Committed on the platform but never answered: still pending here, applied once there.
    assert a.local.status().pending == 1
    assert platform_notes(platform_engine, text) == 1

    report = a.engine.run_cycle()
    assert report.pushed == 1
    assert a.local.status().pending == 0
    assert platform_notes(platform_engine, text) == 1
