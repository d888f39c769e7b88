"""Every entry of the known-breakages registry matched against facts shaped like a real target's: one
where the breakage is there (with what a match says it saw) and one, as close to it as can be, where
it is not. An entry added to fixes/ fails here until it has its two cases."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import require_python
from tests.helpers.fix_targets import apple_linecache
from tfenvcheck.facts.model import Facts
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.registry.match import match

REGISTRY = load_registry()

# A CPython 3.9 venv on x86-64 Linux with a driver that sees no GPU, as `tfenvcheck probe --json` records it.
LINUX_VENV: dict[str, Any] = {
    "target": {"executable": "/home/ana/exam/bin/python", "reason": "given with --python"},
    "interpreter": {
        "executable": "/home/ana/exam/bin/python",
        "real_executable": "/home/ana/.pyenv/versions/3.9.18/bin/python3.9",
        "version": "3.9.18",
        "version_info": [3, 9, 18, "final", 0],
        "sys_version": "3.9.18 (main, Nov 20 2023, 10:00:00) \n[GCC 12.2.0]",
        "implementation": "CPython",
        "bits": 64,
        "sys_platform": "linux",
        "machine": "x86_64",
        "system": "Linux",
        "prefix": "/home/ana/exam",
        "base_prefix": "/home/ana/.pyenv/versions/3.9.18",
        "paths": {
            "stdlib": "/home/ana/.pyenv/versions/3.9.18/lib/python3.9",
            "purelib": "/home/ana/exam/lib/python3.9/site-packages",
            "platlib": "/home/ana/exam/lib/python3.9/site-packages",
            "site_packages": ["/home/ana/exam/lib/python3.9/site-packages"],
        },
        "ssl": {
            "available": True,
            "openssl_version": "OpenSSL 3.0.11 19 Sep 2023",
            "openssl_cafile": "/usr/lib/ssl/cert.pem",
            "openssl_cafile_exists": True,
            "openssl_capath": "/usr/lib/ssl/certs",
        },
        "environment": {"variables": {}},
        "distributions": {},
        "is_venv": True,
        "origin": "pyenv",
    },
    "host": {
        "os": {"system": "Linux", "release": "6.1.0-13-amd64", "distribution": "Debian GNU/Linux 12 (bookworm)"},
        "cpu": {"brand": "AMD EPYC 7B13", "machine": "x86_64", "flags": ["sse4_2", "avx", "avx2", "fma"]},
        "nvidia": {"nvidia_smi": None},
    },
    "tensorflow": {"probed": True, "importable": True},
}
GPU = {"index": 0, "name": "NVIDIA GeForce RTX 3060", "uuid": "GPU-5a2c1f0e-8d3b-4c6a-9e71-2b4d6f8a0c13"}


def target(
    *,
    tensorflow: str | None = None,
    packages: dict[str, str] | None = None,
    tensorflow_gpus: list[dict[str, str]] = (),
    **changes: dict[str, Any],
) -> Facts:
    """LINUX_VENV with TensorFlow (seeing `tensorflow_gpus`) and `packages` installed, and the sections
    in `changes` updated ("host__cpu": the record's host.cpu)."""
    record = copy.deepcopy(LINUX_VENV)
    installed = dict(packages or {}, **({"tensorflow": tensorflow} if tensorflow else {}))
    site = record["interpreter"]["paths"]["purelib"]
    record["interpreter"]["distributions"] = {name: {"version": v, "location": site} for name, v in installed.items()}
    record["tensorflow"]["version"] = tensorflow
    record["tensorflow"]["importable"] = tensorflow is not None
    record["tensorflow"]["gpus"] = list(tensorflow_gpus)
    for section, values in changes.items():
        part = record
        for key in section.split("__"):
            part = part[key]
        part.update(values)
    return Facts.from_dict(record)


def on_windows(**changes: Any) -> dict[str, Any]:
    return {
        "interpreter": {
            "executable": "C:\\Users\\ana\\exam\\Scripts\\python.exe",
            "real_executable": "C:\\Users\\ana\\AppData\\Local\\Programs\\Python\\Python39\\python.exe",
            "sys_platform": "win32",
            "machine": "AMD64",
            "system": "Windows",
            "msvc_runtime": True,
            **changes,
        },
        "host__os": {"system": "Windows", "release": "10", "distribution": None},
    }


def on_macos(machine: str, rosetta: bool = False, **changes: Any) -> dict[str, Any]:
    return {
        "interpreter": {
            "executable": "/Users/ana/exam/bin/python",
            "real_executable": "/Library/Frameworks/Python.framework/Versions/3.9/bin/python3.9",
            "sys_platform": "darwin",
            "machine": machine,
            "system": "Darwin",
            "base_prefix": "/Library/Frameworks/Python.framework/Versions/3.9",
            "origin": "python.org",
            **changes,
        },
        "host__os": {"system": "Darwin", "release": "23.5.0", "mac_version": "14.5", "rosetta": rosetta},
    }


def with_stdlib(folder: Path) -> dict[str, Any]:
    return {"interpreter__paths": {"stdlib": str(folder)}}


# id -> (facts where it applies, what the match says it saw, facts where it does not).
CASES: dict[str, tuple[Any, tuple[str, ...], Any]] = {
    "protobuf4-descriptors": (
        lambda: target(tensorflow="2.0.0", packages={"protobuf": "4.24.4"}),
        ("TensorFlow 2.0.0", "protobuf 4.24.4", "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION not set"),
        lambda: target(
            tensorflow="2.0.0",
            packages={"protobuf": "4.24.4"},
            interpreter__environment={"variables": {"PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION": "python"}},
        ),
    ),
    "protobuf-too-old-builder": (
        lambda: target(tensorflow="2.12.0", packages={"protobuf": "3.19.6"}),
        ("TensorFlow 2.12.0", "protobuf 3.19.6"),
        lambda: target(tensorflow="2.12.0", packages={"protobuf": "3.20.3"}),
    ),
    "numpy120-symbolic-lstm": (
        lambda: target(tensorflow="2.4.1", packages={"numpy": "1.20.3"}),
        ("TensorFlow 2.4.1", "numpy 1.20.3"),
        lambda: target(tensorflow="2.4.1", packages={"numpy": "1.19.5"}),
    ),
    "h5py3-str-decode": (
        lambda: target(tensorflow="2.4.1", packages={"h5py": "3.1.0"}),
        ("TensorFlow 2.4.1", "h5py 3.1.0"),
        lambda: target(tensorflow="2.5.0", packages={"h5py": "3.1.0"}),
    ),
    # Entries of a model file that fails to load in this Keras: the versions alone say it may.
    "keras-format-in-old-keras": (
        lambda: target(tensorflow="2.9.0", packages={"keras": "2.9.0"}),
        ("TensorFlow 2.9.0",),
        lambda: target(tensorflow="2.12.0", packages={"keras": "2.12.0"}),
    ),
    "keras3-h5-in-keras2": (
        lambda: target(tensorflow="2.15.0", packages={"keras": "2.15.0"}),
        ("TensorFlow 2.15.0",),
        lambda: target(tensorflow="2.16.1", packages={"keras": "3.3.3"}),
    ),
    "compiled-h5-in-keras3": (
        lambda: target(tensorflow="2.21.0", packages={"keras": "3.15.1"}),
        ("TensorFlow 2.21.0", "keras 3.15.1", "TF_USE_LEGACY_KERAS not set"),
        lambda: target(tensorflow="2.15.0", packages={"keras": "2.15.0"}),
    ),
    "keras27-with-tf26": (
        lambda: target(tensorflow="2.6.0", packages={"keras": "2.7.0"}),
        ("TensorFlow 2.6.0", "keras 2.7.0"),
        lambda: target(tensorflow="2.6.0", packages={"keras": "2.6.0"}),
    ),
    "keras3-legacy-code": (
        lambda: target(tensorflow="2.16.1", packages={"keras": "3.3.3"}),
        ("TensorFlow 2.16.1", "keras 3.3.3", "TF_USE_LEGACY_KERAS not set"),
        lambda: target(
            tensorflow="2.16.1",
            packages={"keras": "3.3.3", "tf-keras": "2.16.0"},
            interpreter__environment={"variables": {"TF_USE_LEGACY_KERAS": "1"}},
        ),
    ),
    "numpy2-abi": (
        lambda: target(tensorflow="2.15.0", packages={"numpy": "2.0.0"}),
        ("TensorFlow 2.15.0", "numpy 2.0.0"),
        lambda: target(tensorflow="2.18.0", packages={"numpy": "2.0.2"}),
    ),
    "numpy124-object-alias": (
        lambda: target(tensorflow="2.11.0", packages={"numpy": "1.24.3"}),
        ("TensorFlow 2.11.0", "numpy 1.24.3"),
        lambda: target(tensorflow="2.11.0", packages={"numpy": "1.23.5"}),
    ),
    "numpy-abi-downgrade": (
        lambda: target(tensorflow="2.9.0", packages={"pandas": "1.4.2", "numpy": "1.19.5"}),
        ("pandas 1.4.2",),
        lambda: target(tensorflow="2.9.0", packages={"numpy": "1.19.5"}),
    ),
    "typing-ext-dictwrapper": (
        lambda: target(tensorflow="2.13.0", packages={"typing-extensions": "4.6.0"}),
        ("TensorFlow 2.13.0", "typing-extensions 4.6.0"),
        lambda: target(tensorflow="2.13.0", packages={"typing-extensions": "4.5.0"}),
    ),
    "pil-scipy-missing": (
        lambda: target(tensorflow="2.9.0", packages={"numpy": "1.22.4"}),
        ("TensorFlow 2.9.0", "pillow, scipy not installed"),
        lambda: target(tensorflow="2.9.0", packages={"Pillow": "9.1.1", "scipy": "1.7.3"}),
    ),
    "several-tf-dists": (
        lambda: target(tensorflow="2.9.0", packages={"tensorflow-cpu": "2.9.0"}),
        ("installed together: tensorflow, tensorflow-cpu",),
        lambda: target(packages={"tensorflow-cpu": "2.9.0"}),
    ),
    "tensorflow-gpu-removed": (
        lambda: target(packages={"tensorflow-gpu": "2.12.0"}),
        ("tensorflow-gpu 2.12.0",),
        lambda: target(tensorflow="2.12.0"),
    ),
    "python-unsupported": (
        lambda: target(**on_windows(bits=32)),
        ("32-bit Python",),
        lambda: target(**on_windows()),
    ),
    "no-avx": (
        lambda: target(tensorflow="2.9.0", host__cpu={"brand": "Intel(R) Pentium(R) CPU G4560", "flags": ["sse4_2"]}),
        ("TensorFlow 2.9.0", "machine x86_64", "CPU without AVX"),
        lambda: target(tensorflow="2.9.0"),
    ),
    "no-avx2-tf240": (
        lambda: target(
            tensorflow="2.4.0", host__cpu={"brand": "Intel(R) Core(TM) i7-3770", "flags": ["sse4_2", "avx"]}
        ),
        ("TensorFlow 2.4.0", "machine x86_64", "CPU without AVX2"),
        lambda: target(
            tensorflow="2.4.1", host__cpu={"brand": "Intel(R) Core(TM) i7-3770", "flags": ["sse4_2", "avx"]}
        ),
    ),
    "cuda-mismatch": (
        lambda: target(tensorflow="2.9.0", host__nvidia={"nvidia_smi": "/usr/bin/nvidia-smi", "gpus": [GPU]}),
        ("nvidia-smi sees 1 GPU(s), TensorFlow none",),
        lambda: target(
            tensorflow="2.9.0",
            host__nvidia={"nvidia_smi": "/usr/bin/nvidia-smi", "gpus": [GPU]},
            tensorflow_gpus=[{"name": "/physical_device:GPU:0", "type": "GPU"}],
        ),
    ),
    "no-cuda-drivers": (
        lambda: target(tensorflow="2.16.1", host__nvidia={"nvidia_smi": "/usr/bin/nvidia-smi", "gpus": [GPU]}),
        ("platform linux", "nvidia-smi sees 1 GPU(s), TensorFlow none"),
        # The line is harmless where the driver sees no GPU at all.
        lambda: target(tensorflow="2.16.1"),
    ),
    "windows-gpu-after-2.10": (
        lambda: target(
            tensorflow="2.11.0", host__nvidia={"nvidia_smi": "nvidia-smi.exe", "gpus": [GPU]}, **on_windows()
        ),
        ("TensorFlow 2.11.0", "platform win32", "nvidia-smi sees 1 GPU(s), TensorFlow none"),
        lambda: target(
            tensorflow="2.10.0", host__nvidia={"nvidia_smi": "nvidia-smi.exe", "gpus": [GPU]}, **on_windows()
        ),
    ),
    "msvc-runtime": (
        lambda: target(tensorflow="2.10.0", **on_windows(msvc_runtime=False)),
        ("TensorFlow 2.10.0", "platform win32", "msvcp140_1.dll not found"),
        lambda: target(tensorflow="2.10.0", **on_windows()),
    ),
    "apple-silicon": (
        lambda: target(**on_macos("x86_64", rosetta=True)),
        ("platform darwin", "running under Rosetta"),
        lambda: target(**on_macos("arm64")),
    ),
    "macos-ssl-certs": (
        # python.org's Python before "Install Certificates.command" has run: no cert.pem of its own.
        lambda: target(
            **on_macos("arm64", ssl={**LINUX_VENV["interpreter"]["ssl"], "openssl_cafile_exists": False}),
        ),
        ("platform darwin", "no CA certificate file for SSL (/usr/lib/ssl/cert.pem)"),
        lambda: target(**on_macos("arm64")),
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
    assert matched(target(**with_stdlib(apple)))["apple-clt-linecache"] == (
        "{} contains 'for mod in sys.modules.values():'".format(apple / "linecache.py"),
    )
    assert "apple-clt-linecache" not in matched(target(**with_stdlib(linecache_folders["cpython"])))


def test_a_healthy_stack_matches_nothing_but_the_confirm_only_entries():
    """Python 3.9, TensorFlow 2.9 with the pins of its time: only the entries reported when confirmed."""
    healthy = target(
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
