"""Where the fixer may write: inside the target, and nowhere else.

A registry folder is shared as data (`--registry DIR`), so no entry of it may lead a write outside
the target: not a module name that climbs out, not a symbolic link in site-packages that points
elsewhere. Every path an action touches is resolved (links included) and must lie under one of
the target's roots: its prefix, its site-packages folders, and, for a patch, its standard library
(a venv's is its base interpreter's, where Apple's `linecache.py` lives). The check is made when
the plan is made and again just before each write and each undo.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from tfenvcheck.errors import TfenvcheckError
from tfenvcheck.facts.model import InterpreterFacts


class OutsideTarget(TfenvcheckError):
    """A path that resolves outside every root of the target."""


def target_roots(interpreter: InterpreterFacts) -> dict[str, list[str]]:
    """The folders each action kind may write under, as the target reported them (unresolved)."""
    paths = interpreter.paths
    site = sorted({p for p in (*paths.site_packages, paths.purelib, paths.platlib) if p})
    inside = [interpreter.prefix, *site]
    return {"env": inside, "preload": inside, "patch": inside + ([paths.stdlib] if paths.stdlib else [])}


def outside_problem(path: str | os.PathLike[str], roots: Iterable[str]) -> str | None:
    """Why `path` must not be written (it resolves outside every root); None when it lies inside one."""
    resolved = os.path.realpath(path)
    for root in roots:
        real_root = os.path.realpath(root)
        try:
            if os.path.commonpath([resolved, real_root]) == real_root:
                return None
        except ValueError:  # on another drive (Windows)
            continue
    shown = "{} (which resolves to {})".format(path, resolved) if resolved != os.path.abspath(path) else str(path)
    return "{} lies outside the target ({}): tfenvcheck writes only inside the target".format(
        shown, ", ".join(sorted(set(roots)))
    )


def ensure_inside(path: str | os.PathLike[str], roots: Iterable[str]) -> None:
    problem = outside_problem(path, roots)
    if problem is not None:
        raise OutsideTarget(problem + "; nothing was changed by this step")
