"""`tfenvcheck explain` on the errors of today's stacks (TensorFlow 2.16-2.21, Keras 3, pip's CUDA
wheels): each real text names its registry entry first.

The Keras 3 texts were captured from the Python 3.11 `tensorflow-cpu==2.21.0` venv of the slow tests
(tests/data/explain/README.md); the others are the lines quoted in the entries' upstream threads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.helpers.facts import target_facts
from tfenvcheck.explain.diagnose import explain_lines
from tfenvcheck.facts.model import Facts
from tfenvcheck.registry.loader import load_registry

DATA = Path(__file__).parent / "data" / "explain"
REGISTRY = load_registry()

# Entry -> the text users paste (from its upstream thread), TensorFlow's log prefixes included.
QUOTED = {
    "keras3-input-length": "ValueError: Unrecognized keyword arguments passed to Embedding: {'input_length': 500}",
    "tfhub-keraslayer-keras3": (
        "ValueError: Only instances of `keras.Layer` can be added to a Sequential model. Received: "
        "<tensorflow_hub.keras_layer.KerasLayer object at 0x7b1d5c0f3d90> "
        "(of type <class 'tensorflow_hub.keras_layer.KerasLayer'>)"
    ),
    "transformers-keras3": (
        "ValueError: Your currently installed version of Keras is Keras 3, but this is not yet supported in "
        "Transformers. Please install the backwards-compatible tf-keras package with `pip install tf-keras`."
    ),
    "pip-cuda-libs-not-found": (
        "W0000 00:00:1716212357.338110    3406 gpu_device.cc:2341] Cannot dlopen some GPU libraries. Please make "
        "sure the missing libraries mentioned above are installed properly if you would like to use GPU. Follow "
        "the guide at https://www.tensorflow.org/install/gpu for how to download and setup the required "
        "libraries for your platform.\nSkipping registering GPU devices..."
    ),
    "cudnn-runtime-older": (
        "E0000 00:00:1727108239.473129   12345 cuda_dnn.cc:522] Loaded runtime CuDNN library: 9.1.0 but source "
        "was compiled with: 9.3.0.  CuDNN library needs to have matching major version and equal or higher minor "
        "version. If using a binary install, upgrade your CuDNN library.\n"
        "E0000 00:00:1727108239.473402   12345 cuda_dnn.cc:526] DNN library initialization failed."
    ),
    "gpu-compute-capability-unsupported": (
        "W0000 00:00:1739998123.456789    1234 gpu_device.cc:2433] TensorFlow was not built with CUDA kernel "
        "binaries compatible with compute capability 12.0. CUDA kernels will be jit-compiled from PTX, which "
        "could take 30 minutes or longer."
    ),
    "xla-ptxas-missing": (
        "INTERNAL: No PTX compilation provider is available. Neither ptxas/nvlink nor nvjtlink is available."
    ),
    "ml-dtypes-conflict": (
        "ERROR: pip's dependency resolver does not currently take into account all the packages that are "
        "installed. This behaviour is the source of the following dependency conflicts.\n"
        "tensorflow 2.18.0 requires ml-dtypes<0.5.0,>=0.4.0, but you have ml-dtypes 0.5.1 which is incompatible."
    ),
    "protobuf-gencode-older": (
        "UserWarning: Protobuf gencode version 5.28.3 is exactly one major version older than the runtime "
        "version 6.31.1 at tensorflow/core/framework/attr_value.proto. Please update the gencode to avoid "
        "compatibility violations in the next runtime release."
    ),
    "protobuf-runtime-version-missing": "ImportError: cannot import name 'runtime_version' from 'google.protobuf' "
    "(/home/me/venv/lib/python3.11/site-packages/google/protobuf/__init__.py)",
    "metal-plugin-mismatch": (
        "tensorflow.python.framework.errors_impl.NotFoundError: dlopen(/Users/me/venv/lib/python3.11/"
        "site-packages/tensorflow-plugins/libmetal_plugin.dylib, 0x0006): Symbol not found: __ZN3tsl8internal"
    ),
    "tensorflow-text-mismatch": (
        "ERROR: Could not find a version that satisfies the requirement tensorflow-text (from versions: none)\n"
        "ERROR: No matching distribution found for tensorflow-text"
    ),
}
# Entry -> a real output of the Keras 3.15.1 venv.
CAPTURED = {
    "keras3-no-preprocessing-text": "tf2.21-keras3-preprocessing-text.txt",
    "keras3-save-extension": "tf2.21-keras3-save-dir.txt",
    "keras3-kerastensor-tf-function": "tf2.21-keras3-kerastensor-tf-op.txt",
}
# The DeepLearning.AI course's pins as pip installs them today: `import tensorflow_datasets` fails.
DLAI_TFDS = DATA / "dlai-tf2.16-tfds-import.txt"


def first_ids(text: str, facts: Facts | None = None) -> list[str]:
    """The ids of the first diagnosis's alternatives, best first."""
    explanation = explain_lines(text.splitlines(), REGISTRY, (lambda entries: facts) if facts else None)
    return [m.breakage.id for m in explanation.diagnoses[0].alternatives] if explanation.diagnoses else []


@pytest.mark.parametrize("entry", sorted(QUOTED))
def test_a_quoted_error_names_its_entry_first(entry):
    assert first_ids(QUOTED[entry])[0] == entry


@pytest.mark.parametrize("entry", sorted(CAPTURED))
def test_a_real_keras3_error_explained_by_the_command_names_its_entry_alone(entry):
    done = run_cli("explain", "--json", "--no-target", str(DATA / CAPTURED[entry]))
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert [m["id"] for m in document["matches"]] == [entry]
    # the start-up lines of TensorFlow 2.21 above the traceback are labelled harmless
    assert any("This TensorFlow binary is optimized" in h["line"] for h in document["harmless"])


def test_the_cudnn_error_names_the_older_wheel_before_the_general_cuda_entry():
    assert first_ids(QUOTED["cudnn-runtime-older"]) == ["cudnn-runtime-older", "cuda-mismatch"]


def test_no_wheel_for_python_313_ranks_first_on_a_313_target():
    text = "ERROR: Could not find a version that satisfies the requirement tensorflow==2.18.0 (from versions: 2.20.0, 2.21.0)"
    python313 = target_facts(python="3.8.18", tensorflow="2.16.1")
    python313.interpreter.version = "3.13.1"
    python313.interpreter.distributions.pop("tensorflow")
    assert first_ids(text, python313) == ["no-wheel-for-python", "python-unsupported"]
    explanation = explain_lines([text], REGISTRY, lambda entries: python313)
    assert explanation.matches[0].applies is True
    assert explanation.matches[0].seen == ("tensorflow not installed", "Python 3.13.1")


def test_the_keras2_save_error_says_how_to_save_in_the_text_output():
    done = run_cli("explain", "--no-target", str(DATA / "tf2.21-keras3-save-dir.txt"))
    assert done.returncode == 1
    assert "keras3-save-extension" in done.stdout
    assert "model.export(dir)" in done.stdout


def test_the_course_pins_tfds_import_error_names_tensorflow_metadata_first():
    done = run_cli("explain", "--json", "--no-target", str(DLAI_TFDS))
    assert done.returncode == 1, done.stderr
    ids = [m["id"] for m in json.loads(done.stdout)["matches"]]
    assert ids == ["tensorflow-metadata-gencode", "protobuf-runtime-version-missing"]
