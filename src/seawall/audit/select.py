"""``--checks`` / ``--skip``: choose rules and benchmark items by ID, glob, item number or section.

Patterns: a rule ID (``RT005``), a glob over IDs (``RT0*``), a benchmark item (``5.5``) or a
section prefix (``5``, ``1.1``), or a domain prefix (``LC``). Unknown patterns are refused so a
typo never silently audits less.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from seawall.audit.benchmark import Benchmark, BenchmarkItem
from seawall.errors import UsageError


def _item_matches(pattern: str, item_id: str) -> bool:
    return item_id == pattern or item_id.startswith(pattern + ".")


@dataclass(frozen=True, slots=True)
class Selection:
    """The chosen rule IDs and benchmark items, plus what was left out (for the summary)."""

    rule_ids: frozenset[str]
    item_ids: frozenset[str]
    deselected: tuple[str, ...]

    def item_selected(self, item: BenchmarkItem) -> bool:
        """Whether this benchmark item is part of the run."""
        return item.id in self.item_ids


def select(
    benchmark: Benchmark,
    rule_ids: Sequence[str],
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> Selection:
    """Resolve include/exclude patterns to a selection. Raises ``UsageError`` on an unknown one."""
    inc = [p.strip() for p in include if p.strip()]
    exc = [p.strip() for p in exclude if p.strip()]

    def resolve(pattern: str) -> tuple[set[str], set[str]]:
        up = pattern.upper()
        domain = len(up) == 2 and up.isalpha()
        rules = {r for r in rule_ids if fnmatch.fnmatchcase(r, up) or (domain and r.startswith(up))}
        items = {i.id for i in benchmark.items if _item_matches(pattern, i.id)}
        # An item selects its rules; a rule selects the items it answers.
        rules |= {r for i in benchmark.items if i.id in items for r in i.rules}
        items |= {i.id for i in benchmark.items if set(i.rules) & rules}
        if not rules and not items:
            raise UsageError(
                f"--checks/--skip: {pattern!r} matches no rule ID, benchmark item or section",
                hint="see 'seawall rules list' for IDs; items look like 5.5, sections like 5",
            )
        return rules, items

    if inc:
        rules: set[str] = set()
        items: set[str] = set()
        for p in inc:
            r, i = resolve(p)
            rules |= r
            items |= i
    else:
        rules = set(rule_ids)
        items = {i.id for i in benchmark.items}
    for p in exc:
        r, i = resolve(p)
        rules -= r
        items -= i
    deselected = [i.id for i in benchmark.items if i.id not in items]
    mapped = {r for i in benchmark.items for r in i.rules}
    deselected += [r for r in rule_ids if r not in rules and r not in mapped]
    return Selection(frozenset(rules), frozenset(items), tuple(deselected))
