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
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import httpx
from keyring.backend import KeyringBackend

from app import __version__
from app.cliargs import bounded_int
from app.config import (
    KEEP_CLOSED_CASES_DAYS,
    SERVER_URL,
    TENANT,
    ConfigError,
    ConfigSources,
    Settings,
    load_settings,
    resolve_paths,
)
from app.store.db import Store, StoreError
from app.store.keys import (
    SessionKeyring,
    StoreKeyError,
    default_keyring,
    forget_store_key,
    obtain_store_key,
)
from app.support.commands import add_support_commands, start_logging, update_notice
from app.sync.engine import StoreWiped, SyncEngine
from app.sync.local import LocalSync, PageRejected
from app.sync.protocol import TokenResponse
from app.sync.session import StoreOwnedByAnother, TokenVault, sign_in, wipe_store
from app.sync.state import Identity, SyncStateError
from app.sync.transport import (
    DeviceRevoked,
    ProblemError,
    SignInRequired,
    Transport,
    TransportError,
    Unreachable,
    make_http_client,
)

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
    # (server_url, settings) -> a client; tests give one over the platform app in process.
    http_client: Callable[[str, Settings], httpx.Client] = make_http_client
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    config_sources: ConfigSources | None = None
    # Where secrets go when no secure keyring exists: this process's memory, never a file.
    session_keyring: SessionKeyring = field(default_factory=SessionKeyring)

    @property
    def store_path(self) -> Path:
        """Where this user's store lives (DOORSTEP_HOME or the per-user data folder)."""
        return resolve_paths(self.env).data_dir / STORE_FILE

    def settings(self) -> Settings:
        """The effective settings: policy, user, machine config, defaults."""
        return load_settings(self.config_sources, self.env)

    def token_vault(self) -> TokenVault:
        """Refresh tokens in the OS keyring, or in memory for this session only."""
        return TokenVault(self.keyring(), self.session_keyring)

    def open_store(self, *, create: bool = True) -> Store:
        """Open this user's store (DOORSTEP_HOME or the per-user data folder)."""
        path = self.store_path
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


# --- Sync commands ---------------------------------------------------------------------------

EXIT_ERROR = 1
EXIT_UNREACHABLE = 3
EXIT_SIGN_IN = 4
EXIT_WIPED = 5
PASSWORD_ENV = "DOORSTEP_PASSWORD"  # noqa: S105 (a variable name, not a secret)


def _forget_store_key(ctx: Context, path: Path) -> None:
    """Drop the erased store's key from the keyring too: nothing can open a copy of it."""
    forget_store_key(ctx.keyring(), path)


def _erase(ctx: Context, store: Store) -> None:
    wipe_store(store)
    _forget_store_key(ctx, store.path)


def _revoked_message(ctx: Context, detail: str) -> int:
    ctx.err.write(
        "doorstep: an administrator revoked this laptop, so its local data has been erased. "
        f"Sign in again to start afresh. ({detail})\n"
    )
    return EXIT_WIPED


def _transport(
    ctx: Context, client: httpx.Client, vault: TokenVault, identity: Identity | None
) -> Transport:
    token = vault.load(identity) if identity is not None else None

    def keep(pair: TokenResponse) -> None:
        if identity is not None:
            vault.save(identity, pair.refresh_token)

    return Transport(client, refresh_token=token, on_tokens=keep, sleep=ctx.sleep)


