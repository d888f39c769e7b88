"""`tfenvcheck report`: the real CLI on a real interpreter, HTML and Markdown, re-rendered from saved JSON."""

from __future__ import annotations

import json
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.helpers import require_python, run_cli
from tfenvcheck.errors import EXIT_FAILURES, EXIT_USAGE


@pytest.fixture
def state_env(tmp_path) -> dict[str, str]:
    """The real environment with a fix journal of the test's own (empty unless the test writes one)."""
    return dict(os.environ, TFENVCHECK_STATE_DIR=str(tmp_path / "state"))


def plain_python_report(tmp_path: Path, env: dict[str, str], *extra: str):
    python = require_python("3.11")
    return run_cli("report", "--python", str(python), "--no-tensorflow", *extra, env=env, cwd=tmp_path)


# An entry of the test's own that applies to any Python without the package it names, fixed by a pin.
AUTOMATIC_FIX_ENTRY = """id = "team-absent-helper"
title = "A helper package is missing"
symptom = "ModuleNotFoundError: No module named 'tfenvcheck_team_helper'"
[when]
missing = ["tfenvcheck-team-helper"]
[[fix]]
kind = "pin"
requirements = ["tfenvcheck-team-helper==1.0"]
"""


def test_a_report_names_the_fix_command_of_the_registry_it_was_given(tmp_path, state_env):
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "team-absent-helper.toml").write_text(AUTOMATIC_FIX_ENTRY)
    live = plain_python_report(
        tmp_path, state_env, "--registry", str(registry), "--markdown", "r.md", "--json", "r.json"
    )
    assert live.returncode == EXIT_FAILURES, live.stderr
    # The fix run that the lead line names fixes the entry's finding too (an automatic fix: a pin).
    lead = next(line for line in (tmp_path / "r.md").read_text().splitlines() if line.startswith("- One command"))
    assert "`tfenvcheck fix --profile exam-2022-07 --python ~/.pyenv/versions/3.11" in lead  # the path is redacted
    assert "A helper package is missing" in lead
    again = run_cli("report", "--from", "r.json", "--markdown", "again.md", env=state_env, cwd=tmp_path)
    assert again.returncode == EXIT_FAILURES, again.stderr
    assert (tmp_path / "again.md").read_bytes() == (tmp_path / "r.md").read_bytes()  # no --registry needed


def test_live_report_and_its_rerendering_from_json_are_identical(tmp_path, state_env):
    live = plain_python_report(
        tmp_path, state_env, "--html", "live.html", "--markdown", "live.md", "--json", "report.json"
    )
    # Python 3.11 is outside the default exam profile's range: the report says so, and exits as check does.
    assert live.returncode == EXIT_FAILURES, live.stderr
    document = json.loads((tmp_path / "report.json").read_text())
    assert (document["kind"], document["schema_version"]) == ("tfenvcheck-report", 1)
    assert document["check"]["verdict"] == "not-ready" and document["fix_runs"] == [] and document["bench"] == []

    again = run_cli(
        "report", "--from", "report.json", "--html", "again.html", "--markdown", "again.md", env=state_env, cwd=tmp_path
    )
    assert again.returncode == EXIT_FAILURES, again.stderr
    assert (tmp_path / "again.html").read_bytes() == (tmp_path / "live.html").read_bytes()
    assert (tmp_path / "again.md").read_bytes() == (tmp_path / "live.md").read_bytes()

    html = (tmp_path / "live.html").read_text()
    assert 'class="verdict not-ready"' in html and "<strong>Not ready</strong>" in html
    assert "is outside what exam-2022-07 needs" in html
    assert fetched_on_opening(html) == []


class ResourceReferences(HTMLParser):
    """What a browser would load while opening a page: scripts, styles, frames, images, fonts."""

    LOADING_ATTRIBUTES = ("src", "href", "srcset", "data", "poster", "background", "xlink:href", "action")
    CSS_REFERENCE = re.compile(r"url\(\s*['\"]?(?!data:|#)([^'\")]*)|@import", re.IGNORECASE)

    def __init__(self) -> None:
        super().__init__()
        self.references: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_style = tag == "style"
        if tag in ("script", "link", "iframe", "frame", "object", "embed", "base"):
            self.references.append("<{}>".format(tag))
        if tag == "meta" and any(k == "http-equiv" and (v or "").lower() == "refresh" for k, v in attrs):
            self.references.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            value = (value or "").strip()
            if tag != "a" and name in self.LOADING_ATTRIBUTES and value and not value.startswith(("#", "data:")):
                self.references.append("{}={}".format(name, value))
            if name == "style":
                self.references.extend(m.group(0) for m in self.CSS_REFERENCE.finditer(value))

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.references.extend(m.group(0) for m in self.CSS_REFERENCE.finditer(data))


