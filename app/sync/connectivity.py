"""Online/offline detection: a cheap probe of the platform, and state kept from real traffic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx

HEALTH_PATH = "/health"
PROBE_TIMEOUT_S = 3.0

Clock = Callable[[], datetime]


def probe(client: httpx.Client, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """Whether the platform answers its liveness check now (one try, short timeout).

    Uses the same client, so the same proxy and CA bundle, as sync does: a laptop that can
    reach the internet but not the platform (a captive portal, a proxy refusing) is offline.
    """
    try:
        response = client.get(HEALTH_PATH, timeout=timeout)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


@dataclass
class Connectivity:
    """The last known state, for the sync indicator: updated by every sync and probe.

    ``online`` is None until something has been tried. ``since`` is when it last changed.
    """

    clock: Clock
    online: bool | None = None
    since: datetime | None = None

    def record(self, reachable: bool) -> bool:
        """Note an outcome; returns True when the state changed (worth telling the UI)."""
        if reachable == self.online:
            return False
        self.online = reachable
        self.since = self.clock()
        return True

    def check(self, client: httpx.Client) -> bool:
        """Probe now and record the outcome; returns whether the platform is reachable."""
        reachable = probe(client)
        self.record(reachable)
        return reachable
