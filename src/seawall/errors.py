"""Errors users see: one base carrying a message and a hint, one subclass per seam.

The CLI turns any ``SeawallError`` into one clear line (plus the hint) and exit code 2;
``--debug`` shows the traceback.
"""

from __future__ import annotations


class SeawallError(Exception):
    """Base of every error seawall reports to a user."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(SeawallError):
    """A flag, argument or option value is wrong."""


class ConfigError(SeawallError):
    """A configuration or ignore file cannot be read or is invalid."""


class EngineError(SeawallError):
    """The Docker engine could not be reached or answered with something unusable."""


class FactsError(SeawallError):
    """A saved facts snapshot cannot be read."""


class RegistryError(SeawallError):
    """A rule catalogue is malformed (duplicate or bad ID, missing metadata): a bug in seawall."""
