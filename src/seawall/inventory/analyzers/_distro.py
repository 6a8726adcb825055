"""Shared helpers of the OS package analyzers: epochs, purls and purl namespaces.

The purl shapes (purl spec, types ``deb``, ``apk`` and ``rpm``):

- ``pkg:deb/<os id>/NAME@VERSION?arch=A&distro=<os id>-<version id>&epoch=N``
- ``pkg:apk/<os id>/NAME@VERSION?arch=A&distro=...``
- ``pkg:rpm/<vendor>/NAME@VERSION-RELEASE?arch=A&distro=...&epoch=N``

The purl version never carries the epoch (it is the ``epoch`` qualifier, present only when
non-zero), while ``Package.version`` keeps it exactly as the package manager prints it
(``1:2.0-1``), since that is the string distro advisories compare. An analyzer sees one file
and does not know the distribution, so it uses a default namespace (``debian``, ``alpine``, a
vendor guess for rpm) and no ``distro`` qualifier; ``os_release.apply_os`` rewrites both once
the pipeline knows the image's ``OSInfo``.
"""

from __future__ import annotations

import re

from seawall.inventory.purl import make_purl

_EPOCH = re.compile(r"^([0-9]{1,9}):(.+)$")

#: rpm VENDOR substrings -> purl namespace (checked in order, lower-cased); else ``redhat``.
_RPM_VENDORS: tuple[tuple[str, str], ...] = (
    ("red hat", "redhat"),
    ("fedora", "fedora"),
    ("centos", "centos"),
    ("rocky", "rocky"),
    ("alma", "almalinux"),
    ("amazon", "amazon"),
    ("oracle", "oracle"),
    ("opensuse", "opensuse"),
    ("suse", "suse"),
    ("microsoft", "azurelinux"),
)

#: os-release IDs whose purl namespace differs from the ID itself (rpm world).
_OS_NAMESPACES = {"rhel": "redhat", "amzn": "amazon", "ol": "oracle", "sles": "suse"}


def split_epoch(version: str) -> tuple[int | None, str]:
    """``"1:2.0-1"`` -> ``(1, "2.0-1")``; a version without a numeric epoch -> ``(None, version)``."""
    m = _EPOCH.match(version)
    if m is None:
        return None, version
    return int(m.group(1)), m.group(2)


def os_purl(
    ecosystem: str,
    name: str,
    version: str,
    *,
    namespace: str,
    arch: str | None,
    epoch: int | None = None,
    distro: str | None = None,
) -> str:
    """The purl of an OS package; ``version`` as in ``Package.version`` (epoch is stripped)."""
    _, bare = split_epoch(version) if epoch is not None else (None, version)
    quals: dict[str, str | None] = {"arch": arch or None, "distro": distro}
    if epoch:
        quals["epoch"] = str(epoch)
    return make_purl(ecosystem, name, bare, namespace=namespace, qualifiers=quals)


def rpm_vendor_namespace(vendor: str | None) -> str:
    """A purl namespace guessed from an rpm VENDOR tag (``redhat`` when unknown)."""
    low = (vendor or "").lower()
    for needle, namespace in _RPM_VENDORS:
        if needle in low:
            return namespace
    return "redhat"


def os_namespace(os_id: str) -> str:
    """The purl namespace for packages of the distribution with this os-release ID."""
    if os_id.startswith("opensuse"):
        return "opensuse"
    return _OS_NAMESPACES.get(os_id, os_id)
