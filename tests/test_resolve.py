"""`check --resolve` without the network: uv's real answers (saved, or replayed by a stand-in uv) turned
into a resolution, the facts a new venv would have, and the findings of "What pip would install today";
and the one line (exit status 3) when uv is missing, hangs, or cannot reach the package registry."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console

from tests.helpers import require_python, run_cli, stand_in_program
from tests.helpers.facts import target_facts
from tfenvcheck import cli
from tfenvcheck.checks.verdict import CheckResult
from tfenvcheck.errors import EXIT_COULD_NOT_CHECK, CouldNotCheck
from tfenvcheck.explain.diagnose import explain_lines
from tfenvcheck.facts.model import Facts
from tfenvcheck.profiles.loader import resolve_profile
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.render.check_json import result_document
from tfenvcheck.render.check_text import render_check
from tfenvcheck.resolve import uv_compile
from tfenvcheck.resolve.judge import resolution_findings, with_resolution
from tfenvcheck.resolve.uv_compile import RegistryUnreachable, Resolution, parse_pins, resolve_requirements

REGISTRY = load_registry()
DATA = Path(__file__).parent / "data" / "resolve"
SCHEMA = json.loads((Path(__file__).parents[1] / "tfenvcheck" / "schemas" / "check-result.schema.json").read_text())
EXAM_2020_07 = ["tensorflow==2.0.0", "tensorflow-datasets", "numpy", "Pillow", "urllib3"]
# uv 0.13.9's words for tensorflow==2.18.0 and a Python 3.13 venv (Python ABI tags), and for a release that does not exist.
NO_CP313_WHEEL = """error: No solution found when resolving dependencies
  cause: Because tensorflow==2.18.0 has no wheels with a matching Python ABI tag (e.g., `cp313`) and you require tensorflow==2.18.0, we can conclude that your requirements are unsatisfiable.