def fetched_on_opening(html: str) -> list[str]:
    parser = ResourceReferences()
    parser.feed(html)
    return parser.references


def test_the_offline_check_sees_what_a_page_would_fetch():
    page = (
        '<html><head><link rel="stylesheet" href="https://cdn.example/x.css"><style>body { background: '
        'url("https://example.org/bg.png") } @import "y.css";</style></head><body style="background: url(z.png)">'
        '<img src="//example.org/a.png"><img src="data:image/png;base64,AA"><a href="https://example.org">a link '
        'is not fetched</a><svg><use xlink:href="#m"/></svg></body></html>'
    )
    assert fetched_on_opening(page) == [
        "<link>",
        "href=https://cdn.example/x.css",
        'url("https://example.org/bg.png',
        "@import",
        "url(z.png",
        "src=//example.org/a.png",
    ]


def test_reports_are_redacted_unless_asked_not_to_be(tmp_path, state_env):
    home = str(Path.home())
    plain_python_report(tmp_path, state_env, "--html", "shared.html", "--markdown", "shared.md")
    for name in ("shared.html", "shared.md"):
        text = (tmp_path / name).read_text()
        assert home not in text and "~/.pyenv/versions/3.11" in text, name
    plain_python_report(tmp_path, state_env, "--markdown", "mine.md", "--no-redact")
    assert home + "/.pyenv/versions/3.11" in (tmp_path / "mine.md").read_text()


def test_a_saved_check_result_renders_as_a_report(tmp_path, state_env):
    python = require_python("3.11")
    check = run_cli("check", "--python", str(python), "--no-tensorflow", "--json", env=state_env)
    (tmp_path / "check.json").write_text(check.stdout)
    done = run_cli("report", "--from", "check.json", "--markdown", "-", env=state_env, cwd=tmp_path)
    assert done.returncode == EXIT_FAILURES, done.stderr
    assert done.stdout.startswith("### tfenvcheck: NOT READY for `exam-2022-07`")
    assert "#### Fixes applied to this interpreter" in done.stdout


def test_resolve_with_a_saved_check_result_is_refused_in_one_line(tmp_path, state_env):
    python = require_python("3.11")
    check = run_cli("check", "--python", str(python), "--no-tensorflow", "--json", env=state_env)
    (tmp_path / "check.json").write_text(check.stdout)
    done = run_cli("report", "--from", "check.json", "--resolve", "--markdown", "-", env=state_env, cwd=tmp_path)
    assert done.returncode == EXIT_USAGE, done.stderr
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "tfenvcheck: error: --resolve judges what pip would install now: it needs a live check, not one read with --from"
    ]


def test_default_output_is_an_html_file_in_the_current_folder(tmp_path, state_env):
    done = plain_python_report(tmp_path, state_env)
    assert done.returncode == EXIT_FAILURES, done.stderr
    assert (tmp_path / "tfenvcheck-report.html").read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON (line 1, column 2: "),
        (
            '{"kind": "tfenvcheck-report", "schema_version": 0}',
            "schema version 0, which this tfenvcheck no longer reads",
        ),
        ('{"kind": "tfenvcheck-report", "schema_version": 99}', "schema version 99, newer than this tfenvcheck reads"),
        (
            '{"kind": "tfenvcheck-check", "schema_version": 0, "findings": []}',
            "a check result of schema version 0",
        ),
        ('{"kind": "something-else"}', "not a tfenvcheck report, check result, bench result or rehearsal"),
        ("[1, 2]", "not a tfenvcheck report, check result, bench result or rehearsal"),
    ],
)
def test_bad_result_files_get_one_clear_line(tmp_path, state_env, content, message):
    (tmp_path / "bad.json").write_text(content)
    done = run_cli("report", "--from", "bad.json", "--html", "out.html", env=state_env, cwd=tmp_path)
    assert done.returncode == EXIT_USAGE
    line = done.stderr.strip()
    assert line.startswith("tfenvcheck: error: bad.json: ") and message in line and "\n" not in line, line
    assert not (tmp_path / "out.html").exists()


