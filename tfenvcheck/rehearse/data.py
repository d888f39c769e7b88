"""The data the exam hands out, synthetic and learnable, in its formats: written by tfenvcheck.

The sentences are a JSON list of {"headline", "is_sarcastic"} records, as the exam's sarcasm file;
each label draws most of its words from a vocabulary of its own, among filler words both share. The
series is a CSV of a seasonal signal with trend and noise ("time,value", as the sunspots file). The
held-out part of each is its last fifth, which the training never sees. The JPEGs in class folders
are drawn by the target's TensorFlow (`tf.io.encode_jpeg`): tfenvcheck's own Python has no JPEG
encoder, and the target needs TensorFlow to answer the question anyway.
"""

from __future__ import annotations

import csv
import json
import math
import random
from pathlib import Path

SENTENCES_FILE = "sentences.json"
SERIES_FILE = "series.csv"
HELD_OUT_FRACTION = 0.2
SEASON_PERIOD = 50
NOISE = 0.05

_FILLER = ["the", "a", "of", "to", "in", "on", "for", "with", "at", "by", "from", "and", "new", "man", "says", "after"]
_LABEL_WORDS = (
    ["report", "council", "budget", "election", "court", "announces", "market", "official", "study", "senate"],
    ["area", "nation", "local", "totally", "finally", "somehow", "apparently", "heroic", "entire", "wow"],
)


def sentences(count: int, seed: int) -> list[dict[str, object]]:
    """`count` records, labels alternating; the words of a record's label make up most of it."""
    generator = random.Random(seed)
    records = []
    for index in range(count):
        label = index % 2
        words = generator.sample(_LABEL_WORDS[label], 4) + generator.sample(_FILLER, 3)
        generator.shuffle(words)
        records.append({"headline": " ".join(words), "is_sarcastic": label})
    return records


def series_values(length: int, seed: int) -> list[float]:
    """A trend, a yearly-like season of SEASON_PERIOD steps and Gaussian noise, roughly in [0, 1]."""
    generator = random.Random(seed)
    values = []
    for time in range(length):
        trend = 0.2 + 0.3 * time / length
        season = 0.25 * math.sin(2 * math.pi * time / SEASON_PERIOD) + 0.1 * math.cos(
            4 * math.pi * time / SEASON_PERIOD
        )
        values.append(round(trend + season + generator.gauss(0.0, NOISE), 5))
    return values


def write_data(folder: Path, sentence_count: int, series_length: int, seed: int) -> None:
    """sentences.json and series.csv in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SENTENCES_FILE).write_text(json.dumps(sentences(sentence_count, seed)), encoding="utf-8")
    with open(folder / SERIES_FILE, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["time", "value"])
        writer.writerows(enumerate(series_values(series_length, seed)))
