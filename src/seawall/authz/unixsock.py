"""Unix socket paths the enforcement points listen on: is a path still served by someone?"""

from __future__ import annotations

import os
import socket
import stat


def live_socket(path: str) -> bool:
    """True when ``path`` is a unix socket another process still accepts connections on.

    A socket nobody listens on is stale (left by a process that died) and may be replaced; a
    live one belongs to someone else and must not be.
    """
    try:
        if not stat.S_ISSOCK(os.lstat(path).st_mode):
            return False
    except OSError:
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(path)
        except OSError:
            return False
    return True
