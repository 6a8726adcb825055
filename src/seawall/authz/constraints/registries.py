"""Image references only from allowed registries (``Constraints.registries``; ``None`` = any).

Used for a create's ``Image``, image mounts, a service's ``ContainerSpec.Image``, the pull,
push, tag, import and commit names, and plugin ``remote`` references. Image IDs are refused
under an allow-list: an ID says nothing about where the image came from.
"""

from __future__ import annotations

from seawall.authz import imageref
from seawall.authz.constraints import Violation
from seawall.authz.policy import Constraints


def check_ref(ref: str, where: str, constraints: Constraints) -> Violation | None:
    """The image reference ``ref`` named at ``where`` must come from an allowed registry."""
    if constraints.registries is None:
        return None
    if not ref:
        return Violation("registries", f"{where} names no image, so its registry is unknown")
    refusal = imageref.refusal(ref, constraints.registries)
    if refusal is None:
        return None
    return Violation("registries", f"{where}: {refusal}")
