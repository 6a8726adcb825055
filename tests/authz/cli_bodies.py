"""Realistic request bodies, as docker CLI 28.2.2 sends them (API 1.50), for the authz tests.

Captured by pointing ``DOCKER_HOST`` at a local socket that only records requests (no engine
involved) and trimmed of nothing: ``docker run`` sends every HostConfig field, most of them
zero. Each function returns a fresh copy the test may change.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from seawall.authz.body import parse_request_body
from seawall.authz.check import check, needs_body
from seawall.authz.model import ApiRequest, Context, PathFacts, Subject, SubjectKind, TargetFacts
from seawall.authz.policy import Constraints

#: ``docker run -d -u 1000:1000 -m 256m --pids-limit 100 --cpus 0.5 --network none
#: 127.0.0.1:5000/app:1 sh -c 'sleep 1'``: a hardened run a developer role allows.
_RUN: dict[str, Any] = json.loads(
    """{"Hostname":"","Domainname":"","User":"1000:1000","AttachStdin":false,
"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,
"Env":["SECRET=hunter2"],"Cmd":["sh","-c","sleep 1"],"Image":"127.0.0.1:5000/app:1",
"Volumes":{},"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{},
"HostConfig":{"Binds":null,"ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},
"NetworkMode":"none","PortBindings":{},"RestartPolicy":{"Name":"no","MaximumRetryCount":0},
"AutoRemove":false,"VolumeDriver":"","VolumesFrom":null,"ConsoleSize":[0,0],"CapAdd":null,
"CapDrop":null,"CgroupnsMode":"","Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,
"GroupAdd":null,"IpcMode":"","Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"",
"Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"SecurityOpt":null,
"UTSMode":"","UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":268435456,
"NanoCpus":500000000,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],
"BlkioDeviceReadBps":[],"BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],
"BlkioDeviceWriteIOps":[],"CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,
"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"DeviceCgroupRules":null,
"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,"MemorySwappiness":-1,
"OomKillDisable":false,"PidsLimit":100,"Ulimits":[],"CpuCount":0,"CpuPercent":0,
"IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,"ReadonlyPaths":null},
"NetworkingConfig":{"EndpointsConfig":{}}}"""
)

#: ``docker exec web id`` (no -u, no --privileged).
_EXEC: dict[str, Any] = json.loads(
    """{"User":"","Privileged":false,"Tty":false,"AttachStdin":false,"AttachStderr":true,
"AttachStdout":true,"Detach":false,"DetachKeys":"","Env":null,"WorkingDir":"","Cmd":["id"]}"""
)

#: ``docker update --memory 512m web``.
_UPDATE: dict[str, Any] = json.loads(
    """{"CpuShares":0,"Memory":536870912,"NanoCpus":0,"CgroupParent":"","BlkioWeight":0,
"BlkioWeightDevice":null,"BlkioDeviceReadBps":null,"BlkioDeviceWriteBps":null,
"BlkioDeviceReadIOps":null,"BlkioDeviceWriteIOps":null,"CpuPeriod":0,"CpuQuota":0,
"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":null,
"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,
"MemorySwappiness":null,"OomKillDisable":null,"PidsLimit":null,"Ulimits":null,"CpuCount":0,
"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,
"RestartPolicy":{"Name":"","MaximumRetryCount":0}}"""
)

#: ``docker service create --name s --limit-memory 64m --limit-pids 50 -u 1000
#: 127.0.0.1:5000/app:1``.
_SERVICE: dict[str, Any] = json.loads(
    """{"Name":"s","Labels":{},"TaskTemplate":{"ContainerSpec":{"Image":"127.0.0.1:5000/app:1",
"User":"1000","Init":false,"DNSConfig":{}},"Resources":{"Limits":{"MemoryBytes":67108864,
"Pids":50},"Reservations":{}},"Placement":{},"ForceUpdate":0},"Mode":{"Replicated":{}},
"EndpointSpec":{"Mode":"vip"}}"""
)

#: ``docker volume create myvol`` and ``docker network create net1``.
_VOLUME: dict[str, Any] = {"Driver": "local", "DriverOpts": {}, "Name": "myvol"}
_NETWORK: dict[str, Any] = json.loads(
    """{"Driver":"bridge","Scope":"","IPAM":{"Driver":"default","Options":{},"Config":[]},
"Internal":false,"Attachable":false,"Ingress":false,"ConfigOnly":false,"ConfigFrom":null,
"Options":{},"Labels":{},"Name":"net1"}"""
)

#: What ``docker plugin install --grant-all-permissions vieux/sshfs`` grants.
PLUGIN_PRIVILEGES: list[dict[str, Any]] = json.loads(
    """[{"Name":"network","Description":"","Value":["host"]},
{"Name":"mount","Description":"","Value":["/var/lib/docker/plugins/"]},
{"Name":"device","Description":"","Value":["/dev/fuse"]},
{"Name":"capabilities","Description":"","Value":["CAP_SYS_ADMIN"]}]"""
)

#: The developer role's container rule in examples/policies/developer.yaml.
DEVELOPER = Constraints(
    registries=("127.0.0.1:5000",),
    non_root=True,
    require_resources=frozenset({"memory", "pids"}),
)


def run_body(**host: Any) -> dict[str, Any]:
    """The ``docker run`` body with HostConfig fields replaced by ``host``."""
    body = copy.deepcopy(_RUN)
    body["HostConfig"].update(host)
    return body


def exec_body(**fields: Any) -> dict[str, Any]:
    """The ``docker exec`` body with ``fields`` replaced."""
    return {**copy.deepcopy(_EXEC), **fields}


def update_body(**fields: Any) -> dict[str, Any]:
    """The ``docker update`` body with ``fields`` replaced."""
    return {**copy.deepcopy(_UPDATE), **fields}


def service_body(**spec: Any) -> dict[str, Any]:
    """The ``docker service create`` body with ContainerSpec fields replaced by ``spec``."""
    body = copy.deepcopy(_SERVICE)
    body["TaskTemplate"]["ContainerSpec"].update(spec)
    return body


def volume_body(**fields: Any) -> dict[str, Any]:
    """The ``docker volume create`` body with ``fields`` replaced."""
    return {**copy.deepcopy(_VOLUME), **fields}


def network_body(**fields: Any) -> dict[str, Any]:
    """The ``docker network create`` body with ``fields`` replaced."""
    return {**copy.deepcopy(_NETWORK), **fields}


def request(
    path: str, query: dict[str, str] | None = None, body: bytes = b"", method: str = "POST"
) -> ApiRequest:
    """An already-normalised API request."""
    return ApiRequest(method, path, "1.50", query or {}, body, bool(body))


def resolved(
    *paths: str,
    writable: bool = False,
    links: dict[str, str] | None = None,
    missing: tuple[str, ...] = (),
) -> Context:
    """A context in which ``paths`` exist as themselves, as ``gather.path_facts`` reports them.

    ``links`` maps a path to the target of a symlink in it; ``missing`` paths do not exist.
    """
    facts = {p: PathFacts(p, p.rstrip("/") or "/", writable_by_subject=writable) for p in paths}
    for link, target in (links or {}).items():
        facts[link] = PathFacts(link, target, symlinked=True)
    for path in missing:
        facts[path] = PathFacts(path, None)
    return Context(paths=facts)


def with_target(user: str | None, known: bool = True) -> Context:
    """A context whose target container runs as ``user``."""
    return Context(target=TargetFacts(known=known, exists=known, user=user))


def judge(
    action: str,
    body: object = None,
    constraints: Constraints = DEVELOPER,
    context: Context | None = None,
    *,
    path: str = "/containers/create",
    query: dict[str, str] | None = None,
) -> str | None:
    """The violated key (``None`` = allowed) for ``body`` sent as JSON, through the real parser."""
    raw = b"" if body is None else json.dumps(body).encode()
    req = request(path, query, raw)
    parsed = parse_request_body(action, raw) if needs_body(action, req) else None
    subject = Subject(SubjectKind.USER, "alice", uid=1000, gid=1000)
    found = check(action, req, parsed, constraints, context or Context(), subject)
    return None if found is None else found.key


def reason(
    action: str,
    body: object,
    constraints: Constraints = DEVELOPER,
    context: Context | None = None,
) -> str:
    """The violation reason for ``body`` (asserting there is one)."""
    raw = json.dumps(body).encode()
    subject = Subject(SubjectKind.USER, "alice", uid=1000, gid=1000)
    found = check(
        action,
        request("/x", None, raw),
        parse_request_body(action, raw),
        constraints,
        context or Context(),
        subject,
    )
    assert found is not None
    return found.reason
