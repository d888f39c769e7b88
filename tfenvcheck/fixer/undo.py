"""Undo a fix run from its journal: files back byte for byte, packages back to the previous freeze.

Actions are undone in reverse order. A file is restored only if it still holds what the fix wrote
(or the patch was interrupted and it is at either state); a file changed since is left alone with
its backup named. Packages: what the fix added is uninstalled, and every distribution whose
`pip freeze` line differs from the one before the fix is reinstalled at that line (--no-deps:
the previous set was complete), then the freeze is compared with the recorded one. Where a file
may be written is what the target says now (`fixer.confine.target_roots` of a fresh probe), never
the roots the journal records: a journal is data, and an edited one must not widen them.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Callable

from tfenvcheck.fixer.atomic import fsync_folder, sha256_file, temp_path_for, write_atomically
from tfenvcheck.fixer.confine import outside_problem
from tfenvcheck.fixer.faults import checkpoint
from tfenvcheck.fixer.journal import Journal, now
from tfenvcheck.fixer.pin import PipFailed, pip_freeze, pip_install, pip_uninstall, restore_steps

RESTORED = "restored"
ALREADY_RESTORED = "already-restored"
LEFT_ALONE = "left-alone"
FAILED = "failed"


def undo_run(
    journal: Journal,
    roots: dict[str, list[str]],
    progress: Callable[[str], AbstractContextManager[Any]] | None = None,
) -> bool:
    """Undo every action the run changed, writing only under `roots` (the target's, by action kind);
    True when everything is back as it was."""
    record = journal.record
    python = record["target"]["executable"]
    undo: dict[str, Any] = {"started": now(), "finished": None, "status": "in-progress", "actions": []}
    record["undo"] = undo
    journal.save()
    for action in reversed(record["actions"]):
        if action["status"] not in ("applying", "applied", "failed"):
            continue
        try:
            if progress is not None and action["kind"] == "pin":
                with progress("restoring the packages"):
                    status, detail = UNDOERS[action["kind"]](action, journal, python, roots)
            else:
                status, detail = UNDOERS[action["kind"]](action, journal, python, roots)
        except (OSError, PipFailed) as error:
            status, detail = FAILED, str(error)
        undo["actions"].append({"index": action["index"], "kind": action["kind"], "status": status, "detail": detail})
        journal.save()
    ok = all(a["status"] in (RESTORED, ALREADY_RESTORED) for a in undo["actions"])
    undo.update(finished=now(), status="done" if ok else "failed")
    journal.save()
    return ok


def undo_patch(action: dict[str, Any], journal: Journal, python: str, roots: dict[str, list[str]]) -> tuple[str, str]:
    path = Path(action["path"])
    outside = outside_problem(path, roots["patch"])
    if outside is not None:
        return LEFT_ALONE, outside + ": left alone"
    remove_leftovers(path, journal)
    current = sha256_file(path)
    if current == action["sha256_before"]:
        return ALREADY_RESTORED, "{} already holds its original bytes".format(path)
    backup = journal.folder / action["backup"] if action.get("backup") else None
    if current != action["sha256_after"]:
        return LEFT_ALONE, "{} changed since the fix (sha256 {}): left alone; the original is in {}".format(
            path, current, backup
        )
    if backup is None or sha256_file(backup) != action["sha256_before"]:
        return FAILED, "the backup of {} is missing or damaged ({})".format(path, backup)
    write_atomically(path, backup.read_bytes(), temp=undo_temp(path, journal), step="undo")
    return RESTORED, "{} restored (sha256 {})".format(path, action["sha256_before"])


def undo_env(action: dict[str, Any], journal: Journal, python: str, roots: dict[str, list[str]]) -> tuple[str, str]:
    """An env or preload action: remove the .pth file it wrote, if it still holds what was written."""
    path = Path(action["path"])
    outside = outside_problem(path, roots[action["kind"]])
    if outside is not None:
        return LEFT_ALONE, outside + ": left alone"
    remove_leftovers(path, journal)
    current = sha256_file(path)
    if current is None:
        return ALREADY_RESTORED, "{} is already gone".format(path)
    if current != action["sha256_after"]:
        return LEFT_ALONE, "{} changed since the fix: left alone".format(path)
    path.unlink()
    checkpoint("undo-env:removed")
    fsync_folder(path.parent)
    if action["kind"] == "preload":
        return RESTORED, "{} removed (its {} libraries no longer preloaded)".format(path, len(action["libraries"]))
    return RESTORED, "{} removed ({} no longer set)".format(path, action["name"])


def undo_temp(path: Path, journal: Journal) -> Path:
    return temp_path_for(path, journal.run_id + "-undo")


def remove_leftovers(path: Path, journal: Journal) -> None:
    """The temporary files beside `path` of a fix or an undo of this run that was killed mid-write.
    Named from the path and the run id, never read from the journal: only these are removed."""
    for temp in (temp_path_for(path, journal.run_id), undo_temp(path, journal)):
        if temp.exists() or temp.is_symlink():
            temp.unlink()


def undo_pin(action: dict[str, Any], journal: Journal, python: str, roots: dict[str, list[str]]) -> tuple[str, str]:
    before = action.get("freeze_before")
    if before is None:
        return ALREADY_RESTORED, "pip never ran"
    remove, install = restore_steps(before, pip_freeze(python))
    if remove:
        pip_uninstall(python, remove)
        checkpoint("undo-pin:uninstalled")
    if install:
        pip_install(python, install, extra=["--no-deps"])
        checkpoint("undo-pin:installed")
    remaining_remove, remaining_install = restore_steps(before, pip_freeze(python))
    if remaining_remove or remaining_install:
        return FAILED, "pip freeze still differs from before the fix: extra {}, different {}".format(
            remaining_remove, remaining_install
        )
    if not remove and not install:
        return ALREADY_RESTORED, "pip freeze already equals the one before the fix"
    changes = ["uninstalled " + " ".join(remove)] if remove else []
    changes += ["reinstalled " + " ".join(install)] if install else []
    return RESTORED, "; ".join(changes) + "; pip freeze equals the one before the fix"


UNDOERS = {"patch": undo_patch, "env": undo_env, "preload": undo_env, "pin": undo_pin}
