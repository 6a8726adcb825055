"""Suite-wide fixtures: the real Docker engine (a missing one fails, never skips)."""

from __future__ import annotations

import pytest

from tests.support.engine import engine_ok


@pytest.fixture(scope="session")
def engine() -> str:
    """The endpoint of the real engine started by the test command; fail loudly without it."""
    reason = engine_ok()
    if reason is not None:
        pytest.fail(f"the Docker engine is required for this test and is not reachable: {reason}")
    return "unix:///var/run/docker.sock"
