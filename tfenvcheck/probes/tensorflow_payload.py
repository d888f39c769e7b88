# Run by the *target* interpreter, not by tfenvcheck: standard library only, no imports from
# tfenvcheck, valid on CPython 3.6 to 3.13 and on TensorFlow 2.0 to today's. It imports TensorFlow,
# which may raise, hang or kill the process; the caller turns the last two into facts. Every
# attribute that not all TensorFlow releases have is read defensively. Answers with one JSON object.
# tfenvcheck sends prelude_payload.py ahead of it, which defines answer() and describe_exception().
import sys
import time


def attempt(function, *args):
    """(value, None) or (None, error description): one broken API must not hide the others."""
    try:
        return function(*args), None
    except Exception as exc:
        return None, describe_exception(exc)


def keras_facts(tf):
    """Which Keras `tf.keras` really is: the copy inside TensorFlow, keras 2, keras 3 or tf_keras."""
    facts = {"backing": None, "version": None, "error": None}
    try:
        module = tf.keras.Sequential.__module__
    except Exception as exc:
        facts["error"] = describe_exception(exc)
        return facts
    if module.startswith("tensorflow"):
        facts["backing"] = "tensorflow.python.keras"
    else:
        facts["backing"] = module.split(".")[0]
    version = getattr(tf.keras, "__version__", None)
    if version is None:
        top = sys.modules.get(facts["backing"])
        version = getattr(top, "__version__", None)
    facts["version"] = version
    return facts


def config_function(tf, name):
    """tf.config.X where it exists (2.1+), else tf.config.experimental.X (2.0)."""
    function = getattr(tf.config, name, None)
    if function is None:
        function = getattr(tf.config.experimental, name)
    return function


def physical_devices(tf):
    devices = []
    for device in config_function(tf, "list_physical_devices")():
        entry = {"name": device.name, "type": device.device_type}
        if device.device_type == "GPU":
            get_details = getattr(tf.config.experimental, "get_device_details", None)
            if get_details is not None:
                details, error = attempt(get_details, device)
                if details:
                    entry["model"] = details.get("device_name")
                    capability = details.get("compute_capability")
                    entry["compute_capability"] = ".".join(str(p) for p in capability) if capability else None
                if error:
                    entry["details_error"] = error
        devices.append(entry)
    return devices


def tiny_op(tf, device_name):
    """Sum a 4x4 matrix of ones on one device: proves kernels run there, and where they ran."""
    start = time.time()
    with tf.device(device_name):
        total = tf.reduce_sum(tf.ones([4, 4]))
    value = float(total.numpy())
    return {
        "device": device_name,
        "ok": value == 16.0,
        "placed_on": getattr(total, "device", None),
        "seconds": round(time.time() - start, 4),
    }


def build_info(tf):
    get = getattr(getattr(tf, "sysconfig", None), "get_build_info", None)
    if get is None:
        return None
    info = get()
    return dict((str(k), v if isinstance(v, (bool, int, float, list)) else str(v)) for k, v in info.items())


def main():
    facts = {"importable": False}
    start = time.time()
    try:
        import tensorflow as tf
    except BaseException as exc:  # SystemExit and friends from a broken install count too
        facts["import_seconds"] = round(time.time() - start, 3)
        facts["error"] = describe_exception(exc)
        answer(facts)
        return
    facts["import_seconds"] = round(time.time() - start, 3)
    facts["importable"] = True
    facts["file"] = getattr(tf, "__file__", None)
    facts["version"] = getattr(tf, "__version__", None) or getattr(getattr(tf, "version", None), "VERSION", None)
    facts["git_version"] = getattr(getattr(tf, "version", None), "GIT_VERSION", None)
    facts["built_with_cuda"], facts["built_with_cuda_error"] = attempt(lambda: tf.test.is_built_with_cuda())
    facts["build_info"], facts["build_info_error"] = attempt(build_info, tf)
    facts["keras"] = keras_facts(tf)  # never raises: it records its own error
    devices, facts["devices_error"] = attempt(physical_devices, tf)
    facts["devices"] = devices or []
    facts["gpus"] = [d for d in facts["devices"] if d["type"] == "GPU"]
    ops = []
    logical, error = attempt(lambda: config_function(tf, "list_logical_devices")())
    for device in logical or []:
        result, op_error = attempt(tiny_op, tf, device.name)
        ops.append(result or {"device": device.name, "ok": False, "error": op_error})
    facts["tiny_ops"] = ops
    facts["logical_devices_error"] = error
    facts["total_seconds"] = round(time.time() - start, 3)
    answer(facts)


if __name__ == "__main__":
    main()
