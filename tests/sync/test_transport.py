"""The sync transport: retries with jittered back-off, Retry-After, token refresh, revocation."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import certifi
import httpx
import pytest

from app.config import ConfigSources, load_settings
from app.sync.local import ResyncRequired
from app.sync.protocol import PUSH_PATH, REFRESH_PATH, PushRequest, TokenRequest
from app.sync.transport import (
    DeviceRevoked,
    ProblemError,
    RetryPolicy,
    SignInRequired,
    Transport,
    Unreachable,
    make_http_client,
)

Handler = Callable[[httpx.Request], httpx.Response]
EPOCH = uuid.UUID(int=7)
PAGE = {"changes": [], "cursor": "c2", "has_more": False, "epoch": str(EPOCH)}
PUSHED = {"results": [], "last_mutation_id": 0}


class FakeSleeper:
    """Records each wait instead of sleeping."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


class RecordingRandom(random.Random):
    """A seeded RNG that also records the bounds each jitter was drawn between."""

    def __init__(self, seed: int = 3) -> None:
        super().__init__(seed)
        self.bounds: list[tuple[float, float]] = []

    def uniform(self, a: float, b: float) -> float:
        self.bounds.append((a, b))
        return super().uniform(a, b)


def tokens(access: str, refresh: str) -> dict[str, Any]:
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "bearer",
        "expires_in": 900,
        "user_id": str(uuid.UUID(int=1)),
        "tenant_id": str(uuid.UUID(int=2)),
        "device_id": str(uuid.UUID(int=3)),
        "role": "field_officer",
        "team_id": None,
        "display_name": "Alex Morgan",
    }


def problem(status: int, code: str, headers: dict[str, str] | None = None, **extra: Any) -> Any:
    body = {"type": f"https://doorstep.example/problems/{code}", "title": code, "status": status}
    return httpx.Response(
        status,
        headers={"content-type": "application/problem+json", **(headers or {})},
        content=json.dumps({**body, **extra}).encode(),
    )


