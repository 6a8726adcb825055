"""Subjects from kernel credentials: names and groups through NSS."""

from __future__ import annotations

import grp

from seawall.authz.identity import subject_for_uid


def test_nss_groups_follow_the_connection_gid() -> None:
    """The kernel's gid of a connection is one of the subject's groups, cached per (uid, gid)."""
    first = subject_for_uid(65534, 65534, 1)
    other = subject_for_uid(65534, 0, 2)
    assert grp.getgrgid(0).gr_name in other.groups
    assert grp.getgrgid(0).gr_name not in first.groups
