"""User-facing errors: one clear sentence saying what is wrong and what to do.

Every layer raises these instead of leaking library exceptions; the CLI prints the
message on one line of stderr and exits with `exit_code`, the TUI shows it as a
notification. Never include secrets in a message.
"""

from __future__ import annotations


class ResumeTuiError(Exception):
    """Base class: `str(err)` is the sentence shown to the user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(ResumeTuiError):
    """Bad input or usage: unreadable file, empty job description, unknown flag…"""

    exit_code = 2


class BudgetExceeded(ResumeTuiError):
    """A token or USD cap stopped the run; finished work is kept."""

    exit_code = 3


class NoProviderError(ResumeTuiError):
    """No provider in the chain (offline included) could serve a task."""

    exit_code = 4


class ConfigError(InputError):
    """The config file or an environment override is invalid (names the bad key)."""


class Cancelled(ResumeTuiError):
    exit_code = 130
