"""The one registration pattern: a pure function plus metadata becomes a typed ``Rule`` value.

Rules are listed explicitly in a domain's ``rules/__init__.py`` tuple and handed to
``Registry``, which rejects duplicate or malformed IDs and missing metadata. Importing a
rule module has no side effect; nothing registers itself.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from seawall.errors import RegistryError
from seawall.model.rule import RULE_ID_PATTERN, RuleId, RuleMeta
from seawall.model.severity import Severity

F = TypeVar("F", bound=Callable[..., object])


@dataclass(frozen=True, slots=True)
class Rule(Generic[F]):
    """A rule: its metadata and its pure check function."""

    meta: RuleMeta
    check: F

    @property
    def id(self) -> str:
        """The rule ID (``RT005``)."""
        return self.meta.id


def rule(
    *,
    id: str,
    title: str,
    severity: Severity,
    scope: str,
    rationale: str,
    remediation: str,
    references: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    informational: bool = False,
) -> Callable[[F], Rule[F]]:
    """Decorator turning a check function into a ``Rule`` value. No global state is touched."""
    meta = RuleMeta(
        id=RuleId(id),
        title=title,
        severity=severity,
        scope=scope,
        rationale=rationale,
        remediation=remediation,
        references=references,
        tags=tags,
        informational=informational,
    )

    def wrap(fn: F) -> Rule[F]:
        return Rule(meta=meta, check=fn)

    return wrap


class Registry(Generic[F]):
    """An ordered, validated catalogue of rules of one kind."""

    def __init__(self, name: str, rules: Iterable[Rule[F]]) -> None:
        self.name = name
        self._rules: dict[str, Rule[F]] = {}
        for r in rules:
            _validate(name, r.meta)
            if r.id in self._rules:
                raise RegistryError(f"{name}: duplicate rule ID {r.id}")
            self._rules[r.id] = r

    def __iter__(self) -> Iterator[Rule[F]]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def get(self, rule_id: str) -> Rule[F]:
        """Return the rule with this ID; ``KeyError`` if there is none."""
        return self._rules[rule_id.upper()]

    def ids(self) -> tuple[str, ...]:
        """All rule IDs in registration order."""
        return tuple(self._rules)

    def matching(self, pattern: str) -> tuple[str, ...]:
        """IDs matching an exact ID or a glob (``RT0*``), case-insensitive."""
        pat = pattern.upper()
        return tuple(i for i in self._rules if fnmatch.fnmatchcase(i, pat))


def _validate(name: str, meta: RuleMeta) -> None:
    if not RULE_ID_PATTERN.match(meta.id):
        raise RegistryError(f"{name}: malformed rule ID {meta.id!r}")
    for attr in ("title", "scope", "rationale", "remediation"):
        if not getattr(meta, attr).strip():
            raise RegistryError(f"{name}: rule {meta.id} has no {attr}")
    if not isinstance(meta.severity, Severity):
        raise RegistryError(f"{name}: rule {meta.id} has no severity")
