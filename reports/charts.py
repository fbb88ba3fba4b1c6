"""Horizontal bar charts drawn by matplotlib and returned as inline, accessible SVG.

Each chart is one image to assistive technology: the outer ``<svg role="img">`` is named by
its ``<title>`` and ``<desc>`` (the description repeats every value), and the report keeps a
table with the same numbers next to it. Matplotlib is imported on first use, inside
:func:`render_bar_chart`, so commands that never draw a chart do not pay for it.

The output is deterministic (fixed hash salt, no date or creator metadata, text kept as
``<text>``), so the same result gives byte-identical HTML, and the ids matplotlib gives its
elements are prefixed with the chart's id so several charts can share one page.
"""

from __future__ import annotations

import io
import re
from typing import Optional, Sequence

from lxml import etree
from markupsafe import Markup

__all__ = ["BACKGROUND", "BAR_COLOUR", "TEXT_COLOUR", "TRACK_COLOUR", "TRACK_EDGE",
           "contrast_ratio", "render_bar_chart"]

# colours (WCAG 2.x contrast against BACKGROUND: text >= 4.5:1, bars and track edge >= 3:1;
# tests/reports/test_reports.py checks every fill and stroke in the output)
BACKGROUND = "#ffffff"
TEXT_COLOUR = "#1a1a1a"
BAR_COLOUR = "#1f5a96"
TRACK_COLOUR = "#e8e8e8"  # the empty part of a bar; its edge carries the contrast
TRACK_EDGE = "#6b6b6b"

WIDTH = 300  # SVG user units (1 unit = 1 pt in matplotlib's SVG)
LABEL_H, BAR_H, GAP = 18, 16, 12  # a label line above each bar: legible at a phone's width
FONT_SIZE = 13
MAX_LABEL = 28

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_ID_REF = re.compile(r"url\(#([^)]+)\)")
# not allowed in XML 1.0 (or a line break that would split a label): becomes a space
_NOT_ONE_LINE_OF_XML = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_RC = {
    "svg.fonttype": "none",  # text stays text: selectable, translatable, smaller
    "svg.hashsalt": "auditor-charts",  # clip-path ids are stable between runs
    "svg.id": None,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "text.usetex": False,
}
_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


def contrast_ratio(colour_a: str, colour_b: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours (1.0 to 21.0)."""

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(colour_a), luminance(colour_b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _one_line(text: object) -> str:
    return _NOT_ONE_LINE_OF_XML.sub(" ", "" if text is None else str(text))


def _shown_label(label: str) -> str:
    label = _one_line(label)
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL] + "…"


def _draw(rows: Sequence[tuple[str, Optional[float], str]], chart_id: str, colour: str) -> bytes:
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    row_h = LABEL_H + BAR_H + GAP
    height = max(row_h * len(rows), row_h)
    with rc_context(_RC):
        fig = Figure(figsize=(WIDTH / 72, height / 72), dpi=72, facecolor=BACKGROUND)
        FigureCanvasSVG(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.set_xlim(0, WIDTH)
        ax.set_ylim(height, 0)  # y grows downwards, as in the page
        for i, (label, fraction, text) in enumerate(rows):
            y = i * row_h
            for content, x, align, weight, role in ((_shown_label(label), 0, "left", "normal", "label"),
                                                   (_one_line(text), WIDTH, "right", "bold", "value")):
                ax.text(x, y + 13, content, ha=align, va="baseline", fontsize=FONT_SIZE,
                        fontweight=weight, color=TEXT_COLOUR, parse_math=False, usetex=False,
                        gid=f"{chart_id}-{role}-{i}")
            ax.add_patch(Rectangle((0.5, y + LABEL_H), WIDTH - 1, BAR_H, facecolor=TRACK_COLOUR,
                                   edgecolor=TRACK_EDGE, linewidth=1, gid=f"{chart_id}-track-{i}"))
            if fraction is not None and fraction > 0:
                width = max(2.0, round(min(float(fraction), 1.0) * WIDTH, 1))
                ax.add_patch(Rectangle((0, y + LABEL_H), width, BAR_H, facecolor=colour,
                                       edgecolor="none", gid=f"{chart_id}-bar-{i}"))
        out = io.BytesIO()
        fig.savefig(out, format="svg", metadata=_METADATA, facecolor=BACKGROUND)
    return out.getvalue()


def _prefix_ids(root: etree._Element, chart_id: str) -> None:
    """Prefix matplotlib's own ids (``figure_1``, ``patch_1``, clip paths) with the chart id,
    and every reference to them, so two charts on one page never share an id."""
    prefix = f"{chart_id}-"
    for element in root.iter():
        element_id = element.get("id")
        if element_id is not None and not element_id.startswith(prefix):
            element.set("id", prefix + element_id)
        for name, value in element.attrib.items():
            if "url(#" in value:
                element.set(name, _ID_REF.sub(lambda m: f"url(#{prefix}{m.group(1)})", value))
        href = element.get(f"{{{_XLINK_NS}}}href")
        if href and href.startswith("#") and not href.startswith("#" + prefix):
            element.set(f"{{{_XLINK_NS}}}href", "#" + prefix + href[1:])


def render_bar_chart(
    rows: Sequence[tuple[str, Optional[float], str]],
    *,
    title: str,
    desc: str,
    chart_id: str,
    colour: str = BAR_COLOUR,
) -> Markup:
    """One horizontal bar per ``(label, fraction 0..1 or None, value text)`` row, as an
    ``<svg role="img">`` ready to inline in HTML (no XML prolog or DOCTYPE). A row whose
    fraction is ``None`` (not scored) is drawn as an empty track with its text. Labels sit above
    their bar so the chart stays legible at a phone's width. The title and description name
    the chart, and the description repeats the values, because the SVG is one image to
    assistive technology. Every text is escaped by the SVG serialiser, so the result is safe
    :class:`~markupsafe.Markup` even for hostile labels."""
    root = etree.fromstring(_draw(rows, chart_id, colour), etree.XMLParser(resolve_entities=False, no_network=True))
    _prefix_ids(root, chart_id)
    for element in list(root.iter()):
        if element.tag == f"{{{_SVG_NS}}}style" or element.tag == f"{{{_SVG_NS}}}metadata":
            # matplotlib's "*{stroke-linejoin: round}" would style the whole HTML page
            element.getparent().remove(element)
    for element in root.iter():
        if element.tail is not None and not element.tail.strip():
            element.tail = None
        if element.text is not None and not element.text.strip():
            element.text = None
    for defs in root.findall(f"{{{_SVG_NS}}}defs"):
        if len(defs) == 0:
            root.remove(defs)
    view_box = root.get("viewBox", "").split()
    if len(view_box) == 4:  # user units, not pt: the page's CSS scales the chart
        root.set("width", view_box[2])
        root.set("height", view_box[3])
    root.attrib.pop("version", None)
    root.set("class", "chart")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("focusable", "false")
    title_el = etree.Element(f"{{{_SVG_NS}}}title", id=f"{chart_id}-title")
    title_el.text = _one_line(title)
    desc_el = etree.Element(f"{{{_SVG_NS}}}desc", id=f"{chart_id}-desc")
    desc_el.text = _one_line(f"{desc} " + "; ".join(f"{label}: {text}" for label, _, text in rows))
    root.insert(0, desc_el)
    root.insert(0, title_el)
    return Markup(etree.tostring(root, encoding="unicode"))
