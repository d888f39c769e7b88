"""The JSON documents tfenvcheck writes, and the one reader for those it reads back.

Every document opens with the same envelope, so a saved file says what it is and which layout it
has: `{"kind": "tfenvcheck-check", "schema_version": 1, "tool": {"name", "version"}, "created": ISO
time, ...}`. A reader names the kinds it accepts, and a document read back is checked against its
kind's JSON Schema (`tfenvcheck/schemas/`) before anything looks inside: NaN, Infinity, integers of
absurd length and nesting deeper than any document of ours are refused too. Anything wrong is a
one-line UsageError naming the file and the JSON path of what is wrong, never a KeyError later on.

Nothing written holds NaN or Infinity (not JSON): `dumps` writes a figure that could not be
computed as null, which readers show as "not measured".
"""

from __future__ import annotations

import datetime
import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfenvcheck import __version__, input_files
from tfenvcheck.errors import UsageError

SCHEMA_DIR = Path(__file__).parent / "schemas"
# Deeper than any document tfenvcheck writes (a report holds a check result holding facts: about 8).
MAX_DEPTH = 48
# More digits than any count or size of ours (bytes of memory: 13); Python refuses 4300 and more anyway.
MAX_INTEGER_DIGITS = 30


@dataclass(frozen=True)
class DocumentKind:
    name: str  # the value of "kind"
    schema_version: int  # the layout this tfenvcheck writes and reads
    title: str  # what the user calls it, for messages: "check result"
    schema: str | None = None  # the file in schemas/ that a document of this kind read back must match


FACTS = DocumentKind("tfenvcheck-facts", 1, "facts record")
CHECK = DocumentKind("tfenvcheck-check", 1, "check result", "check-result.schema.json")
BENCH = DocumentKind("tfenvcheck-bench", 1, "bench result", "bench-result.schema.json")
REPORT = DocumentKind("tfenvcheck-report", 1, "report", "report.schema.json")
FIX_RUN = DocumentKind("tfenvcheck-fix-run", 1, "fix journal", "fix-run.schema.json")
CREATE_ENV = DocumentKind("tfenvcheck-create-env", 1, "create-env result")
PYCHARM = DocumentKind("tfenvcheck-pycharm", 1, "PyCharm overview")
BREAKAGES = DocumentKind("tfenvcheck-breakages", 1, "known-breakages listing")
PROFILES = DocumentKind("tfenvcheck-profiles", 1, "profile listing")
EXPLAIN = DocumentKind("tfenvcheck-explain", 1, "explanation")
MODEL = DocumentKind("tfenvcheck-model", 1, "model check")
REHEARSAL = DocumentKind("tfenvcheck-rehearsal", 1, "rehearsal", "rehearsal.schema.json")


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


