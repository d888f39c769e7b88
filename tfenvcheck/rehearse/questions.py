"""The five questions, as the exam's candidate handbook lays them out, and what passing means.

Accuracy passes at or above its threshold; MAE at or below. Each threshold sits below the worst score
a healthy stack reached over 3 seeds (1, 2, 3), with a margin, and far from what a model that learnt
nothing scores. Measured with `benchmarks/rehearse_thresholds.py` on Python 3.8 + TensorFlow 2.9.0
(the exam-2022-07 stack) and 2.5.0, full size (tables in docs/performance.md; the worst of both):

    question        worst of 3 seeds     threshold   a model that learnt nothing
    1 basic         MAE 0.046            0.2         MAE about 5 (the mean of |2x| on [-5, 5])
    2 images 28x28  accuracy 1.000       0.9         0.1 (10 classes)
    3 JPEGs         accuracy 1.000       0.9         0.33 (3 classes)
    4 sentences     accuracy 1.000       0.9         0.5 (2 labels)
    5 series        MAE 0.062            0.1         MAE 0.19 (a constant forecast); 0.06 repeats the last value
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
        Question(1, "basic", "a basic model: a regression from a handful of numbers", "mae", 0.2),
        Question(2, "learning-dataset", "28x28 grayscale images in 10 classes (as tf.keras.datasets)", "accuracy", 0.9),
        Question(3, "real-images", "a CNN on JPEGs in class folders, read from disk", "accuracy", 0.9),
        Question(4, "nlp", "text classification: JSON sentences, tokenized, Embedding + LSTM", "accuracy", 0.9),
        Question(5, "time-series", "a CSV series, windowed with tf.data, Conv1D + LSTM (MAE)", "mae", 0.1),
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
