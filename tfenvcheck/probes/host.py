"""Facts about the machine, gathered in tfenvcheck's own process: CPU, memory, disk, OS, GPUs."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import cpuinfo
import psutil

from tfenvcheck.facts.model import HostFacts, parse

# CPU features that decide whether a TensorFlow wheel runs (AVX since TF 1.6) or runs fast.
IMPORTANT_CPU_FLAGS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_vnni", "amx_tile", "neon", "asimd")

NVIDIA_SMI_TIMEOUT = 10.0
# WSL2's nvidia-smi comes with the Windows driver, in a folder that is often not on PATH.
WSL_NVIDIA_SMI = "/usr/lib/wsl/lib/nvidia-smi"
# "CUDA Version: 12.4"; drivers 610 and newer print "CUDA UMD Version: 13.3" (beside "KMD Version").
_CUDA_VERSION = re.compile(r"CUDA (?:UMD )?Version:\s*([\d.]+)")


def cpu_facts() -> dict[str, Any]:
    info = _fast_cpu_info()
    flags = sorted(set(info.get("flags", [])))
    return {
        "brand": info.get("brand_raw") or platform.processor() or None,
        "vendor": info.get("vendor_id_raw"),
        "arch": info.get("arch"),
        "machine": platform.machine(),
        "physical_cores": psutil.cpu_count(logical=False),
        "logical_cores": psutil.cpu_count(logical=True),
        "flags": flags,
        "important_flags": {flag: flag in flags for flag in IMPORTANT_CPU_FLAGS},
    }


def _fast_cpu_info() -> dict[str, Any]:
    """py-cpuinfo's reader for this OS; its full get_cpu_info() spends about a second timing the
    clock through CPUID, which we do not need. Fall back to the full run when no flags come back."""
    readers = {
        "Linux": "_get_cpu_info_from_proc_cpuinfo",
        "Darwin": "_get_cpu_info_from_sysctl",
        "Windows": "_get_cpu_info_from_registry",
    }
    reader = getattr(cpuinfo.cpuinfo, readers.get(platform.system(), ""), None)
    info: dict[str, Any] = {}
    if reader is not None:
        try:
            info = dict(reader())
            info.setdefault("arch", cpuinfo.cpuinfo._parse_arch(cpuinfo.cpuinfo.DataSource.arch_string_raw)[0])
        except Exception:
            info = {}
    if not info.get("flags"):
        info = cpuinfo.get_cpu_info()
    return info


def memory_facts() -> dict[str, Any]:
    memory = psutil.virtual_memory()
    return {"total_bytes": memory.total, "available_bytes": memory.available}


def disk_facts(path: Path) -> dict[str, Any]:
    usage = psutil.disk_usage(str(path))
    return {"path": str(path), "total_bytes": usage.total, "free_bytes": usage.free}


def os_facts() -> dict[str, Any]:
    system = platform.system()
    facts: dict[str, Any] = {"system": system, "release": platform.release(), "version": platform.version()}
    if system == "Linux":
        facts["distribution"] = linux_distribution()
        facts["wsl"] = "microsoft" in platform.release().lower() or bool(os.environ.get("WSL_DISTRO_NAME"))
    elif system == "Darwin":
        facts["mac_version"] = platform.mac_ver()[0]
        facts["rosetta"] = _sysctl("sysctl.proc_translated") == "1"
    elif system == "Windows":
        facts["windows_edition"] = platform.win32_edition() if hasattr(platform, "win32_edition") else None
    return facts


def linux_distribution() -> str | None:
    """The distribution's pretty name from os-release."""
    if sys.version_info < (3, 10):
        import distro

        return distro.name(pretty=True) or None
    try:
        release = platform.freedesktop_os_release()
    except OSError:
        return None
    return release.get("PRETTY_NAME") or release.get("NAME")


def _sysctl(name: str) -> str | None:
    try:
        done = subprocess.run(["sysctl", "-n", name], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def nvidia_facts(timeout: float = NVIDIA_SMI_TIMEOUT) -> dict[str, Any]:
    """GPUs as the driver sees them, through `nvidia-smi` (absent on most machines: not an error)."""
    smi = shutil.which("nvidia-smi") or (WSL_NVIDIA_SMI if os.access(WSL_NVIDIA_SMI, os.X_OK) else None)
    if smi is None:
        return {"nvidia_smi": None, "driver_version": None, "cuda_driver_version": None, "gpus": [], "error": None}
    facts: dict[str, Any] = {
        "nvidia_smi": smi,
        "driver_version": None,
        "cuda_driver_version": None,
        "gpus": [],
        "error": None,
    }
    fields = ["index", "name", "uuid", "driver_version", "memory.total", "compute_cap"]
    try:
        done = _run([smi, "--query-gpu=" + ",".join(fields), "--format=csv,noheader,nounits"], timeout)
        if done.returncode != 0 and "compute_cap" in (done.stdout + done.stderr):
            fields = fields[:-1]  # drivers before 510 do not know compute_cap
            done = _run([smi, "--query-gpu=" + ",".join(fields), "--format=csv,noheader,nounits"], timeout)
        if done.returncode != 0:
            lines = (done.stderr or done.stdout).strip().splitlines()
            facts["error"] = lines[-1] if lines else "nvidia-smi exited with status {}".format(done.returncode)
            return facts
        for line in done.stdout.strip().splitlines():
            values = dict(zip(fields, (part.strip() for part in line.split(","))))
            facts["gpus"].append(
                {
                    "index": int(values["index"]),
                    "name": values["name"],
                    "uuid": values["uuid"],
                    "memory_total_mib": _int_or_none(values["memory.total"]),
                    "compute_capability": values.get("compute_cap"),
                }
            )
            facts["driver_version"] = values["driver_version"]
        banner = _run([smi], timeout)
        match = _CUDA_VERSION.search(banner.stdout)
        facts["cuda_driver_version"] = match.group(1) if match else None
    except subprocess.TimeoutExpired:
        facts["error"] = "nvidia-smi timed out after {:g} s".format(timeout)
    except OSError as exc:
        facts["error"] = "cannot run nvidia-smi: {}".format(exc)
    return facts


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def _int_or_none(text: str) -> int | None:
    try:
        return int(float(text))
    except ValueError:
        return None


def probe_host(disk_path: Path | None = None) -> HostFacts:
    host = {
        "os": os_facts(),
        "cpu": cpu_facts(),
        "memory": memory_facts(),
        "disk": disk_facts(disk_path or Path.home()),
        "nvidia": nvidia_facts(),
    }
    return parse(HostFacts, host, "the host's facts")
