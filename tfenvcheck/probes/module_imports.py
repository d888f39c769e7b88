"""Whether the modules a profile needs import in the target (`module_imports_payload.py`).

All modules are imported in one subprocess, in the order given, under one timeout: a crash or a
hang is reported against every module that had not answered, never raised.
"""

from __future__ import annotations

from collections.abc import Sequence

from tfenvcheck.facts.model import ImportsFacts, MalformedFacts, ModuleImport, parse
from tfenvcheck.probes.payload_runner import run_payload

DEFAULT_TIMEOUT = 120.0


def probe_module_imports(python: str, modules: Sequence[str], timeout: float = DEFAULT_TIMEOUT) -> ImportsFacts:
    if not modules:
        return ImportsFacts(probed=True, seconds=0.0)
    result = run_payload(python, "module_imports_payload.py", args=list(modules), timeout=timeout)
    seconds = round(result.seconds, 3)
    if result.failure is None:
        try:
            answer = parse(ImportsFacts, result.data, "the import probe's answer")
            return ImportsFacts(probed=True, modules=answer.modules, seconds=seconds)
        except MalformedFacts as error:
            failure = str(error)
    else:
        failure = result.failure.message
    unanswered = {name: ModuleImport(ok=False, error=failure) for name in modules}
    return ImportsFacts(probed=True, modules=unanswered, error=failure, seconds=seconds)
