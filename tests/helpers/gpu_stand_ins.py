"""Stand-ins for a GPU machine: an `nvidia-smi` that prints a real driver's output, and the nvidia-*
wheels' library files, each a real tiny shared library compiled here with the soname of the real one.

The file names are those of the wheels on PyPI (read from each wheel's zip directory):
nvidia-cudnn-cu12 9.3.0.75 and 8.9.7.29, nvidia-cuda-runtime-cu12 12.5.82, nvidia-cusparse-cu12 12.5.1.3 and
nvidia-nvjitlink-cu12 12.5.82 (what tensorflow[and-cuda] 2.18 installs). libcusparse.so.12 needs
libnvJitLink.so.12, as the real one does, and no RPATH: it loads only when that one can be found.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import stand_in_program

# site-packages-relative library files of the wheels, as their RECORDs list them.
CUDNN_9_3_LIBRARIES = (
    "nvidia/cudnn/lib/libcudnn.so.9",
    "nvidia/cudnn/lib/libcudnn_adv.so.9",
    "nvidia/cudnn/lib/libcudnn_cnn.so.9",
    "nvidia/cudnn/lib/libcudnn_engines_precompiled.so.9",
    "nvidia/cudnn/lib/libcudnn_engines_runtime_compiled.so.9",
    "nvidia/cudnn/lib/libcudnn_graph.so.9",
    "nvidia/cudnn/lib/libcudnn_heuristic.so.9",
    "nvidia/cudnn/lib/libcudnn_ops.so.9",
)
# nvidia-cudnn-cu12 8.9.7.29, what tensorflow[and-cuda] 2.16.1 pins.
CUDNN_8_9_LIBRARIES = (
    "nvidia/cudnn/lib/libcudnn.so.8",
    "nvidia/cudnn/lib/libcudnn_adv_infer.so.8",
    "nvidia/cudnn/lib/libcudnn_adv_train.so.8",
    "nvidia/cudnn/lib/libcudnn_cnn_infer.so.8",
    "nvidia/cudnn/lib/libcudnn_cnn_train.so.8",
    "nvidia/cudnn/lib/libcudnn_ops_infer.so.8",
    "nvidia/cudnn/lib/libcudnn_ops_train.so.8",
)
CUDA_RUNTIME_12_5_LIBRARIES = ("nvidia/cuda_runtime/lib/libcudart.so.12",)
CUSPARSE = "nvidia/cusparse/lib/libcusparse.so.12"
NVJITLINK = "nvidia/nvjitlink/lib/libnvJitLink.so.12"

# `nvidia-smi` of driver 550.40.07 on an RTX 4070, the first lines as posted in
# https://github.com/Frogging-Family/nvidia-all/pull/212 (the header the host probe reads the CUDA
# version from). Its --query-gpu answer is that card's values in the probe's field order (the RTX
# 4070 is compute capability 8.9; the UUID is made up).
NVIDIA_SMI_550_RTX_4070_BANNER = (
    "Wed Jan 24 15:18:40 2024       \n"  # nvidia-smi pads the date line with spaces
    "+-----------------------------------------------------------------------------------------+\n"
    "| NVIDIA-SMI 550.40.07              Driver Version: 550.40.07      CUDA Version: 12.4     |\n"
    "|-----------------------------------------+------------------------+----------------------+\n"
    "| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |\n"
    "| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |\n"
    "|                                         |                        |               MIG M. |\n"
    "|=========================================+========================+======================|\n"
    "|   0  NVIDIA GeForce RTX 4070        Off |   00000000:2D:00.0  On |                  N/A |\n"
    "|  0%   36C    P5             17W /  200W |     430MiB /  12282MiB |      1%      Default |\n"
    "|                                         |                        |                  N/A |\n"
    "+-----------------------------------------+------------------------+----------------------+\n"
)
# The first lines of `nvidia-smi` of driver 610.43.02 on a B200, as posted in
# https://github.com/sgl-project/sglang/issues/27487: from 610 the header says "KMD Version" and
# "CUDA UMD Version" where older drivers said "Driver Version" and "CUDA Version".
NVIDIA_SMI_610_B200_BANNER = (
    "Sun Jun  7 08:16:57 2026\n"
    "+-----------------------------------------------------------------------------------------+\n"
    "| NVIDIA-SMI 610.43.02              KMD Version: 610.43.02     CUDA UMD Version: 13.3     |\n"
    "+-----------------------------------------+------------------------+----------------------+\n"
    "| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |\n"
    "| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |\n"
    "|                                         |                        |               MIG M. |\n"
    "|=========================================+========================+======================|\n"
    "|   0  NVIDIA B200                    On  |   00000000:63:00.0 Off |                    0 |\n"
    "| N/A   26C    P0            139W / 1000W |       0MiB / 183359MiB |      0%      Default |\n"
    "|                                         |                        |             Disabled |\n"
)
NVIDIA_SMI_550_RTX_4070_QUERY = (
    "0, NVIDIA GeForce RTX 4070, GPU-4e1b7c2a-5d3f-4a6b-9c8d-0e1f2a3b4c5d, 550.40.07, 12282, 8.9\n"
)


def nvidia_smi(
    folder: Path, banner: str = NVIDIA_SMI_550_RTX_4070_BANNER, query: str = NVIDIA_SMI_550_RTX_4070_QUERY
) -> Path:
    """An `nvidia-smi` in `folder` answering --query-gpu with `query` and anything else with `banner`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nvidia-smi-banner.txt").write_text(banner)
    (folder / "nvidia-smi-query.txt").write_text(query)
    return stand_in_program(
        folder / "nvidia-smi",
        'here=${0%/*}\ncase "$1" in\n  --query-gpu=*) cat "$here/nvidia-smi-query.txt" ;;\n'
        '  *) cat "$here/nvidia-smi-banner.txt" ;;\nesac',
    )