def finite(data: Any) -> Any:
    """`data` with every NaN and infinite float made None: a figure that could not be computed."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [finite(value) for value in data]
    return data


def dumps(document: Any) -> str:
    """The JSON text of `document` (indented, with a final newline), never NaN or Infinity."""
    return json.dumps(finite(document), indent=2, allow_nan=False) + "\n"


class _Refused:
    """A value json.loads met that no document of ours holds, kept until its JSON path is known."""

    def __init__(self, why: str) -> None:
        self.why = why


def _refuse_constant(name: str) -> _Refused:
    return _Refused("{} is not a JSON number".format(name))


def _integer(text: str) -> int | _Refused:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        return _Refused("an integer of {} digits".format(digits))
    return int(text)


def _float(text: str) -> float | _Refused:
    value = float(text)
    return value if math.isfinite(value) else _Refused("{} is too large for a number".format(text[:20]))


def json_path(parts: Any) -> str:
    """`$.workloads[0].steady` for the keys and indexes `parts`; of a long one, its end after `$...`."""
    tokens = [
        "[{}]".format(part)
        if isinstance(part, int)
        else ".{}".format(part)
        if str(part).isidentifier() and len(str(part)) <= 40
        else "[{}]".format(json.dumps(str(part)[:40]))
        for part in parts
    ]
    shown: list[str] = []
    while tokens and sum(map(len, shown)) + len(tokens[-1]) <= 100:
        shown.insert(0, tokens.pop())
    return ("$..." if tokens else "$") + "".join(shown)


def _check_values(path: Path, document: Any) -> None:
    """Refuse the values json.loads was told to keep aside, and nesting deeper than MAX_DEPTH."""
    pending: list[tuple[Any, tuple[Any, ...]]] = [(document, ())]
    while pending:
        value, where = pending.pop()
        if isinstance(value, _Refused):
            raise UsageError("{}: at {}: {}".format(path, json_path(where), value.why))
        if isinstance(value, (dict, list)):
            if len(where) >= MAX_DEPTH:
                raise UsageError("{}: at {}: nested deeper than {} levels".format(path, json_path(where), MAX_DEPTH))
            items = value.items() if isinstance(value, dict) else enumerate(value)
            pending.extend((item, (*where, key)) for key, item in items)


def read_json_file(path: Path) -> Any:
    """The parsed file, or a UsageError naming the file and why it cannot be read."""
    try:
        text = input_files.read_text(path)
    except input_files.NotReadable as why:
        message = str(why)
        raise UsageError(
            "{}: {}".format(path, message if message == "no such file" else "cannot read it ({})".format(message))
        ) from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant, parse_int=_integer, parse_float=_float)
    except json.JSONDecodeError as error:
        raise UsageError(
            "{}: not valid JSON (line {}, column {}: {})".format(path, error.lineno, error.colno, error.msg)
        ) from None
    except RecursionError:
        raise UsageError(
            "{}: not a tfenvcheck document: nested deeper than {} levels".format(path, MAX_DEPTH)
        ) from None
    _check_values(path, document)
    return document


@functools.cache
def _schemas() -> dict[str, dict[str, Any]]:
    """Every schema in schemas/ by file name."""
    return {
        schema.name: json.loads(schema.read_text(encoding="utf-8"))
        for schema in sorted(SCHEMA_DIR.glob("*.schema.json"))
    }


@functools.cache
def _validator(schema_name: str) -> Any:
    import jsonschema  # here: importing it costs a fifth of a second, and most commands read nothing back
    import referencing

    # The schemas refer to one another by file name, relative to their own $id.
    registry: Any = referencing.Registry().with_resources(
        (schema["$id"], referencing.Resource.from_contents(schema)) for schema in _schemas().values()
    )
    schema = _schemas()[schema_name]
    return jsonschema.validators.validator_for(schema)(schema, registry=registry)


def check_schema(path: Path, document: Any, kind: DocumentKind) -> None:
    """A UsageError naming the JSON path of the first thing in `document` its kind's schema refuses."""
    if kind.schema is None:
        return
    from jsonschema.exceptions import best_match

    error = best_match(_validator(kind.schema).iter_errors(document))
    if error is None:
        return
    message = " ".join(error.message.split())
    if len(message) > 160:
        message = message[:157] + "..."
    raise UsageError("{}: not a valid {}: at {}: {}".format(path, kind.title, json_path(error.absolute_path), message))


def check_envelope(path: Path, document: Any, kinds: tuple[DocumentKind, ...]) -> DocumentKind:
    """The kind of `document` among `kinds`, or a UsageError saying in one line why it is none of them."""
    wanted = _one_of(kinds)
    if not isinstance(document, dict):
        raise UsageError("{}: not {} (a JSON {}, not an object)".format(path, wanted, type(document).__name__))
    found = next((kind for kind in kinds if kind.name == document.get("kind")), None)
    if found is None:
        raise UsageError("{}: not {} (kind {})".format(path, wanted, _shown(document.get("kind"))))
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
        "{}: a {} of schema version {}, which this tfenvcheck no longer reads (it reads {}); "
        "run the command again to make a new one".format(path, found.title, _shown(version), found.schema_version)
    )


def _shown(value: Any) -> str:
    """`value` as Python shows it, cut short: a message stays one readable line."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _one_of(kinds: tuple[DocumentKind, ...]) -> str:
    """What a reader of `kinds` wanted: "a tfenvcheck report, check result or bench result"."""
    titles = [kind.title for kind in kinds]
    listed = titles[0] if len(titles) == 1 else "{} or {}".format(", ".join(titles[:-1]), titles[-1])
    return "a tfenvcheck " + listed


def read_document(path: Path, *kinds: DocumentKind) -> tuple[DocumentKind, dict[str, Any]]:
    """A saved document of one of `kinds` that matches its kind's schema, with the kind it turned out to be."""
    document = read_json_file(path)
    kind = check_envelope(path, document, kinds)
    check_schema(path, document, kind)
    return kind, document
