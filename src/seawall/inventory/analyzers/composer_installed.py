"""Installed PHP packages: Composer's ``vendor/composer/installed.json``.

Composer 1 writes a JSON list of package objects; Composer 2 writes
``{"packages": [...], "dev": ..., "dev-package-names": [...]}``. Every listed package is on
disk, development ones included, so all are reported. Names are ``vendor/project``; the purl
is ``pkg:composer/vendor/project@version`` with the version as Composer wrote it
(``v6.4.1``, ``2.0.0``, ``dev-main``).
"""

from __future__ import annotations

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found, analyzer
from seawall.inventory.analyzers._formats import load_json
from seawall.inventory.analyzers._lang import Collector, as_dict, as_list, clean, clean_licenses
from seawall.inventory.purl import make_purl

ID = "composer-installed"
MAX_BYTES = 64 * 1024 * 1024


def _required(path: str) -> bool:
    return path.endswith("/vendor/composer/installed.json")


def add_composer(out: Collector, item: object) -> None:
    """Add one Composer package object (``name``, ``version``, ``license``)."""
    entry = as_dict(item)
    name, version = clean(entry.get("name")), clean(entry.get("version"))
    vendor, _, project = (name or "").partition("/")
    if name is None or version is None or not vendor or not project or "/" in project:
        out.note(
            f"package without a usable vendor/name and version ({str(entry.get('name'))[:60]!r}); skipped"
        )
        return
    raw = entry.get("license")
    licenses = clean_licenses(as_list(raw) if isinstance(raw, list) else [raw])
    out.add(
        name, version, make_purl("composer", project, version, namespace=vendor), licenses=licenses
    )


@analyzer(
    id=ID,
    version=1,
    description="Installed PHP Composer packages (vendor/composer/installed.json, Composer 1 and 2)",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(file: FileInput) -> Found:
    """The packages Composer installed into this vendor directory."""
    out = Collector(ID, file, "composer")
    doc = load_json(file, file.read(MAX_BYTES))
    packages = doc if isinstance(doc, list) else as_dict(doc).get("packages")
    if not isinstance(packages, list):
        raise AnalyzerError(f'{file.path}: neither a package list nor {{"packages": [...]}}')
    for item in packages:
        add_composer(out, item)
    return out.found()
