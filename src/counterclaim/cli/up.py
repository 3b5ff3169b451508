"""``counterclaim up``: the annotators' main job — Label Studio running with the corpus loaded."""

from __future__ import annotations

import click

from counterclaim.cli.options import progress_bar, project_option, shown
from counterclaim.cli.studio import echo_login, keep_serving
from counterclaim.io.layout import Layout
from counterclaim.studio import server
from counterclaim.studio.client import connect
from counterclaim.studio.credentials import read_credentials
from counterclaim.studio.push import DEFAULT_TITLE, push_project


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=server.DEFAULT_PORT, show_default=True,
              help="Port on 127.0.0.1 for the embedded Label Studio.")
@click.option("--foreground/--background", default=True, show_default=True,
              help="Stay until Ctrl-C, or return once ready (stop it with `counterclaim studio stop`).")
@click.option("--title", default=DEFAULT_TITLE, show_default=True, help="Label Studio project title.")
@click.option("--show-password", is_flag=True, help="Print the admin password (it is always in the credentials file).")
@click.option("--timeout", type=click.FloatRange(min=1), default=server.START_TIMEOUT, show_default=True,
              help="Seconds to wait for Label Studio to answer; the first start (database set-up) takes about 30 s, "
                   "several minutes on a busy machine.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@project_option
def up(port, foreground, title, show_password, timeout, quiet, project) -> None:
    """Start the embedded Label Studio (or reuse the running one), load the corpus, and say where to go.

    Equivalent to `counterclaim studio serve --background` then `counterclaim studio push`: the project
    gets the generated labeling config and the guidelines as instructions, every corpus document becomes a
    task once, and tasks open with their pre-annotations already in the annotation. Then open the printed
    URL and log in; other annotators join with the link `counterclaim studio invite` prints.

    \b
    Examples:
      counterclaim up                     # until Ctrl-C
      counterclaim up --background --port 8090
      counterclaim up --timeout 1200     # a slow machine's first start
    """
    layout = Layout.discover(project)
    config = server.ServerConfig.for_layout(layout, port=port, start_timeout=timeout)
    existing = server.running(config.data_dir)
    handle = None
    if existing is not None:
        credentials = read_credentials(config.credentials_path)
        url, new = existing["url"], not credentials.password_shown
    else:
        server.preflight(config)
        click.echo(f"starting Label Studio at {config.url} (the first start takes about 30 s, minutes on a busy "
                   f"machine; waiting up to {timeout:.0f} s; log: {shown(config.log_path)}) ...", err=True)
        with server.sigterm_as_interrupt():  # a SIGTERM during the start stops the half-started server too
            handle = server.start(config)
        url, credentials, new = handle.url, handle.credentials, handle.credentials_created
    try:
        ls = connect(url, credentials.api_key)
        with progress_bar("importing", "task", quiet=quiet) as bar:
            report = push_project(ls, layout, title=title, progress=bar, server=url)
    except BaseException:
        if handle is not None and foreground:
            handle.stop()
        raise
    click.echo("")
    echo_login(url, credentials, config.credentials_path, show_password=show_password, new=new)
    click.echo(f"  project:  {url}/projects/{report.project_id}/data "
               f"({report.imported} task(s) imported now, {report.already_present} already there)")
    click.echo("  the guidelines are under Instructions in the labeling screen")
    if handle is None:
        click.echo(f"  (the server was already running, pid {existing['pid']}; stop it with `counterclaim studio stop`)")
        return
    keep_serving(handle, foreground)
