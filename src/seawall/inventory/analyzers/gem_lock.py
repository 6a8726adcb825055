"""Bundler lock files (``Gemfile.lock``): the gems of the ``GEM`` sections.

Format (bundler's lockfile, written by ``Bundler::LockfileGenerator``): unindented section
names (``GEM``, ``GIT``, ``PATH``, ``PLATFORMS``, ``DEPENDENCIES``, ``BUNDLED WITH``); in a
``GEM`` section, ``  specs:`` is followed by one ``    NAME (VERSION)`` line per locked gem
(four spaces; their own dependencies are indented six). A platform-specific gem's version
carries the platform after a ``-`` (``1.13.1-x86_64-linux``): the version is the part before
it. Gems from ``GIT`` and ``PATH`` sources are not registry gems and are left out. Lock files
inside an installed gem's directory (``gems/NAME-1.2.3/...``, ``bundler/gems/...``) are that
gem's own development lock, not the image's, and are not read.
Example files in ``/usr/share/doc`` are not read.
"""

from __future__ import annotations

import re

from seawall.inventory.analyzer import FileInput, Found, analyzer
from seawall.inventory.analyzers._lang import (
    Collector,
    basename,
    clean,
    decode,
    in_docs,
    iter_lines,
)
from seawall.inventory.purl import make_purl

ID = "gem-lock"
MAX_BYTES = 16 * 1024 * 1024
_SPEC = re.compile(r"^ {4}(\S+) \(([^)\s]+)\)$")
_INSTALLED = re.compile(r"/gems/[^/]+-\d[^/]*/|/bundler/gems/")


def _required(path: str) -> bool:
    return (
        basename(path) == "Gemfile.lock" and _INSTALLED.search(path) is None and not in_docs(path)
    )


def parse_gemfile_lock(text: str, path: str = "Gemfile.lock") -> list[tuple[str, str]]:
    """(name, version) of every gem in the ``GEM`` sections' specs."""
    gems: list[tuple[str, str]] = []
    section, in_specs = "", False
    for line in iter_lines(text, path):
        if line and not line[0].isspace():
            section, in_specs = line.strip(), False
        elif section == "GEM" and line.rstrip() == "  specs:":
            in_specs = True
        elif section == "GEM" and in_specs:
            match = _SPEC.match(line.rstrip())
            if match:
                gems.append((match.group(1), match.group(2).split("-", 1)[0]))
    return gems


@analyzer(
    id=ID,
    version=1,
    description="Ruby Bundler Gemfile.lock files (GEM sections)",
    required=_required,
    max_bytes=MAX_BYTES,
)
def analyze(file: FileInput) -> Found:
    """The registry gems a Gemfile.lock pins."""
    out = Collector(ID, file, "gem")
    for raw_name, raw_version in parse_gemfile_lock(decode(file, file.read(MAX_BYTES)), file.path):
        name, version = clean(raw_name), clean(raw_version)
        if name is None or version is None:
            out.note(f"gem {raw_name[:60]!r} has no usable name or version; skipped")
            continue
        out.add(name, version, make_purl("gem", name, version))
    return out.found()
