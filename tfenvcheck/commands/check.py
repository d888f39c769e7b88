"""`tfenvcheck check`: judge the target against a profile (or a requirements file), ready or not."""

from __future__ import annotations

import argparse
import sys

from tfenvcheck.checkrun import check_target
from tfenvcheck.checks.verdict import FAIL_ON, CheckResult
from tfenvcheck.commands import options
from tfenvcheck.commands.output import emit
from tfenvcheck.errors import UsageError
from tfenvcheck.profiles.selection import choose_profile
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.render.check_json import result_document
from tfenvcheck.render.check_markdown import render_check_markdown
from tfenvcheck.render.check_text import render_check
from tfenvcheck.render.console import stderr_console
from tfenvcheck.resolve.judge import with_resolution
from tfenvcheck.resolve.uv_compile import resolve_requirements


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="judge the target against an exam profile (or a requirements file): ready or not, and why",
        description="Probe the target and judge it against a profile: Python version and bitness, interpreter "
        "origin, each required package, several TensorFlow distributions, pip check, whether "
        "TensorFlow and the profile's modules import, CPU flags, GPU, memory and disk. "
        "Default profile: the newest official exam profile (see `tfenvcheck profiles`).",
    )
    options.add_target_options(parser)
    options.add_output_options(parser)
    options.add_profile_option(parser)
    options.add_requirements_option(parser)
    parser.add_argument("--markdown", action="store_true", help="print Markdown for a forum post or an issue")
    parser.add_argument(
        "--no-redact", action="store_true", help="with --markdown: keep the user name, home path and GPU UUIDs"
    )
    parser.add_argument(
        "--fail-on", choices=FAIL_ON, default="fail", help="exit 1 on failures (default) or on warnings too (for CI)"
    )
    options.add_check_options(parser)
    options.add_registry_option(parser)
    options.add_timeout_option(parser)
    options.add_resolve_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.json and args.markdown:
        raise UsageError("--json and --markdown cannot be used together")
    result = check_as_asked(args, load_registry(args.registry), announce=not args.json, fail_on=args.fail_on)
    if args.markdown:
        sys.stdout.write(render_check_markdown(result, redacted=not args.no_redact))
    else:
        emit(args, result_document(result), lambda out: render_check(result, out, verbose=args.verbose))
    return result.exit_code


def check_as_asked(
    args: argparse.Namespace, breakages: list[Breakage], *, announce: bool, fail_on: str = "fail"
) -> CheckResult:
    """The check that the target and profile options ask for (check's and report's), said on stderr."""
    profile = choose_profile(args.profile, args.requirements)
    target = options.target_from(args)
    resolution = None
    if args.resolve:  # asked before the probe, to fail fast
        if announce:
            stderr_console().print("Asking the package registry what pip would install today...", style="dim")
        resolution = resolve_requirements(target.executable, [str(r) for r in profile.requires])
    if announce:
        stderr_console().print(
            "Checking {} ({}) against {}...".format(target.executable, target.reason, profile.name), style="dim"
        )
    result = check_target(
        target,
        profile,
        breakages,
        with_tensorflow=not args.no_tensorflow,
        confirm=args.confirm,
        tensorflow_timeout=args.timeout,
        fail_on=fail_on,
    )
    return with_resolution(result, resolution, breakages) if resolution is not None else result
