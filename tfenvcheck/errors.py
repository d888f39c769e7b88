"""Errors that end a command with a one-line message and a documented exit code."""

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_COULD_NOT_CHECK = 3


class TfenvcheckError(Exception):
    """A problem the user can act on; the CLI prints it as one line and exits with `exit_code`."""

    exit_code = EXIT_COULD_NOT_CHECK


class UsageError(TfenvcheckError):
    exit_code = EXIT_USAGE


class CouldNotCheck(TfenvcheckError):
    exit_code = EXIT_COULD_NOT_CHECK
