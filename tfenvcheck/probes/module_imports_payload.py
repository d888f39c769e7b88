# Run by the *target* interpreter, not by tfenvcheck: standard library only, no imports from
# tfenvcheck, valid on CPython 3.6 to 3.13. Imports each module named on the command line, one
# after the other, and answers with one JSON object: {"modules": {name: {"ok", "seconds", "error"}}}.
# An import that kills the process or hangs is turned into a fact by the caller. tfenvcheck sends
# prelude_payload.py ahead of it, which defines answer() and describe_exception().
import importlib
import sys
import time


def try_import(name):
    start = time.time()
    try:
        module = importlib.import_module(name)
    except BaseException as exc:  # SystemExit from a broken package is a failed import too
        error = describe_exception(exc)
        return {"ok": False, "seconds": round(time.time() - start, 3), "version": None,
                "error": "%s: %s" % (error["type"], error["first_line"])}
    version = getattr(module, "__version__", None)
    return {"ok": True, "seconds": round(time.time() - start, 3),
            "version": version if isinstance(version, str) else None, "error": None}


def main():
    results = {}
    for name in sys.argv[1:]:
        results[name] = try_import(name)
    answer({"modules": results})


if __name__ == "__main__":
    main()
