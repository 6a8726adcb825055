"""Image references: parse ``[registry/]repository[:tag][@digest]`` and match allow-lists.

Pure helpers shared by IM002 (trusted base images) and LC005 (containers from allowed
registries), down to the verdict both give (``origin_verdict``). Normalisation follows the Docker reference grammar (distribution/reference):

- the first path component is a registry host only when it contains ``.`` or ``:`` or is
  ``localhost``; otherwise the image lives on Docker Hub (``docker.io``);
- a single-component Docker Hub name gets the ``library/`` namespace (``busybox`` ->
  ``docker.io/library/busybox``);
- ``index.docker.io`` and ``registry-1.docker.io`` are spellings of ``docker.io``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from seawall.audit.model import Verdict, failed, passed

#: The canonical name of Docker Hub, and the other spellings Docker accepts for it.
DOCKER_HUB = "docker.io"
_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})

# distribution/reference: path components are lower-case alphanumerics joined by
# separators ('.', '_', '__', '-'); a tag is at most 128 word characters, '.' and '-'.
_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")
_HOST = re.compile(r"^(?:[a-zA-Z0-9.-]+|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$")
#: An image ID as users type it: ``sha256:<64 hex>`` or the bare 64 hex digits.
_IMAGE_ID = re.compile(r"^(?:sha256:)?[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A parsed, normalised image reference.

    ``registry`` is the host (``docker.io``, ``localhost:5000``), ``repository`` the path on
    it (``library/busybox``); ``tag`` and ``digest`` are empty when absent.
    """

    registry: str
    repository: str
    tag: str = ""
    digest: str = ""

    @property
    def name(self) -> str:
        """Fully qualified repository name (``docker.io/library/busybox``)."""
        return f"{self.registry}/{self.repository}"


def is_image_id(text: str) -> bool:
    """True for a full image ID (``sha256:<hex>`` or 64 hex digits), which names no registry."""
    return bool(_IMAGE_ID.match(text.strip()))


def _is_host(component: str) -> bool:
    return ("." in component or ":" in component or component == "localhost") and bool(
        _HOST.match(component)
    )


def parse_reference(text: str) -> ImageRef | None:
    """Parse an image reference; ``None`` when it is not one (empty, an image ID, malformed).

    ``<none>:<none>`` and ``<none>@<none>`` (what the engine shows for untagged images) are
    not references either.
    """
    ref = text.strip()
    if not ref or is_image_id(ref) or ref.startswith("<none>"):
        return None
    name, _, digest = ref.partition("@")
    if digest and not _DIGEST.match(digest):
        return None
    # A ':' after the last '/' separates the tag; one before it belongs to a registry port.
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = ""
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
        if not _TAG.match(tag):
            return None
    first, sep, rest = name.partition("/")
    if sep and _is_host(first):
        registry, path = first.lower(), rest
    else:
        registry, path = DOCKER_HUB, name
    if registry in _HUB_ALIASES:
        registry = DOCKER_HUB
        if "/" not in path:
            path = f"library/{path}"
    if not path or not all(_COMPONENT.match(c) for c in path.split("/")):
        return None
    return ImageRef(registry=registry, repository=path, tag=tag, digest=digest)


def parse_references(texts: Iterable[str]) -> list[tuple[str, ImageRef]]:
    """``(as written, parsed)`` for each of ``texts`` that is a reference, in order."""
    out = []
    for text in texts:
        ref = parse_reference(text)
        if ref is not None:
            out.append((text, ref))
    return out


def first_per_name(refs: Iterable[tuple[str, ImageRef]]) -> list[tuple[str, ImageRef]]:
    """``refs`` keeping the first entry of each repository (a tag and a digest of one name)."""
    seen: dict[str, tuple[str, ImageRef]] = {}
    for text, ref in refs:
        seen.setdefault(ref.name, (text, ref))
    return list(seen.values())


def normalise_allowed(entry: str) -> str:
    """Normalise one allow-list entry to ``host`` or ``host/path/prefix`` (lower case).

    An entry without ``/`` names a registry host (``registry.example.com``, ``127.0.0.1:5000``,
    ``docker.io``). An entry with ``/`` is a repository prefix; when its first component is
    not a host it is on Docker Hub (``myorg/app`` -> ``docker.io/myorg/app``).
    """
    e = entry.strip().strip("/").lower()
    if "/" not in e:
        return DOCKER_HUB if e in _HUB_ALIASES else e
    first, _, rest = e.partition("/")
    if first in _HUB_ALIASES:
        return f"{DOCKER_HUB}/{rest}"
    if _is_host(first):
        return e
    return f"{DOCKER_HUB}/{e}"


def allowed_by(ref: ImageRef, allowed: Iterable[str]) -> str | None:
    """The allow-list entry that admits ``ref`` (as written by the user), or ``None``.

    A host entry admits every repository on that host; a prefix entry admits the repository
    it names and everything below it, on whole path components (``docker.io/library`` admits
    ``docker.io/library/busybox`` but not ``docker.io/library-x/y``).
    """
    full = ref.name
    for entry in allowed:
        norm = normalise_allowed(entry)
        if not norm:
            continue
        if "/" not in norm:
            if ref.registry == norm:
                return entry
        elif full == norm or full.startswith(f"{norm}/"):
            return entry
    return None


def origin_verdict(
    subject: str, refs: Sequence[tuple[str, ImageRef]], allowed: Sequence[str]
) -> Verdict:
    """Fail naming each repository in ``refs`` that ``allowed`` does not admit, else pass.

    ``subject`` starts the message (``image``, ``container image``). One line per repository:
    a tag and a digest of the same repository say the same thing.
    """
    unique = first_per_name(refs)
    bad = [f"{ref.name} (from {text})" for text, ref in unique if allowed_by(ref, allowed) is None]
    if bad:
        listed = ", ".join(allowed) or "empty list"
        return failed(
            f"{subject} comes from a registry outside allowed_registries ({listed})", *bad
        )
    return passed(
        f"{subject} comes from an allowed registry",
        *(f"{ref.name} allowed by {allowed_by(ref, allowed)}" for _, ref in unique),
    )
