"""A server that goes away in the middle of a pull: a clear error, nothing half-written."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from counterclaim.cli import main, studio_flow
from counterclaim.studio import server
from helpers import REPO

pytestmark = pytest.mark.server


@pytest.fixture()
def doomed_server(tmp_path):
    """A real Label Studio of its own (the test stops it), with a project pushed."""
    config = server.ServerConfig(data_dir=tmp_path / "ls", credentials_path=tmp_path / "credentials.json",
                                 port=server.free_port())
    handle = server.start(config)
    try:
        yield handle
    finally:
        handle.stop()


def test_server_stopped_mid_pull(doomed_server, tmp_path, monkeypatch):
    project = tmp_path / "project"
    for name in ("schema", "guidelines", "corpus"):
        shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("annotations"))
    key = doomed_server.credentials.api_key
    args = ["--project", str(project), "--url", doomed_server.url, "--api-key", key, "--title", "doomed"]
    assert CliRunner().invoke(main, ["studio", "push", *args, "--quiet"]).exit_code == 0

    real_connect = studio_flow._connect

    def connect_then_lose_the_server(*a, **kw):
        ls, url = real_connect(*a, **kw)
        download = ls.projects.exports.download

        def stop_and_download(*da, **dkw):
            doomed_server.stop()
            return download(*da, **dkw)

        ls.projects.exports.download = stop_and_download
        return ls, url

    monkeypatch.setattr(studio_flow, "_connect", connect_then_lose_the_server)
    out = tmp_path / "annotations"
    out.mkdir()
    (out / "keep.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["studio", "pull", *args, "--out", str(out), "--quiet"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and key not in result.output
    assert "lost the connection to Label Studio" in result.output
    assert "nothing was written" in result.output
    assert [p.name for p in out.iterdir()] == ["keep.json"]
    snapshots = project / ".counterclaim" / "snapshots"
    assert not snapshots.exists() or not list(snapshots.iterdir())
