"""``counterclaim studio serve|stop|config|invite|push|pull``: the project's Label Studio and the round trip to it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from counterclaim.cli.options import project_option, shown
from counterclaim.errors import CounterclaimError
from counterclaim.io.layout import Layout
from counterclaim.labelstudio.config import CONFIG_FILE, build_label_config
from counterclaim.model.ontology import default_ontology
from counterclaim.studio import postgres, server
from counterclaim.studio.credentials import Credentials, mark_password_shown, read_credentials


class _StudioGroup(click.Group):
    """Shows library errors as ``Error: ...`` even when the group is invoked on its own."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CounterclaimError as exc:
            raise click.ClickException(str(exc)) from None


def echo_login(url: str, credentials: Credentials, credentials_path: Path, *, show_password: bool, new: bool) -> None:
    """Say where to log in. A generated password is shown at the first start that succeeds (``new``), once."""
    click.echo(f"Label Studio is running at {url}")
    click.echo(f"  login:    {credentials.username}")
    if new:
        click.echo(f"  password: {credentials.password}   (generated now; shown only this once)")
        mark_password_shown(credentials_path, credentials)
    elif show_password:
        click.echo(f"  password: {credentials.password}")
    click.echo(
        f"  the password and the API key are in {shown(credentials_path)} (readable only by you)"
        + ("" if new or show_password else "; --show-password prints the password")
    )


data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help="Label Studio's data folder (default: .counterclaim/labelstudio in the project).",
)


@click.group(cls=_StudioGroup)
def studio() -> None:
    """Run a local Label Studio for this project (SQLite, 127.0.0.1 only)."""


@studio.command("serve")
@click.option("--port", type=click.IntRange(1, 65535), default=server.DEFAULT_PORT, show_default=True,
              help="Port on 127.0.0.1.")
@click.option("--database", default=postgres.SQLITE, show_default=True, metavar="sqlite|postgresql|URL",
              help="sqlite: a file in the data folder; postgresql: a private PostgreSQL cluster in "
                   ".counterclaim/postgres (Debian's package, 127.0.0.1 only); postgresql://USER@HOST:PORT/NAME: "
                   f"an existing server (password from {postgres.PASSWORD_ENV} or the credentials file).")
@data_dir_option
@click.option("--foreground/--background", default=True, show_default=True,
              help="Stay until Ctrl-C, or return once the server is up (stop it with `counterclaim studio stop`).")
@click.option("--show-password", is_flag=True, help="Print the admin password (it is always in the credentials file).")
@click.option("--timeout", type=click.FloatRange(min=1), default=server.START_TIMEOUT, show_default=True,
              help="Seconds to wait for the server to answer; the first start (database set-up) takes about 30 s, "
                   "several minutes on a busy machine.")
@project_option
def studio_serve(port, database, data_dir, foreground, show_password, timeout, project) -> None:
    """Start Label Studio with an admin and an API key generated on first use.

    The data stays in .counterclaim/labelstudio/ (server.log is there too); the login and the API key
    are in .counterclaim/credentials.json, mode 600. No analytics, update checks or error reports leave
    the machine. With --database postgresql the data goes to a PostgreSQL cluster in
    .counterclaim/postgres/ instead (started here, stopped with the server), for large projects and teams.

    \b
    Examples:
      counterclaim studio serve                     # until Ctrl-C
      counterclaim studio serve --background --port 8090
      counterclaim studio serve --database postgresql --background
      PGPASSWORD=... counterclaim studio serve --database postgresql://ls@db.internal:5432/labelstudio
    """
    layout = Layout.discover(project)
    config = server.ServerConfig.for_layout(layout, port=port, data_dir=data_dir, start_timeout=timeout)
    if not foreground:
        existing = server.running(config.data_dir)
        if existing is not None:
            credentials = read_credentials(config.credentials_path)
            echo_login(existing["url"], credentials, config.credentials_path, show_password=show_password,
                       new=not credentials.password_shown)
            click.echo(f"  (already running, pid {existing['pid']}; stop it with `counterclaim studio stop`)")
            return
    server.preflight(config)
    prepared = None
    if database != postgres.SQLITE:
        click.echo("starting PostgreSQL ..." if database == postgres.LOCAL else "connecting to PostgreSQL ...",
                   err=True)
        prepared = postgres.prepare(layout, config.credentials_path, database, server.free_port)
        config = dataclasses.replace(config, database=prepared.database)
    click.echo(f"starting Label Studio at {config.url} (log: {shown(config.log_path)}) ...", err=True)
    try:
        with server.sigterm_as_interrupt():  # a SIGTERM during the start stops the half-started server too
            handle = server.start(config)
    except BaseException:
        if prepared is not None and prepared.started is not None:
            prepared.started.stop()
        raise
    echo_login(handle.url, handle.credentials, handle.credentials_path, show_password=show_password,
                new=handle.credentials_created or (prepared is not None and prepared.credentials_created))
    if prepared is not None:
        where = f" (cluster in {shown(prepared.started.root if prepared.started else postgres.folder(layout))})" \
            if database == postgres.LOCAL else ""
        click.echo(f"  database: {prepared.database.url}{where}")
    click.echo(f"  server log: {shown(handle.log_path)}")
    keep_serving(handle, foreground, prepared.started if prepared else None)


