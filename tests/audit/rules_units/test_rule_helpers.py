"""Small pure helpers of individual rules (IM001, IM005, SW007, LC001, LC005)."""

from __future__ import annotations

import pytest

from seawall.audit.rules.images.im001_image_user import runs_as_root
from seawall.audit.rules.images.im005_content_trust import content_trust_enabled
from seawall.audit.rules.lifecycle.lc001_drift import engine_created
from seawall.audit.rules.swarm.sw007_node_cert_expiry import describe_expiry
from seawall.facts.container import Change


@pytest.mark.parametrize(("user", "root"), [
    ("", True), ("root", True), ("0", True), ("00", True), ("0:0", True), ("root:root", True),
    ("0:1000", True), (" root ", True), ("1000", False), ("app", False), ("1000:0", False),
    ("nobody:nogroup", False), ("rootless", False),
])  # fmt: skip
def test_runs_as_root(user: str, root: bool) -> None:
    assert runs_as_root(user) is root


@pytest.mark.parametrize(("value", "enabled"), [
    (None, False), ("", False), ("0", False), ("false", False), ("FALSE", False), ("f", False),
    ("1", True), ("true", True), ("yes", True), ("on", True),
])  # fmt: skip
def test_content_trust_enabled(value: str | None, enabled: bool) -> None:
    # docker/cli: any non-empty value that strconv.ParseBool does not read as false enables it.
    assert content_trust_enabled(value) is enabled


@pytest.mark.parametrize(("ns", "text"), [
    (7776000000000000, "90 days"), (129600000000000, "36 hours"), (3600000000000, "1 hours"),
    (None, "90 days (engine default)"), (0, "90 days (engine default)"),
])  # fmt: skip
def test_describe_expiry(ns: object, text: str) -> None:
    assert describe_expiry(ns) == text


MOUNTS = frozenset({"/srv/data", "/etc/app/conf.d"})


@pytest.mark.parametrize(("kind", "path", "engine"), [
    ("A", "/srv", True), ("A", "/srv/data", True), ("C", "/etc", True), ("A", "/etc/app", True),
    ("C", "/srv/data", False),  # the mount point itself changed: not the engine's doing
    ("D", "/srv", False), ("C", "/etc/passwd", False), ("A", "/srv/database", False),
    ("A", "/tmp/x", False),
])  # fmt: skip
def test_engine_created(kind: str, path: str, engine: bool) -> None:
    assert engine_created(Change(kind, path), MOUNTS) is engine
