"""HostFacts: what the host sections (CIS 1 and 3) need, read through ``--host-root``.

Values only; the collector lives in ``facts/collect_host.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FileStat:
    """Ownership and mode of one host path (the path as seen on the host, not under the root).

    ``kind`` is ``file``, ``dir``, ``socket``, ``symlink`` or ``other``. ``error`` is set when
    the path exists but could not be read (e.g. permission denied).
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


@dataclass(frozen=True, slots=True)
class MountPoint:
    """One line of the host's mount table."""

    mountpoint: str
    device: str
    fstype: str


@dataclass(frozen=True, slots=True)
class HostFacts:
    """Host configuration facts.

    ``live`` is true when ``root`` is ``/``: only then are live-kernel sources (``/proc``,
    ``auditctl``) used. Optional parts are ``None`` when unreadable, with a reason in ``errors``
    keyed by the part's name (``audit_rules``, ``mounts``, ``groups`` ...).
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
