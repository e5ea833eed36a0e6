"""Extraction quality on every golden page: newscrawl against the reviewed expectation, beside trafilatura.

Per page: body token precision / recall / F1 (multiset overlap of lower-cased word tokens) for
newscrawl and for trafilatura on the same HTML, and whether title, published_at, author and tags
are exactly right. Prints a markdown table and the totals. trafilatura is a dev-only comparison:
the crawler never imports it. Run: ``python benchmarks/quality.py``.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from golden import extract_fields, goldens

_TOKEN = re.compile(r"\w+", re.UNICODE)
TARGET_F1 = 0.97


def tokens(text: str | None) -> Counter[str]:
    return Counter(t.lower() for t in _TOKEN.findall(text or ""))


def prf(got: str | None, want: str) -> tuple[float, float, float]:
    g, w = tokens(got), tokens(want)
    common = sum((g & w).values())
    p = common / sum(g.values()) if g else 0.0
    r = common / sum(w.values()) if w else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    rows = []
    fields = ("title", "published_at", "author", "tags")
    right = Counter[str]()
    below, not_above = [], []
    for golden in goldens():
        expected = golden.expected or {}
        got = extract_fields(golden)
        html = golden.html().decode("utf-8", "replace")
        traf = trafilatura.extract(html, url=golden.url, include_comments=False, include_tables=False)
        ours = prf(got["body"], expected["body"])
        theirs = prf(traf, expected["body"])
        ok = {f: got[f] == expected[f] for f in fields}
        right.update(f for f, v in ok.items() if v)
        if ours[2] < TARGET_F1:
            below.append(golden.id)
        if ours[2] <= theirs[2]:
            not_above.append(golden.id)
        rows.append((golden.id, ours, theirs, ok))
    print("| page | newscrawl P / R / F1 | trafilatura P / R / F1 | title | date | author | tags |")
    print("|---|---|---|---|---|---|---|")
    for page, ours, theirs, ok in rows:
        marks = " | ".join("✓" if ok[f] else "✗" for f in fields)
        print(f"| {page} | {ours[0]:.3f} / {ours[1]:.3f} / **{ours[2]:.3f}** | "
              f"{theirs[0]:.3f} / {theirs[1]:.3f} / {theirs[2]:.3f} | {marks} |")
    n = len(rows)
    mean_ours = sum(r[1][2] for r in rows) / n
    mean_theirs = sum(r[2][2] for r in rows) / n
    print(f"\n{n} pages. Mean body F1: newscrawl {mean_ours:.3f}, trafilatura {mean_theirs:.3f}. "
          f"Min body F1: newscrawl {min(r[1][2] for r in rows):.3f}, trafilatura {min(r[2][2] for r in rows):.3f}.")
    print("Field accuracy: " + ", ".join(f"{f} {right[f]}/{n}" for f in fields) + ".")
    print(f"Pages below F1 {TARGET_F1}: {below or 'none'}. Pages not above trafilatura: {not_above or 'none'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