def require_gcc() -> str:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is needed to build the stand-in shared libraries")
    return gcc


def shared_library(path: Path, symbol: str, needs: tuple[Path, str] | None = None) -> Path:
    """A real shared library at `path`, soname its file name, exporting `int <symbol>(void)`; with
    `needs` (a library and one of its symbols), linked against it by soname (no RPATH) and calling
    that symbol, so that the loader must find it."""
    gcc = require_gcc()
    path.parent.mkdir(parents=True, exist_ok=True)
    source = path.with_name(path.name + ".c")
    if needs is None:
        source.write_text("int {}(void) {{ return 42; }}\n".format(symbol))
    else:
        source.write_text("int {1}(void);\nint {0}(void) {{ return {1}(); }}\n".format(symbol, needs[1]))
    command = [gcc, "-shared", "-fPIC", "-o", str(path), str(source), "-Wl,-soname," + path.name]
    if needs is not None:
        command += ["-L", str(needs[0].parent), "-l:" + needs[0].name]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    source.unlink()
    return path


def nvidia_wheel_libraries(site_packages: Path, names: tuple[str, ...] = CUDA_RUNTIME_12_5_LIBRARIES) -> list[Path]:
    """The wheels' library files under `site-packages/nvidia/`, plus libcusparse needing libnvJitLink."""
    made = [shared_library(site_packages / name, "stand_in_{}".format(i)) for i, name in enumerate(names)]
    jitlink = shared_library(site_packages / NVJITLINK, "nvJitLinkVersion")
    made += [
        shared_library(site_packages / CUSPARSE, "cusparseGetVersion", needs=(jitlink, "nvJitLinkVersion")),
        jitlink,
    ]
    return made


# tf.sysconfig.get_build_info() of the tensorflow 2.16.1 Linux wheel, as it answers on this machine
# (the cached venv of the DeepLearning.AI pins).
TF_2_16_BUILD_INFO = {
    "cpu_compiler": "/usr/lib/llvm-17/bin/clang",
    "cuda_compute_capabilities": ["sm_50", "sm_60", "sm_70", "sm_80", "compute_90"],
    "cuda_version": "12.3",
    "cudnn_version": "8",
    "is_cuda_build": True,
    "is_rocm_build": False,
    "is_tensorrt_build": True,
}
# What a stand-in TensorFlow opens by name when its GPUs are listed: as the real 2.16.1 does (it
# asks for libcuda.so.1 and libcudart.so.12 under LD_DEBUG=libs), then cuSPARSE and its cuDNN 8.
STAND_IN_TENSORFLOW = '''"""A stand-in for TensorFlow {version}: its version, build info, and the CUDA libraries it dlopens by
name when its devices are listed (none is found: no GPU is listed)."""
import ctypes

__version__ = {version!r}


def _opens(name):
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


class sysconfig:
    @staticmethod
    def get_build_info():
        return {build_info!r}


class config:
    @staticmethod
    def list_physical_devices(device_type=None):
        for name in {asks_for!r}:
            _opens(name)
        return []

    @staticmethod
    def list_logical_devices(device_type=None):
        return []
'''
STAND_IN_ASKS_FOR = ("libcuda.so.1", "libcudart.so.12", "libcusparse.so.12", "libcudnn.so.8")


def dist_info(site_packages: Path, name: str, version: str) -> None:
    """The metadata of an installed distribution (what importlib.metadata and pip read)."""
    folder = site_packages / "{}-{}.dist-info".format(name.replace("-", "_"), version)
    folder.mkdir(parents=True)
    (folder / "METADATA").write_text("Metadata-Version: 2.1\nName: {}\nVersion: {}\n".format(name, version))


def stand_in_tensorflow(
    site_packages: Path,
    version: str = "2.16.1",
    build_info: dict | None = None,
    asks_for: tuple[str, ...] = STAND_IN_ASKS_FOR,
    module: str = "tensorflow",
) -> None:
    source = STAND_IN_TENSORFLOW.format(
        version=version, build_info=build_info or TF_2_16_BUILD_INFO, asks_for=list(asks_for)
    )
    (site_packages / module).mkdir(parents=True)
    (site_packages / module / "__init__.py").write_text(source)
    if module == "tensorflow":
        dist_info(site_packages, "tensorflow", version)
