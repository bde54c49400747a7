"""Pictures as inline SVG: bar charts, a heat map and a neighbourhood graph (pure functions).

Nothing here touches the store, the network or a script: the functions take plain values and
return SVG text, so a page can embed it and a browser with no network draws it. Text widths are
estimated from the character count (no font metrics), which is enough to keep labels apart.

Each picture is laid out for a `width` (in the units of its viewBox, about pixels) and drawn
100% wide: laid out for the width of the page, it fills the page with text at its intended size.
"""

import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ingest.kinds import ENTITY_KINDS

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"
ACCENT = "#7a2048"
INK = "#1d2330"
MUTED = "#5b6475"
EMPTY = "#f0f1f5"
# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), one per kind.
KIND_COLOURS = {kind.label: kind.colour for kind in ENTITY_KINDS}
OTHER_COLOUR = "#9aa1ad"
# The width a picture is laid out for when the caller names none.
WIDTH = 720.0
# Average advance of a character in a sans-serif face, in ems: for layout estimates only.
_EM_WIDTH = 0.6
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SAFE_LINK = re.compile(r"^(/|\?|#|https?://)")


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its count, where it links to (optional)."""

    label: str
    count: int
    link: str | None = None


@dataclass(frozen=True)
class Label:
    """A row or column of a heat map: a key the cells use, the text shown, a link, a detail."""

    key: str
    text: str
    link: str | None = None
    # Said with the text where the pointer rests (what a rolled-up row stands for).
    detail: str | None = None

    @property
    def said(self) -> str:
        """Return the text with its detail, if any."""
        return f"{self.text} ({self.detail})" if self.detail else self.text


@dataclass(frozen=True)
class HeatCell:
    """One cell of a heat map: a count and where it links to."""

    count: int
    link: str | None = None


@dataclass(frozen=True)
class Node:
    """A node of a neighbourhood graph: its text, link and kind (which sets its colour)."""

    key: str
    text: str
    link: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Neighbour:
    """A node around the centre, the weight of its edge and where the edge links to."""

    node: Node
    count: int
    link: str | None = None


def escape(text: str) -> str:
    """Return `text` safe inside SVG (XML) content and quoted attributes."""
    return html.escape(_CONTROL.sub("", text), quote=True)


def fit(text: str, width: int) -> str:
    """Return `text` cut to `width` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def text_width(text: str, size: float) -> float:
    """Return the estimated width in pixels of `text` set at `size` pixels."""
    return len(text) * size * _EM_WIDTH


def plural(count: int, unit: str) -> str:
    """Return '1 paper', '2 papers' and the like."""
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _link(href: str | None) -> str | None:
    """Return `href` if it is a relative or http(s) link (never a javascript: or data: URL)."""
    return href if href and _SAFE_LINK.match(href) else None


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open_svg(
    ident: str, width: float, height: float, title: str, description: str, *, linked: bool
) -> list[str]:
    # With links it is a group whose links a screen reader can reach; without, it is an image.
    role = "group" if linked else "img"
    return [
        f'<svg xmlns="{SVG_NAMESPACE}" id="{escape(ident)}" class="picture" role="{role}" '
        f'width="100%" viewBox="0 0 {_number(width)} {_number(height)}" '
        f'aria-labelledby="{escape(ident)}-title" aria-describedby="{escape(ident)}-desc" '
        f'font-family="{escape(FONT)}" font-size="12" fill="{INK}">',
        f'<title id="{escape(ident)}-title">{escape(title)}</title>',
        f'<desc id="{escape(ident)}-desc">{escape(description)}</desc>',
    ]


def _wrap_link(parts: list[str], href: str | None, label: str) -> list[str]:
    target = _link(href)
    if target is None:
        return parts
    return [f'<a href="{escape(target)}" aria-label="{escape(label)}">', *parts, "</a>"]


def bar_chart(
    bars: Sequence[Bar],
    *,
    ident: str,
    title: str,
    description: str,
    unit: str = "paper",
    horizontal: bool = False,
    width: float = WIDTH,
) -> str:
    """Return a bar chart of `bars` (in the given order), each bar labelled with its count."""
    draw = _horizontal_bars if horizontal else _vertical_bars
    return draw(bars, ident=ident, title=title, description=description, unit=unit, width=width)


