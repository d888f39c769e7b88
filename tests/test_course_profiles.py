"""Course profiles are today's Keras 3 stacks: Keras 3 behind tf.keras is what they require, not the
exam-era breakage; and the DeepLearning.AI course's pins, installed as a student does, pass theirs."""

from __future__ import annotations

import json

import pytest

from tests.helpers import cached_venv, run_cli
from tests.test_registry_entries import target
from tfenvcheck.checks.breakages import breakage_findings
from tfenvcheck.checks.finding import OK, WARN
from tfenvcheck.checks.tensorflow import check_keras
from tfenvcheck.facts.model import KerasFacts
from tfenvcheck.profiles.loader import resolve_profile
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.registry.match import match

REGISTRY = load_registry()
# The course's C1/requirements.txt without the notebook server (jupyterlab), which the check ignores.
DLAI_TF_2024 = (
    "3.11",
    ["tensorflow==2.16.1", "keras==3.3.3", "tensorflow-datasets==4.9.4", "pandas==2.1.1", "matplotlib==3.8.3"],
)


def keras3_stack():
    facts = target(tensorflow="2.16.1", packages={"keras": "3.3.3"})
    facts.tensorflow.keras = KerasFacts(backing="keras", version="3.3.3")
    return facts


def test_keras3_is_what_a_course_requires_and_the_exams_breakage():
    facts = keras3_stack()
    for name in ("dlai-tf-2024", "course-2025"):
        (finding,) = check_keras(facts, resolve_profile(name))
        assert finding.status == OK and finding.expected == "Keras 3 behind tf.keras, as the profile requires"
        assert [f.id for f in breakage_findings(match(REGISTRY, facts), [finding], len(REGISTRY))] == [
            "breakage.pil-scipy-missing"
        ]
    (exam,) = check_keras(facts, resolve_profile("exam-2024"))
    assert exam.status == WARN and exam.fix_id == "keras3-legacy-code"
    assert "breakage.keras3-legacy-code" not in [
        f.id for f in breakage_findings(match(REGISTRY, facts), [exam], len(REGISTRY))
    ]  # reported once, by the keras check


@pytest.fixture(scope="module")
def dlai_python():
    return cached_venv(*DLAI_TF_2024)


@pytest.mark.slow
def test_the_deeplearning_ai_pins_on_python_311_pass_their_profile(dlai_python):
    done = run_cli("check", "--python", str(dlai_python), "--profile", "dlai-tf-2024", "--json", timeout=600)
    result = json.loads(done.stdout)
    failed = [(f["id"], f["title"]) for f in result["findings"] if f["status"] == "fail"]
    assert done.returncode == 0 and failed == [], failed
    findings = {f["id"]: f for f in result["findings"]}
    assert findings["tensorflow.keras"]["status"] == "ok"
    assert findings["tensorflow.keras"]["seen"] == "tf.keras is keras 3.3.3"
    assert "breakage.keras3-legacy-code" not in findings
    for package in ("tensorflow", "keras", "tensorflow-datasets", "pandas", "matplotlib"):
        assert findings["package." + package]["status"] == "ok"
