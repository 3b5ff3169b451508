"""The streaming array reader: same items as a whole-file parse, at every window size; errors say where."""

from __future__ import annotations

import io
import json

import pytest

from counterclaim.io.jsonstream import JSONStreamError, iter_array

ITEMS = [
    {"id": 1, "data": {"text": "Moscow said it hit 1,623 targets 🚀 — «Raqqa»"}, "annotations": []},
    {"id": 2, "nested": [{"a": [1, 2.5, -3e2, None, True, False]}, {"s": "}, {\"fake\": \"]"}], "e": {}},
    {"id": 3, "escapes": "a\\\"b\n\t\u00e9🚀", "empty": ""},
    {},
]


def read(text: str | bytes, chunk: int = 1 << 17) -> list:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return list(iter_array(io.BytesIO(raw), chunk=chunk))


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 64, 1 << 17])
@pytest.mark.parametrize("layout", ["compact", "indent", "ascii"])
def test_same_items_as_a_whole_parse(chunk, layout):
    text = {"compact": json.dumps(ITEMS, ensure_ascii=False, separators=(",", ":")),
            "indent": json.dumps(ITEMS, ensure_ascii=False, indent=2),
            "ascii": json.dumps(ITEMS)}[layout]
    assert read(text, chunk) == json.loads(text)


def test_empty_array_whitespace_and_byte_order_mark():
    assert read("[]") == []
    assert read(" \n[ \n ] \n") == []
    assert read("\ufeff[{\"a\": 1}]".encode("utf-8"), chunk=1) == [{"a": 1}]


def test_an_item_larger_than_the_window_is_read_whole():
    big = [{"id": k, "text": "x" * 5000, "list": list(range(300))} for k in range(5)]
    assert read(json.dumps(big), chunk=16) == big


@pytest.mark.parametrize(("text", "message", "line", "column"), [
    ('[{"a": 1},\n {"b": 2}', "truncated: the array is not closed", 2, 10),
    ('[{"a": 1},\n {"b": ', "truncated in item 2", 2, 8),
    ('[{"a": 1},\n {"b" 2}]', "invalid JSON in item 2: unexpected character, expected ':'", 2, 7),
    ('[{"a": 1}\n {"b": 2}]', "expected `,` or `]` after item 1", 2, 2),
    ('[{"a": 1}, 7]', "item 2 is not a JSON object", 1, 12),
    ('[{"a": 1}] x', "unexpected content after the array", 1, 12),
    ('{"a": 1}', "expected a JSON array", 1, 1),
    ("", "expected a JSON array", 1, 1),
])
@pytest.mark.parametrize("chunk", [1, 4, 1 << 17])
def test_errors_say_what_and_where(text, message, line, column, chunk):
    with pytest.raises(JSONStreamError) as err:
        read(text, chunk)
    assert message in str(err.value)
    assert (err.value.line, err.value.column) == (line, column), str(err.value)


def test_undecodable_bytes_are_an_error():
    with pytest.raises(JSONStreamError, match="not UTF-8"):
        read(b'[{"a": "\xff"}]')


@pytest.mark.parametrize("chunk", [1, 7, 1 << 17])
def test_raw_items_are_the_items_json_text(chunk):
    text = json.dumps(ITEMS, ensure_ascii=False, indent=1)
    raw = read_raw(text, chunk)
    assert all(isinstance(item, str) for item in raw)
    assert [json.loads(item) for item in raw] == ITEMS


def read_raw(text: str, chunk: int) -> list:
    return list(iter_array(io.BytesIO(text.encode("utf-8")), chunk=chunk, raw=True))
