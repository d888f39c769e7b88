"""Carry out a plan, journalling each action before and after it changes anything.

The run stops at the first action that fails; what was applied before it stays applied and
journalled (each action fixes its breakages on its own), and `tfenvcheck undo RUN` reverts it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager as ContextManager
from contextlib import nullcontext
from pathlib import Path
from typing import Callable

from tfenvcheck.errors import TfenvcheckError
from tfenvcheck.fixer.atomic import sha256_bytes, sha256_file, temp_path_for, write_atomically
from tfenvcheck.fixer.confine import ensure_inside
from tfenvcheck.fixer.faults import checkpoint
from tfenvcheck.fixer.journal import Journal
from tfenvcheck.fixer.pin import pip_freeze, pip_install
from tfenvcheck.fixer.plan import Plan, PlannedAction

# A context shown while a slow step runs (a spinner on the terminal); None shows nothing.
Progress = Callable[[str], ContextManager]


class ActionFailed(TfenvcheckError):
    pass


def start_journal(plan: Plan, requested_ids: list[str]) -> Journal:
    return Journal.start(
        target=plan.target,
        requested_ids=list(requested_ids),
        breakages=[{"id": b.id, "title": b.title, "seen": reasons} for b, reasons in plan.breakages],
        actions=[action.to_journal(i) for i, action in enumerate(plan.actions)],
    )


def apply_plan(plan: Plan, journal: Journal, progress: Progress | None = None) -> bool:
    """Apply every pending action in order; False when one failed (its error is in the journal)."""
    progress = progress or (lambda text: nullcontext())
    for index, action in enumerate(plan.actions):
        if action.kind == "advise" or action.already_done:
            continue
        try:
            with progress(action.description):
                APPLIERS[action.kind](plan, action, journal, index)
        except (OSError, TfenvcheckError) as error:
            message = str(error) if isinstance(error, TfenvcheckError) else describe_os_error(error)
            record_failure(journal, index, message)
            return False
    journal.finish("done")
    return True


def record_failure(journal: Journal, index: int, message: str) -> None:
    for later in journal.record["actions"][index + 1 :]:
        if later["status"] == "planned":
            later["status"] = "not-run"
    try:
        journal.update_action(index, status="failed", error=message)
        journal.finish("failed")
    except OSError as error:  # a full disk may stop the journal too: say both
        raise ActionFailed(
            "{}; the journal could not record it either: {}".format(message, describe_os_error(error))
        ) from None


def describe_os_error(error: OSError) -> str:
    where = " ({})".format(error.filename) if error.filename else ""
    return "{}{}: nothing was changed by this step".format(error.strerror or error, where)


def apply_pin(plan: Plan, action: PlannedAction, journal: Journal, index: int) -> None:
    before = pip_freeze(plan.python)
    journal.update_action(index, status="applying", freeze_before=before)
    try:
        pip_install(plan.python, action.details["requirements"], extra=action.details["options"])
        checkpoint("pin:installed")
    finally:
        journal.update_action(index, freeze_after=pip_freeze(plan.python))
    journal.update_action(index, status="applied")


def apply_patch(plan: Plan, action: PlannedAction, journal: Journal, index: int) -> None:
    path = Path(action.details["path"])
    ensure_inside(path, plan.roots["patch"])
    original = path.read_bytes()
    if sha256_bytes(original) != action.details["sha256_before"]:
        raise ActionFailed("{} changed since the plan was made: left alone; run tfenvcheck fix again".format(path))
    backup = Path("backups") / "{}-{}".format(index, path.name)
    write_atomically(journal.folder / backup, original, mode=0o600, step="backup")
    temp = temp_path_for(path, journal.run_id)
    journal.update_action(index, step="patch:journalled", status="applying", backup=str(backup), temp=str(temp))
    assert action.content is not None, "a planned patch carries the patched bytes"
    ensure_inside(path, plan.roots["patch"])  # again, just before writing: a link may have been swapped in
    write_atomically(path, action.content, temp=temp, step="patch")
    if sha256_file(path) != action.details["sha256_after"]:
        raise ActionFailed("{} does not hold the patched bytes after writing it".format(path))
    journal.update_action(index, step="patch:done", status="applied")


def apply_pth_file(plan: Plan, action: PlannedAction, journal: Journal, index: int) -> None:
    """An env or preload action: write its .pth file into the target's site-packages."""
    path = Path(action.details["path"])
    journal.update_action(index, status="applying")
    assert action.content is not None, "a planned env or preload action carries the .pth file's bytes"
    ensure_inside(path, plan.roots[action.kind])
    # Staged under the run's name, so that undo knows what a fixer killed mid-write left beside it.
    write_atomically(path, action.content, temp=temp_path_for(path, journal.run_id), mode=0o644, step=action.kind)
    journal.update_action(index, status="applied")


APPLIERS = {"pin": apply_pin, "patch": apply_patch, "env": apply_pth_file, "preload": apply_pth_file}
