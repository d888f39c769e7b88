"""The subcommands, one module each, in the order `tfenvcheck --help` lists them.

Every module has the same two functions: `register(subparsers)` adds its parser (and sets itself as
the handler), `run(args)` does the command and returns its exit code. Shared options are in
`options`, printing a document as JSON or on the terminal in `output`.
"""

from __future__ import annotations

from tfenvcheck.commands import (
    bench,
    check,
    create_env,
    explain,
    fix,
    fixes,
    probe,
    profiles,
    pycharm,
    report,
    run,
    undo,
)

COMMANDS = (probe, pycharm, check, explain, run, fixes, profiles, bench, report, fix, undo, create_env)
