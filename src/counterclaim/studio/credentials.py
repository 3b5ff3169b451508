"""The admin login and API key of the embedded Label Studio, kept in a file only its owner can read.

The file (``.counterclaim/credentials.json`` in a project) looks like::

    {
      "api_key": "3f2a…(40 hex digits)",
      "password": "…",
      "url": "http://127.0.0.1:8080",
      "username": "admin@counterclaim.local",
      "database_password": "…"      (only with `studio serve --database postgresql…`)
    }

It is created with mode 0600 from the first byte on (never written wider, then narrowed), and a file that
other users may read is refused rather than used. A generated password is shown once, at the first start that
succeeds: until then the file also holds ``"password_shown": false`` (a first start that timed out showed
nothing, so the next one must). The API key is a legacy Label Studio token
(``Authorization: Token <key>``); the embedded server enables legacy tokens for its organisation.
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from counterclaim.io.jsonio import atomic_write, dumps, read_json
from counterclaim.io.layout import Layout
from counterclaim.studio.errors import StudioError

DEFAULT_USERNAME = "admin@counterclaim.local"
_REQUIRED = ("username", "password", "api_key")


def default_credentials_path(layout: Layout | None = None) -> Path:
    """``<project>/.counterclaim/credentials.json``."""
    return (layout or Layout.discover()).credentials_path


@dataclass(frozen=True)
class Credentials:
    """Who logs in to the embedded server. ``repr`` shows neither the password nor the key."""

    username: str
    password: str = field(repr=False)
    api_key: str = field(repr=False)
    url: str | None = None
    password_shown: bool = True  # False from generation until a successful start has shown the password
    database_password: str | None = field(default=None, repr=False)  # Label Studio's PostgreSQL login, if any

    @classmethod
    def generate(cls, username: str = DEFAULT_USERNAME, url: str | None = None) -> "Credentials":
        # Label Studio stores legacy tokens in a 40-character column and ignores tokens of 5 characters or less.
        return cls(username=username, password=secrets.token_urlsafe(18), api_key=secrets.token_hex(20), url=url,
                   password_shown=False)

    def with_url(self, url: str) -> "Credentials":
        return replace(self, url=url)

    def shown(self) -> "Credentials":
        return replace(self, password_shown=True)
    def with_database_password(self, password: str) -> "Credentials":
        return replace(self, database_password=password)

    def to_dict(self) -> dict:
        data = {"username": self.username, "password": self.password, "api_key": self.api_key}
        if self.url:
            data["url"] = self.url
        if not self.password_shown:
            data["password_shown"] = False
        if self.database_password:
            data["database_password"] = self.database_password
        return data

    @classmethod
    def from_dict(cls, data: object, *, source: str = "credentials") -> "Credentials":
        if not isinstance(data, dict):
            raise StudioError(f"{source}: expected a JSON object with {', '.join(_REQUIRED)}")
        missing = [key for key in _REQUIRED if not isinstance(data.get(key), str) or not data.get(key)]
        if missing:
            raise StudioError(
                f"{source}: missing or empty {', '.join(missing)}; restore the file from a backup, or remove it "
                "together with the Label Studio data folder to start afresh"
            )
        url = data.get("url")
        database_password = data.get("database_password")
        return cls(
            username=data["username"],
            password=data["password"],
            api_key=data["api_key"],
            url=url if isinstance(url, str) and url else None,
            password_shown=data.get("password_shown") is not False,
            database_password=database_password if isinstance(database_password, str) and database_password else None,
        )


def check_private(path: str | os.PathLike) -> None:
    """Raise unless only the owner may read or write ``path``."""
    path = Path(path)
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise StudioError(
            f"{path} holds a password and an API key but other users may access it (mode {mode:04o}); "
            f"run `chmod 600 {path}` and try again"
        )


def read_credentials(path: str | os.PathLike) -> Credentials:
    """Load the credentials file, refusing one that is group- or world-accessible."""
    path = Path(path)
    if not path.is_file():
        raise StudioError(f"{path}: no credentials file; start the server once with `counterclaim studio serve`")
    check_private(path)
    return Credentials.from_dict(read_json(path), source=str(path))


def write_credentials(path: str | os.PathLike, credentials: Credentials) -> None:
    """Write atomically; the file has mode 0600 from its creation on (never readable by others)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with atomic_write(path, file_mode=0o600) as fh:
        fh.write(dumps(credentials.to_dict(), indent=2) + "\n")


def mark_password_shown(path: str | os.PathLike, credentials: Credentials) -> Credentials:
    """Record that the generated password was shown (it is not shown again)."""
    if credentials.password_shown:
        return credentials
    credentials = credentials.shown()
    write_credentials(path, credentials)
    return credentials


def load_or_create(path: str | os.PathLike, *, username: str = DEFAULT_USERNAME) -> tuple[Credentials, bool]:
    """Read the credentials at ``path``, or generate and write new ones; return them and whether they are new."""
    path = Path(path)
    if path.exists():
        return read_credentials(path), False
    credentials = Credentials.generate(username=username)
    write_credentials(path, credentials)
    return credentials, True