def keep_serving(handle: server.ServerHandle, foreground: bool, cluster: postgres.LocalCluster | None = None) -> None:
    """Return at once in the background; in the foreground, wait until Ctrl-C or SIGTERM stops the server
    (and the PostgreSQL cluster started with it)."""
    if not foreground:
        click.echo(f"  running in the background (pid {handle.pid}); stop it with `counterclaim studio stop`")
        return
    click.echo("Press Ctrl-C to stop Label Studio.")
    try:
        code = server.run_foreground(handle)
    finally:
        if cluster is not None:
            cluster.stop()
    if code:
        raise click.ClickException(
            f"Label Studio stopped by itself (exit code {code}); see the server log {shown(handle.log_path)}"
        )
    click.echo("Label Studio stopped.")


@studio.command("stop")
@data_dir_option
@click.option("--timeout", type=click.FloatRange(min=1), default=server.STOP_TIMEOUT, show_default=True,
              help="Seconds to wait after SIGTERM before killing the server.")
@project_option
def studio_stop(data_dir, timeout, project) -> None:
    """Stop a Label Studio started with `counterclaim studio serve` (in the background or another terminal),
    and the project's PostgreSQL cluster if one runs.

    \b
    Example:
      counterclaim studio stop
    """
    layout = Layout.discover(project)
    folder = Path(data_dir) if data_dir is not None else server.default_data_dir(layout)
    info = server.stop(folder, timeout=timeout)
    if info is None:
        click.echo(f"no Label Studio is running from {shown(folder)}")
    else:
        click.echo(f"stopped Label Studio at {info.get('url')} (pid {info['pid']})")
    port = postgres.stop_local(layout)
    if port is not None:
        click.echo(f"stopped PostgreSQL on {postgres.HOST}:{port} ({shown(postgres.folder(layout))})")


@studio.command("config")
@click.option("--check", is_flag=True, help=f"Exit 1 if guidelines/{CONFIG_FILE} differs from the generated config.")
@project_option
def config(check: bool, project: str | None) -> None:
    """Print the Label Studio labeling config generated from the ontology.

    The checked-in copy is guidelines/labelstudio.xml (refresh it with `counterclaim guidelines build`).

    \b
    Examples:
      counterclaim studio config > labelstudio.xml
      counterclaim studio config --check
    """
    layout = Layout.discover(project)
    xml = build_label_config(default_ontology(layout.schema_dir))
    if check:
        path = layout.guidelines_dir / CONFIG_FILE
        if not path.exists() or path.read_text(encoding="utf-8") != xml:
            raise click.ClickException(f"{path} differs from the generated config; run `counterclaim guidelines build`")
        click.echo(f"{path} is up to date")
        return
    click.echo(xml, nl=False)


@studio.command("invite")
@click.option("--url", envvar="LABEL_STUDIO_URL", show_envvar=True,
              help="Label Studio URL (default: the embedded server from .counterclaim/credentials.json).")
@click.option("--api-key", envvar="LABEL_STUDIO_API_KEY", show_envvar=True,
              help="Personal access token or legacy token of an administrator. Never printed.")
@click.option("--reset", is_flag=True, help="Make a new link first; the old one stops working.")
@project_option
def invite(url, api_key, reset, project) -> None:
    """Print the link with which annotators join Label Studio (open sign-up is closed).

    An annotator opens the link, chooses an email and a password, and then gets the project's tasks; with
    `studio push --overlap N` each task goes to N of them. Anyone who holds the link can join: hand it out
    like a password, and --reset it to revoke the old one.

    \b
    Examples:
      counterclaim studio invite
      counterclaim studio invite --reset
    """
    from counterclaim.studio.client import connect_project
    from counterclaim.studio.invite import invite_link

    ls, base_url = connect_project(Layout.discover(project), url, api_key)
    click.echo(invite_link(ls, base_url, reset=reset))


def _add_round_trip_commands() -> None:
    from counterclaim.cli.pull import pull
    from counterclaim.cli.push import push

    studio.add_command(push)
    studio.add_command(pull)


_add_round_trip_commands()
