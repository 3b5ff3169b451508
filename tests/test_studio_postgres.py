"""Label Studio on PostgreSQL: `studio serve --database postgresql` runs a private cluster in the project's data
folder and Label Studio on it; push, annotate through the API, pull, stop. This module starts the suite's only
second Label Studio, once; the URL parsing and secrets are checked without a server."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.io import jsonio
from counterclaim.labelstudio.results import annotation_to_results
from counterclaim.model.ontology import load_ontology
from counterclaim.quality.authoring import compile_annotation
from counterclaim.studio import postgres, server
from counterclaim.studio.credentials import read_credentials
from counterclaim.studio.errors import StudioError
from helpers import EMOJI_DOC_ID, EMOJI_TEXT_BODY, REPO

START_TIMEOUT = 1200


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False)


# --- without a server --------------------------------------------------------------------------------------------


def test_a_database_url_names_user_host_port_and_database_but_never_a_password():
    assert postgres.parse_url("postgresql://ls@db.internal:6543/labelstudio") == ("ls", "db.internal", 6543,
                                                                                   "labelstudio")
    assert postgres.parse_url("postgres://ls@db/labels") == ("ls", "db", 5432, "labels")
    with pytest.raises(StudioError) as info:
        postgres.parse_url("postgresql://ls:s3cret@db/labels")
    assert "s3cret" not in str(info.value)
    assert str(info.value).startswith("do not put the password in the --database URL")
    with pytest.raises(StudioError, match="must name a user, a host and a database"):
        postgres.parse_url("postgresql://db.internal/labels")
    with pytest.raises(StudioError, match="not 'mysql'"):
        postgres.parse_url("mysql://ls@db/labels")


def test_label_studio_gets_the_database_in_its_own_settings_and_the_password_stays_hidden():
    database = postgres.Database(host="127.0.0.1", port=5544, name="labelstudio", user="counterclaim",
                                 password="hunter2-secret")
    assert "hunter2" not in repr(database) and "hunter2" not in database.url
    config = server.ServerConfig(data_dir=Path("/tmp/x"), credentials_path=Path("/tmp/c.json"), database=database)
    from counterclaim.studio.credentials import Credentials

    env = server._server_env(config, Credentials("admin@x", "pw", "k" * 40))
    assert {k: env[k] for k in env if "POSTGRE" in k or k.endswith("DJANGO_DB")} == {
        "LABEL_STUDIO_DJANGO_DB": "default", "LABEL_STUDIO_POSTGRE_NAME": "labelstudio",
        "LABEL_STUDIO_POSTGRE_USER": "counterclaim", "LABEL_STUDIO_POSTGRE_PASSWORD": "hunter2-secret",
        "LABEL_STUDIO_POSTGRE_HOST": "127.0.0.1", "LABEL_STUDIO_POSTGRE_PORT": "5544"}


def test_an_unreachable_server_is_an_error_without_the_password(tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "not-shown-anywhere")
    closed = server.free_port()
    result = run("studio", "serve", "--project", tmp_path / "project", "--database",
                 f"postgresql://ls@127.0.0.1:{closed}/labels", "--background", "--port", server.free_port())
    assert result.exit_code == 1
    assert f"Error: cannot use PostgreSQL at postgresql://ls@127.0.0.1:{closed}/labels: " in result.output
    assert "Connection refused" in result.output and "not-shown-anywhere" not in result.output
    assert not (tmp_path / "project" / ".counterclaim" / "postgres").exists()


# --- one PostgreSQL-backed Label Studio ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_project():
    """A scratch project under a folder that PostgreSQL's own user can reach when the tests run as root."""
    root = Path(tempfile.mkdtemp(prefix="counterclaim-pg-"))
    os.chmod(root, stat.S_IRWXU | stat.S_IXGRP | stat.S_IXOTH)
    for name in ("schema", "guidelines"):
        shutil.copytree(REPO / name, root / name)
    # the five seed articles only (corpus/raw also holds the FA-KES articles, which this test does not need)
    (root / "corpus" / "raw").mkdir(parents=True)
    for seed in sorted((REPO / "corpus" / "raw").glob("*.txt")):
        shutil.copy2(seed, root / "corpus" / "raw" / seed.name)
    assert run("corpus", "build", "--project", root, "--version", "0.0.1").exit_code == 0
    extra = root / "extra.jsonl"
    extra.write_text(json.dumps({"id": EMOJI_DOC_ID, "title": "Emoji test", "text": EMOJI_TEXT_BODY},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    assert run("corpus", "add", extra, "--project", root, "--quiet").exit_code == 0
    try:
        yield root
    finally:
        run("studio", "stop", "--project", root)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def pg_server(pg_project):
    port = server.free_port()
    result = run("studio", "serve", "--project", pg_project, "--database", "postgresql", "--background",
                 "--port", port, "--timeout", START_TIMEOUT)
    if result.exit_code != 0:
        pytest.fail(f"Label Studio on PostgreSQL did not start:\n{result.output}", pytrace=False)
    return result.output


@pytest.mark.server
def test_push_annotate_pull_on_postgresql(pg_project, pg_server, tmp_path):
    import psycopg

    credentials = read_credentials(pg_project / ".counterclaim" / "credentials.json")
    assert credentials.database_password and credentials.database_password not in pg_server
    assert "  database: postgresql://counterclaim@127.0.0.1:" in pg_server
    url = credentials.url
    title = "on postgresql"
    pushed = run("studio", "push", "--project", pg_project, "--url", url, "--api-key", credentials.api_key,
                 "--title", title, "--quiet")
    assert pushed.exit_code == 0 and "tasks: 6 imported, 0 already present" in pushed.output, pushed.output

    from counterclaim.studio.client import connect

    ls = connect(url, credentials.api_key)
    (project,) = [p for p in ls.projects.list(title=title) if p.title == title]
    tasks = {t.data["doc_id"]: t for t in ls.tasks.list(project=project.id, include="id,data")}
    ont = load_ontology(REPO / "schema")
    text = tasks[EMOJI_DOC_ID].data["text"]
    annotation = compile_annotation(text, {
        "annotation": {"id": "pg", "annotator": "x"},
        "mentions": [{"id": "m1", "span": "Moscow", "actor": "RUS_GOV"}],
        "events": [{"id": "e1", "type": "ATTACK", "mode": "aerial", "trigger": "hit",
                    "arguments": [{"role": "attacker", "span": "Russian jets"}]}],
    }, schema_version=ont.version, corpus_version="0.0.1", where="pg")
    created = ls.annotations.create(id=tasks[EMOJI_DOC_ID].id, result=annotation_to_results(text, annotation, ont))

    # the annotation is in PostgreSQL, not in a SQLite file
    port = int(url and pg_server.split("postgresql://counterclaim@127.0.0.1:")[1].split("/")[0])
    with psycopg.connect(host="127.0.0.1", port=port, user="counterclaim", password=credentials.database_password,
                         dbname="labelstudio") as con:
        assert con.execute("SELECT count(*) FROM task_completion WHERE id = %s", (created.id,)).fetchone()[0] == 1
    assert not (pg_project / ".counterclaim" / "labelstudio" / server.DATABASE_NAME).exists()

    out = tmp_path / "annotations"
    pulled = run("studio", "pull", "--project", pg_project, "--url", url, "--api-key", credentials.api_key,
                 "--title", title, "--out", out, "--quiet")
    assert pulled.exit_code == 0, pulled.output
    document = jsonio.read_json(out / f"{EMOJI_DOC_ID}.json")
    (got,) = document["annotations"]
    assert got["provenance"]["tool"]["annotation_id"] == created.id
    assert [m["span"]["text"] for m in got["mentions"]] == ["Moscow"]
    assert [(e["type"], e["trigger"]["text"]) for e in got["events"]] == [("ATTACK", "hit")]

    stopped = run("studio", "stop", "--project", pg_project)
    assert stopped.exit_code == 0
    lines = stopped.output.splitlines()
    assert lines[0].startswith("stopped Label Studio at ") and lines[1] == (
        f"stopped PostgreSQL on 127.0.0.1:{port} ({pg_project / '.counterclaim' / 'postgres'})")
    assert postgres.LocalCluster(pg_project / ".counterclaim" / "postgres").running_port() is None
