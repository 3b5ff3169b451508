"""The ``counterclaim`` command line: a thin layer over the library.

Each command parses its options, calls one library function and formats the result. Library errors
(``CounterclaimError``) are shown as ``Error: ...`` with exit code 1, without a traceback.
"""

from __future__ import annotations

import click

from counterclaim import __version__
from counterclaim.errors import CounterclaimError


class _Group(click.Group):
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


def _register() -> None:
    from counterclaim.cli import (
        adjudicate_cmd,
        agreement_cmd,
        author_cmd,
        corpus_cmd,
        export_cmd,
        guidelines_cmd,
        release_cmd,
        schema_cmd,
        studio_cmd,
        studio_flow,
        up_cmd,
        validate_cmd,
    )

    main.add_command(corpus_cmd.corpus)
    main.add_command(schema_cmd.schema)
    main.add_command(validate_cmd.validate)
    main.add_command(author_cmd.author)
    main.add_command(guidelines_cmd.guidelines)
    for command in (studio_flow.config, studio_flow.push, studio_flow.pull):
        studio_cmd.studio.add_command(command)
    main.add_command(studio_cmd.studio)
    main.add_command(up_cmd.up)
    main.add_command(export_cmd.export)
    main.add_command(adjudicate_cmd.adjudicate)
    main.add_command(agreement_cmd.agreement)
    main.add_command(release_cmd.release)


_register()
