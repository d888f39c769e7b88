"""The target's own `python -m pip`, never tfenvcheck's: the one way check, fix and create-env run it.

pip runs like every child of tfenvcheck (spawn.py): in an empty working folder (nothing there can
shadow pip), in a session of its own, killed with its children at the timeout or on Ctrl-C; it
never asks a question and never checks for a newer pip.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Callable

from tfenvcheck.probes.spawn import Captured, run_captured


def pip_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    return dict(os.environ if env is None else env, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")


def run_target_pip(
    python: str,
    args: Sequence[str],
    timeout: float | None = None,
    on_line: Callable[[str], None] | None = None,
    env: Mapping[str, str] | None = None,
    in_empty_folder: bool = True,
) -> Captured:
    """`python -m pip ARGS`; with `on_line`, each output line as it comes (stderr merged into stdout).

    OSError from starting `python` is raised; a timeout is `timed_out` in the answer. Each caller
    words these its own way."""
    return run_captured(
        [python, "-m", "pip", *args], pip_environment(env), timeout, on_line=on_line, in_empty_folder=in_empty_folder
    )
