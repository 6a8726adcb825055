""".NET dependency manifests (``*.deps.json``) written next to every built application.

Format (dotnet/runtime ``docs/design/features/host-probing`` / the deps.json spec):
``libraries`` maps ``Name/Version`` to ``{"type": "package" | "project" | "reference", ...}``;
the NuGet packages are the ``package`` entries (the application's own projects and framework
references are not packages). The name keeps NuGet's display casing; the purl is
``pkg:nuget/Name@Version``.
"""

from __future__ import annotations

from seawall.inventory.analyzer import AnalyzerError, FileInput, Found, analyzer
from seawall.inventory.analyzers._formats import load_json
from seawall.inventory.analyzers._lang import Collector, as_dict, clean
from seawall.inventory.purl import make_purl

ID = "dotnet-deps"
MAX_BYTES = 32 * 1024 * 1024


def _required(path: str) -> bool:
    return path.endswith(".deps.json")


@analyzer(
    id=ID,
    version=1,
    description=".NET *.deps.json manifests (NuGet package libraries)",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(file: FileInput) -> Found:
    """The NuGet packages a deps.json lists."""
    out = Collector(ID, file, "nuget")
    doc = load_json(file, file.read(MAX_BYTES))
    if not isinstance(doc, dict) or not isinstance(doc.get("libraries"), dict):
        raise AnalyzerError(f'{file.path}: no "libraries" object')
    for key, value in as_dict(doc.get("libraries")).items():
        if as_dict(value).get("type") != "package":
            continue
        raw_name, _, raw_version = key.rpartition("/")
        name, version = clean(raw_name), clean(raw_version)
        if name is None or version is None:
            out.note(f"library {key[:60]!r} is not Name/Version; skipped")
            continue
        out.add(name, version, make_purl("nuget", name, version))
    return out.found()