def test_a_missing_result_file_is_named(tmp_path, state_env):
    done = run_cli("report", "--from", "nowhere.json", env=state_env, cwd=tmp_path)
    assert done.returncode == EXIT_USAGE and done.stderr.strip() == "tfenvcheck: error: nowhere.json: no such file"


# A real quick bench of TF 2.21 on this kind of machine (2 cores, no GPU), made with the test
# settings (--samples 320 --steps 5 --max-words 200), kept so the renderer tests need no TensorFlow.
BENCH_RESULT = Path(__file__).parent / "data" / "bench-quick-tf2.21-cpu.json"


def saved_check(tmp_path: Path, env: dict[str, str]) -> Path:
    check = run_cli("check", "--python", str(require_python("3.11")), "--no-tensorflow", "--json", env=env)
    (tmp_path / "check.json").write_text(check.stdout)
    return tmp_path / "check.json"


def test_bench_results_become_charts_and_tables(tmp_path, state_env):
    saved_check(tmp_path, state_env)
    done = run_cli(
        "report",
        "--from",
        "check.json",
        "--from",
        str(BENCH_RESULT),
        "--from",
        str(BENCH_RESULT),
        "--html",
        "r.html",
        "--markdown",
        "r.md",
        env=state_env,
        cwd=tmp_path,
    )
    assert done.returncode == EXIT_FAILURES, done.stderr
    html = (tmp_path / "r.html").read_text()
    bench = json.loads(BENCH_RESULT.read_text())
    verdict = bench["exam"]["cpu"]["verdict"]
    hours = bench["exam"]["cpu"]["projected_exam_hours"]
    # Where the saved bench was made (this machine, or another one where the tests run elsewhere) is
    # tests/test_report_provenance.py's business.
    assert ": {} on the CPU ({:.2f} h of training projected).".format(verdict, hours) in html
    exam_chart = html[html.index('id="exam-chart"') : html.index("</figure>", html.index('id="exam-chart"'))]
    # The chart is matplotlib's SVG with its text kept as text: the budget line and one bar per result.
    assert "<svg" in exam_chart and "5-hour exam" in exam_chart
    assert "1. AMD EPYC: CPU" in exam_chart and "2. AMD EPYC: CPU" in exam_chart
    tutorial_chart = html[html.index('id="tutorial-chart"') :]
    for workload in bench["workloads"]:
        assert "{} {} (CPU)".format(workload["id"], workload["title"]) in tutorial_chart
    markdown = (tmp_path / "r.md").read_text()
    assert "| A0 CNN baseline, 10 epochs | CPU |" in markdown
    assert "- Exam on the CPU: {:.2f} h of training projected: {}.".format(hours, verdict) in markdown


def test_without_matplotlib_the_report_shows_tables_and_says_why(tmp_path, state_env, monkeypatch):
    from tfenvcheck.documents import read_json_file as read_json
    from tfenvcheck.registry.loader import load_registry
    from tfenvcheck.report.document import build_report
    from tfenvcheck.report.html import render_report_html

    document = build_report(read_json(saved_check(tmp_path, state_env)), [], [read_json(BENCH_RESULT)], load_registry())
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # what `import matplotlib` meets when it is absent
    html = render_report_html(document)
    assert "<svg" not in html
    assert "No charts: matplotlib, which draws them, does not import here: reinstall tfenvcheck" in html
    assert "| A0" not in html and "<td>A0 CNN baseline, 10 epochs</td>" in html


def test_fixes_applied_to_the_target_are_in_its_report(tmp_path, state_env):
    from tests.helpers.fix_targets import private_apple_python

    python = private_apple_python(tmp_path / "CommandLineTools")
    fixed = run_cli("fix", "--yes", "--python", str(python), env=state_env)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    done = run_cli(
        "report",
        "--python",
        str(python),
        "--profile",
        "exam-2020-07",
        "--no-tensorflow",
        "--markdown",
        "-",
        env=state_env,
        cwd=tmp_path,
    )
    history = done.stdout[done.stdout.index("#### Fixes applied to this interpreter") :]
    assert "| Run | When | What | Result |" in history, history
    assert "(applied)" in history and "done; breakages: 1 gone" in history, history
