"""Reading a model file's metadata in a child of tfenvcheck's own Python, under a timeout: libhdf5
may crash or hang on a hostile file, and that must be an answer, not the end of tfenvcheck."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from tfenvcheck.errors import UsageError
from tfenvcheck.probes.spawn import spawned

READ_TIMEOUT = 30.0


def read_model_metadata(path: Path, timeout: float = READ_TIMEOUT) -> dict[str, Any]:
    """The metadata `metadata.py` reads, or a one-line UsageError naming the file and what is wrong."""
    command = [sys.executable, "-m", "tfenvcheck.modelfile.metadata", str(Path(path).resolve())]
    with spawned(command, timeout=timeout) as child:
        out, err = child.proc.communicate(b"")
    failure = child.failure(err.decode("utf-8", "replace"))
    if failure is not None:
        last = failure.stderr_tail[-1:] if failure.kind == "exit" else []
        raise UsageError("{}: reading it {}".format(path, ": ".join([failure.message, *last])))
    try:
        found = json.loads(out.decode("utf-8", "replace").strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise UsageError("{}: reading it gave no answer".format(path)) from None
    if "error" in found:
        raise UsageError("{}: {}".format(path, found["error"]))
    return dict(found, path=str(path))
