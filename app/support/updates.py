"""Update notices: ask the platform which client version it offers; never install anything."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import httpx
import pydantic

from app import __version__
from app.sync.protocol import CLIENT_VERSION_PATH, ClientVersion

# Short: the notice is a courtesy and must never hold up `doorstep status` or the app.
CHECK_TIMEOUT_SECONDS = 5.0

UpdateState = Literal["off", "current", "available", "unknown"]


@dataclass(frozen=True)
class UpdateNotice:
    """What to tell the user about updates, in one line."""

    state: UpdateState
    installed: str
    offered: str | None
    message: str

    def as_dict(self) -> dict[str, str | None]:
        return {
            "state": self.state,
            "installed": self.installed,
            "offered": self.offered,
            "message": self.message,
        }


def version_key(text: str) -> tuple[int, ...]:
    """``"1.10.2"`` as ``(1, 10, 2)``, so 1.10 sorts after 1.9; raises ValueError otherwise."""
    parts = tuple(int(part) for part in text.split("."))
    # Trailing zeros do not make a newer version: 1.2 == 1.2.0.
    while len(parts) > 1 and parts[-1] == 0:
        parts = parts[:-1]
    return parts


def check_for_update(
    policy: str, client: httpx.Client | None, installed: str = __version__
) -> UpdateNotice:
    """The notice for ``policy`` ("none", "notify" or "automatic").

    "automatic" is treated as "notify": this app never installs anything itself; IT deploys
    new versions with their own tools (MSI, apt). ``client`` is None when no platform is set.
    """
    if policy == "none":
        return UpdateNotice("off", installed, None, "Update checks are off by policy.")
    if client is None:
        return UpdateNotice("unknown", installed, None, "No platform is configured to ask.")
    try:
        response = client.get(CLIENT_VERSION_PATH, timeout=CHECK_TIMEOUT_SECONDS)
        response.raise_for_status()
        offered = ClientVersion.model_validate_json(response.content).version
    except httpx.HTTPError as error:
        return UpdateNotice(
            "unknown", installed, None, f"Could not ask the platform ({type(error).__name__})."
        )
    except pydantic.ValidationError:
        return UpdateNotice(
            "unknown", installed, None, "The platform's answer was not a version number."
        )
    if version_key(offered) > version_key(installed):
        return UpdateNotice(
            "available",
            installed,
            offered,
            f"Version {offered} is available (this is {installed}). Your IT team installs "
            "updates; ask them if it has not arrived.",
        )
    return UpdateNotice("current", installed, offered, f"Up to date ({installed}).")
