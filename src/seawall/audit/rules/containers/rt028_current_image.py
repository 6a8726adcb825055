"""RT028: containers should run the image their tag currently points to (CIS Docker 1.6.0, 5.28).

CIS calls this manual, but the local engine answers the local half of it. ``Config.Image`` is
the reference the container was created from:

- a digest (``name@sha256:...``) or an image ID -> ``pass``: pinned, by design not "latest";
- a tag still carried by a local image with the container's image ID -> ``pass``;
- a tag now carried by a different local image -> ``warn``: the container runs an older image
  and needs re-creating;
- a tag no local image carries any more -> ``warn``: the image was untagged (typically replaced
  and pruned), so whether the container runs the current image cannot be confirmed.

Whether the local tag matches its registry is not checked (that needs the network). When the
image list could not be read the rule is ``error``, never a guess.
"""

from __future__ import annotations

import re

from seawall.audit.model import Verdict, container_rule, errored, passed, warned
from seawall.audit.rules._engine import unreachable
from seawall.audit.rules.containers._common import short_id
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity

_HEX = re.compile(r"[0-9a-f]{1,64}")
_DOCKER_HUB = ("docker.io/", "index.docker.io/", "registry-1.docker.io/")


def normalise_tag(ref: str) -> str:
    """``busybox`` -> ``busybox:latest``; ``docker.io/library/busybox`` -> ``busybox:latest``.

    Local ``RepoTags`` use Docker Hub's short form, so the reference is brought to it.
    """
    name = ref.strip()
    for hub in _DOCKER_HUB:
        if name.startswith(hub):
            name = name[len(hub) :]
            name = name.removeprefix("library/") if name.count("/") == 1 else name
            break
    # A ":" after the last "/" is a tag; one before it is a registry port (host:5000/app).
    if ":" not in name.rsplit("/", 1)[-1]:
        name += ":latest"
    return name


def is_pinned(ref: str, image_id: str) -> bool:
    """True when the reference is a digest or (a prefix of) the image ID."""
    if "@" in ref:
        return True
    bare = ref.removeprefix("sha256:")
    full = image_id.removeprefix("sha256:")
    return bool(_HEX.fullmatch(bare)) and bool(full) and full.startswith(bare)


@container_rule(
    id="RT028",
    title="Container runs an outdated image for its tag",
    severity=Severity.LOW,
    rationale=(
        "When a tag is updated (e.g. a patched base image is pulled or built) containers created "
        "earlier keep running the old image, with its old vulnerabilities, until re-created."
    ),
    remediation=(
        "Re-create the container from the current image (docker compose up -d, or docker rm "
        "and docker run again); pin images by digest when a fixed version is intended."
    ),
    references=("CIS Docker Benchmark v1.6.0, 5.28",),
    tags=("patching",),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Warn when the container's tag now names another local image, or no image at all."""
    ref = c.image
    if is_pinned(ref, c.image_id):
        return passed("container image is pinned by ID or digest", f"Config.Image={ref}")
    tag = normalise_tag(ref)
    if facts.engine is None:
        return unreachable(facts)
    # Without the image list (or this image's inspect) "tag not found" would be a false warn.
    for part in ("images", f"image/{short_id(c.image_id)}"):
        if part in facts.engine.errors:
            return errored(f"local images could not be read: {facts.engine.errors[part]}")
    images = facts.engine.images
    current = next((img for img in images if tag in img.tags), None)
    evidence = (f"Config.Image={ref}", f"container image {short_id(c.image_id)}")
    if current is None:
        return warned(
            f"{tag} is no longer on any local image: cannot confirm the container runs its "
            "current image",
            *evidence,
        )
    if current.id != c.image_id:
        return warned(
            f"container runs an older image than {tag} now points to",
            *evidence,
            f"{tag} -> {short_id(current.id)}",
        )
    return passed(f"container runs the image {tag} currently points to", *evidence)
