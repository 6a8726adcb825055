"""Go-typed reading of body sections, and what a request mounts."""

from __future__ import annotations

import pytest

from seawall.authz.body import parse_body
from seawall.authz.spec import Section, SpecError, host_sections
from seawall.authz.spec_mounts import (
    MountKind,
    MountSpec,
    binds,
    device_path,
    mount_host_paths,
    mounts,
)


def _section(raw: bytes, where: str = "HostConfig") -> Section:
    return Section.of(parse_body(raw), where)


def test_typed_fields_follow_go() -> None:
    s = _section(
        b'{"privileged":true,"Memory":5,"Binds":["/a:/b",null],"Sysctls":{"a":"1","b":null},'
        b'"Runtime":null,"LogConfig":{"Type":"json-file"},"Mounts":[null,{"Type":"tmpfs"}]}'
    )
    assert s.boolean("Privileged") is True
    assert s.boolean("ReadonlyRootfs") is False
    assert s.integer("Memory") == 5
    assert s.integer("PidsLimit") is None
    assert s.texts("Binds") == ("/a:/b", "")
    assert s.text_map("Sysctls") == {"a": "1", "b": ""}
    assert s.text("Runtime") == ""
    assert not s.has("Runtime")
    assert s.has("privileged")
    log = s.child("LogConfig")
    assert log is not None
    assert log.text("type") == "json-file"
    assert log.name("Type") == "HostConfig.LogConfig.Type"
    assert [m.where for m in s.children("Mounts")] == [
        "HostConfig.Mounts[0]",
        "HostConfig.Mounts[1]",
    ]
    assert s.child("NetworkingConfig") is None


@pytest.mark.parametrize(
    ("raw", "call", "message"),
    [
        (b'{"Privileged":"true"}', lambda s: s.boolean("Privileged"), "Privileged: expected true"),
        (b'{"Privileged":1}', lambda s: s.boolean("Privileged"), "expected true or false"),
        (b'{"Memory":true}', lambda s: s.integer("Memory"), "Memory: expected an integer"),
        (b'{"Memory":1.5}', lambda s: s.integer("Memory"), "expected an integer"),
        (b'{"Runtime":1}', lambda s: s.text("Runtime"), "Runtime: expected a string"),
        (b'{"Binds":"/a:/b"}', lambda s: s.texts("Binds"), "Binds: expected a list"),
        (b'{"Binds":[1]}', lambda s: s.texts("Binds"), r"Binds\[0\]: expected a string"),
        (b'{"Sysctls":[]}', lambda s: s.text_map("Sysctls"), "expected an object of strings"),
        (b'{"Sysctls":{"a":1}}', lambda s: s.text_map("Sysctls"), r"Sysctls\.a: expected"),
        (b'{"LogConfig":[]}', lambda s: s.child("LogConfig"), "expected an object"),
        (b'{"Mounts":[1]}', lambda s: s.children("Mounts"), r"Mounts\[0\]: expected an object"),
    ],
)
def test_wrong_types_raise(raw: bytes, call: object, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        call(_section(raw))  # type: ignore[operator]


def test_exact_name_first_then_folded() -> None:
    s = Section.of({"Privileged": False, "extra": 1})
    assert s.raw("PRIVILEGED") is False
    assert s.raw("Extra") == 1
    assert s.name("Privileged") == "Privileged"


def test_host_sections() -> None:
    with_inner = Section.of(parse_body(b'{"Image":"x","HostConfig":{"Privileged":true}}'))
    assert [s.where for s in host_sections(with_inner)] == ["HostConfig", ""]
    alone = Section.of(parse_body(b'{"Image":"x","Privileged":true}'))
    assert [s.where for s in host_sections(alone)] == [""]
    null = Section.of(parse_body(b'{"HostConfig":null}'))
    assert [s.where for s in host_sections(null)] == [""]


@pytest.mark.parametrize(
    ("bind", "kind", "source"),
    [
        ("/etc:/h", MountKind.BIND, "/etc"),
        ("/etc:/h:ro", MountKind.BIND, "/etc"),
        ("/etc:/h:ro,z", MountKind.BIND, "/etc"),
        ("vol:/data", MountKind.VOLUME, "vol"),
        ("vol:/data:nocopy", MountKind.VOLUME, "vol"),
        ("/target-only", MountKind.VOLUME, ""),
        ("relative/path:/x", MountKind.VOLUME, "relative/path"),
        ("/a:/b:ro:more", MountKind.BIND, "/a"),
    ],
)
def test_binds_follow_the_linux_parser(bind: str, kind: MountKind, source: str) -> None:
    (spec,) = binds(Section.of({"Binds": [bind]}, "HostConfig"))
    assert (spec.kind, spec.source, spec.where) == (kind, source, "HostConfig.Binds[0]")


def test_an_empty_bind_source_is_refused() -> None:
    with pytest.raises(SpecError, match="empty bind"):
        binds(Section.of({"Binds": [":/x"]}))


def test_mounts() -> None:
    section = _section(
        b'{"Mounts":[{"Type":"bind","Source":"/srv"},{"Type":"volume","Source":"v",'
        b'"VolumeOptions":{"DriverConfig":{"Name":"local","Options":{"device":"/etc"}}}},'
        b'{"Type":"tmpfs"},{"Type":"image","Source":"127.0.0.1:5000/x"},{"Type":"npipe"},'
        b'{"Type":"Bind","Source":"/x"}]}'
    )
    got = mounts(section)
    assert [m.kind for m in got] == [
        MountKind.BIND,
        MountKind.VOLUME,
        MountKind.TMPFS,
        MountKind.IMAGE,
        MountKind.OTHER,
        MountKind.OTHER,  # the engine compares the type exactly
    ]
    assert got[1].driver == "local"
    assert got[1].options == {"device": "/etc"}
    assert mount_host_paths(got) == ["/srv", "/etc"]


def test_device_path() -> None:
    assert device_path({"device": "/dev/sda1"}) == "/dev/sda1"
    assert device_path({"device": ":/export"}) is None
    assert device_path({"Device": "/etc"}) is None
    assert device_path({}) is None
    assert mount_host_paths((MountSpec("x", MountKind.BIND, "bind", ""),)) == []


def test_children_are_wrapped_once_and_folded_names_looked_up_when_absent() -> None:
    top = Section.of(parse_body(b'{"hostconfig":{"Privileged":true},"Image":null}'))
    inner = top.child("HostConfig")
    assert inner is not None and inner.where == "HostConfig"
    assert top.child("HostConfig") is inner  # shared by every check of the request
    assert host_sections(top)[0] is inner
    assert top.names == {"hostconfig": "hostconfig", "image": "Image"}
    assert top.folded == {"hostconfig": {"Privileged": True}, "image": None}
    assert top.raw("image") is None and not top.has("Image")
    assert repr(inner) == "Section(where='HostConfig', obj={'Privileged': True})"
    with pytest.raises(SpecError, match="expected an object"):
        Section.of({"LogConfig": 1}).child("LogConfig")
