"""pytest plugin: one real Label Studio server for the whole test session.

Use it by asking for the ``label_studio`` fixture (tests/conftest.py loads this module)::

    @pytest.mark.server
    def test_push(label_studio):
        ls = label_studio.client()           # label_studio_sdk.LabelStudio, login already checked
        project = ls.projects.create(title="push test")
        ...  label_studio.url, .api_key, .username, .password, .data_dir, .log_path, .serve_output

The server is started the way a user starts it, with ``counterclaim studio serve --background`` in a scratch
project folder (so it never touches a real project's .counterclaim/), and stopped with ``counterclaim studio
stop`` when the session ends; the stop is checked there. Nothing else in the suite starts a Label Studio.

- The start may take as long as it takes: the first start migrates a database, which can exceed three minutes
  on a busy two-core machine, so the wait is bounded only by ``START_TIMEOUT`` (20 minutes).
- The port is chosen by the operating system; if another program takes it before the server binds it, the
  start fails with "already in use" and is retried on a new port.
- The fixture fails (never skips) when label-studio is installed but the server does not come up, and shows
  what the command printed.
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

START_TIMEOUT = 1200.0
ATTEMPTS = 3


@dataclass(frozen=True)
class LabelStudioServer:
    """A running test server. ``repr`` hides the password and the API key."""

    url: str
    username: str
    password: str = field(repr=False)
    api_key: str = field(repr=False)
    project_dir: Path = field(default=Path("."))
    data_dir: Path = field(default=Path("."))
    log_path: Path = field(default=Path("."))
    credentials_path: Path = field(default=Path("."))
    pid: int = 0
    serve_output: str = field(default="", repr=False)  # what `studio serve --background` printed

    def client(self):
        """A fresh ``label_studio_sdk.LabelStudio`` connected with the generated (legacy) API key."""
        from counterclaim.studio.client import connect

        return connect(self.url, self.api_key)


def _serve(project: Path, port: int):
    from click.testing import CliRunner

    from counterclaim.cli import main

    return CliRunner().invoke(main, ["studio", "serve", "--background", "--port", str(port), "--project",
                                     str(project), "--timeout", str(START_TIMEOUT)])


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    if importlib.util.find_spec("label_studio") is None:
        pytest.skip("label-studio is not installed: pip install -e '.[server]'")
    from click.testing import CliRunner

    from counterclaim.cli import main
    from counterclaim.io.layout import Layout
    from counterclaim.studio import server
    from counterclaim.studio.credentials import read_credentials

    project = tmp_path_factory.mktemp("labelstudio-project")
    layout = Layout(project)
    began = time.monotonic()
    for _ in range(ATTEMPTS):
        result = _serve(project, server.free_port())
        if result.exit_code == 0 or "already in use" not in result.output:
            break
    if result.exit_code != 0:
        pytest.fail(f"the test Label Studio server did not start:\n{result.output}", pytrace=False)
    data_dir = server.default_data_dir(layout)
    info = server.running(data_dir)
    credentials = read_credentials(layout.credentials_path)
    print(f"\n[label_studio fixture] server up at {info['url']} in {time.monotonic() - began:.1f} s")
    try:
        yield LabelStudioServer(
            url=info["url"],
            username=credentials.username,
            password=credentials.password,
            api_key=credentials.api_key,
            project_dir=project,
            data_dir=data_dir,
            log_path=data_dir / server.LOG_NAME,
            credentials_path=layout.credentials_path,
            pid=info["pid"],
            serve_output=result.output,
        )
    finally:
        stopped = CliRunner().invoke(main, ["studio", "stop", "--project", str(project)])
    assert stopped.output == f"stopped Label Studio at {info['url']} (pid {info['pid']})\n", stopped.output
    assert server.running(data_dir) is None and not (data_dir / server.PID_NAME).exists()
