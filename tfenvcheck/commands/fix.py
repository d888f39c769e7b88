"""`tfenvcheck fix`: the flow from plan to confirmation, application and verification."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console

from tfenvcheck.commands import options
from tfenvcheck.commands.output import confirmed, emit, spinner, unwrapped
from tfenvcheck.errors import EXIT_FAILURES, EXIT_OK, TfenvcheckError
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.fixer.apply import apply_plan, start_journal
from tfenvcheck.fixer.journal import Journal, list_runs, state_dir
from tfenvcheck.fixer.lock import target_lock
from tfenvcheck.fixer.plan import PROFILE_PINS_ID, Plan, plan_fixes
from tfenvcheck.fixer.verify import GONE, verify_plan
from tfenvcheck.profiles.selection import choose_profile
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.render.console import stderr_console, stdout_console
from tfenvcheck.render.fix_run_text import render_nothing_to_do, render_plan, render_run


class FixRefused(TfenvcheckError):
    """Something in the plan cannot be done: nothing is changed at all."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "fix",
        help="fix the known breakages found in the target (shows the plan and asks first)",
        description="Plan the fixes for the known breakages found in the target (all of them, or only the IDs "
        "given): pins with the target's own pip, guarded patches of its files, environment variables "
        "set through a .pth file in its site-packages, and advice. Shows the plan, asks (default: no), "
        "applies it, detects again to verify, and journals every change so `tfenvcheck undo` can "
        "put it back. With --profile (or --requirements), also installs the pinned packages that are "
        "missing or at another version (the fix `{0}` that check's package findings name; the id {0} "
        "alone uses the default profile).".format(PROFILE_PINS_ID),
        epilog="Exit codes: 0 fixed (or nothing to fix), 1 something found is not fixed (declined, dry run, advice "
        "only, failed or still present), 2 usage error, 3 refused or could not check.",
    )
    parser.add_argument("ids", nargs="*", metavar="ID", help="fix only these breakages (ids from `tfenvcheck fixes`)")
    options.add_target_options(parser)
    options.add_profile_option(parser)
    options.add_requirements_option(parser)
    parser.add_argument("--dry-run", action="store_true", help="show the plan and change nothing")
    parser.add_argument("-y", "--yes", action="store_true", help="apply without asking")
    options.add_registry_option(parser)
    options.add_output_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    breakages = load_registry(args.registry)
    profile = (
        choose_profile(args.profile, args.requirements)
        if args.profile or args.requirements or PROFILE_PINS_ID in args.ids
        else None
    )
    target = options.target_from(args)
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
            emit(args, dict(plan.to_dict(), dry_run=True))
            return EXIT_FAILURES
        if not args.yes and not confirmed("Apply these changes to {}? [y/N] ".format(target.executable)):
            out.print("Nothing was changed.")
            return EXIT_FAILURES
        journal, applied = apply_and_verify(plan, args, err)
    emit(args, journal.record, lambda console: render_run(journal.record, console), console=out)
    fixed = applied and all(result["status"] == GONE for result in journal.record["verification"])
    return EXIT_OK if fixed else EXIT_FAILURES


def apply_and_verify(plan: Plan, args: argparse.Namespace, err: Console) -> tuple[Journal, bool]:
    """Journal, apply, and when anything was applied detect again: the journal, and whether all applied."""
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
    return journal, applied


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


def nothing_to_do_lines(plan: Plan, ids: list[str], registry_size: int) -> list[str]:
    """Why there is nothing to fix: per id asked for, or for the whole registry."""
    earlier: list[dict[str, Any]] = [
        r
        for r in list_runs(prefix=plan.prefix)
        if r["status"] == "done" and (r.get("undo") or {}).get("status") != "done"
    ]
    fixed_by = {b["id"]: r for r in reversed(earlier) for b in r["breakages"]}
    lines = []
    for breakage_id in ids:
        run = fixed_by.get(breakage_id)
        lines.append(
            "{}: already fixed (run {}, {})".format(breakage_id, run["run_id"], run["created"])
            if run
            else "{}: does not apply to {}".format(breakage_id, plan.python)
        )
    if not ids and earlier:
        lines.append(
            "Already fixed: no known breakage applies to {} (last fixed by run {}, {}).".format(
                plan.python, earlier[0]["run_id"], earlier[0]["created"]
            )
        )
    elif not ids:
        lines.append("Nothing to fix: none of the {} known breakages applies to {}.".format(registry_size, plan.python))
    return lines


def report_nothing_to_do(plan: Plan, args: argparse.Namespace, registry_size: int) -> int:
    lines = nothing_to_do_lines(plan, args.ids, registry_size)
    emit(
        args,
        dict(plan.to_dict(), messages=lines),
        lambda out: render_nothing_to_do(lines, out),
        console=unwrapped(stdout_console()),
    )
    return EXIT_OK


def report_nothing_to_apply(plan: Plan, args: argparse.Namespace, out: Console) -> int:
    advice_only = plan.advice_only
    if advice_only:
        out.print("\nNothing to apply automatically for {}: follow the advice above.".format(", ".join(advice_only)))
    else:
        out.print("\nAlready fixed: every action of the plan is already in place; nothing was changed.")
    emit(args, plan.to_dict())
    return EXIT_FAILURES if advice_only else EXIT_OK
