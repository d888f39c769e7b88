# Run by the *target* interpreter, not by tfenvcheck: standard library and the target's TensorFlow
# only, no imports from tfenvcheck, no f-strings (Python 3.6+ and TensorFlow 2.0 to today's, Keras 2
# or Keras 3). It builds the tensorflow.org tutorials' models and data pipelines, trains them under
# a timing callback and streams JSON lines on stdout:
#   {"event": "environment", ...}           versions, devices, once
#   {"event": "workload", "id", "planned_steps", "setup_seconds", "first_pass"}   its training starts
#   {"event": "epoch", "id", "epoch"}       an epoch's timings (--quick without --steps: tfenvcheck
#                                           decides when it has sampled enough and says so through
#                                           the stop file; the fit ends at the next epoch's end)
#   {"event": "phase", "id", "phase"}       data / build / train
#   {"event": "progress", "id", "done", "planned_steps"}   at most every progress_interval seconds
#   {"event": "result", "id", ...}          raw timings: tfenvcheck computes statistics and projections
#   {"event": "error", "id", "error"}       a workload failed; the others still run
#   {"event": "done"}
# Its one argument is a JSON object: the workloads (tutorial constants come from tfenvcheck), the mode
# and the data folders. Where an API is missing in an old TensorFlow the nearest equivalent is used
# and named in the result's "substitutions". tfenvcheck sends probes/prelude_payload.py ahead of it,
# which defines emit() and describe_exception() (and makes `/` true division on every Python).
import json
import os
import random
import re
import string
import sys
import time

clock = time.monotonic if hasattr(time, "monotonic") else time.time

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif")
# A vocabulary of pseudo-words drawn with Zipf's law (exponent 1), as natural language is.
SYNTHETIC_VOCABULARY = 20000
QUICK_CANDIDATE_BATCHES = 400


# ---------------------------------------------------------------------------------------------
# Finding the APIs this TensorFlow has


def keras_layer(tf, name):
    """tf.keras.layers.NAME (TF 2.6+, Keras 3), else its experimental.preprocessing ancestor, else None."""
    layers = tf.keras.layers
    if hasattr(layers, name):
        return getattr(layers, name)
    preprocessing = getattr(getattr(layers, "experimental", None), "preprocessing", None)
    return getattr(preprocessing, name, None)


def keras_utility(tf, name):
    """tf.keras.utils.NAME (TF 2.9+, Keras 3), else tf.keras.preprocessing.NAME (TF 2.3-2.8), else None."""
    for module in (getattr(tf.keras, "utils", None), getattr(tf.keras, "preprocessing", None)):
        if module is not None and hasattr(module, name):
            return getattr(module, name)
    return None


def autotune(tf):
    return getattr(tf.data, "AUTOTUNE", None) or tf.data.experimental.AUTOTUNE


def keras_version(tf):
    version = getattr(tf.keras, "__version__", None)
    if version is None:
        top = sys.modules.get(tf.keras.Sequential.__module__.split(".")[0])
        version = getattr(top, "__version__", None)
    return version


def precision_policy(tf):
    for owner in (getattr(tf.keras, "mixed_precision", None),
                  getattr(getattr(tf.keras, "mixed_precision", None), "experimental", None)):
        function = getattr(owner, "global_policy", None)
        if function is not None:
            try:
                return function().name
            except Exception:
                pass
    return "float32"


def jit_compile_setting(model):
    """Keras 3 resolves jit_compile="auto" (XLA on a GPU when every layer allows it); Keras 2.8+
    keeps it private; older Keras has no such setting (False)."""
    for name in ("jit_compile", "_jit_compile"):
        try:
            value = getattr(model, name)
        except Exception:
            continue
        if value is not None:
            return value if isinstance(value, (bool, str)) else bool(value)
    return False


def variable_device(model):
    """Where the model's first weight lives: the device the training really ran on."""
    try:
        variable = model.trainable_variables[0]
    except Exception:
        return None
    for candidate in (variable, getattr(variable, "value", None)):
        device = getattr(candidate, "device", None)
        if isinstance(device, str) and device:
            return device
    return None


