"""A process that has imported counterclaim once and forks a child per command (``tests/faults/crash.py`` drives it).

Starting Python and importing pyarrow for each of the hundreds of crash runs would take minutes; forking this
process takes milliseconds. It reads one JSON request per line on standard input::

    {"args": ["export", "--project", "P"], "cwd": "P", "env": {"COUNTERCLAIM_FAULT_AT": "7"}, "out": "FILE"}

forks, and the child runs the command line as ``counterclaim`` does (output to ``out``); it answers one line
``{"exit": CODE}`` or ``{"signal": N}`` (the child was killed, e.g. by the fault hook's SIGKILL). No thread runs
in this process before a fork: every module is imported, nothing is started.
"""

from __future__ import annotations

import json
import os
import sys

import pyarrow.parquet  # noqa: F401 - imported once here, before any fork

import counterclaim.cli  # noqa: F401
import counterclaim.cli.adjudicate  # noqa: F401
import counterclaim.cli.corpus  # noqa: F401
import counterclaim.cli.export  # noqa: F401
import counterclaim.cli.release  # noqa: F401
import counterclaim.cli.silver  # noqa: F401
import counterclaim.cli.studio  # noqa: F401
import counterclaim.hf.export  # noqa: F401
import counterclaim.silver.build  # noqa: F401 - the pre-annotation engine, spaCy


def _child(request: dict) -> None:
    from counterclaim.cli import main

    os.chdir(request["cwd"])
    os.environ.update(request.get("env") or {})
    fd = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    code = 1
    try:
        main.main(args=request["args"], prog_name="counterclaim")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - a traceback is printed like the real program prints it
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)
        _, status = os.waitpid(pid, 0)
        answer = {"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status) else {"exit": os.WEXITSTATUS(status)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
