"""`tfenvcheck fix` and `tfenvcheck undo`: argument parsing and the flow from plan to verification."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console

from tfenvcheck.cli_options import add_output_options, add_registry_option, add_target_options
from tfenvcheck.errors import EXIT_FAILURES, EXIT_OK, TfenvcheckError
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.fixer.apply import apply_plan, start_journal
from tfenvcheck.fixer.journal import list_runs, load_run, state_dir
from tfenvcheck.fixer.lock import target_lock
from tfenvcheck.fixer.plan import PROFILE_PINS_ID, Plan, plan_fixes
from tfenvcheck.fixer.undo import undo_run
from tfenvcheck.fixer.verify import GONE, verify_plan
from tfenvcheck.probes.interpreter import probe_interpreter
from tfenvcheck.profiles.selection import choose_profile
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.render.console import stderr_console, stdout_console, write_json
from tfenvcheck.render.fix_text import render_nothing_to_do, render_plan, render_run, render_runs, render_undo
from tfenvcheck.target import discover_target


class FixRefused(TfenvcheckError):
    """Something in the plan cannot be done: nothing is changed at all."""


def add_fix_parsers(commands: argparse._SubParsersAction) -> None:
    fix = commands.add_parser(
        "fix",
        help="fix the known breakages found in the target (shows the plan and asks first)",
        description="Plan the fixes for the known breakages found in the target (all of them, or only the IDs "
        "given): pins with the target's own pip, guarded patches of its files, environment variables "
        "set through a .pth file in its site-packages, and advice. Shows the plan, asks (default: no), "
        "applies it, detects again to verify, and journals every change so `tfenvcheck undo` can "
        "put it back.",
        epilog="Exit codes: 0 fixed (or nothing to fix), 1 something found is not fixed (declined, dry run, advice "
        "only, failed or still present), 2 usage error, 3 refused or could not check.",
    )
    fix.add_argument("ids", nargs="*", metavar="ID", help="fix only these breakages (ids from `tfenvcheck fixes`)")
    add_target_options(fix)
    fix.add_argument(
        "--profile",
        metavar="NAME|FILE.toml",
        help="also install this profile's pinned packages that are missing or at another version (the fix "
        "`pin-profile-packages` that check's package findings name; that id alone uses the default profile)",
    )
    fix.add_argument(
        "--requirements", metavar="FILE", help="with --profile, or alone: pins from a requirements file too"
    )
    fix.add_argument("--dry-run", action="store_true", help="show the plan and change nothing")
    fix.add_argument("-y", "--yes", action="store_true", help="apply without asking")
    add_registry_option(fix)
    add_output_options(fix)
    fix.set_defaults(handler=run_fix)

    undo = commands.add_parser(
        "undo",
        help="put back what a fix run changed (files byte for byte, packages to the previous pip freeze)",
        description="Undo a `tfenvcheck fix` run from its journal: patched files get their original bytes back, "
        ".pth files are removed, and packages are reinstalled to the exact `pip freeze` from before "
        "the fix (what it added is removed). Default: the newest run on the target. The journal is in "
        "{} (set TFENVCHECK_STATE_DIR to move it).".format(state_dir()),
    )
    undo.add_argument("run", nargs="?", metavar="RUN", help="the run id (see --list); default: the target's newest run")
    undo.add_argument("--list", action="store_true", help="list the fix runs in the journal, newest first")
    add_target_options(undo)
    undo.add_argument("-y", "--yes", action="store_true", help="undo without asking")
    add_output_options(undo)
    undo.set_defaults(handler=run_undo)


def unwrapped(console: Console) -> Console:
    """Paths and commands stay whole on one line, also when piped (rich wraps at 80 columns then)."""
    console.soft_wrap = True
    return console


def run_fix(args: argparse.Namespace) -> int:
    breakages = load_registry(args.registry)
    profile = (
        choose_profile(args.profile, args.requirements)
        if args.profile or args.requirements or PROFILE_PINS_ID in args.ids
        else None
    )
    target = discover_target(args.python, pycharm_project=args.pycharm_project, pycharm_config=args.pycharm_config)
    err = unwrapped(stderr_console())
    if not args.json:
        err.print("Planning fixes for {} ({})...".format(target.executable, target.reason), style="dim")
    facts = gather_facts(target, with_tensorflow=False)
    prefix = facts.interpreter.prefix
    with target_lock(prefix):
        warn_interrupted(prefix, err)
        plan = plan_fixes(facts, breakages, args.ids, python=target.executable, profile=profile)
        if not plan.breakages:
            return report_nothing_to_do(plan, args, len(breakages))
        out = unwrapped(stdout_console()) if not args.json else err
        render_plan(plan, out)
        if plan.problems:
            raise FixRefused(
                "cannot fix {}: {}{}; nothing was changed".format(
                    target.executable,
                    plan.problems[0],
                    " (and {} more above)".format(len(plan.problems) - 1) if len(plan.problems) > 1 else "",
                )
            )
        if not plan.to_apply:
            return report_nothing_to_apply(plan, args, out)
        if args.dry_run:
            out.print("\nDry run: nothing was changed.")
            if args.json:
                write_json(json.dumps(dict(plan.to_dict(), dry_run=True), indent=2))
            return EXIT_FAILURES
        if not args.yes and not confirmed("Apply these changes to {}? [y/N] ".format(target.executable)):
            out.print("Nothing was changed.")
            return EXIT_FAILURES
        try:
            journal = start_journal(plan, args.ids)
        except OSError as error:
            raise FixRefused(
                "cannot write the journal in {}: {} ({}); nothing was changed".format(
                    state_dir(), error.strerror or error, error.filename
                )
            ) from None
        applied = apply_plan(plan, journal, progress=spinner(err))
        if any(a["status"] == "applied" for a in journal.record["actions"]):
            if not args.json:
                err.print("Detecting again to verify...", style="dim")
            journal.record["verification"] = verify_plan(plan)
            journal.save()
    if args.json:
        write_json(json.dumps(journal.record, indent=2))
    else:
        render_run(journal.record, out)
    fixed = applied and all(result["status"] == GONE for result in journal.record["verification"])
    return EXIT_OK if fixed else EXIT_FAILURES


def warn_interrupted(prefix: str, console: Console) -> None:
    """Runs still marked in progress while we hold the target's lock were killed mid-way: say so."""
    for record in list_runs(prefix=prefix):
        if record["status"] == "in-progress" and not record.get("undo"):
            console.print(
                "Note: fix run {} of {} was interrupted ({}); its journal says where each change stopped, "
                "and `tfenvcheck undo {}` reverts what it did.".format(
                    record["run_id"], record["target"]["executable"], record["created"], record["run_id"]
                ),
                style="yellow",
            )


