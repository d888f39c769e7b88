"""`tfenvcheck undo`: put back what a fix run changed, from its journal; or list the runs."""

from __future__ import annotations

import argparse
import os
from typing import Any

from tfenvcheck.commands import options
from tfenvcheck.commands.output import confirmed, emit, spinner, unwrapped
from tfenvcheck.errors import EXIT_FAILURES, EXIT_OK, TfenvcheckError
from tfenvcheck.fixer.confine import target_roots
from tfenvcheck.fixer.journal import configured_state_dir, list_runs, load_run, state_dir
from tfenvcheck.fixer.lock import target_lock
from tfenvcheck.fixer.undo import undo_run
from tfenvcheck.probes.interpreter import probe_interpreter
from tfenvcheck.render.console import stderr_console, stdout_console
from tfenvcheck.render.fix_run_text import render_runs, render_undo


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "undo",
        help="put back what a fix run changed (files byte for byte, packages to the previous pip freeze)",
        description="Undo a `tfenvcheck fix` run from its journal: patched files get their original bytes back, "
        ".pth files are removed, and packages are reinstalled to the exact `pip freeze` from before "
        "the fix (what it added is removed). Default: the newest run on the target. The journal is in "
        "{} (set TFENVCHECK_STATE_DIR to move it).".format(configured_state_dir()),
    )
    parser.add_argument(
        "run", nargs="?", metavar="RUN", help="the run id (see --list); default: the target's newest run"
    )
    parser.add_argument("--list", action="store_true", help="list the fix runs in the journal, newest first")
    options.add_target_options(parser)
    parser.add_argument("-y", "--yes", action="store_true", help="undo without asking")
    options.add_output_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.list:
        return run_list(args)
    journal = load_run(args.run) if args.run else load_run(newest_run(args)["run_id"])
    record = journal.record
    out = unwrapped(stdout_console()) if not args.json else unwrapped(stderr_console())
    if (record.get("undo") or {}).get("status") == "done":
        out.print(
            "Run {} was already undone ({}); nothing was changed.".format(record["run_id"], record["undo"]["finished"])
        )
        return EXIT_OK
    render_runs([record], out)
    if not args.yes and not confirmed("Undo run {}? [y/N] ".format(record["run_id"])):
        out.print("Nothing was changed.")
        return EXIT_FAILURES
    roots = roots_now(record["target"])
    with target_lock(record["target"]["prefix"]):
        journal = load_run(record["run_id"])  # as it is now that the lock is ours
        ok = undo_run(journal, roots, progress=spinner(unwrapped(stderr_console())))
    emit(args, journal.record, lambda console: render_undo(journal.record, console), console=out)
    return EXIT_OK if ok else EXIT_FAILURES


def roots_now(target: dict[str, Any]) -> dict[str, list[str]]:
    """Where undo may write: the roots of the run's target as it answers now, which must still be the
    prefix the run fixed."""
    interpreter = probe_interpreter(target["executable"])
    if os.path.realpath(interpreter.prefix) != os.path.realpath(target["prefix"]):
        raise TfenvcheckError(
            "the run's target {} now runs from {}, not {}: nothing was changed".format(
                target["executable"], interpreter.prefix, target["prefix"]
            )
        )
    return target_roots(interpreter)


def run_list(args: argparse.Namespace) -> int:
    """--list: every run in the journal, or those of the target when one is named."""
    executable = options.target_from(args).executable if args.python or args.pycharm_project else None
    runs = list_runs(executable)
    emit(args, runs, lambda console: render_runs(runs, console), console=unwrapped(stdout_console()))
    return EXIT_OK


def newest_run(args: argparse.Namespace) -> dict[str, Any]:
    target = options.target_from(args)
    prefix = probe_interpreter(target.executable).prefix
    runs = list_runs(prefix=prefix)
    if not runs:
        raise TfenvcheckError("no fix run of {} in the journal ({})".format(target.executable, state_dir()))
    return runs[0]
