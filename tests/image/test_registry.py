"""The registry source against Debian's docker-registry on 127.0.0.1 (open and token-auth).

Images are built on the real engine from a local root filesystem and pushed with docker push
(Docker v2 manifest, gzip) and skopeo (OCI manifest, zstd layers, a multi-arch OCI index).
Tampering, redirects and Basic auth go through a loopback proxy in front of the real registry.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import json
import shutil
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import httpx
import pytest
import zstandard

from seawall.errors import ConfigError, SeawallError, UsageError
from seawall.image.layers import walk_layer
from seawall.image.registry import open_registry, parse_reference
from seawall.image.registry_auth import (
    ENV_PASSWORD,
    ENV_USERNAME,
    Authorizer,
    Credentials,
    RegistryAuth,
    parse_challenges,
)
from seawall.image.source import LayerBlob, OpenedImage
from seawall.image.walk import ImageError
from tests.support.engine import docker, inspect, remove_prefixed
from tests.support.registry import (
    Exchange,
    FixtureImages,
    Proxy,
    RegistryProcess,
    TokenIssuer,
    push_fixture_images,
    start_registry,
    tamper_json,
)

PREFIX = "seawall-regtest"
USER, PASSWORD = "alice", "wonderland-Pa55"
REFRESH = "refresh-" + "7f3c9a1e5b2d4c6a8e0f1a2b3c4d5e6f"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"


@dataclass(frozen=True)
class Registries:
    """The running registries (sharing one storage) and what was pushed."""

    open: RegistryProcess
    secured: RegistryProcess
    issuer: TokenIssuer
    images: FixtureImages


@pytest.fixture(scope="session")
def regs(engine: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registries]:
    """Start an open and a token-auth registry on one storage; push the fixture images."""
    for tool in ("docker-registry", "skopeo", "openssl"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is required for the registry tests (scripts/test.sh installs it)")
    work = tmp_path_factory.mktemp("registry")
    storage = work / "storage"
    storage.mkdir()
    with contextlib.ExitStack() as stack:
        issuer = TokenIssuer(work, users={USER: PASSWORD}, refresh={REFRESH: USER})
        stack.callback(issuer.stop)
        plain = start_registry(work, storage, "open")
        stack.callback(plain.stop)
        secured = start_registry(work, storage, "token", token=issuer)
        stack.callback(secured.stop)
        stack.callback(remove_prefixed, f"{plain.host}/{PREFIX}/")
        images = push_fixture_images(plain.host, PREFIX, work)
        yield Registries(plain, secured, issuer, images)


@pytest.fixture(autouse=True)
def _no_ambient_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never read the real ~/.docker/config.json or the caller's SEAWALL_REGISTRY_* env."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("DOCKER_CONFIG", ENV_USERNAME, ENV_PASSWORD):
        monkeypatch.delenv(name, raising=False)


@contextlib.contextmanager
def opened(ref: str, **kw: object) -> Iterator[OpenedImage]:
    """``open_registry`` closed at the end."""
    image = open_registry(ref, tmpdir="/nonexistent", **kw)  # type: ignore[arg-type]
    try:
        yield image
    finally:
        image.close()


def fails(ref: str, **kw: object) -> ImageError:
    """The ImageError ``open_registry`` raises for ``ref``."""
    with pytest.raises(ImageError) as info:
        open_registry(ref, tmpdir="/nonexistent", **kw)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)
    return info.value


def blob_digests(blob: LayerBlob) -> tuple[str, str]:
    """(sha256 of the blob as served, sha256 of the uncompressed tar)."""
    with blob.open() as fh:
        data = fh.read()
    if blob.ref.media_type.endswith("zstd"):
        tar = zstandard.ZstdDecompressor().decompressobj().decompress(data)
    else:
        tar = gzip.decompress(data)
    return f"sha256:{hashlib.sha256(data).hexdigest()}", f"sha256:{hashlib.sha256(tar).hexdigest()}"


def saved_diff_ids(tag: str, tmp: Path) -> list[str]:
    """The sha256 of each layer tar in ``docker save`` of ``tag``."""
    path = tmp / "saved.tar"
    docker("save", "-o", str(path), tag)
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        out = []
        for name in manifest[0]["Layers"]:
            member = tar.extractfile(name)
            assert member is not None
            out.append(f"sha256:{hashlib.sha256(member.read()).hexdigest()}")
    return out


# -- pulling the fixture images -------------------------------------------------------------


def test_docker_push_matches_docker_save(regs: Registries, tmp_path: Path) -> None:
    ref = f"{regs.open.host}/{regs.images.app}"
    with opened(ref, insecure=(regs.open.host,)) as image:
        info = image.info
        assert (info.ref, info.source) == (ref, "registry")
        local = inspect(regs.images.local_tag)
        assert info.id == local["Id"]
        assert info.tags == (ref,)
        assert (info.os, info.architecture) == ("linux", "amd64")
        assert info.created == local["Created"]
        assert info.config["Cmd"] == ["/bin/sh"]
        assert info.digest is not None and info.digest.startswith("sha256:")
        assert [lay.media_type for lay in info.layers] == [
            "application/vnd.docker.image.rootfs.diff.tar.gzip"
        ] * 2
        assert [lay.created_by for lay in info.layers] == [
            "Imported from -",
            "/bin/sh -c echo seawall > /hello",
        ]
        assert all(lay.base is None for lay in info.layers)
        saved = saved_diff_ids(regs.images.local_tag, tmp_path)
        assert [lay.diff_id for lay in info.layers] == saved
        for blob in image.layers:
            assert blob.stat_key is None
            assert blob_digests(blob) == (blob.ref.digest, blob.ref.diff_id)


def test_oci_manifest_and_zstd_layers(regs: Registries, tmp_path: Path) -> None:
    saved = saved_diff_ids(regs.images.local_tag, tmp_path)
    for ref, suffix in ((regs.images.oci, "gzip"), (regs.images.zstd, "zstd")):
        with opened(f"{regs.open.host}/{ref}", insecure=(regs.open.host,)) as image:
            layers = image.info.layers
            assert [lay.media_type for lay in layers] == [
                f"application/vnd.oci.image.layer.v1.tar+{suffix}"
            ] * 2
            assert [lay.diff_id for lay in layers] == saved
            for blob in image.layers:
                assert blob_digests(blob) == (blob.ref.digest, blob.ref.diff_id)
                # The walker verifies both claimed digests while streaming.
                with blob.open() as fh:
                    walk = walk_layer(
                        fh,
                        wanted=lambda path: path == "/etc/passwd",
                        tmpdir=str(tmp_path),
                        expected_diff_id=blob.ref.diff_id,
                        expected_digest=blob.ref.digest,
                    )
                assert (walk.digest, walk.diff_id) == (blob.ref.digest, blob.ref.diff_id)
                assert ("/etc/passwd" in walk.files) == (blob.ref.index == 0)


def _manifest(regs: Registries, repo_ref: str, accept: str) -> httpx.Response:
    repo, tag = repo_ref.rsplit(":", 1)
    url = f"http://{regs.open.host}/v2/{repo}/manifests/{tag}"
    return httpx.get(url, headers={"Accept": accept}, timeout=10)


def test_multiarch_index_platform_selection(regs: Registries) -> None:
    host, multi = regs.open.host, regs.images.multi
    index = _manifest(regs, multi, OCI_INDEX)
    index_digest = index.headers["docker-content-digest"]
    children = {m["platform"]["architecture"]: m["digest"] for m in index.json()["manifests"]}
    with opened(f"{host}/{multi}", insecure=(host,)) as image:
        assert (image.info.architecture, image.info.digest) == ("amd64", children["amd64"])
        amd_id = image.info.id
    for plat in ("linux/arm64", "linux/arm64/v8"):
        with opened(f"{host}/{multi}", insecure=(host,), platform=plat) as image:
            assert (image.info.architecture, image.info.digest) == ("arm64", children["arm64"])
            assert image.info.id != amd_id
            assert [lay.diff_id for lay in image.info.layers]
    err = fails(f"{host}/{multi}", insecure=(host,), platform="linux/arm/v7")
    assert "no image for platform linux/arm/v7" in str(err)
    assert "available: linux/amd64, linux/arm64/v8" in str(err)
    # Pulled by digest: the index, then one platform's manifest directly.
    by_index = f"{host}/{PREFIX}/multi@{index_digest}"
    with opened(by_index, insecure=(host,), platform="linux/arm64") as image:
        assert image.info.digest == children["arm64"] and image.info.tags == ()
    with opened(f"{host}/{PREFIX}/multi@{children['arm64']}", insecure=(host,)) as image:
        assert (image.info.architecture, image.info.digest) == ("arm64", children["arm64"])
    err = fails(f"{host}/{regs.images.app}", insecure=(host,), platform="linux/arm64")
    assert "the image is for platform linux/amd64, not linux/arm64" in str(err)


def test_base_image_annotation(regs: Registries) -> None:
    host = regs.open.host
    doc = _manifest(regs, regs.images.oci, OCI_MANIFEST).json()
    base = "sha256:" + "ab" * 32
    doc["annotations"] = {
        "org.opencontainers.image.base.name": "docker.io/library/debian:12",
        "org.opencontainers.image.base.digest": base,
    }
    repo = regs.images.oci.rsplit(":", 1)[0]
    put = httpx.put(
        f"http://{host}/v2/{repo}/manifests/annotated",
        content=json.dumps(doc).encode(),
        headers={"Content-Type": OCI_MANIFEST},
        timeout=10,
    )
    assert put.status_code == 201, put.text
    with opened(f"{host}/{repo}:annotated", insecure=(host,)) as image:
        assert image.info.base_image == f"docker.io/library/debian:12@{base}"


# -- transport policy and plain errors ------------------------------------------------------


def test_plain_http_needs_insecure_listing(regs: Registries) -> None:
    host = regs.open.host
    err = fails(f"{host}/{regs.images.app}")
    assert f"registry {host}, repository {PREFIX}/app: TLS failure" in str(err)
    assert err.hint is not None and f"--insecure-registry {host}" in err.hint
    # 127.0.0.1 and localhost are not special, and one does not stand for the other.
    port = host.rsplit(":", 1)[1]
    err = fails(f"localhost:{port}/{regs.images.app}", insecure=(host,))
    assert "TLS failure" in str(err)


def test_not_found(regs: Registries) -> None:
    host = regs.open.host
    err = fails(f"{host}/{PREFIX}/app:nope", insecure=(host,))
    assert str(err).startswith(f"registry {host}, repository {PREFIX}/app: tag 'nope' not found")
    assert "HTTP 404" in str(err)
    err = fails(f"{host}/{PREFIX}/missing", insecure=(host,))
    assert f"repository {PREFIX}/missing: tag 'latest' not found (HTTP 404" in str(err)
    err = fails(f"127.0.0.1:1/{PREFIX}/app", insecure=("127.0.0.1:1",))
    assert "cannot connect to 127.0.0.1:1" in str(err)


# -- bearer token auth ----------------------------------------------------------------------


def _no_secrets(regs: Registries, err: SeawallError) -> None:
    text = f"{err} {err.hint or ''}"
    basic = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    for secret in (PASSWORD, REFRESH, basic, *regs.issuer.issued):
        assert secret not in text


def test_token_auth_anonymous_refused(regs: Registries) -> None:
    host = regs.secured.host
    err = fails(f"{host}/{regs.images.app}", insecure=(host,))
    assert "authentication required (HTTP 401) and no credentials found" in str(err)
    assert err.hint is not None and ENV_USERNAME in err.hint
    _no_secrets(regs, err)


def test_token_auth_with_env_credentials(regs: Registries, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_USERNAME, USER)
    monkeypatch.setenv(ENV_PASSWORD, PASSWORD)
    host = regs.secured.host
    issued = len(regs.issuer.issued)
    with opened(f"{host}/{regs.images.multi}", insecure=(host,)) as image:
        for blob in image.layers:
            assert blob_digests(blob)[1] == blob.ref.diff_id
    # One token for the repository's pull scope, reused for manifests, config and blobs.
    assert len(regs.issuer.issued) == issued + 1
    err = fails(f"{host}/{PREFIX}/app:nope", insecure=(host,))
    assert "not found" in str(err)
    _no_secrets(regs, err)


def test_token_auth_with_docker_config(regs: Registries, tmp_path: Path) -> None:
    host = regs.secured.host
    home = tmp_path / "home"
    (home / ".docker").mkdir()
    config = home / ".docker" / "config.json"
    auth = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    config.write_text(json.dumps({"auths": {f"http://{host}/v2/": {"auth": auth}}}))
    with opened(f"{host}/{regs.images.oci}", insecure=(host,)) as image:
        assert image.info.layers
    config.write_text(json.dumps({"auths": {host: {"auth": "", "identitytoken": REFRESH}}}))
    with opened(f"{host}/{regs.images.oci}", insecure=(host,)) as image:
        assert image.info.layers
    assert ("POST", None) in regs.issuer.requests


def test_token_auth_wrong_password(regs: Registries) -> None:
    host = regs.secured.host
    auth = RegistryAuth(explicit=((host, Credentials(USER, "not-" + PASSWORD, origin="test")),))
    err = fails(f"{host}/{regs.images.app}", insecure=(host,), auth=auth)
    assert f"token server http://127.0.0.1:{regs.issuer.realm.split(':')[2].split('/')[0]}" in str(
        err
    )
    assert f"rejected the credentials of user {USER!r} from test (HTTP 401)" in str(err)
    assert "not-" + PASSWORD not in str(err)
    _no_secrets(regs, err)


def test_credential_helper_is_named(regs: Registries, tmp_path: Path) -> None:
    host = regs.secured.host
    config = tmp_path / "home" / ".docker" / "config.json"
    config.parent.mkdir()
    config.write_text(json.dumps({"auths": {host: {}}, "credsStore": "desktop"}))
    err = fails(f"{host}/{regs.images.app}", insecure=(host,))
    assert "credential helper desktop (credsStore), which seawall does not call" in str(err)


# -- through a proxy: basic auth, redirects, tampering --------------------------------------


@pytest.fixture
def proxy(regs: Registries) -> Iterator[Callable[..., Proxy]]:
    """Start proxies in front of the open registry; all stopped after the test."""
    started: list[Proxy] = []

    def make(**kw: object) -> Proxy:
        p = Proxy(f"http://{regs.open.host}", **kw).start()  # type: ignore[arg-type]
        started.append(p)
        return p

    yield make
    for p in started:
        p.stop()


def _creds(host: str) -> RegistryAuth:
    return RegistryAuth(explicit=((host, Credentials("bob", "b0b-secret", origin="test")),))


def test_basic_auth_and_cross_host_redirect(regs: Registries, proxy: Callable[..., Proxy]) -> None:
    storage = proxy()
    front = proxy(basic=("bob", "b0b-secret"))

    def redirect(ex: Exchange) -> Exchange | None:
        if "/blobs/" in ex.path:
            return replace(ex, status=307, headers={"location": f"http://{storage.host}{ex.path}"})
        return None

    front.hook = redirect
    ref = f"{front.host}/{regs.images.app}"
    err = fails(ref, insecure=(front.host, storage.host))
    assert "authentication required (HTTP 401)" in str(err)
    with opened(ref, insecure=(front.host, storage.host), auth=_creds(front.host)) as image:
        for blob in image.layers:
            assert blob_digests(blob)[1] == blob.ref.diff_id
    assert storage.seen and all(auth is None for _, auth in storage.seen)
    assert any(auth and auth.startswith("Basic ") for _, auth in front.seen)
    err = fails(ref, insecure=(front.host,), auth=_creds(front.host))
    assert f"refusing redirect to plain HTTP http://{storage.host}/v2/" in str(err)
    wrong = RegistryAuth(explicit=((front.host, Credentials("bob", "nope-pw", origin="x")),))
    err = fails(ref, insecure=(front.host,), auth=wrong)
    assert "access denied (HTTP 401) for user 'bob' from x" in str(err)
    assert "nope-pw" not in str(err)


def _on(
    path_part: str, change: Callable[[Exchange], Exchange]
) -> Callable[[Exchange], Exchange | None]:
    return lambda ex: change(ex) if path_part in ex.path and ex.status == 200 else None


def _annotate(doc: dict[str, object]) -> None:
    doc["annotations"] = {"tampered": "yes"}


def test_tampered_manifest_by_tag(regs: Registries, proxy: Callable[..., Proxy]) -> None:
    p = proxy(hook=_on("/manifests/", lambda ex: tamper_json(ex, _annotate)))
    err = fails(f"{p.host}/{regs.images.app}", insecure=(p.host,))
    assert "tag '1': digest mismatch: Docker-Content-Digest says sha256:" in str(err)


def test_tampered_manifest_by_digest(regs: Registries, proxy: Callable[..., Proxy]) -> None:
    digest = _manifest(regs, regs.images.app, DOCKER_MANIFEST).headers["docker-content-digest"]

    def change(ex: Exchange) -> Exchange:
        ex = tamper_json(ex, _annotate)
        ex.headers.pop("docker-content-digest", None)
        ex.headers.pop("Docker-Content-Digest", None)
        return ex

    p = proxy(hook=_on("/manifests/", change))
    err = fails(f"{p.host}/{PREFIX}/app@{digest}", insecure=(p.host,))
    assert f"manifest {digest}: digest mismatch: the digest it was fetched by says" in str(err)


def test_tampered_config_and_child_manifest(regs: Registries, proxy: Callable[..., Proxy]) -> None:
    p = proxy()
    config = _manifest(regs, regs.images.app, DOCKER_MANIFEST).json()["config"]["digest"]
    p.hook = _on(f"/blobs/{config}", lambda ex: tamper_json(ex, _annotate))
    err = fails(f"{p.host}/{regs.images.app}", insecure=(p.host,))
    assert f"config {config}: digest mismatch" in str(err)
    index = _manifest(regs, regs.images.multi, OCI_INDEX).json()
    child = index["manifests"][0]["digest"]

    def change(ex: Exchange) -> Exchange:
        ex = tamper_json(ex, _annotate)
        ex.headers = {k: v for k, v in ex.headers.items() if k.lower() != "docker-content-digest"}
        return ex

    p.hook = _on(f"/manifests/{child}", change)
    err = fails(f"{p.host}/{regs.images.multi}", insecure=(p.host,))
    assert f"manifest {child}: digest mismatch" in str(err)


def test_hostile_manifests(regs: Registries, proxy: Callable[..., Proxy]) -> None:
    p = proxy()
    ref = f"{p.host}/{regs.images.app}"

    def body(data: bytes, ctype: str) -> Callable[[Exchange], Exchange]:
        return lambda ex: replace(ex, body=data, headers={"content-type": ctype})

    p.hook = _on("/manifests/", body(b" " * (5 * 1024 * 1024), OCI_MANIFEST))
    assert "over the 4194304-byte limit" in str(fails(ref, insecure=(p.host,)))
    schema1 = json.dumps({"schemaVersion": 1, "name": "x"}).encode()
    p.hook = _on(
        "/manifests/", body(schema1, "application/vnd.docker.distribution.manifest.v1+prettyjws")
    )
    assert "schema 1 manifests are not supported" in str(fails(ref, insecure=(p.host,)))
    p.hook = _on("/manifests/", body(b"{not json", OCI_MANIFEST))
    assert "tag '1': not valid JSON" in str(fails(ref, insecure=(p.host,)))
    doc = _manifest(regs, regs.images.app, DOCKER_MANIFEST).json()
    doc["mediaType"] = "application/vnd.example.thing+json"
    p.hook = _on("/manifests/", body(json.dumps(doc).encode(), OCI_MANIFEST))
    assert "unsupported media type 'application/vnd.example.thing+json'" in str(
        fails(ref, insecure=(p.host,))
    )
    doc = _manifest(regs, regs.images.oci, OCI_MANIFEST).json()
    doc["config"]["mediaType"] = "application/vnd.cncf.helm.config.v1+json"
    p.hook = _on("/manifests/", body(json.dumps(doc).encode(), OCI_MANIFEST))
    assert "(not a container image)" in str(fails(ref, insecure=(p.host,)))
    doc = _manifest(regs, regs.images.oci, OCI_MANIFEST).json()
    doc["layers"][0]["digest"] = "sha256:../../../etc/passwd"
    p.hook = _on("/manifests/", body(json.dumps(doc).encode(), OCI_MANIFEST))
    oci = f"{p.host}/{regs.images.oci}"
    assert "layer: invalid digest 'sha256:../../../etc/passwd'" in str(
        fails(oci, insecure=(p.host,))
    )
    doc["layers"] = doc["layers"][1:]
    p.hook = _on("/manifests/", body(json.dumps(doc).encode(), OCI_MANIFEST))
    assert "rootfs lists 2 layers but the manifest has 1" in str(fails(oci, insecure=(p.host,)))


def test_layer_stream_length_is_enforced(regs: Registries, proxy: Callable[..., Proxy]) -> None:
    p = proxy()
    layer = _manifest(regs, regs.images.app, DOCKER_MANIFEST).json()["layers"][0]["digest"]
    for change, expected in (
        (lambda ex: replace(ex, body=ex.body[:-10]), "truncated"),
        (lambda ex: replace(ex, body=ex.body + b"extra"), "is longer than"),
    ):
        p.hook = _on(f"/blobs/{layer}", change)
        with opened(f"{p.host}/{regs.images.app}", insecure=(p.host,)) as image:
            fh = image.layers[0].open()
            with pytest.raises(ImageError, match=expected), fh:
                _drain(fh)


def _drain(fh: BinaryIO) -> None:
    while fh.read(65536):
        pass


# -- parsing and credential lookup (no servers) ---------------------------------------------


@pytest.mark.parametrize(
    ("ref", "registry", "repository", "tag", "digest"),
    [
        ("busybox", "registry-1.docker.io", "library/busybox", "latest", None),
        ("docker.io/busybox:1.36", "registry-1.docker.io", "library/busybox", "1.36", None),
        ("index.docker.io/user/app", "registry-1.docker.io", "user/app", "latest", None),
        ("user/app:v1", "registry-1.docker.io", "user/app", "v1", None),
        ("localhost/app", "localhost", "app", "latest", None),
        ("localhost:5000/a/b/c:t", "localhost:5000", "a/b/c", "t", None),
        (
            "127.0.0.1:5000/app@sha256:" + "a" * 64,
            "127.0.0.1:5000",
            "app",
            None,
            "sha256:" + "a" * 64,
        ),
        ("ghcr.io/o/r:1@sha256:" + "b" * 64, "ghcr.io", "o/r", "1", "sha256:" + "b" * 64),
    ],
)
def test_parse_reference(
    ref: str, registry: str, repository: str, tag: str | None, digest: str | None
) -> None:
    parsed = parse_reference(ref)
    assert (parsed.registry, parsed.repository, parsed.tag, parsed.digest) == (
        registry,
        repository,
        tag,
        digest,
    )
    assert parsed.reference == (digest or tag)


@pytest.mark.parametrize(
    "ref",
    ["", "UPPER", "host:5000/App", "app@sha256:abc", "app:bad/tag", "a//b", "h:5000/../x", "app:"],
)
def test_parse_reference_rejects(ref: str) -> None:
    with pytest.raises(UsageError):
        parse_reference(ref)


def test_parse_challenges() -> None:
    got = parse_challenges(
        [
            'Bearer realm="https://auth.example/token",service="reg.example",'
            'scope="repository:a/b:pull",error="insufficient_scope"',
            'Basic realm="x \\"quoted\\"", Bearer realm="https://r"',
        ]
    )
    assert [c.scheme for c in got] == ["bearer", "basic", "bearer"]
    assert got[0].params == {
        "realm": "https://auth.example/token",
        "service": "reg.example",
        "scope": "repository:a/b:pull",
        "error": "insufficient_scope",
    }
    assert got[1].params == {"realm": 'x "quoted"'}
    assert got[2].params == {"realm": "https://r"}


def test_credential_lookup(tmp_path: Path) -> None:
    cfg = tmp_path / "config.json"

    def auth(**kw: object) -> RegistryAuth:
        return RegistryAuth(docker_config=str(cfg), env={}, **kw)  # type: ignore[arg-type]

    b64 = base64.b64encode(b"u:p:with:colons").decode()
    cfg.write_text(
        json.dumps(
            {
                "auths": {
                    "https://index.docker.io/v1/": {"auth": b64},
                    "https://reg.example:5000": {"identitytoken": "idt"},
                    "empty.example": {},
                },
                "credHelpers": {"helped.example": "ecr-login"},
            }
        )
    )
    hub = auth().lookup("registry-1.docker.io").credentials
    assert hub is not None and (hub.username, hub.password) == ("u", "p:with:colons")
    assert "p:with:colons" not in repr(hub)
    token = auth().lookup("reg.example:5000").credentials
    assert token is not None and token.identity_token == "idt"
    assert auth().lookup("empty.example").credentials is None
    assert auth().lookup("helped.example").helper == "ecr-login (credHelpers)"
    assert auth().lookup("other.example").credentials is None
    env = RegistryAuth(docker_config=str(cfg), env={ENV_USERNAME: "e", ENV_PASSWORD: "pw"})
    found = env.lookup("registry-1.docker.io").credentials
    assert found is not None and (found.username, found.origin) == ("e", ENV_USERNAME)
    with pytest.raises(ConfigError, match=f"{ENV_USERNAME} is set but {ENV_PASSWORD} is not"):
        RegistryAuth(env={ENV_USERNAME: "e"}).lookup("x.example")
    cfg.write_text(json.dumps({"auths": {"bad.example": {"auth": "!!notbase64"}}}))
    with pytest.raises(ConfigError, match="not base64 of user:password"):
        auth().lookup("bad.example")
    cfg.write_text("{broken")
    with pytest.raises(ConfigError, match="not valid JSON"):
        auth().lookup("bad.example")
    assert (
        RegistryAuth(docker_config=str(tmp_path / "missing.json"), env={}).lookup("a").credentials
        is None
    )


def test_redaction() -> None:
    creds = Credentials("u", "hunter2-password", "refresh-tok", origin="test")
    authz = Authorizer(
        "reg.example",
        RegistryAuth(explicit=(("reg.example", creds),)),
        "registry reg.example, repository r",
        client_for=lambda url: pytest.fail("no HTTP expected"),
        plain_http_ok=lambda url: False,
    )
    assert authz.credentials().credentials == creds
    basic = base64.b64encode(b"u:hunter2-password").decode()
    text = authz.redact(
        f"pw hunter2-password tok refresh-tok basic {basic} "
        "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    )
    assert "hunter2" not in text and "refresh-tok" not in text and basic not in text
    assert "eyJ" not in text
    assert text.startswith("pw *** tok *** basic ***")
