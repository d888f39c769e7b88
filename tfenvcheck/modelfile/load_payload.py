# Run by the *target* interpreter, not by tfenvcheck: standard library only, valid on CPython 3.6
# to 3.13 and TensorFlow 2.0 to today's. Loads the model file given as its one argument as an
# exam's grader does (tf.keras.models.load_model), then predicts once on zeros of the model's input
# shape. Answers with one JSON object: the versions, the stage reached ("import", "load",
# "predict", "done"), the times, the output shapes, and the error of the stage that failed.
# tfenvcheck sends prelude_payload.py ahead of it, which defines answer() and describe_exception().
import sys
import time


def keras_of(tf):
    """(the module tf.keras is, its version): "keras" 2.9.0, "keras" 3.x, "tf_keras", "tensorflow"."""
    backing = tf.keras.Sequential.__module__.split(".")[0]
    version = getattr(tf.keras, "__version__", None) or getattr(sys.modules.get(backing), "__version__", None)
    return backing, version


def zeros_for(model):
    """Zeros of each input's shape, one sample where the batch size (or any size) is not fixed."""
    import numpy

    inputs = [tuple(1 if d is None else int(d) for d in tensor.shape) for tensor in model.inputs]
    arrays = [numpy.zeros(shape, dtype="float32") for shape in inputs]
    return (arrays[0] if len(arrays) == 1 else arrays), [list(shape) for shape in inputs]


def shapes_of(outputs):
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [list(getattr(output, "shape", ())) for output in outputs]


def main():
    result = {"stage": "import", "tensorflow_version": None, "keras_backing": None, "keras_version": None}
    try:
        import tensorflow as tf

        result["tensorflow_version"] = tf.__version__
        result["keras_backing"], result["keras_version"] = keras_of(tf)
        result["stage"] = "load"
        start = time.time()
        model = tf.keras.models.load_model(sys.argv[1])
        result["load_seconds"] = time.time() - start
        result["stage"] = "predict"
        zeros, result["input_shapes"] = zeros_for(model)
        start = time.time()
        outputs = model.predict(zeros, verbose=0)
        result["predict_seconds"] = time.time() - start
        result["output_shapes"] = shapes_of(outputs)
        result["stage"] = "done"
    except BaseException as exc:  # SystemExit from a broken package is a failure too
        result["error"] = describe_exception(exc)
    answer(result)


if __name__ == "__main__":
    main()
