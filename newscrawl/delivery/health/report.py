"""Health as a person or a monitoring system reads it: the summary's lines, a table per portal, JSON.

What it is for
    `assess` judges every kept crawl of every portal against the crawls before it (`rules.judge`)
    and orders the portals flagged first; `table` prints one table per portal over its crawls
    (``newscrawl health``), `as_json` the monitoring form (``newscrawl health --json``:
    ``{"portals": [{"id", "flagged", "reasons", "crawls": [...]}]}``), `summary_lines` the
    end-of-crawl summary's part. The HTML report is html.py.

What it must never do
    Read a store or the stats itself, or write anywhere: records in, text out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newscrawl.delivery.health.record import FIELDS
from newscrawl.delivery.health.rules import judge, notes

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from newscrawl.delivery.health.record import PortalCrawl
    from newscrawl.delivery.health.rules import Margins

# Column headings of the per-portal table, for the fields (FIELDS order).
_SHORT = {"title": "title", "published_at": "date", "author": "author", "tags": "tags", "image": "image",
          "section": "section", "body": "body"}


@dataclass(frozen=True, slots=True)
class PortalHealth:
    """A portal's kept crawls (oldest first), and the reasons each was flagged for."""

    portal: str
    crawls: tuple[PortalCrawl, ...]
    reasons: tuple[tuple[str, ...], ...]

    @property
    def latest(self) -> tuple[str, ...]:
        """The reasons of the latest crawl (empty: not flagged)."""
        return self.reasons[-1] if self.reasons else ()

    @property
    def flagged(self) -> bool:
        """Whether the portal is flagged in its latest crawl."""
        return bool(self.latest)


def assess(history: Mapping[str, Sequence[PortalCrawl]], margins: Margins) -> list[PortalHealth]:
    """Every portal's crawls, each judged against the ones before it; flagged portals first."""
    out = [
        PortalHealth(portal, tuple(crawls), tuple(tuple(judge(c, crawls[:i], margins)) for i, c in enumerate(crawls)))
        for portal, crawls in history.items()
    ]
    return sorted(out, key=lambda p: (not p.flagged, p.portal))


def portal_json(portal: str, reasons: Sequence[str], crawls: Sequence[PortalCrawl]) -> dict[str, Any]:
    """One portal as monitoring reads it."""
    return {"id": portal, "flagged": bool(reasons), "reasons": list(reasons), "crawls": [c.to_json() for c in crawls]}


def as_json(portals: Sequence[PortalHealth]) -> dict[str, Any]:
    """``{"portals": [...]}``: every portal with its latest reasons and its crawls."""
    return {"portals": [portal_json(p.portal, p.latest, p.crawls) for p in portals]}


def when(at: float) -> str:
    """A crawl's start, as the reports show it (UTC)."""
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def row(crawl: PortalCrawl) -> dict[str, str]:
    """One crawl as a table row: heading -> cell."""
    cells = {"crawl (UTC)": when(crawl.at), "articles": str(crawl.articles), "delivered": str(crawl.delivered)}
    for name in FIELDS:
        cells[_SHORT[name]] = _percent(crawl.fill(name) if crawl.articles else None)
    cells["clock"] = _percent(crawl.clock())
    cells["fallback"] = _percent(crawl.fallback("body") if crawl.articles else None)
    cells["words"] = str(crawl.words)
    cells["listings"] = f"{crawl.listings}/{crawl.listed}"
    cells["errors"] = f"{crawl.failed}/{crawl.answered + crawl.failed}"
    cells["robots"] = str(crawl.robots)
    return cells


def table(portals: Sequence[PortalHealth]) -> str:
    """A table per portal over its crawls, flagged portals first, with the latest reasons."""
    blocks = []
    for health in portals:
        lines = [f"{health.portal}: {'FLAGGED' if health.flagged else 'ok'} ({len(health.crawls)} crawls)"]
        lines.extend(f"  ! {reason}" for reason in health.latest)
        lines.extend(f"  - {note}" for note in notes(health.crawls[-1]))
        rows = [row(c) for c in health.crawls]
        heads = list(rows[0])
        widths = {h: max(len(h), *(len(r[h]) for r in rows)) for h in heads}
        lines.append("  " + "  ".join(h.rjust(widths[h]) for h in heads))
        for cells, reasons in zip(rows, health.reasons, strict=True):
            mark = "  <- flagged" if reasons else ""
            lines.append("  " + "  ".join(cells[h].rjust(widths[h]) for h in heads) + mark)
        blocks.append("\n".join(lines))
    legend = (
        "fields: the share of articles that have each; clock: dates with a time of day; fallback: bodies by "
        "the density fallback; listings: fetched/article links on them; errors: failed/requests"
    )
    return "\n\n".join([*blocks, legend]) if blocks else "no health records kept in this crawl state"


def summary_lines(stats: Mapping[str, Any]) -> list[str]:
    """The end-of-crawl summary's health part (none for a crawl that kept no health)."""
    checked = stats.get("newscrawl/health/portals")
    if checked is None:
        return []
    report = stats.get("newscrawl/health/report") or {}
    flagged: dict[str, list[str]] = report.get("flagged", {})
    noted: dict[str, list[str]] = report.get("notes", {})
    count = len(flagged)
    head = f"{count} portal{'s' if count != 1 else ''} flagged" if count else "no portal flagged"
    lines = [f"  health          : {head} ({checked} checked)"]
    lines.extend(f"    {portal}: {reason}" for portal, reasons in flagged.items() for reason in reasons)
    lines.extend(f"    {portal}: {note}" for portal, items in noted.items() for note in items)
    return lines
