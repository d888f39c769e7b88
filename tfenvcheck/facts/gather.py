"""Gather every fact about one target into one typed record.

The host, interpreter and TensorFlow probes are independent (the last two are subprocesses of the
target), so they run at the same time; the record does not depend on which ended first.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from tfenvcheck.facts.model import (
    Facts,
    ImportsFacts,
    PipCheckFacts,
    PyCharmProject,
    TargetFacts,
    TensorFlowFacts,
    parse,
)
from tfenvcheck.probes.host import probe_host
from tfenvcheck.probes.interpreter import probe_interpreter
from tfenvcheck.probes.module_imports import probe_module_imports
from tfenvcheck.probes.pip_check import probe_pip_check
from tfenvcheck.probes.tensorflow import DEFAULT_TIMEOUT, probe_tensorflow
from tfenvcheck.pycharm.installations import find_installations
from tfenvcheck.target import Target


def gather_facts(
    target: Target,
    with_tensorflow: bool = True,
    tensorflow_timeout: float = DEFAULT_TIMEOUT,
    interpreter_timeout: float = 30.0,
    with_pip_check: bool = False,
    import_modules: Sequence[str] | None = None,
) -> Facts:
    """Probe the host, the target interpreter and (optionally) its TensorFlow, its `pip check`
    and whether `import_modules` import there (what `check` needs beyond `probe`).

    Raises CouldNotCheck when the target cannot answer at all (missing, not a Python, too old).
    """
    executable = target.executable
    with ThreadPoolExecutor(max_workers=5) as pool:
        interpreter_future = pool.submit(probe_interpreter, executable, interpreter_timeout)
        tensorflow_future = pool.submit(probe_tensorflow, executable, tensorflow_timeout) if with_tensorflow else None
        pip_check_future = pool.submit(probe_pip_check, executable) if with_pip_check else None
        imports_future = (
            pool.submit(probe_module_imports, executable, list(import_modules), tensorflow_timeout)
            if import_modules is not None
            else None
        )
        host = probe_host()
        pycharm_installations = find_installations()  # while the target's probes run
        interpreter = interpreter_future.result()
        return Facts(
            target=TargetFacts(target.executable, target.reason),
            host=host,
            interpreter=interpreter,
            tensorflow=tensorflow_future.result() if tensorflow_future else TensorFlowFacts(),
            pip_check=pip_check_future.result() if pip_check_future else PipCheckFacts(),
            imports=imports_future.result() if imports_future else ImportsFacts(),
            pycharm=parse(PyCharmProject, target.pycharm, "pycharm") if target.pycharm else None,
            pycharm_installations=pycharm_installations,
        )
