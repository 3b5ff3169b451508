"""The pull report kept out of memory: its items are spooled and it is written streamed, to the same bytes."""

from __future__ import annotations

import io

from counterclaim.io import jsonio
from counterclaim.labelstudio.codes import item
from counterclaim.studio.pull import PullReport, ReportItems


def _report(tmp_path, n: int, written: list[str]) -> PullReport:
    report = PullReport(tasks=n, documents=n, annotations=n, results=2 * n, items=ReportItems(tmp_path),
                        snapshot="export-é.json", not_read=["notes.json"])
    for i in range(n):
        report.items.append(item("LS105", 1000 + i, None, None, noun="prediction", item=i))
    report.items.append(item("LS601", 7, None, None, doc_id="dé-1", first_task=3))
    report.written_files = lambda: iter(written)
    report.written_count = len(written)
    return report


def test_the_streamed_report_has_the_bytes_of_the_whole_one(tmp_path):
    for n, written in ((0, []), (1, ["a/b.json"]), (250, [f"annotations/d{i}.json" for i in range(250)])):
        report = _report(tmp_path, n, written)
        out = io.BytesIO()
        report.write(out)
        assert out.getvalue() == jsonio.dump_bytes(report.to_dict(), indent=2)
        data = jsonio.loads(out.getvalue())
        assert len(data["items"]) == n + 1 and data["written"] == written
        assert data["counts"] == ({"adjusted": 1, "skipped": n} if n else {"adjusted": 1})

def test_only_the_first_items_are_kept_in_memory(tmp_path):
    report = _report(tmp_path, ReportItems.KEPT * 5, [])
    assert len(report.items) == ReportItems.KEPT * 5 + 1 and len(report.items.first) == ReportItems.KEPT
    assert [str(i) for i in report.items.first[:2]] == [
        "task 1000: skipped: prediction 0: not a submitted annotation (its results are not in the export) [LS105]",
        "task 1001: skipped: prediction 1: not a submitted annotation (its results are not in the export) [LS105]"]
    every = list(report.items.dicts())
    assert len(every) == len(report.items) and every[-1]["code"] == "LS601" and every[-1]["task_id"] == 7
    report.items.append(item("LS105", 1, None, None, noun="prediction", item=1))  # appending after a read goes on
    assert len(list(report.items.dicts())) == len(every) + 1
