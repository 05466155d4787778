"""`make run`: the demo platform, then the desktop client signed in; closing it stops both."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.config import DEMO_MODE, SERVER_URL, TENANT, load_settings
from app.demo import demo_users
from app.store.keys import PASSPHRASE_ENV, default_keyring, keyring_is_secure

DEMO_STORE_PASSPHRASE = "doorstep-demo-store"  # noqa: S105 (demo data only, no keyring here)
HEALTH_TIMEOUT_S = 60.0


def wait_for_health(url: str, platform: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if platform.poll() is not None:
            raise SystemExit(f"the platform stopped (exit {platform.returncode}); see above")
        try:
            if httpx.get(f"{url}/health", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the platform did not answer {url}/health within {HEALTH_TIMEOUT_S:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True, help="demo folder (.demo)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--user", default="housing.officer", help="demo account to sign in as")
    parser.add_argument("gui_args", nargs="*", help="extra options for `doorstep gui`")
    args = parser.parse_args()
    # The demo accounts of the council `make run` seeds (seed 1), with their demo passwords.
    passwords = {user.username: user.password for user in demo_users(1)}
    if args.user not in passwords:
        raise SystemExit(f"--user: {args.user!r} is not a demo account (see the README)")
    bin_dir = Path(sys.executable).parent
    url = f"http://127.0.0.1:{args.port}"
    print(f"Doorstep platform (demo council) on {url}/docs", flush=True)
    platform = subprocess.Popen(  # noqa: S603 (our own installed commands)
        [str(bin_dir / "doorstep-server"), "serve", "--host", "127.0.0.1", "--port", str(args.port)]
    )
    try:
        wait_for_health(url, platform)
        # One client folder per demo user: a store holds one user's data.
        client_home = args.home / ("client" if args.user == "housing.officer" else args.user)
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOORSTEP_")}
        env["DOORSTEP_HOME"] = str(client_home)
        settings = load_settings(env=env)
        settings.set_user(SERVER_URL, url)
        settings.set_user(TENANT, "demo")
        settings.set_user(DEMO_MODE, True)  # the demo council uses 999 test NHS numbers
        if not keyring_is_secure(default_keyring()):
            print(
                "No secure keyring here: the demo store uses a fixed passphrase "
                f"({PASSPHRASE_ENV}) and the sign-in lasts for this session.",
                flush=True,
            )
            env[PASSPHRASE_ENV] = os.environ.get(PASSPHRASE_ENV, DEMO_STORE_PASSPHRASE)
        env["DOORSTEP_PASSWORD"] = passwords[args.user]
        print(f"Opening the desktop client signed in as {args.user}...", flush=True)
        gui = subprocess.run(  # noqa: S603 (our own installed commands)
            [str(bin_dir / "doorstep"), "gui", "--user", args.user, *args.gui_args],
            env=env,
            check=False,
        )
        return gui.returncode
    finally:
        platform.terminate()
        try:
            platform.wait(timeout=20)
        except subprocess.TimeoutExpired:
            platform.kill()
            platform.wait()
        print("Stopped the demo platform.", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
