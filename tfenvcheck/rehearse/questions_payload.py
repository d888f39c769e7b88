# Run by the *target* interpreter after prelude_payload.py: one question of the rehearsal, one phase.
# Standard library only (TensorFlow and numpy are the target's own), valid syntax for CPython 2.7
# and working on 3.6 to 3.13. argv[1] is the JSON config:
#   {"phase": "train" | "score", "question": 1-5, "folder": DIR, "data": DIR, "seed": N,
#    "code": "keras2" | "target", "sizes": {...}}
# "train" writes the question's data, trains, and saves DIR/model.h5; "score", in a fresh process
# as the grader does, reloads it and scores it on the held-out data. Events, as JSON lines:
# environment, phase, epoch, then result {phases: {name: seconds}, score?, peak_rss} or error
# {phase, error}, then done. "code": "keras2" runs the exam's Keras 2 code whatever tf.keras is;
# "target" follows tf.keras (Keras 3 code on Keras 3).
import csv
import random
import time

CONFIG = json.loads(sys.argv[1])
SIZES = CONFIG["sizes"]
SEED = CONFIG["seed"]
FOLDER = CONFIG["folder"]
MODEL_FILE = os.path.join(FOLDER, "model.h5")
IMAGE_CLASSES = ("checkered", "horizontal", "vertical")
MAX_WORDS, SEQUENCE_LENGTH, WINDOW = 1000, 16, 20


def peak_rss():
    """The process's peak resident memory in bytes (None where the resource module is missing)."""
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def keras_version(tf):
    """The version of the Keras behind tf.keras."""
    try:
        return tf.keras.version()  # 2.16 on, with Keras 3
    except AttributeError:
        pass
    if getattr(tf.keras, "__name__", "").startswith("tf_keras"):  # 2.16 on, TF_USE_LEGACY_KERAS=1
        import tf_keras

        return tf_keras.__version__
    return getattr(tf.keras, "__version__", "")


def tf_minor(tf):
    parts = tf.__version__.split(".")
    return int(parts[0]), int(parts[1])


def layer_input(tf, keras3, shape):
    """How the first layer learns its input shape: Keras 3 wants an Input, the exam writes input_shape."""
    return ([tf.keras.Input(shape=shape)], {}) if keras3 else ([], {"input_shape": shape})


def epochs_callback(tf, epochs):
    def ended(epoch, logs):
        emit("epoch", epoch=epoch + 1, epochs=epochs)

    return [tf.keras.callbacks.LambdaCallback(on_epoch_end=ended)]


def split(items):
    cut = len(items) - int(len(items) * 0.2)
    return items[:cut], items[cut:]


# ---- 1: a basic model ------------------------------------------------------------------------------
def regression_data(np):
    generator = np.random.RandomState(SEED)
    xs = generator.uniform(-5.0, 5.0, SIZES["regression_samples"] * 5 // 4).astype("float32")
    ys = 2.0 * xs - 1.0 + generator.normal(0.0, 0.05, xs.shape).astype("float32")
    return split(xs), split(ys)


def train_regression(tf, np, keras3):
    (xs, _), (ys, _) = regression_data(np)
    inputs, first = layer_input(tf, keras3, [1])
    model = tf.keras.Sequential(inputs + [tf.keras.layers.Dense(1, **first)])
    # The exam's "mse": Keras 3 saves it in the .h5 as a function it cannot load back; a loss object it can.
    loss = tf.keras.losses.MeanSquaredError() if keras3 else "mse"
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.1), loss=loss)
    epochs = SIZES["regression_epochs"]
    return model, lambda: model.fit(
        xs, ys, epochs=epochs, batch_size=32, verbose=0, callbacks=epochs_callback(tf, epochs)
    )


def score_regression(tf, np, model, keras3):
    (_, xs), (_, ys) = regression_data(np)
    return float(np.mean(np.abs(model.predict(xs, verbose=0).reshape(-1) - ys)))


