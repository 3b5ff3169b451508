"""The embedded Label Studio: credentials file, loopback-only server, token handling, serve/stop commands.

Tests marked ``server`` use real Label Studio servers: the session's ``label_studio`` fixture, and one more
started and stopped through the CLI.
"""

from __future__ import annotations

import os
import socket
import stat
import time
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner

from counterclaim.studio import client, server
from counterclaim.studio.credentials import Credentials, read_credentials, write_credentials
from counterclaim.studio.errors import StudioError

SECRET = "0123456789abcdef0123456789abcdef01234567"


def _all_text(exc: BaseException) -> str:
    """Everything a user or a log could see of an exception, chained ones included."""
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc.__context__) + repr(exc.__context__)


# ------------------------------------------------------------------------------------ credentials file


def test_credentials_file_is_created_0600_even_with_a_permissive_umask(tmp_path):
    path = tmp_path / "state" / "credentials.json"
    old = os.umask(0)
    try:
        write_credentials(path, Credentials.generate())
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in path.parent.iterdir() if p.name != path.name]  # no temporary file left behind


def test_generated_credentials_round_trip_and_hide_secrets_in_repr(tmp_path):
    path = tmp_path / "credentials.json"
    creds = Credentials.generate(url="http://127.0.0.1:9")
    write_credentials(path, creds)
    assert read_credentials(path) == creds
    assert len(creds.api_key) == 40 and creds.api_key != creds.password
    assert creds.api_key not in repr(creds) and creds.password not in repr(creds)


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660])
def test_group_or_world_readable_credentials_file_is_refused(tmp_path, mode):
    path = tmp_path / "credentials.json"
    write_credentials(path, Credentials(username="a@b.c", password="pw-secret", api_key=SECRET))
    path.chmod(mode)
    with pytest.raises(StudioError) as info:
        read_credentials(path)
    assert f"run `chmod 600 {path}`" in str(info.value)
    assert SECRET not in _all_text(info.value) and "pw-secret" not in str(info.value)


def test_missing_credentials_with_an_existing_database_is_an_error(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / server.DATABASE_NAME).write_bytes(b"")
    config = server.ServerConfig(data_dir=data, credentials_path=tmp_path / "credentials.json", port=server.free_port())
    with pytest.raises(StudioError, match="already holds a Label Studio database"):
        server.start(config)
    assert not (tmp_path / "credentials.json").exists()


def _fake_server(monkeypatch, code: str) -> None:
    """Make server.start run a stand-in Python program instead of Label Studio."""
    import sys

    monkeypatch.setattr(server, "_server_command", lambda port: [sys.executable, "-c", code])


def test_a_server_that_exits_at_start_is_reported_with_the_end_of_its_log(tmp_path, monkeypatch):
    _fake_server(monkeypatch, "print('simulated crash: no such table'); raise SystemExit(3)")
    config = server.ServerConfig(data_dir=tmp_path / "data", credentials_path=tmp_path / "c.json",
                                 port=server.free_port())
    with pytest.raises(StudioError) as info:
        server.start(config)
    message = str(info.value)
    assert message.startswith(f"Label Studio exited with code 3 before it answered at {config.url}; "
                              f"see the server log {config.log_path}:")
    assert "  | simulated crash: no such table" in message
    assert not config.pid_path.exists()


def test_a_server_that_never_answers_is_stopped_after_the_timeout(tmp_path, monkeypatch):
    _fake_server(monkeypatch, "import time; print('still migrating', flush=True); time.sleep(600)")
    config = server.ServerConfig(data_dir=tmp_path / "data", credentials_path=tmp_path / "c.json",
                                 port=server.free_port(), start_timeout=1.5)
    began = time.monotonic()
    with pytest.raises(StudioError) as info:
        server.start(config)
    assert time.monotonic() - began < 15
    assert f"did not answer {config.url}/health within 2 s; see the server log {config.log_path}" in str(info.value)
    assert "  | still migrating" in str(info.value)
    assert not config.pid_path.exists()


# ---------------------------------------------------------------------------------- resolve / connect


