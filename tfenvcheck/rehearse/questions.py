"""The five questions, as the exam's candidate handbook lays them out, and what passing means.

Each threshold sits below the lowest score a healthy stack reached over 3 seeds, with a margin
(measured by benchmarks/rehearse_thresholds.py on TensorFlow 2.9 and 2.5, Python 3.8; the table is in
docs/performance.md). Accuracy passes at or above its threshold; MAE at or below.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    number: int
    id: str
    title: str
    metric: str  # "accuracy" (higher is better) or "mae" (lower is better)
    threshold: float

    def passes(self, score: float) -> bool:
        return score >= self.threshold if self.metric == "accuracy" else score <= self.threshold


QUESTIONS = {
    q.number: q
    for q in (
        Question(1, "basic", "a basic model: a regression from a handful of numbers", "mae", 0.5),
        Question(2, "learning-dataset", "28x28 grayscale images in 10 classes (as tf.keras.datasets)", "accuracy", 0.9),
        Question(3, "real-images", "a CNN on JPEGs in class folders, read from disk", "accuracy", 0.85),
        Question(4, "nlp", "text classification: JSON sentences, tokenized, Embedding + LSTM", "accuracy", 0.85),
        Question(5, "time-series", "a CSV series, windowed with tf.data, Conv1D + LSTM (MAE)", "mae", 0.12),
    )
}


@dataclass(frozen=True)
class Sizes:
    """How much data and training each question gets; --quick is a smoke size of the same code."""

    regression_samples: int
    regression_epochs: int
    digits_per_class: int
    digits_epochs: int
    images_per_class: int
    image_size: int
    images_epochs: int
    sentences: int
    text_epochs: int
    series_length: int
    series_epochs: int


FULL = Sizes(
    regression_samples=200,
    regression_epochs=60,
    digits_per_class=300,
    digits_epochs=5,
    images_per_class=120,
    image_size=64,
    images_epochs=8,
    sentences=2000,
    text_epochs=6,
    series_length=1500,
    series_epochs=15,
)
QUICK = Sizes(
    regression_samples=50,
    regression_epochs=2,
    digits_per_class=20,
    digits_epochs=1,
    images_per_class=6,
    image_size=32,
    images_epochs=1,
    sentences=80,
    text_epochs=1,
    series_length=200,
    series_epochs=1,
)
