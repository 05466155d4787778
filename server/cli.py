"""The ``doorstep-server`` command: schema, serving, tenants, users, demo, devices, weights."""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NoReturn, TextIO

from pydantic import ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from app.cliargs import bounded_int
from app.models import validation as v
from app.models.base import utcnow
from app.models.entities import Role, Team, User
from app.models.workflow import Service
from server.auth import hash_password, revoke_device
from server.changes import log_changes
from server.db import make_engine
from server.migrate import current_revision, head_revision, migrate, new_epoch
from server.models import Credential, Device, Tenant
from server.settings import Settings
from server.users import KEEP, change_user_scope
from server.workload import save_weights, weights_in_force

PROG = "doorstep-server"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
MIN_PASSWORD_LENGTH = 10
MAX_DEMO_PERSONS = 1_000_000
PASSWORD_ENV = "DOORSTEP_PASSWORD"  # noqa: S105 (the variable's name, not a password)
TENANT_CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,39}")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,79}")


class CliError(Exception):
    """A command cannot go ahead; the message names the option at fault and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(CliError):
    """The command line itself is wrong (exit status 2, as argparse uses)."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing to the real stderr and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


class _MappingSettings(Settings):
    """Settings read only from the mapping given, so tests need not touch os.environ."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def load_settings(env: Mapping[str, str]) -> Settings:
    """Settings from DOORSTEP_* entries of ``env``; a bad value names its variable."""
    values = {
        name: env[key]
        for name in Settings.model_fields
        if (key := f"DOORSTEP_{name.upper()}") in env
    }
    try:
        return _MappingSettings.model_validate(values)
    except ValidationError as error:
        problems = "; ".join(
            f"DOORSTEP_{str(e['loc'][0]).upper()}: {e['msg']}" for e in error.errors()
        )
        raise CliError(f"the settings are not valid: {problems}") from None


@dataclass
class Context:
    """What a command needs from outside, injected so tests need no monkeypatching."""

    env: Mapping[str, str]
    out: TextIO
    err: TextIO
    prompt: Callable[[str], str] | None = None
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self) -> Engine:
        """The engine on DOORSTEP_DATABASE_URL (made once per command)."""
        if self._engine is None:
            self._engine = make_engine(load_settings(self.env).database_url)
        return self._engine

    def close(self) -> None:
        """Release the database connections a command opened."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _require_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        revision = current_revision(connection)
    if revision != head_revision():
        raise CliError(
            f"the database is at schema revision {revision or 'none'} but this build needs "
            f"{head_revision()}; run '{PROG} migrate' first."
        )


def _tenant(session: Session, code: str) -> Tenant:
    tenant = session.scalar(select(Tenant).where(Tenant.code == code))
    if tenant is None:
        raise CliError(
            f"--tenant: there is no tenant with code '{code}'; create it with "
            f"'{PROG} create-tenant'."
        )
    return tenant


# --- Commands ---------------------------------------------------------------------------------


def _migrate(_args: argparse.Namespace, ctx: Context) -> int:
    engine = ctx.engine()
    applied = migrate(engine)
    where = engine.url.render_as_string(hide_password=True)
    state = "migrated" if applied else "already up to date"
    ctx.out.write(f"Platform database {where} is at revision {head_revision()} ({state}).\n")
    return 0


def _serve(args: argparse.Namespace, ctx: Context) -> int:
    import uvicorn

    # Serving a database that is behind would answer every request with a 500; say why now.
    _require_schema(ctx.engine())
    ctx.close()
    ctx.out.write(f"Serving the Doorstep platform on http://{args.host}:{args.port}\n")
    ctx.out.flush()
    # Each worker builds the app from the environment (server.app:create_app). Our JSON
    # access log replaces uvicorn's, which would log raw paths with their query strings.
    os.environ["DOORSTEP_TUNE_GC"] = "true"
    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,
        log_config=None,
    )
    return 0


