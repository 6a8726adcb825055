"""Bounded loaders for the JSON, TOML and YAML files the language analyzers read.

Size alone does not bound memory: ``[{},{},...]`` turns 3 bytes into a 60-byte dict. Each
loader therefore counts the structural tokens first (a cheap C-speed ``bytes.count``, an
over-estimate since tokens inside strings count too) and refuses a file with more than its
budget, so the objects built stay bounded. Deep nesting ends in ``RecursionError`` inside the
parsers, which is reported like any other damage. YAML is read as a stream of events and built
here: aliases are refused (no "billion laughs"), depth and node count are capped, and every
scalar stays a string (no implicit typing: ``1.10`` stays ``"1.10"``).
"""

from __future__ import annotations

import json
import tomllib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import yaml

from seawall.inventory.analyzer import AnalyzerError, FileInput
from seawall.inventory.analyzers._lang import decode

#: Structural tokens (``,`` ``{`` ``[`` ``:``) a JSON file may hold. A package-lock.json entry
#: takes about 27, so this allows some 70,000 packages while keeping the worst case (two-letter
#: strings) near 200 MiB of objects.
JSON_TOKENS = 2_000_000
#: Structural tokens (lines, ``,`` ``[`` ``{`` ``=``) a TOML file may hold; tomllib is pure
#: Python (about 1.5-7 MB/s), so this also bounds time.
TOML_TOKENS = 1_000_000
#: YAML nodes (scalars plus collections) and nesting depth: a pnpm package takes 15-20 nodes,
#: and the worst case stays near 200 MiB and 3 s.
YAML_NODES = 1_500_000
YAML_DEPTH = 64
#: YAML documents in one stream (pnpm 9+ may write an environment document first).
YAML_DOCUMENTS = 4


def _yaml_loader() -> type[yaml.SafeLoader] | type[yaml.CSafeLoader]:
    """libyaml's parser when PyYAML was built with it; the pure-Python one otherwise."""
    import yaml  # imported on first use: most scans never meet a YAML lock file

    loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
        yaml, "CSafeLoader", yaml.SafeLoader
    )
    return loader


def _budget(file: FileInput, data: bytes, tokens: tuple[bytes, ...], limit: int) -> None:
    count = sum(data.count(t) for t in tokens)
    if count > limit:
        raise AnalyzerError(f"{file.path}: {count} structural tokens is over the limit of {limit}")


def load_json(file: FileInput, data: bytes) -> object:
    """Parse JSON (UTF-8), bounded in size, token count and depth."""
    _budget(file, data, (b",", b"{", b"[", b":"), JSON_TOKENS)
    text = decode(file, data)
    try:
        return json.loads(text)
    except RecursionError:
        raise AnalyzerError(f"{file.path}: JSON nested too deeply") from None
    except ValueError as exc:
        raise AnalyzerError(f"{file.path}: invalid JSON ({_first_line(exc)})") from None


def load_toml(file: FileInput, data: bytes) -> dict[str, object]:
    """Parse TOML (UTF-8), bounded in size, token count and depth."""
    _budget(file, data, (b"\n", b",", b"[", b"{", b"="), TOML_TOKENS)
    text = decode(file, data)
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise AnalyzerError(f"{file.path}: TOML nested too deeply") from None
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise AnalyzerError(f"{file.path}: invalid TOML ({_first_line(exc)})") from None


def load_yaml(file: FileInput, data: bytes | str) -> list[object]:
    """Parse every document of a YAML stream into dicts, lists and strings (no aliases)."""
    text = data if isinstance(data, str) else decode(file, data)
    builder = _YamlBuilder(file)
    try:
        import yaml

        for event in yaml.parse(text, Loader=_yaml_loader()):
            builder.feed(event)
    except yaml.YAMLError as exc:
        raise AnalyzerError(f"{file.path}: invalid YAML ({_first_line(exc)})") from None
    return builder.documents


class _YamlBuilder:
    """Builds plain values from parser events, refusing aliases and capping depth and size."""

    def __init__(self, file: FileInput) -> None:
        self.file = file
        self.documents: list[object] = []
        # Open collections; for mappings, the pending key (None until the key is read).
        self.stack: list[tuple[dict[str, object] | list[object], list[str | None]]] = []
        self.nodes = 0

    def _fail(self, problem: str) -> AnalyzerError:
        return AnalyzerError(f"{self.file.path}: {problem}")

    def feed(self, event: yaml.Event) -> None:
        import yaml

        """Consume one parser event."""
        if isinstance(event, yaml.AliasEvent):
            raise self._fail("YAML aliases are not accepted in lock files")
        if isinstance(event, yaml.ScalarEvent):
            self._count()
            self._attach(event.value)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self._count()
            if len(self.stack) >= YAML_DEPTH:
                raise self._fail(f"YAML nested deeper than {YAML_DEPTH} levels")
            value: dict[str, object] | list[object] = (
                {} if isinstance(event, yaml.MappingStartEvent) else []
            )
            self.stack.append((value, [None]))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            done, _ = self.stack.pop()
            self._attach(done)
        elif isinstance(event, yaml.DocumentStartEvent) and len(self.documents) >= YAML_DOCUMENTS:
            raise self._fail(f"more than {YAML_DOCUMENTS} YAML documents")

    def _count(self) -> None:
        self.nodes += 1
        if self.nodes > YAML_NODES:
            raise self._fail(f"more than {YAML_NODES} YAML nodes")

    def _attach(self, value: object) -> None:
        if not self.stack:
            self.documents.append(value)
            return
        parent, pending = self.stack[-1]
        if isinstance(parent, list):
            parent.append(value)
        elif pending[0] is None:
            if not isinstance(value, str):
                raise self._fail("YAML mapping key that is not a plain value")
            pending[0] = value
        else:
            parent[pending[0]] = value
            pending[0] = None


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or ["unreadable"])[0][:200]
