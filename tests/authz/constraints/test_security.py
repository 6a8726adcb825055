"""``unconfined``: security options, system paths, seccomp profiles, service privileges."""

from __future__ import annotations

import base64
import json
from dataclasses import replace

import pytest

from tests.authz.cli_bodies import DEVELOPER, judge, reason, run_body, service_body

UNCONFINED = replace(DEVELOPER, unconfined=True)
_PROFILE_OK = {
    "defaultAction": "SCMP_ACT_ERRNO",
    "syscalls": [
        {"names": ["read", "write", "exit"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
    ],
}


@pytest.mark.parametrize(
    "opt",
    [
        "seccomp=unconfined",
        "seccomp:unconfined",
        "seccomp=/etc/profile.json",
        "apparmor=unconfined",
        "apparmor:unconfined",
        "apparmor=my-profile",
        "label=disable",
        "label:disable",
        "disable",
        "label=type:spc_t",
        "label=user:system_u",
        "systempaths=unconfined",
        "writable-cgroups=true",
        "no-new-privileges=false",
        "Seccomp=unconfined",
        "bogus",
        "privileged=true",
        "seccomp=" + json.dumps({"defaultAction": "SCMP_ACT_ALLOW"}),
        "seccomp=" + json.dumps({"defaultAction": "SCMP_ACT_LOG"}),
        "seccomp=" + json.dumps({"defaultaction": "SCMP_ACT_ALLOW"}),  # Go folds the key
        "seccomp="
        + json.dumps(
            {
                "defaultAction": "SCMP_ACT_ERRNO",
                "syscalls": [{"names": ["unshare", "read"], "action": "SCMP_ACT_ALLOW"}],
            }
        ),
        "seccomp="
        + json.dumps(
            {
                "defaultAction": "SCMP_ACT_ERRNO",
                "syscalls": [{"name": "mount", "action": "SCMP_ACT_ALLOW", "args": [{}]}],
            }
        ),
        'seccomp={"defaultAction":"SCMP_ACT_ERRNO","defaultAction":"SCMP_ACT_ALLOW"}',
        "seccomp=[]",
    ],
)
def test_loosening_options_are_refused(opt: str) -> None:
    assert judge("container.create", run_body(SecurityOpt=[opt])) == "unconfined"
    assert judge("container.create", {**run_body(), "SecurityOpt": [opt]}) == "unconfined"
    assert judge("container.create", run_body(SecurityOpt=[opt]), UNCONFINED) is None


@pytest.mark.parametrize(
    "opt",
    [
        "no-new-privileges",
        "no-new-privileges=true",
        "no-new-privileges:true",
        "apparmor=docker-default",
        "label=level:s0:c100,c200",
        "seccomp=builtin",
        "writable-cgroups=false",
        "seccomp=" + json.dumps(_PROFILE_OK),
    ],
)
def test_hardening_options_are_fine(opt: str) -> None:
    assert judge("container.create", run_body(SecurityOpt=[opt])) is None


@pytest.mark.parametrize("field", ["MaskedPaths", "ReadonlyPaths"])
def test_system_paths_set_at_all(field: str) -> None:
    # docker run --security-opt systempaths=unconfined sends both as []
    assert judge("container.create", run_body(**{field: []})) == "unconfined"
    assert judge("container.create", run_body(**{field: ["/proc/kcore"]})) == "unconfined"
    assert judge("container.create", {**run_body(), field: []}) == "unconfined"
    assert judge("container.create", run_body(**{field: None})) is None


def _privileges(**privileges: object) -> dict[str, object]:
    return service_body(Privileges=privileges)


def _custom(profile: object) -> dict[str, object]:
    data = base64.b64encode(json.dumps(profile).encode()).decode()
    return {"Mode": "custom", "Profile": data}


@pytest.mark.parametrize(
    "body",
    [
        _privileges(SELinuxContext={"Disable": True}),
        _privileges(SELinuxContext={"Type": "spc_t"}),
        _privileges(Seccomp={"Mode": "unconfined"}),
        _privileges(Seccomp=_custom({"defaultAction": "SCMP_ACT_ALLOW"})),
        _privileges(Seccomp={"Mode": "custom", "Profile": "not base64!"}),
        _privileges(AppArmor={"Mode": "disabled"}),
    ],
)
def test_service_privileges(body: dict[str, object]) -> None:
    assert judge("service.create", body) == "unconfined"
    assert judge("service.create", body, UNCONFINED) is None


def test_service_privileges_near_misses() -> None:
    body = _privileges(
        Seccomp=_custom(_PROFILE_OK),
        AppArmor={"Mode": "default"},
        SELinuxContext={"Level": "s0:c1"},
        NoNewPrivileges=True,
    )
    assert judge("service.create", body) is None


def test_reasons() -> None:
    assert reason("container.create", run_body(SecurityOpt=["seccomp=unconfined"])) == (
        "HostConfig.SecurityOpt: seccomp is unconfined"
    )
    profile = {
        "defaultAction": "SCMP_ACT_ERRNO",
        "syscalls": [{"names": ["bpf"], "action": "SCMP_ACT_ALLOW"}],
    }
    assert "allows bpf" in reason(
        "container.create", run_body(SecurityOpt=["seccomp=" + json.dumps(profile)])
    )
