"""Run a measured child through a small launcher process.

Linux counts the memory a process had when it forked into the child's peak RSS, so a child
forked straight from a large pytest process reports pytest's size. Forking it from a fresh,
small interpreter instead makes the child's own ``ru_maxrss`` mean what it says.
"""

from __future__ import annotations

import sys

#: argv prefix: ``[*LAUNCHER, program, *args]`` runs ``program`` from a small parent.
LAUNCHER = (
    sys.executable,
    "-c",
    "import subprocess,sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)",
)
