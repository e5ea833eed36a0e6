"""Extraction quality on every golden page: newscrawl against the reviewed expectation, beside htmldate and trafilatura.

Per page: dates right (the instant within 60 s of the expected `published_at` AND the expected
offset; a date-only expectation needs the right day) for newscrawl, htmldate and trafilatura's
metadata, beside the body token precision / recall / F1 (multiset overlap of lower-cased word
tokens) of newscrawl and trafilatura. Prints a markdown table and the totals. htmldate and
trafilatura are dev-only comparisons: the crawler never imports them.
Run: ``python benchmarks/quality.py``.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import trafilatura
from htmldate import find_date

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from golden import extract_fields, goldens

_TOKEN = re.compile(r"\w+", re.UNICODE)
TARGET_F1 = 0.97
SAME_INSTANT = timedelta(seconds=60)


def tokens(text: str | None) -> Counter[str]:
    return Counter(t.lower() for t in _TOKEN.findall(text or ""))


def prf(got: str | None, want: str) -> tuple[float, float, float]:
    g, w = tokens(got), tokens(want)
    common = sum((g & w).values())
    p = common / sum(g.values()) if g else 0.0
    r = common / sum(w.values()) if w else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def date_right(got: str | None, want: str | None, precision: str | None) -> bool:
    """The instant within 60 s and the same offset; for a date-only expectation, the same day."""
    if not got or not want:
        return got == want
    try:
        g, w = datetime.fromisoformat(got), datetime.fromisoformat(want)
    except ValueError:
        return False
    if g.tzinfo is None:
        return False
    if precision == "day":
        return g.date() == w.date() and g.utcoffset() == w.utcoffset()
    return abs(g - w) <= SAME_INSTANT and g.utcoffset() == w.utcoffset()


def htmldate_of(html: str, url: str) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return find_date(html, url=url, outputformat="%Y-%m-%dT%H:%M:%S%z", original_date=True)


def trafilatura_date(html: str, url: str) -> str | None:
    meta = trafilatura.extract_metadata(html, default_url=url)
    return meta.date if meta is not None else None


def main() -> int:
    rows = []
    right = Counter[str]()
    below, not_above = [], []
    for golden in goldens():
        expected = golden.expected or {}
        got = extract_fields(golden)
        html = golden.html().decode("utf-8", "replace")
        traf = trafilatura.extract(html, url=golden.url, include_comments=False, include_tables=False)
        ours = prf(got["body"], expected["body"])
        theirs = prf(traf, expected["body"])
        want, precision = expected["published_at"], expected["published_precision"]
        dates = {
            "newscrawl": date_right(got["published_at"], want, precision),
            "htmldate": date_right(htmldate_of(html, golden.url), want, precision),
            "trafilatura": date_right(trafilatura_date(html, golden.url), want, precision),
        }
        right.update(name for name, ok in dates.items() if ok)
        right.update(f for f in ("title", "author", "tags") if got[f] == expected[f])
        if ours[2] < TARGET_F1:
            below.append(golden.id)
        if ours[2] <= theirs[2]:
            not_above.append(golden.id)
        rows.append((golden.id, dates, ours, theirs))
    print("| page | date: newscrawl | htmldate | trafilatura | body F1: newscrawl | trafilatura |")
    print("|---|---|---|---|---|---|")
    mark = {True: "✓", False: "✗"}
    for page, dates, ours, theirs in rows:
        print(f"| {page} | {mark[dates['newscrawl']]} | {mark[dates['htmldate']]} | {mark[dates['trafilatura']]} | "
              f"**{ours[2]:.3f}** | {theirs[2]:.3f} |")
    n = len(rows)
    print(f"\n{n} pages. Dates right (±60 s and the page's offset; the day for date-only pages): "
          f"newscrawl {right['newscrawl']}/{n}, htmldate {right['htmldate']}/{n}, "
          f"trafilatura {right['trafilatura']}/{n}.")
    mean_ours = sum(r[2][2] for r in rows) / n
    mean_theirs = sum(r[3][2] for r in rows) / n
    print(f"Mean body F1: newscrawl {mean_ours:.3f}, trafilatura {mean_theirs:.3f}. "
          f"Min body F1: newscrawl {min(r[2][2] for r in rows):.3f}, trafilatura {min(r[3][2] for r in rows):.3f}.")
    print(f"Field accuracy: title {right['title']}/{n}, author {right['author']}/{n}, tags {right['tags']}/{n}.")
    print(f"Pages below F1 {TARGET_F1}: {below or 'none'}. Pages not above trafilatura: {not_above or 'none'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
