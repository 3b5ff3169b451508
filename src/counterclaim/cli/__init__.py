"""The ``counterclaim`` command line: a thin layer over the library.

Each command parses its options, calls one library function and formats the result. Library errors
(``CounterclaimError``) are shown as ``Error: ...`` with exit code 1, without a traceback.
"""

from __future__ import annotations

import errno
import importlib
import sys

import click

from counterclaim import __version__
from counterclaim.errors import CounterclaimError


# Commands are imported when used, so `counterclaim validate` does not pay for pyarrow or Label Studio.
COMMANDS = {
    "up": "counterclaim.cli.up:up",
    "corpus": "counterclaim.cli.corpus:corpus",
    "pool": "counterclaim.cli.pool:pool",
    "studio": "counterclaim.cli.studio:studio",
    "validate": "counterclaim.cli.validate:validate",
    "agreement": "counterclaim.cli.agreement:agreement",
    "evaluate": "counterclaim.cli.evaluate:evaluate",
    "baselines": "counterclaim.cli.baselines:baselines",
    "adjudicate": "counterclaim.cli.adjudicate:adjudicate",
    "export": "counterclaim.cli.export:export",
    "incidents": "counterclaim.cli.incidents:incidents",
    "release": "counterclaim.cli.release:release",
    "author": "counterclaim.cli.author:author",
    "guidelines": "counterclaim.cli.guidelines:guidelines",
    "schema": "counterclaim.cli.schema:schema",
    "preannotate": "counterclaim.cli.preannotate:preannotate",
    "silver": "counterclaim.cli.silver:silver",
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
        try:
            return super().invoke(ctx)
        except CounterclaimError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            where = f" while writing {exc.filename}" if exc.filename else ""
            raise click.ClickException(
                f"the disk is full{where}; nothing was half-written (the command's changes were not made, or the "
                "next command completes them) — free some space and run the command again"
            ) from None
        except Exception as exc:
            # httpx is loaded only by commands that talk to Label Studio (it costs ~20 MB and 0.1 s)
            httpx = sys.modules.get("httpx")
            if httpx is not None and isinstance(exc, httpx.HTTPError):  # the server went away mid-command
                raise click.ClickException(
                    f"lost the connection to Label Studio ({type(exc).__name__}); nothing was written — "
                    "check that the server is running and try again"
                ) from None
            raise


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


def run() -> None:
    """Entry point of the `counterclaim` program (the console script and ``python -m counterclaim``)."""
    main()