# ---- 2: a learning dataset, shaped as tf.keras.datasets returns it: (n, 28, 28) uint8, labels uint8 ----
def digits_data(np):
    generator = np.random.RandomState(SEED)
    templates = generator.uniform(0.0, 1.0, (10, 7, 7)).repeat(4, axis=1).repeat(4, axis=2)
    count = SIZES["digits_per_class"] * 10
    labels = (np.arange(count) % 10).astype("uint8")
    noise = generator.uniform(0.0, 110.0, (count, 28, 28))
    images = np.clip(templates[labels] * 145.0 + noise, 0, 255).astype("uint8")
    return split(images), split(labels)


def train_digits(tf, np, keras3):
    (images, _), (labels, _) = digits_data(np)
    inputs, first = layer_input(tf, keras3, [28, 28])
    model = tf.keras.Sequential(
        inputs
        + [
            tf.keras.layers.Flatten(**first),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    epochs = SIZES["digits_epochs"]
    return model, lambda: model.fit(
        images / 255.0, labels, epochs=epochs, batch_size=32, verbose=0, callbacks=epochs_callback(tf, epochs)
    )


def score_digits(tf, np, model, keras3):
    (_, images), (_, labels) = digits_data(np)
    predicted = model.predict(images / 255.0, verbose=0).argmax(axis=1)
    return float(np.mean(predicted == labels))


# ---- 3: a CNN on JPEGs in class folders, read with the loader the target's TensorFlow offers ----
def write_images(tf, np):
    """IMAGES/{train,test}/<class>/*.jpg: stripes one way, the other, or checks; colours and widths vary."""
    generator = np.random.RandomState(SEED)
    size = SIZES["image_size"]
    grid = np.arange(size)
    for number in range(SIZES["images_per_class"] * 5 // 4):
        where = "train" if number < SIZES["images_per_class"] else "test"
        for index, name in enumerate(IMAGE_CLASSES):
            width, offset = generator.randint(3, 7), generator.randint(0, 8)
            rows = ((grid + offset) // width % 2)[:, None]
            columns = ((grid + offset) // width % 2)[None, :]
            pattern = [rows ^ columns, rows + 0 * columns, columns + 0 * rows][index]
            # Dark on light or light on dark, in any colours: the pattern always shows.
            ink, paper = generator.uniform(0, 100, 3), generator.uniform(155, 255, 3)
            if generator.randint(2):
                ink, paper = paper, ink
            image = np.where(pattern[:, :, None] == 1, ink, paper) + generator.normal(0, 20, (size, size, 3))
            folder = os.path.join(FOLDER, "images", where, name)
            if not os.path.isdir(folder):
                os.makedirs(folder)
            pixels = tf.constant(np.clip(image, 0, 255).astype("uint8"))
            tf.io.write_file(os.path.join(folder, "%s_%04d.jpg" % (name, number)), tf.io.encode_jpeg(pixels))


def image_loader(tf, keras3, where, shuffle):
    """(the batches to fit or predict on, their labels' class indexes when not shuffled)."""
    folder, size = os.path.join(FOLDER, "images", where), SIZES["image_size"]
    if tf_minor(tf) < (2, 3):
        generator = tf.keras.preprocessing.image.ImageDataGenerator(rescale=1.0 / 255)
        flow = generator.flow_from_directory(
            folder, target_size=(size, size), batch_size=16, class_mode="categorical", shuffle=shuffle, seed=SEED
        )
        return flow, flow.classes
    # Keras 2 up to 2.15 (the exam's code): tf.keras.preprocessing; Keras 3: tf.keras.utils.
    load = (tf.keras.utils if keras3 else tf.keras.preprocessing).image_dataset_from_directory
    dataset = load(folder, image_size=(size, size), batch_size=16, label_mode="categorical", shuffle=shuffle, seed=SEED)
    dataset = dataset.map(lambda images, labels: (images / 255.0, labels))
    labels = None if shuffle else [int(i) for _, batch in dataset for i in batch.numpy().argmax(axis=1)]
    return dataset, labels


def train_images(tf, np, keras3):
    write_images(tf, np)
    batches, _ = image_loader(tf, keras3, "train", True)
    size = SIZES["image_size"]
    inputs, first = layer_input(tf, keras3, [size, size, 3])
    layers = tf.keras.layers
    model = tf.keras.Sequential(
        inputs
        + [
            layers.Conv2D(16, 3, activation="relu", **first),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(len(IMAGE_CLASSES), activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    epochs = SIZES["images_epochs"]
    return model, lambda: model.fit(batches, epochs=epochs, verbose=0, callbacks=epochs_callback(tf, epochs))


def score_images(tf, np, model, keras3):
    batches, labels = image_loader(tf, keras3, "test", False)
    predicted = model.predict(batches, verbose=0).argmax(axis=1)
    return float(np.mean(predicted == np.array(labels)))


# ---- 4: NLP: sentences and labels from a JSON file, tokenized and padded, Embedding + LSTM ----
def sentence_records():
    with open(os.path.join(CONFIG["data"], "sentences.json")) as source:
        records = json.load(source)
    return split([r["headline"] for r in records]), split([r["is_sarcastic"] for r in records])


def vocabulary_file():
    return os.path.join(FOLDER, "vocabulary.json")


def keras2_sequences(tf, texts, word_index=None):
    """The exam's Tokenizer and pad_sequences; fitted on `texts` unless given the saved word index."""
    from tensorflow.keras.preprocessing.sequence import pad_sequences
    from tensorflow.keras.preprocessing.text import Tokenizer

    tokenizer = Tokenizer(num_words=MAX_WORDS, oov_token="<OOV>")
    if word_index is None:
        tokenizer.fit_on_texts(texts)
        with open(vocabulary_file(), "w") as out:
            json.dump(tokenizer.word_index, out)
    else:
        tokenizer.word_index = word_index
    return pad_sequences(
        tokenizer.texts_to_sequences(texts), maxlen=SEQUENCE_LENGTH, padding="post", truncating="post"
    )


def keras3_sequences(tf, texts, vocabulary=None):
    """Keras 3 has no Tokenizer: a TextVectorization layer, adapted on `texts` unless given the vocabulary."""
    vectorize = tf.keras.layers.TextVectorization(
        max_tokens=MAX_WORDS, output_sequence_length=SEQUENCE_LENGTH, vocabulary=vocabulary
    )
    if vocabulary is None:
        vectorize.adapt(texts)
        with open(vocabulary_file(), "w") as out:
            json.dump(vectorize.get_vocabulary(), out)
    return vectorize(texts).numpy()


def train_text(tf, np, keras3):
    (texts, _), (labels, _) = sentence_records()
    sequences = (keras3_sequences if keras3 else keras2_sequences)(tf, texts)
    inputs, first = layer_input(tf, keras3, [SEQUENCE_LENGTH])
    if not keras3:
        first = {"input_length": SEQUENCE_LENGTH}  # the exam's Embedding; Keras 3 before 3.7 refuses it
    model = tf.keras.Sequential(
        inputs
        + [
            tf.keras.layers.Embedding(MAX_WORDS, 16, **first),
            tf.keras.layers.LSTM(16),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    epochs, targets = SIZES["text_epochs"], np.array(labels, dtype="float32")
    return model, lambda: model.fit(
        sequences, targets, epochs=epochs, batch_size=32, verbose=0, callbacks=epochs_callback(tf, epochs)
    )


def score_text(tf, np, model, keras3):
    (_, texts), (_, labels) = sentence_records()
    with open(vocabulary_file()) as source:
        saved = json.load(source)
    sequences = (keras3_sequences if keras3 else keras2_sequences)(tf, texts, saved)
    predicted = model.predict(sequences, verbose=0).reshape(-1) > 0.5
    return float(np.mean(predicted == np.array(labels, dtype=bool)))


# ---- 5: a time series from a CSV, windowed with tf.data, Conv1D + LSTM, judged by MAE ----
def series(np):
    with open(os.path.join(CONFIG["data"], "series.csv")) as source:
        rows = list(csv.reader(source))[1:]
    values = np.array([float(value) for _, value in rows], dtype="float32")
    return split(values)


def train_series(tf, np, keras3):
    train, _ = series(np)
    windows = tf.data.Dataset.from_tensor_slices(train[:, None]).window(WINDOW + 1, shift=1, drop_remainder=True)
    windows = windows.flat_map(lambda window: window.batch(WINDOW + 1)).shuffle(1000, seed=SEED)
    batches = windows.map(lambda window: (window[:-1], window[-1])).batch(32).prefetch(1)
    inputs, first = layer_input(tf, keras3, [WINDOW, 1])
    layers = tf.keras.layers
    model = tf.keras.Sequential(
        inputs
        + [
            layers.Conv1D(32, 5, padding="causal", activation="relu", **first),
            layers.LSTM(32),
            layers.Dense(16, activation="relu"),
            layers.Dense(1),
        ]
    )
    loss = tf.keras.losses.MeanAbsoluteError() if keras3 else "mae"  # as question 1's "mse"
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.003), loss=loss)
    epochs = SIZES["series_epochs"]
    return model, lambda: model.fit(batches, epochs=epochs, verbose=0, callbacks=epochs_callback(tf, epochs))


def score_series(tf, np, model, keras3):
    train, held_out = series(np)
    history = np.concatenate([train[-WINDOW:], held_out])
    windows = np.stack([history[i : i + WINDOW] for i in range(len(held_out))])[:, :, None]
    forecast = model.predict(windows, verbose=0).reshape(-1)
    return float(np.mean(np.abs(forecast - held_out)))


QUESTIONS = {
    1: (train_regression, score_regression),
    2: (train_digits, score_digits),
    3: (train_images, score_images),
    4: (train_text, score_text),
    5: (train_series, score_series),
}


class Phases(object):
    """Each phase's wall time, the one running named in the event stream as it starts."""

    def __init__(self):
        self.seconds, self.current, self.started = {}, None, None

    def start(self, name):
        self.stop()
        self.current, self.started = name, time.time()
        emit("phase", phase=name)

    def stop(self):
        if self.current is not None:
            self.seconds[self.current] = round(time.time() - self.started, 3)
            self.current = None


def traceback_tail():
    try:
        import traceback

        return traceback.format_exc().splitlines()[-40:]
    except Exception:  # the traceback module reads source through linecache, which may be what is broken
        return []


def rehearse(phases):
    phases.start("import")
    import numpy as np
    import tensorflow as tf

    random.seed(SEED)
    np.random.seed(SEED)
    tf.random.set_seed(SEED)
    version = keras_version(tf)
    keras3 = CONFIG["code"] == "target" and version.split(".")[0] == "3"
    emit(
        "environment",
        python=".".join(str(part) for part in sys.version_info[:3]),
        tensorflow=tf.__version__,
        keras=version,
        code="keras3" if keras3 else "keras2",
    )
    train, score = QUESTIONS[CONFIG["question"]]
    if CONFIG["phase"] == "train":
        phases.start("data")
        model, fit = train(tf, np, keras3)
        phases.start("train")
        fit()
        phases.start("save")
        model.save(MODEL_FILE)
        phases.stop()
        return None
    phases.start("load")
    model = tf.keras.models.load_model(MODEL_FILE)
    phases.start("score")
    value = score(tf, np, model, keras3)
    phases.stop()
    return value


def main():
    phases = Phases()
    try:
        value = rehearse(phases)
    except BaseException as error:  # SystemExit and KeyboardInterrupt in a library are failures too
        emit("error", phase=phases.current, error=describe_exception(error), traceback=traceback_tail())
        phases.stop()
    else:
        emit("result", score=value)
    emit("done", phases=phases.seconds, peak_rss=peak_rss())


main()
