"""Server-rendered SVG charts: no script, no style attribute, the same markup on the page and in the PDF.

Pure apart from ``markupsafe`` (the caller passes every word already translated), so
a chart is a function of its figures.  Colours are presentation attributes, which the
page's CSP (``default-src 'self'``) allows on inline SVG.

WeasyPrint draws SVG text without Thai shaping, so the chart's own text is figures and
meeting numbers only; captions in Thai belong to the HTML around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from markupsafe import Markup

QUALIFIES = "#1f7a3a"
FALLS_SHORT = "#c53030"
GRID = "#d9e2ec"
INK = "#1f2933"
MUTED = "#52606d"
THRESHOLD = "#b7791f"
FONT = "Sarabun, Laksaman, Garuda, Loma, sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar: the meeting's number, e.g. "3/2563"
    rate: Decimal | None  # 0..100, already rounded for display; None: nobody was eligible
    rate_text: str  # the figure written above the bar, e.g. "80.00"
    qualifies: bool
    tooltip: str  # the bar's <title>: what a pointer hovering it reads


def rate_chart(bars: list[Bar], threshold: Decimal, threshold_text: str, *, title: str,
               height: int = 260, step: int = 64) -> Markup:
    """Bars of each meeting's attendance rate (0-100 %) and a dashed line at ``threshold``."""
    left, right, top, bottom = 44, 44, 14, 44
    plot_h = height - top - bottom
    width = left + right + max(len(bars), 4) * step

    def y(percent: Decimal | int) -> float:
        return round(top + plot_h * (1 - float(percent) / 100), 2)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rate-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{FONT}" font-size="11" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(0, 101, 20):
        parts.append(f'<line x1="{left}" y1="{y(tick)}" x2="{width - right}" y2="{y(tick)}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4}" text-anchor="end" fill="{MUTED}">{tick}</text>')
    bar_w = step * 0.56
    for i, bar in enumerate(bars):
        x = left + i * step + (step - bar_w) / 2
        centre = round(x + bar_w / 2, 2)
        parts.append('<g class="bar">')
        parts.append(f"<title>{escape(bar.tooltip)}</title>")
        if bar.rate is not None:
            top_y = y(bar.rate)
            colour = QUALIFIES if bar.qualifies else FALLS_SHORT
            parts.append(f'<rect x="{round(x, 2)}" y="{top_y}" width="{round(bar_w, 2)}" '
                         f'height="{round(y(0) - top_y, 2)}" fill="{colour}"/>')
            parts.append(f'<text x="{centre}" y="{top_y - 4}" text-anchor="middle" fill="{INK}">'
                         f"{escape(bar.rate_text)}</text>")
        else:
            parts.append(f'<text x="{centre}" y="{y(0) - 4}" text-anchor="middle" fill="{MUTED}">–</text>')
        parts.append(f'<text x="{centre}" y="{height - bottom + 16}" text-anchor="middle" fill="{INK}">'
                     f"{escape(bar.label)}</text>")
        parts.append("</g>")
    line_y = y(threshold)
    parts.append(f'<line class="threshold" x1="{left}" y1="{line_y}" x2="{width - right}" y2="{line_y}" '
                 f'stroke="{THRESHOLD}" stroke-width="2" stroke-dasharray="6 4"/>')
    parts.append(f'<text x="{width - right + 4}" y="{line_y + 4}" text-anchor="start" fill="{THRESHOLD}" '
                 f'font-weight="bold">{escape(threshold_text)} %</text>')
    parts.append(f'<line x1="{left}" y1="{y(0)}" x2="{width - right}" y2="{y(0)}" stroke="{MUTED}" stroke-width="1"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
