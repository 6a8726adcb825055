"""Test support for the registry source: real registries and servers on 127.0.0.1 only.

- :func:`start_registry` runs Debian's ``docker-registry`` (distribution 2.8) with filesystem
  storage in a temp dir, open or with ``auth: token`` pointing at a :class:`TokenIssuer`;
- :class:`TokenIssuer` is a tiny distribution token server: it checks Basic credentials (or an
  OAuth2 refresh token), and signs RS256 JWTs with a key made by the ``openssl`` CLI, whose
  self-signed certificate is the registry's ``rootcertbundle`` (the token header carries it in
  ``x5c``, which distribution verifies against that bundle);
- :class:`Proxy` forwards to a registry and lets a test rewrite answers (tampered manifests,
  redirects, Basic auth), recording what clients sent;
- :func:`push_fixture_images` builds images on the real engine from a local root filesystem
  and pushes them (docker push, and skopeo for OCI, zstd and a multi-arch index).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.support.engine import build_image, docker, import_image

SERVICE = "seawall-test-registry"
ISSUER = "seawall-test-issuer"


def require_tool(name: str) -> str:
    """The path of ``name``; a missing tool is an error (scripts/test.sh installs them)."""
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is required for the registry tests and is not installed")
    return path


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RegistryProcess:
    """A running ``docker-registry``; ``host`` is ``127.0.0.1:PORT``."""

    host: str
    proc: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        """Terminate the registry and wait for it."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def start_registry(
    workdir: Path, storage: Path, name: str, token: TokenIssuer | None = None
) -> RegistryProcess:
    """Start ``docker-registry serve`` on a free loopback port and wait until it answers."""
    binary = require_tool("docker-registry")
    port = free_port()
    config: dict[str, object] = {
        "version": 0.1,
        "log": {"level": "warn", "accesslog": {"disabled": True}},
        "storage": {"filesystem": {"rootdirectory": str(storage)}, "delete": {"enabled": True}},
        "http": {"addr": f"127.0.0.1:{port}", "secret": secrets.token_hex(16)},
    }
    if token is not None:
        config["auth"] = {
            "token": {
                "realm": token.realm,
                "service": SERVICE,
                "issuer": ISSUER,
                "rootcertbundle": str(token.cert),
            }
        }
    cfg = workdir / f"{name}.yml"
    cfg.write_text(json.dumps(config))  # JSON is YAML
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([binary, "serve", str(cfg)], stdout=out, stderr=subprocess.STDOUT)
    reg = RegistryProcess(f"127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"docker-registry exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://{reg.host}/v2/", timeout=2).status_code in (200, 401):
                return reg
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    reg.stop()
    raise RuntimeError(f"docker-registry did not answer: {log.read_text()[-2000:]}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: object


def _serve(handler: type[BaseHTTPRequestHandler], owner: object) -> _Server:
    server = _Server(("127.0.0.1", 0), handler)
    server.owner = owner
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TokenIssuer:
    """A distribution token server on 127.0.0.1 (see the module docstring)."""

    def __init__(self, workdir: Path, users: dict[str, str], refresh: dict[str, str]) -> None:
        require_tool("openssl")
        self.key = workdir / "issuer-key.pem"
        self.cert = workdir / "issuer-cert.pem"
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
                *("-keyout", str(self.key), "-out", str(self.cert), "-subj", f"/CN={ISSUER}"),
            ],
            check=True,
            capture_output=True,
        )
        pem = self.cert.read_text()
        body = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
        self._x5c = "".join(body.split())
        self.users = users
        self.refresh = refresh
        #: Every token handed out, and every request as (method, Authorization header).
        self.issued: list[str] = []
        self.requests: list[tuple[str, str | None]] = []
        self._server = _serve(_IssuerHandler, self)
        self.realm = f"http://127.0.0.1:{self._server.server_address[1]}/token"

    def grant(self, subject: str, scopes: list[str]) -> str:
        """A signed token giving ``subject`` pull/push on the repositories asked for."""
        access = []
        for scope in scopes:
            kind, _, rest = scope.partition(":")
            name, _, actions = rest.rpartition(":")
            if kind == "repository" and subject:
                wanted = [a for a in actions.split(",") if a in ("pull", "push")]
                access.append({"type": kind, "name": name, "actions": wanted})
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": subject,
            "aud": SERVICE,
            "exp": now + 300,
            "nbf": now - 10,
            "iat": now,
            "jti": uuid.uuid4().hex,
            "access": access,
        }
        header = {"typ": "JWT", "alg": "RS256", "x5c": [self._x5c]}
        signing_input = (
            f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}"
        )
        signature = subprocess.run(
            ["openssl", "dgst", "-sha256", "-sign", str(self.key)],
            input=signing_input.encode(),
            capture_output=True,
            check=True,
        ).stdout
        token = f"{signing_input}.{_b64url(signature)}"
        self.issued.append(token)
        return token

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()


