"""Pushed projects start annotators from the predictions and give each task to --overlap annotators.

Against the session's real Label Studio, with two users: the admin, and an annotator who joins with the
organisation's invite link (open sign-up is closed on the embedded server).
"""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.io.layout import Layout
from counterclaim.labelstudio.predictions import ALIAS_CONFIDENCE, ScoredAnnotation
from counterclaim.model.ontology import default_ontology
from counterclaim.studio.predictors import DEFAULT_PREDICTOR, PREDICTORS, Predictor
from counterclaim.studio.client import connect
from counterclaim.studio.push import push_project

pytestmark = pytest.mark.server

PASSWORD = "annotator-pass-7431"
SEED_ID = "17a8eb7dc5290d52"  # "Russia destroys 1,600 ISIS targets": claims and numbers in every paragraph


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False)


def common(label_studio, root, title):
    return ["--project", root, "--url", label_studio.url, "--api-key", label_studio.api_key, "--title", title,
            "--quiet"]


def sign_up(base_url: str, path: str, email: str) -> httpx.Response:
    """Fill in Label Studio's sign-up form as a browser does (CSRF cookie, then the form post)."""
    client = httpx.Client(base_url=base_url, follow_redirects=False, timeout=60)
    client.get(path)
    return client.post(path, data={"csrfmiddlewaretoken": client.cookies["csrftoken"], "email": email,
                                   "password": PASSWORD}, headers={"Referer": base_url + path})


@pytest.fixture(scope="module")
def annotator(label_studio, project_dir):
    """A second user who joined with the invite link: (user id, a client with their own API key)."""
    result = run("studio", "invite", "--project", project_dir, "--url", label_studio.url,
                 "--api-key", label_studio.api_key)
    assert result.exit_code == 0, result.output
    link = result.output.strip()
    assert link.startswith(f"{label_studio.url}/user/signup/?token=")
    email = f"annotator-{uuid.uuid4().hex[:6]}@example.org"
    assert sign_up(label_studio.url, "/user/signup/", email).status_code == 403  # no link, no account
    response = sign_up(label_studio.url, link[len(label_studio.url):], email)
    assert response.status_code == 302, response.text[:500]
    session = httpx.Client(base_url=label_studio.url, cookies=response.cookies, timeout=60)
    # a new user's own key, as shown on their account page
    user_id = session.get("/api/current-user/whoami").json()["id"]
    key = session.get("/api/current-user/token").json()["token"]
    return user_id, key


def next_task(url: str, key: str, project_id: int) -> int:
    """The task Label Studio's label stream gives this user next (the sdk has no call for it)."""
    response = httpx.get(f"{url}/api/projects/{project_id}/next", headers={"Authorization": f"Token {key}"},
                         timeout=60)
    assert response.status_code == 200, response.text[:300]
    return response.json()["id"]


@pytest.mark.parametrize("predictor", ["rules", "aliases"])
def test_pushed_project_prelabels_tasks_with_scored_predictions(label_studio, project_dir, predictor):
    title = f"prelabel {uuid.uuid4().hex[:6]}"
    chosen = [] if predictor == DEFAULT_PREDICTOR else ["--predictor", predictor]
    result = run("studio", "push", *common(label_studio, project_dir, title), *chosen)
    assert result.exit_code == 0, result.output
    ls = label_studio.client()
    (project,) = [p for p in ls.projects.list(title=title) if p.title == title]
    project = ls.projects.get(id=project.id)
    assert project.show_collab_predictions is True
    assert project.model_version == PREDICTORS[predictor].version(default_ontology())
    assert f"annotators start from the predictions of {project.model_version}\n" in result.output
    assert project.maximum_annotations == 2 and project.overlap_cohort_percentage == 100
    assert "overlap: each task goes to 2 annotator(s)\n" in result.output
    tasks = {t.data["doc_id"]: t.id for t in ls.tasks.list(project=project.id, include="id,data")}
    (prediction,) = ls.predictions.list(task=tasks[SEED_ID])
    scores = [r["score"] for r in prediction.result if r["type"] == "labels"]
    assert scores and all(0 < s <= 1 for s in scores)
    if predictor == "aliases":
        assert set(scores) <= set(ALIAS_CONFIDENCE.values())
    else:  # the engine proposes every layer: claims and relations too, not only mentions
        labels = {label for r in prediction.result if r["type"] == "labels" for label in r["value"]["labels"]}
        assert "CLAIM" in labels and any(r["type"] == "relation" for r in prediction.result)
    assert prediction.score == pytest.approx(sum(scores) / len(scores), abs=1e-4) and prediction.score != 0.5


