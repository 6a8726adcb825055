"""Throw-away unix users and groups for tests that need real, different callers.

``unix_users(prefix, ["dev", "ro"], group="g")`` creates ``<prefix>dev`` and ``<prefix>ro``
(each with its own private group and a home under a fresh 0755 directory, so the processes
they run can read their own docker CLI config) and, optionally, one shared supplementary
group ``<prefix>g`` they are all members of. Everything is removed on the way out, even when
the test failed: users (``userdel -f``, which does not refuse a user that still owns a
process; the tests stop the processes they started themselves, by PID), groups and homes.
Needs root.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class UnixUser:
    """A created user: name, ids and home directory."""

    name: str
    uid: int
    gid: int
    home: str

    def run(
        self,
        *argv: str,
        env: dict[str, str] | None = None,
        input_bytes: bytes | None = None,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[bytes]:
        """Run ``argv`` as this user (``runuser``), capturing output; never raises on failure."""
        return subprocess.run(
            self.argv(*argv, env=env),
            input=input_bytes,
            capture_output=True,
            timeout=timeout,
            check=False,
        )

    def argv(self, *argv: str, env: dict[str, str] | None = None) -> list[str]:
        """The command line that runs ``argv`` as this user with a clean, minimal environment."""
        base = {
            "HOME": self.home,
            "USER": self.name,
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "LANG": "C.UTF-8",
        }
        pairs = [f"{k}={v}" for k, v in {**base, **(env or {})}.items()]
        return ["runuser", "-u", self.name, "--", "env", "-i", *pairs, *argv]


def _run(*argv: str) -> None:
    subprocess.run(argv, check=True, capture_output=True, timeout=60)


@contextmanager
def unix_users(
    prefix: str, names: Sequence[str], *, group: str | None = None
) -> Iterator[dict[str, UnixUser]]:
    """Create ``<prefix><name>`` users (and group ``<prefix><group>``); remove them afterwards."""
    if os.geteuid() != 0:
        raise RuntimeError("creating unix users needs root")
    base = tempfile.mkdtemp(prefix=f"{prefix}-homes-")
    os.chmod(base, 0o755)  # noqa: S103 - each user must reach its own home below it
    created: list[str] = []
    shared = f"{prefix}{group}" if group else None
    try:
        if shared:
            _run("groupadd", shared)
        for name in names:
            full = f"{prefix}{name}"
            home = os.path.join(base, full)
            extra = ["-G", shared] if shared else []
            _run(
                "useradd", "-m", "-d", home, "-s", "/bin/sh", "-U", "-K", "UMASK=022", *extra, full
            )
            created.append(full)
        users = {}
        for name, full in zip(names, created, strict=True):
            pw = pwd.getpwnam(full)
            users[name] = UnixUser(full, pw.pw_uid, pw.pw_gid, pw.pw_dir)
        yield users
    finally:
        for full in created:
            subprocess.run(["userdel", "-r", "-f", full], capture_output=True, check=False)
            subprocess.run(["groupdel", full], capture_output=True, check=False)
        if shared:
            subprocess.run(["groupdel", shared], capture_output=True, check=False)
        shutil.rmtree(base, ignore_errors=True)