class _IssuerHandler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    @property
    def issuer(self) -> TokenIssuer:
        owner = self.server.owner
        assert isinstance(owner, TokenIssuer)
        return owner

    def _reply(self, status: int, doc: dict[str, object]) -> None:
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _token(self, subject: str, scopes: list[str]) -> None:
        token = self.issuer.grant(subject, scopes)
        self._reply(200, {"token": token, "access_token": token, "expires_in": 300})

    def do_GET(self) -> None:
        """Basic credentials (or none: an anonymous token without access)."""
        url = urlsplit(self.path)
        header = self.headers.get("Authorization")
        self.issuer.requests.append(("GET", header))
        if url.path != "/token":
            self._reply(404, {"error": "not found"})
            return
        scopes = parse_qs(url.query).get("scope", [])
        if header is None:
            self._token("", scopes)
            return
        try:
            user, _, password = base64.b64decode(header.split(" ", 1)[1]).decode().partition(":")
        except (ValueError, IndexError, UnicodeDecodeError):
            user, password = "", ""
        if not header.startswith("Basic ") or self.issuer.users.get(user) != password or not user:
            self._reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "bad credentials"}]})
            return
        self._token(user, scopes)

    def do_POST(self) -> None:
        """OAuth2 refresh-token grant (docker's identity tokens)."""
        length = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(length).decode())
        self.issuer.requests.append(("POST", self.headers.get("Authorization")))
        refresh = form.get("refresh_token", [""])[0]
        subject = self.issuer.refresh.get(refresh)
        if form.get("grant_type") != ["refresh_token"] or subject is None:
            self._reply(401, {"error": "invalid_grant"})
            return
        self._token(subject, " ".join(form.get("scope", [])).split())


@dataclass
class Exchange:
    """One proxied request and the answer about to be sent (a hook may replace the answer)."""

    path: str
    request_headers: dict[str, str]
    status: int
    headers: dict[str, str]
    body: bytes


Hook = Callable[[Exchange], Exchange | None]
_KEEP = ("content-type", "docker-content-digest", "location", "www-authenticate")


@dataclass
class Proxy:
    """A loopback HTTP front for ``upstream`` (``http://host:port``); see the module docstring."""

    upstream: str
    basic: tuple[str, str] | None = None
    hook: Hook | None = None
    #: (path, Authorization header or None) of every request received.
    seen: list[tuple[str, str | None]] = field(default_factory=list)
    host: str = ""
    _server: _Server | None = None

    def start(self) -> Proxy:
        """Start serving on a free loopback port; ``host`` is then ``127.0.0.1:PORT``."""
        self._server = _serve(_ProxyHandler, self)
        self.host = f"127.0.0.1:{self._server.server_address[1]}"
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        """Forward, let the hook rewrite, answer."""
        proxy = self.server.owner
        assert isinstance(proxy, Proxy)
        auth = self.headers.get("Authorization")
        proxy.seen.append((self.path, auth))
        headers = {k.lower(): v for k, v in self.headers.items()}
        if proxy.basic is not None and self.path.startswith("/v2/"):
            good = "Basic " + base64.b64encode(":".join(proxy.basic).encode()).decode()
            if auth != good:
                body = b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}'
                self._send(401, {"www-authenticate": 'Basic realm="seawall-test"'}, body)
                return
        up = httpx.get(
            proxy.upstream + self.path,
            headers={"Accept": self.headers.get("Accept", "*/*")},
            timeout=30,
        )
        kept = {k: v for k, v in up.headers.items() if k.lower() in _KEEP}
        exchange = Exchange(self.path, headers, up.status_code, kept, up.content)
        if proxy.hook is not None:
            exchange = proxy.hook(exchange) or exchange
        self._send(exchange.status, exchange.headers, exchange.body)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if "content-length" not in {k.lower() for k in headers}:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # A client that stops reading (an oversized body it refused) is not an error here.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


