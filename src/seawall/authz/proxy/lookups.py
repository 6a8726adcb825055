"""Ownership and run-as facts about a request's target, asked of the engine behind the proxy.

The decision's owner-scoped grants compare the target's ``io.seawall.owner`` label with the
subject; ``container.exec`` also needs the user the container runs as. These lookups are
plain ``GET``s on the upstream socket (inspect of a container, exec, volume or network), each
thread keeping one keep-alive connection of its own. The engine resolves a name or ID prefix
the same way for the inspect as for the request it guards. Nothing is cached: an owner label
must be current. A target that cannot be looked up is reported as not ``known``, which makes
owner-scoped grants deny rather than guess.
"""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import quote

from seawall.authz.model import OWNER_LABEL, ResourceKind, TargetFacts, VolumeFacts
from seawall.authz.proxy.config import Address, connect, parse_address
from seawall.authz.proxy.http1 import MAX_HEAD, FramingError, parse_response_head
from seawall.authz.proxy.relay import read_chunked
from seawall.authz.proxy.stream import Reader

#: Largest inspect document read.
MAX_DOCUMENT = 16 * 1024 * 1024

_UNKNOWN = TargetFacts(known=False)
_MISSING = TargetFacts(known=True, exists=False)


class UpstreamLookups:
    """``Lookups`` over the engine's API socket (thread-safe: one connection per thread)."""

    def __init__(self, upstream: str | Address, *, timeout: float = 10.0) -> None:
        self.address = upstream if isinstance(upstream, Address) else parse_address(upstream)
        self.timeout = timeout
        self._local = threading.local()

    def target(self, kind: ResourceKind, ident: str) -> TargetFacts:
        """What the engine says about the ``kind`` object named ``ident``."""
        name = quote(ident, safe="")
        if kind is ResourceKind.CONTAINER:
            return self._container(name)
        if kind is ResourceKind.EXEC:
            status, doc = self._get(f"/exec/{name}/json")
            if status == 404:
                return _MISSING
            container = _str(doc, "ContainerID") if status == 200 else None
            if not container:
                return _UNKNOWN
            return self._container(quote(container, safe=""))
        if kind in (ResourceKind.VOLUME, ResourceKind.NETWORK):
            path = f"/volumes/{name}" if kind is ResourceKind.VOLUME else f"/networks/{name}"
            status, doc = self._get(path)
            if status == 404:
                return _MISSING
            if status != 200 or not isinstance(doc, dict):
                return _UNKNOWN
            return TargetFacts(known=True, exists=True, owner=_label(doc.get("Labels")))
        return _UNKNOWN

    def volume(self, name: str) -> VolumeFacts:
        """The driver and options an existing named volume was created with."""
        status, doc = self._get(f"/volumes/{quote(name, safe='')}")
        if status == 404:
            return VolumeFacts(name, exists=False)
        if status != 200 or not isinstance(doc, dict):
            return VolumeFacts(name, known=False)
        driver = doc.get("Driver")
        options = doc.get("Options")
        opts = {str(k): str(v) for k, v in options.items()} if isinstance(options, dict) else {}
        return VolumeFacts(
            name, exists=True, driver=driver if isinstance(driver, str) else "", options=opts
        )

    def _container(self, name: str) -> TargetFacts:
        status, doc = self._get(f"/containers/{name}/json")
        if status == 404:
            return _MISSING
        if status != 200 or not isinstance(doc, dict):
            return _UNKNOWN
        config = doc.get("Config")
        config = config if isinstance(config, dict) else {}
        user = config.get("User")
        return TargetFacts(
            known=True,
            exists=True,
            owner=_label(config.get("Labels")),
            user=user if isinstance(user, str) else None,
            container_id=_str(doc, "Id"),
        )

    def _get(self, path: str) -> tuple[int, Any]:
        """``(status, parsed JSON or None)``; status 0 when the engine could not be asked."""
        for attempt in (0, 1):
            reader: Reader | None = getattr(self._local, "reader", None)
            fresh = reader is None
            try:
                if reader is None:
                    sock = connect(self.address, self.timeout)
                    sock.settimeout(self.timeout)
                    reader = self._local.reader = Reader(sock, 64 * 1024)
                return self._exchange(reader, path)
            except (OSError, EOFError, FramingError, ValueError):
                self.close()
                if fresh or attempt:
                    return 0, None
        return 0, None  # pragma: no cover - the loop always returns

    def _exchange(self, reader: Reader, path: str) -> tuple[int, Any]:
        reader.sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: docker\r\nUser-Agent: seawall-proxy\r\n\r\n".encode()
        )
        raw = reader.read_head(MAX_HEAD)
        if raw is None:
            raise EOFError("engine closed the connection")
        head = parse_response_head(raw)
        if head.chunked:
            body = read_chunked(reader, MAX_DOCUMENT)
        elif head.content_length is not None:
            if head.content_length > MAX_DOCUMENT:
                raise FramingError("inspect document too large")
            body = reader.read_exact(head.content_length)
        else:
            raise FramingError("unframed inspect response")
        if head.close:
            self.close()
        return head.status, json.loads(body) if body else None

    def close(self) -> None:
        """Drop this thread's connection (the next lookup opens a new one)."""
        reader: Reader | None = getattr(self._local, "reader", None)
        if reader is not None:
            self._local.reader = None
            reader.sock.close()


def _label(labels: object) -> str | None:
    if isinstance(labels, dict):
        value = labels.get(OWNER_LABEL)
        return value if isinstance(value, str) else None
    return None


def _str(doc: object, key: str) -> str | None:
    value = doc.get(key) if isinstance(doc, dict) else None
    return value if isinstance(value, str) else None
