"""Preload actions: shared libraries of the target loaded by absolute path at every start of it.

The dynamic loader reads LD_LIBRARY_PATH once, when the process starts, so setting it from inside
Python (or in one run configuration) is too late for every other start, PyCharm's included. What
works for every start is loading the libraries by path before anything asks for them by name: a
library already loaded answers a later `dlopen("libcudnn.so.9")` by its soname. A `.pth` file in the
target's site-packages does it: `site` runs its `import` line at every start-up, before any user
code, and deleting the file undoes it.

The libraries are named by glob patterns relative to site-packages (`nvidia/*/lib/*.so*`), resolved
when the plan is made, so that the plan lists every file the `.pth` file will load. They are loaded
in passes, RTLD_GLOBAL, until a pass loads nothing more: a library whose dependency comes later in
the list loads in the next pass, and one that never loads is skipped, never an error at start-up.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass
from pathlib import Path

from tfenvcheck.fixer.confine import outside_problem
from tfenvcheck.fixer.envvar import EnvPreview, pth_file_state

PTH_PREFIX = "tfenvcheck-preload-"

# Run by the target at start-up (any CPython 2.7 / 3.x): it must never stop the interpreter.
_LOADER = """def _tfenvcheck_preload(paths):
    import ctypes, os
    pending = [p for p in paths if os.path.isfile(p)]
    while pending:
        failed = []
        for path in pending:
            try:
                ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
            except OSError:
                failed.append(path)
        if len(failed) == len(pending):
            break
        pending = failed
_tfenvcheck_preload({paths!r})
"""


@dataclass(frozen=True)
class PreloadPreview(EnvPreview):
    libraries: tuple[str, ...] = ()


def pth_path(site_packages: Path, breakage_id: str) -> Path:
    return site_packages / "{}{}.pth".format(PTH_PREFIX, re.sub(r"[^A-Za-z0-9_.-]", "_", breakage_id))


def pth_content(libraries: list[str], breakage_ids: list[str]) -> bytes:
    """One `import` line (what `site` executes of a .pth file), preceded by comments saying why."""
    code = _LOADER.format(paths=list(libraries))
    return (
        (
            "# Written by `tfenvcheck fix` for {}: loads {} libraries by absolute path at every start of\n"
            "# this interpreter, before TensorFlow asks for them by name.\n"
            "# Remove it with `tfenvcheck undo` (or delete this file).\n"
            "import sys; exec({!r})\n"
        )
        .format(", ".join(breakage_ids), len(libraries), code)
        .encode("utf-8")
    )


def matching_libraries(site_folders: list[str], patterns: tuple[str, ...]) -> list[str]:
    """The files that `patterns` (relative to each site-packages folder) name, sorted, once each."""
    found: dict[str, None] = {}
    for folder in site_folders:
        for pattern in patterns:
            for path in sorted(glob.glob(os.path.join(glob.escape(folder), pattern))):
                if os.path.isfile(path):
                    found.setdefault(path)
    return list(found)


def preview_preload(
    site_folders: list[str], patterns: tuple[str, ...], breakage_ids: list[str], roots: list[str]
) -> PreloadPreview:
    """What preloading would write (the .pth file in the first site-packages folder), without writing."""
    if not site_folders:
        return PreloadPreview(Path(), b"", problem="the target reports no site-packages folder to write a .pth file in")
    path = pth_path(Path(site_folders[0]), breakage_ids[0])
    libraries = matching_libraries(site_folders, patterns)
    content = pth_content(libraries, breakage_ids)
    outside = next(filter(None, (outside_problem(p, roots) for p in [str(path), *libraries])), None)
    if outside is not None:
        return PreloadPreview(path, content, problem=outside, libraries=tuple(libraries))
    if not libraries:
        return PreloadPreview(
            path,
            content,
            problem="no file in {} matches {}: nothing to preload".format(", ".join(site_folders), ", ".join(patterns)),
        )
    already_set, problem = pth_file_state(path, content)
    return PreloadPreview(path, content, already_set=already_set, problem=problem, libraries=tuple(libraries))
