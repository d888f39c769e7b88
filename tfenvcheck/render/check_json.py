"""The JSON document of a check result (`check --json`), described by schemas/check-result.schema.json."""

from __future__ import annotations

import json
from typing import Any

from tfenvcheck import __version__
from tfenvcheck.checks.verdict import CheckResult

RESULT_KIND = "tfenvcheck-check"  # tells a saved check result from the other JSON files tfenvcheck writes
RESULT_SCHEMA_VERSION = 1


def result_document(result: CheckResult) -> dict[str, Any]:
    return {
        "kind": RESULT_KIND,
        "schema_version": RESULT_SCHEMA_VERSION,
        "tool": {"name": "tfenvcheck", "version": __version__},
        "profile": result.profile.summary(),
        "verdict": result.verdict,
        "exit_code": result.exit_code,
        "fail_on": result.fail_on,
        "counts": result.counts,
        "findings": [finding.to_dict() for finding in result.findings],
        "facts": result.facts.to_dict(),
    }


def render_check_json(result: CheckResult) -> str:
    return json.dumps(result_document(result), indent=2)
