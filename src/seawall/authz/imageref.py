"""Docker image references, read the way the engine reads them, and registry allow-lists.

The grammar and normalisation follow distribution's ``reference`` package (as vendored by
moby), so every spelling of one image lands on one ``ImageRef``:

- ``name[:tag][@digest]``; the first ``/``-separated component is a registry domain when it
  contains ``.`` or ``:``, is ``localhost``, or has an upper-case letter; otherwise the image is
  on Docker Hub, ``docker.io``;
- ``index.docker.io`` (and ``registry-1.docker.io``, the host Hub's API really lives on) are
  ``docker.io``; a one-component Hub name gets ``library/`` (``busybox`` is
  ``docker.io/library/busybox``);
- the repository path must be lower case (``docker.io/Library/x`` is refused by the engine,
  and here);
- a 64-hex string, ``sha256:<hex>``, and a bare lower-case hex name (the engine falls back to an
  image-ID-prefix search when no tag of that name exists) identify a local image, not a
  registry: a registry allow-list cannot vouch for them.

``allowed`` matches a reference against allow-list entries: ``host[:port]`` matches the
domain exactly (``127.0.0.1:5000`` does not allow ``127.0.0.1:5001`` nor ``localhost:5000``),
``host[:port]/path`` matches that repository path prefix component-wise.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_DOMAIN = "docker.io"
#: Other names of Docker Hub's registry.
HUB_ALIASES = frozenset({"index.docker.io", "registry-1.docker.io"})
MAX_NAME = 255
_LIBRARY_DOMAINS = frozenset({DEFAULT_DOMAIN, "index.docker.io"})

_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_PATH = rf"{_COMPONENT}(?:/{_COMPONENT})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])"
_DOMAIN = rf"{_HOST}(?::[0-9]+)?"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(
    rf"(?:(?P<domain>{_DOMAIN})/)?(?P<path>{_PATH})(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?"
)
_FULL_ID = re.compile(r"(?:sha256:)?[0-9a-f]{64}")
_SHORT_ID = re.compile(r"(?:sha256:)?[0-9a-f]+")


class RefError(ValueError):
    """Not a valid image reference; ``str()`` is a one-line reason."""


class ImageIdError(RefError):
    """An image ID (or a string the engine may read as an ID prefix), not a registry reference."""


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A normalised image reference: ``docker.io`` / ``library/busybox`` / ``1.36`` / ``None``."""

    domain: str
    path: str
    tag: str | None = None
    digest: str | None = None

    @property
    def name(self) -> str:
        """``domain/path``, the fully qualified repository name."""
        return f"{self.domain}/{self.path}"


def canonical_domain(domain: str) -> str:
    """Lower case, with every Docker Hub alias mapped to ``docker.io``."""
    lowered = domain.lower()
    return DEFAULT_DOMAIN if lowered in HUB_ALIASES else lowered


def parse(ref: str) -> ImageRef:
    """Parse and normalise ``ref``; raise ``ImageIdError`` for IDs, ``RefError`` otherwise."""
    if not ref.isascii() or not ref or len(ref) > 2 * MAX_NAME:
        raise RefError(f"{ref[:80]!r} is not a valid image reference")
    if _FULL_ID.fullmatch(ref) or _SHORT_ID.fullmatch(ref):
        raise ImageIdError(f"{ref!r} is an image ID, not a reference to a registry")
    domain, remainder = _split_domain(ref)
    repository = remainder.split(":", 1)[0].split("@", 1)[0]
    if repository.lower() != repository:
        raise RefError(f"{ref!r}: the repository name must be lower case")
    match = _REFERENCE.fullmatch(f"{domain}/{remainder}")
    if match is None or match["domain"] is None:
        raise RefError(f"{ref!r} is not a valid image reference")
    canonical = canonical_domain(match["domain"])
    path = match["path"]
    if domain in _LIBRARY_DOMAINS and "/" not in path:
        # Only these spellings get "library/" from the engine; registry-1.docker.io/x keeps x.
        path = f"library/{path}"
    if len(f"{canonical}/{path}") > MAX_NAME:
        raise RefError(f"{ref[:80]!r}: the repository name is longer than {MAX_NAME} characters")
    return ImageRef(canonical, path, match["tag"], match["digest"])


def _split_domain(ref: str) -> tuple[str, str]:
    """distribution's ``splitDockerDomain``: which part of ``ref`` names the registry."""
    first, slash, rest = ref.partition("/")
    is_domain = slash and (
        "." in first or ":" in first or first == "localhost" or first.lower() != first
    )
    if not is_domain:
        return DEFAULT_DOMAIN, ref
    return first, rest


def matches(ref: ImageRef, entry: str) -> bool:
    """True when allow-list ``entry`` (``host[:port][/path]``) covers ``ref``."""
    domain, _, prefix = entry.partition("/")
    if canonical_domain(domain) != ref.domain:
        return False
    prefix = prefix.strip("/")
    return not prefix or ref.path == prefix or ref.path.startswith(prefix + "/")


def refusal(ref: str, registries: Iterable[str]) -> str | None:
    """Why ``ref`` may not be used under an allow-list of ``registries``; ``None`` when it may."""
    return _refusal(ref, tuple(registries))


@functools.lru_cache(maxsize=4096)
def _refusal(ref: str, entries: tuple[str, ...]) -> str | None:
    """``refusal`` on hashable arguments, cached: a policy asks about the same images again."""
    try:
        parsed = parse(ref)
    except ImageIdError as exc:
        return f"{exc}; an allowed-registries rule cannot tell where it came from, use its name"
    except RefError as exc:
        return str(exc)
    if any(matches(parsed, entry) for entry in entries):
        return None
    allowed_list = ", ".join(entries) or "none"
    return f"image {ref!r} is {parsed.name}, not from an allowed registry ({allowed_list})"


def allowed(ref: str, registries: Iterable[str]) -> bool:
    """True when ``ref`` is a valid reference from one of ``registries``."""
    return refusal(ref, registries) is None
