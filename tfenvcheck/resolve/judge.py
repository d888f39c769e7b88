"""A resolution judged against the registry: the facts a new venv of the target's Python would have
with what pip would install today, the entries that match them, and the findings that say so.

Only the distributions change: the Python, the platform, the CPU and the GPU driver are the target's,
so entries whose conditions are package ranges (protobuf 4 under TensorFlow 2.0) fire as they would
after the install, and host conditions (a CPU without AVX) still count. What only an import shows
(TensorFlow's own version answer, its GPUs, its build) is not known before the install and is left out.
When nothing resolves, uv's explanation is read like any error text (`explain`), against the facts of
a venv where the requirements could not be installed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from packaging.utils import canonicalize_name

from tfenvcheck.checks.finding import FAIL, OK, Finding
from tfenvcheck.checks.verdict import CheckResult
from tfenvcheck.explain.diagnose import explain_lines
from tfenvcheck.facts.model import Distribution, Facts, ImportsFacts, PipCheckFacts, TensorFlowFacts
from tfenvcheck.registry.entry import Action, Breakage
from tfenvcheck.registry.fix_text import pin_requirement
from tfenvcheck.registry.match import Match, match
from tfenvcheck.resolve.uv_compile import Resolution, uv_messages

SECTION = "What pip would install today"
FINDING_PREFIX = "resolve."
WOULD_BE_INSTALLED = "(pip would install it)"


def is_resolve_finding(finding: Finding) -> bool:
    return finding.id.startswith(FINDING_PREFIX)


def facts_after_install(facts: Facts, pins: dict[str, str]) -> Facts:
    """The target's facts as a new venv of its Python holding exactly `pins` would have them."""
    distributions = {name: Distribution(version, WOULD_BE_INSTALLED) for name, version in sorted(pins.items())}
    interpreter = dataclasses.replace(facts.interpreter, distributions=distributions, shadowed_distributions=[])
    return dataclasses.replace(
        facts, interpreter=interpreter, tensorflow=TensorFlowFacts(), pip_check=PipCheckFacts(), imports=ImportsFacts()
    )


def _fix_before_install(action: Action, facts: Facts) -> str:
    if action.kind == "pin":
        return "require {} beside the others".format(", ".join(pin_requirement(r, facts) for r in action.requirements))
    return action.describe()


def fix_before_install(breakage: Breakage, facts: Facts) -> str:
    return "; ".join(_fix_before_install(action, facts) for action in breakage.fix)


def _symptom(breakage: Breakage) -> str:
    return breakage.symptom.strip().splitlines()[0].rstrip(".")


def _named_versions(resolution: Resolution, required: Sequence[str], matches: Sequence[Match]) -> str:
    """The versions that matter: the required distributions', then those the matching entries judge."""
    names = [canonicalize_name(name) for name in required]
    for found in matches:
        names += [canonicalize_name(name) for name in found.breakage.when.packages]
    seen = dict.fromkeys(name for name in names if name in resolution.pins)
    return ", ".join("{} {}".format(name, resolution.pins[name]) for name in seen)


def _match_finding(found: Match, facts: Facts) -> Finding:
    breakage = found.breakage
    return Finding(
        id=FINDING_PREFIX + breakage.id,
        status=breakage.severity,
        title="{} (in what pip would install today)".format(breakage.title),
        seen="; ".join(found.reasons),
        expected="not this combination",
        hint="you would see: {}. Fix before installing: {}".format(
            _symptom(breakage), fix_before_install(breakage, facts)
        ),
    )


def _about_distributions(breakage: Breakage) -> bool:
    """Whether an entry's conditions name distributions (TensorFlow's, or others'), so what pip would
    install can bring it. The rest are the interpreter's or the host's own (the main check has them),
    or a failed install (no wheel for this Python), which a resolution that succeeded rules out."""
    when = breakage.when
    return bool(
        when.tensorflow is not None
        or when.packages
        or when.several_installed
        or when.older_than_build
        or when.minor_not_tensorflows
    )


