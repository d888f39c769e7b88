"""Run a stdlib-only payload script in a target interpreter and read its JSON answer.

The target may be broken in any way: missing, not a Python, an old Python, one whose
`import tensorflow` dies by SIGILL or hangs. Whatever happens becomes a `PayloadFailure`
that says so in one line; nothing here raises for a misbehaving target.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfenvcheck.probes.spawn import PayloadFailure, last_lines, spawned, start_failure

PAYLOAD_DIR = Path(__file__).parent
# What every payload needs alike (the answer's framing, describing an exception), sent ahead of each.
PRELUDE = PAYLOAD_DIR / "prelude_payload.py"
MARKER_VARIABLE = "TFENVCHECK_ANSWER_MARKER"


def payload_source(payload: Path) -> bytes:
    """The script the target runs: the prelude, then the payload."""
    return PRELUDE.read_bytes() + b"\n" + payload.read_bytes()


def marked_environment(env: Mapping[str, str] | None) -> tuple[dict[str, str], str]:
    """`env` (default: ours) with a fresh random answer marker in it, and the marker."""
    marker = "tfenvcheck-answer-{}:".format(secrets.token_hex(8))
    return dict(os.environ if env is None else env, **{MARKER_VARIABLE: marker}), marker


def answer_line(line: str, marker: str) -> dict[str, Any] | None:
    """The JSON object on a line of the answer (one that starts with the run's marker); else None."""
    if not line.startswith(marker):
        return None
    try:
        value = json.loads(line[len(marker) :])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


@dataclass
class PayloadResult:
    data: dict[str, Any] | None
    failure: PayloadFailure | None
    stderr: str
    seconds: float


def run_payload(
    python: str,
    payload: str,
    args: list[str] | None = None,
    timeout: float = 30.0,
    env: dict[str, str] | None = None,
) -> PayloadResult:
    """Run `payload` (a file name in this folder) with `python` and parse the answer it prints last.

    The source goes through stdin (`python - args`), so the target's sys.path[0] is its working
    directory: a fresh empty one, where nothing can shadow the modules being probed.
    """
    source = payload_source(PAYLOAD_DIR / payload)
    child_env, marker = marked_environment(env)
    start = time.monotonic()
    try:
        with spawned([python, "-u", "-", *(args or [])], child_env, timeout) as child:
            out, err = child.communicate(source)
    except OSError as error:
        return _result(None, start_failure(python, error), "", start)
    stderr = err.decode("utf-8", "replace")
    failure = child.failure(stderr)
    if failure is not None:
        return _result(None, failure, stderr, start)
    data = _last_answer(out.decode("utf-8", "replace"), marker)
    if data is None:
        shown = out.decode("utf-8", "replace").strip()[:80]
        message = "answered nothing usable: no answer line on its stdout{}".format(
            " (it printed {!r})".format(shown) if shown else ""
        )
        return _result(None, PayloadFailure("garbage", message, last_lines(stderr)), stderr, start)
    return _result(data, None, stderr, start)


def _result(data: dict[str, Any] | None, failure: PayloadFailure | None, stderr: str, start: float) -> PayloadResult:
    return PayloadResult(data=data, failure=failure, stderr=stderr, seconds=time.monotonic() - start)


def _last_answer(text: str, marker: str) -> dict[str, Any] | None:
    """The last answer line: what libraries print on stdout, before or after, is no answer."""
    for line in reversed(text.strip().splitlines()):
        value = answer_line(line.strip(), marker)
        if value is not None:
            return value
    return None
