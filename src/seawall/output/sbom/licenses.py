"""License strings found by analyzers -> SPDX identifiers and expressions (SPDX 2.3 Annex D).

Analyzers report licenses as written in the package (``MIT``, ``Apache-2.0 OR MIT``,
``GPL-2+``, a whole license text...). A string is used as SPDX data only when it is a listed
SPDX license identifier or a valid expression made of listed identifiers (``+``, ``WITH`` a
listed exception, ``AND``, ``OR``, parentheses); identifiers are matched case-insensitively
and written in their canonical case. Anything else stays free text: a CycloneDX
``license.name``, or an SPDX ``LicenseRef-`` declared with the original text.

The identifier list (``spdx-ids.txt``) is the enumeration of the CycloneDX ``spdx.schema.json``
that the tests validate against, so every ``license.id`` written is schema-valid.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from seawall.output.sbom.base import slug

#: Longer strings are never parsed as expressions (a whole license text is not one).
MAX_EXPRESSION = 1000
#: Deeper nesting is not an expression anyone writes; refusing it bounds the recursion.
MAX_DEPTH = 32

_TOKEN = re.compile(r"\(|\)|[^\s()]+")


@dataclass(frozen=True, slots=True)
class SpdxIds:
    """Listed SPDX identifiers, keyed by their lower-case form."""

    licenses: dict[str, str]
    exceptions: dict[str, str]


@cache
def spdx_ids() -> SpdxIds:
    """The packaged identifier lists (read once)."""
    text = resources.files("seawall.output.sbom").joinpath("spdx-ids.txt").read_text("utf-8")
    licenses: dict[str, str] = {}
    exceptions: dict[str, str] = {}
    target = licenses
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line in ("[licenses]", "[exceptions]"):
            target = licenses if line == "[licenses]" else exceptions
            continue
        target[line.lower()] = line
    return SpdxIds(licenses=licenses, exceptions=exceptions)


def license_id(text: str) -> str | None:
    """The canonical SPDX license identifier ``text`` is (case-insensitive), or ``None``."""
    return spdx_ids().licenses.get(text.strip().lower())


class _Parser:
    """Recursive descent over ``or-expr := and-expr (OR and-expr)*`` and so on."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def binary(self, op: str, depth: int) -> tuple[str, bool]:
        """``(text, compound)`` of a chain of ``op`` (``OR`` above ``AND``)."""
        parse = (lambda d: self.binary("AND", d)) if op == "OR" else self.with_expr
        text, compound = parse(depth)
        parts = [text]
        while (self.peek() or "").upper() == op:
            self.take()
            part, _ = parse(depth)
            parts.append(part)
        if len(parts) == 1:
            return text, compound
        return f" {op} ".join(parts), True

    def with_expr(self, depth: int) -> tuple[str, bool]:
        text, compound = self.atom(depth)
        if (self.peek() or "").upper() == "WITH":
            self.take()
            exception = spdx_ids().exceptions.get((self.peek() or "").lower())
            if compound or exception is None:
                raise ValueError("WITH needs a license and a listed exception")
            self.take()
            return f"{text} WITH {exception}", True
        return text, compound

    def atom(self, depth: int) -> tuple[str, bool]:
        word = self.peek()
        if word is None or word == ")":
            raise ValueError("missing operand")
        self.take()
        if word == "(":
            if depth >= MAX_DEPTH:
                raise ValueError("nested too deeply")
            inner, compound = self.binary("OR", depth + 1)
            if self.peek() != ")":
                raise ValueError("unbalanced parenthesis")
            self.take()
            return (f"({inner})", True) if compound else (inner, False)
        plus = word.endswith("+") and len(word) > 1
        found = license_id(word) or (license_id(word[:-1]) if plus else None)
        if found is None:
            raise ValueError(f"unknown license {word!r}")
        if plus and license_id(word) is None:
            return f"{found}+", True
        return found, False


def parse_expression(text: str) -> tuple[str, bool] | None:
    """``(normalised expression, compound)`` when ``text`` is a valid expression, else ``None``.

    ``compound`` is False for a single plain identifier.
    """
    if not text.strip() or len(text) > MAX_EXPRESSION:
        return None
    parser = _Parser(_TOKEN.findall(text))
    try:
        result = parser.binary("OR", 0)
    except ValueError:
        return None
    return result if parser.peek() is None else None


def _unique(licenses: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(text.strip() for text in licenses if text.strip()))


def cyclonedx_licenses(licenses: tuple[str, ...]) -> list[dict[str, object]] | None:
    """A CycloneDX ``licenses`` array (license choice), or ``None`` when there is none.

    All plain identifiers -> a list of ``license.id``; all valid expressions -> one
    ``expression`` (several joined with ``AND``); otherwise one entry per string, ``id`` when
    it is a listed identifier and ``name`` (the text as found) when it is not.
    """
    texts = _unique(licenses)
    if not texts:
        return None
    parsed = [parse_expression(t) for t in texts]
    if all(p is not None and not p[1] for p in parsed):
        ids = dict.fromkeys(p[0] for p in parsed if p is not None)
        return [{"license": {"id": i}} for i in ids]
    if all(p is not None for p in parsed):
        return [{"expression": _and([p for p in parsed if p is not None])}]
    out: list[dict[str, object]] = []
    for text in texts:
        found = license_id(text)
        out.append({"license": {"id": found} if found else {"name": text}})
    return out


def _and(parts: list[tuple[str, bool]]) -> str:
    if len(parts) == 1:
        return parts[0][0]
    return " AND ".join(f"({text})" if compound else text for text, compound in parts)


def license_ref(text: str) -> str:
    """A stable ``LicenseRef-`` identifier for free license text (same text, same reference)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    name = slug(text, 40)
    return f"LicenseRef-{name}-{digest}" if name else f"LicenseRef-{digest}"


def spdx_expression(licenses: tuple[str, ...], refs: dict[str, str]) -> str:
    """An SPDX 2.3 license expression for ``licenseDeclared`` (``NOASSERTION`` when none).

    Free text becomes a ``LicenseRef-`` recorded in ``refs`` (reference -> original text) so the
    document can declare it in ``hasExtractedLicensingInfos``.
    """
    parts: list[tuple[str, bool]] = []
    for text in _unique(licenses):
        parsed = parse_expression(text)
        if parsed is None:
            ref = license_ref(text)
            refs[ref] = text
            parsed = (ref, False)
        parts.append(parsed)
    return _and(parts) if parts else "NOASSERTION"
