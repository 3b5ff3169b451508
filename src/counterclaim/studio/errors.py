"""Errors of the embedded Label Studio server and of the client connection.

Messages never contain the API key or the password.
"""

from counterclaim.errors import CounterclaimError


class StudioError(CounterclaimError):
    """Label Studio cannot be started, stopped or reached, or rejected the credentials."""


class StudioUnreachable(StudioError):
    """Nothing answers at the URL, or what answers is not Label Studio."""


class ApiKeyRejected(StudioError):
    """Label Studio answered 401/403 to the API key."""
