"""RFC 3339 parsing and ages used by LC002/LC003."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from seawall.audit.model import Verdict
from seawall.audit.rules.lifecycle._timestamps import (
    age_days,
    age_verdict,
    audit_clock,
    days_text,
    is_placeholder,
    parse_timestamp,
)
from seawall.model import Outcome


def test_parse_nanoseconds() -> None:
    assert parse_timestamp("2026-11-29T10:31:55.123456789Z") == datetime(
        2026, 11, 29, 10, 31, 55, 123456, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-29T10:31:55Z", datetime(2026, 11, 29, 10, 31, 55, tzinfo=UTC)),
        ("2026-11-29T10:31:55.5Z", datetime(2026, 11, 29, 10, 31, 55, 500000, tzinfo=UTC)),
        ("2026-11-29T12:31:55.000000001+02:00", datetime(2026, 11, 29, 10, 31, 55, tzinfo=UTC)),
        ("2026-11-29T05:31:55-05:00", datetime(2026, 11, 29, 10, 31, 55, tzinfo=UTC)),
        ("2026-11-29t10:31:55z", datetime(2026, 11, 29, 10, 31, 55, tzinfo=UTC)),
    ],
)
def test_parse_variants(text: str, expected: datetime) -> None:
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "yesterday", "2026-11-29", "2026-11-29T10:31:55", "2026-13-01T00:00:00Z", "1795948714"],
)
def test_parse_rejects(text: str) -> None:
    assert parse_timestamp(text) is None


def test_placeholders() -> None:
    zero = parse_timestamp("0001-01-01T00:00:00Z")
    epoch = parse_timestamp("1970-01-01T00:00:00Z")
    real = parse_timestamp("1970-01-02T00:00:00Z")
    assert zero is not None
    assert is_placeholder(zero)
    assert epoch is not None
    assert is_placeholder(epoch)
    assert real is not None
    assert not is_placeholder(real)


def test_age_days() -> None:
    now = datetime(2026, 11, 29, 12, tzinfo=UTC)
    assert age_days(datetime(2026, 10, 30, 12, tzinfo=UTC), now) == 30.0
    assert age_days(datetime(2026, 12, 1, tzinfo=UTC), now) == 0.0  # clock skew
    assert days_text(1.9) == "1 day"
    assert days_text(46.2) == "46 days"


def test_audit_clock() -> None:
    assert audit_clock("2026-11-29T10:31:55Z") == datetime(2026, 11, 29, 10, 31, 55, tzinfo=UTC)
    bad = audit_clock("yesterday")
    assert isinstance(bad, Verdict)
    assert bad.outcome is Outcome.ERROR
    assert bad.reason == "audit clock is not an RFC 3339 timestamp: 'yesterday'"


@pytest.mark.parametrize(("days", "outcome"), [(30.0, Outcome.PASS), (30.5, Outcome.FAIL)])
def test_age_verdict_fails_only_over_the_limit(days: float, outcome: Outcome) -> None:
    verdict = age_verdict("container", "2026-10-29T10:00:00Z", days, 30)
    assert verdict.outcome is outcome
    assert verdict.message == f"container is {int(days)} days old (limit 30 days)"
    assert verdict.evidence == (
        f"Created=2026-10-29T10:00:00Z ({int(days)} days before the audit)",
    )
