"""Estimated training FLOPs per step of the reference models, from their architecture.

Counted: the multiply-adds of convolutions, dense layers and LSTM cells (2 FLOPs each); training
costs the forward pass three times (forward, gradient of the inputs, gradient of the weights),
except that the first convolution needs no gradient of its input. Pooling, activations, the
optimizer and the embedding lookup are small next to these and left out.
"""

from __future__ import annotations

IMAGE_SIZE = 180
IMAGE_CHANNELS = 3
CONV_FILTERS = (16, 32, 64)
KERNEL = 3
DENSE_UNITS = 128
CLASSES = 5
EMBEDDING = 64


def image_forward_macs() -> tuple[int, int]:
    """(multiply-adds per image forward, of which the first convolution's)."""
    size, channels, total = IMAGE_SIZE, IMAGE_CHANNELS, 0
    first = size * size * KERNEL * KERNEL * channels * CONV_FILTERS[0]
    for filters in CONV_FILTERS:
        total += size * size * KERNEL * KERNEL * channels * filters  # 'same' padding keeps the size
        size, channels = size // 2, filters  # MaxPooling2D halves it
    flattened = size * size * channels
    total += flattened * DENSE_UNITS + DENSE_UNITS * CLASSES
    return total, first


def image_training_flops_per_step(batch_size: int) -> float:
    forward, first_conv = image_forward_macs()
    return 2.0 * (3 * forward - first_conv) * batch_size


def lstm_macs_per_token(inputs: int, units: int) -> int:
    """Four gates, each a dense layer over [input, previous output]."""
    return 4 * (inputs + units) * units


def text_forward_macs_per_token(stacked: bool) -> int:
    if not stacked:
        return 2 * lstm_macs_per_token(EMBEDDING, 64)  # Bidirectional(LSTM(64))
    return 2 * lstm_macs_per_token(EMBEDDING, 64) + 2 * lstm_macs_per_token(128, 32)


def text_training_flops_per_step(stacked: bool, batch_size: int, padded_words_per_batch: float) -> float:
    """The LSTMs run over every position of the padded batch (masked steps are computed too)."""
    head = (128 if not stacked else 64) * 64 + 64
    per_sample = text_forward_macs_per_token(stacked) * padded_words_per_batch + head
    return 2.0 * 3 * per_sample * batch_size


def training_flops_per_step(spec: dict, data: dict) -> float | None:
    if spec["family"] == "image":
        return image_training_flops_per_step(spec["batch_size"])
    padded = data.get("padded_words_per_batch")
    return None if padded is None else text_training_flops_per_step(spec["stacked"], spec["batch_size"], padded)
