"""The guidelines' generated parts and the checked-in Label Studio config follow the ontology."""

from __future__ import annotations

from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.quality.guidelines import expected_files, quick_reference, to_html
from counterclaim.model.ontology import load_ontology
from counterclaim.labelstudio.config import build_label_config
from helpers import REPO

GUIDELINES = REPO / "guidelines"


def test_generated_files_are_up_to_date():
    ont = load_ontology(REPO / "schema")
    for path, text in expected_files(GUIDELINES, ont).items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run `counterclaim guidelines build`"


def test_checked_in_config_equals_the_generated_one():
    xml = (GUIDELINES / "labelstudio.xml").read_text(encoding="utf-8")
    assert xml == build_label_config(load_ontology(REPO / "schema"))
    result = CliRunner().invoke(main, ["studio", "config", "--check"])
    assert result.exit_code == 0, result.output


def test_quick_reference_lists_every_event_type_and_role():
    ont = load_ontology(REPO / "schema")
    table = quick_reference(ont)
    for etype in ont.event_types:
        assert f"| `{etype.id}` |" in table
    for role in ont.roles:
        assert f"| `{role.id}` |" in table


def test_instructions_escape_raw_html():
    html = to_html("# Title\n\n<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<table>" in html and "<h1>Title</h1>" in html


def test_config_escapes_special_characters(tmp_path):
    import yaml
    from counterclaim.model.ontology import parse_ontology

    raw = yaml.safe_load((REPO / "schema" / "ontology.yaml").read_text(encoding="utf-8"))
    raw["actors"][0]["name"] = 'Russia <"& co">'
    xml = build_label_config(parse_ontology(raw))
    assert 'value="Russia &lt;&quot;&amp; co&quot;&gt; (RUS)"' in xml


def test_guidelines_check_cli_reports_stale_files(tmp_path):
    project = tmp_path / "p"
    (project / "guidelines").mkdir(parents=True)
    (project / "schema").mkdir()
    (project / "schema" / "ontology.yaml").write_text((REPO / "schema" / "ontology.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (project / "guidelines" / "guidelines.md").write_text(
        "# G\n\n<!-- BEGIN GENERATED: quick-reference -->\nold\n<!-- END GENERATED: quick-reference -->\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["guidelines", "check", "--project", str(project)])
    assert result.exit_code == 1 and "run `counterclaim guidelines build`" in result.output
    result = CliRunner().invoke(main, ["guidelines", "build", "--project", str(project)])
    assert result.exit_code == 0
    assert CliRunner().invoke(main, ["guidelines", "check", "--project", str(project)]).exit_code == 0
