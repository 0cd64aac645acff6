"""Errors that the CLI reports as one line and exit status 2 (usage or input error)."""

from __future__ import annotations


class MtqaError(Exception):
    """A problem with the user's input or configuration; its message is shown as is."""

    exit_code = 2


class InputError(MtqaError):
    """Unreadable, malformed or inconsistent input files."""


class ConfigError(MtqaError):
    """Invalid configuration file or option."""


class ResourceMissing(Exception):
    """An optional heavy resource (model, dictionary) is not installed.

    Not a user error: the stage that needs it is skipped with this message in the run notes.
    """
