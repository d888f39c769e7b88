# Run by the *target* interpreter, not by tfenvcheck: standard library only, valid on CPython 3.6
# to 3.13. Executes the Python snippet given as its one argument and answers with one JSON object:
# {"ok": true} or {"ok": false, "error": {...}}. A crash or hang is turned into a fact by the caller.
# tfenvcheck sends prelude_payload.py ahead of it, which defines answer() and describe_exception().
import sys


def main():
    snippet = sys.argv[1]
    try:
        exec(compile(snippet, "<tfenvcheck snippet>", "exec"), {"__name__": "__tfenvcheck_snippet__"})
    except BaseException as exc:  # SystemExit from a broken package is a failure too
        answer({"ok": False, "error": describe_exception(exc)})
        return
    answer({"ok": True})


if __name__ == "__main__":
    main()
