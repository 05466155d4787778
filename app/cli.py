"""The ``doorstep`` command: headless store, demo-data and diagnostic commands for IT."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from keyring.backend import KeyringBackend

from app import __version__
from app.config import resolve_paths
from app.store.db import Store, StoreError
from app.store.keys import StoreKeyError, default_keyring, obtain_store_key

MAX_DEMO_PERSONS = 100_000
STORE_FILE = "doorstep.db"


class UsageError(Exception):
    """A command-line value is not allowed; the message names the option."""


@dataclass
class Context:
    """What a command needs from outside, injected so tests need no monkeypatching."""

    env: Mapping[str, str]
    out: TextIO
    err: TextIO
    keyring: Callable[[], KeyringBackend | None] = default_keyring
    prompt: Callable[[str], str] | None = None
    extras: dict[str, object] = field(default_factory=dict)

    def open_store(self, *, create: bool = True) -> Store:
        """Open this user's store (DOORSTEP_HOME or the per-user data folder)."""
        path = resolve_paths(self.env).data_dir / STORE_FILE
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not create:
            raise StoreError(
                f"There is no local store at {path} yet; sign in or run 'doorstep import-demo'."
            )
        key = obtain_store_key(
            str(path.absolute()),
            store_exists=exists,
            backend=self.keyring(),
            env=self.env,
            prompt=self.prompt,
        )
        return Store.open(path, key)


def _bounded_int(name: str, low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number from {low:,} to {high:,}; got '{text}'."
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number from {low:,} to {high:,}; got {value:,}."
            )
        return value

    return parse


def _import_demo(args: argparse.Namespace, ctx: Context) -> int:
    from app.demo import generate_council

    store = ctx.open_store()
    try:
        existing = store.check().counts["person"]
        if existing:
            ctx.err.write(
                f"doorstep: the local store already holds {existing:,} persons; import-demo "
                "fills an empty store only. Set DOORSTEP_HOME to a new folder to try it.\n"
            )
            return 1
        started = time.perf_counter()
        batches = ((batch.model, batch.rows) for batch in generate_council(args.persons, args.seed))
        loaded = store.bulk_load(batches)
        elapsed = time.perf_counter() - started
        counts = store.check().counts
    finally:
        store.close()
    ctx.out.write(
        f"Imported a synthetic council of {counts['person']:,} persons and {loaded:,} records "
        f"(seed {args.seed}) into {store.path} in {elapsed:.1f} s.\n"
    )
    return 0


def _store_check(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.open_store(create=False)
    try:
        result = store.check()
    finally:
        store.close()
    if args.json:
        ctx.out.write(
            json.dumps(
                {
                    "path": str(result.path),
                    "revision": result.revision,
                    "integrity": result.integrity,
                    "counts": result.counts,
                },
                indent=2,
            )
            + "\n"
        )
    else:
        ctx.out.write(f"Store:     {result.path}\n")
        ctx.out.write(f"Revision:  {result.revision}\n")
        ctx.out.write(f"Integrity: {result.integrity}\n")
        for table, count in result.counts.items():
            ctx.out.write(f"  {table:<18} {count:>10,}\n")
    return 0 if result.ok else 3


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar, shared by ``main`` and the documentation."""
    parser = argparse.ArgumentParser(
        prog="doorstep",
        description="Doorstep case-work client: headless commands for IT and scripting.",
    )
    parser.add_argument("--version", action="version", version=f"doorstep {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "import-demo", help="fill an empty local store with a synthetic council"
    )
    demo.add_argument(
        "--persons",
        type=_bounded_int("--persons", 1, MAX_DEMO_PERSONS),
        default=500,
        help=f"how many residents to make (1 to {MAX_DEMO_PERSONS:,}; default 500)",
    )
    demo.add_argument(
        "--seed",
        type=_bounded_int("--seed", 0, 2**31 - 1),
        default=1,
        help="random seed; the same seed gives the same council (default 1)",
    )
    demo.set_defaults(handler=_import_demo)

    store = commands.add_parser("store", help="inspect the local store")
    store_commands = store.add_subparsers(dest="store_command", metavar="STORE_COMMAND")
    check = store_commands.add_parser(
        "check", help="integrity check, schema revision and record counts"
    )
    check.add_argument("--json", action="store_true", help="print a JSON object")
    check.set_defaults(handler=_store_check)
    return parser


def main(argv: Sequence[str] | None = None, ctx: Context | None = None) -> int:
    """Run one command and return its exit status."""
    ctx = ctx or Context(
        env=os.environ,
        out=sys.stdout,
        err=sys.stderr,
        prompt=getpass.getpass if sys.stdin.isatty() else None,
    )
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(ctx.out)
        return 2
    try:
        result: int = handler(args, ctx)
    except (StoreError, StoreKeyError) as error:
        ctx.err.write(f"doorstep: {error.message}\n")
        return 1
    return result


if __name__ == "__main__":
    raise SystemExit(main())
