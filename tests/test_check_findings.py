"""Each check on facts records from real probes: a plain pyenv Python (fast) and the real TF 2.5.0
venv (slow), each varied in the one fact the test is about."""

from __future__ import annotations

import copy
from dataclasses import replace

import pytest
from packaging.requirements import Requirement

from tests.helpers import require_python
from tfenvcheck.checks.cpu import check_cpu_flags
from tfenvcheck.checks.distributions import check_tensorflow_distributions
from tfenvcheck.checks.finding import ERROR, FAIL, OK, SKIPPED, WARN, Finding
from tfenvcheck.checks.gpu import check_gpu
from tfenvcheck.checks.imports import check_imports
from tfenvcheck.checks.origin import check_origin
from tfenvcheck.checks.packages import check_packages
from tfenvcheck.checks.pip_check import check_pip_check
from tfenvcheck.checks.python import check_python_bits, check_python_version
from tfenvcheck.checks.registry import run_checks
from tfenvcheck.checks.resources import check_disk, check_memory
from tfenvcheck.checks.target_environment import marker_environment
from tfenvcheck.checks.tensorflow import check_keras, check_tensorflow_import
from tfenvcheck.checks.verdict import CheckResult, judge
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.facts.model import Facts, to_dict
from tfenvcheck.profiles.loader import resolve_profile
from tfenvcheck.target import Target

EXAM_2021_12 = resolve_profile("exam-2021-12")
EXAM_2021_MID = resolve_profile("exam-2021-mid")


@pytest.fixture(scope="session")
def plain_facts() -> Facts:
    """A real pyenv Python 3.11 with no TensorFlow, probed as `check` probes."""
    python = require_python("3.11")
    return gather_facts(Target(str(python), "test"), with_pip_check=True, import_modules=["json", "PIL"])


@pytest.fixture(scope="session")
def tf25_facts(tf_2_5_python) -> Facts:
    return gather_facts(Target(str(tf_2_5_python), "test"), with_pip_check=True, import_modules=["numpy"])


def facts_with(facts: Facts, **changes) -> Facts:
    """A copy of `facts` with dotted paths of its JSON form set: facts_with(f, **{"interpreter.bits": 32})."""
    changed = facts.to_dict()
    for dotted, value in changes.items():
        node = changed
        *parents, last = dotted.split(".")
        for key in parents:
            node = node[key]
        node[last] = value
    return Facts.from_dict(changed)


def with_packages(facts: Facts, packages: dict[str, str]) -> Facts:
    """A copy of `facts` whose target has exactly these distributions installed."""
    installed = {name: {"version": version, "location": "/site-packages"} for name, version in packages.items()}
    return facts_with(facts, **{"interpreter.distributions": installed})


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def test_python_version_outside_the_profile_fails_and_names_both(plain_facts):
    finding = only(check_python_version(plain_facts, EXAM_2021_12))
    assert finding.status == FAIL and finding.fix_id == "python-unsupported"
    assert plain_facts.interpreter.version in finding.seen and finding.expected == "Python <3.9,>=3.8"
    inside = facts_with(plain_facts, **{"interpreter.version": "3.8.18"})
    assert only(check_python_version(inside, EXAM_2021_12)).status == OK


def test_python_bits_and_implementation(plain_facts):
    assert only(check_python_bits(plain_facts, EXAM_2021_12)).status == OK
    finding = only(check_python_bits(facts_with(plain_facts, **{"interpreter.bits": 32}), EXAM_2021_12))
    assert finding.status == FAIL and finding.seen == "32-bit" and finding.expected == "64-bit"
    pypy = check_python_bits(facts_with(plain_facts, **{"interpreter.implementation": "PyPy"}), EXAM_2021_12)
    assert [f.status for f in pypy] == [OK, WARN]


@pytest.mark.parametrize(
    "origin, fix_id",
    [("conda", None), ("apple-command-line-tools", "apple-clt-linecache"), ("xcode", "apple-clt-linecache")],
)
def test_refused_origins_fail(plain_facts, origin, fix_id):
    assert only(check_origin(plain_facts, EXAM_2021_12)).status == OK  # pyenv
    finding = only(check_origin(facts_with(plain_facts, **{"interpreter.origin": origin}), EXAM_2021_12))
    assert finding.status == FAIL and origin in finding.title and finding.fix_id == fix_id and finding.hint