class Script:
    """A fake platform answering from a list; each entry is a response, a body or an error."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.refreshes: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == REFRESH_PATH and self.refreshes:
            return httpx.Response(200, json=self.refreshes.pop(0))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        if isinstance(answer, bytes):
            return httpx.Response(200, content=answer)
        return httpx.Response(200, json=answer)


@pytest.fixture
def sleeper() -> FakeSleeper:
    return FakeSleeper()


@pytest.fixture
def rng() -> RecordingRandom:
    return RecordingRandom()


@pytest.fixture
def make(sleeper: FakeSleeper, rng: RecordingRandom) -> Iterator[Callable[..., Transport]]:
    clients: list[httpx.Client] = []

    def build(script: Script, **options: Any) -> Transport:
        client = httpx.Client(transport=httpx.MockTransport(script), base_url="http://platform")
        clients.append(client)
        options.setdefault("refresh_token", "r" * 30)
        access = options.pop("access", "a1")
        transport = Transport(client, sleep=sleeper, rng=rng, **options)
        transport.access_token = access
        return transport

    yield build
    for client in clients:
        client.close()


def push_request() -> PushRequest:
    return PushRequest(client_id=uuid.UUID(int=9), mutations=[])


def test_503_is_retried_with_growing_jittered_delays(
    make: Callable[..., Transport], sleeper: FakeSleeper, rng: RecordingRandom
) -> None:
    script = Script(problem(503, "busy"), problem(502, "bad"), problem(500, "x"), PUSHED)
    transport = make(script, policy=RetryPolicy(attempts=6, base=0.5, cap=30.0))

    answer = transport.push(push_request())

    assert answer.last_mutation_id == 0
    assert len(script.requests) == 4
    # Full jitter: the n-th wait is drawn from [0, base * 2**n], so the bounds double.
    assert rng.bounds == [(0.0, 0.5), (0.0, 1.0), (0.0, 2.0)]
    assert len(sleeper.delays) == 3
    for delay, (low, high) in zip(sleeper.delays, rng.bounds, strict=True):
        assert low <= delay <= high
    assert sleeper.delays != [high for _low, high in rng.bounds]  # jittered, not fixed


def test_back_off_is_capped_and_gives_up_after_the_last_attempt(
    make: Callable[..., Transport], sleeper: FakeSleeper, rng: RecordingRandom
) -> None:
    script = Script(*[httpx.ConnectError("refused")] * 5)
    transport = make(script, policy=RetryPolicy(attempts=5, base=1.0, cap=3.0))

    with pytest.raises(Unreachable, match="could not be reached"):
        transport.pull(None, 100)

    assert len(script.requests) == 5
    assert [high for _low, high in rng.bounds] == [1.0, 2.0, 3.0, 3.0]
    assert all(0.0 <= d <= 3.0 for d in sleeper.delays)


def test_dropped_connection_then_success(
    make: Callable[..., Transport], sleeper: FakeSleeper
) -> None:
    script = Script(httpx.ReadError("reset"), httpx.ReadTimeout("slow"), PAGE)
    page = make(script).pull("c1", 100)

    assert page.cursor == "c2"
    assert len(sleeper.delays) == 2
    assert script.requests[-1].url.params["cursor"] == "c1"
    assert script.requests[-1].url.params["limit"] == "100"


def test_truncated_or_invalid_body_is_retried(
    make: Callable[..., Transport], sleeper: FakeSleeper
) -> None:
    whole = json.dumps(PAGE).encode()
    script = Script(whole[: len(whole) // 2], b"<html>proxy error</html>", PAGE)

    page = make(script).pull(None, 10)

    assert page.epoch == EPOCH
    assert len(script.requests) == 3
    assert "cursor" not in script.requests[0].url.params
    assert len(sleeper.delays) == 2


def test_truncated_push_answer_is_retried(make: Callable[..., Transport]) -> None:
    script = Script(b'{"results": [', PUSHED)
    assert make(script).push(push_request()).results == []
    assert [r.url.path for r in script.requests] == [PUSH_PATH, PUSH_PATH]
    assert script.requests[0].content == script.requests[1].content  # the same batch again


def test_retry_after_is_honoured(
    make: Callable[..., Transport], sleeper: FakeSleeper, rng: RecordingRandom
) -> None:
    script = Script(problem(429, "slow-down", {"Retry-After": "7"}), PUSHED)
    make(script).push(push_request())

    assert len(sleeper.delays) == 1
    assert sleeper.delays[0] == 7.0  # the jitter (at most 0.5 s here) never shortens it


def test_a_retry_after_too_long_to_wait_is_reported(make: Callable[..., Transport]) -> None:
    script = Script(problem(503, "busy", {"Retry-After": "3600"}))
    with pytest.raises(Unreachable, match="HTTP 503"):
        make(script).push(push_request())


def test_expired_access_token_is_refreshed_once_then_the_request_succeeds(
    make: Callable[..., Transport],
) -> None:
    saved: list[str] = []
    script = Script(problem(401, "invalid-token"), PUSHED)
    script.refreshes = [tokens("a2", "r2" * 15)]
    transport = make(script, on_tokens=lambda pair: saved.append(pair.refresh_token))

    transport.push(push_request())

    paths = [r.url.path for r in script.requests]
    assert paths == [PUSH_PATH, REFRESH_PATH, PUSH_PATH]
    assert script.requests[0].headers["authorization"] == "Bearer a1"
    assert json.loads(script.requests[1].content) == {"refresh_token": "r" * 30}
    assert script.requests[2].headers["authorization"] == "Bearer a2"
    assert saved == ["r2" * 15]  # the rotated refresh token is kept at once
    assert transport.refresh_token == "r2" * 15


def test_a_second_invalid_token_means_sign_in_again(make: Callable[..., Transport]) -> None:
    script = Script(problem(401, "invalid-token"), problem(401, "invalid-token"))
    script.refreshes = [tokens("a2", "r2" * 15)]
    with pytest.raises(SignInRequired):
        make(script).push(push_request())
    assert [r.url.path for r in script.requests].count(REFRESH_PATH) == 1


def test_a_refused_refresh_means_sign_in_again(make: Callable[..., Transport]) -> None:
    script = Script(problem(401, "invalid-token"), problem(401, "refresh-reused"))
    with pytest.raises(SignInRequired) as raised:
        make(script).push(push_request())
    assert raised.value.code == "refresh-reused"


def test_a_refresh_whose_answer_was_lost_is_not_resent(
    make: Callable[..., Transport], sleeper: FakeSleeper
) -> None:
    # The platform may have used the single-use token: sending it again would look like theft.
    script = Script(httpx.ReadError("reset"))
    transport = make(script)
    with pytest.raises(Unreachable):
        transport.refresh()
    assert len(script.requests) == 1
    assert sleeper.delays == []


def test_device_revoked(make: Callable[..., Transport]) -> None:
    script = Script(problem(403, "device-revoked", wipe=True))
    with pytest.raises(DeviceRevoked):
        make(script).pull("c1", 10)


def test_resync_required(make: Callable[..., Transport]) -> None:
    script = Script(problem(409, "resync-required"))
    with pytest.raises(ResyncRequired):
        make(script).pull("c1", 10)


def test_sign_in_lockout_is_not_retried_and_says_how_long(
    make: Callable[..., Transport], sleeper: FakeSleeper
) -> None:
    script = Script(problem(429, "locked-out", {"Retry-After": "300"}))
    request = TokenRequest(tenant="demo", username="u", password="p", device_id=uuid.UUID(int=3))
    with pytest.raises(ProblemError) as raised:
        make(script, refresh_token=None).sign_in(request)
    assert (raised.value.status, raised.value.code, raised.value.retry_after) == (
        429,
        "locked-out",
        300,
    )
    assert sleeper.delays == []
    assert "authorization" not in script.requests[0].headers


def test_other_problems_are_reported_not_retried(make: Callable[..., Transport]) -> None:
    script = Script(problem(422, "validation"))
    with pytest.raises(ProblemError) as raised:
        make(script).push(push_request())
    assert raised.value.status == 422
    assert len(script.requests) == 1


def test_http_client_from_settings(tmp_path: Path) -> None:
    machine = tmp_path / "config.toml"
    machine.write_text(
        f'proxy = "http://proxy.council.example:3128"\nca_bundle = "{certifi.where()}"\n'
    )
    settings = load_settings(ConfigSources(machine, None), {"DOORSTEP_HOME": str(tmp_path)})
    with make_http_client("https://platform.example/", settings) as client:
        assert str(client.base_url) == "https://platform.example"
        assert client.timeout.connect == 10.0
        assert client.headers["accept-encoding"] == "gzip"
