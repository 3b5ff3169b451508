"""The embedded server's open doors, tried on the session's real Label Studio: sign-up, /version, secrets in
messages, and the generated password after a start that failed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import httpx
import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.studio.credentials import read_credentials

pytestmark = pytest.mark.server


def _browser(label_studio) -> httpx.Client:
    return httpx.Client(base_url=label_studio.url, follow_redirects=False, trust_env=False, timeout=60)


def _post_form(client: httpx.Client, path: str, data: dict) -> httpx.Response:
    """Submit a form as a browser does: the page first (it sets the CSRF cookie), then the form with its token."""
    client.get(path)
    return client.post(path, data={**data, "csrfmiddlewaretoken": client.cookies.get("csrftoken", "")},
                       headers={"Referer": f"{client.base_url}{path}"})


def _emails(label_studio) -> set[str]:
    return {u.email for u in label_studio.client().users.list()}


def test_nobody_signs_up_without_an_invitation_but_an_invited_annotator_can(label_studio):
    with _browser(label_studio) as client:
        refused = _post_form(client, "/user/signup/", {"email": "intruder@example.com", "password": "Intruder-pw-2026"})
    assert refused.status_code == 403 and "CSRF" not in refused.text
    assert "intruder@example.com" not in _emails(label_studio)

    # the admin's invitation link still works (Organization → Add People)
    invite = httpx.get(f"{label_studio.url}/api/invite", headers={"Authorization": f"Token {label_studio.api_key}"},
                       trust_env=False, timeout=60).json()
    with _browser(label_studio) as client:
        accepted = _post_form(client, invite["invite_url"], {"email": "annotator7@example.com",
                                                              "password": "Annotator-pw-2026"})
    assert accepted.status_code == 302, accepted.text[:300]
    assert "annotator7@example.com" in _emails(label_studio)


def _as_shipped(path: str) -> bool:
    """Whether a file of Label Studio's package is the one its wheel shipped (its hash is in the RECORD): the
    wheel's version_.py describes Label Studio's own release, which is public, not a repository of ours."""
    import base64
    import hashlib
    from importlib.metadata import distribution

    digest = base64.urlsafe_b64encode(hashlib.sha256(open(path, "rb").read()).digest()).rstrip(b"=").decode()
    for entry in distribution("label-studio").files or ():
        if str(entry).replace("\\", "/").endswith("label_studio/core/version_.py") and entry.hash:
            return entry.hash.value == digest
    return False


def _repository_details() -> set[str]:
    """What git tells about the repository Label Studio's package folder sits in (if any), and what an earlier
    Label Studio run recorded of it in its package: none of it may reach a visitor."""
    import label_studio

    folder = label_studio.__path__[0]
    found = set()
    for fmt in ("%H", "%s"):
        out = subprocess.run(["git", "-C", folder, "log", "-1", f"--format={fmt}"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            found.add(out.stdout.strip()[:60])
    recorded = shutil.os.path.join(folder, "core", "version_.py")
    if shutil.os.path.exists(recorded) and not _as_shipped(recorded):
        text = open(recorded, encoding="utf-8").read()
        info = json.loads(text.split("=", 1)[1].split("\n", 1)[0])
        found |= {str(info.get(k))[:60] for k in ("commit", "message") if info.get(k)}
    return found


def test_version_endpoints_are_closed_and_pages_tell_no_repository(label_studio):
    with _browser(label_studio) as client:
        for path in ("/version/", "/api/version/", "/version", "/api/version"):
            response = client.get(path)
            assert response.status_code in (301, 404), (path, response.status_code)
            if response.status_code == 301:  # trailing slash added
                assert client.get(response.headers["location"]).status_code == 404
        login = client.get("/user/login/")
        _post_form(client, "/user/login/", {"email": label_studio.username, "password": label_studio.password})
        projects = client.get("/projects/")
    assert login.status_code == 200 and projects.status_code == 200, projects.status_code
    page = login.text + projects.text
    assert "label-studio-os-backend" in projects.text  # the page does carry Label Studio's versions
    for detail in _repository_details():
        assert detail not in page, f"a page shows {detail!r}"
    assert not re.search(r'"commit":\s*"[0-9a-f]{40}"', page)


def test_a_key_with_a_control_character_or_secrets_in_the_url_are_never_shown(label_studio, tmp_path):
    secret = "Zq9SecretPart"
    runner = CliRunner()
    args = ["studio", "push", "--project", str(label_studio.project_dir), "--quiet"]
    for key in (f"{secret}\x07{label_studio.api_key}", f"{label_studio.api_key}\n{secret}", f"{secret} x"):
        result = runner.invoke(main, [*args, "--url", label_studio.url, "--api-key", key])
        assert result.exit_code == 1 and secret not in result.output and label_studio.api_key not in result.output
        assert "the API key that was passed in contains" in result.output
    host = label_studio.url.split("//", 1)[1]
    for url, said in ((f"http://admin:{secret}@{host}", "carries a user name or password"),
                      (f"http://{host}/?token={secret}", "carries a query or fragment"),
                      (f"http://{secret}@{host}", "carries a user name or password")):
        result = runner.invoke(main, [*args, "--url", url, "--api-key", label_studio.api_key])
        assert result.exit_code == 1 and said in result.output, result.output
        assert secret not in result.output and label_studio.api_key not in result.output
    log = label_studio.log_path.read_text(encoding="utf-8", errors="replace")
    assert secret not in log and label_studio.api_key not in log and label_studio.password not in log


def test_the_generated_password_is_shown_at_the_first_start_that_succeeds(label_studio, tmp_path):
    """A first start that timed out wrote the credentials but showed nothing: the next start that succeeds shows
    the password (here the session's server plays that start: `serve` finds it running), then never again."""
    project = tmp_path / "p"
    state = project / ".counterclaim"
    state.mkdir(parents=True, mode=0o700)
    data = json.loads(label_studio.credentials_path.read_text())
    data["password_shown"] = False  # what a start that did not succeed leaves
    (state / "credentials.json").write_text(json.dumps(data))
    (state / "credentials.json").chmod(0o600)
    args = ["studio", "serve", "--background", "--project", str(project), "--data-dir", str(label_studio.data_dir)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert f"  password: {label_studio.password}   (generated now; shown only this once)" in first.output
    assert read_credentials(state / "credentials.json").password_shown
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and label_studio.password not in again.output
    assert "password_shown" not in (state / "credentials.json").read_text()  # the usual file again
