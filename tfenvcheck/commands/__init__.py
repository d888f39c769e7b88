"""The subcommands, one module each, in the order `tfenvcheck --help` lists them.

Every module has the same two functions: `register(subparsers)` adds its parser (and sets itself as
the handler), `run(args)` does the command and returns its exit code. Shared options are in
`options`, printing a document as JSON or on the terminal in `output`.

A module is imported when it is needed: `tfenvcheck explain` imports the explain command, not the
bench runner and the report's templates (start-up time is most of a short command's time).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

# Module names; each module's command is its name with "-" for "_" (create_env: create-env).
COMMAND_MODULES = (
    "probe",
    "pycharm",
    "check",
    "explain",
    "model",
    "run",
    "fixes",
    "profiles",
    "bench",
    "rehearse",
    "report",
    "fix",
    "undo",
    "create_env",
)


def command_name(module: str) -> str:
    return module.replace("_", "-")


def command_module(module: str) -> ModuleType:
    return importlib.import_module("tfenvcheck.commands." + module)


def __getattr__(name: str) -> Any:
    """`COMMANDS`: every command module, imported."""
    if name == "COMMANDS":
        return tuple(command_module(module) for module in COMMAND_MODULES)
    raise AttributeError(name)
