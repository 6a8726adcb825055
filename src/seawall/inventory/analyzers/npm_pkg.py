"""Installed npm packages: the ``package.json`` of each package directory in ``node_modules``.

Only a package's own manifest is read: ``.../node_modules/NAME/package.json`` or
``.../node_modules/@SCOPE/NAME/package.json`` (nested ``node_modules`` and global installs
such as ``/usr/lib/node_modules`` included). Other ``package.json`` files — an application's
own manifest, or the ones packages keep in sub-directories (``{"type": "module"}``) — describe
no installed dependency and are not read. The package's ``name`` is reported even when the
directory name differs (npm aliases install ``foo@npm:bar`` as ``node_modules/foo``).
"""

from __future__ import annotations

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found, analyzer
from seawall.inventory.analyzers._formats import load_json
from seawall.inventory.analyzers._lang import Collector
from seawall.inventory.analyzers._npm import add_npm, licenses_of

ID = "npm-pkg"
#: Largest package.json read (old npm versions stored the README in it).
MAX_BYTES = 8 * 1024 * 1024


def _required(path: str) -> bool:
    if not path.endswith("/package.json") or "/node_modules/" not in path:
        return False
    parts = path.rsplit("/", 4)
    # [..., "node_modules", NAME, "package.json"] or [..., "node_modules", "@scope", NAME, ...]
    if len(parts) >= 3 and parts[-3] == "node_modules":
        return not parts[-2].startswith(("@", "."))
    return len(parts) >= 4 and parts[-4] == "node_modules" and parts[-3].startswith("@")


@analyzer(
    id=ID,
    version=1,
    description="Installed npm packages (node_modules/**/package.json)",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(file: FileInput) -> Found:
    """One installed package from its manifest."""
    out = Collector(ID, file, "npm")
    doc = load_json(file, file.read(MAX_BYTES))
    if not isinstance(doc, dict):
        raise AnalyzerError(f"{file.path}: package.json is not a JSON object")
    add_npm(out, doc.get("name"), doc.get("version"), licenses_of(doc))
    return out.found()