def _login(args: argparse.Namespace, ctx: Context) -> int:
    settings = ctx.settings()
    server = (args.server or settings.get(SERVER_URL)).rstrip("/")
    tenant = args.tenant or settings.get(TENANT)
    if not server:
        raise UsageError("say which platform to sign in to: --server URL")
    if not tenant:
        raise UsageError("say which council to sign in to: --tenant CODE")
    password = ctx.env.get(PASSWORD_ENV)
    if not password and ctx.prompt is not None:
        password = ctx.prompt(f"Password for {args.user}: ")
    if not password:
        raise UsageError(f"no password: type it when asked, or set {PASSWORD_ENV}")
    vault = ctx.token_vault()
    store = ctx.open_store()
    try:
        local = LocalSync(store, clock=ctx.clock)
        with ctx.http_client(server, settings) as client:
            transport = Transport(client, sleep=ctx.sleep)
            done = sign_in(
                local,
                transport,
                vault,
                server_url=server,
                tenant=tenant,
                username=args.user,
                password=password,
            )
    except StoreOwnedByAnother as error:
        store.close()
        ctx.err.write(f"doorstep: {error.message}\n")
        return EXIT_ERROR
    except DeviceRevoked as error:
        _erase(ctx, store)
        return _revoked_message(ctx, error.message)
    except Unreachable as error:
        store.close()
        ctx.err.write(f"doorstep: cannot reach the platform at {server}: {error.message}\n")
        return EXIT_UNREACHABLE
    except ProblemError as error:
        store.close()
        if error.status == 429:
            wait = f" Try again in {error.retry_after:.0f} seconds." if error.retry_after else ""
            ctx.err.write(f"doorstep: sign-in refused: {error.message}{wait}\n")
        elif error.status == 401:
            ctx.err.write(f"doorstep: sign-in refused: {error.message}\n")
        else:
            ctx.err.write(
                f"doorstep: sign-in refused ({error.status} {error.code}): {error.message}\n"
            )
        return EXIT_SIGN_IN if error.status in (401, 429) else EXIT_ERROR
    store.close()
    who = done.identity
    ctx.out.write(
        f"Signed in to {who.server_url} as {who.display_name} ({who.username}, {who.role}) "
        f"of {who.tenant}; this laptop is device {who.device_id}.\n"
    )
    if not done.kept_in_keyring:
        ctx.out.write(
            "No secure keyring is available, so the sign-in is kept in memory for this "
            "session only and never written to a file.\n"
        )
    return 0


def _sync(args: argparse.Namespace, ctx: Context) -> int:
    settings = ctx.settings()
    vault = ctx.token_vault()
    store = ctx.open_store(create=False)
    local = LocalSync(store, clock=ctx.clock)
    identity = local.state().identity
    if identity is None or not vault.load(identity):
        store.close()
        ctx.err.write("doorstep: not signed in on this laptop; run 'doorstep login' first.\n")
        return EXIT_SIGN_IN
    try:
        with ctx.http_client(identity.server_url, settings) as client:
            engine = SyncEngine(
                local,
                _transport(ctx, client, vault, identity),
                clock=ctx.clock,
                keep_closed_cases_days=settings.get(KEEP_CLOSED_CASES_DAYS),
            )
            report = engine.run_cycle()
    except StoreWiped as wiped:
        vault.forget(identity)
        _forget_store_key(ctx, store.path)
        ctx.err.write(f"doorstep: {wiped.message} Sign in again to start afresh.\n")
        return EXIT_WIPED
    except Unreachable as error:
        ctx.err.write(
            f"doorstep: sync did not finish: {error.message} Local changes are kept and "
            "will be sent at the next sync.\n"
        )
        return EXIT_UNREACHABLE
    except SignInRequired as error:
        vault.forget(identity)
        ctx.err.write(f"doorstep: sign in again ('doorstep login'): {error.message}\n")
        return EXIT_SIGN_IN
    except (ProblemError, PageRejected, SyncStateError) as error:
        ctx.err.write(f"doorstep: sync did not finish: {error.message}\n")
        return EXIT_ERROR
    finally:
        store.close()
    if args.json:
        ctx.out.write(json.dumps(report.as_dict()) + "\n")
    else:
        ctx.out.write(
            f"Synced: {report.pushed} changes sent ({report.merged} merged, {report.conflicts} "
            f"in conflict, {report.rejected} rejected), {report.pulled} received.\n"
        )
    return 0


def _status(args: argparse.Namespace, ctx: Context) -> int:
    vault = ctx.token_vault()
    store = ctx.open_store(create=False)
    try:
        status = LocalSync(store, clock=ctx.clock).status()
    finally:
        store.close()
    who = status.identity
    report: dict[str, object] = {
        "server": who.server_url if who else None,
        "tenant": who.tenant if who else None,
        "user": who.username if who else None,
        "display_name": who.display_name if who else None,
        "device": str(who.device_id) if who else None,
        "client_id": str(status.client_id),
        "signed_in": bool(who and vault.load(who)),
        "secure_keyring": vault.secure,
        "last_sync": status.last_sync_at.isoformat() if status.last_sync_at else None,
        "pending": status.pending,
        "open_conflicts": status.open_conflicts,
        "rejected": status.rejected,
        "awaiting_push_to_leave": status.awaiting_push_to_leave,
        "resyncing": status.resyncing,
    }
    notice = update_notice(ctx, who.server_url if who else None)
    report["update"] = notice.as_dict()
    if args.json:
        ctx.out.write(json.dumps(report, indent=2) + "\n")
        return 0
    if who is None:
        ctx.out.write("Not signed in on this laptop.\n")
    else:
        state = "signed in" if report["signed_in"] else "signed out"
        ctx.out.write(f"Server:          {who.server_url} ({who.tenant})\n")
        ctx.out.write(f"User:            {who.display_name} ({who.username}), {state}\n")
        ctx.out.write(f"Device:          {who.device_id}\n")
    ctx.out.write(f"Last sync:       {report['last_sync'] or 'never'}\n")
    ctx.out.write(f"Pending changes: {status.pending}\n")
    ctx.out.write(f"Open conflicts:  {status.open_conflicts}\n")
    ctx.out.write(f"Rejected:        {status.rejected}\n")
    ctx.out.write(f"Updates:         {notice.message}\n")
    return 0


