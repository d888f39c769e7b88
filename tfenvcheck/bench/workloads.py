"""The reference workloads: the two tensorflow.org tutorials exam candidates replicate, as data.

The numbers are the tutorials' own (tensorflow/docs site/en/tutorials/images/classification.ipynb,
tensorflow/text docs/tutorials/text_classification_rnn.ipynb); the payload builds the models and
pipelines from them, and the projections scale measured steps to them.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

# IMDB review lengths in words: median about 174, mean about 230, longest about 2,500. A log-normal
# with sigma 0.75 and a median of 174 has a mean of 230; the longest is capped like the real one.
REVIEW_LENGTH_MU = math.log(174.0)
REVIEW_LENGTH_SIGMA = 0.75
REVIEW_MAX_WORDS = 2500


@dataclass(frozen=True)
class Workload:
    id: str
    family: str  # "image" or "text": which tutorial, which data folder
    tutorial: str
    title: str
    epochs: int
    batch_size: int
    train_samples: int
    val_samples: int  # the validation samples the tutorial's fit reads
    validation_steps: int | None  # None: the whole validation set each epoch
    options: tuple[tuple[str, Any], ...] = ()

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(self.train_samples / self.batch_size)

    @property
    def val_steps_per_epoch(self) -> int:
        return self.validation_steps or math.ceil(self.val_samples / self.batch_size)

    def payload_spec(self, train_samples: int | None = None, max_words: int | None = None) -> dict[str, Any]:
        """What the payload needs to build this workload; sizes may be shrunk for tests and smoke runs."""
        spec = {key: value for key, value in asdict(self).items() if key not in ("options", "tutorial", "title")}
        spec.update(self.options)
        if train_samples:
            spec["val_samples"] = max(1, round(train_samples * self.val_samples / self.train_samples))
            spec["train_samples"] = train_samples
        if max_words and "max_words" in spec:
            spec["max_words"] = max_words
        return spec


IMAGE_TUTORIAL = "Image classification (tensorflow.org/tutorials/images/classification)"
TEXT_TUTORIAL = "Text classification with an RNN (tensorflow.org/text/tutorials/text_classification_rnn)"

# flower_photos: 3,670 images, 20% for validation with seed 123 -> 2,936 / 734, batches of 32.
_IMAGE: dict[str, Any] = {
    "family": "image",
    "tutorial": IMAGE_TUTORIAL,
    "batch_size": 32,
    "train_samples": 2936,
    "val_samples": 734,
    "validation_steps": None,
}
_IMAGE_OPTIONS = (("image_size", 180), ("classes", 5))
# imdb_reviews: 25,000 training reviews in batches of 64; validation_steps=30 reads the first 30
# batches of the test split (1,920 reviews) each epoch, so only those are made.
_TEXT: dict[str, Any] = {
    "family": "text",
    "tutorial": TEXT_TUTORIAL,
    "batch_size": 64,
    "train_samples": 25000,
    "val_samples": 30 * 64,
    "validation_steps": 30,
    "epochs": 10,
}
_TEXT_OPTIONS = (
    ("max_tokens", 1000),
    ("shuffle_buffer", 10000),
    ("max_words", REVIEW_MAX_WORDS),
    ("length_mu", REVIEW_LENGTH_MU),
    ("length_sigma", REVIEW_LENGTH_SIGMA),
)

WORKLOADS = {
    "A0": Workload(
        id="A0", title="CNN baseline, 10 epochs", epochs=10, options=(*_IMAGE_OPTIONS, ("augment", False)), **_IMAGE
    ),
    "A1": Workload(
        id="A1",
        title="CNN with augmentation and dropout, 15 epochs",
        epochs=15,
        options=(*_IMAGE_OPTIONS, ("augment", True)),
        **_IMAGE,
    ),
    "B0": Workload(
        id="B0", title="bidirectional LSTM, 10 epochs", options=(*_TEXT_OPTIONS, ("stacked", False)), **_TEXT
    ),
    "B1": Workload(
        id="B1",
        title="two stacked bidirectional LSTMs, 10 epochs",
        options=(*_TEXT_OPTIONS, ("stacked", True)),
        **_TEXT,
    ),
}

FAMILIES = {"image": ("A0", "A1"), "text": ("B0", "B1"), "all": ("A0", "A1", "B0", "B1")}

# --quick: a few distinct batches per short epoch; one warm-up epoch, then this many steady steps.
# Eight steps keep an image epoch near a second on a 2-core CPU, and give five epoch starts to
# sample the wait at an epoch's start (epoch_waits.py).
QUICK_STEPS_PER_EPOCH = 8
QUICK_STEADY_STEPS = 30
QUICK_VAL_STEPS = 4
