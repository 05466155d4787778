"""PyInstaller entry point: the desktop launcher where it exists, else the headless CLI."""

from __future__ import annotations

try:
    # app.launcher (the GUI shell) routes `doorstep`/`doorstep gui` to the window, the rest to
    # app.cli; until it lands, the bundle is the CLI alone.
    from app.launcher import main
except ImportError:
    from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
