"""Whether the modules a profile needs import in the target (`module_imports_payload.py`).

All modules are imported in one subprocess, in the order given, under one timeout: a crash or a
hang is reported against every module that had not answered, never raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tfenvcheck.probes.payload_runner import run_payload

DEFAULT_TIMEOUT = 120.0

NOT_PROBED_IMPORTS: dict[str, Any] = {"probed": False, "modules": {}, "error": None}


def probe_module_imports(python: str, modules: Sequence[str], timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    if not modules:
        return {"probed": True, "modules": {}, "error": None, "seconds": 0.0}
    result = run_payload(python, "module_imports_payload.py", args=list(modules), timeout=timeout)
    if result.failure is not None:
        return {
            "probed": True,
            "modules": {
                name: {"ok": False, "seconds": None, "version": None, "error": result.failure.message}
                for name in modules
            },
            "error": result.failure.message,
            "seconds": round(result.seconds, 3),
        }
    return {
        "probed": True,
        "modules": result.data.get("modules", {}),
        "error": None,
        "seconds": round(result.seconds, 3),
    }
