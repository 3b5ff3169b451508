"""The embedded Label Studio server, its credentials, and a checked sdk connection.

Names are imported from their modules on first use, so converting an export file does not load the HTTP
client or the server code.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "ApiKeyRejected": "errors",
    "Credentials": "credentials",
    "DEFAULT_PORT": "server",
    "ENV_API_KEY": "client",
    "ENV_URL": "client",
    "HOST": "server",
    "OFFLINE_ENV": "server",
    "ServerConfig": "server",
    "ServerHandle": "server",
    "StudioError": "errors",
    "StudioUnreachable": "errors",
    "Target": "client",
    "check_health": "client",
    "connect": "client",
    "default_credentials_path": "credentials",
    "default_data_dir": "server",
    "free_port": "server",
    "load_or_create": "credentials",
    "port_in_use": "server",
    "read_credentials": "credentials",
    "resolve": "client",
    "run_foreground": "server",
    "running": "server",
    "start": "server",
    "stop": "server",
    "write_credentials": "credentials",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
