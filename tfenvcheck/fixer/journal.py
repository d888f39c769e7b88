"""The fix journal: one JSON record per `tfenvcheck fix` run, written before and after every step.

Where: `$TFENVCHECK_STATE_DIR` if set, else platformdirs' user state directory for tfenvcheck
(`~/.local/state/tfenvcheck` on Linux), in `runs/<run id>/journal.json`, with the backups of
patched files beside it in `runs/<run id>/backups/`. Each write replaces the whole record
atomically, so a fixer killed at any point leaves the last complete record.

Shape of a record (schema_version 1):

    {
      "kind": "tfenvcheck-fix-run",
      "schema_version": 1,
      "tool": {"name": "tfenvcheck", "version": "0.1.0"},
      "created": "2026-11-22T03:15:00+00:00",      # UTC, ISO 8601
      "run_id": "20261122T031500Z-3f9a",
      "finished": "2026-11-22T03:16:10+00:00",     # null while running (or if killed)
      "status": "in-progress" | "done" | "failed",
      "target": {"executable": ".../bin/python", "prefix": "...", "key": "<sha256 of the prefix, 16 hex>",
                 "roots": {"env": [...], "preload": [...], "patch": [...]}},  # where each kind may write
                                                                               # (fixer/confine.py)
      "requested_ids": ["..."],                    # the IDs given to `fix`; [] means every applicable one
      "breakages": [{"id": "...", "title": "...", "seen": ["..."]}],
      "actions": [{
        "index": 0, "kind": "pin" | "patch" | "env" | "preload" | "advise", "breakage_ids": ["..."],
        "description": "...",
        "status": "planned" | "applying" | "applied" | "already-done" | "failed" | "not-run",
        "error": null | "...",
        # pin:   "requirements": [...], "options": ["--no-deps"] or [], "command": [...],
        #        "freeze_before": [...], "freeze_after": [...]   (pip freeze --all lines)
        # patch: "path", "find", "replace", "sha256_before", "sha256_after",
        #        "backup" (relative to the run folder), "temp"
        # env:   "path" (the .pth file), "name", "value", "sha256_before" (null: no file), "sha256_after"
        # preload: "path" (the .pth file), "patterns", "libraries" (the absolute paths it loads),
        #        "sha256_before" (null: no file), "sha256_after"
        # advise: "text"
      }],
      "verification": [{"breakage_id": "...", "status": "gone" | "still-present" | "uncertain", "detail": "..."}],
      "undo": null | {"started": "...", "finished": "...", "status": "in-progress" | "done" | "failed",
                      "actions": [{"index": 0, "status": "restored" | "already-restored" | "left-alone" | "failed",
                                   "detail": "..."}]}
    }

A run whose status is "in-progress" while nobody holds its target's lock was interrupted; the
hashes say where each action stopped (a patched file is either at sha256_before or sha256_after).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

import platformdirs

from tfenvcheck import documents
from tfenvcheck.documents import now
from tfenvcheck.errors import UsageError
from tfenvcheck.fixer.atomic import write_atomically
from tfenvcheck.fixer.faults import checkpoint

STATE_DIR_VARIABLE = "TFENVCHECK_STATE_DIR"
JOURNAL_NAME = "journal.json"


def configured_state_dir() -> Path:
    """Where the state folder is meant to be: `$TFENVCHECK_STATE_DIR`, else the user state directory."""
    override = os.environ.get(STATE_DIR_VARIABLE)
    return Path(override) if override else Path(platformdirs.user_state_dir("tfenvcheck", appauthor=False))


def state_dir() -> Path:
    """The state folder; a UsageError when something else (a file) is in its place."""
    folder = configured_state_dir()
    if os.path.lexists(folder) and not folder.is_dir():
        named = "{}={}".format(STATE_DIR_VARIABLE, folder) if os.environ.get(STATE_DIR_VARIABLE) else str(folder)
        raise UsageError("{}: not a directory (the state folder for fix journals)".format(named))
    return folder


def runs_dir() -> Path:
    return state_dir() / "runs"


def target_key(prefix: str) -> str:
    """One target, one key: its sys.prefix with links resolved (the venv, or the base Python)."""
    return hashlib.sha256(os.path.realpath(prefix).encode("utf-8")).hexdigest()[:16]


class Journal:
    """The record of one run, saved to disk after every change."""

    def __init__(self, record: dict[str, Any], folder: Path):
        self.record = record
        self.folder = folder

    @classmethod
    def start(
        cls,
        target: dict[str, Any],
        requested_ids: list[str],
        breakages: list[dict[str, Any]],
        actions: list[dict[str, Any]],
    ) -> Journal:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        run_id = "{}-{}".format(stamp, secrets.token_hex(2))
        folder = runs_dir() / run_id
        (folder / "backups").mkdir(parents=True)
        record = documents.envelope(
            documents.FIX_RUN,
            run_id=run_id,
            finished=None,
            status="in-progress",
            target=target,
            requested_ids=requested_ids,
            breakages=breakages,
            actions=actions,
            verification=[],
            undo=None,
        )
        journal = cls(record, folder)
        journal.save()
        return journal

    @property
    def run_id(self) -> str:
        return self.record["run_id"]

    def save(self) -> None:
        data = (json.dumps(self.record, indent=2) + "\n").encode("utf-8")
        path = self.folder / JOURNAL_NAME
        write_atomically(path, data, temp=path.with_name(JOURNAL_NAME + ".tmp"), mode=0o644, step="journal")

    def update_action(self, index: int, step: str | None = None, **changes: Any) -> None:
        self.record["actions"][index].update(changes)
        self.save()
        if step:
            checkpoint(step)

    def finish(self, status: str) -> None:
        self.record.update(status=status, finished=now())
        self.save()


def load_run(run_id: str) -> Journal:
    if os.sep in run_id or (os.altsep and os.altsep in run_id) or run_id in ("", ".", ".."):
        raise UsageError("{!r} is not a run id (see `tfenvcheck undo --list`)".format(run_id))
    folder = runs_dir() / run_id
    if not (folder / JOURNAL_NAME).is_file():
        raise UsageError("no fix run {!r} in {} (see `tfenvcheck undo --list`)".format(run_id, runs_dir()))
    _, record = documents.read_document(folder / JOURNAL_NAME, documents.FIX_RUN)
    return Journal(record, folder)


def list_runs(target_executable: str | None = None, prefix: str | None = None) -> list[dict[str, Any]]:
    """The journal records of every fix run, newest first; only one target's with `target_executable`
    (the interpreter's path as the run recorded it) or `prefix` (its sys.prefix, links resolved).
    Unreadable records, and those of a layout this tfenvcheck does not read, are skipped."""
    folder = runs_dir()
    if not folder.is_dir():
        return []
    wanted_key = target_key(prefix) if prefix else None
    records = []
    for journal_file in folder.glob("*/" + JOURNAL_NAME):
        try:
            _, record = documents.read_document(journal_file, documents.FIX_RUN)
        except UsageError:  # not readable, not a journal, or of a layout this tfenvcheck does not read
            continue
        target = record.get("target", {})
        if wanted_key and target.get("key") != wanted_key:
            continue
        if target_executable and not _same_executable(target.get("executable"), target_executable):
            continue
        records.append(record)
    return sorted(records, key=lambda r: (r.get("created", ""), r.get("run_id", "")), reverse=True)


def _same_executable(recorded: str | None, wanted: str) -> bool:
    # Not realpath: every venv's python links to the same base interpreter.
    return recorded is not None and os.path.abspath(recorded) == os.path.abspath(wanted)