def _resolved_findings(
    resolution: Resolution, facts: Facts, required: Sequence[str], breakages: Sequence[Breakage]
) -> list[Finding]:
    after = facts_after_install(facts, resolution.pins)
    matches = [m for m in match(breakages, after) if m.breakage.report == "likely" and _about_distributions(m.breakage)]
    summary = Finding(
        id=FINDING_PREFIX + "resolved",
        status=OK,
        title="pip would install today: {} ({} distribution{} for Python {})".format(
            _named_versions(resolution, required, matches) or "nothing the profile names",
            len(resolution.pins),
            "" if len(resolution.pins) == 1 else "s",
            facts.interpreter.version,
        ),
        seen=", ".join("{} {}".format(name, version) for name, version in sorted(resolution.pins.items())) or None,
        hint="resolved by uv as the package registry serves them now; nothing was installed",
    )
    findings = [summary] + [_match_finding(m, after) for m in matches]
    if not matches:
        findings.append(
            Finding(
                FINDING_PREFIX + "breakages",
                OK,
                "Known breakages: none of {} apply to what pip would install today".format(len(breakages)),
            )
        )
    return findings


def _uv_explanation(error: str) -> str:
    """uv's reason and its hint, in one line: "Because tensorflow==2.18.0 has no wheels ... You require
    CPython 3.13 (`cp313`), but we only found wheels ... `cp312`"."""
    messages = uv_messages(error)
    reasons = [message for label, message in messages if label in ("cause", "")] or ["uv found no solution"]
    hints = [message for label, message in messages if label == "hint"]
    return " ".join([reasons[0].rstrip(".") + ".", *hints])


def _unresolved_findings(
    resolution: Resolution, facts: Facts, required: Sequence[str], breakages: Sequence[Breakage]
) -> list[Finding]:
    """uv's explanation of why nothing resolves, as the registry's entries that its text shows and
    whose conditions hold for a venv of this Python without the required distributions."""
    assert resolution.error is not None
    wanted = {canonicalize_name(name) for name in required}
    kept = {name: version for name, version in facts.packages.items() if name not in wanted}
    without = facts_after_install(facts, kept)
    lines = [message for _, message in uv_messages(resolution.error)]
    explanation = explain_lines(lines, breakages, lambda entries: without)
    cause = _uv_explanation(resolution.error)
    applying = [d.best for d in explanation.diagnoses if d.best.applies and d.best.breakage.report != "explain-only"]
    findings = [
        Finding(
            id=FINDING_PREFIX + m.breakage.id,
            status=m.breakage.severity,
            title="pip would install nothing today: {}".format(m.breakage.title),
            seen="uv: {} Here: {}".format(cause, "; ".join(m.seen)),
            expected="the requirements resolve for Python {}".format(facts.interpreter.version),
            hint="Fix before installing: {}".format(fix_before_install(m.breakage, without)),
        )
        for m in applying
    ]
    return findings or [
        Finding(
            FINDING_PREFIX + "unsatisfiable",
            FAIL,
            "pip would install nothing today: the requirements cannot be resolved",
            seen="uv: " + cause,
            expected="the requirements resolve for Python {}".format(facts.interpreter.version),
            hint="loosen or change the requirement uv names",
        )
    ]


def resolution_findings(
    resolution: Resolution, facts: Facts, required: Sequence[str], breakages: Sequence[Breakage]
) -> list[Finding]:
    """The findings of the "What pip would install today" section; `required` names the requirements."""
    if resolution.resolved:
        return _resolved_findings(resolution, facts, required, breakages)
    return _unresolved_findings(resolution, facts, required, breakages)


def with_resolution(result: CheckResult, resolution: Resolution, breakages: Sequence[Breakage]) -> CheckResult:
    """`result` with the section's findings after its own (they count in the verdict) and the resolution."""
    required = [requirement.name for requirement in result.profile.requires]
    findings = resolution_findings(resolution, result.facts, required, breakages)
    return dataclasses.replace(result, findings=result.findings + findings, resolution=resolution)
