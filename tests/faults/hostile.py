"""Hostile inputs, generated: what a careless export, a broken tool or an attacker hands the commands."""

from __future__ import annotations

import json
from pathlib import Path

from counterclaim.io.jsonio import sha256_text


def nested(depth: int, leaf: str = "1", *, key: str | None = "a") -> str:
    """JSON text nested ``depth`` levels deep: ``{"a": {"a": ... 1}}`` (or arrays when ``key`` is None)."""
    if key is None:
        return "[" * depth + leaf + "]" * depth
    return f'{{"{key}":' * depth + leaf + "}" * depth


def region(rid: str, label: str, start: int, end: int, text: str | None, **extra) -> dict:
    value = {"start": start, "end": end, "labels": [label], **extra}
    if text is not None:
        value["text"] = text
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def actor_type(rid: str, start: int, end: int, actor_type: str = "other") -> dict:
    return {"id": rid, "from_name": "actor_type", "to_name": "text", "type": "choices",
            "value": {"start": start, "end": end, "choices": [actor_type]}}


def task(text: str, results: list, *, task_id: int = 1, doc_id: object = None, project: int = 7,
         annotation_id: int = 11, **extra) -> dict:
    data = {"text": text, "text_sha256": sha256_text(text)}
    if doc_id is not None:
        data["doc_id"] = doc_id
    return {"id": task_id, "project": project, "data": data,
            "annotations": [{"id": annotation_id, "completed_by": 1, "was_cancelled": False, "ground_truth": False,
                             "result": results}], **extra}


def mention_task(text: str, quote: str, *, shift: int = 0, selected: str | None = None, **kwargs) -> dict:
    """A task with one ACTOR mention of ``quote``; its offsets moved by ``shift``, its ``value.text`` the quote
    (or ``selected``)."""
    start = text.index(quote) + shift
    end = start + len(quote)
    return task(text, [region("r1", "ACTOR", start, end, quote if selected is None else selected),
                       actor_type("r1", start, end)], **kwargs)


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# Export shapes that are not a Label Studio JSON export, and the words of the error each must give.
EXPORT_SHAPES = {
    "projects is a number": ('{"projects": 5}', "/projects: expected a list of projects, found a number"),
    "a project is a string": ('{"projects": ["a"]}', "/projects/0: expected a project object, found a string"),
    "project tasks a number": ('{"projects": [{"tasks": 3}]}', "/projects/0/tasks: expected a list of tasks"),
    "tasks of numbers": ('{"tasks": [1]}', "nothing converted from 1 task(s): task is not an object but a number"),
    "tasks a string": ('{"tasks": "x"}', "/tasks: expected a list of tasks, found a string"),
    "annotations a string": ('[{"id": 1, "data": {"text": "abc"}, "annotations": "oops"}]',
                             "task `annotations` is not a list but a string [LS110]"),
    "annotations of odd items": ('[{"id": 1, "data": {"text": "abc"}, "annotations": ["x", 5]}]',
                                 "annotation is not an object but a string [LS108]"),
    "doc_id a list": ('[{"id": 1, "data": {"text": "abc", "doc_id": ["a"]}, "annotations": []}]',
                      "task data `doc_id` an array ['a'] is not a document id"),
    "doc_id an object": ('[{"id": 1, "data": {"text": "abc", "doc_id": {"a": 1}}, "annotations": []}]',
                         "task data `doc_id` an object {'a': 1} is not a document id"),
    "doc_id a path": ('[{"id": 1, "data": {"text": "abc", "doc_id": "../../escape"}, "annotations": []}]',
                      "task data `doc_id` '../../escape' is not a document id"),
    "items not objects": ("[1, 2]", "item 1 is not a JSON object"),
    "a string": ('"tasks"', "not a Label Studio JSON export (it does not start with [ or {)"),
    "results a string": ('[{"id": 1, "data": {"text": "abc"}, "annotations": [{"id": 2, "result": "x"}]}]',
                         "annotation has no `result` list [LS107]"),
}
