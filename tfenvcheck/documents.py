"""The JSON documents tfenvcheck writes, and the one reader for those it reads back.

Every document opens with the same envelope, so a saved file says what it is and which layout it
has: `{"kind": "tfenvcheck-check", "schema_version": 1, "tool": {"name", "version"}, "created": ISO
time, ...}`. A reader names the kinds it accepts; anything else is a one-line UsageError naming
the file and what is wrong, never a KeyError later on.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfenvcheck import __version__
from tfenvcheck.errors import UsageError


@dataclass(frozen=True)
class DocumentKind:
    name: str  # the value of "kind"
    schema_version: int  # the layout this tfenvcheck writes and reads
    title: str  # what the user calls it, for messages: "check result"


FACTS = DocumentKind("tfenvcheck-facts", 1, "facts record")
CHECK = DocumentKind("tfenvcheck-check", 1, "check result")
BENCH = DocumentKind("tfenvcheck-bench", 1, "bench result")
REPORT = DocumentKind("tfenvcheck-report", 1, "report")
FIX_RUN = DocumentKind("tfenvcheck-fix-run", 1, "fix journal")
CREATE_ENV = DocumentKind("tfenvcheck-create-env", 1, "create-env result")
PYCHARM = DocumentKind("tfenvcheck-pycharm", 1, "PyCharm overview")
BREAKAGES = DocumentKind("tfenvcheck-breakages", 1, "known-breakages listing")
PROFILES = DocumentKind("tfenvcheck-profiles", 1, "profile listing")
EXPLAIN = DocumentKind("tfenvcheck-explain", 1, "explanation")
MODEL = DocumentKind("tfenvcheck-model", 1, "model check")


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def envelope(kind: DocumentKind, **content: Any) -> dict[str, Any]:
    """A new document of `kind`: the envelope's four keys first, then `content`."""
    return {
        "kind": kind.name,
        "schema_version": kind.schema_version,
        "tool": {"name": "tfenvcheck", "version": __version__},
        "created": now(),
        **content,
    }


def read_json_file(path: Path) -> Any:
    """The parsed file, or a UsageError naming the file and why it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError("{}: no such file".format(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError("{}: cannot read it ({})".format(path, getattr(error, "strerror", None) or error)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            "{}: not valid JSON (line {}, column {}: {})".format(path, error.lineno, error.colno, error.msg)
        ) from None


def check_envelope(path: Path, document: Any, kinds: tuple[DocumentKind, ...]) -> DocumentKind:
    """The kind of `document` among `kinds`, or a UsageError saying in one line why it is none of them."""
    wanted = _one_of(kinds)
    if not isinstance(document, dict):
        raise UsageError("{}: not {} (a JSON {}, not an object)".format(path, wanted, type(document).__name__))
    found = next((kind for kind in kinds if kind.name == document.get("kind")), None)
    if found is None:
        raise UsageError("{}: not {} (kind {!r})".format(path, wanted, document.get("kind")))
    version = document.get("schema_version")
    if version == found.schema_version:
        return found
    if isinstance(version, int) and not isinstance(version, bool) and version > found.schema_version:
        raise UsageError(
            "{}: a {} of schema version {}, newer than this tfenvcheck reads ({}); upgrade tfenvcheck".format(
                path, found.title, version, found.schema_version
            )
        )
    raise UsageError(
        "{}: a {} of schema version {!r}, which this tfenvcheck no longer reads (it reads {}); "
        "run the command again to make a new one".format(path, found.title, version, found.schema_version)
    )


def _one_of(kinds: tuple[DocumentKind, ...]) -> str:
    """What a reader of `kinds` wanted: "a tfenvcheck report, check result or bench result"."""
    titles = [kind.title for kind in kinds]
    listed = titles[0] if len(titles) == 1 else "{} or {}".format(", ".join(titles[:-1]), titles[-1])
    return "a tfenvcheck " + listed


def read_document(path: Path, *kinds: DocumentKind) -> tuple[DocumentKind, dict[str, Any]]:
    """A saved document of one of `kinds`, with the kind it turned out to be."""
    document = read_json_file(path)
    return check_envelope(path, document, kinds), document