def list_devices(tf, kind):
    config = tf.config
    function = getattr(config, "list_physical_devices", None) or config.experimental.list_physical_devices
    return [device.name for device in function(kind)]


# ---------------------------------------------------------------------------------------------
# Timing: one monotonic timestamp per finished batch, completion forced by reading the loss


class StepTimer(object):
    """Build the Keras callback lazily: the Callback base class differs between Keras 2 and 3."""

    def __init__(self, tf, planned_steps, workload_id, progress_interval, stop_file=None, max_seconds=None,
                 min_epochs=1):
        timer = self

        class Callback(tf.keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                timer.epoch_begin()

            def on_train_batch_begin(self, batch, logs=None):
                timer.train_batch_begin()

            def on_train_batch_end(self, batch, logs=None):
                timer.batch_end("train", logs)

            def on_test_begin(self, logs=None):
                timer.test_begin()

            def on_test_batch_end(self, batch, logs=None):
                timer.batch_end("val", logs)

            def on_epoch_end(self, epoch, logs=None):
                timer.epoch_end(logs)
                if timer.should_stop():
                    self.model.stop_training = True

        self.callback = Callback()
        self.planned_steps = planned_steps
        self.workload_id = workload_id
        self.progress_interval = progress_interval
        self.epochs = []
        self.done = 0
        self.last_report = clock()
        self.fit_start = None
        self.last = None
        self.final_logs = {}
        self.stop_file = stop_file
        self.max_seconds = max_seconds
        self.min_epochs = min_epochs

    def start(self):
        self.fit_start = self.last = clock()

    def epoch_begin(self):
        self.epochs.append({"train_step_seconds": [], "val_step_seconds": [], "start": clock() - self.fit_start})
        self.last = clock()

    def train_batch_begin(self):
        # When the epoch's first batch starts: before it, the last epoch's iterator was torn down.
        epoch = self.epochs[-1]
        if "first_batch_start" not in epoch:
            epoch["first_batch_start"] = clock() - self.fit_start

    def test_begin(self):
        self.last = clock()

    def batch_end(self, phase, logs):
        if logs and "loss" in logs:
            float(logs["loss"])  # waits for the step to finish where logs still hold tensors
        now = clock()
        self.epochs[-1][phase + "_step_seconds"].append(now - self.last)
        self.last = now
        self.done += 1
        if now - self.last_report >= self.progress_interval:
            self.last_report = now
            emit("progress", id=self.workload_id, done=self.done, planned_steps=self.planned_steps)
            self.last = clock()  # the report's own cost is not the next step's

    def epoch_end(self, logs):
        self.epochs[-1]["end"] = clock() - self.fit_start
        self.final_logs = dict((key, float(value)) for key, value in (logs or {}).items())
        if self.stop_file:
            emit("epoch", id=self.workload_id, epoch=self.epochs[-1])

    def should_stop(self):
        """Adaptive sampling: tfenvcheck has made the stop file, or the time cap (a safety net) passed;
        never before the fewest epochs an interval needs."""
        if not self.stop_file or len(self.epochs) < self.min_epochs:
            return False
        return os.path.exists(self.stop_file) or clock() - self.fit_start >= self.max_seconds


# The calibration: how long one product of a 512 x 512 matrix takes, from as many products as fit
# in a window of CALIBRATION_WINDOW seconds, in CALIBRATION_WINDOWS windows after one not counted, so
# it takes the same time on a fast machine as on a slow one. On a quiet 2-core machine one window
# still differs from the next by up to a third (benchmarks/calibration_noise.py), so tfenvcheck
# compares the windows before training with those after, not two single timings.
CALIBRATION_SIZE = 512
CALIBRATION_WINDOW = 0.15
CALIBRATION_WINDOWS = 5


def calibrate(tf):
    """Seconds per matrix product in each window, sorted: the machine's speed right now, timed
    before and after training to see whether it moved."""
    matrix = tf.random.stateless_uniform([CALIBRATION_SIZE, CALIBRATION_SIZE], seed=[1, 2]) / CALIBRATION_SIZE

    def window():
        start = clock()
        count, product = 0, matrix
        while True:
            product = tf.linalg.matmul(product, matrix)
            count += 1
            if count % 4 == 0:
                float(tf.reduce_sum(product))  # eager ops may run ahead: wait for them
                elapsed = clock() - start
                if elapsed >= CALIBRATION_WINDOW:
                    return elapsed / count

    window()
    return sorted(window() for _ in range(CALIBRATION_WINDOWS))


def calibration_record(before, after):
    return {
        "before_seconds": before[len(before) // 2],
        "after_seconds": after[len(after) // 2],
        "before_windows": before,
        "after_windows": after,
    }


# ---------------------------------------------------------------------------------------------
# Image classification (tensorflow/docs site/en/tutorials/images/classification.ipynb)


def synthetic_images(tf, count, spec, seed):
    """Random pixels in 0..255 as float32 batches, as image_dataset_from_directory yields them."""
    size = spec["image_size"]

    def make(index):
        pixel_seed = tf.stack([tf.constant(seed, tf.int64), index])
        image = tf.floor(tf.random.stateless_uniform([size, size, 3], seed=pixel_seed, maxval=256.0))
        return image, tf.cast(index % spec["classes"], tf.int32)

    return tf.data.Dataset.range(count).map(make).batch(spec["batch_size"])


def image_files(directory):
    classes = sorted(name for name in os.listdir(directory) if os.path.isdir(os.path.join(directory, name)))
    files = []
    for label, name in enumerate(classes):
        for root, _, names in sorted(os.walk(os.path.join(directory, name))):
            for file_name in sorted(names):
                if file_name.lower().endswith(IMAGE_EXTENSIONS):
                    files.append((os.path.join(root, file_name), label))
    return classes, files


def real_images(tf, directory, spec, substitutions):
    """The tutorial's image_dataset_from_directory split (seed 123, 20% validation), or before
    TensorFlow 2.3 the same split made by hand with decode_image and a bilinear resize."""
    size = (spec["image_size"], spec["image_size"])
    load = keras_utility(tf, "image_dataset_from_directory")
    if load is not None:
        common = dict(validation_split=0.2, seed=123, image_size=size, batch_size=spec["batch_size"])
        return load(directory, subset="training", **common), load(directory, subset="validation", **common)
    substitutions.append("image_dataset_from_directory: files listed, split 80/20 with seed 123, "
                         "decoded with tf.image.decode_image and resized bilinearly (not in this TensorFlow)")
    _, files = image_files(directory)
    random.Random(123).shuffle(files)
    validation = int(0.2 * len(files))

    def dataset(pairs):
        paths = tf.constant([path for path, _ in pairs])
        labels = tf.constant([label for _, label in pairs], tf.int32)

        def decode(path, label):
            image = tf.image.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
            return tf.image.resize(image, size), label

        return tf.data.Dataset.from_tensor_slices((paths, labels)).map(decode).batch(spec["batch_size"])

    return dataset(files[validation:]), dataset(files[:validation])


def count_images(directory):
    _, files = image_files(directory)
    validation = int(0.2 * len(files))
    return len(files) - validation, validation


def fallback_augmentation(tf):
    """RandomFlip and RandomZoom by hand for TensorFlow without the preprocessing layers."""

    class Augmentation(tf.keras.layers.Layer):
        def call(self, images, training=None):
            size = [int(images.shape[1]), int(images.shape[2])]  # static, so the layers after it build

            def augmented():
                flipped = tf.image.random_flip_left_right(images)
                batch = tf.shape(images)[0]
                half = tf.random.uniform([batch, 1], 0.45, 0.55)  # a zoom of +-10% about the centre
                boxes = tf.concat([0.5 - half, 0.5 - half, 0.5 + half, 0.5 + half], axis=1)
                return tf.image.crop_and_resize(flipped, boxes, tf.range(batch), size)

            output = tf.keras.backend.in_train_phase(augmented, images, training=training)
            output.set_shape(images.shape)
            return output

        def compute_output_shape(self, input_shape):
            return input_shape

    return Augmentation()


def image_model(tf, spec, substitutions):
    layers = tf.keras.layers
    shape = (spec["image_size"], spec["image_size"], 3)
    model_layers = []
    if spec["augment"]:
        flip, rotation, zoom = (keras_layer(tf, name) for name in ("RandomFlip", "RandomRotation", "RandomZoom"))
        if flip and rotation and zoom:
            model_layers += [flip("horizontal", input_shape=shape), rotation(0.1), zoom(0.1)]
        else:
            substitutions.append("RandomFlip/RandomRotation/RandomZoom: a layer flipping and zooming with tf.image, "
                                 "no rotation (no preprocessing layers in this TensorFlow)")
            model_layers.append(fallback_augmentation(tf))
    rescaling = keras_layer(tf, "Rescaling")
    input_kwargs = {} if model_layers else {"input_shape": shape}
    if rescaling is not None:
        model_layers.append(rescaling(1. / 255, **input_kwargs))
    else:
        substitutions.append("Rescaling: a Lambda layer dividing by 255 (no Rescaling layer in this TensorFlow)")
        model_layers.append(layers.Lambda(lambda images: images / 255.0, **input_kwargs))
    for filters in (16, 32, 64):
        model_layers += [layers.Conv2D(filters, 3, padding="same", activation="relu"), layers.MaxPooling2D()]
    if spec["augment"]:
        model_layers.append(layers.Dropout(0.2))
    model_layers += [layers.Flatten(), layers.Dense(128, activation="relu"), layers.Dense(spec["classes"])]
    model = tf.keras.Sequential(model_layers)
    model.compile(optimizer="adam",
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def image_run(tf, spec, config, substitutions):
    """(model, train, validation, data facts, first-pass probe) for one image workload."""
    tune = autotune(tf)
    directory = config.get("image_dir")
    if directory:
        train_samples, val_samples = count_images(directory)
        train_source, val_source = real_images(tf, directory, spec, substitutions)
        data = {"source": "real", "path": directory, "train_samples": train_samples, "val_samples": val_samples}
    else:
        train_samples, val_samples = spec["train_samples"], spec["val_samples"]
        train_source = synthetic_images(tf, train_samples, spec, config["seed"])
        val_source = synthetic_images(tf, val_samples, spec, config["seed"] + 1)
        data = {"source": "synthetic", "path": None, "train_samples": train_samples, "val_samples": val_samples}
    data["train_batches"] = -(-train_samples // spec["batch_size"])
    data["val_batches"] = -(-val_samples // spec["batch_size"])
    first_pass = None
    if config["mode"] == "quick":
        # Short epochs of a few distinct batches, not repeated: like the tutorial's, each epoch starts
        # a fresh iterator, and the wait for the old one's teardown is sampled (epoch_waits.py). The
        # cache fills in the first epoch; the decoding is timed apart, to project the first epoch's.
        train_source = train_source.take(config["quick"]["steps_per_epoch"])
        val_source = val_source.take(config["quick"]["val_steps"])
        first_pass = time_first_pass(train_source, val_source)
    train = train_source.cache().shuffle(1000)
    val = val_source.cache().prefetch(tune)
    return image_model(tf, spec, substitutions), train.prefetch(tune), val, data, first_pass


def time_first_pass(*datasets):
    """Decoding (or generating) batches before the cache holds them: part of the first epoch only."""
    start = clock()
    batches = 0
    for dataset in datasets:
        for _ in dataset:
            batches += 1
    return {"batches": batches, "seconds": clock() - start}


# ---------------------------------------------------------------------------------------------
# Text classification with an RNN (tensorflow/text docs/tutorials/text_classification_rnn.ipynb)


def synthetic_reviews(count, spec, seed):
    """Reviews with IMDB's heavy-tailed length: log-normal words (median ~174, mean ~230), capped."""
    generator = random.Random(seed)
    words = ["".join(generator.choice(string.ascii_lowercase) for _ in range(generator.randint(2, 9)))
             for _ in range(SYNTHETIC_VOCABULARY)]
    weights, total = [], 0.0
    for rank in range(1, SYNTHETIC_VOCABULARY + 1):
        total += 1.0 / rank
        weights.append(total)
    stream = generator.choices(words, cum_weights=weights, k=1 << 18)
    texts, labels, lengths = [], [], []
    for index in range(count):
        length = int(min(spec["max_words"], max(10, generator.lognormvariate(spec["length_mu"], spec["length_sigma"]))))
        offset = generator.randrange(len(stream) - spec["max_words"])
        texts.append(" ".join(stream[offset:offset + length]))
        labels.append(index % 2)
        lengths.append(length)
    return texts, labels, lengths


def read_reviews(directory):
    texts, labels = [], []
    for label, name in enumerate(("neg", "pos")):
        folder = os.path.join(directory, name)
        for file_name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, file_name), "rb") as handle:
                texts.append(handle.read().decode("utf-8", "replace"))
            labels.append(label)
    return texts, labels


def review_datasets(tf, directory, train_reviews, val_reviews, seed, substitutions):
    """Unbatched (text, label) datasets: the real folders through text_dataset_from_directory where
    this TensorFlow has it (2.3+; unsup/ is left out), else the reviews already read in memory."""
    load = keras_utility(tf, "text_dataset_from_directory") if directory else None
    if load is not None:
        common = dict(batch_size=64, class_names=["neg", "pos"])
        try:
            train = load(os.path.join(directory, "train"), seed=seed, **common).unbatch()
            return train, load(os.path.join(directory, "test"), shuffle=False, **common).unbatch()
        except ValueError:  # before TF 2.6 class_names must name every folder, train/unsup/ included
            substitutions.append("text_dataset_from_directory: reviews read with open() (this TensorFlow's loader "
                                 "refuses to leave train/unsup/ out)")
    elif directory:
        substitutions.append("text_dataset_from_directory: reviews read with open() (not in this TensorFlow)")
    return (tf.data.Dataset.from_tensor_slices(train_reviews), tf.data.Dataset.from_tensor_slices(val_reviews))


def length_facts(lengths, batch_size, seed):
    """Mean and largest review, and the expected longest review of a batch (a step's padded length)."""
    generator = random.Random(seed)
    draws = [max(generator.sample(lengths, min(batch_size, len(lengths)))) for _ in range(2000)]
    return {"mean_words": sum(lengths) / len(lengths), "max_words": max(lengths),
            "padded_words_per_batch": sum(draws) / len(draws)}


def representative_batches(tf, texts, labels, lengths, spec, config):
    """--quick's training batches, their number (the strata) and their mean longest review (a step's
    padded length). Every epoch runs them in the same order after a lead batch (the median one
    again), whose step also carries the epoch's start and is not a steady step: so the k-th steady
    step of every epoch is the k-th stratum."""
    size = spec["batch_size"]
    count = min(config["quick"]["steps_per_epoch"], -(-len(texts) // size))
    chosen = quantile_batches(lengths, size, count, config["seed"])
    order = [i for batch in [chosen[count // 2]] + chosen for i in batch]
    dataset = tf.data.Dataset.from_tensor_slices(([texts[i] for i in order], [labels[i] for i in order]))
    return dataset.batch(size), count, sum(max(lengths[i] for i in batch) for batch in chosen) / count


def quantile_batches(lengths, size, count, seed):
    """`count` batches of review indices that stand for all. A step costs what its batch's longest
    review costs, which is heavy-tailed: over 35 batches drawn at random its mean is off by 6% (one
    standard deviation, synthetic IMDB lengths). So batches are drawn as the tutorial's shuffle draws
    them, and the ones at evenly spaced quantiles of their longest review are kept."""
    generator = random.Random(seed)
    candidates = []
    for _ in range(QUICK_CANDIDATE_BATCHES):
        picked = generator.sample(range(len(lengths)), min(size, len(lengths)))
        candidates.append((max(lengths[i] for i in picked), picked))
    candidates.sort(key=lambda candidate: candidate[0])
    return [candidates[int((rank + 0.5) * len(candidates) / count)][1] for rank in range(count)]


def fallback_tokenizer(tf, texts, max_tokens):
    """TextVectorization's default (lowercase, strip punctuation, split on whitespace, ids with 0 for
    padding and 1 for unknown words) as a lookup table in the input pipeline, for TF 2.0."""
    counts = {}
    strip = re.compile("[%s]" % re.escape(string.punctuation))
    for text in texts:
        for word in strip.sub("", text.lower()).split():
            counts[word] = counts.get(word, 0) + 1
    vocabulary = sorted(counts, key=lambda word: (-counts[word], word))[:max_tokens - 2]
    table = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(tf.constant(vocabulary), tf.range(2, len(vocabulary) + 2, dtype=tf.int64)),
        default_value=1)

    def encode(batch_texts, batch_labels):
        cleaned = tf.strings.regex_replace(tf.strings.lower(batch_texts), "[%s]" % re.escape(string.punctuation), "")
        tokens = tf.strings.split(cleaned)
        return tf.ragged.map_flat_values(table.lookup, tokens).to_tensor(0), batch_labels

    return encode, len(vocabulary) + 2


def text_run(tf, spec, config, substitutions):
    tune = autotune(tf)
    layers = tf.keras.layers
    directory = config.get("text_dir")
    if directory:
        train_texts, train_labels = read_reviews(os.path.join(directory, "train"))
        val_texts, val_labels = read_reviews(os.path.join(directory, "test"))
        lengths = [len(text.split()) for text in train_texts]
        data = {"source": "real", "path": directory}
    else:
        train_texts, train_labels, lengths = synthetic_reviews(spec["train_samples"], spec, config["seed"])
        val_texts, val_labels, _ = synthetic_reviews(spec["val_samples"], spec, config["seed"] + 1)
        data = {"source": "synthetic", "path": None}
    data.update(length_facts(lengths, spec["batch_size"], config["seed"]))
    data.update(train_samples=len(train_texts), val_samples=len(val_texts),
                train_batches=-(-len(train_texts) // spec["batch_size"]),
                val_batches=-(-len(val_texts) // spec["batch_size"]))
    train, validation = review_datasets(tf, directory, (train_texts, train_labels), (val_texts, val_labels),
                                        config["seed"], substitutions)
    adapt_texts = train.map(lambda text, label: text).batch(spec["batch_size"])
    if config["mode"] == "quick":
        train, strata, quick_words = representative_batches(tf, train_texts, train_labels, lengths, spec, config)
        data["quick_padded_words_per_batch"] = quick_words
        data["quick_strata"] = strata
    else:
        train = train.shuffle(spec["shuffle_buffer"]).batch(spec["batch_size"])
    validation = validation.batch(spec["batch_size"])

    vectorization = keras_layer(tf, "TextVectorization")
    if vectorization is not None:
        encoder = vectorization(max_tokens=spec["max_tokens"])
        encoder.adapt(adapt_texts)
        model_layers = [encoder]
        vocabulary = len(encoder.get_vocabulary())
    else:
        substitutions.append("TextVectorization: the same standardisation and ids by a lookup table in the input "
                             "pipeline (no TextVectorization layer in this TensorFlow)")
        encode, vocabulary = fallback_tokenizer(tf, train_texts, spec["max_tokens"])
        train, validation = train.map(encode), validation.map(encode)
        model_layers = []
    model_layers.append(layers.Embedding(input_dim=vocabulary, output_dim=64, mask_zero=True))
    if spec["stacked"]:
        model_layers += [layers.Bidirectional(layers.LSTM(64, return_sequences=True)),
                         layers.Bidirectional(layers.LSTM(32)),
                         layers.Dense(64, activation="relu"), layers.Dropout(0.5), layers.Dense(1)]
    else:
        model_layers += [layers.Bidirectional(layers.LSTM(64)), layers.Dense(64, activation="relu"), layers.Dense(1)]
    model = tf.keras.Sequential(model_layers)
    model.compile(loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
                  optimizer=tf.keras.optimizers.Adam(1e-4), metrics=["accuracy"])
    return model, train.prefetch(tune), validation.prefetch(tune), data, None


# ---------------------------------------------------------------------------------------------
# Running one workload


def fit_plan(spec, config, data):
    """(epochs, steps_per_epoch, validation_steps, steps planned per epoch) for the mode: the
    tutorial's, or quick's short epochs."""
    if config["mode"] == "quick":
        quick = config["quick"]
        steps = min(quick["steps_per_epoch"], data["train_batches"])
        if data.get("quick_strata"):
            steps = data["quick_strata"] + 1  # the lead batch
        validation_steps = min(quick["val_steps"], data["val_batches"])
        # An epoch's first step also carries the epoch's start, so it is not a steady step.
        # Adaptive sampling runs until tfenvcheck stops it (max_epochs is only a cap).
        epochs = quick.get("max_epochs") or 1 + -(-quick["steady_steps"] // max(1, steps - 1))
        # The training data is short already and ends each epoch; the image validation data too.
        return epochs, None, None if spec["family"] == "image" else validation_steps, steps + validation_steps
    validation_steps = spec.get("validation_steps")
    if validation_steps:
        validation_steps = min(validation_steps, data["val_batches"])
    return (config.get("epochs") or spec["epochs"], None, validation_steps,
            data["train_batches"] + (validation_steps or data["val_batches"]))


def run_workload(tf, spec, config):
    substitutions = []
    emit("phase", id=spec["id"], phase="data")
    start = clock()
    build = image_run if spec["family"] == "image" else text_run
    model, train, validation, data, first_pass = build(tf, spec, config, substitutions)
    setup_seconds = clock() - start
    epochs, steps, validation_steps, per_epoch = fit_plan(spec, config, data)
    adaptive = config["mode"] == "quick" and config["quick"].get("max_epochs")
    stop_file = os.path.join(config["quick"]["stop_folder"], spec["id"]) if adaptive else None
    timer = StepTimer(tf, epochs * per_epoch, spec["id"], config["progress_interval"], stop_file,
                      config["quick"].get("max_seconds"), config["quick"].get("min_epochs") or 1)
    calibration_before = calibrate(tf)
    emit("workload", id=spec["id"], planned_steps=None if adaptive else timer.planned_steps,
         setup_seconds=setup_seconds, first_pass=first_pass, train_strata=data.get("quick_strata") or 1)
    emit("phase", id=spec["id"], phase="train")
    timer.start()
    model.fit(train, validation_data=validation, epochs=epochs, steps_per_epoch=steps,
              validation_steps=validation_steps, callbacks=[timer.callback], verbose=0)
    fit_seconds = clock() - timer.fit_start
    emit("progress", id=spec["id"], done=timer.done, planned_steps=timer.planned_steps)
    calibration = calibration_record(calibration_before, calibrate(tf))
    return {
        "id": spec["id"],
        "device": variable_device(model),
        "parameters": int(model.count_params()),
        "jit_compile": jit_compile_setting(model),
        "precision": precision_policy(tf),
        "substitutions": substitutions,
        "data": data,
        "setup_seconds": setup_seconds,
        "first_pass": first_pass,
        "fit_seconds": fit_seconds,
        "epochs_run": len(timer.epochs),
        "train_strata": data.get("quick_strata") or 1,
        "calibration": calibration,
        "steps_per_epoch": steps,
        "validation_steps": validation_steps,
        "epochs": timer.epochs,
        "final_metrics": timer.final_logs,
    }


def main():
    config = json.loads(sys.argv[1])
    start = clock()
    try:
        import tensorflow as tf
    except BaseException as exc:  # a broken install may raise anything, SystemExit included
        emit("fatal", error=describe_exception(exc))
        return 1
    if config.get("hide_gpus"):
        try:
            (getattr(tf.config, "set_visible_devices", None) or tf.config.experimental.set_visible_devices)([], "GPU")
        except Exception:
            pass  # CUDA_VISIBLE_DEVICES=-1 set by the caller already hides them
    emit("environment", python=sys.version.split()[0], tensorflow=tf.__version__, keras=keras_version(tf),
         keras_module=tf.keras.Sequential.__module__, gpus=list_devices(tf, "GPU"), cpus=list_devices(tf, "CPU"),
         import_seconds=clock() - start)
    random.seed(config["seed"])
    tf.random.set_seed(config["seed"])
    for spec in config["workloads"]:
        try:
            result = run_workload(tf, spec, config)
        except Exception as exc:
            emit("error", id=spec["id"], error=describe_exception(exc))
            continue
        emit("result", **result)
    emit("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
