# Run by the *target* interpreter, not by tfenvcheck: standard library only, valid on CPython 3.6
# to 3.13. Executes the Python snippet given as its one argument and prints one JSON object:
# {"ok": true} or {"ok": false, "error": {...}}. A crash or hang is turned into a fact by the caller.
from __future__ import print_function

import json
import sys


def main():
    snippet = sys.argv[1]
    try:
        exec(compile(snippet, "<tfenvcheck snippet>", "exec"), {"__name__": "__tfenvcheck_snippet__"})
    except BaseException as exc:  # SystemExit from a broken package is a failure too
        message = str(exc).strip()
        lines = [line for line in message.splitlines() if line.strip()]
        print(json.dumps({"ok": False, "error": {
            "type": type(exc).__name__,
            "message": message[:4000],
            "first_line": lines[0] if lines else "",
        }}))
        return
    print(json.dumps({"ok": True}))


if __name__ == "__main__":
    main()
