"""`tfenvcheck bench --compare A.json B.json`: the same workloads on two machines or stacks, side by side."""

from __future__ import annotations

import math
from typing import Any

# What makes two results differ, as (label, path into the fingerprint).
FINGERPRINT_FIELDS = (
    ("CPU", ("host", "cpu")),
    ("cores", ("host", "physical_cores")),
    ("logical cores", ("host", "logical_cores")),
    ("CPU flags", ("host", "cpu_flags")),
    ("GPUs", ("host", "gpus")),
    ("Python", ("target", "python_version")),
    ("TensorFlow", ("target", "tensorflow")),
    ("Keras", ("target", "keras")),
)


def _lookup(fingerprint: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = fingerprint
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return ", ".join(value) if isinstance(value, list) else value


def compare_results(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Rows for the workloads both results have (by id and device kind), and what differs between them.

    speedup > 1 means the second result trains that workload faster (mean steady step time)."""
    fingerprint = [
        {"field": label, "first": _lookup(first["fingerprint"], path), "second": _lookup(second["fingerprint"], path)}
        for label, path in FINGERPRINT_FIELDS
    ]
    by_key = {(w["id"], w["device_kind"]): w for w in second["workloads"]}
    rows = []
    for a in first["workloads"]:
        b = by_key.get((a["id"], a["device_kind"]))
        if b is None:
            continue
        a_step, b_step = a["steady"]["mean_step_seconds"], b["steady"]["mean_step_seconds"]
        rows.append(
            {
                "id": a["id"],
                "device_kind": a["device_kind"],
                "first": _row_side(a),
                "second": _row_side(b),
                "speedup": speedup(a_step, b_step),
            }
        )
    only = sorted({(w["id"], w["device_kind"]) for w in first["workloads"]} ^ set(by_key))
    exam = {
        kind: {"first": first.get("exam", {}).get(kind), "second": second.get("exam", {}).get(kind)}
        for kind in sorted(set(first.get("exam", {})) | set(second.get("exam", {})))
    }
    return {"fingerprint": fingerprint, "workloads": rows, "unmatched": [list(key) for key in only], "exam": exam}


def speedup(first_step: float | None, second_step: float | None) -> float | None:
    """How many times faster the second result steps; None (not measured) when it cannot be computed."""
    if not first_step or not second_step:
        return None
    ratio = first_step / second_step
    return ratio if math.isfinite(ratio) and ratio > 0 else None


def _row_side(workload: dict[str, Any]) -> dict[str, Any]:
    return {
        "median_step_seconds": workload["steady"]["median_step_seconds"],
        "samples_per_second": workload["samples_per_second"],
        "projected_tutorial_seconds": workload["projected_tutorial_seconds"],
        "mode": workload["mode"],
        "data": workload["data"]["source"],
    }
