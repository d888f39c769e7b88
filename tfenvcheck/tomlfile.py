"""Reading TOML data files: tomllib on Python 3.11+, tomli before."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.9/3.10
    import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]

TOMLDecodeError = tomllib.TOMLDecodeError
loads = tomllib.loads
