"""The terminal view of a model check, rendered from a real `tfenvcheck model --json` document: a
.keras file saved by Keras 3.15.1 (tensorflow-cpu 2.21.0) checked against the exam-2022-07 stack
(TensorFlow 2.9.0), paths changed to a user's."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from tfenvcheck.render.model_text import render_model_check

DOCUMENT = Path(__file__).parent / "data" / "model" / "keras3-keras-file-in-tf29.json"


def rendered(document: dict) -> str:
    console = Console(record=True, width=100, color_system=None)
    render_model_check(document, console)
    return console.export_text()


def test_a_model_that_does_not_load_shows_why_and_what_to_do():
    text = rendered(json.loads(DOCUMENT.read_text()))
    assert text.splitlines()[:5] == [
        "/home/ana/Downloads/model.keras: keras model, 18.1 KiB",
        "  saved by: Keras 3.15.1",
        "  Sequential: 2 layers",
        "  parameters: 49",
        "  input shape: (None, 4); output shape: (None, 1)",
    ]
    assert "Target: /home/ana/exam/bin/python (TensorFlow 2.9.0, Keras 2.9.0)" in text
    assert "by the versions: cannot load (Keras reads .keras files from 2.12 on; the target's is 2.9.0)" in text
    assert "does not load: OSError: Unable to synchronously open file (file signature not found)" in text
    assert "Known failure: A .keras model file does not load in Keras before 2.12 (keras-format-in-old-keras)" in text
    assert (
        "  - Train the model with the target's TensorFlow in the notebook (pip install tensorflow==2.9.0, on a "
        'Python <3.9,>=3.8 as the profile exam-2022-07 says) and save it there with model.save("model.h5").'
    ) in text


def test_a_model_that_loads_shows_the_output_shape_and_times():
    document = json.loads(DOCUMENT.read_text())
    document["load"].update(
        stage="done", loaded=True, error=None, output_shapes=[[1, 1]], load_seconds=0.44, predict_seconds=0.24
    )
    text = rendered(document)
    assert "  loads and predicts: output shape (1, 1) (load 0.44 s, predict 0.24 s)" in text
    assert "What to do" not in text
