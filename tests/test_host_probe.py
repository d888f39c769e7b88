"""The host probe reads this machine: compared with what the OS itself says."""

from __future__ import annotations

import os
import platform
import shutil
from pathlib import Path

import pytest

from tests.helpers import stand_in_program
from tfenvcheck.probes.host import nvidia_facts, probe_host


def test_cores_memory_and_disk_match_the_os(tmp_path):
    host = probe_host(disk_path=tmp_path)
    assert host.cpu.logical_cores == os.cpu_count()
    assert 0 < host.memory.available_bytes <= host.memory.total_bytes
    assert host.disk.path == str(tmp_path)
    assert host.disk.free_bytes == pytest.approx(shutil.disk_usage(tmp_path).free, rel=0.05)
    assert host.os.system == platform.system()


@pytest.mark.skipif(not Path("/proc/cpuinfo").exists(), reason="needs Linux's /proc/cpuinfo to compare with")
def test_cpu_flags_agree_with_proc_cpuinfo():
    kernel_flags = set()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith(("flags", "Features")):
            kernel_flags = set(line.split(":", 1)[1].split())
            break
    cpu = probe_host().cpu
    for flag in ("avx", "avx2", "fma", "avx512f"):
        assert cpu.important_flags[flag] == (flag in kernel_flags), flag
    assert cpu.brand


def test_no_nvidia_smi_is_no_gpu_and_no_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    facts = nvidia_facts()
    assert facts == {"nvidia_smi": None, "driver_version": None, "cuda_driver_version": None, "gpus": [], "error": None}


def fake_nvidia_smi(folder: Path, script: str) -> None:
    stand_in_program(folder / "nvidia-smi", script)


def test_nvidia_smi_query_is_parsed(monkeypatch, tmp_path):
    # The output format of a real driver 550 on an RTX 3060, as nvidia-smi prints it.
    fake_nvidia_smi(
        tmp_path,
        """case "$1" in
  --query-gpu=*) echo '0, NVIDIA GeForce RTX 3060, GPU-1c2f0a4e-1111-2222-3333-444455556666, 550.54.14, 12288, 8.6' ;;
  *) echo '| NVIDIA-SMI 550.54.14    Driver Version: 550.54.14    CUDA Version: 12.4     |' ;;
esac""",
    )
    monkeypatch.setenv("PATH", str(tmp_path))
    facts = nvidia_facts()
    assert facts["driver_version"] == "550.54.14"
    assert facts["cuda_driver_version"] == "12.4"
    assert facts["gpus"] == [
        {
            "index": 0,
            "name": "NVIDIA GeForce RTX 3060",
            "uuid": "GPU-1c2f0a4e-1111-2222-3333-444455556666",
            "memory_total_mib": 12288,
            "compute_capability": "8.6",
        }
    ]


def test_nvidia_smi_that_fails_is_an_error_fact(monkeypatch, tmp_path):
    fake_nvidia_smi(
        tmp_path, "echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'; exit 9"
    )
    monkeypatch.setenv("PATH", str(tmp_path))
    facts = nvidia_facts()
    assert facts["gpus"] == []
    assert facts["error"] == "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver."


def test_nvidia_smi_that_hangs_is_cut_off(monkeypatch, tmp_path):
    fake_nvidia_smi(tmp_path, "exec /bin/sleep 30")
    monkeypatch.setenv("PATH", str(tmp_path))
    facts = nvidia_facts(timeout=0.5)
    assert facts["error"] == "nvidia-smi timed out after 0.5 s"
