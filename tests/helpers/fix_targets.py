"""Targets for `tfenvcheck fix` and `undo`: a copy of pyenv's Python with Apple's linecache loop,
the files a fix touches, and the state a fix run keeps its journal in."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from tests.helpers import require_python

APPLE_LOOP = "for mod in sys.modules.values():"


# Apple's linecache.getlines (the Python 3.7 of Xcode and the Command Line Tools) looks for the module
# of a file in sys.modules before reading it. The frames quoted in
# https://github.com/apple/turicreate/issues/2766 show its lines 47-49, inside the `try:` that
# CPython's getlines has at line 46; the loop's last two lines finish what that search is for.
APPLE_SEARCH = (
    "        if module_globals is None:\n"
    "            " + APPLE_LOOP + "\n"
    "                if getattr(mod, '__file__', None) == filename:\n"
    "                    module_globals = mod.__dict__\n"
    "                    break\n"
)


# A registry entry whose fix sets one variable for every start of the target.
ENV_ENTRY = """
id = "test-env"
title = "test entry: TF_CPP_MIN_LOG_LEVEL unset"
symptom = "noisy logs"
[when]
env_unset = ["TF_CPP_MIN_LOG_LEVEL"]
[[fix]]
kind = "env"
name = "TF_CPP_MIN_LOG_LEVEL"
value = "2"
"""


def apple_linecache(cpython_source: str) -> str:
    """CPython 3.7's linecache.py with Apple's search over sys.modules where Apple's build has it."""
    start = cpython_source.index("def getlines(")
    after_try = cpython_source.index("    try:\n", start) + len("    try:\n")
    return cpython_source[:after_try] + APPLE_SEARCH + cpython_source[after_try:]


def apple_style_python(base: Path, where: Path) -> Path:
    """A copy of a pyenv Python 3.7 whose linecache.py is Apple's (apple_linecache of its own).

    Only the executable and linecache.py are real copies; the rest of the stdlib is linked, which
    is enough for the copy to find its own prefix (it looks for lib/python3.X/os.py)."""
    version = "python" + ".".join(base.name.split(".")[:2])
    (where / "bin").mkdir(parents=True)
    shutil.copy2(base / "bin" / version, where / "bin" / version)
    stdlib = where / "lib" / version
    stdlib.mkdir(parents=True)
    for entry in (base / "lib" / version).iterdir():
        if entry.name != "linecache.py":
            (stdlib / entry.name).symlink_to(entry)
    (stdlib / "linecache.py").write_text(apple_linecache((base / "lib" / version / "linecache.py").read_text()))
    return where / "bin" / version


PATCHED_LOOP = "for mod in list(sys.modules.values()):"


def private_apple_python(where: Path) -> Path:
    """apple_style_python, with a __pycache__ of its own: the copy links the rest of its stdlib into
    ~/.pyenv, and its patched linecache must not leave bytecode there."""
    python = apple_style_python(require_python("3.7").resolve().parent.parent, where)
    cache = python.parent.parent / "lib" / python.name / "__pycache__"
    cache.unlink()
    cache.mkdir()
    return python


def linecache_of(python: Path) -> Path:
    path = python.parent.parent / "lib" / python.name / "linecache.py"
    assert not path.is_symlink(), "the copy's own file, never the pyenv original"
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fix_env(state: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TFENVCHECK_TEST_KILL_AT"}
    return dict(env, TFENVCHECK_STATE_DIR=str(state), NO_COLOR="1", **extra)


def private_env(case: Path, **extra: str) -> dict[str, str]:
    """fix_env with the state folder and HOME both inside the case's own folder."""
    (case / "home").mkdir(parents=True, exist_ok=True)
    return fix_env(case / "state", HOME=str(case / "home"), **extra)


def bare_venv(where: Path) -> Path:
    """A venv without pip (as `uv venv` makes them): quick to make."""
    subprocess.run([str(require_python("3.11")), "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    return where / "bin" / "python"


def registry(where: Path, text: str, name: str = "entry.toml") -> Path:
    """A registry folder (for --registry) holding one breakage file."""
    where.mkdir(exist_ok=True)
    (where / name).write_text(text)
    return where


def freeze(python: Path) -> str:
    return subprocess.run(
        [str(python), "-m", "pip", "freeze", "--all"], capture_output=True, text=True, check=True, timeout=120
    ).stdout


def tiny_wheel(folder: Path, name: str, version: str) -> Path:
    """A pure-Python wheel of one module, `name` (`VERSION = "<version>"`), written by hand, so a
    pin can be installed from a local folder (`--no-index --find-links`) quickly and offline."""
    folder.mkdir(parents=True, exist_ok=True)
    info = "{}-{}.dist-info".format(name, version)
    files = {
        "{}.py".format(name): 'VERSION = "{}"\n'.format(version),
        info + "/METADATA": "Metadata-Version: 2.1\nName: {}\nVersion: {}\n".format(name, version),
        info + "/WHEEL": "Wheel-Version: 1.0\nGenerator: tfenvcheck-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(
        "{},sha256={},{}\n".format(
            path,
            base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode(),
            len(text.encode()),
        )
        for path, text in files.items()
    )
    files[info + "/RECORD"] = record + "{}/RECORD,,\n".format(info)
    wheel = folder / "{}-{}-py3-none-any.whl".format(name, version)
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel


def tree_state(folder: Path) -> dict[str, str]:
    """Every file (its sha256) and link (its target) under `folder`, bytecode caches left out."""
    state = {}
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.parts:
            continue
        relative = str(path.relative_to(folder))
        if path.is_symlink():
            state[relative] = "link -> " + os.readlink(path)
        elif path.is_file():
            state[relative] = sha256(path)
        elif path.is_dir():
            state[relative] = "folder"
    return state
