"""``table``: the inventory for a terminal, rendered with rich.

A header naming the image (reference, ID, distribution, package count by origin), one row per
package (name, version, ecosystem, path, layer index with ``base``/``own``/``unknown``) in the
order of every SBOM format, then the notes. Text goes through ``clean`` into
``rich.text.Text`` (never console markup), so a package called ``[bold]x`` or holding an
escape sequence prints literally.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from io import StringIO

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from seawall.model.inventory import Inventory, Package
from seawall.output.sbom.base import SbomOptions, base_label, doc_writer, sorted_packages
from seawall.output.table import pinned_console
from seawall.output.view import clean

DEFAULT_WIDTH = 120
ORIGIN_STYLE = {"base": "dim", "own": "bold", "unknown": "yellow"}


def console(options: SbomOptions, file: StringIO) -> Console:
    """A rich console with everything pinned, so the same input always gives the same bytes."""
    return pinned_console(file, options.terminal_width or DEFAULT_WIDTH, color=options.color)


def render(options: SbomOptions, parts: Iterable[RenderableType]) -> str:
    """The text of ``parts`` printed one after another on a pinned ``console``."""
    buffer = StringIO()
    out = console(options, buffer)
    for part in parts:
        out.print(part)
    return buffer.getvalue()


def _layer_cell(pkg: Package) -> Text:
    origin = base_label(pkg.layer)
    if pkg.layer is None:
        return Text("-", style="dim")
    return Text(f"{pkg.layer.index} {origin}", style=ORIGIN_STYLE[origin])


def _header(inventory: Inventory, packages: list[Package]) -> list[Text]:
    image = inventory.image
    lines = [Text(f"Image:    {clean(image.ref)} ({clean(image.source)})", style="bold")]
    if image.digest or image.id:
        lines.append(Text(f"ID:       {clean(image.digest or image.id)}"))
    if inventory.os is not None and inventory.os.id:
        os = inventory.os
        lines.append(Text(f"OS:       {clean(os.pretty_name or f'{os.id} {os.version_id}')}"))
    origins = Counter(base_label(p.layer) for p in packages)
    detail = ", ".join(f"{origins[k]} {k}" for k in ("base", "own", "unknown") if origins[k])
    count = f"{len(packages)} package{'s' if len(packages) != 1 else ''}"
    lines.append(Text(f"Packages: {count}" + (f" ({detail})" if detail else "")))
    return lines


def _packages_table(packages: list[Package]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in ("Name", "Version", "Ecosystem", "Path"):
        table.add_column(column, overflow="fold")
    table.add_column("Layer", no_wrap=True)
    for pkg in packages:
        table.add_row(
            Text(clean(pkg.name)),
            Text(clean(pkg.version)),
            Text(clean(pkg.ecosystem)),
            Text(clean(pkg.path)),
            _layer_cell(pkg),
        )
    return table


@doc_writer(
    name="table",
    media_type="text/plain",
    extension=".txt",
    description="Readable table of packages: name, version, ecosystem, path, layer (base/own).",
)
def write_inventory_table(inventory: Inventory, options: SbomOptions) -> str:
    """Render the inventory as text; deterministic for a given inventory and options."""
    packages = sorted_packages(inventory)
    parts: list[RenderableType] = [*_header(inventory, packages), Text("")]
    parts.append(_packages_table(packages) if packages else Text("No packages found.", style="dim"))
    parts += [Text(f"note: {clean(note)}", style="dim") for note in inventory.notes]
    return render(options, parts)
