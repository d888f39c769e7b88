"""The `tfenvcheck` command: parses arguments and wires the pipeline stages together.

Exit codes: 0 all good (warnings allowed), 1 failures found, 2 usage error, 3 could not check.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from tfenvcheck import __version__
from tfenvcheck.bench.command import add_bench_parser
from tfenvcheck.checkrun import check_target
from tfenvcheck.checks.verdict import FAIL_ON
from tfenvcheck.cli_options import (
    add_output_options,
    add_pycharm_config_option,
    add_registry_option,
    add_target_options,
)
from tfenvcheck.createenv.command import add_create_env_parser
from tfenvcheck.errors import EXIT_COULD_NOT_CHECK, EXIT_OK, TfenvcheckError, UsageError
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.fixer.command import add_fix_parsers
from tfenvcheck.probes.tensorflow import DEFAULT_TIMEOUT
from tfenvcheck.profiles.listing import profile_rows
from tfenvcheck.profiles.selection import choose_profile
from tfenvcheck.pycharm.overview import pycharm_overview
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.registry.match import applicable
from tfenvcheck.render.check_json import render_check_json
from tfenvcheck.render.check_markdown import render_check_markdown
from tfenvcheck.render.check_text import render_check, render_profiles
from tfenvcheck.render.console import stderr_console, stdout_console, write_json
from tfenvcheck.render.fixes_text import render_fixes
from tfenvcheck.render.probe_text import render_probe
from tfenvcheck.render.pycharm_text import render_pycharm
from tfenvcheck.report.command import add_report_parser
from tfenvcheck.target import discover_target


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tfenvcheck",
        description="Check, time and repair a TensorFlow environment before an exam, a course or a project. "
        "tfenvcheck runs in its own Python and judges another interpreter (the target), "
        "which it never needs to be installed into.",
        epilog="Exit codes: 0 all good (warnings allowed), 1 failures found, 2 usage error, 3 could not check.",
    )
    parser.add_argument("--version", action="version", version="tfenvcheck " + __version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    probe = commands.add_parser(
        "probe",
        help="show what the target interpreter, its TensorFlow and this machine really have",
        description="Gather facts: the host's CPU, memory, disk and GPUs; the target's Python, packages "
        "and paths; and whether TensorFlow imports there, which Keras backs tf.keras and which "
        "devices it sees. Probes of the target run in subprocesses under timeouts.",
    )
    add_target_options(probe)
    add_output_options(probe)
    probe.add_argument("--no-tensorflow", action="store_true", help="do not import TensorFlow in the target (fast)")
    probe.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="give up on importing TensorFlow after this long (default: %(default)g)",
    )
    probe.set_defaults(handler=run_probe)

    pycharm = commands.add_parser(
        "pycharm",
        help="show PyCharm's config dirs, their Python interpreters and the project's interpreter",
        description="Show where PyCharm's (and DataSpell's, IntelliJ IDEA's) config directories were looked for, "
        "the Python SDKs each lists, and which interpreter the PyCharm project in the current "
        "directory (or --pycharm-project DIR) resolves to, with any problems found. "
        "Nothing is run: remote SDKs are listed, never contacted.",
    )
    add_pycharm_config_option(pycharm)
    pycharm.add_argument(
        "--pycharm-project",
        metavar="DIR",
        help="the PyCharm project to resolve (default: the current directory, if it has .idea)",
    )
    add_output_options(pycharm)
    pycharm.set_defaults(handler=run_pycharm)

    check = commands.add_parser(
        "check",
        help="judge the target against an exam profile (or a requirements file): ready or not, and why",
        description="Probe the target and judge it against a profile: Python version and bitness, interpreter "
        "origin, each required package, several TensorFlow distributions, pip check, whether "
        "TensorFlow and the profile's modules import, CPU flags, GPU, memory and disk. "
        "Default profile: the newest official exam profile (see `tfenvcheck profiles`).",
    )
    add_target_options(check)
    add_output_options(check)
    check.add_argument(
        "--profile",
        metavar="NAME|FILE.toml",
        help="a shipped profile's name or a profile file (default: the newest official exam profile)",
    )
    check.add_argument(
        "--requirements",
        metavar="FILE",
        help="judge the requirements in FILE (pip's format; markers evaluated for the target); "
        "with --profile, in addition to the profile's",
    )
    check.add_argument("--markdown", action="store_true", help="print Markdown for a forum post or an issue")
    check.add_argument(
        "--no-redact", action="store_true", help="with --markdown: keep the user name, home path and GPU UUIDs"
    )
    check.add_argument(
        "--fail-on", choices=FAIL_ON, default="fail", help="exit 1 on failures (default) or on warnings too (for CI)"
    )
    check.add_argument(
        "--no-tensorflow",
        action="store_true",
        help="do not import TensorFlow or the profile's modules in the target (their findings are skipped)",
    )
    check.add_argument(
        "--confirm",
        action="store_true",
        help="reproduce each known breakage that applies by running its snippet in the target (slow)",
    )
    add_registry_option(check)
    check.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="give up on importing TensorFlow after this long (default: %(default)g)",
    )
    check.set_defaults(handler=run_check)

    fixes = commands.add_parser(
        "fixes",
        help="list the known breakages tfenvcheck detects and fixes",
        description="The known-breakages registry: what the user would see, and the fix. With --applicable, "
        "only the entries whose conditions hold for the target (probed for the purpose).",
    )
    fixes.add_argument("--applicable", action="store_true", help="only what applies to the target")
    add_target_options(fixes)
    add_registry_option(fixes)
    add_output_options(fixes)
    fixes.set_defaults(handler=run_fixes)

    profiles = commands.add_parser(
        "profiles",
        help="list the shipped exam profiles",
        description="List the exam profiles `check --profile NAME` knows, the default marked.",
    )
    add_output_options(profiles)
    profiles.set_defaults(handler=run_profiles)

    add_bench_parser(commands)

    add_report_parser(commands)
    add_fix_parsers(commands)
    add_create_env_parser(commands)
    return parser


def run_probe(args: argparse.Namespace) -> int:
    target = discover_target(args.python, pycharm_project=args.pycharm_project, pycharm_config=args.pycharm_config)
    if not args.json:
        stderr_console().print("Probing {} ({})...".format(target.executable, target.reason), style="dim")
    facts = gather_facts(target, with_tensorflow=not args.no_tensorflow, tensorflow_timeout=args.timeout)
    if args.json:
        write_json(json.dumps(facts.to_dict(), indent=2))
    else:
        render_probe(facts, stdout_console(), verbose=args.verbose)
    return EXIT_OK


def run_pycharm(args: argparse.Namespace) -> int:
    overview = pycharm_overview(
        config=Path(args.pycharm_config) if args.pycharm_config else None,
        project=Path(args.pycharm_project) if args.pycharm_project else None,
    )
    if args.json:
        write_json(json.dumps(overview, indent=2))
    else:
        render_pycharm(overview, stdout_console(), verbose=args.verbose)
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    if args.json and args.markdown:
        raise UsageError("--json and --markdown cannot be used together")
    profile = choose_profile(args.profile, args.requirements)
    breakages = load_registry(args.registry)
    target = discover_target(args.python, pycharm_project=args.pycharm_project, pycharm_config=args.pycharm_config)
    if not args.json:
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
        fail_on=args.fail_on,
    )
    if args.json:
        write_json(render_check_json(result))
    elif args.markdown:
        sys.stdout.write(render_check_markdown(result, redacted=not args.no_redact))
    else:
        render_check(result, stdout_console(), verbose=args.verbose)
    return result.exit_code


def run_fixes(args: argparse.Namespace) -> int:
    breakages = load_registry(args.registry)
    rows = [(breakage, None) for breakage in breakages]
    if args.applicable:
        target = discover_target(args.python, pycharm_project=args.pycharm_project, pycharm_config=args.pycharm_config)
        rows = applicable(breakages, gather_facts(target))
    if args.json:
        write_json(json.dumps([dict(b.summary(), seen=reasons) for b, reasons in rows], indent=2))
    else:
        render_fixes(rows, stdout_console(), verbose=args.verbose)
    return EXIT_OK


def run_profiles(args: argparse.Namespace) -> int:
    rows = profile_rows()
    if args.json:
        write_json(json.dumps(rows, indent=2))
    else:
        render_profiles(rows, stdout_console(), verbose=args.verbose)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        return args.handler(args)
    except TfenvcheckError as error:
        print("tfenvcheck: error: {}".format(error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("tfenvcheck: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug of ours: one line unless asked for the traceback
        if os.environ.get("TFENVCHECK_DEBUG"):
            traceback.print_exc()
        print(
            "tfenvcheck: internal error: {}: {} (set TFENVCHECK_DEBUG=1 to see the traceback)".format(
                type(error).__name__, error
            ),
            file=sys.stderr,
        )
        return EXIT_COULD_NOT_CHECK
