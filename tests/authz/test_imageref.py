"""Image references normalised like distribution/reference, and registry allow-lists."""

from __future__ import annotations

import pytest

from seawall.authz.imageref import ImageIdError, ImageRef, RefError, allowed, parse, refusal

_DIGEST = "sha256:" + "a" * 64


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("busybox", ImageRef("docker.io", "library/busybox")),
        ("busybox:1.36", ImageRef("docker.io", "library/busybox", "1.36")),
        ("docker.io/busybox", ImageRef("docker.io", "library/busybox")),
        ("docker.io/library/busybox", ImageRef("docker.io", "library/busybox")),
        ("index.docker.io/busybox", ImageRef("docker.io", "library/busybox")),
        (
            "index.docker.io/library/busybox:latest",
            ImageRef("docker.io", "library/busybox", "latest"),
        ),
        # the engine adds library/ only for docker.io spellings; the host is still Docker Hub
        ("registry-1.docker.io/busybox", ImageRef("docker.io", "busybox")),
        ("DOCKER.IO/library/busybox", ImageRef("docker.io", "library/busybox")),
        ("team/app", ImageRef("docker.io", "team/app")),
        ("127.0.0.1:5000/app:1", ImageRef("127.0.0.1:5000", "app", "1")),
        ("localhost/app", ImageRef("localhost", "app")),
        ("localhost:5001/team/app", ImageRef("localhost:5001", "team/app")),
        ("[::1]:5000/app", ImageRef("[::1]:5000", "app")),
        ("reg.example/a/b/c:V2", ImageRef("reg.example", "a/b/c", "V2")),
        (f"127.0.0.1:5000/app@{_DIGEST}", ImageRef("127.0.0.1:5000", "app", None, _DIGEST)),
        (f"app:1@{_DIGEST}", ImageRef("docker.io", "library/app", "1", _DIGEST)),
        ("my-app__x.y", ImageRef("docker.io", "library/my-app__x.y")),
    ],
)
def test_references_normalise_like_the_engine(ref: str, expected: ImageRef) -> None:
    assert parse(ref) == expected


@pytest.mark.parametrize(
    "ref",
    [
        "",
        "Busybox",
        "127.0.0.1:5000/App",
        "docker.io/Library/busybox",
        "busybox:",
        "busybox@sha256:abc",
        "-app",
        "app/",
        "/app",
        "app//x",
        "a" * 300,
        "reg.example/ſ",
        "app:" + "t" * 129,
        "127.0.0.1:5000/app:1 ",
    ],
)
def test_invalid_references_are_refused(ref: str) -> None:
    with pytest.raises(RefError):
        parse(ref)


@pytest.mark.parametrize(
    "ref", ["a" * 64, "sha256:" + "b" * 64, "sha256:0123abc", "3f57d9401f8d", "cafe"]
)
def test_image_ids_and_id_prefixes_are_not_registry_references(ref: str) -> None:
    with pytest.raises(ImageIdError):
        parse(ref)


LOCAL = ("127.0.0.1:5000",)


@pytest.mark.parametrize(
    "ref",
    [
        "127.0.0.1:5000/app",
        "127.0.0.1:5000/team/app:1",
        f"127.0.0.1:5000/app@{_DIGEST}",
        f"127.0.0.1:5000/app:1@{_DIGEST}",
    ],
)
def test_allowed_registry_spellings(ref: str) -> None:
    assert allowed(ref, LOCAL)


@pytest.mark.parametrize(
    "ref",
    [
        "127.0.0.1:5001/app",  # another port
        "localhost:5000/app",  # another name for the same host is another registry
        "127.0.0.1/app",
        "127.0.0.2:5000/app",
        "app",  # Docker Hub
        "127.0.0.1:5000",  # Docker Hub: "127.0.0.1" repository with tag "5000"
        "docker.io/127.0.0.1:5000/app",
        "127.0.0.1:5000/App",  # invalid
        "a" * 64,  # an image ID
        "sha256:" + "a" * 64,
    ],
)
def test_refused_spellings(ref: str) -> None:
    assert not allowed(ref, LOCAL)


@pytest.mark.parametrize(
    ("ref", "registries", "expected"),
    [
        ("busybox", ("docker.io",), True),
        ("index.docker.io/busybox", ("docker.io",), True),
        ("docker.io/library/busybox", ("index.docker.io",), True),
        ("registry-1.docker.io/library/busybox", ("docker.io",), True),
        ("busybox", ("docker.io/library",), True),
        ("team/app", ("docker.io/library",), False),
        ("registry-1.docker.io/busybox", ("docker.io/library",), False),
        ("reg.example/team/app", ("reg.example/team",), True),
        ("reg.example/team", ("reg.example/team",), True),
        ("reg.example/teamx/app", ("reg.example/team",), False),
        ("reg.example/other/team/app", ("reg.example/team",), False),
        ("REG.EXAMPLE/team/app", ("reg.example/team",), True),
        ("reg.example/team/app", (), False),
        ("reg.example/team/app", ("other.example", "reg.example"), True),
    ],
)
def test_allow_list_entries(ref: str, registries: tuple[str, ...], expected: bool) -> None:
    assert allowed(ref, registries) is expected


def test_refusal_reasons() -> None:
    assert refusal("127.0.0.1:5000/app", LOCAL) is None
    assert "localhost:5000/app, not from an allowed registry (127.0.0.1:5000)" in str(
        refusal("localhost:5000/app", LOCAL)
    )
    assert "image ID" in str(refusal("a" * 64, LOCAL))
    assert "lower case" in str(refusal("127.0.0.1:5000/App", LOCAL))
    assert "(none)" in str(refusal("app", ()))
