"""Image sources on the local engine: ``docker:REF`` and ``container:NAME``.

``docker:REF`` inspects the image first (name, ID or digest; a missing image is one clear
error, and seawall never pulls), then streams ``GET /images/{id}/get`` to a temp file in the
scan's temp dir (never whole in memory) and reads that as a ``docker save`` archive.
``container:NAME`` streams ``GET /containers/{id}/export`` as one layer with no claimed digest:
the walker hashes it as it reads, and the export is requested again on each ``open()``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import os
import tempfile
from dataclasses import dataclass
from typing import Any, BinaryIO
from urllib.parse import quote

import docker.errors
import requests

from seawall.docker.client import Engine, default_endpoint, describe_error, is_not_found
from seawall.errors import EngineError
from seawall.image.archive import ArchiveLimits, TarIndex, docker_archive_image
from seawall.image.source import LayerBlob
from seawall.image.spool import CHUNK
from seawall.image.walk import ImageError
from seawall.model.inventory import ImageInfo, LayerRef

_SAFE = "/:@"  # reference characters kept as-is in the URL path (the engine routes {name:.*})


def _call(engine: Engine, path: str, missing: str) -> Any:
    """GET ``path``; ``ImageError(missing)`` on 404, ``EngineError`` on anything else."""
    try:
        return engine.get(path)
    except docker.errors.DockerException as exc:
        if is_not_found(exc):
            raise ImageError(
                missing, hint="seawall reads the local engine only and never pulls"
            ) from None
        raise EngineError(f"{path}: {describe_error(engine.endpoint, exc)}") from None
    except (requests.exceptions.RequestException, OSError) as exc:
        raise EngineError(f"{path}: {describe_error(engine.endpoint, exc)}") from None


def _stream(engine: Engine, path: str) -> Any:
    try:
        return engine.stream(path)
    except (docker.errors.DockerException, requests.exceptions.RequestException, OSError) as exc:
        raise EngineError(f"{path}: {describe_error(engine.endpoint, exc)}") from None


@dataclass(frozen=True, slots=True)
class EngineImage:
    """An image exported from the engine: the export's temp file is deleted on ``close()``."""

    info: ImageInfo
    layers: tuple[LayerBlob, ...]
    index: TarIndex
    export: str

    def close(self) -> None:
        """Delete the exported archive."""
        self.index.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.export)