def test_packages_missing_wrong_version_and_marker_skipped(plain_facts):
    facts = with_packages(plain_facts, dict(plain_facts.packages, numpy="1.19.5", pillow="8.4.0"))
    profile = replace(
        EXAM_2021_12, requires=(*EXAM_2021_12.requires, Requirement('pywin32==306; sys_platform == "win32"'))
    )
    by_id = {f.id: f for f in check_packages(facts, profile)}
    assert by_id["package.tensorflow"].status == FAIL and by_id["package.tensorflow"].seen == "not installed"
    assert by_id["package.numpy"].status == FAIL
    assert by_id["package.numpy"].seen == "numpy 1.19.5" and by_id["package.numpy"].expected == "numpy==1.21.4"
    assert by_id["package.pillow"].status == OK
    # The marker is evaluated for the target (Linux here), not for tfenvcheck's own interpreter.
    assert by_id["package.pywin32"].status == SKIPPED
    windows = facts_with(facts, **{"interpreter.sys_platform": "win32"})
    assert {f.id: f for f in check_packages(windows, profile)}["package.pywin32"].status == FAIL


def test_marker_environment_is_the_targets(plain_facts):
    env = marker_environment(
        facts_with(
            plain_facts, **{"interpreter.version": "3.8.0", "interpreter.version_info": [3, 8, 0, "candidate", 1]}
        )
    )
    assert env["python_version"] == "3.8" and env["python_full_version"] == "3.8.0rc1"
    assert Requirement('x; python_version < "3.9"').marker.evaluate(env)


def test_another_tensorflow_distribution_at_the_right_version_is_a_warning(plain_facts):
    facts = with_packages(plain_facts, {"tensorflow-cpu": "2.7.0"})
    finding = {f.id: f for f in check_packages(facts, EXAM_2021_12)}["package.tensorflow"]
    assert finding.status == WARN and finding.seen == "tensorflow-cpu 2.7.0"


def test_several_tensorflow_distributions_fail_but_platform_parts_do_not(plain_facts):
    assert only(check_tensorflow_distributions(plain_facts, EXAM_2021_12)).status == SKIPPED
    several = with_packages(plain_facts, {"tensorflow": "2.7.0", "tensorflow-gpu": "2.5.0", "numpy": "1.21.4"})
    finding = only(check_tensorflow_distributions(several, EXAM_2021_12))
    assert finding.status == FAIL and finding.fix_id == "several-tf-dists" and "tensorflow-gpu 2.5.0" in finding.seen
    windows = with_packages(plain_facts, {"tensorflow": "2.13.0", "tensorflow-intel": "2.13.0"})
    assert only(check_tensorflow_distributions(windows, EXAM_2021_12)).status == OK


def test_pip_check(plain_facts):
    assert plain_facts.pip_check.probed and only(check_pip_check(plain_facts, EXAM_2021_12)).status == OK
    broken = facts_with(
        plain_facts,
        pip_check=dict(
            to_dict(plain_facts.pip_check),
            clean=False,
            problems=["tensorflow 2.5.0 has requirement numpy~=1.19.2, but you have numpy 1.21.4."],
        ),
    )
    finding = only(check_pip_check(broken, EXAM_2021_12))
    assert finding.status == FAIL and "numpy~=1.19.2" in finding.seen
    no_pip = facts_with(
        plain_facts,
        pip_check=dict(to_dict(plain_facts.pip_check), ran=False, error="pip is not installed in the target"),
    )
    assert only(check_pip_check(no_pip, EXAM_2021_12)).status == WARN


def test_tensorflow_missing_fails_and_imports_are_judged(plain_facts):
    finding = only(check_tensorflow_import(plain_facts, EXAM_2021_12))
    assert finding.status == FAIL and finding.title == "TensorFlow is not installed"
    skipped = facts_with(
        plain_facts, tensorflow={"probed": False, "importable": None, "version": None, "error": None, "gpus": []}
    )
    assert only(check_tensorflow_import(skipped, EXAM_2021_12)).status == SKIPPED
    profile = replace(EXAM_2021_12, importable=("tensorflow", "json", "PIL"))
    by_id = {f.id: f for f in check_imports(plain_facts, profile)}
    assert set(by_id) == {"import.json", "import.PIL"}
    assert by_id["import.json"].status == OK and by_id["import.PIL"].status == FAIL


def test_cpu_flags_judged_for_the_installed_or_required_tensorflow(plain_facts):
    with_avx = facts_with(plain_facts, **{"host.cpu.flags": ["avx", "sse4_2"], "interpreter.machine": "x86_64"})
    # No TensorFlow installed: the profile's pin (2.7.0) needs AVX only.
    assert only(check_cpu_flags(with_avx, EXAM_2021_12)).status == OK
    tf_240 = with_packages(with_avx, {"tensorflow": "2.4.0"})
    finding = only(check_cpu_flags(tf_240, EXAM_2021_12))
    assert finding.status == FAIL and "AVX2" in finding.title and finding.fix_id == "no-avx" and "2.4.1" in finding.hint
    no_avx = facts_with(with_avx, **{"host.cpu.flags": ["sse4_2"]})
    assert only(check_cpu_flags(no_avx, EXAM_2021_12)).status == FAIL
    rosetta = facts_with(with_avx, **{"host.os.system": "Darwin", "host.os.rosetta": True})
    assert only(check_cpu_flags(rosetta, EXAM_2021_12)).fix_id == "apple-silicon"


