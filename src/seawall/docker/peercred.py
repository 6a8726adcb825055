"""Who is on the other end of a unix socket, according to the kernel (SO_PEERCRED).

The credentials are those the peer had when it called ``connect``; they cannot be forged by
anything the peer sends, which is what makes per-user rules on a local socket possible (the
authz proxy) and tells which process serves an engine socket (``seawall.docker.peer``).
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

_UCRED = struct.Struct("3i")  # struct ucred { pid_t pid; uid_t uid; gid_t gid; }


@dataclass(frozen=True, slots=True)
class PeerCred:
    """The connecting process's pid and its effective uid and gid at connect time."""

    pid: int
    uid: int
    gid: int


def peer_credentials(sock: socket.socket) -> PeerCred:
    """SO_PEERCRED of a connected unix stream socket."""
    raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _UCRED.size)
    pid, uid, gid = _UCRED.unpack(raw)
    return PeerCred(pid=pid, uid=uid, gid=gid)
