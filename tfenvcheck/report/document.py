"""The report document: everything a report shows, as one JSON object, so that a saved report (or the
check and bench results it was made from) renders exactly as the live run did.

    {"kind": "tfenvcheck-report", "schema_version": 1, "tool": {...}, "created": ISO time,
     "check": <a `check --json` document>, "fix_runs": [<fix journal records, newest first>],
     "bench": [<bench result files; the first is this machine's, the others are for comparison>]}
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tfenvcheck import __version__
from tfenvcheck.documents import read_json_file
from tfenvcheck.errors import UsageError
from tfenvcheck.render.check_json import RESULT_KIND, RESULT_SCHEMA_VERSION

REPORT_KIND = "tfenvcheck-report"
REPORT_SCHEMA_VERSION = 1
BENCH_KIND = "tfenvcheck-bench"


def build_report(check: dict[str, Any], fix_runs: list[dict[str, Any]], bench: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "kind": REPORT_KIND,
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool": {"name": "tfenvcheck", "version": __version__},
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "check": check,
        "fix_runs": fix_runs,
        "bench": bench,
    }


def require_schema(path: Path, document: dict[str, Any], kind: str, supported: int) -> None:
    version = document.get("schema_version")
    if version == supported:
        return
    if isinstance(version, int) and version > supported:
        raise UsageError(
            "{}: a {} file of schema version {}, newer than this tfenvcheck reads ({}); upgrade tfenvcheck".format(
                path, kind, version, supported
            )
        )
    raise UsageError(
        "{}: a {} file of schema version {}, which this tfenvcheck no longer reads (it reads {}); "
        "run the command again to make a new one".format(path, kind, version, supported)
    )


def kind_of(document: Any) -> str | None:
    if not isinstance(document, dict):
        return None
    if "kind" in document:
        return document["kind"]
    # check results saved before they named their kind
    if {"findings", "facts", "verdict"} <= document.keys():
        return RESULT_KIND
    return None


class ReportSources:
    """What `report --from FILE...` was given: at most one report or check result, any bench results."""

    def __init__(self) -> None:
        self.report: dict[str, Any] | None = None
        self.check: dict[str, Any] | None = None
        self.bench: list[dict[str, Any]] = []

    @property
    def has_check(self) -> bool:
        return self.report is not None or self.check is not None


def load_sources(paths: list[Path]) -> ReportSources:
    sources = ReportSources()
    for path in paths:
        document = read_json_file(path)
        kind = kind_of(document)
        if kind == REPORT_KIND:
            require_schema(path, document, "report", REPORT_SCHEMA_VERSION)
            if sources.has_check:
                raise UsageError("{}: only one report or check result can be re-rendered at a time".format(path))
            sources.report = document
        elif kind == RESULT_KIND:
            require_schema(path, document, "check result", RESULT_SCHEMA_VERSION)
            if sources.has_check:
                raise UsageError("{}: only one report or check result can be re-rendered at a time".format(path))
            sources.check = document
        elif kind == BENCH_KIND:
            from tfenvcheck.bench.result_file import load_bench_result  # the bench's own reader validates its files

            sources.bench.append(load_bench_result(path))
        else:
            raise UsageError("{}: not a tfenvcheck report, check result or bench result".format(path))
    return sources