def test_overlap_gives_a_task_to_two_annotators_whose_annotations_pull_apart(label_studio, project_dir, annotator,
                                                                          tmp_path):
    user_id, key = annotator
    ls = label_studio.client()
    projects = {}
    for overlap in (1, 2):
        title = f"overlap{overlap} {uuid.uuid4().hex[:6]}"
        result = run("studio", "push", *common(label_studio, project_dir, title), "--overlap", overlap)
        assert f"overlap: each task goes to {overlap} annotator(s)\n" in result.output, result.output
        (project,) = [p for p in ls.projects.list(title=title) if p.title == title]
        assert ls.projects.get(id=project.id).maximum_annotations == overlap
        projects[overlap] = (title, project.id)

    given = {}
    for overlap, (_, pid) in projects.items():
        first = next_task(label_studio.url, label_studio.api_key, pid)
        (prediction,) = ls.predictions.list(task=first)
        ls.annotations.create(id=first, result=prediction.result)  # the admin accepts the pre-annotations
        given[overlap] = (first, next_task(label_studio.url, key, pid))
    first, second = given[1]
    assert second != first  # one annotator per task: the second user never sees the first user's task
    first, second = given[2]
    assert second == first  # both get the same task

    mine = connect(label_studio.url, key)
    (prediction,) = mine.predictions.list(task=second)
    made = mine.annotations.create(id=second, result=[r for r in prediction.result if r["type"] == "labels"
                                                      or r.get("from_name") == "actor"][:4])
    assert made.completed_by == user_id
    out = tmp_path / "pulled"
    title = projects[2][0]
    result = run("studio", "pull", *common(label_studio, project_dir, title), "--out", out)
    assert result.exit_code == 0, result.output
    (pulled,) = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")
                 if json.loads(p.read_text(encoding="utf-8"))["annotations"]]
    annotators = [a["provenance"]["annotator"] for a in pulled["annotations"]]
    assert sorted(annotators) == sorted([f"ls-user-{ls.annotations.list(id=first)[0].completed_by}",
                                         f"ls-user-{user_id}"])
    assert len(set(annotators)) == 2
    assert len(pulled["annotations"][0]["mentions"]) != len(pulled["annotations"][1]["mentions"])


def test_a_new_predictor_version_reaches_the_tasks_already_pushed(label_studio, project_dir, monkeypatch):
    title = f"version {uuid.uuid4().hex[:6]}"
    ls = label_studio.client()
    layout = Layout(project_dir)
    first = push_project(ls, layout, title=title)
    assert first.imported == 6 and first.predictions_added == 0

    def propose(text, ont):
        base = PREDICTORS["aliases"].propose(text, ont)
        return ScoredAnnotation(base.annotation, {k: 0.99 for k in base.confidence}, "aliases-v2")

    monkeypatch.setitem(PREDICTORS, "v2", Predictor(lambda ont: "aliases-v2", propose))
    second = push_project(ls, layout, title=title, predictor="v2")
    assert (second.imported, second.already_present, second.predictions_added) == (0, 6, 6)
    project = ls.projects.get(id=first.project_id)
    assert project.model_version == "aliases-v2"
    task = next(iter(ls.tasks.list(project=project.id, include="id")))
    versions = sorted(p.model_version for p in ls.predictions.list(task=task.id))
    assert versions == ["aliases-v2", first.model_version]
    third = push_project(ls, layout, title=title, predictor="v2")
    assert third.predictions_added == 0  # once
    assert len(list(ls.predictions.list(task=task.id))) == 2
