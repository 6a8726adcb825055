"""What an audit rule returns, and the decorators that declare audit rules per scope.

Every audit rule is a pure function of facts. Its scope decides what it is evaluated against:

- ``host``, ``daemon``, ``swarm``: ``check(facts) -> Verdict | Sequence[Verdict]``
- ``image``: ``check(image, facts) -> Verdict | Sequence[Verdict]``, once per image
- ``container``: ``check(container, facts) -> Verdict | Sequence[Verdict]``, once per container

A rule that checks several things (e.g. several files) returns one verdict per thing, each
with its own ``target`` and ``location``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from seawall.facts import AuditFacts, ContainerFacts, ImageFacts
from seawall.model import Location, Outcome, Severity
from seawall.registry import Registry, Rule, rule


class Scope(StrEnum):
    """What an audit rule is evaluated against."""

    HOST = "host"
    DAEMON = "daemon"
    IMAGE = "image"
    CONTAINER = "container"
    SWARM = "swarm"


@dataclass(frozen=True, slots=True)
class Verdict:
    """A rule's conclusion about one target.

    ``reason`` explains ``skip``/``error``/``manual``; ``target`` and ``location`` override the
    defaults of the scope (e.g. a file path for file checks).
    """

    outcome: Outcome
    message: str
    evidence: tuple[str, ...] = ()
    reason: str | None = None
    target: str | None = None
    location: Location | None = None


def passed(
    message: str, *evidence: str, target: str | None = None, location: Location | None = None
) -> Verdict:
    """A ``pass`` verdict."""
    return Verdict(Outcome.PASS, message, tuple(evidence), target=target, location=location)


def failed(
    message: str, *evidence: str, target: str | None = None, location: Location | None = None
) -> Verdict:
    """A ``fail`` verdict: the target does not meet the recommendation."""
    return Verdict(Outcome.FAIL, message, tuple(evidence), target=target, location=location)


def warned(
    message: str, *evidence: str, target: str | None = None, location: Location | None = None
) -> Verdict:
    """A ``warn`` verdict: likely a problem, needs a human look."""
    return Verdict(Outcome.WARN, message, tuple(evidence), target=target, location=location)


def informational(
    message: str, *evidence: str, target: str | None = None, location: Location | None = None
) -> Verdict:
    """An ``info`` verdict: only for informational items, never a pass with a note."""
    return Verdict(Outcome.INFO, message, tuple(evidence), target=target, location=location)


def skipped(reason: str, *, target: str | None = None, location: Location | None = None) -> Verdict:
    """A ``skip`` verdict: not applicable here, with the reason."""
    return Verdict(Outcome.SKIP, reason, reason=reason, target=target, location=location)


def errored(reason: str, *, target: str | None = None, location: Location | None = None) -> Verdict:
    """An ``error`` verdict: the data the rule needs could not be read (makes the run incomplete)."""
    return Verdict(Outcome.ERROR, reason, reason=reason, target=target, location=location)


def manual(reason: str, *, target: str | None = None) -> Verdict:
    """A ``manual`` verdict: no data can answer this; a human must."""
    return Verdict(Outcome.MANUAL, reason, reason=reason, target=target)


Verdicts = Verdict | Sequence[Verdict]
AuditCheck = Callable[..., Verdicts]
AuditRule = Rule[AuditCheck]
AuditRegistry = Registry[AuditCheck]

FactsCheck = Callable[[AuditFacts], Verdicts]
ImageCheck = Callable[[ImageFacts, AuditFacts], Verdicts]
ContainerCheck = Callable[[ContainerFacts, AuditFacts], Verdicts]


C = TypeVar("C", bound=AuditCheck)


class _Declare(Generic[C]):
    """The decorator for one scope; typed so each scope's check signature is checked."""

    def __init__(self, scope: Scope, doc: str) -> None:
        self.scope = scope
        self.__doc__ = doc

    def __call__(
        self,
        *,
        id: str,
        title: str,
        severity: Severity,
        rationale: str,
        remediation: str,
        references: tuple[str, ...] = (),
        tags: tuple[str, ...] = (),
        informational: bool = False,
    ) -> Callable[[C], AuditRule]:
        """Declare a rule of this scope with its metadata."""
        declare: Callable[[AuditCheck], AuditRule] = rule(
            id=id,
            title=title,
            severity=severity,
            scope=self.scope.value,
            rationale=rationale,
            remediation=remediation,
            references=references,
            tags=tags,
            informational=informational,
        )
        return declare


#: A rule evaluated once against the host (``check(facts)``).
host_rule: _Declare[FactsCheck] = _Declare(Scope.HOST, "Declare a host rule: check(facts).")
#: A rule evaluated once against the audited daemon (``check(facts)``).
daemon_rule: _Declare[FactsCheck] = _Declare(Scope.DAEMON, "Declare a daemon rule: check(facts).")
#: A rule evaluated once against the engine's swarm state (``check(facts)``).
swarm_rule: _Declare[FactsCheck] = _Declare(Scope.SWARM, "Declare a swarm rule: check(facts).")
#: A rule evaluated once per local image (``check(image, facts)``).
image_rule: _Declare[ImageCheck] = _Declare(
    Scope.IMAGE, "Declare an image rule: check(image, facts)."
)
#: A rule evaluated once per container, running or stopped (``check(c, facts)``).
container_rule: _Declare[ContainerCheck] = _Declare(
    Scope.CONTAINER, "Declare a container rule: check(container, facts)."
)
