"""Starting the proxy: socket file, addresses, refusals; and the engine lookups it offers."""

from __future__ import annotations

import grp
import json
import os
import socket
import stat
import threading
from pathlib import Path

import pytest

from seawall.authz.model import OWNER_LABEL, ResourceKind, TargetFacts
from seawall.authz.proxy import ProxyConfig, ProxyError, UpstreamLookups, serve
from seawall.authz.proxy.config import parse_address
from seawall.docker.peercred import peer_credentials
from tests.authz.proxy.fakes import (
    FakeEnforcer,
    FakeEngine,
    FakeHolder,
    Seen,
    respond,
    running_proxy,
)


def test_socket_file_mode_group_and_parent(tmp_path: Path) -> None:
    group = grp.getgrgid(os.getgid()).gr_name
    with running_proxy(tmp_path, socket_mode=0o620, socket_group=group) as p:
        st = os.stat(p.path)
        assert stat.S_ISSOCK(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o620
        assert st.st_gid == os.getgid()
        assert stat.S_IMODE(os.stat(os.path.dirname(p.path)).st_mode) == 0o755


def test_stale_socket_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "run" / "proxy.sock"
    path.parent.mkdir()
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))
    stale.close()
    with running_proxy(tmp_path) as p, p.connect():
        pass


def test_refusals(tmp_path: Path) -> None:
    engine = FakeEngine(str(tmp_path / "engine.sock"))
    up = f"unix://{engine.path}"

    def start(config: ProxyConfig, enforcer: FakeEnforcer | None = None) -> str:
        with pytest.raises(ProxyError) as err:
            serve(config, enforcer or FakeEnforcer(), stop=threading.Event())  # type: ignore[arg-type]
        return err.value.message

    not_sock = tmp_path / "file.sock"
    not_sock.write_text("keep me")
    assert "not a socket" in start(ProxyConfig(listen=f"unix://{not_sock}", upstream=up))
    assert not_sock.read_text() == "keep me"
    live = socket.socket(socket.AF_UNIX)
    live.bind(str(tmp_path / "live.sock"))
    live.listen(1)
    assert "in use" in start(ProxyConfig(listen=f"unix://{tmp_path}/live.sock", upstream=up))
    live.close()
    assert "loopback" in start(ProxyConfig(listen="tcp://0.0.0.0:2376", upstream=up))
    assert "not reachable" in start(
        ProxyConfig(listen=f"unix://{tmp_path}/p.sock", upstream=f"unix://{tmp_path}/none.sock")
    )
    assert "policy" in start(
        ProxyConfig(listen=f"unix://{tmp_path}/p.sock", upstream=up),
        FakeEnforcer(holder=FakeHolder(policy=None)),
    )
    assert "group" in start(
        ProxyConfig(listen=f"unix://{tmp_path}/p.sock", upstream=up, socket_group="no-such-grp-x")
    )
    engine.close()


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("unix:///run/seawall/docker.sock", "unix:///run/seawall/docker.sock"),
        ("/run/x.sock", "unix:///run/x.sock"),
        ("tcp://127.0.0.1:2376", "tcp://127.0.0.1:2376"),
        ("tcp://[::1]:2376", "tcp://[::1]:2376"),
    ],
)
def test_addresses(text: str, expect: str) -> None:
    assert str(parse_address(text)) == expect


@pytest.mark.parametrize(
    "text", ["unix://rel.sock", "tcp://host", "tcp://:1", "http://x", "tcp://h:99999"]
)
def test_bad_addresses(text: str) -> None:
    with pytest.raises(ProxyError):
        parse_address(text)


def test_peer_credentials() -> None:
    a, b = socket.socketpair()
    cred = peer_credentials(a)
    assert (cred.pid, cred.uid, cred.gid) == (os.getpid(), os.getuid(), os.getgid())
    a.close()
    b.close()


def _inspect(seen: Seen, sock: socket.socket) -> bool:
    path = seen.line.split()[1]
    docs = {
        "/containers/web/json": {
            "Id": "c0ffee",
            "Config": {"User": "1000", "Labels": {OWNER_LABEL: "alice"}},
        },
        "/containers/c0ffee/json": {"Id": "c0ffee", "Config": {"User": "", "Labels": None}},
        "/exec/e1/json": {"ContainerID": "c0ffee"},
        "/volumes/v1": {"Name": "v1", "Labels": {OWNER_LABEL: "bob"}},
        "/networks/n%2F1": {"Name": "n/1", "Labels": {}},
    }
    if path == "/containers/chunky/json":
        body = json.dumps({"Id": "chunky", "Config": {"Labels": {OWNER_LABEL: "carol"}}}).encode()
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n"
            % (len(body), body)
        )
        return True
    if path == "/containers/broken/json":
        sock.sendall(b"HTTP/1.1 500 Oops\r\nContent-Length: 2\r\n\r\n{}")
        return False
    doc = docs.get(path)
    sock.sendall(
        respond(200, json.dumps(doc).encode()) if doc else respond(404, b'{"message":"no"}')
    )
    return True


def test_lookups(tmp_path: Path) -> None:
    engine = FakeEngine(str(tmp_path / "engine.sock"))
    engine.handler = _inspect
    lookups = UpstreamLookups(f"unix://{engine.path}")
    C, E, V, N = (
        ResourceKind.CONTAINER,
        ResourceKind.EXEC,
        ResourceKind.VOLUME,
        ResourceKind.NETWORK,
    )
    assert lookups.target(C, "web") == TargetFacts(True, True, "alice", "1000", "c0ffee")
    assert lookups.target(C, "gone") == TargetFacts(known=True, exists=False)
    assert lookups.target(E, "e1") == TargetFacts(True, True, None, "", "c0ffee")
    assert lookups.target(E, "nope") == TargetFacts(known=True, exists=False)
    assert lookups.target(V, "v1") == TargetFacts(True, True, "bob")
    assert lookups.target(N, "n/1") == TargetFacts(True, True, None)
    assert lookups.target(C, "chunky").owner == "carol"
    assert lookups.target(C, "broken") == TargetFacts(known=False)
    assert lookups.target(ResourceKind.IMAGE, "busybox") == TargetFacts(known=False)
    assert lookups.target(C, "web").owner == "alice"
    assert engine.connections == 2  # keep-alive, reconnected once after the engine hung up
    engine.close()
    os.unlink(engine.path)
    lookups.close()
    assert lookups.target(C, "web") == TargetFacts(known=False)
