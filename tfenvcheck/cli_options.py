"""Command-line options shared by several subcommands (kept apart so command modules can import them)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_target_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("target (the interpreter to judge)")
    group.add_argument(
        "--python",
        metavar="PATH",
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
    parser.add_argument(
        "--pycharm-config",
        metavar="DIR",
        help="the PyCharm config directory to read SDKs from (the one holding options/jdk.table.xml); "
        "default: every PyCharm, DataSpell and IntelliJ IDEA config directory found, newest first",
    )


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
