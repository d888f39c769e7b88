"""Gather every fact about one target into one typed record.

The host, interpreter and TensorFlow probes are independent (the last two are subprocesses of the
target), so they run at the same time; the record does not depend on which ended first. When the
interpreter probe finds that the target cannot answer (it hangs, crashes, is no Python), the other
probes of the target are cancelled and their processes killed: the verdict comes within the
interpreter probe's own timeout, not after TensorFlow's.
"""

from __future__ import annotations

import contextvars
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from tfenvcheck.facts.model import (
    Facts,
    GpuTargetFacts,
    HostFacts,
    ImportsFacts,
    PipCheckFacts,
    PyCharmProject,
    TargetFacts,
    TensorFlowFacts,
    parse,
)
from tfenvcheck.probes.gpu import probe_gpu, probe_loaded_libraries
from tfenvcheck.probes.host import probe_host
from tfenvcheck.probes.interpreter import DEFAULT_TIMEOUT as INTERPRETER_TIMEOUT
from tfenvcheck.probes.interpreter import probe_interpreter
from tfenvcheck.probes.module_imports import probe_module_imports
from tfenvcheck.probes.pip_check import probe_pip_check
from tfenvcheck.probes.spawn import cancel_scope
from tfenvcheck.probes.tensorflow import DEFAULT_TIMEOUT, probe_tensorflow
from tfenvcheck.pycharm.installations import find_installations
from tfenvcheck.target import Target

Result = TypeVar("Result")


def gather_facts(
    target: Target,
    with_tensorflow: bool = True,
    tensorflow_timeout: float = DEFAULT_TIMEOUT,
    interpreter_timeout: float = INTERPRETER_TIMEOUT,
    with_pip_check: bool = False,
    import_modules: Sequence[str] | None = None,
) -> Facts:
    """Probe the host, the target interpreter and (optionally) its TensorFlow, its `pip check`
    and whether `import_modules` import there (what `check` needs beyond `probe`).

    Raises CouldNotCheck when the target cannot answer at all (missing, not a Python, too old).
    """
    executable = target.executable
    # No probe of the target waits longer than TensorFlow's import is given (`--timeout`).
    interpreter_timeout = min(interpreter_timeout, tensorflow_timeout)
    with cancel_scope() as scope, ThreadPoolExecutor(max_workers=6) as pool:

        def submit(probe: Callable[..., Result], *args: Any) -> Future[Result]:
            return pool.submit(contextvars.copy_context().run, probe, *args)  # in the scope, to be cancelled

        interpreter_future = submit(probe_interpreter, executable, interpreter_timeout)
        tensorflow_future = submit(probe_tensorflow, executable, tensorflow_timeout) if with_tensorflow else None
        pip_check_future = submit(probe_pip_check, executable) if with_pip_check else None
        imports_future = (
            submit(probe_module_imports, executable, list(import_modules), tensorflow_timeout)
            if import_modules is not None
            else None
        )
        gpu_future = submit(probe_gpu, executable)
        host = probe_host()
        pycharm_installations = find_installations()  # while the target's probes run
        try:
            interpreter = interpreter_future.result()
        except BaseException:  # the target cannot answer (or Ctrl-C): the other probes need not finish
            scope.cancel()
            raise
        tensorflow = tensorflow_future.result() if tensorflow_future else TensorFlowFacts()
        gpu = gpu_future.result()
        if wants_loaded_libraries(host, tensorflow, gpu):
            gpu.loaded_libraries = probe_loaded_libraries(executable, timeout=tensorflow_timeout)
        return Facts(
            target=TargetFacts(target.executable, target.reason),
            host=host,
            interpreter=interpreter,
            tensorflow=tensorflow,
            pip_check=pip_check_future.result() if pip_check_future else PipCheckFacts(),
            imports=imports_future.result() if imports_future else ImportsFacts(),
            pycharm=parse(PyCharmProject, target.pycharm, "pycharm") if target.pycharm else None,
            pycharm_installations=pycharm_installations,
            gpu=gpu,
        )


def wants_loaded_libraries(host: HostFacts, tensorflow: TensorFlowFacts, gpu: GpuTargetFacts) -> bool:
    """Whether to import TensorFlow again under the loader's log: on Linux, where the driver sees a
    GPU (or the nvidia-* wheels are there) and TensorFlow imported but listed none."""
    linux = (gpu.sys_platform or "").startswith("linux")
    gpu_expected = bool(host.nvidia.gpus) or bool(gpu.wheel_libraries)
    return linux and gpu_expected and bool(tensorflow.importable) and not tensorflow.gpus