def test_resolve_prefers_arguments_then_environment_then_the_credentials_file(tmp_path, monkeypatch):
    path = tmp_path / "credentials.json"
    write_credentials(path, Credentials(username="u@x.y", password="p", api_key="file-key", url="http://127.0.0.1:1/"))
    monkeypatch.delenv(client.ENV_URL, raising=False)
    monkeypatch.delenv(client.ENV_API_KEY, raising=False)
    target = client.resolve(credentials_path=path)
    assert (target.url, target.api_key, target.key_source) == ("http://127.0.0.1:1", "file-key", str(path))
    monkeypatch.setenv(client.ENV_URL, "http://127.0.0.1:2")
    monkeypatch.setenv(client.ENV_API_KEY, "env-key")
    target = client.resolve(credentials_path=path)
    assert (target.url, target.api_key, target.key_source) == ("http://127.0.0.1:2", "env-key", client.ENV_API_KEY)
    target = client.resolve("http://127.0.0.1:3", "arg-key", credentials_path=path)
    assert (target.url, target.api_key, target.url_source) == ("http://127.0.0.1:3", "arg-key", "argument")
    assert "arg-key" not in repr(target)


def test_resolve_without_any_source_says_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.delenv(client.ENV_URL, raising=False)
    monkeypatch.delenv(client.ENV_API_KEY, raising=False)
    with pytest.raises(StudioError, match=r"no Label Studio URL: pass --url, set LABEL_STUDIO_URL"):
        client.resolve(credentials_path=tmp_path / "none.json")
    with pytest.raises(StudioError, match="not a Label Studio URL"):
        client.resolve("localhost:8080", "k")


def test_connect_to_a_closed_port_says_connection_refused_without_the_key():
    with socket.socket() as closed:
        closed.bind((server.HOST, 0))  # bound, never listening: a connection is refused while we hold it
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"
        with pytest.raises(StudioError) as info:
            client.connect(url, SECRET)
    assert str(info.value) == (
        f"cannot reach Label Studio at {url}: connection refused — is it running? "
        "start it with `counterclaim studio serve` or pass --url"
    )
    assert SECRET not in _all_text(info.value)


