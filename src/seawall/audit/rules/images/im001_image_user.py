"""IM001: an image should name a non-root user to run as (CIS Docker 1.6.0, 4.1).

Reads the image config's ``User`` (set by ``USER`` in the Dockerfile). Empty, ``root`` or UID
``0`` (with any group: ``0:0``, ``root:root``, ``0:1000``) means containers from the image run
as root unless the operator overrides it with ``--user``; that override is a container setting
and is not what CIS 4.1 asks about.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, failed, image_rule, passed
from seawall.facts import AuditFacts, ImageFacts
from seawall.model import Severity


def runs_as_root(user: str) -> bool:
    """True when a ``USER`` value (``name``, ``uid``, ``name:group``) selects root."""
    name = user.strip().split(":", 1)[0].strip()
    return name in ("", "root") or (name.isdigit() and int(name) == 0)


@image_rule(
    id="IM001",
    title="Image runs as root (no non-root USER)",
    severity=Severity.MEDIUM,
    rationale=(
        "Without a USER instruction every container started from the image runs its process "
        "as root; a compromise of the application then starts with root inside the container, "
        "one kernel or runtime bug away from root on the host."
    ),
    remediation=(
        "Create an unprivileged user in the Dockerfile (e.g. RUN useradd -r -u 10001 app) and "
        "switch to it with USER 10001 before CMD/ENTRYPOINT."
    ),
    references=("CIS Docker Benchmark v1.6.0, 4.1",),
    tags=("least-privilege",),
)
def check(image: ImageFacts, facts: AuditFacts) -> Verdict:
    """Fail when the image config's User is empty or selects UID 0."""
    shown = f"User={image.user}" if image.user else "User is empty (defaults to root)"
    if runs_as_root(image.user):
        return failed("image runs as root: no non-root USER is set", shown)
    return passed("image runs as a non-root user", shown)
