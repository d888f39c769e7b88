"""The PyCharm project's interpreter, as tfenvcheck/pycharm/ resolved it (facts.pycharm)."""

from __future__ import annotations

from tfenvcheck.checks.finding import FAIL, OK, SKIPPED, WARN, Finding
from tfenvcheck.facts.model import Facts
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.pycharm import issues as pycharm_issues

_ISSUE_HINTS = {
    pycharm_issues.SDK_CONDA: (
        WARN,
        "the exam guides say not to use Anaconda: give PyCharm a venv made from a python.org or pyenv Python",
    ),
    pycharm_issues.SDK_APPLE_SYSTEM_PYTHON: (
        FAIL,
        "Apple's own Python broke TensorFlow 2.0 at exam start (linecache); "
        "give PyCharm a python.org, Homebrew or pyenv Python",
    ),
    pycharm_issues.SDK_REMOTE: (WARN, "the exam runs on this machine: give the project a local interpreter"),
}


def check_pycharm_project(facts: Facts, profile: Profile) -> list[Finding]:
    pycharm = facts.pycharm
    if not pycharm:
        return [
            Finding(
                "pycharm.project",
                SKIPPED,
                "PyCharm project: none involved",
                hint="tfenvcheck check --pycharm-project DIR judges the interpreter PyCharm runs for DIR",
            )
        ]
    findings = []
    for issue in pycharm.issues:
        status, hint = _ISSUE_HINTS.get(
            issue["id"], (WARN, "fix the project interpreter in PyCharm: Settings > Project > Python Interpreter")
        )
        findings.append(
            Finding(
                "pycharm." + issue["id"],
                status,
                issue["message"],
                seen=issue.get("path") or issue.get("sdk_name"),
                hint=hint,
            )
        )
    sdk = "{!r} ({})".format(pycharm.sdk_name, pycharm.sdk_name_from)
    if not pycharm.is_target:
        findings.append(
            Finding(
                "pycharm.target",
                WARN,
                "PyCharm runs another interpreter than the one judged here",
                seen="judged {}".format(facts.target.executable),
                expected="PyCharm's project interpreter {}, SDK {}".format(pycharm.interpreter, sdk),
                hint="run tfenvcheck check --pycharm-project {} to judge the interpreter the exam will use".format(
                    pycharm.project_dir
                ),
            )
        )
    else:
        findings.append(
            Finding("pycharm.target", OK, "PyCharm project interpreter: SDK {}".format(sdk), seen=pycharm.interpreter)
        )
    return findings