def _create_tenant(args: argparse.Namespace, ctx: Context) -> int:
    code = args.code
    if not TENANT_CODE.fullmatch(code):
        raise CliError(
            f"--code: '{code}' is not allowed; use 2 to 40 lower-case letters, digits and "
            "hyphens, starting with a letter or digit (for example 'cardiff')."
        )
    name = args.name.strip()
    if not name or len(name) > 200:
        raise CliError("--name: give the council's name, up to 200 characters.")
    engine = ctx.engine()
    _require_schema(engine)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        if session.scalar(select(Tenant.id).where(Tenant.code == code)) is not None:
            raise CliError(f"--code: a tenant with code '{code}' already exists.")
        tenant = Tenant(code=code, name=name)
        session.add(tenant)
        session.flush()
        tenant_id = tenant.id
    ctx.out.write(f"Created tenant '{code}' ({name}), id {tenant_id}.\n")
    return 0


def _read_password(ctx: Context) -> str:
    password = ctx.env.get(PASSWORD_ENV)
    if password is None:
        if ctx.prompt is None:
            raise CliError(
                f"password: set {PASSWORD_ENV}, or run the command in a terminal to be asked."
            )
        password = ctx.prompt("Password for the new user: ")
        if ctx.prompt("Same password again: ") != password:
            raise CliError("password: the two passwords do not match; nothing was created.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CliError(
            f"password: use at least {MIN_PASSWORD_LENGTH} characters "
            f"(this one has {len(password)}); a short phrase of words is easiest."
        )
    return password


def _create_user(args: argparse.Namespace, ctx: Context) -> int:
    username = args.username
    if not USERNAME.fullmatch(username):
        raise CliError(
            f"--username: '{username}' is not allowed; use 3 to 80 lower-case letters, "
            "digits, dots, hyphens and underscores (for example 'alex.morgan')."
        )
    display_name = args.display_name.strip()
    if not display_name or len(display_name) > 120:
        raise CliError("--display-name: give the person's name, up to 120 characters.")
    if args.team is None and args.role != Role.ADMIN:
        raise CliError(f"--team: a {args.role} must belong to a team; give --team NAME.")
    engine = ctx.engine()
    _require_schema(engine)
    # Check everything before asking for a password, and again when writing, in case
    # another administrator got there in between.
    with Session(engine) as session:
        _check_new_user(session, args)
    password_hash = hash_password(_read_password(ctx))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        tenant, team = _check_new_user(session, args)
        if team is None and args.team is not None:
            team = Team(
                id=uuid.uuid4(),
                tenant_id=tenant.id,
                version=1,
                name=args.team,
                service=args.service,
            )
            session.add(team)
            session.flush()
            log_changes(session, tenant.id, "team", [(team.id, 1)])
        user = User(
            id=uuid.uuid4(),
            tenant_id=tenant.id,
            version=1,
            username=username,
            display_name=display_name,
            role=str(args.role),
            team_id=team.id if team else None,
        )
        session.add(user)
        session.flush()
        log_changes(session, tenant.id, "user", [(user.id, 1)])
        session.add(
            Credential(
                user_id=user.id, password_hash=password_hash, may_view_sealed=args.may_view_sealed
            )
        )
    where = f"team '{team.name}' ({team.service})" if team else "no team"
    ctx.out.write(
        f"Created {args.role} '{username}' in {where} of tenant '{tenant.code}', id {user.id}.\n"
    )
    return 0


