"""The JSON document of a check result (`check --json`), described by schemas/check-result.schema.json."""

from __future__ import annotations

from typing import Any

from tfenvcheck import documents
from tfenvcheck.checks.verdict import CheckResult


def result_document(result: CheckResult) -> dict[str, Any]:
    resolution = {"resolve": result.resolution.to_dict()} if result.resolution is not None else {}
    return documents.envelope(
        documents.CHECK,
        profile=result.profile.summary(),
        verdict=result.verdict,
        exit_code=result.exit_code,
        fail_on=result.fail_on,
        counts=result.counts,
        findings=[finding.to_dict() for finding in result.findings],
        facts=result.facts.to_dict(),
        **resolution,
    )


def render_check_json(result: CheckResult) -> str:
    return documents.dumps(result_document(result))
