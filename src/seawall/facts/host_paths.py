"""The host paths CIS sections 1 and 3 concern: one table shared by the collector and the rules.

Pure data and small functions, no I/O. Paths are host paths (as seen on the audited host, not
under ``--host-root``). ``audited_paths`` answers "which paths must an audit watch cover" for
CIS 1.1.x; ``file_item_paths`` answers "which paths does a CIS 3.x ownership/mode item check";
``collected_paths`` is the union the host collector stats.

Where a CIS item names one path but distributions install elsewhere, the alternatives are
listed too and rules check the ones that exist: Debian ships ``dockerd`` in ``/usr/sbin``, and
systemd units live in any of ``UNIT_DIRS``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping

#: systemd unit directories, highest precedence first (admin overrides, then vendor units).
UNIT_DIRS: tuple[str, ...] = (
    "/etc/systemd/system",
    "/lib/systemd/system",
    "/usr/lib/systemd/system",
)

DEFAULT_DATA_ROOT = "/var/lib/docker"
DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock"
ETC_DOCKER = "/etc/docker"
DAEMON_JSON = "/etc/docker/daemon.json"
DEFAULT_DOCKER = "/etc/default/docker"
SYSCONFIG_DOCKER = "/etc/sysconfig/docker"
#: Registry certificates (CIS 3.7/3.8): every file below this directory, recursively.
CERTS_DIR = "/etc/docker/certs.d"
CONTAINERD_SOCK = "/run/containerd/containerd.sock"
CONTAINERD_DIR = "/run/containerd"
CONTAINERD_CONFIG = "/etc/containerd/config.toml"
DOCKERD_BINS: tuple[str, ...] = ("/usr/bin/dockerd", "/usr/sbin/dockerd")


def unit_paths(unit: str) -> tuple[str, ...]:
    """Where a systemd unit file may live (``docker.service`` in every ``UNIT_DIRS`` entry)."""
    return tuple(f"{d}/{unit}" for d in UNIT_DIRS)


#: CIS 1.1.x item -> the paths an audit rule must watch. ``DATA_ROOT`` stands for the daemon's
#: data root, known only at run time.
DATA_ROOT = "<data-root>"
_AUDITED: Mapping[str, tuple[str, ...]] = {
    "1.1.3": DOCKERD_BINS,
    "1.1.4": (CONTAINERD_DIR,),
    "1.1.5": (DATA_ROOT,),
    "1.1.6": (ETC_DOCKER,),
    "1.1.7": unit_paths("docker.service"),
    "1.1.8": (CONTAINERD_SOCK,),
    "1.1.9": unit_paths("docker.socket"),
    "1.1.10": (DEFAULT_DOCKER,),
    "1.1.11": (DAEMON_JSON,),
    "1.1.12": (CONTAINERD_CONFIG,),
    "1.1.13": (SYSCONFIG_DOCKER,),
    "1.1.14": ("/usr/bin/containerd",),
    "1.1.15": ("/usr/bin/containerd-shim",),
    "1.1.16": ("/usr/bin/containerd-shim-runc-v1",),
    "1.1.17": ("/usr/bin/containerd-shim-runc-v2",),
    "1.1.18": ("/usr/bin/runc",),
}

#: CIS 3.x item -> the fixed paths it checks. TLS items (3.9-3.14) take their path from the
#: daemon configuration (``TLS_ITEMS``), the docker socket items (3.15/3.16) from the audited
#: endpoint; 3.7/3.8 check the files below ``CERTS_DIR``.
_FILE_ITEMS: Mapping[str, tuple[str, ...]] = {
    "3.1": unit_paths("docker.service"),
    "3.2": unit_paths("docker.service"),
    "3.3": unit_paths("docker.socket"),
    "3.4": unit_paths("docker.socket"),
    "3.5": (ETC_DOCKER,),
    "3.6": (ETC_DOCKER,),
    "3.7": (CERTS_DIR,),
    "3.8": (CERTS_DIR,),
    "3.17": (DAEMON_JSON,),
    "3.18": (DAEMON_JSON,),
    "3.19": (DEFAULT_DOCKER,),
    "3.20": (DEFAULT_DOCKER,),
    "3.21": (SYSCONFIG_DOCKER,),
    "3.22": (SYSCONFIG_DOCKER,),
    "3.23": (CONTAINERD_SOCK,),
    "3.24": (CONTAINERD_SOCK,),
}

#: CIS 3.x TLS item -> the daemon.json key naming its file.
TLS_ITEMS: Mapping[str, str] = {
    "3.9": "tlscacert",
    "3.10": "tlscacert",
    "3.11": "tlscert",
    "3.12": "tlscert",
    "3.13": "tlskey",
    "3.14": "tlskey",
}

#: CIS 3.x docker socket items.
SOCKET_ITEMS: tuple[str, ...] = ("3.15", "3.16")


def key(path: str) -> str:
    """The ``HostFacts.files`` key of a host path: normalised when absolute, else as given."""
    if path.startswith("/"):
        norm = posixpath.normpath(path)
        # POSIX keeps a leading "//"; a host path never means anything different by it.
        return "/" + norm.lstrip("/")
    return path


def audited_paths(item: str, *, data_root: str = DEFAULT_DATA_ROOT) -> tuple[str, ...]:
    """Host paths an audit watch must cover for CIS item ``item`` (``"1.1.3"`` ...)."""
    return tuple(data_root if p == DATA_ROOT else p for p in _AUDITED[item])


def file_item_paths(
    item: str,
    *,
    socket_path: str = DEFAULT_DOCKER_SOCKET,
    tls: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """Host paths CIS item ``item`` (``"3.1"`` ...) checks.

    ``tls`` maps ``tlscacert``/``tlscert``/``tlskey`` to the configured paths; a TLS item
    without a configured path concerns no path. For 3.7/3.8 the result is ``CERTS_DIR``,
    standing for every file below it.
    """
    if item in TLS_ITEMS:
        path = (tls or {}).get(TLS_ITEMS[item])
        return (path,) if path else ()
    if item in SOCKET_ITEMS:
        return (socket_path,)
    return _FILE_ITEMS[item]


def collected_paths(
    *,
    data_root: str = DEFAULT_DATA_ROOT,
    socket_path: str | None = None,
    extra: Iterable[str] = (),
) -> tuple[str, ...]:
    """Every host path the collector stats (in a stable order, no duplicates).

    ``CERTS_DIR`` is included as a directory; the collector also walks it.
    """
    wanted: list[str] = []
    for item in _AUDITED:
        wanted.extend(audited_paths(item, data_root=data_root))
    for paths in _FILE_ITEMS.values():
        wanted.extend(paths)
    wanted.append(DEFAULT_DOCKER_SOCKET)
    if socket_path:
        wanted.append(socket_path)
    wanted.extend(extra)
    return tuple(dict.fromkeys(key(p) for p in wanted if p))
