"""Precision of the registry's patterns: each entry's own symptom brings it first, ordinary errors of
user code bring nothing."""

from __future__ import annotations

import pytest
from rich.console import Console

from tfenvcheck.explain.diagnose import explain_lines
from tfenvcheck.explain.document import explanation_document
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.render.explain_text import render_explanation

REGISTRY = load_registry()


@pytest.mark.parametrize("breakage", REGISTRY, ids=lambda b: b.id)
def test_the_symptom_of_each_entry_brings_that_entry_first(breakage):
    """First, or tied first among the alternatives of a message it shares (SIGILL, ...)."""
    explanation = explain_lines(breakage.symptom.splitlines(), REGISTRY)
    assert explanation.diagnoses, "its own symptom does not match: " + breakage.symptom
    top = explanation.diagnoses[0]
    scores = {m.breakage.id: m.score for m in top.alternatives}
    assert breakage.id in scores, [m.breakage.id for m in explanation.matches]
    assert scores[breakage.id] == top.best.score
    console = Console(record=True, width=100)
    render_explanation(explanation, console)
    assert breakage.id in console.export_text()
    assert breakage.id in [m["id"] for m in explanation_document(explanation)["matches"]]


# Errors of the user's own code, as Python and TensorFlow print them: no known breakage is in them.
ORDINARY_ERRORS = [
    # a shape mismatch
    'ValueError: Input 0 of layer "sequential" is incompatible with the layer: expected shape=(None, 28, 28), '
    "found shape=(32, 784)",
    "ValueError: Shapes (None, 1) and (None, 10) are incompatible",
    "tensorflow.python.framework.errors_impl.InvalidArgumentError: Matrix size-incompatible: In[0]: [32,784], "
    "In[1]: [128,10] [Op:MatMul]",
    # a typo
    "NameError: name 'modle' is not defined",
    "AttributeError: module 'tensorflow.keras.layers' has no attribute 'Dens'",
    "AttributeError: 'Sequential' object has no attribute 'fitt'",
    "SyntaxError: invalid syntax",
    # a missing file
    "FileNotFoundError: [Errno 2] No such file or directory: 'data/train.csv'",
    "OSError: SavedModel file does not exist at: mymodel.h5/{saved_model.pbtxt|saved_model.pb}",
    "tensorflow.python.framework.errors_impl.NotFoundError: NewRandomAccessFile failed to Create/Open: "
    "images/cat.jpg : The system cannot find the file specified.",
    # a wrong loss
    "ValueError: `logits` and `labels` must have the same shape, received ((None, 10) vs (None, 1)).",
    "tensorflow.python.framework.errors_impl.InvalidArgumentError: Received a label value of 10 which is "
    "outside the valid range of [0, 10).  Label values: 3 10 2",
    "ValueError: Unknown loss function: categorical_crossentropyy. Please ensure this object is passed to "
    "the `custom_objects` argument.",
    # and the frames around them
    "Traceback (most recent call last):",
    '  File "/home/me/PycharmProjects/exam/train.py", line 42, in <module>',
    "    model.fit(x_train, y_train, epochs=10)",
    "KeyboardInterrupt",
    "Process finished with exit code 1",
]


@pytest.mark.parametrize("line", ORDINARY_ERRORS)
def test_an_ordinary_error_of_user_code_brings_no_match(line):
    explanation = explain_lines([line], REGISTRY)
    assert explanation.diagnoses == ()
