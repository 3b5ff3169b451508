"""A connection that drops in the middle of a pull: a clear error, nothing half-written.

The session's one real server serves the push and the export snapshot; the drop is made by the test (the
download yields its first chunk, then raises the error httpx raises when a server goes away), so no server
has to be started and killed for it.
"""

from __future__ import annotations

import shutil

import httpx
import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from helpers import REPO

pytestmark = pytest.mark.server


def test_connection_dropped_mid_pull(label_studio, tmp_path, monkeypatch):
    import counterclaim.cli.pull as pull_cli

    project = tmp_path / "project"
    for name in ("schema", "guidelines", "corpus"):
        shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("annotations"))
    key = label_studio.api_key
    args = ["--project", str(project), "--url", label_studio.url, "--api-key", key, "--title", "dropped mid-pull"]
    assert CliRunner().invoke(main, ["studio", "push", *args, "--quiet"]).exit_code == 0

    real_connect = pull_cli.connect_project

    def connect_then_drop(*a, **kw):
        ls, url = real_connect(*a, **kw)
        download = ls.projects.exports.download

        def first_chunk_then_drop(*da, **dkw):
            for chunk in download(*da, **dkw):
                yield chunk[:100]
                raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

        ls.projects.exports.download = first_chunk_then_drop
        return ls, url

    monkeypatch.setattr(pull_cli, "connect_project", connect_then_drop)
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
