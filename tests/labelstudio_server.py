"""pytest plugin: one real Label Studio server for the whole test session.

Use it by asking for the ``label_studio`` fixture (tests/conftest.py loads this module)::

    @pytest.mark.server
    def test_push(label_studio):
        ls = label_studio.client()           # label_studio_sdk.LabelStudio, login already checked
        project = ls.projects.create(title="push test")
        ...  label_studio.url, .api_key, .username, .password, .data_dir, .log_path

The server is started with counterclaim's own server module on a free loopback port with a temporary data
folder and credentials file, so it never touches a project's .counterclaim/. The first start takes about
30 s. It is stopped when the session ends. The fixture fails (never skips) when label-studio is installed
but the server does not come up, and shows the end of the server log.
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest


@dataclass(frozen=True)
class LabelStudioServer:
    """A running test server. ``repr`` hides the password and the API key."""

    url: str
    username: str
    password: str = field(repr=False)
    api_key: str = field(repr=False)
    data_dir: Path = field(default=Path("."))
    log_path: Path = field(default=Path("."))
    credentials_path: Path = field(default=Path("."))
    pid: int = 0

    def client(self):
        """A fresh ``label_studio_sdk.LabelStudio`` connected with the generated (legacy) API key."""
        from counterclaim.studio.client import connect

        return connect(self.url, self.api_key)


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    if importlib.util.find_spec("label_studio") is None:
        pytest.skip("label-studio is not installed: pip install -e '.[server]'")
    from counterclaim.errors import CounterclaimError
    from counterclaim.studio import server

    base = tmp_path_factory.mktemp("labelstudio")
    config = server.ServerConfig(
        data_dir=base / "data",
        credentials_path=base / "credentials.json",
        port=server.free_port(),
    )
    began = time.monotonic()
    try:
        handle = server.start(config)
    except CounterclaimError as exc:
        pytest.fail(f"the test Label Studio server did not start: {exc}", pytrace=False)
    print(f"\n[label_studio fixture] server up at {handle.url} in {time.monotonic() - began:.1f} s")
    try:
        yield LabelStudioServer(
            url=handle.url,
            username=handle.credentials.username,
            password=handle.credentials.password,
            api_key=handle.credentials.api_key,
            data_dir=config.data_dir,
            log_path=config.log_path,
            credentials_path=config.credentials_path,
            pid=handle.pid,
        )
    finally:
        handle.stop()
