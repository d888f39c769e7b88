"""Gather every fact about one target into one JSON-ready record with a schema version.

The host, interpreter and TensorFlow probes are independent (the last two are subprocesses of the
target), so they run at the same time; the record's layout does not depend on which ended first.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tfenvcheck import __version__
from tfenvcheck.probes.host import probe_host
from tfenvcheck.probes.interpreter import package_versions, probe_interpreter
from tfenvcheck.probes.module_imports import NOT_PROBED_IMPORTS, probe_module_imports
from tfenvcheck.probes.pip_check import NOT_PROBED_PIP_CHECK, probe_pip_check
from tfenvcheck.probes.tensorflow import DEFAULT_TIMEOUT, probe_tensorflow
from tfenvcheck.target import Target

SCHEMA_VERSION = 1

NOT_PROBED_TENSORFLOW = {"probed": False, "importable": None, "version": None, "error": None, "gpus": []}


def gather_facts(
    target: Target,
    with_tensorflow: bool = True,
    tensorflow_timeout: float = DEFAULT_TIMEOUT,
    interpreter_timeout: float = 30.0,
    with_pip_check: bool = False,
    import_modules: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Probe the host, the target interpreter and (optionally) its TensorFlow, its `pip check`
    and whether `import_modules` import there (what `check` needs beyond `probe`).

    Raises CouldNotCheck when the target cannot answer at all (missing, not a Python, too old).
    """
    with ThreadPoolExecutor(max_workers=5) as pool:
        interpreter_future = pool.submit(probe_interpreter, target.executable, interpreter_timeout)
        tensorflow_future = (
            pool.submit(probe_tensorflow, target.executable, tensorflow_timeout) if with_tensorflow else None
        )
        pip_check_future = pool.submit(probe_pip_check, target.executable) if with_pip_check else None
        imports_future = (
            pool.submit(probe_module_imports, target.executable, list(import_modules), tensorflow_timeout)
            if import_modules is not None
            else None
        )
        host = probe_host()
        interpreter = interpreter_future.result()
        tensorflow = dict(tensorflow_future.result(), probed=True) if tensorflow_future else dict(NOT_PROBED_TENSORFLOW)
        pip_check = pip_check_future.result() if pip_check_future else dict(NOT_PROBED_PIP_CHECK)
        imports = imports_future.result() if imports_future else dict(NOT_PROBED_IMPORTS)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "tfenvcheck", "version": __version__},
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "target": target.to_dict(),
        # How PyCharm resolved a project's interpreter (tfenvcheck/pycharm/); None when no project was involved.
        "pycharm": target.pycharm,
        "host": host,
        "interpreter": interpreter,
        "packages": package_versions(interpreter),
        "tensorflow": tensorflow,
        "pip_check": pip_check,
        "imports": imports,
    }
