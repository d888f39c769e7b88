"""Why TensorFlow sees no GPU, step by step, in `check`: on a real venv holding a stand-in TensorFlow
2.16.1 (its real build info), the nvidia-* wheels' real library names (compiled stand-ins) and an
`nvidia-smi` printing a real driver's output; then `fix pip-cuda-libs-not-found` and `check` again.
The steps that need other machines (Windows, WSL, a Blackwell GPU, torch's cuDNN) are judged on the
facts of a real probe, changed where that machine differs."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.helpers.fix_targets import bare_venv, fix_env
from tests.helpers.gpu_stand_ins import (
    CUDNN_8_9_LIBRARIES,
    TF_2_16_BUILD_INFO,
    dist_info,
    nvidia_smi,
    nvidia_wheel_libraries,
    stand_in_tensorflow,
)
from tests.test_gpu_probe import machine_has_libcuda, needs_no_driver, site_packages_of
from tfenvcheck.checks.gpu_diagnosis import check_gpu_diagnosis
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.facts.model import DriverGPU, Facts
from tfenvcheck.profiles.selection import choose_profile
from tfenvcheck.target import Target

STEP_LINE = "GPU step "


def step_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if STEP_LINE in line and line.strip().startswith("[")]


def gpu_machine(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A venv as `pip install "tensorflow[and-cuda]==2.16.1"` leaves it where TensorFlow finds none of
    the wheels' libraries, and an environment whose PATH holds the stand-in nvidia-smi."""
    python = bare_venv(tmp_path / "venv")
    site = site_packages_of(python)
    nvidia_wheel_libraries(site, (*CUDNN_8_9_LIBRARIES, "nvidia/cuda_runtime/lib/libcudart.so.12"))
    for name, version in (
        ("nvidia-cudnn-cu12", "8.9.7.29"),
        ("nvidia-cuda-runtime-cu12", "12.3.101"),
        ("nvidia-cusparse-cu12", "12.2.0.103"),
        ("nvidia-nvjitlink-cu12", "12.3.101"),
    ):
        dist_info(site, name, version)
    stand_in_tensorflow(site)
    nvidia_smi(tmp_path / "bin")
    env = fix_env(tmp_path / "state", PATH="{}{}{}".format(tmp_path / "bin", os.pathsep, os.environ["PATH"]))
    env.pop("LD_LIBRARY_PATH", None)
    env["COLUMNS"] = "400"  # one finding, one line
    return python, env


@needs_no_driver
@pytest.mark.slow  # three runs of check and fix on a venv (no real TensorFlow): about 30 s
def test_check_says_step_by_step_why_tensorflow_sees_no_gpu_and_the_preload_fix_mends_the_wheels_step(tmp_path):
    python, env = gpu_machine(tmp_path)
    site = site_packages_of(python)
    done = run_cli("check", "--python", str(python), "--profile", "course-2025", env=env)
    steps = step_lines(done.stdout)
    assert steps[:6] == [
        "[✓] GPU step 1 (driver): driver 550.40.07 sees NVIDIA GeForce RTX 4070 (CUDA up to 12.4)",
        "[!] GPU step 2 (libcuda): the target cannot load libcuda.so.1",
        "[!] GPU step 3 (wheels): 10 of the nvidia-* wheels' 10 libraries are not on the loader path",
        "[✓] GPU step 4 (build): the nvidia-* wheels match TensorFlow's build",
        "[✓] GPU step 5 (capability): TensorFlow has kernels for this GPU",
        "[!] GPU step 7 (loaded): TensorFlow asked for libcuda.so.1, libcudart.so.12, libcusparse.so.12, "
        "libcudnn.so.8 and the loader did not find them",
    ]
    text = " ".join(done.stdout.split())
    assert (
        "hint: the nvidia-* wheels hold libcudart.so.12, libcusparse.so.12, libcudnn.so.8: "
        "`tfenvcheck fix pip-cuda-libs-not-found` preloads them"
    ) in text

    fixed = run_cli("fix", "pip-cuda-libs-not-found", "--python", str(python), "--yes", env=env)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (site / "tfenvcheck-preload-pip-cuda-libs-not-found.pth").is_file()

    again = step_lines(run_cli("check", "--python", str(python), "--profile", "course-2025", env=env).stdout)
    assert again[2] == "[✓] GPU step 3 (wheels): the nvidia-* wheels' 10 libraries are preloaded"
    assert again[5] == "[!] GPU step 7 (loaded): TensorFlow asked for libcuda.so.1 and the loader did not find it"


