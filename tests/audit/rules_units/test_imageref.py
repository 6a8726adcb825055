"""Image reference parsing and allow-list matching (seawall.audit.rules._imageref)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seawall.audit.rules._imageref import (
    ImageRef,
    allowed_by,
    first_per_name,
    is_image_id,
    normalise_allowed,
    origin_verdict,
    parse_reference,
    parse_references,
)
from seawall.model import Outcome

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("busybox", ImageRef("docker.io", "library/busybox")),
        ("busybox:1.36", ImageRef("docker.io", "library/busybox", "1.36")),
        ("bitnami/redis:7.4", ImageRef("docker.io", "bitnami/redis", "7.4")),
        ("docker.io/busybox", ImageRef("docker.io", "library/busybox")),
        (
            "index.docker.io/library/busybox:latest",
            ImageRef("docker.io", "library/busybox", "latest"),
        ),
        ("localhost:5000/x", ImageRef("localhost:5000", "x")),
        ("localhost/x:dev", ImageRef("localhost", "x", "dev")),
        ("127.0.0.1:5000/x:tag", ImageRef("127.0.0.1:5000", "x", "tag")),
        (f"x@{DIGEST}", ImageRef("docker.io", "library/x", "", DIGEST)),
        (f"ghcr.io/acme/tool:2@{DIGEST}", ImageRef("ghcr.io", "acme/tool", "2", DIGEST)),
        ("registry.example.com/a/b:1", ImageRef("registry.example.com", "a/b", "1")),
        ("Registry.Example.com/a/b", ImageRef("registry.example.com", "a/b")),
        ("[::1]:5000/team/app:v1", ImageRef("[::1]:5000", "team/app", "v1")),
        # A first component without '.', ':' or 'localhost' is a Docker Hub namespace.
        ("myregistry/app", ImageRef("docker.io", "myregistry/app")),
    ],
)
def test_parse_reference(text: str, expected: ImageRef) -> None:
    assert parse_reference(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "<none>:<none>",
        "<none>@<none>",
        DIGEST,
        "ab" * 32,
        "Upper/Case",
        "x:",
        "x@sha256:short",
        "a//b",
        "x:bad tag",
    ],
)
def test_parse_reference_rejects(text: str) -> None:
    assert parse_reference(text) is None


def test_image_ids_are_not_references() -> None:
    assert is_image_id(DIGEST)
    assert is_image_id("ab" * 32)
    assert not is_image_id("busybox")
    # A short ID is also a valid repository name; callers decide with the container's image ID.
    assert not is_image_id("4f1a2b3c4d5e")


@pytest.mark.parametrize(
    ("entry", "normalised"),
    [
        ("registry.example.com", "registry.example.com"),
        ("Registry.Example.com/", "registry.example.com"),
        ("127.0.0.1:5000", "127.0.0.1:5000"),
        ("index.docker.io", "docker.io"),
        ("docker.io/library", "docker.io/library"),
        ("index.docker.io/library", "docker.io/library"),
        ("myorg/app", "docker.io/myorg/app"),
        ("ghcr.io/acme", "ghcr.io/acme"),
    ],
)
def test_normalise_allowed(entry: str, normalised: str) -> None:
    assert normalise_allowed(entry) == normalised


@pytest.mark.parametrize(
    ("ref", "allowed", "match"),
    [
        ("registry.example.com/a/b:1", ["registry.example.com"], "registry.example.com"),
        ("127.0.0.1:5000/x:tag", ["127.0.0.1:5000"], "127.0.0.1:5000"),
        ("busybox", ["docker.io/library"], "docker.io/library"),
        ("busybox", ["docker.io"], "docker.io"),
        ("bitnami/redis", ["docker.io/library"], None),
        ("library-mirror/nginx", ["docker.io/library"], None),
        ("registry.example.com.attacker.io/a", ["registry.example.com"], None),
        ("registry.example.com:5000/a", ["registry.example.com"], None),
        ("ghcr.io/acme/tool", ["ghcr.io/acme/tool"], "ghcr.io/acme/tool"),
        ("ghcr.io/acme/toolbox", ["ghcr.io/acme/tool"], None),
        ("ghcr.io/acme/tool/sub", ["ghcr.io/acme/tool"], "ghcr.io/acme/tool"),
        ("localhost:5000/x", [], None),
        ("localhost:5000/x", ["", "localhost:5000"], "localhost:5000"),
    ],
)
def test_allowed_by(ref: str, allowed: list[str], match: str | None) -> None:
    parsed = parse_reference(ref)
    assert parsed is not None
    assert allowed_by(parsed, allowed) == match


def test_first_per_name_keeps_first_text() -> None:
    refs = [
        (t, r)
        for t in ("busybox:1.36", f"busybox@{DIGEST}", "ghcr.io/a/b:1")
        if (r := parse_reference(t))
    ]
    assert [t for t, _ in first_per_name(refs)] == ["busybox:1.36", "ghcr.io/a/b:1"]


_component = st.from_regex(r"[a-z0-9]{1,6}(?:[._-][a-z0-9]{1,4})?", fullmatch=True)


@given(
    registry=st.sampled_from(
        ["docker.io", "ghcr.io", "registry.example.com", "localhost:5000", "10.0.0.1:443"]
    ),
    path=st.lists(_component, min_size=2, max_size=4),
    tag=st.one_of(st.just(""), st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True)),
)
def test_round_trip(registry: str, path: list[str], tag: str) -> None:
    ref = ImageRef(registry, "/".join(path), tag)
    text = ref.name + (f":{tag}" if tag else "")
    assert parse_reference(text) == ref


def test_parse_references_keeps_text_and_drops_non_references() -> None:
    texts = ["busybox:1.36", "<none>:<none>", "sha256:" + "ab" * 32, f"busybox@{DIGEST}"]
    assert parse_references(texts) == [
        ("busybox:1.36", ImageRef("docker.io", "library/busybox", "1.36")),
        (f"busybox@{DIGEST}", ImageRef("docker.io", "library/busybox", digest=DIGEST)),
    ]


def test_origin_verdict_fails_once_per_repository() -> None:
    refs = parse_references(["busybox:1.36", f"busybox@{DIGEST}", "quay.io/org/app:1"])
    verdict = origin_verdict("image", refs, ("quay.io",))
    assert verdict.outcome is Outcome.FAIL
    assert verdict.message == "image comes from a registry outside allowed_registries (quay.io)"
    assert verdict.evidence == ("docker.io/library/busybox (from busybox:1.36)",)


def test_origin_verdict_passes_naming_the_admitting_entry() -> None:
    refs = parse_references(["busybox:1.36"])
    verdict = origin_verdict("container image", refs, ("quay.io", "docker.io/library"))
    assert verdict.outcome is Outcome.PASS
    assert verdict.message == "container image comes from an allowed registry"
    assert verdict.evidence == ("docker.io/library/busybox allowed by docker.io/library",)


def test_origin_verdict_empty_allow_list() -> None:
    verdict = origin_verdict("image", parse_references(["busybox"]), ())
    assert verdict.outcome is Outcome.FAIL
    assert "(empty list)" in verdict.message