def _check_new_user(session: Session, args: argparse.Namespace) -> tuple[Tenant, Team | None]:
    """The tenant and existing team for a new user; raises CliError naming what is wrong.

    A team that does not exist yet comes back as None (it is created when --service says
    which service it belongs to).
    """
    tenant = _tenant(session, args.tenant)
    taken = session.scalar(
        select(User.id).where(User.tenant_id == tenant.id, User.username == args.username)
    )
    if taken is not None:
        raise CliError(f"--username: '{args.username}' is already taken in tenant '{tenant.code}'.")
    if args.team is None:
        return tenant, None
    team = session.scalar(
        select(Team).where(
            Team.tenant_id == tenant.id, Team.name == args.team, Team.deleted.is_(False)
        )
    )
    if team is not None and args.service is not None and team.service != args.service:
        raise CliError(
            f"--service: team '{args.team}' belongs to {team.service}, not {args.service}; "
            "leave --service out or name another team."
        )
    if team is None and args.service is None:
        raise CliError(
            f"--team: tenant '{tenant.code}' has no team '{args.team}'; give --service to "
            "create it."
        )
    return tenant, team


def _seed_demo(args: argparse.Namespace, ctx: Context) -> int:
    from server.seed import SeedError, seed_demo

    if not TENANT_CODE.fullmatch(args.tenant_code):
        raise CliError(f"--tenant-code: '{args.tenant_code}' is not a valid tenant code.")
    engine = ctx.engine()
    _require_schema(engine)
    try:
        report = seed_demo(engine, args.persons, args.seed, args.tenant_code)
    except SeedError as error:
        raise CliError(error.message) from None
    ctx.out.write(
        f"Loaded the demo council (seed {args.seed}) as tenant '{report.tenant_code}': "
        f"{report.counts.get('person', 0):,} persons, {report.records:,} records, "
        f"{report.changes:,} feed entries, {report.credentials} accounts "
        f"in {report.seconds:.1f} s.\n"
        "Demo accounts (demo passwords, shown in the README):\n"
    )
    for user in report.named_users:
        ctx.out.write(f"  {user.username:<16} {user.password:<17} {user.role} ({user.service})\n")
    return 0


def _revoke_device(args: argparse.Namespace, ctx: Context) -> int:
    try:
        device_id = uuid.UUID(args.device_id)
    except ValueError:
        raise CliError(f"DEVICE_ID: '{args.device_id}' is not a device id (a UUID).") from None
    engine = ctx.engine()
    _require_schema(engine)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        tenant = _tenant(session, args.tenant)
        before = session.scalar(
            select(Device.revoked_at).where(Device.id == device_id, Device.tenant_id == tenant.id)
        )
        device = revoke_device(session, tenant.id, device_id)
        if device is None:
            raise CliError(f"DEVICE_ID: tenant '{tenant.code}' has no device {device_id}.")
    if before is not None:
        ctx.out.write(f"Device {device_id} was already revoked (at {before.isoformat()}).\n")
    else:
        ctx.out.write(
            f"Revoked device {device_id}; its refresh tokens no longer work and its next "
            "contact tells it to wipe its local store.\n"
        )
    return 0


def _update_user(args: argparse.Namespace, ctx: Context) -> int:
    if args.team is None and args.role is None and args.may_view_sealed is None:
        raise CliError("give --team, --role or --may-view-sealed/--no-may-view-sealed.")
    engine = ctx.engine()
    _require_schema(engine)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        tenant = _tenant(session, args.tenant)
        user = session.scalar(
            select(User).where(User.tenant_id == tenant.id, User.username == args.username)
        )
        if user is None:
            raise CliError(f"--username: tenant '{tenant.code}' has no user '{args.username}'.")
        team: Team | None = None
        if args.team is not None:
            team = session.scalar(
                select(Team).where(
                    Team.tenant_id == tenant.id, Team.name == args.team, Team.deleted.is_(False)
                )
            )
            if team is None:
                raise CliError(f"--team: tenant '{tenant.code}' has no team '{args.team}'.")
        role = args.role if args.role is not None else user.role
        if role != Role.ADMIN and team is None and user.team_id is None:
            raise CliError(f"--team: a {role} must belong to a team; give --team NAME.")
        changed = change_user_scope(
            session,
            tenant.id,
            user.id,
            now=utcnow(),
            team_id=team.id if team is not None else KEEP,
            role=str(args.role) if args.role is not None else KEEP,
            may_view_sealed=args.may_view_sealed if args.may_view_sealed is not None else KEEP,
        )
    if not changed:
        ctx.out.write(f"User '{args.username}' already had that team, role and access.\n")
    else:
        ctx.out.write(
            f"Updated user '{args.username}'. Their laptops resync on their next pull, so "
            "they receive what they may now read and drop what they may not.\n"
        )
    return 0


