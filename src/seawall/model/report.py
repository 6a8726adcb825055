"""The Report: the one value every command produces and every writer consumes."""

from __future__ import annotations

from dataclasses import dataclass, field

from seawall.model.outcome import Outcome
from seawall.model.rule import Location, RuleMeta, Suppression
from seawall.model.severity import Severity

#: Version of the JSON output format (schema: src/seawall/output/schemas/report-<version>.schema.json).
#: Bump on breaking changes, with a new schema file.
SCHEMA_VERSION = "1.0"


@dataclass(frozen=True, slots=True)
class ToolInfo:
    """Who produced the report."""

    name: str
    version: str
    command: str


@dataclass(frozen=True, slots=True)
class Result:
    """One rule evaluated against one target.

    ``target`` is a stable human identifier (``host``, ``daemon``, ``container/NAME``,
    ``image/REF``); ``controls`` are benchmark item numbers this rule answers (e.g. ``5.5``).
    """

    rule_id: str
    target: str
    outcome: Outcome
    message: str
    severity: Severity
    section: str = ""
    controls: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    location: Location | None = None
    reason: str | None = None
    suppression: Suppression | None = None


@dataclass(frozen=True, slots=True)
class Control:
    """A benchmark item (e.g. CIS 5.5) as one row: its rules and its worst outcome."""

    id: str
    title: str
    section: str
    assessment: str
    rule_ids: tuple[str, ...]
    outcome: Outcome
    manual_reason: str | None = None


@dataclass(frozen=True, slots=True)
class RunError:
    """Something that could not be read or evaluated; makes the run incomplete."""

    source: str
    message: str


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts per outcome, deselected items and the score (percentage of pass among decided)."""

    counts: dict[str, int]
    deselected: int
    suppressed: int
    score: float


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a command found. Pure data: writers format it, the CLI decides the exit."""

    tool: ToolInfo
    generated_at: str
    rules: tuple[RuleMeta, ...]
    results: tuple[Result, ...]
    controls: tuple[Control, ...] = ()
    errors: tuple[RunError, ...] = ()
    benchmark: str | None = None
    targets: tuple[str, ...] = ()
    deselected: tuple[str, ...] = ()
    sections: dict[str, str] = field(default_factory=dict)
    #: One-line notices that do not make the run incomplete (e.g. an object that vanished).
    notes: tuple[str, ...] = ()
    schema_version: str = SCHEMA_VERSION

    @property
    def complete(self) -> bool:
        """False when any source or check ended in error (the run must not exit 0)."""
        return not self.errors and all(r.outcome is not Outcome.ERROR for r in self.results)

    def summary(self) -> Summary:
        """Counts of unsuppressed results per outcome plus a pass score."""
        counts = {o.value: 0 for o in Outcome}
        suppressed = 0
        for r in self.results:
            if r.suppression is not None:
                suppressed += 1
                continue
            counts[r.outcome.value] += 1
        decided = counts["pass"] + counts["fail"] + counts["warn"]
        score = round(100.0 * counts["pass"] / decided, 1) if decided else 100.0
        return Summary(counts, len(self.deselected), suppressed, score)
