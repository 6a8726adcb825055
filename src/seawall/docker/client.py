"""A thin, typed wrapper over the docker SDK's low-level client.

It negotiates the API version with the engine (never pinning one newer than the engine
speaks), refuses engines older than ``MIN_API_VERSION``, applies timeouts, and turns every
transport failure into one ``EngineError`` line naming the endpoint and the reason.
"""

from __future__ import annotations

import os
from typing import Any

import docker.errors
import requests
from docker.constants import DEFAULT_DOCKER_API_VERSION

import docker
from seawall.errors import EngineError

#: Oldest Engine API seawall supports: 1.24 (Docker 1.12, 2016), as the docker SDK does.
MIN_API_VERSION = "1.24"
DEFAULT_ENDPOINT = "unix:///var/run/docker.sock"
START_HINT = (
    "start the engine (e.g. `systemctl start docker`, or `dockerd &` as root) or point --host at it"
)


def api_tuple(version: str) -> tuple[int, ...]:
    """``"1.41"`` -> ``(1, 41)``; raises ``ValueError`` on anything else."""
    parts = tuple(int(p) for p in version.strip().split("."))
    if len(parts) != 2:
        raise ValueError(version)
    return parts


def default_endpoint() -> str:
    """``DOCKER_HOST`` when set, else the local unix socket."""
    return os.environ.get("DOCKER_HOST") or DEFAULT_ENDPOINT


def socket_path(endpoint: str) -> str | None:
    """The filesystem path of a ``unix://`` endpoint, else ``None``."""
    if endpoint.startswith("unix://"):
        return endpoint[len("unix://") :] or None
    return None


def _describe(endpoint: str, exc: BaseException) -> EngineError:
    text = str(exc)
    path = socket_path(endpoint)
    if "Permission denied" in text or isinstance(exc, PermissionError):
        return EngineError(
            f"engine {endpoint}: permission denied on {path or 'the endpoint'}",
            hint="run as root or as a member of the docker group",
        )
    if path and ("No such file" in text or "FileNotFoundError" in text):
        return EngineError(f"engine {endpoint}: no socket at {path}", hint=START_HINT)
    if isinstance(exc, requests.exceptions.Timeout) or "timed out" in text.lower():
        return EngineError(f"engine {endpoint}: no answer (timed out)", hint=START_HINT)
    if "Connection refused" in text:
        return EngineError(f"engine {endpoint}: connection refused", hint=START_HINT)
    first = text.splitlines()[0] if text else type(exc).__name__
    return EngineError(f"engine {endpoint}: cannot connect ({first[:200]})", hint=START_HINT)


class Engine:
    """A connected engine: the negotiated API version and a client that speaks it."""

    def __init__(self, endpoint: str, *, timeout: float = 30.0, pool_size: int = 8) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        tls = _tls_from_env() if endpoint.startswith(("tcp://", "https://")) else False
        try:
            probe = docker.APIClient(
                base_url=endpoint, version=MIN_API_VERSION, timeout=min(timeout, 10.0), tls=tls
            )
            resp = probe.get(probe.base_url + "/_ping")
        except docker.errors.DockerException as exc:
            raise _describe(endpoint, exc) from exc
        except (requests.exceptions.RequestException, OSError) as exc:
            raise _describe(endpoint, exc) from exc
        finally:
            if "probe" in locals():
                probe.close()
        if resp.status_code != 200:
            raise EngineError(f"engine {endpoint}: /_ping answered HTTP {resp.status_code}")
        server = resp.headers.get("API-Version", "")
        try:
            server_t = api_tuple(server)
        except ValueError:
            raise EngineError(
                f"engine {endpoint}: /_ping gave no usable API-Version header ({server!r})"
            ) from None
        if server_t < api_tuple(MIN_API_VERSION):
            raise EngineError(
                f"engine {endpoint}: API {server} is older than the minimum seawall supports ({MIN_API_VERSION}, Docker 1.12)",
                hint="upgrade the Docker engine",
            )
        # Negotiate: the highest version both sides speak, never newer than the engine's.
        self.api_version = min(server_t, api_tuple(DEFAULT_DOCKER_API_VERSION))
        self.api = ".".join(str(p) for p in self.api_version)
        self.client = docker.APIClient(
            base_url=endpoint, version=self.api, timeout=timeout, tls=tls, max_pool_size=pool_size
        )

    def get(self, path: str, **params: Any) -> Any:
        """GET a versioned API path and return the decoded JSON (raises on HTTP errors)."""
        url = self.client._url(path)
        resp = self.client._get(url, params=params or None)
        self.client._raise_for_status(resp)
        return resp.json()

    def stream(self, path: str) -> Any:
        """GET a versioned API path as a raw byte stream (for image exports)."""
        url = self.client._url(path)
        resp = self.client._get(url, stream=True)
        self.client._raise_for_status(resp)
        return resp

    def close(self) -> None:
        """Release pooled connections."""
        self.client.close()


def _tls_from_env() -> Any:
    """TLS settings from DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, as the docker CLI reads them."""
    from docker.utils import kwargs_from_env

    return kwargs_from_env().get("tls", False)


def describe_error(endpoint: str, exc: BaseException) -> str:
    """One line for a failed call: the HTTP status and the engine's message when there is one."""
    if isinstance(exc, docker.errors.APIError):
        status = exc.status_code
        detail = exc.explanation or str(exc)
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        return f"HTTP {status}: {str(detail).strip()[:200]}"
    if isinstance(
        exc, (requests.exceptions.RequestException, OSError, docker.errors.DockerException)
    ):
        return str(_describe(endpoint, exc))
    return f"{type(exc).__name__}: {exc}"


def is_not_found(exc: BaseException) -> bool:
    """True for an HTTP 404 from the engine (an object that vanished mid-audit)."""
    return isinstance(exc, docker.errors.NotFound)
