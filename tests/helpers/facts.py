"""Synthetic facts records: a target as `tfenvcheck probe --json` records it, built without probing.

The registry, explain, model-file, resolve and course tests judge made-up targets (a TensorFlow release
beside a protobuf, a Python too new for its wheels, a GPU TensorFlow does not see). They build them all
here, from one record of a CPython venv on x86-64 Linux, so a field the record gains or changes is
written once and every test judges the same shape of target.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from tfenvcheck.facts.model import Facts


def linux_venv_record(python: str) -> dict[str, Any]:
    """A pyenv CPython `python` venv at /home/ana/exam on x86-64 Linux with a driver that sees no GPU."""
    short = ".".join(python.split(".")[:2])
    base = "/home/ana/.pyenv/versions/{}".format(python)
    site = "/home/ana/exam/lib/python{}/site-packages".format(short)
    return {
        "target": {"executable": "/home/ana/exam/bin/python", "reason": "given with --python"},
        "interpreter": {
            "executable": "/home/ana/exam/bin/python",
            "real_executable": "{}/bin/python{}".format(base, short),
            "version": python,
            "version_info": [int(part) for part in python.split(".")] + ["final", 0],
            "sys_version": "{} (main, Nov 20 2023, 10:00:00) \n[GCC 12.2.0]".format(python),
            "implementation": "CPython",
            "bits": 64,
            "sys_platform": "linux",
            "machine": "x86_64",
            "system": "Linux",
            "prefix": "/home/ana/exam",
            "base_prefix": base,
            "paths": {
                "stdlib": "{}/lib/python{}".format(base, short),
                "purelib": site,
                "platlib": site,
                "site_packages": [site],
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


# The record every synthetic target starts from: its Python when none is given.
LINUX_VENV = linux_venv_record("3.9.18")
GPU = {"index": 0, "name": "NVIDIA GeForce RTX 3060", "uuid": "GPU-5a2c1f0e-8d3b-4c6a-9e71-2b4d6f8a0c13"}
# host__nvidia where nvidia-smi sees that GPU; TensorFlow's gpus where TensorFlow sees it too.
DRIVER_SEES = {"nvidia_smi": "/usr/bin/nvidia-smi", "gpus": [GPU]}
TF_GPU = [{"name": "/physical_device:GPU:0", "type": "GPU"}]
# tf.sysconfig.get_build_info() of a TensorFlow 2.18 CUDA wheel, as the probe records it.
BUILD_2_18 = {
    "cuda_compute_capabilities": ["sm_60", "sm_70", "sm_80", "sm_89", "compute_90"],
    "cuda_version": "12.5.1",
    "cudnn_version": "9",
    "is_cuda_build": True,
    "is_rocm_build": False,
    "is_tensorrt_build": False,
}


def target_facts(
    *,
    python: str | None = None,
    tensorflow: str | None = None,
    packages: dict[str, str] | None = None,
    variables: dict[str, str] | None = None,
    imported: bool = True,
    tensorflow_gpus: Sequence[dict[str, str]] = (),
    build_info: dict[str, Any] | None = None,
    **changes: dict[str, Any],
) -> Facts:
    """LINUX_VENV (of Python `python`) with TensorFlow and `packages` installed and `variables` set.

    TensorFlow is imported by the probe (seeing `tensorflow_gpus`, with `build_info`) unless `imported`
    is False, as `probe --no-tensorflow` records it. The sections in `changes` are updated last
    ("host__cpu": the record's host.cpu), so a test states only what its target has of its own."""
    record = linux_venv_record(python) if python else copy.deepcopy(LINUX_VENV)
    record.setdefault("gpu", {"probed": True})
    installed = dict(packages or {}, **({"tensorflow": tensorflow} if tensorflow else {}))
    interpreter = record["interpreter"]
    site = interpreter["paths"]["purelib"]
    interpreter["distributions"] = {name: {"version": v, "location": site} for name, v in installed.items()}
    interpreter["environment"]["variables"] = dict(variables or {})
    if imported:
        record["tensorflow"]["version"] = tensorflow
        record["tensorflow"]["importable"] = tensorflow is not None
        record["tensorflow"]["gpus"] = list(tensorflow_gpus)
        record["tensorflow"]["build_info"] = build_info
    else:
        record["tensorflow"] = {"probed": False}
    for section, values in changes.items():
        part = record
        for key in section.split("__"):
            part = part[key]
        part.update(values)
    return Facts.from_dict(record)


def with_gpu(name: str, capability: str) -> dict[str, Any]:
    """nvidia-smi sees one GPU of `capability` (`--query-gpu=compute_cap`), TensorFlow 2.18's build info."""
    gpu = dict(GPU, name=name, compute_capability=capability)
    return {"host__nvidia": {"nvidia_smi": "/usr/bin/nvidia-smi", "gpus": [gpu]}, "build_info": BUILD_2_18}


def on_windows(**changes: Any) -> dict[str, Any]:
    """The changes of target_facts for a python.org Python 3.9 venv on 64-bit Windows 10."""
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
    """The changes of target_facts for a python.org Python 3.9 venv on macOS 14 (`machine` as it reports)."""
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
