"""RT006: sensitive host directories must not be bind-mounted into containers (CIS Docker 1.6.0, 5.6).

A bind mount whose host source is ``/`` itself, or is (or lies below) ``/boot``, ``/dev``,
``/etc``, ``/lib``, ``/lib64``, ``/proc``, ``/sys``, ``/usr`` or ``/var/lib/docker``, fails.
Read-only does not make it safe (``/etc/shadow`` can still be read), so it fails too. Engine
volumes and tmpfs mounts are not host directories and are not considered.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, failed, passed
from seawall.audit.rules.containers._common import bind_mounts, clean_path, is_within, mount_str
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity

#: Host trees whose exposure leaks secrets or lets a container alter the host; checked with
#: their subpaths. ``/`` is matched only exactly (everything is below it).
SENSITIVE_TREES: tuple[str, ...] = (
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib64",
    "/proc",
    "/sys",
    "/usr",
    "/var/lib/docker",
)


def is_sensitive(source: str) -> bool:
    """True when a host path is ``/`` or inside one of :data:`SENSITIVE_TREES`."""
    path = clean_path(source)
    return path == "/" or any(is_within(path, tree) for tree in SENSITIVE_TREES)


@container_rule(
    id="RT006",
    title="Sensitive host directory is mounted into the container",
    severity=Severity.HIGH,
    rationale=(
        "Mounting /, /etc, /dev, /proc, /sys, /boot, system libraries or Docker's own state "
        "exposes host secrets (even read-only: /etc/shadow, keys) and, writable, lets the "
        "container change how the host boots, authenticates or runs."
    ),
    remediation=(
        "Remove the bind mount; share only the specific, non-sensitive data the workload needs, "
        "preferably through a named volume."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.6",),
    tags=("isolation", "mounts"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail for every bind mount of a sensitive host path, read-only or not."""
    hits = [m for m in bind_mounts(c) if is_sensitive(m.source)]
    if hits:
        sources = ", ".join(dict.fromkeys(m.source for m in hits))
        return failed(f"sensitive host path mounted: {sources}", *(mount_str(m) for m in hits))
    return passed("no sensitive host directory is mounted")
