"""Collect ``DaemonFacts``: the dockerd serving the endpoint and its daemon.json.

The process is looked up from the kernel's side (``docker.peer``) only when auditing the live
host (``host_root`` is ``/``); a different root is a filesystem tree, not the running kernel.
daemon.json is, in order: the explicit ``--daemon-config`` path, the ``--config-file`` flag of
the process, the rootless location (``$XDG_CONFIG_HOME/docker/daemon.json`` of a dockerd under
RootlessKit), else ``/etc/docker/daemon.json``; always read under ``host_root``. A missing
file is dockerd's default (``{}``), not an error.
"""

from __future__ import annotations

import json
import os
from typing import Any

# Edge-to-edge (facts collector -> engine edge; no contract forbids it): finding the
# process behind the endpoint is engine-side discovery.
from seawall.docker.peer import find_daemon, is_local_endpoint, rootless_config_home
from seawall.facts.daemon import DaemonFacts
from seawall.facts.dockerd_flags import parse_dockerd_args

DEFAULT_CONFIG_PATH = "/etc/docker/daemon.json"
#: daemon.json larger than this is refused (real ones are a few hundred bytes).
MAX_CONFIG_BYTES = 1 << 20


def collect_daemon(
    endpoint: str, *, host_root: str = "/", config_path: str | None = None
) -> DaemonFacts:
    """Find the daemon process (live host only) and read its daemon.json. Never raises."""
    live = os.path.normpath(host_root) == "/"
    pid: int | None = None
    cmdline: tuple[str, ...] | None = None
    discovery = ""
    if live:
        proc = find_daemon(endpoint)
        pid, cmdline, discovery, process_error = proc.pid, proc.cmdline, proc.discovery, proc.error
    else:
        process_error = (
            f"process discovery skipped: auditing the tree at {host_root}, not the live host"
        )
    path = config_path or _config_path_from_process(pid, cmdline)
    config: dict[str, Any] | None
    config_error: str | None
    if live and config_path is None and not is_local_endpoint(endpoint):
        # The local /etc/docker/daemon.json belongs to another daemon than the one audited.
        path, config = "", None
        config_error = (
            f"daemon.json not read: {endpoint} is not on this host "
            "(name its file with --daemon-config)"
        )
    else:
        config, config_error = read_daemon_json(path, host_root)
    return DaemonFacts(
        endpoint=endpoint,
        pid=pid,
        cmdline=cmdline,
        discovery=discovery,
        process_error=process_error,
        config_path=path,
        config=config,
        config_error=config_error,
    )


def _config_path_from_process(pid: int | None, cmdline: tuple[str, ...] | None) -> str:
    if cmdline is not None:
        flag = parse_dockerd_args(cmdline).values.get("config-file")
        if isinstance(flag, str) and flag:
            return flag
    if pid is not None:
        home = rootless_config_home(pid)
        if home:
            return os.path.join(home, "docker", "daemon.json")
    return DEFAULT_CONFIG_PATH


def _reject_constant(name: str) -> Any:
    # Python accepts NaN/Infinity; Go's encoding/json (dockerd) does not.
    raise ValueError(f"{name} is not valid JSON")


def read_daemon_json(path: str, host_root: str = "/") -> tuple[dict[str, Any] | None, str | None]:
    """Parse daemon.json at ``path`` under ``host_root``: ``(config, None)`` or ``(None, why)``.

    A missing file is ``({}, None)``. ``why`` is one line: ``daemon.json at PATH: problem``.
    """
    full = os.path.join(host_root, path.lstrip("/"))
    where = f"daemon.json at {path}"
    try:
        with open(full, "rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return {}, None
    except IsADirectoryError:
        return None, f"{where}: is a directory"
    except OSError as exc:
        return None, f"{where}: cannot read: {exc.strerror or exc}"
    if len(raw) > MAX_CONFIG_BYTES:
        return None, f"{where}: larger than {MAX_CONFIG_BYTES // 1024} KiB, refused"
    try:
        text = raw.decode("utf-8-sig")  # dockerd tolerates a UTF-8 byte order mark
    except UnicodeDecodeError as exc:
        return None, f"{where}: not UTF-8 text (byte {exc.start})"
    if not text.strip():
        return {}, None  # dockerd treats an empty file as no settings
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        return None, f"{where}: invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        return None, f"{where}: invalid JSON: nested too deeply"
    except ValueError as exc:  # NaN/Infinity, see _reject_constant
        return None, f"{where}: invalid JSON: {exc}"
    if not isinstance(data, dict):
        return None, f"{where}: top level is {_json_kind(data)}, not an object"
    return data, None


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"
