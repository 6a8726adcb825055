"""Suite-wide fixtures: the real Docker engine (a missing one fails, never skips)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.engine import engine_ok


@pytest.fixture(scope="session")
def engine() -> str:
    """The endpoint of the real engine started by the test command; fail loudly without it."""
    reason = engine_ok()
    if reason is not None:
        pytest.fail(f"the Docker engine is required for this test and is not reachable: {reason}")
    return "unix:///var/run/docker.sock"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read or write the user's real seawall cache."""
    old = os.environ.get("SEAWALL_CACHE_DIR")
    os.environ["SEAWALL_CACHE_DIR"] = str(tmp_path_factory.mktemp("seawall-cache"))
    yield
    if old is None:
        os.environ.pop("SEAWALL_CACHE_DIR", None)
    else:
        os.environ["SEAWALL_CACHE_DIR"] = old
