# Run by the *target* under LD_DEBUG=libs: imports TensorFlow (the module named on the command line)
# and lists its GPUs, which is when it dlopens the CUDA libraries; the caller reads from the dynamic
# loader's log which it asked for and which it loaded from where. Standard library only, valid on
# CPython 2.7 (parse) and 3.6-3.13; the prelude (prelude_payload.py) precedes it.
import importlib


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "tensorflow"
    try:
        module = importlib.import_module(name)
        config = getattr(module, "config", None)
        listing = getattr(config, "list_physical_devices", None)
        gpus = listing("GPU") if listing is not None else []
    except BaseException as exc:  # SystemExit from a broken package is a failed import too
        error = describe_exception(exc)
        answer({"error": "%s: %s" % (error["type"], error["first_line"])})
        return
    answer({"error": None, "gpus": len(gpus)})


main()
