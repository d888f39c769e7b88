"""The report says where each saved document came from, and warns when a bench was made on another machine."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import REPO, require_python, run_cli
from tfenvcheck.errors import EXIT_FAILURES
from tfenvcheck.report.provenance import same_machine

# A real full bench of the development machine (TF 2.21, Python 3.11.7, 2026-12-01T19:30:18+00:00).
DEV_BENCH = REPO / "docs" / "bench-dev-machine.json"
# The host of a machine that is not this one: a cloud VM with a T4.
OTHER_HOST = {
    "cpu": "Intel(R) Xeon(R) CPU @ 2.20GHz",
    "machine": "x86_64",
    "physical_cores": 4,
    "logical_cores": 8,
    "cpu_flags": ["avx", "avx2", "avx512f", "fma", "sse4_2"],
    "memory_bytes": 54_757_027_840,
    "os": {"system": "Linux", "release": "6.1.85+", "version": "#1 SMP", "distribution": "Ubuntu 22.04.4 LTS"},
    "gpus": ["Tesla T4"],
}


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return dict(os.environ, TFENVCHECK_STATE_DIR=str(tmp_path / "state"))


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> str:
    """A real check of a plain Python, run once for the module."""
    env = dict(os.environ, TFENVCHECK_STATE_DIR=str(tmp_path_factory.mktemp("state")))
    return run_cli("check", "--python", str(require_python("3.11")), "--no-tensorflow", "--json", env=env).stdout


@pytest.fixture
def saved_check(tmp_path, checked) -> Path:
    (tmp_path / "check.json").write_text(checked)
    return tmp_path / "check.json"


def bench_with_host(tmp_path: Path, name: str, host: dict) -> Path:
    document = json.loads(DEV_BENCH.read_text())
    document["fingerprint"]["host"] = host
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def this_machine(check: Path) -> dict:
    """This machine's host as a bench records it, from the facts of a real check run here."""
    host = json.loads(check.read_text())["facts"]["host"]
    return {
        "cpu": host["cpu"]["brand"],
        "machine": host["cpu"]["machine"],
        "physical_cores": host["cpu"]["physical_cores"],
        "logical_cores": host["cpu"]["logical_cores"],
        "memory_bytes": host["memory"]["total_bytes"],
        "gpus": [gpu["name"] for gpu in host["nvidia"]["gpus"]],
    }


