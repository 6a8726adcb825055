"""IM002: images should come from trusted registries (CIS Docker 1.6.0, 4.2).

CIS 4.2 is a manual item; seawall answers it when the user lists the trusted origins in
``allowed_registries`` (``.seawall.yaml``). Every reference the engine records for the image
(``RepoTags`` and ``RepoDigests``) is normalised (``busybox`` -> ``docker.io/library/busybox``)
and must be admitted by an entry: a registry host (``registry.example.com``,
``127.0.0.1:5000``) or a repository prefix (``docker.io/library``). A digest is the strongest
evidence of origin (it is recorded on pull and push); a local tag counts too, because
``docker run`` on another host would pull that name from that registry. An image with no
reference at all (imported, built untagged, dangling) has no recorded origin: ``warn``.
"""

from __future__ import annotations

from seawall.audit.model import Verdict, image_rule, manual, warned
from seawall.audit.rules._imageref import origin_verdict, parse_references
from seawall.facts import AuditFacts, ImageFacts
from seawall.model import Severity

#: The manual reason when no allow-list is configured (shared with the docs).
NOT_CONFIGURED = "no allowed registries configured: set allowed_registries in .seawall.yaml to check image origins"


@image_rule(
    id="IM002",
    title="Image does not come from an allowed registry",
    severity=Severity.MEDIUM,
    rationale=(
        "An image from an unvetted registry or namespace may carry malicious or unmaintained "
        "software; restricting origins to registries you control or trust limits that supply "
        "chain risk."
    ),
    remediation=(
        "Pull images only from the registries listed in allowed_registries (mirror vetted "
        "upstream images into them), remove images of other origin, or add the origin to the "
        "allow-list if it is trusted."
    ),
    references=("CIS Docker Benchmark v1.6.0, 4.2",),
    tags=("supply-chain",),
)
def check(image: ImageFacts, facts: AuditFacts) -> Verdict:
    """Fail when a tag or digest of the image names a registry outside allowed_registries."""
    allowed = facts.settings.allowed_registries
    if allowed is None:
        return manual(NOT_CONFIGURED)
    refs = parse_references((*image.tags, *image.digests))
    if not refs:
        return warned(
            "origin unknown: the image has no tag or digest naming a registry",
            f"image {image.id.split(':', 1)[-1][:12]} (imported, built untagged or dangling)",
        )
    return origin_verdict("image", refs, allowed)
