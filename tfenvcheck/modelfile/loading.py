"""Loading the model in the target as an exam's grader does, and predicting once (load_payload.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfenvcheck.probes.payload_runner import run_payload

LOAD_PAYLOAD = str(Path(__file__).with_name("load_payload.py"))
LOAD_TIMEOUT = 300.0  # importing TensorFlow on a slow disk is most of it


@dataclass
class LoadResult:
    """What the target did: the stage it reached ("import", "load", "predict", "done"), or the failure."""

    stage: str
    tensorflow_version: str | None = None
    keras_backing: str | None = None
    keras_version: str | None = None
    load_seconds: float | None = None
    predict_seconds: float | None = None
    input_shapes: list[list[int]] = field(default_factory=list)
    output_shapes: list[list[int]] = field(default_factory=list)
    error: dict[str, Any] | None = None  # describe_exception's, or the failure of the whole run
    seconds: float = 0.0

    @property
    def loaded(self) -> bool:
        return self.stage == "done"

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self), loaded=self.loaded)


def load_in_target(python: str, path: Path, timeout: float = LOAD_TIMEOUT) -> LoadResult:
    result = run_payload(python, LOAD_PAYLOAD, args=[str(Path(path).resolve())], timeout=timeout)
    if result.data is None:
        failure = result.failure
        message = failure.message if failure else "no answer"
        tail = failure.stderr_tail if failure else []
        return LoadResult(
            stage="crash",
            error={
                "type": failure.kind if failure else "garbage",
                "first_line": message,
                "last_line": message,
                "message": "\n".join([message, *tail]),
            },
            seconds=result.seconds,
        )
    known: dict[str, Any] = {name: result.data[name] for name in LoadResult.__dataclass_fields__ if name in result.data}
    known["seconds"] = result.seconds
    return LoadResult(**known)
