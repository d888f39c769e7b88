"""What the target process sees of the NVIDIA stack (`gpu_payload.py`), and which CUDA libraries its
TensorFlow really loads (`gpu_loaded_payload.py` under the dynamic loader's LD_DEBUG=libs log).

The loader's log goes to files (LD_DEBUG_OUTPUT), one per process, so that TensorFlow's own stderr
stays apart; a failure of either probe is a fact in the record, never raised.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from tfenvcheck.facts.model import GpuTargetFacts, LoadedLibraries, MalformedFacts, parse
from tfenvcheck.probes.payload_runner import run_payload

DEFAULT_TIMEOUT = 30.0
LOADED_TIMEOUT = 180.0
# The CUDA libraries worth naming: libcuda (the driver), libcudart, libcublas, libcudnn*, libcufft,
# libcusparse, libcusolver, libcupti, and NCCL, nvJitLink, NVRTC, TensorRT.
CUDA_LIBRARY = re.compile(r"^lib(?:cu|nccl|nvJitLink|nvrtc|nvinfer)")
# glibc's LD_DEBUG=libs lines: "  12345:\tfind library=libcudnn.so.9 [0]; searching" and
# "  12345:\tcalling init: /path/to/libcudnn.so.9".
_SEARCHED = re.compile(r"^\s*\d+:\s+find library=(\S+) \[\d+\]; searching")
_LOADED = re.compile(r"^\s*\d+:\s+calling init: (\S+)")


def probe_gpu(python: str, timeout: float = DEFAULT_TIMEOUT) -> GpuTargetFacts:
    result = run_payload(python, "gpu_payload.py", timeout=timeout)
    if result.failure is not None:
        return GpuTargetFacts(probed=True, error=result.failure.message)
    try:
        return parse(GpuTargetFacts, result.data, "the GPU probe's answer")
    except MalformedFacts as error:
        return GpuTargetFacts(probed=True, error=str(error))


def parse_loader_log(text: str) -> LoadedLibraries:
    """The CUDA libraries a process asked the loader for, those it loaded (name -> path), and those
    it asked for and never loaded, from the text of LD_DEBUG=libs."""
    searched: dict[str, None] = {}
    loaded: dict[str, str] = {}
    for line in text.splitlines():
        found = _SEARCHED.match(line)
        if found and CUDA_LIBRARY.match(found.group(1)):
            searched.setdefault(found.group(1))
            continue
        init = _LOADED.match(line)
        if init and CUDA_LIBRARY.match(os.path.basename(init.group(1))):
            loaded.setdefault(os.path.basename(init.group(1)), init.group(1))
    missing = [name for name in searched if name not in loaded]
    return LoadedLibraries(probed=True, loaded=loaded, not_found=missing)


def probe_loaded_libraries(python: str, module: str = "tensorflow", timeout: float = LOADED_TIMEOUT) -> LoadedLibraries:
    """Import `module` in the target under LD_DEBUG=libs, list its GPUs, and read the loader's log."""
    with tempfile.TemporaryDirectory(prefix="tfenvcheck-ld-debug-") as folder:
        env = dict(os.environ, LD_DEBUG="libs", LD_DEBUG_OUTPUT=str(Path(folder, "ld")))
        result = run_payload(python, "gpu_loaded_payload.py", args=[module], timeout=timeout, env=env)
        log = "".join(path.read_text(encoding="utf-8", errors="replace") for path in sorted(Path(folder).iterdir()))
    libraries = parse_loader_log(log)
    if result.failure is not None:
        libraries.error = result.failure.message
    elif result.data is not None and result.data.get("error"):
        libraries.error = str(result.data["error"])
    elif result.data is not None:
        libraries.gpus = result.data.get("gpus")
    return libraries
