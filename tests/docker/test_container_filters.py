"""--containers / --exclude-containers: name globs and labels."""

from __future__ import annotations

import pytest

from seawall.docker.collect import container_matches


@pytest.mark.parametrize(
    ("patterns", "name", "labels", "expected"),
    [
        (("web-*",), "web-1", {}, True),
        (("web-*",), "db-1", {}, False),
        (("label=tier",), "x", {"tier": "dev"}, True),
        (("label=tier=prod",), "x", {"tier": "dev"}, False),
        (("label=tier=dev",), "x", {"tier": "dev"}, True),
        (("label=a=b=c",), "x", {"a": "b=c"}, True),
        (("label=missing",), "x", {"tier": "dev"}, False),
        (("db-*", "label=tier=dev"), "x", {"tier": "dev"}, True),
    ],
)
def test_matches(
    patterns: tuple[str, ...], name: str, labels: dict[str, str], expected: bool
) -> None:
    assert container_matches(patterns, name, labels) is expected