def _vertical_bars(
    bars: Sequence[Bar], *, ident: str, title: str, description: str, unit: str, width: float
) -> str:
    size, plot_height, top, left = 12.0, 160.0, 20.0, 8.0
    labels = [fit(bar.label, 18) for bar in bars]
    widest = max((text_width(label, size) for label in labels), default=0.0)
    # The bars share the width, each at most 64 wide and at least 14.
    band = max(14.0, min((width - left - 8.0) / max(len(bars), 1), 64.0))
    slanted = widest + 4.0 > band
    # Slanted labels at 45 degrees need their diagonal below the axis.
    below = (widest * math.sqrt(0.5) + 14.0) if slanted else 18.0
    # Slanted labels end under their bar and run down to the left: the first needs room there.
    if slanted:
        left += widest * math.sqrt(0.5)
        band = max(14.0, min((width - left - 8.0) / max(len(bars), 1), 64.0))
    width = max(width, left + band * max(len(bars), 1) + 8.0)
    height = top + plot_height + below
    most = max((bar.count for bar in bars), default=0) or 1
    linked = any(_link(bar.link) for bar in bars)
    out = _open_svg(ident, width, height, title, description, linked=linked)
    baseline = top + plot_height
    for index, (bar, label) in enumerate(zip(bars, labels, strict=True)):
        x = left + index * band
        bar_height = plot_height * bar.count / most
        centre = x + band / 2
        said = f"{bar.label}: {plural(bar.count, unit)}"
        label_y = baseline + 14.0
        if slanted:
            text = (
                f'<text class="label" text-anchor="end" '
                f'transform="translate({_number(centre + 4)},{_number(label_y - 4)}) rotate(-45)">'
                f"{escape(label)}</text>"
            )
        else:
            text = (
                f'<text class="label" x="{_number(centre)}" y="{_number(label_y)}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
        parts = [
            f"<title>{escape(said)}</title>",
            f'<rect x="{_number(x + 3)}" y="{_number(baseline - bar_height)}" '
            f'width="{_number(band - 6)}" height="{_number(bar_height)}" fill="{ACCENT}"/>',
            f'<text class="count" x="{_number(centre)}" y="{_number(baseline - bar_height - 4)}" '
            f'text-anchor="middle" font-size="11">{bar.count}</text>',
            text,
        ]
        out += ['<g class="bar">', *_wrap_link(parts, bar.link, said), "</g>"]
    out.append(
        f'<line x1="{_number(left)}" y1="{_number(baseline)}" '
        f'x2="{_number(left + band * len(bars))}" y2="{_number(baseline)}" stroke="{MUTED}"/>'
    )
    out.append("</svg>")
    return "\n".join(out)


def _horizontal_bars(
    bars: Sequence[Bar], *, ident: str, title: str, description: str, unit: str, width: float
) -> str:
    size, row = 12.0, 24.0
    labels = [fit(bar.label, 36) for bar in bars]
    label_width = max((text_width(label, size) for label in labels), default=0.0) + 12.0
    most = max((bar.count for bar in bars), default=0) or 1
    count_width = text_width(str(most), size) + 12.0
    plot_width = max(width - label_width - count_width, 120.0)
    width = label_width + plot_width + count_width
    height = row * max(len(bars), 1) + 8.0
    linked = any(_link(bar.link) for bar in bars)
    out = _open_svg(ident, width, height, title, description, linked=linked)
    for index, (bar, label) in enumerate(zip(bars, labels, strict=True)):
        y = 4.0 + index * row
        bar_width = plot_width * bar.count / most
        said = f"{bar.label}: {plural(bar.count, unit)}"
        parts = [
            f"<title>{escape(said)}</title>",
            f'<text class="label" x="{_number(label_width - 8)}" y="{_number(y + row / 2 + 4)}" '
            f'text-anchor="end">{escape(label)}</text>',
            f'<rect x="{_number(label_width)}" y="{_number(y + 3)}" '
            f'width="{_number(bar_width)}" height="{_number(row - 6)}" fill="{ACCENT}"/>',
            f'<text class="count" x="{_number(label_width + bar_width + 4)}" '
            f'y="{_number(y + row / 2 + 4)}" font-size="11">{bar.count}</text>',
        ]
        out += ['<g class="bar">', *_wrap_link(parts, bar.link, said), "</g>"]
    out.append(
        f'<line x1="{_number(label_width)}" y1="0" x2="{_number(label_width)}" '
        f'y2="{_number(height)}" stroke="{MUTED}"/>'
    )
    out.append("</svg>")
    return "\n".join(out)


_ROW_CHARS = 34


def row_label_width(rows: Sequence[Label]) -> float:
    """Return the width a heat map gives the labels of `rows`."""
    widths = (text_width(fit(label.text, _ROW_CHARS), 12.0) for label in rows)
    return max(widths, default=0.0) + 10.0


def shade(count: int, most: int) -> str:
    """Return the fill of a heat-map cell: pale for 1, the accent colour for `most`."""
    if count <= 0:
        return EMPTY
    share = 1.0 if most <= 1 else 0.25 + 0.75 * (count - 1) / (most - 1)
    pale, dark = (0xF3, 0xD9, 0xE3), (0x7A, 0x20, 0x48)
    mixed = (round(p + (d - p) * share) for p, d in zip(pale, dark, strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in mixed)


def heat_map(
    rows: Sequence[Label],
    columns: Sequence[Label],
    cells: Mapping[tuple[str, str], HeatCell],
    *,
    ident: str,
    title: str,
    description: str,
    unit: str = "paper",
    label_width: float | None = None,
    width: float = WIDTH,
) -> str:
    """Return a heat map: a row per `rows`, a column per `columns`, each non-empty cell a link.

    `label_width` (see `row_label_width`) lines up the columns of maps drawn one above another;
    the columns share what `width` leaves them, each 30 to 64 wide.
    """
    size, cell_height, slant = 12.0, 26.0, math.radians(50)
    row_texts = [fit(label.text, _ROW_CHARS) for label in rows]
    column_texts = [fit(label.text, 26) for label in columns]
    left = max(row_label_width(rows), label_width or 0.0)
    longest = max((text_width(text, size) for text in column_texts), default=0.0)
    top = longest * math.sin(slant) + 12.0
    right = longest * math.cos(slant) + 8.0
    cell_width = max(30.0, min((width - left - right) / max(len(columns), 1), 64.0))
    width = max(width, left + cell_width * len(columns) + right)
    most = max((cell.count for cell in cells.values()), default=0)
    legend_top = top + cell_height * len(rows) + 14.0
    height = legend_top + 30.0
    linked = bool(cells) or any(_link(label.link) for label in (*rows, *columns))
    out = _open_svg(ident, width, height, title, description, linked=linked)
    for j, (column, text) in enumerate(zip(columns, column_texts, strict=True)):
        x = left + j * cell_width + cell_width / 2 + 4
        label = (
            f'<text class="column" transform="translate({_number(x)},{_number(top - 6)}) '
            f'rotate(-50)">{escape(text)}</text>'
        )
        out += _wrap_link(
            [f"<title>{escape(column.said)}</title>", label], column.link, column.said
        )
    for i, (row, text) in enumerate(zip(rows, row_texts, strict=True)):
        y = top + i * cell_height
        label = (
            f'<text class="row" x="{_number(left - 8)}" y="{_number(y + cell_height / 2 + 4)}" '
            f'text-anchor="end">{escape(text)}</text>'
        )
        out += _wrap_link([f"<title>{escape(row.said)}</title>", label], row.link, row.said)
        for j, column in enumerate(columns):
            out += _heat_cell(
                cells.get((row.key, column.key)),
                x=left + j * cell_width,
                y=y,
                size=(cell_width, cell_height),
                most=most,
                said=f"{row.text} \u00d7 {column.text}",
                unit=unit,
            )
    out += _heat_legend(most, x=left, y=legend_top, unit=unit)
    out.append("</svg>")
    return "\n".join(out)


def _heat_cell(
    cell: HeatCell | None,
    *,
    x: float,
    y: float,
    size: tuple[float, float],
    most: int,
    said: str,
    unit: str,
) -> list[str]:
    width, height = size
    box = f'x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" height="{_number(height)}"'
    if cell is None or cell.count <= 0:
        return [f'<rect class="empty" {box} fill="{EMPTY}" stroke="white"/>']
    said = f"{said}: {plural(cell.count, unit)}"
    fill = shade(cell.count, most)
    ink = "white" if most > 1 and cell.count > (most + 1) / 2 else INK
    parts = [
        f"<title>{escape(said)}</title>",
        f'<rect {box} fill="{fill}" stroke="white"/>',
        f'<text x="{_number(x + width / 2)}" y="{_number(y + height / 2 + 4)}" '
        f'text-anchor="middle" fill="{ink}">{cell.count}</text>',
    ]
    return ['<g class="cell">', *_wrap_link(parts, cell.link, said), "</g>"]


def _heat_legend(most: int, *, x: float, y: float, unit: str) -> list[str]:
    if most <= 0:
        return [f'<text x="{_number(x)}" y="{_number(y + 12)}" fill="{MUTED}">no {unit}s</text>']
    steps = sorted({round(1 + (most - 1) * k / 4) for k in range(5)})
    out = [f'<g class="legend"><text x="{_number(x)}" y="{_number(y + 12)}" fill="{MUTED}">']
    out[0] += f"{escape(unit)}s:</text>"
    offset = x + text_width(unit + "s:", 12.0) + 8.0
    for value in steps:
        out.append(
            f'<rect x="{_number(offset)}" y="{_number(y)}" width="22" height="16" '
            f'fill="{shade(value, most)}"/>'
        )
        ink = "white" if most > 1 and value > (most + 1) / 2 else INK
        out.append(
            f'<text x="{_number(offset + 11)}" y="{_number(y + 12)}" text-anchor="middle" '
            f'font-size="11" fill="{ink}">{value}</text>'
        )
        offset += 24.0
    out.append("</g>")
    return out


def strongest(neighbours: Sequence[Neighbour], limit: int) -> list[Neighbour]:
    """Return at most `limit` neighbours, the strongest first, ties by text then key."""
    ordered = sorted(neighbours, key=lambda n: (-n.count, n.node.text.lower(), n.node.key))
    return ordered[:limit]


def neighbourhood(
    centre: Node,
    neighbours: Sequence[Neighbour],
    *,
    ident: str,
    title: str,
    description: str,
    limit: int = 12,
    unit: str = "paper",
    width: float = WIDTH,
) -> str:
    """Return `centre` with its strongest neighbours on a circle, edges as wide as their counts."""
    shown = strongest(neighbours, limit)
    size, radius = 12.0, 150.0 if len(shown) > 4 else 110.0
    label_chars = 26
    reach = radius + 14.0 + text_width("x" * label_chars, size)
    width = max(width, 2 * reach + 24.0)
    kinds = sorted({n.node.kind or "other" for n in shown} | {centre.kind or "other"})
    legend = _kind_legend(kinds, width=width)
    height = 2 * (radius + 34.0) + 20.0 * len(legend)
    cx, cy = width / 2, radius + 34.0
    most = max((n.count for n in shown), default=1) or 1
    linked = bool(_link(centre.link)) or any(_link(n.node.link) or _link(n.link) for n in shown)
    out = _open_svg(ident, width, height, title, description, linked=linked)
    places = []
    for index in range(len(shown)):
        angle = -math.pi / 2 + 2 * math.pi * index / len(shown)
        places.append((angle, cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    out.append('<g class="edges">')
    for neighbour, (_, x, y) in zip(shown, places, strict=True):
        out += _edge(neighbour, (cx, cy), (x, y), most=most, centre=centre, unit=unit)
    out.append("</g>")
    out.append('<g class="nodes">')
    for neighbour, place in zip(shown, places, strict=True):
        out += _node(neighbour, place, radius=radius, chars=label_chars, unit=unit)
    out += _centre(centre, cx, cy)
    out.append("</g>")
    for line, items in enumerate(legend):
        out.append(
            f'<g class="legend" transform="translate(0,{_number(2 * (radius + 34) + 20 * line)})">'
        )
        out += items
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _colour(kind: str | None) -> str:
    return KIND_COLOURS.get(kind or "", OTHER_COLOUR)


def _edge(
    neighbour: Neighbour,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    most: int,
    centre: Node,
    unit: str,
) -> list[str]:
    (x0, y0), (x1, y1) = start, end
    stroke = 1.5 + (4.5 * (neighbour.count - 1) / (most - 1) if most > 1 else 0.0)
    mx, my = x0 + (x1 - x0) * 0.58, y0 + (y1 - y0) * 0.58
    said = f"{centre.text} \u2013 {neighbour.node.text}: {plural(neighbour.count, unit)}"
    parts = [
        f"<title>{escape(said)}</title>",
        f'<line x1="{_number(x0)}" y1="{_number(y0)}" x2="{_number(x1)}" y2="{_number(y1)}" '
        f'stroke="{MUTED}" stroke-opacity="0.6" stroke-width="{_number(stroke)}"/>',
        f'<circle cx="{_number(mx)}" cy="{_number(my)}" r="9" fill="white" stroke="{MUTED}"/>',
        f'<text x="{_number(mx)}" y="{_number(my + 4)}" text-anchor="middle" font-size="11">'
        f"{neighbour.count}</text>",
    ]
    return ['<g class="edge">', *_wrap_link(parts, neighbour.link, said), "</g>"]


def _node(
    neighbour: Neighbour,
    place: tuple[float, float, float],
    *,
    radius: float,
    chars: int,
    unit: str,
) -> list[str]:
    angle, x, y = place
    node = neighbour.node
    cos, sin = math.cos(angle), math.sin(angle)
    anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
    lx, ly = x + 14.0 * cos, y + 14.0 * sin + 4.0
    if anchor == "middle":
        ly += 6.0 if sin > 0 else -4.0
    kind = f" ({node.kind})" if node.kind else ""
    said = f"{node.text}{kind}: {plural(neighbour.count, unit)}"
    parts = [
        f"<title>{escape(said)}</title>",
        f'<circle cx="{_number(x)}" cy="{_number(y)}" r="9" fill="{_colour(node.kind)}" '
        'stroke="white" stroke-width="2"/>',
        f'<text x="{_number(lx)}" y="{_number(ly)}" text-anchor="{anchor}">'
        f"{escape(fit(node.text, chars))}</text>",
    ]
    return ['<g class="node">', *_wrap_link(parts, node.link, said), "</g>"]


def _centre(centre: Node, cx: float, cy: float) -> list[str]:
    text = fit(centre.text, 30)
    half = text_width(text, 13.0) / 2 + 10.0
    parts = [
        f"<title>{escape(centre.text)}</title>",
        f'<rect x="{_number(cx - half)}" y="{_number(cy - 14)}" width="{_number(2 * half)}" '
        f'height="28" rx="14" fill="{_colour(centre.kind)}"/>',
        f'<text x="{_number(cx)}" y="{_number(cy + 5)}" text-anchor="middle" font-size="13" '
        f'font-weight="600" fill="white">{escape(text)}</text>',
    ]
    return ['<g class="centre">', *_wrap_link(parts, centre.link, centre.text), "</g>"]


def _kind_legend(kinds: Sequence[str], *, width: float) -> list[list[str]]:
    """Return the legend's lines: a dot of each kind's colour and its name, wrapped at `width`."""
    lines: list[list[str]] = [[]]
    x = 12.0
    for kind in kinds:
        step = 14.0 + text_width(kind, 11.0) + 12.0
        if lines[-1] and x + step > width:
            lines.append([])
            x = 12.0
        lines[-1].append(f'<circle cx="{_number(x + 5)}" cy="10" r="5" fill="{_colour(kind)}"/>')
        lines[-1].append(
            f'<text x="{_number(x + 14)}" y="14" fill="{MUTED}" font-size="11">'
            f"{escape(kind)}</text>"
        )
        x += step
    return lines
