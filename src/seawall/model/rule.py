"""Rule metadata, locations and suppressions: what every report entry refers to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NewType

from seawall.model.severity import Severity

RuleId = NewType("RuleId", str)

#: Rule IDs are a short domain prefix plus three digits, never reused (ARCHITECTURE.md).
RULE_ID_PATTERN = re.compile(r"^(HO|DM|FP|IM|RT|SO|SW|LC|DF|DC|SE|MW|EV)\d{3}$")

#: Human names of the ID prefixes, used for grouping in tables and docs.
DOMAINS: dict[str, str] = {
    "HO": "Host configuration",
    "DM": "Docker daemon configuration",
    "FP": "Docker daemon configuration files",
    "IM": "Container images and build files",
    "RT": "Container runtime",
    "SO": "Docker security operations",
    "SW": "Docker Swarm configuration",
    "LC": "Lifecycle",
    "DF": "Dockerfile",
    "DC": "Compose",
    "SE": "Secret leak",
    "MW": "Malware",
    "EV": "Runtime event",
}


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """Everything known about a rule except its logic.

    ``scope`` names what the rule is evaluated against (``host``, ``daemon``, ``image``,
    ``container``, ``swarm``); docs, ``rules list`` and SARIF ``rules[]`` come from here.
    """

    id: RuleId
    title: str
    severity: Severity
    scope: str
    rationale: str
    remediation: str
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    #: True when the rule only reports facts (CIS "informational" items): outcome ``info``.
    informational: bool = False

    @property
    def domain(self) -> str:
        """The two-letter prefix of the ID (``RT`` for ``RT005``)."""
        return self.id[:2]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a result points: a URI a viewer can show, plus an optional line."""

    uri: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a result is suppressed. Suppressed results stay in the report, marked."""

    source: str
    justification: str
    expires: str | None = None
