"""npm naming shared by the npm, yarn and pnpm analyzers: purls, licenses, name@version keys."""

from __future__ import annotations

from seawall.inventory.analyzers._lang import Collector, as_dict, as_list, clean, clean_licenses
from seawall.inventory.purl import make_purl


def npm_purl(name: str, version: str) -> str | None:
    """``pkg:npm/%40scope/name@version`` (purl spec: the scope is the namespace), or None
    when ``name`` is not a valid npm package name shape."""
    if name.startswith("@"):
        scope, sep, rest = name.partition("/")
        if not sep or len(scope) < 2 or not rest or "/" in rest:
            return None
        return make_purl("npm", rest, version, namespace=scope)
    if "/" in name:
        return None
    return make_purl("npm", name, version)


def split_at_version(spec: str) -> tuple[str, str] | None:
    """Split ``name@rest`` (``@scope/name@rest`` too) at the ``@`` that ends the name."""
    at = spec.find("@", 1)
    if at < 0:
        return None
    return spec[:at], spec[at + 1 :]


def licenses_of(entry: object) -> tuple[str, ...]:
    """Licenses of a package.json or lock entry: ``license`` (string or the old
    ``{"type": ...}`` object) or the deprecated ``licenses`` list."""
    doc = as_dict(entry)
    items = [doc.get("license"), *as_list(doc.get("licenses"))]
    return clean_licenses(as_dict(i).get("type") if isinstance(i, dict) else i for i in items)


def add_npm(out: Collector, name: object, version: object, licenses: tuple[str, ...] = ()) -> bool:
    """Add one npm package after checking its name and version; note and skip bad ones."""
    clean_name, clean_version = clean(name), clean(version)
    purl = npm_purl(clean_name, clean_version) if clean_name and clean_version else None
    if clean_name is None or clean_version is None or purl is None:
        out.note(f"entry without a usable name and version ({str(name)[:60]!r}); skipped")
        return False
    out.add(clean_name, clean_version, purl, licenses=licenses)
    return True
