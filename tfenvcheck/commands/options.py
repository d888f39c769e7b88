"""Command-line options shared by several subcommands, each with one help text, and the one way a
command turns its target options into the interpreter to judge."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Callable

from tfenvcheck.probes.tensorflow import DEFAULT_TIMEOUT
from tfenvcheck.target import Target, discover_target

PYCHARM_CONFIG_HELP = (
    "the PyCharm config directory to read SDKs from (the one holding options/jdk.table.xml); "
    "default: every PyCharm, DataSpell and IntelliJ IDEA config directory found, newest first"
)
PROFILE_HELP = "a shipped profile's name or a profile file (default: the newest official exam profile)"
REQUIREMENTS_HELP = (
    "the requirements in FILE (pip's format, or a pyproject.toml's [project] dependencies; markers "
    "evaluated for the target): "
    "with --profile, in addition to the profile's; alone, instead of a profile"
)


def add_target_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("target (the interpreter to judge)")
    group.add_argument(
        "--python",
        metavar="PATH",
        type=non_empty("an interpreter path or command"),
        help="the interpreter to judge (a path, or a command on PATH); default: the active "
        "virtualenv, else the active conda env, else the interpreter of a PyCharm project in the "
        "current directory, else python3/python on PATH",
    )
    group.add_argument(
        "--pycharm-project",
        metavar="DIR",
        help="judge the interpreter this PyCharm project uses (resolved from its .idea folder and PyCharm's "
        "configured SDKs, as PyCharm does)",
    )
    add_pycharm_config_option(group)


def add_pycharm_config_option(parser: argparse._ActionsContainer) -> None:
    parser.add_argument("--pycharm-config", metavar="DIR", help=PYCHARM_CONFIG_HELP)


def target_from(args: argparse.Namespace) -> Target:
    """The interpreter the target options name (or the default one, and why it was chosen)."""
    return discover_target(args.python, pycharm_project=args.pycharm_project, pycharm_config=args.pycharm_config)


def add_profile_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", metavar="NAME|FILE.toml", help=PROFILE_HELP)


def add_requirements_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--requirements", metavar="FILE", help=REQUIREMENTS_HELP)


def add_registry_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--registry",
        metavar="DIR",
        action="append",
        type=Path,
        default=[],
        help="also read known-breakage files from DIR (repeatable)",
    )


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print only JSON on stdout (schema-versioned)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show every detail")


def add_timeout_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="give up on any probe of the target after this long: importing TensorFlow, the interpreter probe and the"
        " module imports (default: %(default)g)",
    )


def add_check_options(parser: argparse.ArgumentParser) -> None:
    """--no-tensorflow and --confirm: how deep `check` (and `report`) look."""
    parser.add_argument(
        "--no-tensorflow",
        action="store_true",
        help="do not import TensorFlow or the profile's modules in the target (their findings are skipped)",
    )
    parser.add_argument(
        "--confirm",
        action="store_true",
        help="reproduce each known breakage that applies by running its snippet in the target (slow)",
    )


def add_resolve_option(parser: argparse.ArgumentParser) -> None:
    """--resolve: the one check that goes to the network (`check` and `report`)."""
    parser.add_argument(
        "--resolve",
        action="store_true",
        help="also ask the package registry what pip would install today for the target's Python "
        "(uv's resolver, installing nothing) and judge that against the known breakages; needs the network",
    )


def positive_int(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a whole number: {!r}".format(text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more: {}".format(value))
    return value


def positive_seconds(text: str) -> float:
    """An argparse type: a time in seconds, more than 0 and finite (nan, inf and -5 are refused)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number of seconds: {!r}".format(text)) from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError("must be a number of seconds above 0: {!r}".format(text))
    return value


def non_empty(what: str) -> Callable[[str], str]:
    """An argparse type: any text but an empty (or blank) one, which would silently mean the default."""

    def check(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError("empty; give {}".format(what))
        return text

    return check
