"""Reading the JSON files tfenvcheck wrote (reports, check and bench results): one clear line per problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tfenvcheck.errors import UsageError


def read_json_file(path: Path) -> Any:
    """The parsed file, or a UsageError naming the file and why it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError("{}: no such file".format(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError("{}: cannot read it ({})".format(path, getattr(error, "strerror", None) or error)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            "{}: not valid JSON (line {}, column {}: {})".format(path, error.lineno, error.colno, error.msg)
        ) from None
