"""The health report a person opens: one self-contained HTML file (``newscrawl health --html FILE``).

What it is for
    Flagged portals first, each with its reasons in words, a small chart of its fields' fill rates
    (lines) and articles (bars) over its kept crawls, and the table of those crawls. Everything is
    inline: CSS in a ``<style>``, charts as inline SVG, no script, no font, no image, no link
    to anywhere, so the file reads the same offline, attached to a mail, or years later.

What it must never do
    Reference anything outside the file, or put a value in the page unescaped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING

from newscrawl.delivery.health.record import FIELDS
from newscrawl.delivery.health.report import row, when
from newscrawl.delivery.health.rules import notes

if TYPE_CHECKING:
    from collections.abc import Sequence

    from newscrawl.delivery.health.record import PortalCrawl
    from newscrawl.delivery.health.report import PortalHealth

# One colour per field (FIELDS order), readable on white and told apart in the legend.
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#ff7f0e")
_W, _H, _PAD = 520, 170, 34

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:70em}
h1{font-size:1.4em}h2{font-size:1.1em;margin:0}
section{border:1px solid #ccc;border-radius:6px;padding:1em;margin:1em 0}
section.flagged{border-color:#c62828;background:#fff6f6}
.badge{display:inline-block;padding:0 .5em;border-radius:3px;font-size:.85em;margin-left:.5em}
.flagged .badge{background:#c62828;color:#fff}.ok .badge{background:#2e7d32;color:#fff}
ul.reasons{color:#b71c1c}ul.notes{color:#555}
table{border-collapse:collapse;font-size:.85em;margin-top:.5em}
th,td{border:1px solid #ddd;padding:.15em .45em;text-align:right}th{background:#f4f4f4}
tr.flagged td{background:#ffe3e3}
.legend span{display:inline-block;margin-right:1em;font-size:.85em}
.legend i{display:inline-block;width:1em;height:.6em;margin-right:.3em}
"""


def _x(i: int, n: int) -> float:
    return _PAD + (i * (_W - 2 * _PAD) / (n - 1) if n > 1 else (_W - 2 * _PAD) / 2)


def _y(share: float) -> float:
    return _H - _PAD - share * (_H - 2 * _PAD)


def chart(portal: str, crawls: Sequence[PortalCrawl]) -> str:
    """An inline SVG: each field's fill rate (lines, 0-100 %) and the articles (bars) over the crawls."""
    n = len(crawls)
    most = max((c.articles for c in crawls), default=0) or 1
    bar = max(4.0, (_W - 2 * _PAD) / max(n, 1) * 0.5)
    parts = [
        (
            f'<svg class="chart" data-portal="{escape(portal)}" width="{_W}" height="{_H}" '
            f'viewBox="0 0 {_W} {_H}" role="img" aria-label="fill rates and articles of {escape(portal)}">'
        ),
        f'<line x1="{_PAD}" y1="{_y(0)}" x2="{_W - _PAD}" y2="{_y(0)}" stroke="#999"/>',
        f'<line x1="{_PAD}" y1="{_y(1)}" x2="{_W - _PAD}" y2="{_y(1)}" stroke="#eee"/>',
        f'<text x="2" y="{_y(1) + 4}" font-size="10">100%</text><text x="2" y="{_y(0) + 4}" font-size="10">0%</text>',
    ]
    for i, crawl in enumerate(crawls):
        height = crawl.articles / most * (_H - 2 * _PAD)
        parts.append(
            f'<rect class="articles" x="{_x(i, n) - bar / 2:.1f}" y="{_y(0) - height:.1f}" width="{bar:.1f}" '
            f'height="{height:.1f}" fill="#ddd"><title>{when(crawl.at)}: {crawl.articles} articles</title></rect>',
        )
        parts.append(
            f'<text x="{_x(i, n):.1f}" y="{_H - 8}" font-size="10" text-anchor="middle">{crawl.articles}</text>',
        )
    for colour, name in zip(COLOURS, FIELDS, strict=True):
        points = " ".join(f"{_x(i, n):.1f},{_y(c.fill(name)):.1f}" for i, c in enumerate(crawls) if c.articles)
        if points:
            parts.append(
                f'<polyline class="fill" data-field="{name}" points="{points}" fill="none" stroke="{colour}" '
                f'stroke-width="2"><title>{name}</title></polyline>',
            )
    parts.append("</svg>")
    return "".join(parts)


def _legend() -> str:
    spans = "".join(f'<span><i style="background:{c}"></i>{n}</span>' for c, n in zip(COLOURS, FIELDS, strict=True))
    return f'<p class="legend">{spans}<span><i style="background:#ddd"></i>articles</span></p>'


def _section(health: PortalHealth) -> str:
    state = "flagged" if health.flagged else "ok"
    out = [
        f'<section class="portal {state}" id="{escape(health.portal)}" data-portal="{escape(health.portal)}">',
        f"<h2>{escape(health.portal)}<span class=\"badge\">{'flagged' if health.flagged else 'ok'}</span></h2>",
    ]
    if health.latest:
        out.append('<ul class="reasons">' + "".join(f"<li>{escape(r)}</li>" for r in health.latest) + "</ul>")
    if notes(health.crawls[-1]):
        out.append('<ul class="notes">' + "".join(f"<li>{escape(n)}</li>" for n in notes(health.crawls[-1])) + "</ul>")
    out.append(chart(health.portal, health.crawls))
    rows = [row(c) for c in health.crawls]
    out.append("<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in rows[0]) + "</tr>")
    for cells, reasons in zip(rows, health.reasons, strict=True):
        title = escape("; ".join(reasons))
        klass = ' class="flagged"' if reasons else ""
        out.append(f'<tr{klass} title="{title}">' + "".join(f"<td>{escape(v)}</td>" for v in cells.values()) + "</tr>")
    out.append("</table></section>")
    return "".join(out)


def render_html(portals: Sequence[PortalHealth], location: str) -> str:
    """The whole report: flagged portals first (as `portals` are ordered by `report.assess`)."""
    flagged = sum(1 for p in portals if p.flagged)
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    summary = f"{flagged} of {len(portals)} portals flagged in their latest crawl"
    body = "".join(_section(p) for p in portals) or "<p>No health records are kept in this crawl state.</p>"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>newscrawl health: {escape(summary)}</title><style>{_CSS}</style></head><body>"
        f'<h1>newscrawl extraction health</h1><p class="summary">{escape(summary)}. Crawl state: '
        f"{escape(location)}; made {made}.</p>{_legend()}"
        "<p>Lines: the share of articles that have each field, per crawl (oldest left). "
        "Bars: articles read.</p>"
        f"{body}</body></html>\n"
    )