hint: You require CPython 3.13 (`cp313`), but we only found wheels for `tensorflow` (v2.18.0) with the following Python ABI tags: `cp39`, `cp310`, `cp311`, `cp312`"""
NO_SUCH_VERSION = """error: No solution found when resolving dependencies
  cause: Because there is no version of tensorflow==9.9 and you require tensorflow==9.9, we can conclude that your requirements are unsatisfiable."""
# ... and with UV_INDEX_URL=http://127.0.0.1:9/ (nothing listens there).
REFUSED = """error: Failed to fetch: http://127.0.0.1:9/tensorflow/
  cause: error sending request for url (http://127.0.0.1:9/tensorflow/)
  cause: client error (Connect)
  cause: tcp connect error
  cause: Connection refused (os error 111)"""


def bare_venv_facts(version: str) -> Facts:
    """A bare CPython venv on x86-64 Linux (pip 22.0.4 and setuptools 47.1.0 only), probed without TensorFlow."""
    return target_facts(python=version, packages={"pip": "22.0.4", "setuptools": "47.1.0"}, imported=False)


def exam_resolution() -> Resolution:
    pins = parse_pins((DATA / "exam-2020-07-python3.7.txt").read_text())
    return Resolution("/home/ana/exam/bin/python", tuple(EXAM_2020_07), pins=pins, seconds=15.3)


def by_id(findings):
    return {finding.id: finding for finding in findings}


# -- uv's answer ---------------------------------------------------------------------------------------


def test_uvs_pinned_output_is_read_as_names_and_versions():
    pins = exam_resolution().pins
    assert len(pins) == 51
    assert (pins["tensorflow"], pins["protobuf"], pins["h5py"], pins["numpy"]) == ("2.0.0", "4.24.4", "3.8.0", "1.21.6")
    assert pins["pillow"] == "9.5.0"  # normalised names
    assert parse_pins("# a comment\n--index-url https://x\n\nsix==1.17.0 ; python_version >= '3'\n") == {
        "six": "1.17.0"
    }


def uv_replaying(tmp_path: Path, stdout: str, stderr: str, status: int) -> str:
    (tmp_path / "out").write_text(stdout)
    (tmp_path / "err").write_text(stderr)
    body = 'cat "{0}/out"; cat "{0}/err" >&2; exit {1}'.format(tmp_path, status)
    return str(stand_in_program(tmp_path / "uv", body))


def test_a_resolution_is_what_uv_printed(tmp_path):
    uv = uv_replaying(tmp_path, (DATA / "exam-2020-07-python3.7.txt").read_text(), "", 0)
    resolution = resolve_requirements("/home/ana/exam/bin/python", EXAM_2020_07, uv=uv)
    assert resolution.resolved and resolution.pins["protobuf"] == "4.24.4"
    assert resolution.requirements == tuple(EXAM_2020_07)


def test_no_solution_is_a_resolution_with_uvs_explanation(tmp_path):
    uv = uv_replaying(tmp_path, "", NO_CP313_WHEEL, 1)
    resolution = resolve_requirements("/home/ana/exam/bin/python", ["tensorflow==2.18.0"], uv=uv)
    assert not resolution.resolved and resolution.pins == {}
    assert resolution.error == NO_CP313_WHEEL


def test_an_unreachable_registry_is_one_line_naming_the_address(tmp_path):
    uv = uv_replaying(tmp_path, "", REFUSED, 2)
    with pytest.raises(RegistryUnreachable) as raised:
        resolve_requirements("/home/ana/exam/bin/python", ["tensorflow==2.18.0"], uv=uv)
    assert str(raised.value) == (
        "--resolve: the package registry cannot be reached (http://127.0.0.1:9/tensorflow/: "
        "Connection refused (os error 111)); check works offline without --resolve"
    )
    assert raised.value.exit_code == EXIT_COULD_NOT_CHECK


def test_a_message_uv_wrapped_reads_as_one_line(tmp_path):
    """What uv 0.13.9 printed for Python 2.7 with COLUMNS=80 (unset for uv, but a stray wrap must not cut it)."""
    wrapped = """error: Failed to inspect Python interpreter from provided path at
       `/root/.pyenv/versions/2.7.18/bin/python`
  cause: Can't use Python at `/root/.pyenv/versions/2.7.18/bin/python`
  cause: Python executable does not support `-I` flag. Please use Python 3.6
         or newer."""
    uv = uv_replaying(tmp_path, "", wrapped, 2)
    with pytest.raises(CouldNotCheck) as raised:
        resolve_requirements("/root/.pyenv/versions/2.7.18/bin/python", ["numpy"], uv=uv)
    assert str(raised.value) == (
        "--resolve: uv could not resolve for /root/.pyenv/versions/2.7.18/bin/python: "
        "Python executable does not support `-I` flag. Please use Python 3.6 or newer."
    )


def test_uv_offline_without_the_packages_cached_is_no_registry_either(tmp_path):
    """What uv 0.13.9 says with UV_OFFLINE=1 and an empty cache: a "no solution" that is none."""
    offline = """error: No solution found when resolving dependencies
  cause: Because tensorflow was not found in the cache and you require tensorflow==2.17.1, we can conclude that your requirements are unsatisfiable.

hint: Packages were unavailable because the network was disabled. When the network is disabled, registry packages may only be read from the cache."""
    uv = uv_replaying(tmp_path, "", offline, 1)
    with pytest.raises(RegistryUnreachable, match=r"^--resolve: uv's network access is disabled"):
        resolve_requirements("/home/ana/exam/bin/python", ["tensorflow==2.17.1"], uv=uv)


def test_a_uv_that_hangs_is_stopped_at_the_timeout(tmp_path):
    uv = str(stand_in_program(tmp_path / "uv", "sleep 30"))
    with pytest.raises(CouldNotCheck, match=r"^--resolve: uv did not finish resolving within 0.5 s$"):
        resolve_requirements("/home/ana/exam/bin/python", ["numpy"], timeout=0.5, uv=uv)


def test_a_uv_that_cannot_run_is_one_line(tmp_path):
    uv = str(stand_in_program(tmp_path / "uv", "exit 0", executable=False))
    with pytest.raises(CouldNotCheck, match=r"^--resolve: cannot run uv \(.*/uv\): Permission denied$"):
        resolve_requirements("/home/ana/exam/bin/python", ["numpy"], uv=uv)


def test_check_resolve_without_uv_says_so_in_one_line(monkeypatch, capsys):
    monkeypatch.setattr(uv_compile, "find_uv", lambda: None)
    python = str(require_python("3.13"))
    assert cli.main(["check", "--resolve", "--no-tensorflow", "--python", python]) == EXIT_COULD_NOT_CHECK
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines()[-1] == (
        "tfenvcheck: error: --resolve needs uv, which is not installed (pip install uv)"
    )


def test_check_resolve_with_an_unreachable_index_is_one_line_and_exit_3(tmp_path):
    """The real uv against an index address nothing listens on: no network needed."""
    python = require_python("3.13")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("tensorflow==2.18.0\n")
    env = dict(os.environ, UV_INDEX_URL="http://127.0.0.1:9/", UV_HTTP_RETRIES="0", UV_NO_CACHE="1")
    done = run_cli("check", "--resolve", "--requirements", str(requirements), "--python", str(python), env=env)
    assert done.returncode == EXIT_COULD_NOT_CHECK
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1] == (
        "tfenvcheck: error: --resolve: the package registry cannot be reached "
        "(http://127.0.0.1:9/tensorflow/: Connection refused (os error 111)); check works offline without --resolve"
    )


def test_check_resolve_for_a_python_uv_cannot_use_is_one_line():
    python = require_python("2.7")
    done = run_cli("check", "--resolve", "--no-tensorflow", "--python", str(python))
    assert done.returncode == EXIT_COULD_NOT_CHECK
    assert done.stderr.splitlines()[-1] == (
        "tfenvcheck: error: --resolve: uv could not resolve for {}: Python executable does not support "
        "`-I` flag. Please use Python 3.6 or newer.".format(python)
    )


# -- judged against the registry ------------------------------------------------------------------------


def test_tensorflow_2_0_as_resolved_today_fires_the_protobuf_h5py_and_numpy_entries():
    findings = resolution_findings(exam_resolution(), bare_venv_facts("3.7.16"), ["tensorflow", "numpy"], REGISTRY)
    assert [f.id for f in findings] == [
        "resolve.resolved",
        "resolve.h5py3-str-decode",
        "resolve.numpy120-symbolic-lstm",
        "resolve.pil-scipy-missing",
        "resolve.protobuf4-descriptors",
    ]
    found = by_id(findings)
    assert found["resolve.resolved"].status == "ok"
    assert found["resolve.resolved"].title == (
        "pip would install today: tensorflow 2.0.0, numpy 1.21.6, h5py 3.8.0, protobuf 4.24.4 "
        "(51 distributions for Python 3.7.16)"
    )
    protobuf = found["resolve.protobuf4-descriptors"]
    assert protobuf.status == "fail"
    assert protobuf.title == (
        "protobuf 4 breaks TensorFlow releases built with older generated code (in what pip would install today)"
    )
    assert protobuf.seen == "TensorFlow 2.0.0; protobuf 4.24.4; PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION not set"
    assert protobuf.hint == (
        "you would see: TypeError: Descriptors cannot not be created directly. "
        "Fix before installing: require protobuf==3.20.3 beside the others"
    )
    assert found["resolve.h5py3-str-decode"].seen == "TensorFlow 2.0.0; h5py 3.8.0"
    assert found["resolve.numpy120-symbolic-lstm"].hint.endswith(
        "Fix before installing: require numpy==1.19.5 beside the others"
    )


def test_the_pins_of_the_fixes_resolve_to_no_breakage():
    pins = dict(exam_resolution().pins, protobuf="3.20.3", h5py="2.10.0", numpy="1.19.5", scipy="1.7.3")
    resolution = Resolution("/home/ana/exam/bin/python", tuple(EXAM_2020_07), pins=pins)
    findings = resolution_findings(resolution, bare_venv_facts("3.7.16"), ["tensorflow"], REGISTRY)
    assert [(f.id, f.status) for f in findings] == [("resolve.resolved", "ok"), ("resolve.breakages", "ok")]
    assert findings[1].title == "Known breakages: none of {} apply to what pip would install today".format(
        len(REGISTRY)
    )


def test_requirements_without_tensorflow_that_resolve_on_313_are_no_sign_of_the_no_wheel_entry():
    """The entry is a failed install's (TensorFlow missing on 3.13): a resolution that succeeded rules it out."""
    resolution = Resolution("/home/ana/exam/bin/python", ("numpy",), pins={"numpy": "2.3.5"})
    findings = resolution_findings(resolution, bare_venv_facts("3.13.0"), ["numpy"], REGISTRY)
    assert [(f.id, f.status) for f in findings] == [("resolve.resolved", "ok"), ("resolve.breakages", "ok")]
    assert findings[0].title == "pip would install today: numpy 2.3.5 (1 distribution for Python 3.13.0)"
    empty = Resolution("/home/ana/exam/bin/python", ())
    [summary, _] = resolution_findings(empty, bare_venv_facts("3.13.0"), [], REGISTRY)
    assert summary.title == "pip would install today: nothing the profile names (0 distributions for Python 3.13.0)"


def test_no_cp313_wheel_of_tensorflow_2_18_is_the_no_wheel_entry():
    resolution = Resolution("/home/ana/exam/bin/python", ("tensorflow==2.18.0",), error=NO_CP313_WHEEL)
    [finding] = resolution_findings(resolution, bare_venv_facts("3.13.0"), ["tensorflow"], REGISTRY)
    assert finding.id == "resolve.no-wheel-for-python"
    assert finding.status == "fail"
    assert finding.title == (
        "pip would install nothing today: No TensorFlow wheel for this Python: 3.13 needs TensorFlow 2.20 or newer"
    )
    assert finding.seen == (
        "uv: Because tensorflow==2.18.0 has no wheels with a matching Python ABI tag (e.g., `cp313`) and you "
        "require tensorflow==2.18.0, we can conclude that your requirements are unsatisfiable. You require "
        "CPython 3.13 (`cp313`), but we only found wheels for `tensorflow` (v2.18.0) with the following Python "
        "ABI tags: `cp39`, `cp310`, `cp311`, `cp312` Here: tensorflow not installed; Python 3.13.0"
    )
    assert finding.hint == (
        "Fix before installing: Require tensorflow>=2.20 on Python 3.13, or make the venv from a Python the "
        "release supports (3.9-3.12 for TensorFlow 2.16-2.19)."
    )


RANGE_WITHOUT_CP313 = """error: No solution found when resolving dependencies
  cause: Because tensorflow>=2.0.0,<=2.19.1 has no wheels with a matching Python ABI tag (e.g., `cp313`) and only the following versions of tensorflow are available:
             tensorflow<=2.19.1
             tensorflow>=2.20
         we can conclude that tensorflow>=2.0.0,<2.20 cannot be used.
         And because you require tensorflow>=2,<2.20, we can conclude that your requirements are unsatisfiable.

hint: You require CPython 3.13 (`cp313`), but we only found wheels for `tensorflow` (v2.19.1) with the following Python ABI tags: `cp39`, `cp310`, `cp311`, `cp312`"""


@pytest.mark.parametrize("text", [NO_CP313_WHEEL, RANGE_WITHOUT_CP313], ids=["pinned", "range"])
def test_explain_names_the_no_wheel_entry_for_uvs_text_as_printed(text):
    """uv's report pasted into `tfenvcheck explain` (line by line, as printed) names the entry first."""
    facts = bare_venv_facts("3.13.0")
    explanation = explain_lines(text.splitlines(), REGISTRY, lambda entries: facts)
    assert explanation.matches[0].breakage.id == "no-wheel-for-python"
    assert explanation.matches[0].applies is True


def test_the_no_wheel_entry_needs_a_python_too_new_for_the_release():
    """Installed in a 3.12 venv (which has cp312 wheels) the same text is no sign of it: a plain failure."""
    resolution = Resolution("/home/ana/exam/bin/python", ("tensorflow==2.18.0",), error=NO_CP313_WHEEL)
    [finding] = resolution_findings(resolution, bare_venv_facts("3.12.1"), ["tensorflow"], REGISTRY)
    assert (finding.id, finding.status) == ("resolve.unsatisfiable", "fail")


def test_a_release_that_does_not_exist_is_unsatisfiable_with_uvs_reason():
    resolution = Resolution("/home/ana/exam/bin/python", ("tensorflow==9.9",), error=NO_SUCH_VERSION)
    [finding] = resolution_findings(resolution, bare_venv_facts("3.13.0"), ["tensorflow"], REGISTRY)
    assert (finding.id, finding.status) == ("resolve.unsatisfiable", "fail")
    assert finding.title == "pip would install nothing today: the requirements cannot be resolved"
    assert finding.seen == (
        "uv: Because there is no version of tensorflow==9.9 and you require tensorflow==9.9, "
        "we can conclude that your requirements are unsatisfiable."
    )


# -- in the check result ----------------------------------------------------------------------------------


def exam_result() -> CheckResult:
    result = CheckResult(resolve_profile("exam-2020-07"), [], bare_venv_facts("3.7.16"))
    return with_resolution(result, exam_resolution(), REGISTRY)


def test_the_section_counts_in_the_verdict():
    result = exam_result()
    assert (result.verdict, result.exit_code) == ("not-ready", 1)
    assert result.counts["fail"] == 3


def test_the_terminal_view_has_a_what_pip_would_install_today_section():
    out = io.StringIO()
    render_check(exam_result(), Console(file=out, width=200, color_system=None))
    lines = out.getvalue().splitlines()
    heading = lines.index("What pip would install today")
    assert lines[heading + 1] == (
        "[✓] pip would install today: tensorflow 2.0.0, tensorflow-datasets 4.8.2, numpy 1.21.6, pillow 9.5.0, "
        "urllib3 2.0.7, h5py 3.8.0, protobuf 4.24.4 (51 distributions for Python 3.7.16)"
    )
    assert (
        "[✗] protobuf 4 breaks TensorFlow releases built with older generated code (in what pip would install today)"
        in lines
    )


def test_the_json_document_has_a_resolve_section_and_validates():
    document = json.loads(json.dumps(result_document(exam_result())))
    jsonschema.validate(document, SCHEMA)
    assert document["resolve"]["resolved"] is True
    assert document["resolve"]["pins"]["protobuf"] == "4.24.4"
    assert document["resolve"]["requirements"] == EXAM_2020_07
    assert "resolve.protobuf4-descriptors" in [f["id"] for f in document["findings"]]
    # A document of before --resolve (without the section) still validates.
    del document["resolve"]
    jsonschema.validate(document, SCHEMA)
