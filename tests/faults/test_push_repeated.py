"""`studio push --annotations` twice, against the session's real Label Studio: the second push creates nothing,
cancelled annotations included (Label Studio's annotation list leaves cancelled ones out)."""

from __future__ import annotations

import json
import uuid

import pytest

from faultkit import GOLD, cli

pytestmark = pytest.mark.server


def test_pushing_annotations_twice_creates_no_copy_of_a_cancelled_one(label_studio, project, tmp_path):
    doc = json.loads((project / "corpus" / "annotations" / f"{GOLD}.json").read_text(encoding="utf-8"))
    second = json.loads(json.dumps(doc["annotations"][0]))
    second.update(id="skipped", cancelled=True, ground_truth=False)
    second["provenance"]["annotator"] = "another"
    second["claims"][0]["certainty"] = "probable"
    doc["annotations"].append(second)
    folder = tmp_path / "to-push"
    folder.mkdir()
    (folder / f"{GOLD}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    title = f"push twice {uuid.uuid4().hex[:8]}"
    args = ["studio", "push", "--project", project, "--url", label_studio.url, "--api-key", label_studio.api_key,
            "--title", title, "--annotations", folder, "--quiet", "--json"]
    first = json.loads(cli(*args).output)
    assert first["annotations_created"] == 2
    again = json.loads(cli(*args).output)
    assert again["annotations_created"] == 0 and again["annotations_present"] == 2
    ls = label_studio.client()
    (project_obj,) = [p for p in ls.projects.list(title=title) if p.title == title]
    (task,) = [t for t in ls.tasks.list(project=project_obj.id, include="id,data") if t.data["doc_id"] == GOLD]
    annotations = ls.tasks.get(id=task.id).annotations
    assert sorted(bool(a["was_cancelled"] if isinstance(a, dict) else a.was_cancelled) for a in annotations) == \
        [False, True]