def _new_epoch(_args: argparse.Namespace, ctx: Context) -> int:
    engine = ctx.engine()
    _require_schema(engine)
    epoch = new_epoch(engine)
    ctx.out.write(
        f"New feed epoch {epoch}. Every laptop will resync from scratch on its next pull, "
        "keeping and then pushing its pending changes.\n"
    )
    return 0


# What each field of a workload weight is called on this command line.
_WEIGHT_OPTIONS = {"case_type": "--case-type", "priority": "--priority", "points": "--points"}


def _workload_weight(args: argparse.Namespace, ctx: Context) -> int:
    setting = args.points is not None
    if setting and (args.case_type is None or args.priority is None):
        missing = "--case-type" if args.case_type is None else "--priority"
        raise CliError(f"{missing}: say which weight --points sets.")
    engine = ctx.engine()
    _require_schema(engine)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        tenant = _tenant(session, args.tenant)
        if setting:
            # Whole numbers as numbers; anything else goes to the shared rule, which names it.
            text = args.points.strip()
            points: object = int(text) if re.fullmatch(r"[+-]?\d{1,9}", text) else text
            try:
                save_weights(
                    session, tenant.id, [(args.case_type, args.priority, points)], utcnow()
                )
            except v.RecordInvalid as invalid:
                # Each shared message is a sentence: one after another reads as prose.
                raise CliError(
                    " ".join(
                        f"{_WEIGHT_OPTIONS.get(error.field, error.field)}: {error.message}"
                        for error in invalid.errors
                    )
                    + " Nothing was saved."
                ) from None
        weights = weights_in_force(session, tenant.id)
    shown = [
        (case_type, priority, points)
        for case_type, priority, points in weights
        if args.case_type in (None, case_type) and args.priority in (None, priority)
    ]
    if setting:
        ctx.out.write(
            f"Set {args.case_type}/{args.priority} to {shown[0][2]} points for tenant "
            f"'{tenant.code}'; laptops receive it at their next sync.\n"
        )
        return 0
    if not shown:
        raise CliError("--case-type/--priority: no weight in force matches.")
    for case_type, priority, points_in_force in shown:
        ctx.out.write(f"{case_type:<14} {priority:<12} {points_in_force:>3}\n")
    return 0


