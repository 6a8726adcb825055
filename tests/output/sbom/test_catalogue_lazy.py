"""The lazily imported SBOM writers are exactly the validated catalogues' writers."""

from __future__ import annotations

from seawall.output import sbom


def test_lazy_maps_match_the_catalogues() -> None:
    assert sbom.SBOM_WRITERS.names() == tuple(sbom._SBOM)
    assert sbom.INSPECT_WRITERS.names() == tuple(sbom._INSPECT)
    for name in sbom._SBOM:
        assert sbom.get_sbom_writer(name) is sbom.SBOM_WRITERS.get(name)
    for name in sbom._INSPECT:
        assert sbom.get_inspect_writer(name) is sbom.INSPECT_WRITERS.get(name)