def tamper_json(exchange: Exchange, change: Callable[[dict[str, object]], None]) -> Exchange:
    """The exchange with its JSON body changed by ``change`` (headers kept as they were)."""
    doc = json.loads(exchange.body)
    change(doc)
    body = json.dumps(doc).encode()
    return replace(exchange, body=body)


# -- fixture images -------------------------------------------------------------------------


@dataclass(frozen=True)
class FixtureImages:
    """What :func:`push_fixture_images` pushed (references without the registry host)."""

    app: str  # docker push: Docker v2 manifest, gzip layers
    oci: str  # skopeo --format oci (same blobs)
    zstd: str  # skopeo --format oci --dest-compress-format zstd
    multi: str  # OCI index: linux/amd64 + linux/arm64/v8
    local_tag: str  # the engine's tag of the app image (for docker save)


def skopeo(home: Path, *args: str) -> None:
    """Run skopeo with ``home`` as HOME (its blob cache stays in the test's temp dir)."""
    proc = subprocess.run(
        [require_tool("skopeo"), *args],
        capture_output=True,
        timeout=300,
        check=False,
        env={**os.environ, "HOME": str(home)},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"skopeo {' '.join(args)}: {proc.stderr.decode(errors='replace')}")


def _put_blob(layout: Path, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    (layout / "blobs" / "sha256" / digest).write_bytes(data)
    return f"sha256:{digest}"


def _add_multiarch(layout: Path, ref_name: str) -> None:
    """Add an arm64 twin of the layout's one image and an index of both, named ``ref_name``."""
    index = json.loads((layout / "index.json").read_text())
    amd = index["manifests"][0]
    manifest = json.loads((layout / "blobs" / "sha256" / amd["digest"][7:]).read_bytes())
    config = json.loads(
        (layout / "blobs" / "sha256" / manifest["config"]["digest"][7:]).read_bytes()
    )
    arm_config = json.dumps(dict(config, architecture="arm64", variant="v8")).encode()
    arm_manifest = dict(
        manifest,
        config=dict(manifest["config"], digest=_put_blob(layout, arm_config), size=len(arm_config)),
    )
    arm_bytes = json.dumps(arm_manifest).encode()
    multi = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            dict(amd, platform={"os": "linux", "architecture": "amd64"}, annotations={}),
            {
                "mediaType": amd["mediaType"],
                "digest": _put_blob(layout, arm_bytes),
                "size": len(arm_bytes),
                "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"},
            },
        ],
    }
    multi_bytes = json.dumps(multi).encode()
    index["manifests"].append(
        {
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": _put_blob(layout, multi_bytes),
            "size": len(multi_bytes),
            "annotations": {"org.opencontainers.image.ref.name": ref_name},
        }
    )
    (layout / "index.json").write_text(json.dumps(index))


def push_fixture_images(host: str, prefix: str, workdir: Path) -> FixtureImages:
    """Build a two-layer image on the engine and push it in four shapes to ``host``."""
    base = f"{host}/{prefix}/base:1"
    app = f"{host}/{prefix}/app:1"
    import_image(base, with_sshd=False, setuid=False)
    build_image(app, f"FROM {base}\nRUN echo seawall > /hello\n")
    docker("push", app)
    tls = "--dest-tls-verify=false"
    skopeo(
        workdir, "copy", "-q", "--src-tls-verify=false", tls, "--format", "oci",
        f"docker://{app}", f"docker://{host}/{prefix}/app-oci:1",
    )  # fmt: skip
    skopeo(
        workdir, "copy", "-q", tls, "--format", "oci", "--dest-compress", "--dest-compress-format", "zstd",
        f"docker-daemon:{app}", f"docker://{host}/{prefix}/app-zstd:1",
    )  # fmt: skip
    layout = workdir / "layout"
    skopeo(workdir, "copy", "-q", f"docker-daemon:{app}", f"oci:{layout}:amd64")
    _add_multiarch(layout, "multi")
    skopeo(
        workdir,
        "copy",
        "-q",
        "--all",
        tls,
        f"oci:{layout}:multi",
        f"docker://{host}/{prefix}/multi:1",
    )
    return FixtureImages(
        app=f"{prefix}/app:1",
        oci=f"{prefix}/app-oci:1",
        zstd=f"{prefix}/app-zstd:1",
        multi=f"{prefix}/multi:1",
        local_tag=app,
    )