def test_no_gpu_is_a_warning_with_the_train_elsewhere_advice(plain_facts):
    no_gpu = facts_with(
        plain_facts,
        **{
            "host.nvidia": {
                "nvidia_smi": None,
                "driver_version": None,
                "cuda_driver_version": None,
                "gpus": [],
                "error": None,
            }
        },
    )
    finding = only(check_gpu(no_gpu, EXAM_2021_12))
    assert finding.status == WARN and "Colab" in finding.hint
    assert "`tfenvcheck model FILE` checks that a model saved there loads and predicts here" in finding.hint


def test_memory_and_disk_minimums(plain_facts):
    assert (
        only(check_memory(facts_with(plain_facts, **{"host.memory.total_bytes": 16 * 2**30}), EXAM_2021_12)).status
        == OK
    )
    assert (
        only(check_memory(facts_with(plain_facts, **{"host.memory.total_bytes": 6 * 2**30}), EXAM_2021_12)).status
        == WARN
    )
    small = only(check_memory(facts_with(plain_facts, **{"host.memory.total_bytes": 3 * 2**30}), EXAM_2021_12))
    assert small.status == FAIL and small.seen == "3.0 GiB" and "at least 4 GiB" in small.expected
    full = only(check_disk(facts_with(plain_facts, **{"host.disk.free_bytes": 2**30}), EXAM_2021_12))
    assert full.status == FAIL and "1.0 GiB free" in full.seen


def test_verdicts_and_exit_codes():
    ok, warn, fail, error = (
        Finding("a", OK, "a"),
        Finding("b", WARN, "b"),
        Finding("c", FAIL, "c"),
        Finding("d", ERROR, "d"),
    )
    assert judge([ok]) == ("ready", 0)
    assert judge([ok, warn]) == ("ready-with-warnings", 0)
    assert judge([ok, warn], fail_on="warn") == ("not-ready", 1)
    assert judge([ok, fail, error]) == ("not-ready", 1)
    assert judge([ok, error]) == ("incomplete", 3)
    with pytest.raises(ValueError):
        Finding("x", "bad", "x")


def test_a_check_that_crashes_becomes_an_error_finding(plain_facts):
    broken = copy.deepcopy(plain_facts)
    broken.host.memory = None  # type: ignore[assignment]  # a shape no probe makes: the check crashes
    findings = run_checks(broken, EXAM_2021_12)
    memory = [f for f in findings if f.id == "memory"]
    assert memory[0].status == ERROR and "AttributeError" in memory[0].seen
    assert CheckResult(EXAM_2021_12, findings, broken).exit_code == 1  # the real failures still decide


@pytest.mark.slow
def test_gpu_seen_by_the_driver_but_not_by_tensorflow_names_the_tabled_cuda(tf25_facts):
    driver = {
        "nvidia_smi": "/usr/bin/nvidia-smi",
        "driver_version": "535.104",
        "cuda_driver_version": "12.2",
        "error": None,
        "gpus": [
            {
                "index": 0,
                "name": "NVIDIA GeForce RTX 3060",
                "uuid": "GPU-1",
                "memory_total_mib": 12288,
                "compute_capability": "8.6",
            }
        ],
    }
    finding = only(check_gpu(facts_with(tf25_facts, **{"host.nvidia": driver}), EXAM_2021_MID))
    assert finding.status == WARN and finding.fix_id == "cuda-mismatch"
    assert "CUDA 11.2 and cuDNN 8.1" in finding.expected and "RTX 3060" in finding.seen
    assert "libcudart" in finding.hint  # TF 2.5.0's own log says which library it could not load
    old_driver = facts_with(tf25_facts, **{"host.nvidia": dict(driver, cuda_driver_version="10.2")})
    assert "driver supports CUDA up to 10.2" in only(check_gpu(old_driver, EXAM_2021_MID)).hint
    windows = facts_with(
        tf25_facts, **{"host.nvidia": driver, "host.os.system": "Windows", "tensorflow.version": "2.12.0"}
    )
    assert only(check_gpu(windows, EXAM_2021_MID)).fix_id == "windows-gpu-after-2.10"


@pytest.mark.slow
def test_tensorflow_25_imports_and_keras_2_backs_it(tf25_facts):
    finding = only(check_tensorflow_import(tf25_facts, EXAM_2021_MID))
    assert finding.status == OK and "2.5.0" in finding.seen
    assert only(check_keras(tf25_facts, EXAM_2021_MID)).status == OK
    assert only(check_cpu_flags(tf25_facts, EXAM_2021_MID)).expected == "AVX for TensorFlow 2.5.0 (installed)"
