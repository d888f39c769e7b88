"""Every entry of the known-breakages registry matched against facts shaped like a real target's: one
where the breakage is there (with what a match says it saw) and one, as close to it as can be, where
it is not. An entry added to fixes/ fails here until it has its two cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import require_python
from tests.helpers.facts import (
    BUILD_2_18,
    DRIVER_SEES,
    GPU,
    LINUX_VENV,
    TF_GPU,
    on_macos,
    on_windows,
    target_facts,
    with_gpu,
)
from tests.helpers.fix_targets import apple_linecache
from tfenvcheck.explain.ranking import unmet_conditions
from tfenvcheck.facts.model import Facts
from tfenvcheck.registry.conditions import has_kernels_for
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.registry.match import match

REGISTRY = load_registry()
REGISTRY_BY_ID = {breakage.id: breakage for breakage in REGISTRY}

# The library of the nvidia-cudnn-cu12 8.9 wheel, as the GPU probe reports it before any fix.
CUDNN_8_LIBRARY = {
    "path": "/home/ana/exam/lib/python3.11/site-packages/nvidia/cudnn/lib/libcudnn.so.8",
    "package": "cudnn",
}


def with_stdlib(folder: Path) -> dict[str, Any]:
    return {"interpreter__paths": {"stdlib": str(folder)}}


# id -> (facts where it applies, what the match says it saw, facts where it does not).
CASES: dict[str, tuple[Any, tuple[str, ...], Any]] = {
    "protobuf4-descriptors": (
        lambda: target_facts(tensorflow="2.0.0", packages={"protobuf": "4.24.4"}),
        ("TensorFlow 2.0.0", "protobuf 4.24.4", "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION not set"),
        lambda: target_facts(
            tensorflow="2.0.0",
            packages={"protobuf": "4.24.4"},
            variables={"PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION": "python"},
        ),
    ),
    "protobuf-too-old-builder": (
        lambda: target_facts(tensorflow="2.12.0", packages={"protobuf": "3.19.6"}),
        ("TensorFlow 2.12.0", "protobuf 3.19.6"),
        lambda: target_facts(tensorflow="2.12.0", packages={"protobuf": "3.20.3"}),
    ),
    "numpy120-symbolic-lstm": (
        lambda: target_facts(tensorflow="2.4.1", packages={"numpy": "1.20.3"}),
        ("TensorFlow 2.4.1", "numpy 1.20.3"),
        lambda: target_facts(tensorflow="2.4.1", packages={"numpy": "1.19.5"}),
    ),
    "h5py3-str-decode": (
        lambda: target_facts(tensorflow="2.4.1", packages={"h5py": "3.1.0"}),
        ("TensorFlow 2.4.1", "h5py 3.1.0"),
        lambda: target_facts(tensorflow="2.5.0", packages={"h5py": "3.1.0"}),
    ),
    # Entries of a model file that fails to load in this Keras: the versions alone say it may.
    "keras-format-in-old-keras": (
        lambda: target_facts(tensorflow="2.9.0", packages={"keras": "2.9.0"}),
        ("TensorFlow 2.9.0",),
        lambda: target_facts(tensorflow="2.12.0", packages={"keras": "2.12.0"}),
    ),
    "keras3-h5-in-keras2": (
        lambda: target_facts(tensorflow="2.15.0", packages={"keras": "2.15.0"}),
        ("TensorFlow 2.15.0",),
        lambda: target_facts(tensorflow="2.16.1", packages={"keras": "3.3.3"}),
    ),
    "compiled-h5-in-keras3": (
        lambda: target_facts(tensorflow="2.21.0", packages={"keras": "3.15.1"}),
        ("TensorFlow 2.21.0", "keras 3.15.1", "TF_USE_LEGACY_KERAS not set"),
        lambda: target_facts(tensorflow="2.15.0", packages={"keras": "2.15.0"}),
    ),
    "keras27-with-tf26": (
        lambda: target_facts(tensorflow="2.6.0", packages={"keras": "2.7.0"}),
        ("TensorFlow 2.6.0", "keras 2.7.0"),
        lambda: target_facts(tensorflow="2.6.0", packages={"keras": "2.6.0"}),
    ),
    "keras3-legacy-code": (
        lambda: target_facts(tensorflow="2.16.1", packages={"keras": "3.3.3"}),
        ("TensorFlow 2.16.1", "keras 3.3.3", "TF_USE_LEGACY_KERAS not set"),
        lambda: target_facts(
            tensorflow="2.16.1",
            packages={"keras": "3.3.3", "tf-keras": "2.16.0"},
            variables={"TF_USE_LEGACY_KERAS": "1"},
        ),
    ),
    "numpy2-abi": (
        lambda: target_facts(tensorflow="2.15.0", packages={"numpy": "2.0.0"}),
        ("TensorFlow 2.15.0", "numpy 2.0.0"),
        lambda: target_facts(tensorflow="2.18.0", packages={"numpy": "2.0.2"}),
    ),
    "numpy124-object-alias": (
        lambda: target_facts(tensorflow="2.11.0", packages={"numpy": "1.24.3"}),
        ("TensorFlow 2.11.0", "numpy 1.24.3"),
        lambda: target_facts(tensorflow="2.11.0", packages={"numpy": "1.23.5"}),
    ),
    "numpy-abi-downgrade": (
        lambda: target_facts(tensorflow="2.9.0", packages={"pandas": "1.4.2", "numpy": "1.19.5"}),
        ("pandas 1.4.2",),
        lambda: target_facts(tensorflow="2.9.0", packages={"numpy": "1.19.5"}),
    ),
    "typing-ext-dictwrapper": (
        lambda: target_facts(tensorflow="2.13.0", packages={"typing-extensions": "4.6.0"}),
        ("TensorFlow 2.13.0", "typing-extensions 4.6.0"),
        lambda: target_facts(tensorflow="2.13.0", packages={"typing-extensions": "4.5.0"}),
    ),
    "pil-scipy-missing": (
        lambda: target_facts(tensorflow="2.9.0", packages={"numpy": "1.22.4"}),
        ("TensorFlow 2.9.0", "pillow, scipy not installed"),
        lambda: target_facts(tensorflow="2.9.0", packages={"Pillow": "9.1.1", "scipy": "1.7.3"}),
    ),
    "several-tf-dists": (
        lambda: target_facts(tensorflow="2.9.0", packages={"tensorflow-cpu": "2.9.0"}),
        ("installed together: tensorflow, tensorflow-cpu",),
        lambda: target_facts(packages={"tensorflow-cpu": "2.9.0"}),
    ),
    "tensorflow-gpu-removed": (
        lambda: target_facts(packages={"tensorflow-gpu": "2.12.0"}),
        ("tensorflow-gpu 2.12.0",),
        lambda: target_facts(tensorflow="2.12.0"),
    ),
    "python-unsupported": (
        lambda: target_facts(**on_windows(bits=32)),
        ("32-bit Python",),
        lambda: target_facts(**on_windows()),
    ),
    "no-avx": (
        lambda: target_facts(
            tensorflow="2.9.0", host__cpu={"brand": "Intel(R) Pentium(R) CPU G4560", "flags": ["sse4_2"]}
        ),
        ("TensorFlow 2.9.0", "machine x86_64", "CPU without AVX"),
        lambda: target_facts(tensorflow="2.9.0"),
    ),
    "no-avx2-tf240": (
        lambda: target_facts(
            tensorflow="2.4.0", host__cpu={"brand": "Intel(R) Core(TM) i7-3770", "flags": ["sse4_2", "avx"]}
        ),
        ("TensorFlow 2.4.0", "machine x86_64", "CPU without AVX2"),
        lambda: target_facts(
            tensorflow="2.4.1", host__cpu={"brand": "Intel(R) Core(TM) i7-3770", "flags": ["sse4_2", "avx"]}
        ),
    ),
    "cuda-mismatch": (
        lambda: target_facts(tensorflow="2.9.0", host__nvidia={"nvidia_smi": "/usr/bin/nvidia-smi", "gpus": [GPU]}),
        ("nvidia-smi sees 1 GPU(s), TensorFlow none",),
        lambda: target_facts(
            tensorflow="2.9.0",
            host__nvidia={"nvidia_smi": "/usr/bin/nvidia-smi", "gpus": [GPU]},
            tensorflow_gpus=[{"name": "/physical_device:GPU:0", "type": "GPU"}],
        ),
    ),
    "windows-gpu-after-2.10": (
        lambda: target_facts(
            tensorflow="2.11.0", host__nvidia={"nvidia_smi": "nvidia-smi.exe", "gpus": [GPU]}, **on_windows()
        ),
        ("TensorFlow 2.11.0", "platform win32", "nvidia-smi sees 1 GPU(s), TensorFlow none"),
        lambda: target_facts(
            tensorflow="2.10.0", host__nvidia={"nvidia_smi": "nvidia-smi.exe", "gpus": [GPU]}, **on_windows()
        ),
    ),
    "msvc-runtime": (
        lambda: target_facts(tensorflow="2.10.0", **on_windows(msvc_runtime=False)),
        ("TensorFlow 2.10.0", "platform win32", "msvcp140_1.dll not found"),
        lambda: target_facts(tensorflow="2.10.0", **on_windows()),
    ),
    "apple-silicon": (
        lambda: target_facts(**on_macos("x86_64", rosetta=True)),
        ("platform darwin", "running under Rosetta"),
        lambda: target_facts(**on_macos("arm64")),
    ),
    "macos-ssl-certs": (
        # python.org's Python before "Install Certificates.command" has run: no cert.pem of its own.
        lambda: target_facts(
            **on_macos("arm64", ssl={**LINUX_VENV["interpreter"]["ssl"], "openssl_cafile_exists": False}),
        ),
        ("platform darwin", "no CA certificate file for SSL (/usr/lib/ssl/cert.pem)"),
        lambda: target_facts(**on_macos("arm64")),
    ),
    "no-cuda-drivers": (
        lambda: target_facts(tensorflow="2.16.1", host__nvidia=DRIVER_SEES),
        ("platform linux", "nvidia-smi sees 1 GPU(s), TensorFlow none"),
        lambda: target_facts(tensorflow="2.16.1", host__nvidia=DRIVER_SEES, tensorflow_gpus=TF_GPU),
    ),
    "keras3-input-length": (
        lambda: target_facts(tensorflow="2.16.1", packages={"keras": "3.3.3"}),
        ("keras 3.3.3",),
        # Keras 3.7 takes input_length again, with a warning.
        lambda: target_facts(tensorflow="2.18.0", packages={"keras": "3.7.0"}),
    ),
    "keras3-no-preprocessing-text": (
        lambda: target_facts(tensorflow="2.21.0", packages={"keras": "3.15.1"}),
        ("keras 3.15.1",),
        lambda: target_facts(tensorflow="2.15.0", packages={"keras": "2.15.0"}),
    ),
    "keras3-save-extension": (
        lambda: target_facts(tensorflow="2.16.1", packages={"keras": "3.3.3"}),
        ("keras 3.3.3",),
        lambda: target_facts(tensorflow="2.15.0", packages={"keras": "2.15.0"}),
    ),
    "keras3-kerastensor-tf-function": (
        lambda: target_facts(tensorflow="2.16.1", packages={"keras": "3.3.3"}),
        ("keras 3.3.3",),
        lambda: target_facts(tensorflow="2.15.0", packages={"keras": "2.15.0"}),
    ),
    "tfhub-keraslayer-keras3": (
        lambda: target_facts(
            tensorflow="2.21.0", packages={"tensorflow-hub": "0.16.1", "keras": "3.13.0", "tf-keras": "2.21.0"}
        ),
        ("TensorFlow 2.21.0", "tensorflow-hub 0.16.1", "keras 3.13.0", "TF_USE_LEGACY_KERAS not set"),
        lambda: target_facts(
            tensorflow="2.21.0",
            packages={"tensorflow-hub": "0.16.1", "keras": "3.13.0", "tf-keras": "2.21.0"},
            variables={"TF_USE_LEGACY_KERAS": "1"},
        ),
    ),
    "transformers-keras3": (
        lambda: target_facts(tensorflow="2.16.1", packages={"transformers": "4.46.3", "keras": "3.3.3"}),
        ("TensorFlow 2.16.1", "transformers 4.46.3", "keras 3.3.3", "tf-keras not installed"),
        lambda: target_facts(
            tensorflow="2.16.1", packages={"transformers": "4.46.3", "keras": "3.3.3", "tf-keras": "2.16.0"}
        ),
    ),
    "pip-cuda-libs-not-found": (
        lambda: target_facts(
            tensorflow="2.16.1",
            packages={"nvidia-cudnn-cu12": "8.9.7.29"},
            host__nvidia=DRIVER_SEES,
            gpu={"wheel_libraries": [CUDNN_8_LIBRARY]},
        ),
        (
            "TensorFlow 2.16.1",
            "nvidia-cudnn-cu12 8.9.7.29",
            "platform linux",
            "nvidia-smi sees 1 GPU(s), TensorFlow none",
            "1 of 1 nvidia-* wheel libraries neither preloaded nor on LD_LIBRARY_PATH (libcudnn.so.8)",
        ),
        lambda: target_facts(
            tensorflow="2.16.1",
            packages={"nvidia-cudnn-cu12": "8.9.7.29"},
            host__nvidia=DRIVER_SEES,
            tensorflow_gpus=TF_GPU,
        ),
    ),
    "cudnn-runtime-older": (
        # torch 2.3 pins cuDNN 8.9 where TensorFlow 2.18 was built with cuDNN 9.
        lambda: target_facts(
            tensorflow="2.18.0",
            packages={"torch": "2.3.1", "nvidia-cudnn-cu12": "8.9.2.26"},
            build_info=BUILD_2_18,
        ),
        ("platform linux", "nvidia-cudnn-cu12 8.9.2.26, TensorFlow built with cudnn_version 9"),
        lambda: target_facts(tensorflow="2.18.0", packages={"nvidia-cudnn-cu12": "9.3.0.75"}, build_info=BUILD_2_18),
    ),
    "gpu-compute-capability-unsupported": (
        lambda: target_facts(tensorflow="2.18.0", **with_gpu("NVIDIA GeForce RTX 5090", "12.0")),
        ("GPU compute capability 12.0; TensorFlow built for sm_60, sm_70, sm_80, sm_89, compute_90",),
        # 8.6 runs the sm_80 kernels.
        lambda: target_facts(tensorflow="2.18.0", **with_gpu("NVIDIA GeForce RTX 3060", "8.6")),
    ),
    "xla-ptxas-missing": (
        lambda: target_facts(tensorflow="2.18.0", host__nvidia=DRIVER_SEES, tensorflow_gpus=TF_GPU),
        ("TensorFlow 2.18.0", "nvidia-cuda-nvcc-cu12 not installed", "platform linux", "TensorFlow sees 1 GPU(s)"),
        lambda: target_facts(
            tensorflow="2.18.0",
            packages={"nvidia-cuda-nvcc-cu12": "12.5.82"},
            host__nvidia=DRIVER_SEES,
            tensorflow_gpus=TF_GPU,
        ),
    ),
    "no-wheel-for-python": (
        lambda: target_facts(python="3.13.1"),
        ("tensorflow not installed", "Python 3.13.1"),
        lambda: target_facts(python="3.12.8"),
    ),
    "metal-plugin-mismatch": (
        lambda: target_facts(tensorflow="2.18.0", packages={"tensorflow-metal": "1.1.0"}, **on_macos("arm64")),
        ("TensorFlow 2.18.0", "tensorflow-metal 1.1.0", "platform darwin", "machine arm64"),
        lambda: target_facts(tensorflow="2.17.1", packages={"tensorflow-metal": "1.1.0"}, **on_macos("arm64")),
    ),
    "ml-dtypes-conflict": (
        lambda: target_facts(tensorflow="2.18.0", packages={"ml-dtypes": "0.5.1", "jax": "0.5.0"}),
        ("TensorFlow 2.18.0", "ml-dtypes 0.5.1"),
        # TensorFlow 2.18.1 accepts ml-dtypes below 1.0.
        lambda: target_facts(tensorflow="2.18.1", packages={"ml-dtypes": "0.5.1", "jax": "0.5.0"}),
    ),
    "protobuf-gencode-older": (
        lambda: target_facts(tensorflow="2.19.0", packages={"protobuf": "6.31.1"}),
        ("TensorFlow 2.19.0", "protobuf 6.31.1"),
        lambda: target_facts(tensorflow="2.19.0", packages={"protobuf": "5.29.4"}),
    ),
    "protobuf-runtime-version-missing": (
        lambda: target_facts(tensorflow="2.19.0", packages={"protobuf": "4.25.3"}),
        ("TensorFlow 2.19.0", "protobuf 4.25.3"),
        lambda: target_facts(tensorflow="2.19.0", packages={"protobuf": "5.28.3"}),
    ),
    "tensorflow-metadata-gencode": (
        # The DeepLearning.AI course's pins as pip installs them today.
        lambda: target_facts(
            tensorflow="2.16.1",
            packages={"tensorflow-datasets": "4.9.4", "tensorflow-metadata": "1.21.0", "protobuf": "4.25.9"},
        ),
        ("tensorflow-metadata 1.21.0", "protobuf 4.25.9"),
        lambda: target_facts(
            tensorflow="2.16.1",
            packages={"tensorflow-datasets": "4.9.4", "tensorflow-metadata": "1.17.3", "protobuf": "4.25.9"},
        ),
    ),
    "tensorflow-text-mismatch": (
        lambda: target_facts(tensorflow="2.16.1", packages={"tensorflow-text": "2.15.0"}),
        ("tensorflow-text 2.15.0 beside TensorFlow 2.16.1",),
        lambda: target_facts(tensorflow="2.16.1", packages={"tensorflow-text": "2.16.1"}),
    ),
}


@pytest.fixture(scope="module")
def linecache_folders(tmp_path_factory) -> dict[str, Path]:
    """CPython 3.7's real linecache.py, and Apple's (the same file with its search over sys.modules)."""
    real = (require_python("3.7").resolve().parent.parent / "lib" / "python3.7" / "linecache.py").read_text()
    folders = {}
    for name, text in (("cpython", real), ("apple", apple_linecache(real))):
        folders[name] = tmp_path_factory.mktemp(name)
        (folders[name] / "linecache.py").write_text(text)
    return folders


def matched(facts: Facts) -> dict[str, tuple[str, ...]]:
    return {found.breakage.id: found.reasons for found in match(REGISTRY, facts)}


def test_every_entry_has_its_cases():
    assert set(CASES) | {"apple-clt-linecache"} == {breakage.id for breakage in REGISTRY}


@pytest.mark.parametrize("breakage_id", sorted(CASES))
def test_an_entry_matches_where_its_breakage_is(breakage_id):
    where, reasons, _ = CASES[breakage_id]
    assert matched(where()).get(breakage_id) == reasons


@pytest.mark.parametrize("breakage_id", sorted(CASES))
def test_an_entry_does_not_match_where_it_is_not(breakage_id):
    _, _, where_not = CASES[breakage_id]
    assert breakage_id not in matched(where_not())


def test_apples_linecache_matches_and_cpythons_does_not(linecache_folders):
    apple = linecache_folders["apple"]
    assert matched(target_facts(**with_stdlib(apple)))["apple-clt-linecache"] == (
        "{} contains 'for mod in sys.modules.values():'".format(apple / "linecache.py"),
    )
    assert "apple-clt-linecache" not in matched(target_facts(**with_stdlib(linecache_folders["cpython"])))


def test_a_healthy_stack_matches_nothing_but_the_confirm_only_entries():
    """Python 3.9, TensorFlow 2.9 with the pins of its time: only the entries reported when confirmed."""
    healthy = target_facts(
        tensorflow="2.9.0",
        packages={
            "protobuf": "3.19.6",
            "numpy": "1.22.4",
            "h5py": "3.7.0",
            "keras": "2.9.0",
            "Pillow": "9.1.1",
            "scipy": "1.7.3",
            "pandas": "1.4.2",
            "typing-extensions": "4.3.0",
        },
    )
    assert set(matched(healthy)) == {"numpy-abi-downgrade", "keras-format-in-old-keras", "keras3-h5-in-keras2"}


@pytest.mark.parametrize(
    "capability, built, runs",
    [
        ("8.6", ["sm_60", "sm_70", "sm_80", "sm_89", "compute_90"], True),  # an sm_80 cubin runs on 8.6
        ("8.9", ["sm_60", "sm_70", "sm_80", "sm_89", "compute_90"], True),
        ("12.0", ["sm_60", "sm_70", "sm_80", "sm_89", "compute_90"], False),  # Blackwell: PTX only
        ("9.0", ["sm_35", "sm_50", "sm_60", "sm_70", "sm_75", "compute_80"], False),  # H100, TF 2.11's build
        ("7.5", ["sm_35", "sm_50", "sm_60", "sm_70", "sm_75", "compute_80"], True),
        ("6.1", ["sm_70", "sm_80"], False),
    ],
)
def test_a_build_has_kernels_for_a_capability_of_its_major_at_or_above_its_minor(capability, built, runs):
    assert has_kernels_for(capability, built) is runs


def test_unmet_build_conditions_say_what_was_seen():
    without_cudnn = target_facts(tensorflow="2.18.0", build_info=BUILD_2_18)
    assert unmet_conditions(REGISTRY_BY_ID["cudnn-runtime-older"].when, without_cudnn) == [
        "nvidia-cudnn-cu12 not installed"
    ]
    assert unmet_conditions(REGISTRY_BY_ID["tensorflow-text-mismatch"].when, without_cudnn) == [
        "tensorflow-text not installed"
    ]
    matching = target_facts(tensorflow="2.16.1", packages={"tensorflow-text": "2.16.1"})
    assert unmet_conditions(REGISTRY_BY_ID["tensorflow-text-mismatch"].when, matching) == [
        "tensorflow-text of TensorFlow's minor"
    ]
