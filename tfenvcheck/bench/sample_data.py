"""Folders laid out like the tutorials' real data, for tests, smoke runs and the input benchmark.

`flower_photos/` holds class folders of JPEGs of the real photos' sizes (about 320x240 to 500x375,
about 60 KB each), written by the target's own TensorFlow (`tf.io.encode_jpeg`), so no imaging
library is needed. `aclImdb/` holds train/ and test/ with pos/ and neg/ reviews (and a train/unsup/
that the loaders must ignore), as the extracted IMDB archive does.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

from tfenvcheck.bench.workloads import REVIEW_LENGTH_MU, REVIEW_LENGTH_SIGMA, REVIEW_MAX_WORDS

FLOWER_CLASSES = {"daisy": 633, "dandelion": 898, "roses": 641, "sunflowers": 699, "tulips": 799}

# Run by the target with TensorFlow: smooth colour fields with fine noise, which compress like photos.
_JPEG_WRITER = r"""
import os, sys, tensorflow as tf
root, seed = sys.argv[1], int(sys.argv[2])
counts = [(name, int(n)) for name, n in (item.split("=") for item in sys.argv[3:])]
index = 0
for name, count in counts:
    os.makedirs(os.path.join(root, name), exist_ok=True)
    for number in range(count):
        s = tf.constant([seed, index], tf.int64)
        height, width = [(240, 320), (333, 500), (375, 500), (500, 375), (320, 240)][index % 5]
        coarse = tf.random.stateless_uniform([1, height // 16, width // 16, 3], seed=s, maxval=255.0)
        image = tf.image.resize(coarse, [height, width])[0]
        image += tf.random.stateless_normal([height, width, 3], seed=s + 1, stddev=12.0)
        pixels = tf.cast(tf.clip_by_value(image, 0.0, 255.0), tf.uint8)
        path = os.path.join(root, name, "%s_%05d.jpg" % (name, number))
        tf.io.write_file(path, tf.io.encode_jpeg(pixels, quality=90))
        index += 1
"""


def write_flower_folder(python: str, where: Path, counts: dict[str, int] | None = None, seed: int = 7) -> Path:
    """`where/flower_photos/<class>/*.jpg`; the real folder's 3,670 images by default."""
    root = where / "flower_photos"
    items = ["{}={}".format(name, n) for name, n in (counts or FLOWER_CLASSES).items()]
    done = subprocess.run([python, "-c", _JPEG_WRITER, str(root), str(seed), *items], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("writing JPEGs with {} failed: {}".format(python, done.stderr[-2000:]))
    return root


def write_review_folder(where: Path, train_per_label: int, test_per_label: int, seed: int = 7) -> Path:
    """`where/aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt` with IMDB-like review lengths."""
    generator = random.Random(seed)
    words = ["movie", "film", "the", "a", "great", "bad", "plot", "acting", "was", "and", "not", "really"]
    root = where / "aclImdb"
    for split, count in (("train", train_per_label), ("test", test_per_label)):
        for label, rating in (("pos", 8), ("neg", 2)):
            folder = root / split / label
            folder.mkdir(parents=True, exist_ok=True)
            for number in range(count):
                length = int(
                    min(REVIEW_MAX_WORDS, max(10, generator.lognormvariate(REVIEW_LENGTH_MU, REVIEW_LENGTH_SIGMA)))
                )
                text = " ".join(generator.choice(words) for _ in range(length)) + ". <br /><br />The end!"
                (folder / "{}_{}.txt".format(number, rating)).write_text(text, encoding="utf-8")
    unsup = root / "train" / "unsup"
    unsup.mkdir(exist_ok=True)
    (unsup / "0_0.txt").write_text("an unlabelled review the tutorial never reads", encoding="utf-8")
    return root
