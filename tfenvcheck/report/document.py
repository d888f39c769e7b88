"""The report document: everything a report shows, as one JSON object, so that a saved report (or the
check and bench results it was made from) renders exactly as the live run did.

    {"kind": "tfenvcheck-report", "schema_version": 1, "tool": {...}, "created": ISO time,
     "check": <a `check --json` document>, "fix_runs": [<fix journal records, newest first>],
     "bench": [<bench result files; the first is this machine's, the others are for comparison>],
     "fixes": {<fix id>: <what the registry says of each fix the findings name>},
     "read_from": {"check": <the file of a saved check result, or null>, "bench": [<the file of each bench>]}}

"read_from" says where the saved documents came from (report/provenance.py); reports saved before
it have none. The fixes come from the registry the report was made with (`--registry` included), so that a saved
report renders its fix commands without loading any registry.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tfenvcheck import documents
from tfenvcheck.errors import UsageError
from tfenvcheck.facts.model import Facts, MalformedFacts
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.fix_text import fix_summaries

# What `report --from` re-renders or adds: one report or check result, any bench results.
SOURCE_KINDS = (documents.REPORT, documents.CHECK, documents.BENCH, documents.REHEARSAL)


def build_report(
    check: dict[str, Any],
    fix_runs: list[dict[str, Any]],
    bench: list[dict[str, Any]],
    breakages: Sequence[Breakage],
    read_from: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return documents.envelope(
        documents.REPORT,
        check=check,
        fix_runs=fix_runs,
        bench=bench,
        fixes=named_fixes(check, breakages),
        read_from=read_from or {"check": None, "bench": [None] * len(bench)},
    )


def named_fixes(check: dict[str, Any], breakages: Sequence[Breakage]) -> dict[str, dict[str, Any]]:
    """What `breakages` say of the fixes the check result's findings name."""
    return fix_summaries(breakages, {f["fix_id"] for f in check["findings"] if f.get("fix_id")})


def with_kind(document: Any) -> Any:
    """`document`, named as a check result if it is one saved before check results named their kind."""
    if isinstance(document, dict) and "kind" not in document and {"findings", "facts", "verdict"} <= document.keys():
        return dict(document, kind=documents.CHECK.name)
    return document


def check_facts(path: Path, check: dict[str, Any], kind: documents.DocumentKind) -> None:
    """The facts of a saved check result have the shape the report reads them in; else a UsageError."""
    where = "$.check.facts" if kind is documents.REPORT else "$.facts"
    try:
        Facts.from_dict(check["facts"], what=where)
    except MalformedFacts as error:
        raise UsageError("{}: not a valid {}: at {}".format(path, kind.title, error)) from None


class ReportSources:
    """What `report --from FILE...` was given: at most one report or check result, any bench results."""

    def __init__(self) -> None:
        self.report: dict[str, Any] | None = None
        self.check: dict[str, Any] | None = None
        self.bench: list[dict[str, Any]] = []
        self.check_file: str | None = None
        self.bench_files: list[str] = []
        self.rehearsals: list[dict[str, Any]] = []
        self.rehearsal_files: list[str] = []

    @property
    def has_check(self) -> bool:
        return self.report is not None or self.check is not None

    @property
    def read_from(self) -> dict[str, Any]:
        """Where the saved check result and bench results came from (the report's "read_from")."""
        return {"check": self.check_file, "bench": self.bench_files}


def file_name(path: Path) -> str:
    """The file a saved document was read from, as the report names it: absolute, so that it still
    says where it is when the report is opened elsewhere (the home folder is redacted)."""
    return str(path.expanduser().absolute())


def load_sources(paths: list[Path]) -> ReportSources:
    sources = ReportSources()
    for path in paths:
        document = documents.read_json_file(path)
        document = with_kind(document)
        kind = documents.check_envelope(path, document, SOURCE_KINDS)
        documents.check_schema(path, document, kind)
        if kind is documents.BENCH:
            sources.bench.append(document)
            sources.bench_files.append(file_name(path))
            continue
        if kind is documents.REHEARSAL:
            sources.rehearsals.append(document)
            sources.rehearsal_files.append(file_name(path))
            continue
        check_facts(path, document["check"] if kind is documents.REPORT else document, kind)
        if sources.has_check:
            raise UsageError("{}: only one report or check result can be re-rendered at a time".format(path))
        if kind is documents.REPORT:
            sources.report = document
        else:
            sources.check = document
            sources.check_file = file_name(path)
    return sources


def added_files(report: dict[str, Any], bench_files: list[str]) -> dict[str, Any]:
    """A saved report's "read_from" with the files of the bench results added to it."""
    read_from = report.get("read_from") or {"check": None, "bench": [None] * len(report["bench"])}
    return dict(read_from, bench=read_from["bench"] + bench_files)
