"""Installed Python distributions: core metadata in site-packages and dist-packages.

Reads the metadata file each installed distribution carries (Core metadata specification,
packaging.python.org/specifications/core-metadata): ``NAME-VER.dist-info/METADATA`` (wheels),
``NAME-VER.egg-info/PKG-INFO`` and the single-file ``NAME-VER.egg-info`` (setuptools and
distutils, as Debian ships them) and ``NAME.egg/EGG-INFO/PKG-INFO``, anywhere below a
``site-packages`` or ``dist-packages`` directory (virtualenvs and vendored copies included).

The headers are RFC 822 style: ``Key: value`` lines, continuation lines indented, ended by the
first empty line. Licenses, first match wins: ``License-Expression`` (metadata 2.4, SPDX),
a one-line ``License`` (not ``UNKNOWN``; some projects paste the whole license text there),
else the last part of each ``License ::`` classifier. The purl name is normalised as PEP 503
says (lower case, runs of ``-_.`` become ``-``); the package name stays as written.
"""

from __future__ import annotations

import re

from seawall.inventory.analyzer import FileInput, Found, analyzer
from seawall.inventory.analyzers._lang import (
    Collector,
    basename,
    clean,
    clean_licenses,
    iter_lines,
    under,
)
from seawall.inventory.purl import make_purl

ID = "python-pkg"
#: Largest metadata file read (long descriptions can be a few hundred kilobytes).
MAX_BYTES = 16 * 1024 * 1024
#: Header lines read (the long description, when it is a header, is skipped quickly).
MAX_HEADER_LINES = 20_000
_NORMALISE = re.compile(r"[-_.]+")


def pep503(name: str) -> str:
    """The PEP 503 normalised form of a distribution name."""
    return _NORMALISE.sub("-", name).lower()


def _required(path: str) -> bool:
    # Cheap suffix tests first: this runs on every entry of every layer.
    if path.endswith("/METADATA"):
        ok = path[: -len("/METADATA")].endswith(".dist-info")
    elif path.endswith("/PKG-INFO"):
        parent = path[: -len("/PKG-INFO")]
        ok = parent.endswith(".egg-info") or parent.endswith(".egg/EGG-INFO")
    else:
        ok = path.endswith(".egg-info")
    return ok and under(path, "site-packages", "dist-packages")


def parse_headers(text: str) -> list[tuple[str, str]]:
    """The ``Key: value`` headers before the first empty line (continuations joined)."""
    headers: list[tuple[str, str]] = []
    for line in iter_lines(text, limit=MAX_HEADER_LINES):
        if not line:
            break
        if line[:1] in (" ", "\t"):
            if headers:
                key, value = headers[-1]
                headers[-1] = (key, f"{value}\n{line.strip()}")
            continue
        key, sep, value = line.partition(":")
        if sep and key.strip():
            headers.append((key.strip().lower(), value.strip()))
    return headers


def licenses_of(headers: list[tuple[str, str]]) -> tuple[str, ...]:
    """Licenses from ``License-Expression``, a short ``License`` or the classifiers."""
    values: dict[str, list[str]] = {}
    for key, value in headers:
        values.setdefault(key, []).append(value)
    expression = clean_licenses(values.get("license-expression", [])[:1])
    if expression:
        return expression
    license_field = (values.get("license") or [""])[0].strip()
    if license_field and "\n" not in license_field and license_field.upper() != "UNKNOWN":
        short = clean_licenses([license_field])
        if short:
            return short
    from_classifiers: list[str] = []
    for classifier in values.get("classifier", []):
        parts = [p.strip() for p in classifier.split("::")]
        if len(parts) > 1 and parts[0] == "License" and parts[-1] != "OSI Approved":
            from_classifiers.append(parts[-1])
    return clean_licenses(from_classifiers)


@analyzer(
    id=ID,
    version=1,
    description="Installed Python distributions (*.dist-info/METADATA, *.egg-info) in site-packages",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(file: FileInput) -> Found:
    """One installed distribution from its metadata file."""
    out = Collector(ID, file, "pypi")
    # Old PKG-INFO files are often Latin-1 in their free text; only Name and Version matter
    # and ``clean`` rejects them if they carry replaced bytes.
    text = file.read(MAX_BYTES).decode("utf-8", errors="replace")
    headers = parse_headers(text)
    fields = dict(reversed(headers))  # the first occurrence of a key wins
    name, version = clean(fields.get("name")), clean(fields.get("version"))
    if name is None or version is None:
        out.note(f"no usable Name and Version in {basename(file.path)}; skipped")
        return out.found()
    out.add(name, version, make_purl("pypi", pep503(name), version), licenses=licenses_of(headers))
    return out.found()
