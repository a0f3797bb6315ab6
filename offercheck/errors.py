"""Errors a user can act on: each carries what went wrong and what to try."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    SUCCESS = 0  # the check ran, whatever the verdict
    ERROR = 1  # internal error: the check could not run
    USAGE = 2  # bad arguments or unreadable input (click's convention)
    RISK_AT_OR_ABOVE = 3  # only with --fail-on LEVEL
    ROWS_FAILED = 4  # batch: some rows could not be checked (each has an `error` field)
    # 128+2 SIGINT <http://www.tldp.org/LDP/abs/html/exitcodes.html>
    ERROR_CTRL_C = 130


class OffercheckError(Exception):
    """An error with a one-line message and a hint; the CLI prints both and exits."""

    exit_status = ExitStatus.ERROR

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(OffercheckError):
    """The offer could not be read: empty, binary, too large, not text, missing."""

    exit_status = ExitStatus.USAGE


class UsageError(OffercheckError):
    exit_status = ExitStatus.USAGE
