"""Course profiles are today's Keras 3 stacks: Keras 3 behind tf.keras is what they require, not the
exam-era breakage. The DeepLearning.AI course's pins, installed as a student does today, do not
import tensorflow_datasets (tensorflow-metadata 1.21 with TensorFlow 2.16's protobuf 4): the check
names the entry; with its fix pinned too, they pass the course's profile."""

from __future__ import annotations

import json

import pytest

from tests.helpers import cached_venv, run_cli
from tests.helpers.facts import target_facts
from tfenvcheck.checks.breakages import breakage_findings
from tfenvcheck.checks.finding import OK, WARN
from tfenvcheck.checks.tensorflow import check_keras
from tfenvcheck.facts.model import KerasFacts
from tfenvcheck.profiles.loader import resolve_profile
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.registry.match import match

REGISTRY = load_registry()
# The course's C1/requirements.txt without the notebook server (jupyterlab), which the check ignores.
DLAI_PINS = ["tensorflow==2.16.1", "keras==3.3.3", "tensorflow-datasets==4.9.4", "pandas==2.1.1", "matplotlib==3.8.3"]
# The same, with the fix of the registry's tensorflow-metadata-gencode entry.
DLAI_PINS_FIXED = [*DLAI_PINS, "tensorflow-metadata<1.18"]


def keras3_stack():
    facts = target_facts(tensorflow="2.16.1", packages={"keras": "3.3.3"})
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


def check_json(python, profile: str) -> tuple[int, dict[str, dict]]:
    done = run_cli("check", "--python", str(python), "--profile", profile, "--json", timeout=600)
    return done.returncode, {f["id"]: f for f in json.loads(done.stdout)["findings"]}


@pytest.mark.slow
def test_the_deeplearning_ai_pins_as_pip_installs_them_today_are_told_why_tfds_fails():
    code, findings = check_json(cached_venv("3.11", DLAI_PINS), "dlai-tf-2024")
    assert code == 1
    assert [name for name, f in findings.items() if f["status"] == "fail"] == [
        "import.tensorflow_datasets",
        "breakage.tensorflow-metadata-gencode",
    ]
    assert findings["import.tensorflow_datasets"]["fix_id"] == "tensorflow-metadata-gencode"
    assert "installs tensorflow-metadata<1.18" in findings["import.tensorflow_datasets"]["hint"]
    assert findings["breakage.tensorflow-metadata-gencode"]["seen"].startswith(
        "tensorflow-metadata 1.21.0; protobuf 4.25."
    )


@pytest.mark.slow
def test_the_deeplearning_ai_pins_with_the_fix_on_python_311_pass_their_profile():
    code, findings = check_json(cached_venv("3.11", DLAI_PINS_FIXED), "dlai-tf-2024")
    failed = [name for name, f in findings.items() if f["status"] == "fail"]
    assert code == 0 and failed == []
    assert findings["tensorflow.keras"]["status"] == "ok"
    assert findings["tensorflow.keras"]["seen"] == "tf.keras is keras 3.3.3"
    assert "breakage.keras3-legacy-code" not in findings
    for package in ("tensorflow", "keras", "tensorflow-datasets", "pandas", "matplotlib"):
        assert findings["package." + package]["status"] == "ok"
    assert findings["import.tensorflow_datasets"]["status"] == "ok"
