"""A throwaway TLS PKI for tests: one CA, a server certificate, client certificates with CNs.

Made with the ``openssl`` command line (the test venv has no ``cryptography``), with P-256 keys
so generating a set takes a fraction of a second. The server certificate is valid for
``IP:127.0.0.1`` and ``DNS:localhost``; each client certificate carries its CN, which is what
the Docker engine passes to authorization plugins as the ``User``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DAYS = "2"


@dataclass(frozen=True)
class KeyPair:
    """A certificate and its private key, as PEM files."""

    cert: Path
    key: Path


@dataclass(frozen=True)
class TlsSet:
    """The CA certificate, the server's pair and one pair per client CN."""

    ca: Path
    server: KeyPair
    clients: dict[str, KeyPair] = field(default_factory=dict)

    def client_args(self, cn: str) -> list[str]:
        """``docker`` CLI flags that connect with TLS as client ``cn``."""
        pair = self.clients[cn]
        return [
            "--tlsverify",
            "--tlscacert",
            str(self.ca),
            "--tlscert",
            str(pair.cert),
            "--tlskey",
            str(pair.key),
        ]

    def curl_args(self, cn: str) -> list[str]:
        """``curl`` flags that connect with TLS as client ``cn``."""
        pair = self.clients[cn]
        return ["--cacert", str(self.ca), "--cert", str(pair.cert), "--key", str(pair.key)]


def _openssl(*args: str) -> None:
    proc = subprocess.run(["openssl", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"openssl {args[0]}: {proc.stderr.strip()[-500:]}")


def _key(path: Path) -> None:
    _openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", str(path))
    path.chmod(0o600)


def _issue(ca: KeyPair, directory: Path, name: str, cn: str, extensions: str) -> KeyPair:
    key, csr, cert = (
        directory / f"{name}-key.pem",
        directory / f"{name}.csr",
        directory / f"{name}.pem",
    )
    ext = directory / f"{name}.ext"
    _key(key)
    _openssl("req", "-new", "-key", str(key), "-subj", f"/CN={cn}", "-out", str(csr))
    ext.write_text(extensions)
    _openssl(
        "x509",
        "-req",
        "-in",
        str(csr),
        "-CA",
        str(ca.cert),
        "-CAkey",
        str(ca.key),
        "-CAcreateserial",
        "-days",
        DAYS,
        "-sha256",
        "-extfile",
        str(ext),
        "-out",
        str(cert),
    )
    csr.unlink()
    ext.unlink()
    return KeyPair(cert, key)


def make_tls(directory: Path, client_cns: Iterable[str]) -> TlsSet:
    """Create a CA, a server pair for 127.0.0.1/localhost and a client pair per CN in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    ca = KeyPair(directory / "ca.pem", directory / "ca-key.pem")
    _key(ca.key)
    _openssl(
        "req",
        "-new",
        "-x509",
        "-key",
        str(ca.key),
        "-subj",
        "/CN=seawall test CA",
        "-days",
        DAYS,
        "-sha256",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-out",
        str(ca.cert),
    )
    server = _issue(
        ca,
        directory,
        "server",
        "localhost",
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n",
    )
    clients = {
        cn: _issue(
            ca,
            directory,
            f"client-{i}",
            cn,
            "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n",
        )
        for i, cn in enumerate(client_cns)
    }
    return TlsSet(ca.cert, server, clients)
