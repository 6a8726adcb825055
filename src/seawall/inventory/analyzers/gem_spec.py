"""Installed Ruby gems: the specification stubs RubyGems writes to ``specifications/``.

``gem install`` writes ``<GEM_HOME>/specifications/NAME-VERSION[-PLATFORM].gemspec`` (and
``specifications/default/`` for default gems): generated Ruby, always of the shape
``s.name = "rake".freeze`` / ``s.version = "13.0.6"`` / ``s.licenses = ["MIT".freeze]`` (older
RubyGems wrote ``s.name = %q{rake}``), with a
``# stub: NAME VERSION PLATFORM PATHS`` comment line. The file is read with regular
expressions, never evaluated; the stub line is the fallback for name and version.
"""

from __future__ import annotations

import re

from seawall.inventory.analyzer import FileInput, Found, analyzer
from seawall.inventory.analyzers._lang import Collector, basename, clean, clean_licenses, decode
from seawall.inventory.purl import make_purl

ID = "gem-spec"
MAX_BYTES = 1024 * 1024

# "x", 'x' and the %q{x} older RubyGems versions wrote.
_STRING = r"""(?:"([^"\n]*)"|'([^'\n]*)'|%q\{([^}\n]*)\})"""
# Only spaces and tabs around the tokens: ``\s`` would also cross lines, and a file of blank
# lines would then take quadratic time.
_NAME = re.compile(r"^[ \t]*\w+\.name[ \t]*=[ \t]*" + _STRING, re.MULTILINE)
_VERSION = re.compile(
    r"^[ \t]*\w+\.version[ \t]*=[ \t]*(?:Gem::Version\.new\([ \t]*)?" + _STRING, re.MULTILINE
)
_LICENSES = re.compile(
    r"^[ \t]*\w+\.licenses?[ \t]*=[ \t]*(\[[^\]\n]*\]|" + _STRING + ")", re.MULTILINE
)
_QUOTED = re.compile(_STRING)
_STUB = re.compile(r"^# stub: (\S+) (\S+)", re.MULTILINE)


def _required(path: str) -> bool:
    return path.endswith(".gemspec") and "/specifications/" in path


def _string(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    return next((g for g in match.groups() if g is not None), None)


def parse_gemspec(text: str) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(name, version, licenses) of a generated gemspec."""
    stub = _STUB.search(text)
    name = clean(_string(_NAME.search(text)) or (stub and stub.group(1)))
    version = clean(_string(_VERSION.search(text)) or (stub and stub.group(2)))
    licenses: list[str] = []
    found = _LICENSES.search(text)
    if found is not None:
        licenses = [
            next((g for g in groups if g), "") for groups in _QUOTED.findall(found.group(1))
        ]
    return name, version, clean_licenses(licenses)


@analyzer(
    id=ID,
    version=1,
    description="Installed Ruby gems (specifications/*.gemspec), read without evaluating Ruby",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(file: FileInput) -> Found:
    """One installed gem from its specification stub."""
    out = Collector(ID, file, "gem")
    name, version, licenses = parse_gemspec(decode(file, file.read(MAX_BYTES)))
    if name is None or version is None:
        out.note(f"no name and version found in {basename(file.path)}; skipped")
    else:
        out.add(name, version, make_purl("gem", name, version), licenses=licenses)
    return out.found()
