"""``build_host_network`` and friends on classic builds, BuildKit and imports."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seawall.authz.policy import Constraints
from tests.authz.cli_bodies import judge

HOST = Constraints(build_host_network=True)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ({"networkmode": "host", "t": "x"}, "build_host_network"),
        ({"networkmode": "HOST"}, "build_host_network"),
        ({"networkmode": "container:web"}, "host_namespaces"),
        ({"version": "2"}, "build_host_network"),
        ({"remote": "https://example.invalid/ctx.tar"}, "build_host_network"),
        ({"remote": "git://example.invalid/repo.git"}, "build_host_network"),
    ],
)
def test_builds(query: dict[str, str], key: str) -> None:
    assert judge("image.build", None, Constraints(), path="/build", query=query) == key
    assert judge("image.build.buildkit", None, Constraints(), path="/build", query=query) == key
    if key == "build_host_network":
        assert judge("image.build", None, HOST, path="/build", query=query) is None


@pytest.mark.parametrize(
    "query", [{}, {"t": "127.0.0.1:5000/x", "networkmode": "default"}, {"networkmode": "none"}]
)
def test_ordinary_builds(query: dict[str, str]) -> None:
    assert judge("image.build", None, Constraints(), path="/build", query=query) is None


def test_import_from_a_url() -> None:
    url = {"fromSrc": "http://10.0.0.1/rootfs.tar"}
    assert judge("image.import", None, Constraints(), path="/images/create", query=url) == (
        "build_host_network"
    )
    assert judge("image.import", None, HOST, path="/images/create", query=url) is None
    upload = {"fromSrc": "-", "repo": "127.0.0.1:5000/x"}
    limited = replace(HOST, registries=("127.0.0.1:5000",))
    assert judge("image.import", None, limited, path="/images/create", query=upload) is None
