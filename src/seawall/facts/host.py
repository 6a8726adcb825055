"""HostFacts: what the host sections (CIS 1 and 3) need, read through ``--host-root``.

Values only; the collector lives in ``facts/collect_host.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FileStat:
    """Ownership and mode of one host path (the path as seen on the host, not under the root).

    Symlinks are followed inside the host root only (as in a chroot); the values describe the
    final object and ``resolved`` names it when it differs from ``path``. ``kind`` is ``file``,
    ``dir``, ``socket``, ``symlink`` (a dangling link: ``exists`` is false) or ``other``.
    ``mode`` holds the permission bits only (``stat.S_IMODE``: setuid/setgid/sticky included).
    ``error`` is set when the path could not be examined (e.g. permission denied); ``exists``
    is then not meaningful.
    """

    path: str
    exists: bool
    kind: str = ""
    uid: int | None = None
    gid: int | None = None
    mode: int | None = None
    owner: str | None = None
    group: str | None = None
    error: str | None = None
    resolved: str | None = None


@dataclass(frozen=True, slots=True)
class MountPoint:
    """One line of the host's mount table (``options`` as written, comma-separated)."""

    mountpoint: str
    device: str
    fstype: str
    options: str = ""


@dataclass(frozen=True, slots=True)
class HostFacts:
    """Host configuration facts.

    ``live`` is true when ``root`` is ``/``: only then are live-kernel sources (``/proc``,
    ``auditctl``) used. Optional parts are ``None`` when unreadable, with a reason in ``errors``
    keyed by the part's name (``audit_rules``, ``mounts``, ``groups`` ...). ``files`` is keyed
    by host path (see ``facts.host_paths.key``). ``data_root`` is the Docker data root the
    collector examined; ``docker_gid`` the gid of the ``docker`` group (``None`` if none).
    """

    root: str
    live: bool
    files: dict[str, FileStat] = field(default_factory=dict)
    audit_rules: tuple[str, ...] | None = None
    audit_source: str = ""
    mounts: tuple[MountPoint, ...] | None = None
    docker_group_members: tuple[str, ...] | None = None
    kernel: str | None = None
    os_release: dict[str, str] = field(default_factory=dict)
    apparmor_enabled: bool | None = None
    selinux_enabled: bool | None = None
    #: DOCKER_CONTENT_TRUST as set for the auditing process (CIS 4.5 is a client setting).
    content_trust: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    data_root: str = "/var/lib/docker"
    docker_gid: int | None = None
