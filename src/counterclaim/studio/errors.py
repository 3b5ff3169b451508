"""Errors of the embedded Label Studio server and of the client connection."""

from counterclaim.errors import CounterclaimError


class StudioError(CounterclaimError):
    """Label Studio cannot be started, stopped or reached, or rejected the credentials.

    Messages never contain the API key or the password.
    """
