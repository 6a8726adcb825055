"""Package URLs (purl spec: pkg:type/namespace/name@version?qualifiers#subpath).

Components are percent-encoded as the spec requires; qualifiers are sorted by key and empty
values dropped, so the same package always gets the same purl.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote


def _enc(text: str, safe: str = "") -> str:
    return quote(text, safe=safe)


def make_purl(
    ptype: str,
    name: str,
    version: str | None = None,
    *,
    namespace: str | None = None,
    qualifiers: Mapping[str, str | None] | None = None,
    subpath: str | None = None,
) -> str:
    """Build a canonical purl string.

    ``namespace`` may contain ``/`` separated segments (each encoded); ``name`` is encoded as
    one segment. The type is lower-cased as the spec requires.
    """
    out = f"pkg:{ptype.lower()}/"
    if namespace:
        out += "/".join(_enc(seg) for seg in namespace.strip("/").split("/") if seg) + "/"
    out += _enc(name)
    if version:
        out += "@" + _enc(version, safe="")
    quals = {k.lower(): v for k, v in (qualifiers or {}).items() if v}
    if quals:
        out += "?" + "&".join(f"{k}={_enc(str(v), safe='/:')}" for k, v in sorted(quals.items()))
    if subpath:
        out += "#" + "/".join(
            _enc(seg) for seg in subpath.strip("/").split("/") if seg not in ("", ".", "..")
        )
    return out
