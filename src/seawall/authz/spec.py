"""Read what a request body asks for, with the types the engine's Go structs give each field.

A ``Section`` is one JSON object of a parsed body (the top level of a create body, its
``HostConfig``, a service's ``TaskTemplate.ContainerSpec``, one entry of ``Mounts``...) with
typed accessors that follow ``encoding/json``:

- names match ASCII case-insensitively (``parse_body`` refused colliding keys, so this is exact);
- ``null`` is the zero value (``false``, ``""``, no list);
- a value of the wrong type (``"Privileged": "true"``, ``"Memory": 1.5``) is a decode error in
  the engine, so it raises ``SpecError``: the request would fail there, and a filter that
  guessed a meaning could be fooled, so it is refused here.

``where`` is the dotted path used in messages (``HostConfig.Binds[0]``); the top level of a
body has the empty path, so its fields read as ``Privileged``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from seawall.authz.body import key_folding

_NO_STRINGS: Mapping[str, str] = MappingProxyType({})
_ABSENT = object()  # marks a name missing from an object (``null`` reads as ``None``)


class SpecError(ValueError):
    """A body field has a type or shape the engine refuses; ``str()`` names the field."""


class Section:
    """One JSON object of a request body, with Go-typed field access.

    A request's body is wrapped once and the same sections serve every check of it, so what
    is derived from the object (its folded keys, the nested sections ``child`` returns) is
    computed on first use and kept. The parsed object is never changed while it is judged.
    """

    __slots__ = ("_children", "_names", "obj", "where")

    def __init__(self, where: str, obj: Mapping[str, object]) -> None:
        self.where = where
        self.obj = obj
        self._names: Mapping[str, str] | None = None
        self._children: dict[str, Section | None] | None = None

    def __repr__(self) -> str:
        return f"Section(where={self.where!r}, obj={self.obj!r})"

    @classmethod
    def of(cls, obj: Mapping[str, object], where: str = "") -> Section:
        """Wrap a parsed JSON object found at ``where``."""
        return cls(where, obj)

    @property
    def names(self) -> Mapping[str, str]:
        """The keys in ASCII lower case, each mapped to the key as written."""
        names = self._names
        if names is None:
            names = self._names = key_folding(self.obj)
        return names

    @property
    def folded(self) -> Mapping[str, object]:
        """The same members, keys in ASCII lower case."""
        return {name: self.obj[key] for name, key in self.names.items()}

    def name(self, field: str) -> str:
        """The dotted path of ``field`` for messages: ``HostConfig.Privileged``."""
        return f"{self.where}.{field}" if self.where else field

    def raw(self, field: str) -> object | None:
        """The value as parsed (exact name first, as Go); ``None`` when absent or ``null``.

        Only an absent name is looked up folded: when the exact name is there (``null`` or
        not), no other key folds to it (``parse_body`` refused such collisions).
        """
        value = self.obj.get(field, _ABSENT)
        if value is _ABSENT:
            names = self._names
            if names is None:
                names = self._names = key_folding(self.obj)
            key = names.get(field.lower())
            return None if key is None else self.obj[key]
        return value

    def has(self, field: str) -> bool:
        """True when ``field`` is present and not ``null``."""
        return self.raw(field) is not None

    def boolean(self, field: str) -> bool:
        """A Go ``bool``."""
        value = self.raw(field)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise SpecError(f"{self.name(field)}: expected true or false")
        return value

    def text(self, field: str) -> str:
        """A Go ``string``."""
        value = self.raw(field)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise SpecError(f"{self.name(field)}: expected a string")
        return value

    def integer(self, field: str) -> int | None:
        """A Go integer (``*int64`` style: ``None`` when absent or ``null``)."""
        value = self.raw(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise SpecError(f"{self.name(field)}: expected an integer")
        return value

    def texts(self, field: str) -> tuple[str, ...]:
        """A Go ``[]string`` (a ``null`` element is ``""``)."""
        value = self.raw(field)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise SpecError(f"{self.name(field)}: expected a list")
        return tuple(self._text_item(field, i, v) for i, v in enumerate(value)) if value else ()

    def text_map(self, field: str) -> Mapping[str, str]:
        """A Go ``map[string]string`` (a ``null`` value is ``""``)."""
        value = self.raw(field)
        if value is None:
            return _NO_STRINGS
        if not isinstance(value, dict):
            raise SpecError(f"{self.name(field)}: expected an object of strings")
        out: dict[str, str] = {}
        for key, item in value.items():
            if item is not None and not isinstance(item, str):
                raise SpecError(f"{self.name(field)}.{key}: expected a string")
            out[key] = item or ""
        return out

    def items(self, field: str) -> tuple[object, ...]:
        """A Go slice of anything: ``()`` when absent or ``null``."""
        value = self.raw(field)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise SpecError(f"{self.name(field)}: expected a list")
        return tuple(value)

    def child(self, field: str) -> Section | None:
        """A nested struct (or pointer to one); ``None`` when absent or ``null``.

        Kept per field name, so the checks that look at ``HostConfig`` share one section.
        """
        children = self._children
        if children is None:
            children = self._children = {}
        elif field in children:
            return children[field]
        value = self.raw(field)
        if value is None:
            section = None
        elif isinstance(value, dict):
            section = Section(self.name(field), value)
        else:
            raise SpecError(f"{self.name(field)}: expected an object")
        children[field] = section
        return section

    def children(self, field: str) -> tuple[Section, ...]:
        """A Go slice of structs; a ``null`` element is an empty struct."""
        out = []
        for i, value in enumerate(self.items(field)):
            where = f"{self.name(field)}[{i}]"
            if value is None:
                value = {}
            if not isinstance(value, dict):
                raise SpecError(f"{where}: expected an object")
            out.append(Section(where, value))
        return tuple(out)

    def _text_item(self, field: str, index: int, value: object) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise SpecError(f"{self.name(field)}[{index}]: expected a string")
        return value


def host_sections(body: Section) -> tuple[Section, ...]:
    """The places a container create (or start) body can carry HostConfig fields.

    The engine decodes a create body into a wrapper that embeds both ``Config`` and a
    deprecated ``HostConfig``, so ``Privileged``, ``Binds``... at the top level are HostConfig
    fields too: they apply when ``HostConfig`` is absent (and a few are merged into it when it
    is present). A start body (API < 1.24) is a HostConfig itself. Both places are judged.
    """
    inner = body.child("HostConfig")
    return (body,) if inner is None else (inner, body)
