"""Every command explains itself: `--help` shows at least one example, and the README lists every command."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from counterclaim.cli import COMMANDS, main
from helpers import REPO


def _leaf_commands() -> list[tuple[str, ...]]:
    """Every runnable command as its words, e.g. ("studio", "push")."""
    ctx = click.Context(main)
    found = []

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), path + (name,))
        else:
            found.append(path)

    walk(main, ())
    return found


LEAVES = _leaf_commands()


def test_every_top_level_command_is_registered():
    assert {path[0] for path in LEAVES} == set(COMMANDS)


@pytest.mark.parametrize("path", LEAVES, ids=" ".join)
def test_help_shows_an_example(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    usage = " ".join(path)
    examples = [line for line in result.output.splitlines() if line.strip().startswith(f"counterclaim {usage}")]
    assert "Example" in result.output and examples, f"`counterclaim {usage} --help` shows no example"


def _readme_commands() -> set[tuple[str, ...]]:
    """The commands the README's command lists name (lines starting with `counterclaim ` in code blocks)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = set()
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            words = line.split()
            if words[:1] == ["counterclaim"]:
                found.add(tuple(w for w in words[1:3] if re.fullmatch(r"[a-z][a-z-]*", w)))
    return found


def test_the_readme_lists_exactly_the_commands_the_cli_has():
    listed = _readme_commands()

    def names(leaf: tuple[str, ...], words: tuple[str, ...]) -> bool:
        return words[:len(leaf)] == leaf

    missing = [" ".join(leaf) for leaf in LEAVES if not any(names(leaf, words) for words in listed)]
    unknown = [" ".join(words) for words in listed if not any(names(leaf, words) for leaf in LEAVES)]
    assert not missing, f"commands missing from the README: {missing}"
    assert not unknown, f"the README names commands the CLI does not have: {unknown}"
