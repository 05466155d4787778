"""The `doorstep self-test` and `doorstep diagnostics` commands, and the status update line."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from app import __version__
from app.config import UPDATE_POLICY, ConfigError, ConfigSources, Settings, resolve_paths
from app.support.diagnostics import config_report, write_diagnostics
from app.support.logs import LogSetup, setup_logging
from app.support.machineconfig import add_machine_config_command
from app.support.redact import public
from app.support.selftest import SelfTestInputs, SelfTestReport, run_self_test
from app.support.updates import UpdateNotice, check_for_update

if TYPE_CHECKING:
    from app.cli import Context

logger = logging.getLogger(__name__)

EXIT_FAILED = 1


def start_logging(ctx: Context, command: str | None) -> LogSetup | None:
    """Log this run to the user's rotating log; a bad config still gets a log at INFO."""
    try:
        settings: Settings | None = ctx.settings()
    except ConfigError:
        settings = None
    level = str(settings.get("log_level")) if settings else "INFO"
    try:
        setup = setup_logging(resolve_paths(ctx.env).log_dir, level)
    except OSError:
        # An unwritable log folder must not stop the command; self-test reports folders.
        return None
    logger.info("doorstep command %s started", public(command or "-"))
    return setup


def update_notice(ctx: Context, server_url: str | None) -> UpdateNotice:
    """The update line for ``doorstep status``, per the update_policy setting."""
    try:
        settings = ctx.settings()
    except ConfigError:
        # status still reports the store; self-test explains what is wrong with the config.
        return UpdateNotice(
            "unknown", __version__, None, "Not checked: the configuration cannot be used."
        )
    policy = settings.get(UPDATE_POLICY)
    if policy == "none" or not server_url:
        return check_for_update(policy, None)
    try:
        with ctx.http_client(server_url, settings) as client:
            return check_for_update(policy, client)
    except httpx.HTTPError:
        return check_for_update(policy, None)


def self_test(ctx: Context, *, offline: bool) -> SelfTestReport:
    """Run the self-test with the context's keyring, settings and HTTP client."""
    inputs = SelfTestInputs(
        env=ctx.env,
        settings=ctx.settings,
        keyring=ctx.keyring,
        http_client=ctx.http_client,
        store_path=ctx.store_path,
    )
    return run_self_test(inputs, offline=offline)


def _self_test(args: argparse.Namespace, ctx: Context) -> int:
    report = self_test(ctx, offline=args.offline)
    if args.json:
        ctx.out.write(json.dumps(report.as_dict(), indent=2) + "\n")
    else:
        ctx.out.write(report.render())
    logger.info("self-test %s", public("passed" if report.passed else "failed"))
    return 0 if report.passed else EXIT_FAILED


def _diagnostics(args: argparse.Namespace, ctx: Context) -> int:
    output = Path(args.output)
    if output.suffix.lower() != ".zip":
        ctx.err.write("doorstep: --output must name a .zip file, e.g. doorstep-diagnostics.zip\n")
        return 2
    sources = ctx.config_sources or ConfigSources.for_platform(env=ctx.env)
    try:
        settings: Settings | None = ctx.settings()
        error = None
    except ConfigError as problem:
        settings, error = None, str(problem)
    report = self_test(ctx, offline=args.offline)
    try:
        members = write_diagnostics(
            output,
            config=config_report(settings, sources, error),
            self_test=report,
            log_dir=resolve_paths(ctx.env).log_dir,
            now=ctx.clock(),
        )
    except OSError as problem:
        ctx.err.write(f"doorstep: cannot write {output}: {problem.strerror or problem}\n")
        return EXIT_FAILED
    ctx.out.write(
        f"Wrote {output} ({len(members)} files: versions, configuration, self-test, logs). "
        "It holds no case records, keys or tokens; attach it to your support ticket.\n"
    )
    return 0


def add_support_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """self-test, diagnostics and machine-config."""
    test = commands.add_parser(
        "self-test",
        help="check configuration, keyring, store, proxy, TLS and the platform",
        description="Exit status 0 when no check fails (warnings allowed), 1 when one fails. "
        "Online, a pass needs the platform reachable over verified TLS; --offline checks "
        "only this computer.",
    )
    test.add_argument("--json", action="store_true", help="print a JSON object")
    test.add_argument(
        "--offline", action="store_true", help="skip the checks that contact the network"
    )
    test.set_defaults(handler=_self_test)

    diagnostics = commands.add_parser(
        "diagnostics",
        help="write a zip for support: versions, settings, self-test and logs (no personal data)",
    )
    diagnostics.add_argument("--output", required=True, metavar="FILE.zip", help="zip to write")
    diagnostics.add_argument(
        "--offline", action="store_true", help="run the self-test without the network"
    )
    diagnostics.set_defaults(handler=_diagnostics)
    add_machine_config_command(commands)
