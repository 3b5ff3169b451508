"""Run a command and report its own peak memory: ``python peak.py RESULT.json COMMAND...``.

``ru_maxrss`` of a child counts the memory of the process it was forked from (Linux keeps the larger of the two
across ``exec``), so a command started straight from a big test process would look as big as the test process.
Started from this small process instead, its peak is its own. The command's output passes through; RESULT.json
gets ``{"exit": CODE, "maxrss": BYTES}``.
"""

import json
import os
import subprocess
import sys

proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    json.dump({"exit": os.waitstatus_to_exitcode(status), "maxrss": usage.ru_maxrss * 1024}, fh)