def test_a_bench_from_another_machine_is_named_and_warned_about(tmp_path, env, saved_check):
    other = bench_with_host(tmp_path, "colab-bench.json", OTHER_HOST)
    done = run_cli(
        "report", "--from", "check.json", "--from", str(other), "--html", "r.html", "--markdown", "r.md", "--no-redact",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == EXIT_FAILURES, done.stderr
    html = (tmp_path / "r.html").read_text()
    assert "Training on this machine" not in html and "Training time on this machine" not in html
    assert "Training on another machine (Intel(R) Xeon(R) CPU @ 2.20GHz): " in html
    assert (
        '<p class="note elsewhere">⚠ This bench result was made on another machine (Intel(R) Xeon(R) CPU @ 2.20GHz, '
        "4 cores / 8 threads, 51.0 GiB, Tesla T4), not the one this report is about: its figures are that "
        "machine&#39;s.</p>"
    ) in html
    assert (
        "Bench result read from {}: made 2026-12-01T19:30:18+00:00 by tfenvcheck 0.1.0; for Python 3.11.7 "
        "(/root/.cache/tfenvcheck-tests/venvs/py3.11-acb519d99b8f/bin/python), TensorFlow 2.21.0; on Intel(R) Xeon(R) "
        "CPU @ 2.20GHz, 4 cores / 8 threads, 51.0 GiB, Tesla T4.".format(other)
    ) in html
    assert "Check result read from {}: made ".format(saved_check) in html
    markdown = (tmp_path / "r.md").read_text()
    assert "> ⚠️ **This bench result was made on another machine (Intel(R) Xeon(R) CPU @ 2.20GHz, " in markdown
    assert "#### Training time on another machine (Intel(R) Xeon(R) CPU @ 2.20GHz)" in markdown


def test_a_bench_from_this_machine_is_headed_so_and_its_file_kept_in_the_saved_report(tmp_path, env, saved_check):
    here = bench_with_host(tmp_path, "bench.json", this_machine(saved_check))
    other = bench_with_host(tmp_path, "colab-bench.json", OTHER_HOST)
    done = run_cli(
        "report", "--from", "check.json", "--from", "bench.json", "--html", "live.html", "--json", "report.json", "--no-redact",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == EXIT_FAILURES, done.stderr
    html = (tmp_path / "live.html").read_text()
    assert "Training on this machine: " in html and "<h2>Training time on this machine</h2>" in html
    assert "another machine" not in html and 'class="note elsewhere"' not in html
    assert "Bench result read from {}: made 2026-12-01T19:30:18+00:00".format(here) in html
    saved = json.loads((tmp_path / "report.json").read_text())
    assert saved["read_from"] == {"check": str(saved_check), "bench": [str(here)]}

    # Re-rendered, the saved report is the same page; a bench added to it keeps its own provenance.
    again = run_cli("report", "--from", "report.json", "--html", "again.html", "--no-redact", env=env, cwd=tmp_path)
    assert again.returncode == EXIT_FAILURES, again.stderr
    assert (tmp_path / "again.html").read_bytes() == (tmp_path / "live.html").read_bytes()
    added = run_cli(
        "report",
        "--from",
        "report.json",
        "--from",
        str(other),
        "--html",
        "added.html",
        "--no-redact",
        env=env,
        cwd=tmp_path,
    )
    assert added.returncode == EXIT_FAILURES, added.stderr
    html = (tmp_path / "added.html").read_text()
    assert "Training on this machine: " in html  # the first result still leads
    assert (
        "Bench result read from {}: made".format(here) in html
        and "Bench result read from {}: made".format(other) in html
    )
    assert html.count('class="note elsewhere"') == 1


def test_a_report_saved_before_provenance_renders_without_it(tmp_path, env, saved_check):
    done = run_cli(
        "report", "--from", "check.json", "--from", str(DEV_BENCH), "--json", "report.json", env=env, cwd=tmp_path
    )
    assert done.returncode == EXIT_FAILURES, done.stderr
    document = json.loads((tmp_path / "report.json").read_text())
    del document["read_from"]
    (tmp_path / "old.json").write_text(json.dumps(document))
    again = run_cli("report", "--from", "old.json", "--markdown", "-", env=env, cwd=tmp_path)
    assert again.returncode == EXIT_FAILURES, again.stderr
    assert "Bench result: made 2026-12-01T19:30:18+00:00 by tfenvcheck 0.1.0; for Python 3.11.7" in again.stdout


# A real full rehearsal of the exam-2022-07 stack on the development machine (2026-12-02T04:12:54+00:00).
DEV_REHEARSAL = REPO / "docs" / "rehearsal-exam-2022-07.json"


def test_a_rehearsal_from_another_machine_is_named_and_warned_about_and_kept_in_the_saved_report(
    tmp_path, env, saved_check
):
    document = json.loads(DEV_REHEARSAL.read_text())
    document["fingerprint"]["host"] = OTHER_HOST
    (tmp_path / "colab-rehearsal.json").write_text(json.dumps(document))
    other = tmp_path / "colab-rehearsal.json"
    done = run_cli(
        "report", "--from", "check.json", "--from", str(other), "--html", "r.html", "--markdown", "r.md",
        "--json", "report.json", "--no-redact", env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == EXIT_FAILURES, done.stderr
    html = (tmp_path / "r.html").read_text()
    assert (
        '<p class="note elsewhere">⚠ This rehearsal was made on another machine (Intel(R) Xeon(R) CPU @ 2.20GHz, '
        "4 cores / 8 threads, 51.0 GiB, Tesla T4), not the one this report is about"
    ) in html
    assert (
        "Rehearsal read from {}: made 2026-12-02T04:12:54+00:00 by tfenvcheck 0.1.0; for Python 3.8.18".format(other)
        in html
    )
    assert "5 of 5 questions passed in" in html and "on another machine (Intel(R) Xeon(R) CPU @ 2.20GHz)." in html
    markdown = (tmp_path / "r.md").read_text()
    assert "> ⚠️ **This rehearsal was made on another machine (Intel(R) Xeon(R) CPU @ 2.20GHz, " in markdown
    saved = json.loads((tmp_path / "report.json").read_text())
    assert saved["read_from"]["rehearsal"] == [str(other)]


def test_a_rehearsal_from_this_machine_is_not_warned_about(tmp_path, env, saved_check):
    document = json.loads(DEV_REHEARSAL.read_text())
    document["fingerprint"]["host"] = this_machine(saved_check)
    (tmp_path / "rehearsal.json").write_text(json.dumps(document))
    done = run_cli(
        "report", "--from", "check.json", "--from", "rehearsal.json", "--html", "r.html", "--no-redact",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == EXIT_FAILURES, done.stderr
    html = (tmp_path / "r.html").read_text()
    assert 'class="note elsewhere"' not in html
    assert "5 of 5 questions passed in" in html and "on this machine." in html


DEV_MACHINE = {"cpu": "AMD EPYC", "machine": "x86_64", "physical_cores": 2, "logical_cores": 2, "gpus": []}


@pytest.mark.parametrize(
    "saved, same",
    [
        # The development machine's own bench files, two boots apart: memory and CPU flags moved.
        (dict(DEV_MACHINE, memory_bytes=25_276_510_208, cpu_flags=["avx", "avx2", "avx512f"]), True),
        (dict(DEV_MACHINE, memory_bytes=None), True),
        (dict(DEV_MACHINE, memory_bytes=16_777_216_000), False),
        (dict(DEV_MACHINE, cpu="Apple M2"), False),
        (dict(DEV_MACHINE, logical_cores=4), False),
        (dict(DEV_MACHINE, gpus=["NVIDIA GeForce RTX 3060"]), False),
    ],
)
def test_same_machine_compares_what_tells_machines_apart(saved, same):
    here = dict(DEV_MACHINE, memory_bytes=25_275_990_016, cpu_flags=["avx", "avx2"])
    assert same_machine(saved, here) is same
