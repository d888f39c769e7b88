"""GPU: TensorFlow sees the GPU the driver sees; or why not (the CUDA/cuDNN build table); or no GPU.

No GPU is a warning, not a failure: the exam's models train on a CPU, only slower, and candidates
without a fast machine train in Google Colab and bring the saved models.
"""

from __future__ import annotations

import re

from packaging.version import Version

from tfenvcheck.checks.build_table import build_table
from tfenvcheck.checks.finding import OK, SKIPPED, WARN, Finding
from tfenvcheck.facts.model import Facts, NvidiaFacts
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.versions import parse_version, tensorflow_version

NO_GPU_HINT = (
    "the exam's models train on a CPU, only slower; if training is too slow here, train in Google Colab "
    "(free GPU), download the models and put them where the exam expects them; `tfenvcheck model FILE` "
    "checks that a model saved there loads and predicts here (a notebook's Keras 3 saves files an exam's "
    "Keras 2 may not read)"
)
_MISSING_LIBRARY = re.compile(r"Could not load dynamic library '([^']+)'")


def _driver_gpu_names(nvidia: NvidiaFacts) -> str:
    return ", ".join(gpu.name for gpu in nvidia.gpus)


def likely_reason(facts: Facts) -> tuple[str, str, str | None]:
    """(why TensorFlow sees no GPU, what it would need, fix id) from the build, the OS and TF's log."""
    tensorflow = facts.tensorflow
    version = tensorflow_version(facts)
    table = build_table()
    build = table.build_for(version) if version else None
    needs = (
        "CUDA {} and cuDNN {} (TensorFlow {}'s tested build)".format(build.cuda, build.cudnn, version)
        if build
        else "the CUDA and cuDNN of TensorFlow {}'s tested build".format(version)
    )
    host_os = facts.host.os
    if host_os.system == "Windows" and version and version.release[:2] > table.windows_last_gpu_release.release[:2]:
        return (
            "native Windows TensorFlow has no GPU support after {}".format(table.windows_last_gpu_release),
            "TensorFlow <= {} or WSL2".format(table.windows_last_gpu_release),
            "windows-gpu-after-2.10",
        )
    build_info = tensorflow.build_info or {}
    if tensorflow.built_with_cuda is False or build_info.get("is_cuda_build") is False:
        return (
            "this TensorFlow is a CPU-only build",
            "a CUDA build of TensorFlow (tensorflow, not tensorflow-cpu)",
            None,
        )
    nvidia = facts.host.nvidia
    driver_cuda = parse_version(nvidia.cuda_driver_version)
    if build and driver_cuda and driver_cuda < Version(build.cuda):
        return (
            "the driver supports CUDA up to {}, TensorFlow {} needs {}".format(driver_cuda, version, build.cuda),
            "a driver for CUDA {} or newer".format(build.cuda),
            "cuda-mismatch",
        )
    missing = sorted({m.group(1) for line in tensorflow.log_lines for m in _MISSING_LIBRARY.finditer(line)})
    pip_cuda = version is not None and version >= Version("2.15") and host_os.system == "Linux"
    where = '; or python -m pip install "tensorflow[and-cuda]=={}"'.format(version) if pip_cuda else ""
    if missing:
        return ("TensorFlow could not load {}".format(", ".join(missing)), needs + where, "cuda-mismatch")
    return "CUDA or cuDNN missing or of the wrong version", needs + where, "cuda-mismatch"


def check_gpu(facts: Facts, profile: Profile) -> list[Finding]:
    tensorflow = facts.tensorflow
    nvidia = facts.host.nvidia
    tf_gpus = tensorflow.gpus
    if tf_gpus:
        names = ", ".join(gpu.get("model") or gpu["name"] for gpu in tf_gpus)
        return [
            Finding(
                "gpu",
                OK,
                "TensorFlow sees {} GPU{}".format(len(tf_gpus), "s" if len(tf_gpus) > 1 else ""),
                seen=names,
                expected="TensorFlow sees the GPU",
            )
        ]
    if nvidia.gpus:
        seen_by_driver = "driver {} sees {}".format(nvidia.driver_version, _driver_gpu_names(nvidia))
        if not tensorflow.probed:
            return [Finding("gpu", SKIPPED, "GPU: TensorFlow not imported (--no-tensorflow)", seen=seen_by_driver)]
        if not tensorflow.importable:
            return [Finding("gpu", SKIPPED, "GPU: TensorFlow does not import", seen=seen_by_driver)]
        reason, needs, fix_id = likely_reason(facts)
        return [
            Finding(
                "gpu",
                WARN,
                "The driver sees a GPU but TensorFlow does not",
                seen="{}; TensorFlow {} sees none".format(seen_by_driver, tensorflow.version),
                expected=needs,
                hint="likely reason: {}. Without it, training runs on the CPU; the GPU steps below say which "
                "link breaks".format(reason),
                fix_id=fix_id,
            )
        ]
    if nvidia.error:
        return [
            Finding(
                "gpu",
                WARN,
                "GPU: nvidia-smi failed",
                seen=nvidia.error,
                hint="reinstall or update the NVIDIA driver; " + NO_GPU_HINT,
            )
        ]
    return [
        Finding(
            "gpu",
            WARN,
            "No GPU: training runs on the CPU",
            seen="no NVIDIA driver" if nvidia.nvidia_smi is None else "nvidia-smi sees no GPU",
            expected="a GPU helps, but is not required",
            hint=NO_GPU_HINT,
        )
    ]
