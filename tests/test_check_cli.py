"""`tfenvcheck check` end to end: the real CLI against real interpreters and real TensorFlow venvs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import cached_venv, require_python, run_cli
from tfenvcheck.errors import EXIT_FAILURES, EXIT_OK

SCHEMA = json.loads((Path(__file__).parents[1] / "tfenvcheck" / "schemas" / "check-result.schema.json").read_text())
# The whole mid-2021 stack (the seed's "TF 2.5 & Python 3.8"), so that every package check can pass.
MID_2021_STACK = (
    "3.8",
    [
        "tensorflow==2.5.0",
        "tensorflow-datasets==4.3.0",
        "numpy==1.19.5",
        "pandas==1.2.4",
        "Pillow==8.2.0",
        "scipy==1.6.3",
    ],
)


@pytest.fixture(scope="session")
def mid_2021_python() -> Path:
    return cached_venv(*MID_2021_STACK)


def check_json(*args: str) -> tuple[int, dict]:
    done = run_cli("check", "--json", *args)
    document = json.loads(done.stdout)  # nothing but JSON on stdout
    jsonschema.validate(document, SCHEMA)
    return done.returncode, document


def by_id(document: dict) -> dict[str, dict]:
    return {finding["id"]: finding for finding in document["findings"]}


@pytest.mark.slow
def test_tf_2_5_venv_passes_the_mid_2021_package_checks(mid_2021_python):
    code, document = check_json("--python", str(mid_2021_python), "--profile", "exam-2021-mid")
    findings = by_id(document)
    packages = {k: v for k, v in findings.items() if k.startswith(("package.", "import."))}
    assert len(packages) == 11 and all(f["status"] == "ok" for f in packages.values()), packages
    assert findings["tensorflow.import"]["status"] == "ok" and findings["pip.check"]["status"] == "ok"
    assert findings["python.version"]["status"] == "ok"
    # The only warnings are about the GPU: none here (no NVIDIA driver), or one this pip-installed
    # TensorFlow 2.5 cannot use (its CUDA 11.2 libraries are not in the venv); and PyCharm, which the
    # guide asks for and which test machines do not have installed.
    expected_warnings = {"gpu", "pycharm.installed"}
    if shutil.which("nvidia-smi") is not None:
        expected_warnings.add("breakage.cuda-mismatch")
    assert {k for k, f in findings.items() if f["status"] == "warn"} == expected_warnings
    assert {k for k, f in findings.items() if f["status"] in ("fail", "error")} == set()
    assert document["verdict"] == "ready-with-warnings" and code == EXIT_OK
    strict = run_cli("check", "--python", str(mid_2021_python), "--profile", "exam-2021-mid", "--fail-on", "warn")
    assert strict.returncode == EXIT_FAILURES
    assert strict.stdout.splitlines()[-1].startswith("NOT READY for exam-2021-mid")


@pytest.mark.slow
def test_tf_2_5_venv_fails_the_2021_12_profile_on_the_tensorflow_version(tf_2_5_python):
    done = run_cli("check", "--python", str(tf_2_5_python), "--profile", "exam-2021-12")
    assert done.returncode == EXIT_FAILURES
    line = next(line for line in done.stdout.splitlines() if "tensorflow 2.5.0 installed" in line)
    assert line.startswith("[✗]") and "==2.7.0 required" in line
    assert "expected: tensorflow==2.7.0" in done.stdout and "seen:     tensorflow 2.5.0" in done.stdout
    assert "NOT READY for exam-2021-12" in done.stdout.splitlines()[-1]
    code, document = check_json("--python", str(tf_2_5_python), "--profile", "exam-2021-12")
    finding = by_id(document)["package.tensorflow"]
    assert (finding["status"], finding["seen"], finding["expected"]) == (
        "fail",
        "tensorflow 2.5.0",
        "tensorflow==2.7.0",
    )
    assert (
        document["profile"]["name"] == "exam-2021-12" and document["verdict"] == "not-ready" and code == EXIT_FAILURES
    )


def test_default_profile_on_a_plain_python_names_every_missing_piece():
    python = require_python("3.11")
    done = run_cli("check", "--python", str(python), timeout=300)
    assert done.returncode == EXIT_FAILURES, done.stderr
    # The default profile is the newest confirmed guide's (2022-07-12): Python 3.8 and its six pins.
    assert "Profile: exam-2022-07" in done.stdout
    assert done.stdout.splitlines()[-1].startswith("NOT READY for exam-2022-07")
    assert "[✗] Python 3.11" in done.stdout and "expected: Python <3.9,>=3.8" in done.stdout
    expected = [line.split("expected: ", 1)[1].strip() for line in done.stdout.splitlines() if "expected: " in line]
    for requirement in (
        "tensorflow==2.9.0",
        "tensorflow-datasets==4.6.0",
        "Pillow==9.1.1",
        "pandas==1.4.2",
        "numpy==1.22.4",
        "scipy==1.7.3",
    ):
        assert requirement in expected
    assert "[✗] TensorFlow is not installed" in done.stdout
    _code, document = check_json("--python", str(python))
    failed = {f["id"] for f in document["findings"] if f["status"] == "fail"}
    assert {
        "python.version",
        "package.tensorflow",
        "package.tensorflow-datasets",
        "package.pillow",
        "package.pandas",
        "package.scipy",
        "tensorflow.import",
        "import.PIL",
    } <= failed


def test_a_custom_profile_file_drives_a_check(tmp_path):
    python = require_python("3.11")
    profile = tmp_path / "course.toml"
    profile.write_text(
        'name = "course"\ntitle = "A course"\ndescription = "d"\nsource = "s"\npython = ">=3.10"\n'
        'requires = ["pip>=1"]\nimportable = ["json"]\n'
    )
    code, document = check_json("--python", str(python), "--profile", str(profile))
    findings = by_id(document)
    assert document["profile"]["name"] == "course" and document["profile"]["path"] == str(profile)
    assert findings["python.version"]["status"] == "ok" and findings["package.pip"]["status"] == "ok"
    assert findings["import.json"]["status"] == "ok" and findings["tensorflow.import"]["status"] == "skipped"
    assert code == EXIT_OK


def test_a_requirements_file_drives_a_check_with_the_targets_markers(tmp_path):
    python = require_python("3.11")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text('pip>=1\nnumpy==1.19.5 ; python_version < "3.9"\nscipy==1.6.3 ; python_version >= "3.9"\n')
    code, document = check_json("--python", str(python), "--requirements", str(requirements), "--no-tensorflow")
    findings = by_id(document)
    assert document["profile"]["name"] == "requirements.txt"
    assert findings["package.pip"]["status"] == "ok"
    # tfenvcheck's own Python is not what the markers are evaluated against: the target's 3.11 is.
    assert findings["package.numpy"]["status"] == "skipped"
    assert findings["package.scipy"]["status"] == "fail" and findings["package.scipy"]["expected"].endswith(
        "requirements.txt:3)"
    )
    assert code == EXIT_FAILURES


def test_no_tensorflow_skips_the_tensorflow_findings():
    python = require_python("3.11")
    _code, document = check_json("--python", str(python), "--no-tensorflow")
    findings = by_id(document)
    assert findings["tensorflow.import"]["status"] == "skipped" and findings["import.PIL"]["status"] == "skipped"
    assert document["facts"]["tensorflow"]["probed"] is False


def test_markdown_is_redacted_unless_asked_not_to_be(tmp_path):
    python = require_python("3.11")
    home = str(Path.home())
    done = run_cli("check", "--python", str(python), "--markdown", "--no-tensorflow", timeout=300)
    assert done.stdout.startswith("### tfenvcheck: NOT READY for `exam-2022-07`")
    assert "| ❌ fail | tensorflow is missing | not installed | tensorflow==2.9.0 |" in done.stdout
    assert home not in done.stdout and "`~/" in done.stdout
    raw = run_cli("check", "--python", str(python), "--markdown", "--no-redact", "--no-tensorflow", timeout=300)
    assert home in raw.stdout
    both = run_cli("check", "--python", str(python), "--markdown", "--json")
    assert both.returncode == 2 and both.stdout == ""
