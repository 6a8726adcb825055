"""DaemonFacts: the dockerd serving the audited socket, and its effective configuration.

Values only; discovery of the process lives in ``docker/peer.py`` and the merge of command
line, daemon.json, ``/info`` and the bridge network in ``facts/daemon_config.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class DaemonFacts:
    """How the audited daemon was found and what it was started with.

    ``pid``/``cmdline`` are ``None`` when the process could not be found (``process_error``
    says why, and flag checks ``skip``). ``config`` is the parsed daemon.json (``{}`` when the
    file does not exist; ``None`` with ``config_error`` when it is unreadable or malformed).
    """

    endpoint: str
    pid: int | None = None
    cmdline: tuple[str, ...] | None = None
    discovery: str = ""
    process_error: str | None = None
    config_path: str = ""
    config: dict[str, Any] | None = None
    config_error: str | None = None