def _logout(args: argparse.Namespace, ctx: Context) -> int:
    settings = ctx.settings()
    vault = ctx.token_vault()
    store = ctx.open_store(create=False)
    local = LocalSync(store, clock=ctx.clock)
    status = local.status()
    if args.wipe and status.pending and not args.force:
        store.close()
        ctx.err.write(
            f"doorstep: {status.pending} local changes have not reached the platform yet; "
            "run 'doorstep sync' first, or add --force to erase them too.\n"
        )
        return EXIT_ERROR
    identity = status.identity
    if identity is not None and vault.load(identity):
        try:
            with ctx.http_client(identity.server_url, settings) as client:
                _transport(ctx, client, vault, identity).logout()
        except DeviceRevoked as error:
            vault.forget(identity)
            _erase(ctx, store)
            return _revoked_message(ctx, error.message)
        except TransportError as error:
            # Signing out here must not depend on the network; the token expires anyway.
            ctx.err.write(
                f"doorstep: the platform was not told ({error.message}); this laptop has "
                "forgotten the sign-in all the same.\n"
            )
        vault.forget(identity)
    if args.wipe:
        _erase(ctx, store)
        ctx.out.write(f"Signed out and erased the local store at {store.path}.\n")
    else:
        store.close()
        ctx.out.write("Signed out. The local store is kept; sign in again to carry on.\n")
    return 0


def add_sync_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """login, sync, status and logout."""
    login = commands.add_parser("login", help="sign in to the platform on this laptop")
    login.add_argument("--server", help="platform URL (default: the server_url setting)")
    login.add_argument("--user", required=True, help="your username")
    login.add_argument("--tenant", help="the council's code (default: the tenant setting)")
    login.set_defaults(handler=_login)

    sync = commands.add_parser(
        "sync",
        help="run one full sync cycle",
        description="Push local changes, pull the platform's. Exit status: 0 done, 1 refused, "
        "3 platform unreachable, 4 sign in again, 5 device revoked and store erased.",
    )
    sync.add_argument("--json", action="store_true", help="print the counts as a JSON object")
    sync.set_defaults(handler=_sync)

    status = commands.add_parser("status", help="who is signed in and what waits to sync")
    status.add_argument("--json", action="store_true", help="print a JSON object")
    status.set_defaults(handler=_status)

    logout = commands.add_parser("logout", help="sign out, optionally erasing the local store")
    logout.add_argument(
        "--wipe", action="store_true", help="erase the local store (refused if changes wait)"
    )
    logout.add_argument(
        "--force", action="store_true", help="with --wipe: erase even unsynced changes"
    )
    logout.set_defaults(handler=_logout)


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
        type=bounded_int("--persons", 1, MAX_DEMO_PERSONS),
        default=500,
        help=f"how many residents to make (1 to {MAX_DEMO_PERSONS:,}; default 500)",
    )
    demo.add_argument(
        "--seed",
        type=bounded_int("--seed", 0, 2**31 - 1),
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
    add_sync_commands(commands)
    add_support_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None, ctx: Context | None = None) -> int:
    """Run one command and return its exit status."""
    real_run = ctx is None
    ctx = ctx or Context(
        env=os.environ,
        out=sys.stdout,
        err=sys.stderr,
        prompt=getpass.getpass if sys.stdin.isatty() else None,
    )
    parser = build_parser()
    args = parser.parse_args(argv)
    if real_run:
        # Tests pass their own Context and keep the process's logging as it is.
        start_logging(ctx, args.command)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(ctx.out)
        return 2
    try:
        result: int = handler(args, ctx)
    except (StoreError, StoreKeyError) as error:
        ctx.err.write(f"doorstep: {error.message}\n")
        return 1
    except UsageError as error:
        ctx.err.write(f"doorstep: {error}\n")
        return 2
    except ConfigError as error:
        ctx.err.write(f"doorstep: the configuration cannot be used: {error}\n")
        return 1
    return result


if __name__ == "__main__":
    raise SystemExit(main())
