"""HO001: the Docker data root is on its own filesystem (CIS Docker 1.6.0, 1.1.1).

Decision: what CIS protects is the root filesystem, which a runaway container must not fill. So
the rule looks up the mount that holds the data root (the longest mount point above it, from
``/proc/self/mounts`` when live, else the host root's ``/etc/fstab``) and passes when it is not
``/``: a mount at the data root itself, or a dedicated parent such as ``/var/lib``. It fails
when that mount is ``/``, and when it is only a bind mount or subvolume of the root filesystem's
device (same block device as ``/``), which shares the root's free space.
"""

from __future__ import annotations

from collections.abc import Sequence

from seawall.audit.model import Verdict, errored, failed, host_rule, passed
from seawall.audit.rules.host._common import data_root, loc
from seawall.facts import AuditFacts
from seawall.facts.host import MountPoint
from seawall.facts.host_paths import key
from seawall.model import Severity


def covering_mount(mounts: Sequence[MountPoint], path: str) -> MountPoint | None:
    """The mount holding ``path``: the longest mount point above it (the last one listed wins)."""
    path = key(path)
    best: MountPoint | None = None
    for m in mounts:
        mp = m.mountpoint
        if (path == mp or mp == "/" or path.startswith(mp + "/")) and (
            best is None or len(mp) >= len(best.mountpoint)
        ):
            best = m
    return best


def _show(m: MountPoint) -> str:
    return f"{m.device} on {m.mountpoint} ({m.fstype})"


def _block_device(device: str) -> bool:
    # Only real device names identify a filesystem; "tmpfs", "overlay", "none" are shared labels.
    return device.startswith(("/dev/", "UUID=", "LABEL=", "PARTUUID=", "PARTLABEL="))


def _judge(mounts: Sequence[MountPoint], root_dir: str) -> Verdict:
    m = covering_mount(mounts, root_dir)
    if m is not None and "bind" in m.options.split(",") and m.device.startswith("/"):
        # fstab bind mount: the data lives wherever the bind source lives.
        m = covering_mount(mounts, m.device)
    if m is None or m.mountpoint == "/":
        shown = _show(m) if m is not None else "no mount entry covers it"
        return failed(f"{root_dir} is on the root filesystem", shown)
    root = covering_mount(mounts, "/")
    if (
        root is not None
        and root.mountpoint == "/"
        and _block_device(m.device)
        and m.device == root.device
    ):
        return failed(
            f"{root_dir} is mounted from {m.device}, the same device as /, not a separate partition",
            _show(m),
            _show(root),
        )
    where = (
        "its own mount point"
        if m.mountpoint == root_dir
        else f"the separate filesystem at {m.mountpoint}"
    )
    return passed(f"{root_dir} is on {where}", _show(m))


@host_rule(
    id="HO001",
    title="Docker data root is on a separate partition",
    severity=Severity.LOW,
    rationale=(
        "Images, container layers, volumes and logs grow in the data root. On the root "
        "filesystem, a container that fills the disk takes the host down with it; on its own "
        "partition only Docker runs out of space."
    ),
    remediation=(
        "Create a dedicated partition or logical volume, mount it at the data root "
        "(/var/lib/docker by default) through /etc/fstab, move the existing data with the "
        "daemon stopped, and start Docker again."
    ),
    references=("CIS Docker Benchmark v1.6.0, 1.1.1",),
    tags=("availability",),
)
def check(facts: AuditFacts) -> Verdict:
    """Fail when the mount holding the data root is the root filesystem (or its device)."""
    root_dir = data_root(facts)
    st = facts.host.files.get(root_dir)
    if st is not None and st.exists and st.resolved:
        root_dir = st.resolved
    mounts = facts.host.mounts
    if mounts is None:
        why = facts.host.errors.get("mounts", "no reason recorded")
        return errored(f"mount table unreadable: {why}", target=root_dir, location=loc(root_dir))
    v = _judge(mounts, root_dir)
    return Verdict(v.outcome, v.message, v.evidence, target=root_dir, location=loc(root_dir))