def test_a_busy_port_is_named_with_a_hint_to_use_another(tmp_path):
    with socket.socket() as busy:
        busy.bind((server.HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        config = server.ServerConfig(data_dir=tmp_path / "data", credentials_path=tmp_path / "c.json", port=port)
        with pytest.raises(StudioError) as info:
            server.start(config)
    assert str(info.value).startswith(f"port {port} on 127.0.0.1 is already in use; choose another one with --port")
    assert not (tmp_path / "c.json").exists()


# ------------------------------------------------------------------------------------ the real server


def _listeners(port: int) -> set[str]:
    """Local addresses with a TCP socket listening on ``port``, from /proc/net/tcp and tcp6."""
    found = set()
    for name, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        table = Path("/proc/net") / name
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if fields[3] != "0A" or int(port_hex, 16) != port:  # 0A = LISTEN
                continue
            raw = bytes.fromhex(address)
            # the kernel prints each 32-bit word in host (little-endian) order
            raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(socket.inet_ntop(family, raw))
    return found


def _outward_address() -> str | None:
    """This machine's non-loopback IPv4 address, if it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


@pytest.mark.server
def test_server_listens_on_127_0_0_1_only(label_studio):
    port = int(label_studio.url.rsplit(":", 1)[1])
    if Path("/proc/net/tcp").exists():
        assert _listeners(port) == {"127.0.0.1"}
    outward = _outward_address()
    if outward is not None:
        with socket.socket() as sock:
            sock.settimeout(2)
            assert sock.connect_ex((outward, port)) != 0, f"reachable on {outward}:{port}"


@pytest.mark.server
def test_server_files_are_private_and_secrets_stay_out_of_the_log(label_studio):
    assert stat.S_IMODE(label_studio.credentials_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(label_studio.data_dir.stat().st_mode) == 0o700
    assert read_credentials(label_studio.credentials_path).url == label_studio.url
    log = label_studio.log_path.read_text(encoding="utf-8", errors="replace")
    assert "GET /health" in log
    assert label_studio.api_key not in log and label_studio.password not in log
    assert label_studio.api_key not in repr(label_studio) and label_studio.password not in repr(label_studio)


@pytest.mark.server
def test_sdk_client_creates_and_lists_a_project_with_the_generated_key(label_studio):
    ls = label_studio.client()
    assert ls.users.whoami().email == label_studio.username
    project = ls.projects.create(title="server fixture smoke test")
    assert project.id in [p.id for p in ls.projects.list()]


@pytest.mark.server
def test_a_wrong_key_is_rejected_plainly_and_never_shown(label_studio):
    wrong = "f" * 40
    with pytest.raises(StudioError) as info:
        client.connect(label_studio.url, wrong)
    message = str(info.value)
    assert message == (
        f"Label Studio at {label_studio.url} rejected the API key that was passed in (HTTP 401: Invalid token.); "
        "check the key, or copy a fresh one from Account & Settings in the Label Studio UI"
    )
    assert wrong not in _all_text(info.value)


@pytest.mark.server
def test_personal_access_token_works_and_a_forged_one_is_rejected(label_studio):
    legacy = label_studio.client()
    pat = legacy.tokens.create().token  # a JWT refresh token; the server allows one per user
    assert pat.count(".") == 2
    ls = client.connect(label_studio.url, pat)
    assert ls.users.whoami().email == label_studio.username
    assert ls.projects.create(title="made with a personal access token").id

    forged = pat[:-4] + ("AAAA" if not pat.endswith("AAAA") else "BBBB")
    with pytest.raises(StudioError) as info:
        client.connect(label_studio.url, forged)
    assert "rejected the API key" in str(info.value) and "Token is invalid" in str(info.value)
    assert forged not in _all_text(info.value) and pat not in _all_text(info.value)

    # With legacy tokens switched off for the organisation, the message says what to do instead.
    settings = ls.jwt_settings.get()
    ls.jwt_settings.update(api_token_ttl_days=settings.api_token_ttl_days, legacy_api_tokens_enabled=False)
    try:
        with pytest.raises(StudioError) as info:
            client.connect(label_studio.url, label_studio.api_key)
        assert "legacy token authentication has been disabled" in str(info.value)
        assert "personal access token" in str(info.value)
        assert label_studio.api_key not in _all_text(info.value)
    finally:
        ls.jwt_settings.update(api_token_ttl_days=settings.api_token_ttl_days, legacy_api_tokens_enabled=True)
    assert client.connect(label_studio.url, label_studio.api_key).users.whoami().email == label_studio.username


@pytest.mark.server
def test_cli_serve_in_the_background_shows_the_login_once_and_keeps_secrets_private(label_studio):
    """The session's server was started with `studio serve --background` (its stop is checked at teardown)."""
    from counterclaim.cli import main

    runner = CliRunner()
    output, state = label_studio.serve_output, label_studio.project_dir / ".counterclaim"
    args = ["--project", str(label_studio.project_dir)]
    creds = read_credentials(state / "credentials.json")
    assert stat.S_IMODE((state / "credentials.json").stat().st_mode) == 0o600
    assert f"Label Studio is running at {label_studio.url}\n" in output
    assert f"  login:    {creds.username}\n" in output
    assert f"  password: {creds.password}   (generated now; shown only this once)" in output
    assert ".counterclaim/credentials.json" in output
    assert creds.api_key not in output
    assert (state / "labelstudio" / "server.log").is_file()
    assert client.connect(label_studio.url, creds.api_key).users.whoami().email == creds.username

    again = runner.invoke(main, ["studio", "serve", "--background", *args])
    assert again.exit_code == 0, again.output
    assert f"already running, pid {label_studio.pid}" in again.output
    assert creds.password not in again.output and creds.api_key not in again.output
    shown = runner.invoke(main, ["studio", "serve", "--background", "--show-password", *args])
    assert f"  password: {creds.password}\n" in shown.output and creds.api_key not in shown.output


def test_stop_without_a_running_server_says_so(tmp_path):
    from counterclaim.cli import main

    result = CliRunner().invoke(main, ["studio", "stop", "--project", str(tmp_path)])
    assert result.exit_code == 0 and result.output.startswith("no Label Studio is running from ")


def test_cli_serve_on_a_busy_port_names_it(tmp_path):
    from counterclaim.cli import main

    with socket.socket() as busy:
        busy.bind((server.HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["studio", "serve", "--port", str(port), "--project", str(tmp_path)])
    assert result.exit_code == 1
    assert f"Error: port {port} on 127.0.0.1 is already in use; choose another one with --port" in result.output
