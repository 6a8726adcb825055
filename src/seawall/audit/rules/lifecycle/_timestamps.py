"""RFC 3339 timestamps as the engine writes them, ages in days, and the age verdict. Pure.

Docker writes ``2026-11-29T10:31:55.123456789Z``: nanoseconds, which ``datetime`` cannot hold,
so the fraction is truncated to microseconds. Offsets (``+02:00``) are accepted too.
``audit_clock`` and ``age_verdict`` are the parts LC002 (containers) and LC003 (images) share.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from seawall.audit.model import Verdict, errored, failed, passed

_RFC3339 = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<time>\d{2}:\d{2}:\d{2})(?:\.(?P<frac>\d+))?"
    r"(?P<tz>[Zz]|[+-]\d{2}:\d{2})$"
)
#: Go's zero time (an unset timestamp) and the Unix epoch (reproducible builds set it).
_PLACEHOLDER_YEARS = (1, 1970)


def parse_timestamp(text: str) -> datetime | None:
    """An aware UTC ``datetime`` for an RFC 3339 timestamp, or ``None`` when it is not one."""
    m = _RFC3339.match(text.strip())
    if not m:
        return None
    frac = (m.group("frac") or "0")[:6].ljust(6, "0")
    try:
        naive = datetime.fromisoformat(f"{m.group('date')}T{m.group('time')}.{frac}")
    except ValueError:
        return None
    tz = m.group("tz")
    if tz in ("Z", "z"):
        offset = UTC
    else:
        sign = 1 if tz[0] == "+" else -1
        offset = timezone(sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6])))
    return naive.replace(tzinfo=offset).astimezone(UTC)


def is_placeholder(moment: datetime) -> bool:
    """True for Go's zero time and the exact Unix epoch: "no real date recorded"."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return moment.year == _PLACEHOLDER_YEARS[0] or moment == epoch


def age_days(created: datetime, now: datetime) -> float:
    """Days from ``created`` to ``now`` (0 when ``created`` is in the future: clock skew)."""
    return max((now - created).total_seconds() / 86400.0, 0.0)


def days_text(days: float) -> str:
    """Whole days for messages: ``1 day``, ``46 days``."""
    n = int(days)
    return f"{n} day" if n == 1 else f"{n} days"


def audit_clock(collected_at: str) -> datetime | Verdict:
    """The audit clock (``facts.collected_at``) parsed, or the ``error`` when it is not RFC 3339."""
    now = parse_timestamp(collected_at)
    if now is None:
        return errored(f"audit clock is not an RFC 3339 timestamp: {collected_at!r}")
    return now


def age_verdict(subject: str, created: str, days: float, limit: int) -> Verdict:
    """Fail when ``subject`` is more than ``limit`` days old, else pass.

    ``created`` is the ``Created`` value as recorded, shown in the evidence with the age.
    """
    shown = f"Created={created} ({days_text(days)} before the audit)"
    message = f"{subject} is {days_text(days)} old (limit {days_text(limit)})"
    return failed(message, shown) if days > limit else passed(message, shown)
