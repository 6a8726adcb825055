"""Pure, frozen value types shared by every part of seawall. No I/O, no other seawall imports."""

from seawall.model.outcome import Outcome
from seawall.model.report import Control, Report, Result, RunError, Summary, ToolInfo
from seawall.model.rule import Location, RuleMeta, Suppression
from seawall.model.severity import Severity

__all__ = [
    "Control",
    "Location",
    "Outcome",
    "Report",
    "Result",
    "RuleMeta",
    "RunError",
    "Severity",
    "Summary",
    "Suppression",
    "ToolInfo",
]
