"""The embedded Label Studio server, its credentials, and a checked sdk connection."""

from counterclaim.studio.client import ENV_API_KEY, ENV_URL, Target, check_health, connect, resolve
from counterclaim.studio.credentials import (
    Credentials,
    default_credentials_path,
    load_or_create,
    read_credentials,
    write_credentials,
)
from counterclaim.studio.errors import ApiKeyRejected, StudioError, StudioUnreachable
from counterclaim.studio.server import (
    DEFAULT_PORT,
    HOST,
    OFFLINE_ENV,
    ServerConfig,
    ServerHandle,
    default_data_dir,
    free_port,
    port_in_use,
    run_foreground,
    running,
    start,
    stop,
)

__all__ = [
    "ApiKeyRejected",
    "StudioUnreachable",
    "DEFAULT_PORT",
    "ENV_API_KEY",
    "ENV_URL",
    "HOST",
    "OFFLINE_ENV",
    "Credentials",
    "ServerConfig",
    "ServerHandle",
    "StudioError",
    "Target",
    "check_health",
    "connect",
    "default_credentials_path",
    "default_data_dir",
    "free_port",
    "load_or_create",
    "port_in_use",
    "read_credentials",
    "resolve",
    "run_foreground",
    "running",
    "start",
    "stop",
    "write_credentials",
]
