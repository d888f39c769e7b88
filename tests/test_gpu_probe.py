"""The GPU probe of the target: libcuda.so.1 loadable, the nvidia-* wheels' libraries and how each is
found, and the CUDA libraries TensorFlow asks the loader for (LD_DEBUG=libs), on real interpreters,
real compiled libraries and the real dynamic loader; the last one also on a real TensorFlow 2.16.1."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import pytest

from tests.helpers import cached_venv, require_python
from tests.helpers.fix_targets import bare_venv
from tests.helpers.gpu_stand_ins import (
    CUSPARSE,
    NVIDIA_SMI_610_B200_BANNER,
    NVJITLINK,
    nvidia_smi,
    nvidia_wheel_libraries,
    shared_library,
    stand_in_tensorflow,
)
from tfenvcheck.fixer.preload import pth_content
from tfenvcheck.probes.gpu import probe_gpu, probe_loaded_libraries
from tfenvcheck.probes.host import nvidia_facts

NO_LIBCUDA = "libcuda.so.1: cannot open shared object file: No such file or directory"


def machine_has_libcuda() -> bool:
    try:
        ctypes.CDLL("libcuda.so.1")
    except OSError:
        return False
    return True


needs_no_driver = pytest.mark.skipif(machine_has_libcuda(), reason="this machine has an NVIDIA driver's libcuda.so.1")


def site_packages_of(python: Path) -> Path:
    [site] = (python.parent.parent / "lib").glob("python3.*/site-packages")
    return site


@pytest.fixture
def venv(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("LD_LIBRARY_PATH", raising=False)
    return bare_venv(tmp_path / "venv")


@needs_no_driver
def test_without_a_driver_the_target_cannot_load_libcuda(venv):
    facts = probe_gpu(str(venv))
    assert (facts.probed, facts.error, facts.sys_platform) == (True, None, "linux")
    assert facts.libcuda_error == NO_LIBCUDA
    assert facts.libcuda_path is None
    assert facts.wheel_libraries == [] and facts.library_path == []


def test_a_libcuda_on_the_loader_path_loads_and_says_where_from(venv, tmp_path, monkeypatch):
    driver = shared_library(tmp_path / "driver" / "libcuda.so.1", "cuInit")
    monkeypatch.setenv("LD_LIBRARY_PATH", str(driver.parent))
    facts = probe_gpu(str(venv))
    assert facts.libcuda_error is None
    assert facts.libcuda_path == str(driver)
    assert facts.library_path == [str(driver.parent)]


def test_each_wheel_library_says_whether_it_is_on_the_loader_path_or_preloaded(venv, monkeypatch):
    site = site_packages_of(venv)
    nvidia_wheel_libraries(site)
    monkeypatch.setenv("LD_LIBRARY_PATH", "{}:/nonexistent".format(site / "nvidia/cuda_runtime/lib"))
    found = {
        (Path(w.path).relative_to(site).as_posix(), w.package, w.loaded, w.on_library_path)
        for w in probe_gpu(str(venv)).wheel_libraries
    }
    assert found == {
        ("nvidia/cuda_runtime/lib/libcudart.so.12", "cuda_runtime", False, True),
        (CUSPARSE, "cusparse", False, False),
        (NVJITLINK, "nvjitlink", False, False),
    }
    libraries = sorted(str(p) for p in (site / "nvidia").glob("*/lib/*.so*"))
    (site / "tfenvcheck-preload-test.pth").write_bytes(pth_content(libraries, ["test"]))
    assert all(w.loaded for w in probe_gpu(str(venv)).wheel_libraries)


@needs_no_driver
@pytest.mark.parametrize("version, platform", [("2.7", "linux2"), ("3.6", "linux"), ("3.13", "linux")])
def test_the_gpu_payload_runs_on_old_and_new_interpreters(version, platform, monkeypatch):
    monkeypatch.delenv("LD_LIBRARY_PATH", raising=False)
    facts = probe_gpu(str(require_python(version)))
    assert (facts.error, facts.sys_platform, facts.libcuda_error) == (None, platform, NO_LIBCUDA)


def test_the_loader_log_names_what_tensorflow_loaded_and_what_it_asked_for_in_vain(venv, monkeypatch):
    site = site_packages_of(venv)
    nvidia_wheel_libraries(site)
    stand_in_tensorflow(site)
    folders = [site / "nvidia/cusparse/lib", site / "nvidia/nvjitlink/lib"]
    monkeypatch.setenv("LD_LIBRARY_PATH", os.pathsep.join(map(str, folders)))
    libraries = probe_loaded_libraries(str(venv))
    assert libraries.loaded == {"libcusparse.so.12": str(site / CUSPARSE), "libnvJitLink.so.12": str(site / NVJITLINK)}
    expected_missing = ["libcudart.so.12", "libcudnn.so.8"]
    if not machine_has_libcuda():
        expected_missing.insert(0, "libcuda.so.1")
    assert libraries.not_found == expected_missing
    assert (libraries.probed, libraries.gpus, libraries.error) == (True, 0, None)


def test_a_module_that_does_not_import_is_an_error_of_the_trace(venv):
    libraries = probe_loaded_libraries(str(venv), module="tfenvcheck_no_such_module")
    assert libraries.error == "ModuleNotFoundError: No module named 'tfenvcheck_no_such_module'"
    assert libraries.loaded == {} and libraries.not_found == []


@pytest.mark.slow  # imports a real TensorFlow (the cached venv of the DeepLearning.AI pins)
@needs_no_driver
def test_real_tensorflow_2_16_asks_for_libcudart_tensorrt_and_libcuda_and_finds_none(monkeypatch):
    from tests.test_course_profiles import DLAI_PINS

    monkeypatch.delenv("LD_LIBRARY_PATH", raising=False)
    libraries = probe_loaded_libraries(str(cached_venv("3.11", DLAI_PINS)))
    assert (libraries.error, libraries.gpus) == (None, 0)
    # The order of its dlopen calls: the CUDA runtime at import, TensorRT (TF-TRT), then the driver.
    assert libraries.not_found == [
        "libcudart.so.12",
        "libnvinfer.so.8.6.1",
        "libnvinfer_plugin.so.8.6.1",
        "libcuda.so.1",
    ]
    assert libraries.loaded == {}


def test_the_cuda_version_of_a_driver_610_header_is_read(tmp_path, monkeypatch):
    query = "0, NVIDIA B200, GPU-0a1b2c3d-0000-1111-2222-333344445555, 610.43.02, 183359, 10.0\n"
    nvidia_smi(tmp_path, banner=NVIDIA_SMI_610_B200_BANNER, query=query)
    monkeypatch.setenv("PATH", "{}{}{}".format(tmp_path, os.pathsep, os.environ["PATH"]))
    facts = nvidia_facts()
    assert (facts["driver_version"], facts["cuda_driver_version"]) == ("610.43.02", "13.3")
    assert facts["gpus"][0]["compute_capability"] == "10.0"
