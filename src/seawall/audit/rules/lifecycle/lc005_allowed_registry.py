"""LC005: containers should run images from allowed registries (beyond CIS; complements 4.2).

The container's image reference (``Config.Image``, what it was created from) must be admitted
by ``settings.allowed_registries`` (same matching as IM002: a registry host or a repository
prefix). When the container was created from an image ID, the tags and digests of that image
(found by the container's image ID) are used instead; with none of those its origin is unknown
(``warn``). No allow-list configured: ``skip``.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, container_rule, skipped, warned
from seawall.audit.rules._imageref import (
    ImageRef,
    is_image_id,
    origin_verdict,
    parse_references,
)
from seawall.facts import AuditFacts, ContainerFacts
from seawall.model import Severity


def _short_hex(text: str) -> str:
    return text.split(":", 1)[-1]


def _created_from_id(c: ContainerFacts) -> bool:
    ref = c.image.strip()
    if is_image_id(ref):
        return True
    # A short ID (``docker run 4f1a2b3c``) is also a valid repository name; it is an ID when
    # it is a prefix of the image the container actually uses.
    hexpart = _short_hex(ref)
    return len(hexpart) >= 4 and _short_hex(c.image_id).startswith(hexpart)


def container_refs(c: ContainerFacts, facts: AuditFacts) -> list[tuple[str, ImageRef]]:
    """``(as recorded, parsed)`` references naming where the container's image comes from."""
    if not _created_from_id(c):
        return parse_references((c.image,))
    images = facts.engine.images if facts.engine is not None else ()
    image = next((i for i in images if i.id == c.image_id), None)
    return parse_references((*image.tags, *image.digests) if image is not None else ())


@container_rule(
    id="LC005",
    title="Container runs an image from a registry that is not allowed",
    severity=Severity.MEDIUM,
    rationale=(
        "A container started from an image of unvetted origin runs software nobody approved; "
        "the allow-list keeps running workloads to the registries you control or trust."
    ),
    remediation=(
        "Re-create the container from an image in an allowed registry (mirror the upstream "
        "image there), or add its origin to allowed_registries if it is trusted."
    ),
    references=("Beyond CIS: complements CIS Docker Benchmark v1.6.0, 4.2",),
    tags=("lifecycle", "supply-chain"),
)
def check(c: ContainerFacts, facts: AuditFacts) -> Verdict:
    """Fail when the container's image reference is outside allowed_registries."""
    allowed = facts.settings.allowed_registries
    if allowed is None:
        return skipped("no allowed_registries configured")
    refs = container_refs(c, facts)
    if not refs:
        return warned(
            "origin unknown: the container's image has no reference naming a registry",
            f"Config.Image={c.image}",
        )
    return origin_verdict("container image", refs, allowed)
