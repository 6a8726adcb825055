"""Benchmark definitions as data: item numbers -> seawall rule IDs, one YAML file per version.

A later benchmark version that renumbers or adds items is a new YAML file: items with rules
map to existing rule IDs, items no data can answer carry ``manual: <reason>``. No code changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from seawall.errors import ConfigError

_ITEM_ID = re.compile(r"^\d+(\.\d+)*$")


@dataclass(frozen=True, slots=True)
class BenchmarkItem:
    """One recommendation: its number, title, the benchmark's own assessment mark and rules."""

    id: str
    title: str
    assessment: str
    rules: tuple[str, ...] = ()
    manual: str | None = None

    @property
    def section(self) -> str:
        """Top-level section number (``5`` for ``5.25``)."""
        return self.id.split(".", 1)[0]


@dataclass(frozen=True, slots=True)
class Benchmark:
    """A benchmark version: its items in order and its section titles."""

    id: str
    title: str
    reference: str
    sections: dict[str, str]
    items: tuple[BenchmarkItem, ...]

    def items_for_rule(self, rule_id: str) -> tuple[str, ...]:
        """Item numbers that a rule answers."""
        return tuple(i.id for i in self.items if rule_id in i.rules)


def _fail(source: str, problem: str) -> ConfigError:
    return ConfigError(f"benchmark {source}: {problem}")


def parse_benchmark(data: Any, source: str, known_rules: frozenset[str]) -> Benchmark:
    """Validate and build a benchmark from parsed YAML; every referenced rule must exist."""
    if not isinstance(data, dict):
        raise _fail(source, "expected a mapping at the top level")
    for key in ("id", "title", "sections", "items"):
        if key not in data:
            raise _fail(source, f"missing key {key!r}")
    sections = data["sections"]
    if not isinstance(sections, dict):
        raise _fail(source, "'sections' must map section numbers to titles")
    items: list[BenchmarkItem] = []
    seen: set[str] = set()
    for n, raw in enumerate(data["items"] or []):
        if not isinstance(raw, dict):
            raise _fail(source, f"item #{n + 1} is not a mapping")
        item_id = str(raw.get("id", ""))
        if not _ITEM_ID.match(item_id) or item_id in seen:
            raise _fail(
                source, f"item #{n + 1} has a missing, malformed or duplicate id {item_id!r}"
            )
        seen.add(item_id)
        rules = tuple(str(r) for r in raw.get("rules") or ())
        manual = raw.get("manual")
        if bool(rules) == bool(manual):
            raise _fail(source, f"item {item_id} needs exactly one of 'rules' or 'manual'")
        unknown = [r for r in rules if r not in known_rules]
        if unknown:
            raise _fail(source, f"item {item_id} maps to unknown rule(s) {', '.join(unknown)}")
        if item_id.split(".", 1)[0] not in {str(k) for k in sections}:
            raise _fail(source, f"item {item_id} is in no declared section")
        items.append(
            BenchmarkItem(
                id=item_id,
                title=str(raw.get("title", "")),
                assessment=str(raw.get("assessment", "automated")),
                rules=rules,
                manual=str(manual) if manual else None,
            )
        )
    return Benchmark(
        id=str(data["id"]),
        title=str(data["title"]),
        reference=str(data.get("reference", "")),
        sections={str(k): str(v) for k, v in sections.items()},
        items=tuple(items),
    )


def available_benchmarks() -> dict[str, str]:
    """Shipped benchmark IDs -> file names (``cis-1.6`` -> ``cis_docker_1.6.0.yaml``)."""
    out = {}
    for entry in resources.files("seawall.audit.benchmarks").iterdir():
        if entry.name.endswith(".yaml"):
            head = yaml.safe_load(entry.read_text(encoding="utf-8"))
            out[str(head["id"])] = entry.name
    return out


def load_benchmark(name: str, known_rules: frozenset[str]) -> Benchmark:
    """Load a shipped benchmark by ID, or a YAML file by path."""
    shipped = available_benchmarks()
    if name in shipped:
        text = (
            resources.files("seawall.audit.benchmarks").joinpath(shipped[name]).read_text("utf-8")
        )
        source = name
    else:
        path = Path(name)
        if not path.is_file():
            choices = ", ".join(sorted(shipped))
            raise ConfigError(
                f"unknown benchmark {name!r}",
                hint=f"use one of: {choices}, or a path to a YAML file",
            )
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _fail(str(path), f"cannot read: {exc}") from None
        source = str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _fail(source, f"invalid YAML: {str(exc).splitlines()[0]}") from None
    return parse_benchmark(data, source, known_rules)
