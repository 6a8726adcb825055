"""LC001: containers should not drift from their image (immutable containers; beyond CIS).

Reads the container's filesystem changes (``GET /containers/{id}/changes``: ``A`` added,
``C`` changed, ``D`` deleted, relative to the image). Any change fails, listing up to 20.

Ignored, because the engine itself creates them, not the workload: the directories it makes
for a mount whose destination is not in the image, i.e. ``A`` of a mount destination or of a
directory above one, and ``C`` of a directory above one (``-v data:/srv/data`` on an image
without ``/srv`` shows ``A /srv`` and ``A /srv/data``). Nothing else is ignored: ``/etc/hosts``,
``/etc/resolv.conf`` and ``/etc/hostname`` are bind mounts in the engine's init layer and never
appear. Known limit: a working directory set with ``docker run -w`` that is not in the image is
also created by the engine and is reported.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, errored, failed, passed
from seawall.audit.rules._evidence import capped
from seawall.facts import AuditFacts, ContainerFacts
from seawall.facts.container import Change
from seawall.model import Severity

#: How many changes are listed as evidence; the rest are counted.


def engine_created(change: Change, mount_points: frozenset[str]) -> bool:
    """True for a change the engine made to create a mount point (see the module docstring)."""
    path = change.path.rstrip("/") or "/"
    if change.kind == "A" and path in mount_points:
        return True
    above = any(mp.startswith(f"{path}/") for mp in mount_points)
    return above and change.kind in ("A", "C")


@container_rule(
    id="LC001",
    title="Container filesystem drifted from its image",
    severity=Severity.MEDIUM,
    rationale=(
        "A container should run exactly what its image contains; files added, changed or "
        "deleted at run time (outside volumes) are unreviewed software or configuration, lost "
        "on re-creation, and a common trace of an intrusion (dropped tools, edited "
        "/etc/passwd)."
    ),
    remediation=(
        "Investigate the changes (docker diff <container>); bake needed changes into the image, "
        "put data in volumes, and run containers with --read-only (plus tmpfs for scratch "
        "space) so drift cannot happen."
    ),
    references=(
        "Beyond CIS: NIST SP 800-190, Application Container Security Guide (immutable containers)",
    ),
    tags=("lifecycle", "immutability"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail listing the filesystem changes relative to the image, engine-made mount points aside."""
    if c.changes is None:
        return errored(f"filesystem changes not readable: {c.changes_error or 'unknown error'}")
    mount_points = frozenset(m.destination.rstrip("/") for m in c.mounts if m.destination)
    drift = [ch for ch in c.changes if not engine_created(ch, mount_points)]
    if not drift:
        return passed("container filesystem matches its image (outside volumes and mounts)")
    return failed(
        f"{len(drift)} file(s) added, changed or deleted since the container was created",
        *capped([f"{ch.kind} {ch.path}" for ch in drift]),
    )
