"""The terminal view of a model check (`tfenvcheck model FILE`)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

VERDICTS = {
    "expected": "nothing in the versions speaks against it",
    "unlikely": "[yellow]unlikely to load[/yellow]",
    "cannot": "[red]cannot load[/red]",
    "unknown": "the target's Keras could not be told",
}


def _shapes(shapes: list[list[Any]]) -> str:
    return (
        ", ".join("({})".format(", ".join("None" if d is None else str(d) for d in shape)) for shape in shapes)
        or "not recorded"
    )


def _size(size: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return "{:.1f} {}".format(size / scale, unit)
    return "{} bytes".format(size)


def _saved_by(file: dict[str, Any]) -> str:
    parts = []
    if file.get("keras_version"):
        parts.append(
            "Keras " + file["keras_version"] + (" ({})".format(file["backend"]) if file.get("backend") else "")
        )
    if file.get("tensorflow_version"):
        parts.append("TensorFlow " + file["tensorflow_version"])
    return ", ".join(parts) or "not recorded"


def render_model_check(document: dict[str, Any], console: Console, verbose: bool = False) -> None:
    console.soft_wrap = True  # paths and pip lines stay whole
    file, target, load = document["file"], document["target"], document["load"]
    console.print(
        "[bold]{}[/bold]: {} model, {}".format(escape(file["path"]), file["format"], _size(file["size_bytes"]))
    )
    console.print("  saved by: {}".format(escape(_saved_by(file))))
    layers = ", ".join(layer["class_name"] or "?" for layer in file["layers"])
    console.print(
        "  {}: {} layers{}".format(
            file.get("model_class") or "model",
            file["layer_count"],
            " ({})".format(escape(layers)) if verbose and layers else "",
        )
    )
    if file.get("parameter_count") is not None:
        console.print("  parameters: {:,}".format(file["parameter_count"]))
    console.print(
        "  input shape: {}; output shape: {}".format(_shapes(file["input_shapes"]), _shapes(file["output_shapes"]))
    )
    keras = "Keras {}".format(target["keras_version"]) if target.get("keras_version") else "its Keras"
    console.print(
        "\n[bold]Target[/bold]: {} (TensorFlow {}, {})".format(
            escape(target["executable"]), target.get("tensorflow_version"), keras
        )
    )
    expected = document["expectation"]
    console.print(
        "  by the versions: {} ({})".format(
            VERDICTS.get(expected["verdict"], expected["verdict"]), escape(expected["reason"])
        )
    )
    if load["loaded"]:
        console.print(
            "  [green]loads and predicts[/green]: output shape {} (load {:.2f} s, predict {:.2f} s)".format(
                _shapes(load["output_shapes"]), load["load_seconds"], load["predict_seconds"]
            )
        )
        return
    error = load.get("error") or {}
    console.print(
        "  [red]does not {}[/red]: {}: {}".format(
            "load" if load["stage"] in ("load", "crash") else "predict",
            escape(error.get("type", "")),
            escape(error.get("last_line", "")),
        )
    )
    for diagnosis in document["diagnoses"]:
        console.print(
            "\n[bold]Known failure[/bold]: {} [dim]({})[/dim]".format(escape(diagnosis["title"]), diagnosis["id"])
        )
        console.print("  fix: {}".format(escape(diagnosis["fix"])))
    console.print("\n[bold]What to do[/bold]:")
    for remedy in document["remedies"]:
        console.print("  - " + escape(remedy))
