"""The ``doorstep`` entry point: the desktop app by default, the headless CLI otherwise."""

from __future__ import annotations

import sys
from collections.abc import Sequence

GUI_COMMAND = "gui"


def main(argv: Sequence[str] | None = None) -> int:
    """Open the desktop app for no arguments or ``gui [options]``; hand the rest to the CLI."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] == GUI_COMMAND:
        # Imported here so CLI commands never load Qt (servers and scripts may lack its libraries).
        # The store and sync stack first: once PySide6 is loaded it inspects the source of
        # every module imported after it, which costs a few hundred ms of start-up.
        import app.signon  # noqa: F401
        from app.ui.main import main as gui_main

        return gui_main(args[1:])
    from app.cli import main as cli_main

    if args[0] in ("-h", "--help"):
        # The CLI's own help does not know the desktop app; say it here.
        print("doorstep [gui [--smoke-test] [--user NAME] [--language en|cy]]: the desktop app")
    return cli_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
