"""Host path facts: symlinks anywhere in the path, the resolved path, writability for the user."""

from __future__ import annotations

import os
from pathlib import Path

from seawall.authz.gather import path_facts
from seawall.authz.model import Subject, SubjectKind

NOBODY = Subject(SubjectKind.USER, "nobody", uid=65534, gid=65534)


def test_symlink_component_is_seen(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "inner").mkdir(parents=True)
    (tmp_path / "link").symlink_to(real)
    facts = path_facts([f"{tmp_path}/link/inner", f"{real}/inner"], NOBODY)
    via_link = facts[f"{tmp_path}/link/inner"]
    assert via_link.symlinked and via_link.realpath == str(real / "inner")
    direct = facts[f"{real}/inner"]
    assert not direct.symlinked and direct.realpath == str(real / "inner")


def test_missing_and_relative_paths(tmp_path: Path) -> None:
    facts = path_facts([str(tmp_path / "none"), "relative/x", "/etc\x00"], NOBODY)
    assert facts[str(tmp_path / "none")].realpath is None
    assert "relative/x" not in facts and "/etc\x00" not in facts


def test_writable_by_the_subject(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    os.chown(mine, 65534, 65534)
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    tmp_path.chmod(0o755)
    facts = path_facts([str(mine), str(theirs), "/etc"], NOBODY)
    assert facts[str(mine)].writable_by_subject
    assert not facts[str(theirs)].writable_by_subject
    assert not facts["/etc"].writable_by_subject
    # Under a world-writable sticky directory only entries the user owns can be swapped.
    sticky = tmp_path / "sticky"
    sticky.mkdir()
    sticky.chmod(0o1777)
    (sticky / "root-owned").mkdir()
    (sticky / "user-owned").mkdir()
    os.chown(sticky / "user-owned", 65534, 65534)
    (sticky / "user-owned").chmod(0o555)
    facts = path_facts([str(sticky / "root-owned"), str(sticky / "user-owned")], NOBODY)
    assert not facts[str(sticky / "root-owned")].writable_by_subject
    assert facts[str(sticky / "user-owned")].writable_by_subject


def test_root_and_identity_less_subjects_are_never_writable(tmp_path: Path) -> None:
    root = Subject(SubjectKind.USER, "root", uid=0, gid=0)
    cert = Subject(SubjectKind.CERT, "dev")
    for s in (root, cert):
        assert not path_facts([str(tmp_path)], s)[str(tmp_path)].writable_by_subject
