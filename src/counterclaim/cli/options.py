"""Option bundles and output helpers shared by commands, declared once."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from tqdm import tqdm


def _recover(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Before any command runs on a project, finish or undo what a crashed command left there (when no other
    command holds the project's lock; one that does has done it already). See io/transaction.py."""
    if not ctx.resilient_parsing:
        from counterclaim.io.layout import Layout
        from counterclaim.io.transaction import recover_if_idle

        for line in recover_if_idle(Layout.discover(value).state_dir):
            click.echo(f"recovered: {line}", err=True)
    return value


project_option = click.option(
    "--project", type=click.Path(file_okay=False), callback=_recover,
    help="Project folder (default: found from the current folder, or COUNTERCLAIM_PROJECT).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print a JSON report (for scripts).")
quiet_option = click.option("--quiet", is_flag=True, help="No progress bar.")
raw_from_option = click.option(
    "--raw-from", "raw_from", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder holding inputs that corpus/raw/ refers to instead of copying them (those over 50 MiB); "
    "repeatable. Only these folders are read, and each file must have the recorded sha256.")


class ByteSize(click.ParamType):
    """A size in bytes: a whole number, or one with a unit as `datasets` reads them (``500MB`` = 500 * 10**6,
    ``50MiB`` = 50 * 2**20; also KB, GB, KiB, GiB)."""

    name = "size"
    UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30}

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip().upper()
        number = text.rstrip("KMGIB")
        unit = text[len(number):]
        if not number.isdigit() or unit not in self.UNITS:
            self.fail(f"{value!r} is not a size: give bytes, or a number with KB, MB, GB, KiB, MiB or GiB "
                      "(e.g. 500MB)", param, ctx)
        return int(number) * self.UNITS[unit]


def server_options(fn):
    """--url, --api-key, --title, --project-id and --project, shared by the commands that talk to a server."""
    from counterclaim.studio.push import DEFAULT_TITLE

    for option in reversed([
        click.option("--url", envvar="LABEL_STUDIO_URL", show_envvar=True,
                     help="Label Studio URL (default: the embedded server from .counterclaim/credentials.json)."),
        click.option("--api-key", envvar="LABEL_STUDIO_API_KEY", show_envvar=True,
                     help="Personal access token or legacy token. Never printed."),
        click.option("--title", default=DEFAULT_TITLE, show_default=True, help="Project title to create or find."),
        click.option("--project-id", type=int, help="Use this project id instead of finding it by title."),
        project_option,
    ]):
        fn = option(fn)
    return fn


def progress_bar(desc: str, unit: str, *, quiet: bool, total: int | None = None) -> tqdm:
    """A progress bar on standard error (hidden with --quiet, --json, or when standard error is no terminal)."""
    return tqdm(total=total, desc=desc, unit=unit, disable=quiet or None, file=sys.stderr, leave=False)


def waiting(message: str) -> None:
    """What a command says while it waits for another one on the same project (it names the holder)."""
    click.echo(message, err=True)


def shown(path: str | os.PathLike) -> str:
    """A path as the user should see it: relative to the current folder when it lies below it."""
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd().resolve()) else str(path)
    except ValueError:
        return str(path)
