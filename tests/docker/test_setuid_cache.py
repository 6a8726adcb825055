"""The audit's per-image setuid cache: keyed by the engine's image ID, damaged entries ignored."""

from __future__ import annotations

from pathlib import Path

from seawall.docker.client import Engine
from seawall.docker.collect import EngineOptions, _Collector
from tests.integration.conftest import PREFIX
from tests.support.engine import import_image, remove_prefixed


def test_second_audit_reuses_and_damage_is_a_miss(engine: str, tmp_path: Path) -> None:
    prefix = f"{PREFIX}suid"
    try:
        image_id = import_image(f"{prefix}/img:1")  # carries /usr/bin/su-demo with setuid
        eng = Engine(engine)
        col = _Collector(eng, EngineOptions(cache_dir=str(tmp_path)))
        first = col.image(image_id)
        assert first is not None and first.setuid_files == ("/usr/bin/su-demo",)
        [entry] = (tmp_path / "setuid").iterdir()
        assert image_id.split(":")[1] in entry.name
        entry.write_text('["/planted/by/someone/else"]')
        # A well-formed entry is trusted: it is keyed by the content-addressed image ID.
        again = col.image(image_id)
        assert again is not None and again.setuid_files == ("/planted/by/someone/else",)
        entry.write_text("{not json")
        rescanned = col.image(image_id)
        assert rescanned is not None and rescanned.setuid_files == ("/usr/bin/su-demo",)
        eng.close()
    finally:
        remove_prefixed(prefix)
