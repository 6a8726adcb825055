"""The filtering Docker socket proxy: per-user RBAC on a local socket (``seawall authz proxy``).

Callers on the unix socket are identified by the kernel (SO_PEERCRED, resolved through NSS);
callers on a loopback TCP listener by a service token header (stripped, never logged). Every
request on a keep-alive connection is parsed strictly, normalised, judged by the shared
``Enforcer`` and only then re-serialised to the engine; streams, uploads and hijacked
attach/exec sessions pass through unchanged::

    serve(ProxyConfig(listen="unix:///run/seawall/docker.sock"), enforcer)

Modules: ``http1`` (strict heads), ``stream`` (buffers), ``relay`` (bodies, splice),
``upstream`` (relaying answers), ``connection`` (one client), ``server`` (listener),
``lookups`` (target facts from the engine) and ``config``; callers are identified with
``seawall.docker.peercred``.
"""

from __future__ import annotations

from seawall.authz.proxy.config import ProxyConfig, ProxyError
from seawall.authz.proxy.lookups import UpstreamLookups
from seawall.authz.proxy.server import serve

__all__ = ["ProxyConfig", "ProxyError", "UpstreamLookups", "serve"]
