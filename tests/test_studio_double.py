"""The double annotation is what a real Label Studio round trip gives: each pass pushed by its own user onto one
task, pulled as one document with two annotators, whose agreement is the agreement of the compiled passes.

Against the session's real Label Studio, with two users: the admin (pass A) and an annotator who joined with
the organisation's invite link (pass B). Two short double-annotated FA-KES documents keep it fast.
"""

from __future__ import annotations

import json
import shutil
import uuid

import httpx
import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.io import jsonio
from counterclaim.model.ontology import load_ontology
from counterclaim.quality.agreement import compute_agreement
from helpers import REPO

pytestmark = pytest.mark.server

ONT = load_ontology(REPO / "schema")
DOC_IDS = ("fakes-1923848129", "fakes-1923848164")
PASSES = {"gold": "maintainer-a", "second": "annotator-b"}  # annotation id -> annotator of each pass
BODY = ("mentions", "events", "claims", "cancelled", "ground_truth")
PASSWORD = "annotator-b-pass-5120"


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False)


def body(annotation: dict) -> dict:
    return {k: annotation[k] for k in BODY}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A scratch project whose corpus is the two FA-KES documents (their records, built as the repository's)."""
    root = tmp_path_factory.mktemp("double-annotation")
    for name in ("schema", "guidelines"):
        shutil.copytree(REPO / name, root / name)
    (root / "corpus" / "raw").mkdir(parents=True)
    wanted = {doc_id.removeprefix("fakes-") for doc_id in DOC_IDS}
    records = [line for line in (REPO / "corpus" / "raw" / "fa-kes.jsonl").read_text(encoding="utf-8").splitlines()
               if json.loads(line)["unit_id"] in wanted]
    (root / "corpus" / "raw" / "fa-kes.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    manifest = jsonio.read_json(REPO / "corpus" / "manifest.json")
    assert run("corpus", "build", "--project", root, "--version", manifest["version"]).exit_code == 0
    built = {d["doc_id"]: d["text_sha256"] for _, d in jsonio.iter_jsonl(root / "corpus" / "documents.jsonl")}
    assert built == {doc_id: manifest["documents"][doc_id]["text_sha256"] for doc_id in DOC_IDS}
    return root


@pytest.fixture(scope="module")
def passes(project, tmp_path_factory):
    """Each document compiled from its two authoring files, and each pass alone in a folder of its own."""
    out = tmp_path_factory.mktemp("passes")
    files = [REPO / "corpus" / "gold" / folder / f"{doc_id}.yaml" for doc_id in DOC_IDS for folder in ("", "second")]
    result = run("author", "compile", *files, "--out", out / "both", "--project", project)
    assert result.exit_code == 0, result.output
    compiled = {doc_id: jsonio.read_json(out / "both" / f"{doc_id}.json") for doc_id in DOC_IDS}
    for doc_id, doc in compiled.items():
        assert [(a["id"], a["provenance"]["annotator"], a["ground_truth"]) for a in doc["annotations"]] == [
            ("gold", "maintainer-a", False), ("second", "annotator-b", False)]
        for ann in doc["annotations"]:
            (out / ann["id"]).mkdir(exist_ok=True)
            jsonio.write_text(out / ann["id"] / f"{doc_id}.json",
                              jsonio.dumps({**doc, "annotations": [ann]}, indent=2))
    return out, compiled


def sign_up(base_url: str, path: str, email: str) -> httpx.Response:
    """Fill in Label Studio's sign-up form as a browser does (CSRF cookie, then the form post)."""
    client = httpx.Client(base_url=base_url, follow_redirects=False, timeout=60)
    client.get(path)
    return client.post(path, data={"csrfmiddlewaretoken": client.cookies["csrftoken"], "email": email,
                                   "password": PASSWORD}, headers={"Referer": base_url + path})


@pytest.fixture(scope="module")
def second_annotator(label_studio, project):
    """Annotator B, who joined with the invite link: (user id, their own API key)."""
    result = run("studio", "invite", "--project", project, "--url", label_studio.url, "--api-key", label_studio.api_key)
    assert result.exit_code == 0, result.output
    link = result.output.strip()
    response = sign_up(label_studio.url, link[len(label_studio.url):], f"annotator-b-{uuid.uuid4().hex[:6]}@example.org")
    assert response.status_code == 302, response.text[:500]
    session = httpx.Client(base_url=label_studio.url, cookies=response.cookies, timeout=60)
    return session.get("/api/current-user/whoami").json()["id"], session.get("/api/current-user/token").json()["token"]


def test_two_passes_pushed_by_two_users_pull_as_two_annotators_with_the_same_agreement(
        label_studio, project, passes, second_annotator, tmp_path):
    out, compiled = passes
    user_b, key_b = second_annotator
    title = f"double {uuid.uuid4().hex[:6]}"
    common = ["--project", project, "--url", label_studio.url, "--title", title, "--quiet"]
    pushed_a = run("studio", "push", *common, "--api-key", label_studio.api_key, "--no-predictions",
                   "--annotations", out / "gold")
    assert pushed_a.exit_code == 0, pushed_a.output
    assert "annotations: 2 created, 0 already present, 0 refused" in pushed_a.output
    pushed_b = run("studio", "push", *common, "--api-key", key_b, "--no-predictions", "--annotations", out / "second")
    assert pushed_b.exit_code == 0, pushed_b.output
    assert "tasks: 0 imported, 2 already present" in pushed_b.output  # one task per document, for both users
    assert "annotations: 2 created, 0 already present, 0 refused" in pushed_b.output

    pulled_dir = tmp_path / "pulled"
    result = run("studio", "pull", *common, "--api-key", label_studio.api_key, "--out", pulled_dir)
    assert result.exit_code == 0, result.output
    pulled = {doc_id: jsonio.read_json(pulled_dir / f"{doc_id}.json") for doc_id in DOC_IDS}
    admin = httpx.get(f"{label_studio.url}/api/current-user/whoami", timeout=60,
                      headers={"Authorization": f"Token {label_studio.api_key}"}).json()["id"]
    users = {f"ls-user-{admin}": "maintainer-a", f"ls-user-{user_b}": "annotator-b"}
    for doc_id, doc in pulled.items():
        by_annotator = {a["provenance"]["annotator"]: a for a in doc["annotations"]}
        assert sorted(by_annotator) == sorted(users), doc_id  # two annotators, one annotation each
        passes_by_annotator = {a["provenance"]["annotator"]: a for a in compiled[doc_id]["annotations"]}
        for user, annotator in users.items():
            assert body(by_annotator[user]) == body(passes_by_annotator[annotator]), (doc_id, annotator)

    # The pseudonyms differ (Label Studio user numbers against the passes' names); renamed, the agreement of the
    # pulled documents is exactly the agreement of the compiled ones.
    renamed = [{**doc, "annotations": [{**a, "provenance": {**a["provenance"], "annotator": users[a["provenance"]["annotator"]]}}
                                       for a in doc["annotations"]]} for doc in pulled.values()]
    from_studio = compute_agreement(renamed, ontology=ONT)
    from_yaml = compute_agreement(compiled.values(), ontology=ONT)
    assert from_studio.compared == 2 and from_studio.annotators == ("annotator-b", "maintainer-a")
    assert from_studio.to_dict() == from_yaml.to_dict()
    # and through the command, on the pulled files as they are: every F1, alpha and raw agreement is the same
    # (precision and recall swap, as the reference is the annotator whose id sorts first)
    cli = run("agreement", pulled_dir, "--project", project, "--json")
    assert cli.exit_code == 0, cli.output
    assert figures(json.loads(cli.output)) == figures(json.loads(jsonio.dumps(from_yaml.to_dict())))


def figures(result: dict) -> dict:
    """The figures of an agreement result that do not depend on which annotator is the reference."""
    out = {}
    for section in ("spans", "links"):
        for block in result[section]:
            for row in (block["total"], block["unlabelled"], *block["labels"]):
                out[section, block["name"], row["label"]] = (row["regions"], row["exact"]["f1"], row["overlap"]["f1"])
    for a in result["attributes"]:
        out[a["layer"], a["attribute"]] = (a["alpha"], a["raw_agreement"], a["expected_agreement"], a["units"])
    return out