# --- Grammar ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar, shared by ``main`` and the documentation."""
    parser = _Parser(
        prog=PROG,
        description="Doorstep platform: schema, serving and administration commands. "
        "The database is DOORSTEP_DATABASE_URL (default sqlite:///./doorstep-platform.db).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser(
        "migrate", help="create or upgrade the database schema (safe to repeat)"
    ).set_defaults(handler=_migrate)

    serve = commands.add_parser("serve", help="run the API with uvicorn")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"default {DEFAULT_HOST}")
    serve.add_argument(
        "--port",
        type=bounded_int("--port", 1, 65535),
        default=DEFAULT_PORT,
        help=f"default {DEFAULT_PORT}",
    )
    serve.add_argument(
        "--workers",
        type=bounded_int("--workers", 1, 64),
        default=1,
        help="worker processes (default 1)",
    )
    serve.set_defaults(handler=_serve)

    tenant = commands.add_parser("create-tenant", help="add a council")
    tenant.add_argument("--code", required=True, help="short code users sign in with, e.g. 'demo'")
    tenant.add_argument("--name", required=True, help="the council's name")
    tenant.set_defaults(handler=_create_tenant)

    user = commands.add_parser(
        "create-user", help=f"add a user (password from {PASSWORD_ENV} or asked twice)"
    )
    user.add_argument("--tenant", required=True, metavar="CODE", help="the council's code")
    user.add_argument("--username", required=True)
    user.add_argument("--display-name", required=True)
    user.add_argument("--role", required=True, choices=[str(role) for role in Role])
    user.add_argument("--team", metavar="NAME", help="team name; created if --service is given")
    user.add_argument(
        "--service",
        choices=[str(service) for service in Service],
        help="the team's service (needed when the team is new)",
    )
    user.add_argument(
        "--may-view-sealed",
        action="store_true",
        help="a named user who may see sealed persons",
    )
    user.set_defaults(handler=_create_user)

    demo = commands.add_parser("seed-demo", help="load the synthetic demo council as a tenant")
    demo.add_argument(
        "--persons",
        type=bounded_int("--persons", 0, MAX_DEMO_PERSONS),
        default=500,
        help="how many residents (default 500)",
    )
    demo.add_argument(
        "--seed",
        type=bounded_int("--seed", 0, 2**31 - 1),
        default=1,
        help="random seed; the same seed gives the same council (default 1)",
    )
    demo.add_argument("--tenant-code", default="demo", help="the new tenant's code (default demo)")
    demo.set_defaults(handler=_seed_demo)

    change = commands.add_parser(
        "update-user", help="move a user to another team or role, or change sealed access"
    )
    change.add_argument("--tenant", required=True, metavar="CODE", help="the council's code")
    change.add_argument("--username", required=True)
    change.add_argument("--team", metavar="NAME", help="an existing team of the council")
    change.add_argument("--role", choices=[str(role) for role in Role])
    change.add_argument(
        "--may-view-sealed",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whether the user may see sealed persons",
    )
    change.set_defaults(handler=_update_user)

    revoke = commands.add_parser(
        "revoke-device", help="revoke a laptop: its next contact tells it to wipe"
    )
    revoke.add_argument("--tenant", required=True, metavar="CODE", help="the council's code")
    revoke.add_argument("device_id", metavar="DEVICE_ID", help="the device's id (a UUID)")
    revoke.set_defaults(handler=_revoke_device)

    commands.add_parser(
        "new-epoch", help="force every laptop to resync (run after restoring a backup)"
    ).set_defaults(handler=_new_epoch)

    weight = commands.add_parser(
        "workload-weight",
        help="list a council's workload weights, or set one with --points",
    )
    weight.add_argument("--tenant", required=True, metavar="CODE", help="the council's code")
    weight.add_argument("--case-type", metavar="T", help="case type, e.g. homelessness")
    weight.add_argument("--priority", metavar="P", help="a priority the case type uses")
    weight.add_argument(
        "--points", metavar="N", help="points one such case counts for (0 to 100); omit to list"
    )
    weight.set_defaults(handler=_workload_weight)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    prompt: Callable[[str], str] | None = None,
) -> int:
    """Run one command and return its exit status (0 ok, 1 refused or failed, 2 bad usage)."""
    out = out or sys.stdout
    err = err or sys.stderr
    if env is None:
        env = os.environ
        prompt = prompt or (getpass.getpass if sys.stdin.isatty() else None)
    ctx = Context(env=env, out=out, err=err, prompt=prompt)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        err.write(f"{PROG}: {error.message}\n")
        err.write(f"Run '{PROG} --help' for the commands and their options.\n")
        return 2
    handler: Callable[[argparse.Namespace, Context], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(out)
        return 2
    try:
        return handler(args, ctx)
    except CliError as error:
        err.write(f"{PROG}: {error.message}\n")
        return 1
    except OperationalError as error:
        where = ctx.engine().url.render_as_string(hide_password=True)
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        err.write(f"{PROG}: cannot use the database at {where}: {reason}\n")
        return 1
    except IntegrityError:
        # A concurrent command took the same code or username between our check and commit.
        err.write(f"{PROG}: the database refused the change (a duplicate?); nothing was saved.\n")
        return 1
    finally:
        ctx.close()


if __name__ == "__main__":
    raise SystemExit(main())
