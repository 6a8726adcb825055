"""ContainerFacts: one container as the checks see it, parsed purely from engine responses.

``parse_container`` takes the raw ``GET /containers/{id}/json`` document plus the optional
extra calls (changes, processes, execs) and returns a typed, JSON-serialisable value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Mount:
    """A mount as the engine reports it (``Mounts[]`` in inspect)."""

    type: str
    source: str
    destination: str
    rw: bool
    propagation: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class PortBinding:
    """A published port: container port/protocol mapped to a host IP and port."""

    container_port: int
    protocol: str
    host_ip: str
    host_port: int | None


@dataclass(frozen=True, slots=True)
class Change:
    """One filesystem change relative to the image (``A`` added, ``C`` changed, ``D`` deleted)."""

    kind: str
    path: str


@dataclass(frozen=True, slots=True)
class ExecFacts:
    """One exec session recorded by the engine for a running container."""

    id: str
    privileged: bool
    user: str
    command: str


@dataclass(frozen=True, slots=True)
class ContainerFacts:
    """A container, running or stopped, with the settings the runtime checks need.

    Capabilities are normalised to upper case without the ``CAP_`` prefix. ``changes``,
    ``processes`` and ``execs`` are ``None`` when they could not be read; the matching
    ``*_error`` says why.
    """

    id: str
    name: str
    image: str
    image_id: str
    created: str
    running: bool
    status: str
    started_at: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    user: str = ""
    privileged: bool = False
    cap_add: tuple[str, ...] = ()
    cap_drop: tuple[str, ...] = ()
    network_mode: str = ""
    pid_mode: str = ""
    ipc_mode: str = ""
    uts_mode: str = ""
    userns_mode: str = ""
    cgroupns_mode: str = ""
    security_opt: tuple[str, ...] = ()
    apparmor_profile: str = ""
    selinux_label: str = ""
    readonly_rootfs: bool = False
    memory: int = 0
    nano_cpus: int = 0
    cpu_shares: int = 0
    cpu_quota: int = 0
    cpuset_cpus: str = ""
    pids_limit: int | None = None
    cgroup_parent: str = ""
    restart_policy: str = ""
    restart_max_retries: int = 0
    mounts: tuple[Mount, ...] = ()
    ports: tuple[PortBinding, ...] = ()
    devices: tuple[str, ...] = ()
    device_cgroup_rules: tuple[str, ...] = ()
    ulimits: tuple[str, ...] = ()
    healthcheck: tuple[str, ...] | None = None
    health_status: str | None = None
    networks: tuple[str, ...] = ()
    pid: int = 0
    exec_ids: tuple[str, ...] = ()
    changes: tuple[Change, ...] | None = None
    changes_error: str | None = None
    processes: tuple[str, ...] | None = None
    processes_error: str | None = None
    execs: tuple[ExecFacts, ...] | None = None
    execs_error: str | None = None

    @property
    def ref(self) -> str:
        """Stable target name used in reports (``container/NAME``)."""
        return f"container/{self.name}"

    @property
    def uri(self) -> str:
        """A location URI a viewer can show."""
        return f"docker://container/{self.name}"


def normalise_cap(cap: str) -> str:
    """``cap_sys_admin``/``CAP_SYS_ADMIN``/``sys_admin`` -> ``SYS_ADMIN`` (``ALL`` stays)."""
    up = cap.strip().upper()
    return up[4:] if up.startswith("CAP_") else up


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(v) for v in value if v is not None)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _ports(hc: Mapping[str, Any], ns: Mapping[str, Any]) -> tuple[PortBinding, ...]:
    # Published ports live in NetworkSettings.Ports on a running container and in
    # HostConfig.PortBindings always; merge both and de-duplicate.
    seen: dict[tuple[int, str, str, int | None], PortBinding] = {}
    for source in (_dict(hc.get("PortBindings")), _dict(ns.get("Ports"))):
        for key, bindings in source.items():
            port_s, _, proto = str(key).partition("/")
            try:
                cport = int(port_s)
            except ValueError:
                continue
            for b in bindings if isinstance(bindings, list) else []:
                b = _dict(b)
                hp_s = str(b.get("HostPort") or "")
                host_port = int(hp_s) if hp_s.isdigit() else None
                pb = PortBinding(cport, proto or "tcp", str(b.get("HostIp") or ""), host_port)
                seen[(pb.container_port, pb.protocol, pb.host_ip, pb.host_port)] = pb
    return tuple(sorted(seen.values(), key=lambda p: (p.container_port, p.protocol, p.host_ip)))


def _mounts(raw: Any) -> tuple[Mount, ...]:
    out = []
    for m in raw if isinstance(raw, list) else []:
        m = _dict(m)
        out.append(
            Mount(
                type=str(m.get("Type") or ""),
                source=str(m.get("Source") or ""),
                destination=str(m.get("Destination") or ""),
                rw=bool(m.get("RW", True)),
                propagation=str(m.get("Propagation") or ""),
                name=str(m.get("Name") or ""),
            )
        )
    return tuple(out)


def _devices(raw: Any) -> tuple[str, ...]:
    out = []
    for d in raw if isinstance(raw, list) else []:
        d = _dict(d)
        out.append(
            f"{d.get('PathOnHost', '')}:{d.get('PathInContainer', '')}:{d.get('CgroupPermissions', '')}"
        )
    return tuple(out)


def _ulimits(raw: Any) -> tuple[str, ...]:
    out = []
    for u in raw if isinstance(raw, list) else []:
        u = _dict(u)
        out.append(f"{u.get('Name', '')}={u.get('Soft', '')}:{u.get('Hard', '')}")
    return tuple(out)


def _label_opt(opts: Sequence[str], key: str) -> str:
    for o in opts:
        if o.startswith(f"{key}=") or o.startswith(f"{key}:"):
            return o[len(key) + 1 :]
    return ""


def _exec(doc: Mapping[str, Any]) -> ExecFacts:
    proc = _dict(doc.get("ProcessConfig"))
    argv = [str(proc.get("entrypoint", "")), *_strs(proc.get("arguments"))]
    return ExecFacts(
        id=str(doc.get("ID", "")),
        privileged=bool(proc.get("privileged", False)),
        user=str(proc.get("user", "") or ""),
        command=" ".join(argv).strip(),
    )


def parse_container(
    inspect: Mapping[str, Any],
    *,
    changes: Sequence[Mapping[str, Any]] | None = None,
    changes_error: str | None = None,
    processes: Sequence[str] | None = None,
    processes_error: str | None = None,
    execs: Sequence[Mapping[str, Any]] | None = None,
    execs_error: str | None = None,
) -> ContainerFacts:
    """Build ``ContainerFacts`` from a container inspect document and the optional extras."""
    cfg = _dict(inspect.get("Config"))
    hc = _dict(inspect.get("HostConfig"))
    state = _dict(inspect.get("State"))
    ns = _dict(inspect.get("NetworkSettings"))
    restart = _dict(hc.get("RestartPolicy"))
    health_cfg = _dict(cfg.get("Healthcheck"))
    health_test = _strs(health_cfg.get("Test")) if health_cfg else None
    secopt = _strs(hc.get("SecurityOpt"))
    pids = hc.get("PidsLimit")
    change_list = None
    if changes is not None:
        kinds = {0: "C", 1: "A", 2: "D"}
        change_list = tuple(
            Change(kinds.get(_int(c.get("Kind")), "?"), str(c.get("Path", ""))) for c in changes
        )
    exec_list = None if execs is None else tuple(_exec(e) for e in execs)
    started = str(state.get("StartedAt") or "")
    return ContainerFacts(
        id=str(inspect.get("Id", "")),
        name=str(inspect.get("Name", "")).lstrip("/"),
        image=str(cfg.get("Image", "")),
        image_id=str(inspect.get("Image", "")),
        created=str(inspect.get("Created", "")),
        running=bool(state.get("Running", False)),
        status=str(state.get("Status", "")),
        started_at=None if not started or started.startswith("0001-") else started,
        labels={str(k): str(v) for k, v in _dict(cfg.get("Labels")).items()},
        user=str(cfg.get("User") or ""),
        privileged=bool(hc.get("Privileged", False)),
        cap_add=tuple(normalise_cap(c) for c in _strs(hc.get("CapAdd"))),
        cap_drop=tuple(normalise_cap(c) for c in _strs(hc.get("CapDrop"))),
        network_mode=str(hc.get("NetworkMode") or ""),
        pid_mode=str(hc.get("PidMode") or ""),
        ipc_mode=str(hc.get("IpcMode") or ""),
        uts_mode=str(hc.get("UTSMode") or ""),
        userns_mode=str(hc.get("UsernsMode") or ""),
        cgroupns_mode=str(hc.get("CgroupnsMode") or ""),
        security_opt=secopt,
        apparmor_profile=str(inspect.get("AppArmorProfile") or ""),
        selinux_label=_label_opt(secopt, "label"),
        readonly_rootfs=bool(hc.get("ReadonlyRootfs", False)),
        memory=_int(hc.get("Memory")),
        nano_cpus=_int(hc.get("NanoCpus")),
        cpu_shares=_int(hc.get("CpuShares")),
        cpu_quota=_int(hc.get("CpuQuota")),
        cpuset_cpus=str(hc.get("CpusetCpus") or ""),
        pids_limit=pids if isinstance(pids, int) and not isinstance(pids, bool) else None,
        cgroup_parent=str(hc.get("CgroupParent") or ""),
        restart_policy=str(restart.get("Name") or ""),
        restart_max_retries=_int(restart.get("MaximumRetryCount")),
        mounts=_mounts(inspect.get("Mounts")),
        ports=_ports(hc, ns),
        devices=_devices(hc.get("Devices")),
        device_cgroup_rules=_strs(hc.get("DeviceCgroupRules")),
        ulimits=_ulimits(hc.get("Ulimits")),
        healthcheck=health_test,
        health_status=str(_dict(state.get("Health")).get("Status"))
        if state.get("Health")
        else None,
        networks=tuple(sorted(_dict(ns.get("Networks")))),
        pid=_int(state.get("Pid")),
        exec_ids=_strs(inspect.get("ExecIDs")),
        changes=change_list,
        changes_error=changes_error,
        processes=tuple(processes) if processes is not None else None,
        processes_error=processes_error,
        execs=exec_list,
        execs_error=execs_error,
    )
