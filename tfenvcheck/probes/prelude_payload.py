# Sent by tfenvcheck ahead of every payload: the two make one script, run by the *target*
# interpreter. Standard library only, no imports from tfenvcheck, valid syntax for CPython 2.7
# (so that an old Python can say what it is), working on CPython 3.6 to 3.13. What every payload
# needs alike lives here once: the framing of the answer and the description of an exception.
from __future__ import division, print_function

import json
import os
import sys

# Chosen at random by tfenvcheck for each run: only lines that start with it are the payload's
# answer, whatever TensorFlow or the target's site-packages print on stdout. Removed from the
# environment so that the children of the target never see it.
ANSWER_MARKER = os.environ.pop("TFENVCHECK_ANSWER_MARKER", "")


def answer(document):
    """Print one JSON object as a line of the answer (a payload that streams prints several)."""
    sys.stdout.write(ANSWER_MARKER + json.dumps(document) + "\n")
    sys.stdout.flush()


def emit(event, **fields):
    """One event of a streaming payload: {"event": event, ...fields}."""
    fields["event"] = event
    answer(fields)


def describe_exception(exc):
    """The exception being handled, as JSON: its type, first and last lines, message, innermost frame."""
    message = str(exc).strip()
    lines = [line for line in message.splitlines() if line.strip()]
    # The innermost frame read from the traceback itself: the traceback module reads source lines
    # through linecache, which may be the very thing that is broken (Apple's Command Line Tools).
    tb, last_frame = sys.exc_info()[2], None
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is not None:
        code = tb.tb_frame.f_code
        last_frame = "%s:%s in %s" % (code.co_filename, tb.tb_lineno, code.co_name)
    return {
        "type": type(exc).__name__,
        "first_line": lines[0] if lines else "",
        "last_line": lines[-1] if lines else "",
        "message": message[:4000],
        "last_frame": last_frame,
    }

# ---- the payload follows ----------------------------------------------------------------------