@pytest.fixture(scope="module")
def probed(tmp_path_factory) -> Facts:
    """The facts of a real venv with the stand-in TensorFlow 2.16.1 and the wheels, nvidia-smi absent."""
    folder = tmp_path_factory.mktemp("gpu")
    python, _ = gpu_machine(folder)
    return gather_facts(Target(str(python), "test"))


def diagnosis(facts: Facts) -> dict[str, tuple[str, str, str | None]]:
    findings = check_gpu_diagnosis(facts, choose_profile("course-2025", None))
    return {f.id.rsplit(".", 1)[1]: (f.status, f.title.split(": ", 1)[1], f.fix_id) for f in findings}


def changed(facts: Facts) -> Facts:
    return copy.deepcopy(facts)


def test_without_any_driver_the_first_step_says_so_and_names_the_fix(probed):
    steps = diagnosis(probed)
    assert steps["driver"] == ("warn", "no NVIDIA driver answers", "no-cuda-drivers")


def test_on_wsl_the_driver_and_libcuda_steps_point_at_wsls_driver_folder(probed):
    facts = changed(probed)
    facts.gpu.wsl_library_folder = "/usr/lib/wsl/lib"
    facts.gpu.libcuda_error = "libcuda.so.1: cannot open shared object file: No such file or directory"
    driver, libcuda = check_gpu_diagnosis(facts, choose_profile("course-2025", None))[:2]
    assert driver.hint == (
        "install the NVIDIA driver on Windows (WSL2 gets it from there, in /usr/lib/wsl/lib; no Linux driver inside WSL)"
    )
    assert (
        libcuda.hint
        == "on WSL2 the driver's libcuda.so.1 is in /usr/lib/wsl/lib: put /usr/lib/wsl/lib on LD_LIBRARY_PATH"
    )


def test_a_cudnn_wheel_of_another_major_than_the_build_is_named(probed):
    facts = changed(probed)  # torch 2.3 pins nvidia-cudnn-cu12 8.9 where TensorFlow 2.18 was built with cuDNN 9
    facts.interpreter.distributions["nvidia-cudnn-cu12"].version = "8.9.2.26"
    facts.tensorflow.build_info = dict(TF_2_16_BUILD_INFO, cudnn_version="9", cuda_version="12.5.1")
    assert diagnosis(facts)["build"] == (
        "warn",
        "nvidia-cudnn-cu12 8.9.2.26 is cuDNN 8, TensorFlow was built with cuDNN 9",
        "cudnn-runtime-older",
    )


def test_a_blackwell_gpu_without_kernels_in_the_build_is_named(probed):
    facts = changed(probed)
    facts.host.nvidia.gpus = [DriverGPU(0, "NVIDIA GeForce RTX 5070 Ti Laptop GPU", "GPU-x", 12227, "12.0")]
    assert diagnosis(facts)["capability"] == (
        "warn",
        "TensorFlow has no kernels for compute capability 12.0",
        "gpu-compute-capability-unsupported",
    )


def test_native_windows_after_2_10_is_its_own_step(probed):
    facts = changed(probed)
    facts.interpreter.sys_platform = "win32"
    steps = diagnosis(facts)
    assert steps["windows"] == (
        "warn",
        "native Windows TensorFlow 2.16.1 has no GPU support (the last was 2.10)",
        "windows-gpu-after-2.10",
    )
    assert "libcuda" not in steps and "loaded" not in steps


def test_no_diagnosis_where_tensorflow_sees_a_gpu_or_none_is_expected(probed):
    seeing = changed(probed)
    seeing.tensorflow.gpus = [{"name": "/physical_device:GPU:0", "type": "GPU"}]
    assert check_gpu_diagnosis(seeing, choose_profile("course-2025", None)) == []
    plain = changed(probed)
    plain.gpu.wheel_libraries = []
    assert machine_has_libcuda() or check_gpu_diagnosis(plain, choose_profile("course-2025", None)) == []