def _save(engine: Engine, image_id: str, tmpdir: str, limit: int) -> str:
    """Stream ``docker save`` of one image into a temp file; return its path."""
    fd, path = tempfile.mkstemp(dir=tmpdir, prefix="export-", suffix=".tar")
    total = 0
    try:
        with os.fdopen(fd, "wb") as out:
            resp = _stream(engine, f"/images/{quote(image_id, safe=_SAFE)}/get")
            try:
                for chunk in resp.iter_content(CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise ImageError(
                            f"docker export of {image_id} is over {limit} bytes "
                            "(ArchiveLimits.max_decompressed_bytes)"
                        )
                    out.write(chunk)
            finally:
                resp.close()
    except requests.exceptions.RequestException as exc:
        os.unlink(path)
        raise EngineError(f"export of {image_id}: {describe_error(engine.endpoint, exc)}") from None
    except BaseException:
        os.unlink(path)
        raise
    return path


def _repo_digest(ref: str, inspect: dict[str, Any]) -> str | None:
    """The manifest digest when the engine knows one for this reference."""
    if "@" in ref:
        return ref.rpartition("@")[2]
    digests = [d for d in inspect.get("RepoDigests") or () if isinstance(d, str) and "@" in d]
    name = ref.rsplit(":", 1)[0] if ref.rfind(":") > ref.rfind("/") else ref
    for d in digests:
        repo, _, digest = d.partition("@")
        if repo in (name, f"docker.io/library/{name}", f"docker.io/{name}"):
            return digest
    return None


def open_engine_image(
    ref: str,
    *,
    tmpdir: str,
    endpoint: str | None = None,
    spec: str | None = None,
    limits: ArchiveLimits = ArchiveLimits(),  # noqa: B008 - frozen value
) -> EngineImage:
    """Open image ``ref`` (name, ID or digest) of the local engine (``docker:REF``)."""
    engine = Engine(endpoint or default_endpoint())
    try:
        inspect = _call(
            engine,
            f"/images/{quote(ref, safe=_SAFE)}/json",
            f"no image {ref} in the local engine",
        )
        image_id = str(inspect.get("Id", ""))
        export = _save(engine, image_id, tmpdir, limits.max_decompressed_bytes)
    finally:
        engine.close()
    try:
        index = TarIndex(export, tmpdir=tmpdir, limits=limits)
        opened = docker_archive_image(index, ref=spec or f"docker:{ref}", source="docker")
    except BaseException:
        os.unlink(export)
        raise
    if opened.info.id != image_id:
        index.close()
        os.unlink(export)
        raise ImageError(f"docker:{ref}: the engine exported {opened.info.id}, not {image_id}")
    tags = tuple(t for t in inspect.get("RepoTags") or () if isinstance(t, str))
    info = dataclasses.replace(opened.info, tags=tags, digest=_repo_digest(ref, inspect))
    # The export is a fresh temp file each run: no stat key, the cache must hash it again.
    layers = tuple(dataclasses.replace(blob, stat_key=None) for blob in opened.layers)
    return EngineImage(info=info, layers=layers, index=index, export=export)


class _Export(io.RawIOBase):
    """A streamed HTTP body as a raw binary stream; closing it closes the response."""

    def __init__(self, resp: Any) -> None:
        super().__init__()
        self._resp = resp

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._resp.raw.read(len(view))
        except Exception as exc:  # urllib3/requests errors: the engine broke off the export
            raise EngineError(f"container export interrupted: {exc}") from None
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._resp.close()
        super().close()


def _export_container(engine: Engine, container_id: str) -> BinaryIO:
    resp = _stream(engine, f"/containers/{quote(container_id, safe='')}/export")
    return io.BufferedReader(_Export(resp), buffer_size=CHUNK)


@dataclass(frozen=True, slots=True)
class ContainerImage:
    """A container's current filesystem as an image of one layer."""

    info: ImageInfo
    layers: tuple[LayerBlob, ...]
    engine: Engine

    def close(self) -> None:
        """Release the engine connection."""
        self.engine.close()


def open_container(
    name: str, *, endpoint: str | None = None, spec: str | None = None
) -> ContainerImage:
    """Open container ``name``'s filesystem (``container:NAME``) as one streamed layer."""
    engine = Engine(endpoint or default_endpoint())
    try:
        inspect = _call(
            engine,
            f"/containers/{quote(name, safe='')}/json",
            f"no container {name} in the local engine",
        )
        image_id = str(inspect.get("Image", ""))
        try:
            image = _call(engine, f"/images/{quote(image_id, safe=_SAFE)}/json", "gone")
        except ImageError:
            image = {}  # the image was removed (forced) while the container lives on
    except BaseException:
        engine.close()
        raise
    config = inspect.get("Config")
    config = config if isinstance(config, dict) else {}
    layer = LayerRef(
        index=0,
        diff_id="",
        media_type="application/vnd.oci.image.layer.v1.tar",
        created_by=f"container filesystem of {name}",
    )
    tags = tuple(t for t in image.get("RepoTags") or () if isinstance(t, str))
    info = ImageInfo(
        ref=spec or f"container:{name}",
        source="container",
        id=image_id,
        tags=tags,
        os=str(image.get("Os", "")),
        architecture=str(image.get("Architecture", "")),
        created=str(inspect.get("Created", "")),
        layers=(layer,),
        config=config,
    )
    cid = str(inspect.get("Id", name))
    blob = LayerBlob(ref=layer, open=functools.partial(_export_container, engine, cid))
    return ContainerImage(info=info, layers=(blob,), engine=engine)
