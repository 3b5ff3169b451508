"""The ``counterclaim`` command line: a thin layer over the library.

Each command parses its options, calls one library function and formats the result. Library errors
(``CounterclaimError``) are shown as ``Error: ...`` with exit code 1, without a traceback.
"""

from __future__ import annotations

import importlib

import click

from counterclaim import __version__
from counterclaim.errors import CounterclaimError


# Commands are imported when used, so `counterclaim validate` does not pay for pyarrow or Label Studio.
COMMANDS = {
    "up": "counterclaim.cli.up_cmd:up",
    "corpus": "counterclaim.cli.corpus_cmd:corpus",
    "studio": "counterclaim.cli.studio_cmd:studio",
    "validate": "counterclaim.cli.validate_cmd:validate",
    "agreement": "counterclaim.cli.agreement_cmd:agreement",
    "adjudicate": "counterclaim.cli.adjudicate_cmd:adjudicate",
    "export": "counterclaim.cli.export_cmd:export",
    "release": "counterclaim.cli.release_cmd:release",
    "author": "counterclaim.cli.author_cmd:author",
    "guidelines": "counterclaim.cli.guidelines_cmd:guidelines",
    "schema": "counterclaim.cli.schema_cmd:schema",
}


class _Group(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx):
        import httpx

        try:
            return super().invoke(ctx)
        except CounterclaimError as exc:
            raise click.ClickException(str(exc)) from None
        except httpx.HTTPError as exc:  # the server went away in the middle of a command
            raise click.ClickException(
                f"lost the connection to Label Studio ({type(exc).__name__}); nothing was written — "
                "check that the server is running and try again"
            ) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="counterclaim")
def main() -> None:
    """counterclaim: a corpus and labelling toolkit for news about armed conflict.

    \b
    Typical flow:
      counterclaim up                  start Label Studio with the corpus loaded (annotators)
      counterclaim corpus build        normalise corpus/raw into corpus/documents.jsonl
      counterclaim studio pull         export annotations into corpus/annotations/
      counterclaim validate FILE...    check annotated documents against the schema
    """
