"""Facts about TensorFlow in the target, from `tensorflow_payload.py` run by the target itself.

Importing TensorFlow is the riskiest thing tfenvcheck does: it can raise, hang, or kill the
interpreter (SIGILL on a CPU without AVX). Each outcome is returned as a fact; this never raises.
"""

from __future__ import annotations

import re

from tfenvcheck.facts.model import ErrorFacts, MalformedFacts, TensorFlowFacts, parse
from tfenvcheck.probes.payload_runner import run_payload
from tfenvcheck.probes.spawn import PayloadFailure

DEFAULT_TIMEOUT = 120.0

# TensorFlow's own log lines worth keeping: which GPU libraries failed to load, and CPU build hints.
_NOTABLE_LOG = re.compile(
    r"Could not load dynamic library|Loaded runtime CuDNN|dlerror|Cannot dlopen|cuDNN|libcud|"
    r"Illegal instruction|This TensorFlow binary is optimized|compiled to use",
    re.IGNORECASE,
)


def notable_log_lines(stderr: str, limit: int = 20) -> list[str]:
    lines = [line.strip() for line in stderr.splitlines() if _NOTABLE_LOG.search(line)]
    return lines[:limit]


def probe_tensorflow(python: str, timeout: float = DEFAULT_TIMEOUT) -> TensorFlowFacts:
    result = run_payload(python, "tensorflow_payload.py", timeout=timeout)
    if result.failure is not None:
        facts = TensorFlowFacts(importable=False, error=failure_error(result.failure))
    else:
        try:
            facts = parse(TensorFlowFacts, result.data, "the TensorFlow probe's answer")
        except MalformedFacts as error:
            facts = TensorFlowFacts(importable=False, error=ErrorFacts("garbage", str(error), message=str(error)))
    facts.probed = True
    facts.log_lines = notable_log_lines(result.stderr)
    facts.probe_seconds = round(result.seconds, 3)
    return facts


def failure_error(failure: PayloadFailure) -> ErrorFacts:
    """How the target's process failed (a signal, a timeout, an exit status), as an error."""
    return ErrorFacts(
        type=failure.kind,
        first_line=failure.message,
        last_line=failure.stderr_tail[-1] if failure.stderr_tail else "",
        message=failure.message,
        stderr_tail=failure.stderr_tail,
    )


def error_summary(tensorflow: TensorFlowFacts) -> str | None:
    """'TypeError: Descriptors cannot not be created directly.' or 'crashed with signal 4 (...)'."""
    error = tensorflow.error
    if error is None:
        return None
    if error.type in ("signal", "timeout", "cancelled", "exit", "garbage", "not-found", "not-executable"):
        return "import tensorflow " + error.first_line
    return "{}: {}".format(error.type, error.first_line).rstrip(": ")
