"""`tfenvcheck explain`: real error texts name their registry entries, harmless lines are labelled,
shared messages are one diagnosis with alternatives, and the target's facts rank them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import require_python, run_cli
from tests.helpers.facts import DRIVER_SEES, target_facts
from tests.helpers.fix_targets import apple_style_python
from tfenvcheck.explain.diagnose import explain_lines
from tfenvcheck.facts.model import Facts
from tfenvcheck.registry.loader import load_registry

DATA = Path(__file__).parent / "data" / "explain"
REGISTRY = load_registry()
BY_ID = {b.id: b for b in REGISTRY}


def explain_json(*args: str, stdin: str = "") -> tuple[int, dict]:
    done = run_cli("explain", "--json", *args, stdin=stdin)
    assert done.stderr == "", done.stderr
    return done.returncode, json.loads(done.stdout)


def ids(text: str, facts: Facts | None = None) -> list[list[str]]:
    """The diagnoses of `text`, each as the ids of its alternatives, best first."""
    explanation = explain_lines(text.splitlines(), REGISTRY, (lambda entries: facts) if facts else None)
    return [[m.breakage.id for m in d.alternatives] for d in explanation.diagnoses]


def test_the_seed_error_pasted_names_apple_clt_linecache_first_with_its_patch():
    code, document = explain_json("--no-target", stdin=(DATA / "apple-clt-linecache-pycharm.txt").read_text())
    assert code == 1
    assert document["kind"] == "tfenvcheck-explain" and document["schema_version"] == 1
    assert set(document) >= {"tool", "created", "matches", "harmless"}
    first = document["matches"][0]
    assert first["id"] == "apple-clt-linecache"
    assert first["applies_to_target"] is None
    assert first["fix"]["command"] == "tfenvcheck fix apple-clt-linecache"
    assert (
        "patch linecache: 'for mod in sys.modules.values():' -> 'for mod in list(sys.modules.values()):'"
        in (first["fix"]["actions"])
    )
    assert [line["number"] for line in first["lines"]] == [6, 7, 8]
    assert {"id", "title", "score", "lines", "applies_to_target", "fix"} <= set(first)


def test_a_real_linecache_traceback_under_a_command_line_tools_path_names_the_entry(tmp_path):
    """Apple's loop in a copy of pyenv's 3.7 installed where the Command Line Tools put theirs."""
    framework = tmp_path / "Library/Developer/CommandLineTools/Library/Frameworks/Python3.framework/Versions/3.7"
    python = apple_style_python(require_python("3.7").parent.parent, framework)
    snippet = BY_ID["apple-clt-linecache"].confirm.snippet
    done = subprocess.run([str(python), "-c", snippet], capture_output=True, text=True, timeout=60)
    assert "RuntimeError: dictionary changed size during iteration" in done.stderr
    assert (
        "CommandLineTools/Library/Frameworks/Python3.framework/Versions/3.7/lib/python3.7/linecache.py" in done.stderr
    )
    code, document = explain_json("--no-target", stdin=done.stderr)
    assert code == 1
    assert document["matches"][0]["id"] == "apple-clt-linecache"
    assert document["matches"][0]["context"]  # the Command Line Tools path raised its rank


@pytest.mark.parametrize(
    ("name", "entry"),
    [
        ("tf2.0-py3.7-import-protobuf4.txt", "protobuf4-descriptors"),
        ("tf2.0-py3.7-lstm-numpy121.txt", "numpy120-symbolic-lstm"),
        ("tf2.0-py3.7-load-h5-h5py3.txt", "h5py3-str-decode"),
    ],
)
def test_the_three_errors_of_the_real_tf20_venv_name_their_entries(name, entry):
    code, document = explain_json("--no-target", str(DATA / name))
    assert code == 1
    assert [m["id"] for m in document["matches"]] == [entry]


def test_harmless_lines_are_labelled_and_bring_no_diagnosis():
    code, document = explain_json("--no-target", str(DATA / "tf2.16-harmless-log.txt"))
    assert code == 0 and document["matches"] == []
    harmless = [h["line"] for h in document["harmless"]]
    assert len(harmless) == 4
    assert "oneDNN custom operations are on" in harmless[0]
    assert "This TensorFlow binary is optimized" in harmless[2]
    assert "TF-TRT Warning: Could not find TensorRT" in harmless[3]
    cudnn = document["harmless"][1]
    assert "Unable to register cuDNN factory" in cudnn["line"] and cudnn["count"] == 3
    assert all(h["why"] for h in document["harmless"])


def test_a_real_tf221_run_shows_only_harmless_lines():
    code, document = explain_json("--no-target", str(DATA / "tf2.21-cpu-fit.txt"))
    assert code == 0 and document["matches"] == []
    assert [h["number"] for h in document["harmless"]] == [2]


def test_nothing_known_is_said_plainly_with_the_way_to_check():
    done = run_cli("explain", "--no-target", stdin="Traceback (most recent call last):\nKeyError: 'epochs'\n")
    assert done.returncode == 0
    assert done.stdout == (
        "No known breakage shows in this text (2 lines). tfenvcheck does not guess: "
        "`tfenvcheck check` judges the whole environment.\n"
    )


CUDA_DRIVERS = "2024-07-01 09:00:00.000000: I external/local_xla/xla/tsl/cuda/cudart_stub.cc:32] Could not find cuda drivers on your machine, GPU will not be used.\n"


def test_a_line_harmless_only_without_a_gpu_says_so_without_a_target():
    code, document = explain_json("--no-target", stdin=CUDA_DRIVERS)
    assert code == 1
    assert document["harmless"][0]["unless"] == "no-cuda-drivers"
    assert [m["id"] for m in document["matches"]] == ["no-cuda-drivers"]
    assert document["matches"][0]["applies_to_target"] is None


def test_with_a_target_without_a_gpu_the_cuda_drivers_line_is_harmless():
    """This machine has no NVIDIA driver: its facts make the line harmless, and no diagnosis is made."""
    python = require_python("3.11")
    code, document = explain_json("--python", str(python), stdin=CUDA_DRIVERS)
    assert code == 0
    assert document["target"] == str(python)
    assert document["matches"] == []
    assert document["harmless"][0]["unless"] is None  # decided by the facts


def test_with_a_gpu_the_driver_sees_the_cuda_drivers_line_is_a_diagnosis():
    with_gpu = target_facts(python="3.8.18", tensorflow="2.16.1", host__nvidia=DRIVER_SEES)
    explanation = explain_lines([CUDA_DRIVERS], REGISTRY, lambda entries: with_gpu)
    assert explanation.harmless == ()
    only = explanation.matches
    assert [(m.breakage.id, m.applies) for m in only] == [("no-cuda-drivers", True)]
    assert only[0].seen == ("platform linux", "nvidia-smi sees 1 GPU(s), TensorFlow none")
    without_gpu = target_facts(python="3.8.18", tensorflow="2.16.1")
    explanation = explain_lines([CUDA_DRIVERS], REGISTRY, lambda entries: without_gpu)
    assert explanation.matches == [] and explanation.harmless[0].judged


def test_sigill_is_one_diagnosis_with_alternatives_ranked_by_the_facts():
    text = "Illegal instruction (core dumped)"
    assert ids(text) == [["no-avx", "no-avx2-tf240"]]
    tf240_without_avx2 = target_facts(python="3.8.18", tensorflow="2.4.0", host__cpu={"flags": ["avx", "sse4_2"]})
    assert ids(text, tf240_without_avx2) == [["no-avx2-tf240", "no-avx"]]
    explanation = explain_lines([text], REGISTRY, lambda entries: tf240_without_avx2)
    best, other = explanation.diagnoses[0].alternatives
    assert best.applies is True and best.seen == ("TensorFlow 2.4.0", "machine x86_64", "CPU without AVX2")
    assert other.applies is False and other.seen == ("CPU has AVX",)
    assert best.score > other.score


def test_no_matching_distribution_is_one_diagnosis_naming_both_causes():
    assert ids("ERROR: No matching distribution found for tensorflow-gpu==2.4.0") == [
        ["tensorflow-gpu-removed", "python-unsupported"]
    ]
    # A pinned release: a 32-bit Python, or a Python newer than the release's wheels.
    assert ids("ERROR: No matching distribution found for tensorflow==2.0.0") == [
        ["no-wheel-for-python", "python-unsupported"]
    ]


def test_the_target_judges_a_match_applies_or_not_in_the_text_output():
    protobuf4 = target_facts(python="3.8.18", tensorflow="2.0.0", packages={"protobuf": "4.24.4"})
    explanation = explain_lines(
        ["TypeError: Descriptors cannot not be created directly."], REGISTRY, lambda e: protobuf4
    )
    assert explanation.matches[0].seen == (
        "TensorFlow 2.0.0",
        "protobuf 4.24.4",
        "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION not set",
    )
    pinned = target_facts(python="3.8.18", tensorflow="2.0.0", packages={"protobuf": "3.20.3"})
    explanation = explain_lines(["TypeError: Descriptors cannot not be created directly."], REGISTRY, lambda e: pinned)
    assert explanation.matches[0].applies is False and explanation.matches[0].seen == ("protobuf 3.20.3",)


def test_a_file_that_cannot_be_read_is_one_line_and_usage_status(tmp_path):
    done = run_cli("explain", "--no-target", str(tmp_path / "missing.txt"))
    assert done.returncode == 2
    assert done.stderr == "tfenvcheck: error: {}: no such file\n".format(tmp_path / "missing.txt")


def test_explain_starts_without_importing_the_other_commands():
    """Start-up is most of a short command's time: the bench runner and the report stay unimported."""
    code = (
        "import sys; from tfenvcheck.cli import build_parser; build_parser(['explain']);"
        "print(sorted(m for m in sys.modules if m.startswith('tfenvcheck.commands.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (
        done.stdout.strip()
        == "['tfenvcheck.commands.explain', 'tfenvcheck.commands.options', 'tfenvcheck.commands.output']"
    )