def report_nothing_to_do(plan: Plan, args: argparse.Namespace, registry_size: int) -> int:
    earlier = [
        r
        for r in list_runs(prefix=plan.prefix)
        if r["status"] == "done" and (r.get("undo") or {}).get("status") != "done"
    ]
    fixed_by = {b["id"]: r for r in reversed(earlier) for b in r["breakages"]}
    lines = []
    for breakage_id in args.ids:
        run = fixed_by.get(breakage_id)
        lines.append(
            "{}: already fixed (run {}, {})".format(breakage_id, run["run_id"], run["created"])
            if run
            else "{}: does not apply to {}".format(breakage_id, plan.python)
        )
    if not args.ids:
        if earlier:
            lines.append(
                "Already fixed: no known breakage applies to {} (last fixed by run {}, {}).".format(
                    plan.python, earlier[0]["run_id"], earlier[0]["created"]
                )
            )
        else:
            lines.append(
                "Nothing to fix: none of the {} known breakages applies to {}.".format(registry_size, plan.python)
            )
    if args.json:
        write_json(json.dumps(dict(plan.to_dict(), messages=lines), indent=2))
    else:
        render_nothing_to_do(lines, unwrapped(stdout_console()))
    return EXIT_OK


def report_nothing_to_apply(plan: Plan, args: argparse.Namespace, out: Console) -> int:
    advice_only = plan.advice_only
    if advice_only:
        out.print("\nNothing to apply automatically for {}: follow the advice above.".format(", ".join(advice_only)))
    else:
        out.print("\nAlready fixed: every action of the plan is already in place; nothing was changed.")
    if args.json:
        write_json(json.dumps(plan.to_dict(), indent=2))
    return EXIT_FAILURES if advice_only else EXIT_OK


def confirmed(question: str) -> bool:
    """Ask on stderr; anything but y/yes (an empty line, end of input) is a no."""
    sys.stderr.write(question)
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def spinner(console: Console):
    @contextmanager
    def progress(text: str) -> Iterator[None]:
        with console.status(text):
            yield

    return progress


def run_undo(args: argparse.Namespace) -> int:
    if args.list:
        executable = None
        if args.python or args.pycharm_project:
            executable = discover_target(
                args.python, pycharm_project=args.pycharm_project, pycharm_config=args.pycharm_config
            ).executable
        runs = list_runs(executable)
        if args.json:
            write_json(json.dumps(runs, indent=2))
        else:
            render_runs(runs, unwrapped(stdout_console()))
        return EXIT_OK
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
    with target_lock(record["target"]["prefix"]):
        journal = load_run(record["run_id"])  # as it is now that the lock is ours
        ok = undo_run(journal, progress=spinner(unwrapped(stderr_console())))
    if args.json:
        write_json(json.dumps(journal.record, indent=2))
    else:
        render_undo(journal.record, out)
    return EXIT_OK if ok else EXIT_FAILURES


def newest_run(args: argparse.Namespace) -> dict[str, Any]:
    target = discover_target(args.python, pycharm_project=args.pycharm_project, pycharm_config=args.pycharm_config)
    prefix = probe_interpreter(target.executable).prefix
    runs = list_runs(prefix=prefix)
    if not runs:
        raise TfenvcheckError("no fix run of {} in the journal ({})".format(target.executable, state_dir()))
    return runs[0]
