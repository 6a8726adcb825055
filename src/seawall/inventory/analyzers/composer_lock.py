"""PHP Composer lock files (``composer.lock``).

The lock lists the packages to install under ``packages`` and the development-only ones under
``packages-dev``; only ``packages`` is reported (what ``composer install --no-dev`` installs).
Each entry is a package object as in ``installed.json``. Lock files inside ``vendor/`` (shipped
by some packages) are not read.
Example files in ``/usr/share/doc`` are not read.
"""

from __future__ import annotations

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found, analyzer
from seawall.inventory.analyzers._formats import load_json
from seawall.inventory.analyzers._lang import Collector, as_dict, basename, in_docs, under
from seawall.inventory.analyzers.composer_installed import add_composer

ID = "composer-lock"
MAX_BYTES = 64 * 1024 * 1024


def _required(path: str) -> bool:
    return basename(path) == "composer.lock" and not under(path, "vendor") and not in_docs(path)


@analyzer(
    id=ID,
    version=1,
    description="PHP Composer composer.lock files (non-development packages)",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(file: FileInput) -> Found:
    """The non-development packages a composer.lock pins."""
    out = Collector(ID, file, "composer")
    doc = load_json(file, file.read(MAX_BYTES))
    packages = as_dict(doc).get("packages")
    if not isinstance(packages, list):
        raise AnalyzerError(f'{file.path}: no "packages" list')
    for item in packages:
        add_composer(out, item)
    return out.found()
