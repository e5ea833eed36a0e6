"""Where a `kabar` crawl's CPU goes, page by page: py-spy's samples of a whole crawl, put in buckets.

Used by ``benchmarks/run.py --profile``: the crawl runs once more under ``py-spy record`` (raw
stacks, 200 samples a second), and every sample is given to the first bucket of `BUCKETS` whose
test its stack passes (so a Request built while classifying links counts as "Requests built", and
GC or a lexbor call inside extraction as "extraction"). Each bucket is printed as a share of the
samples and as CPU ms per page (the samples of the busy threads scaled to the crawl's measured CPU
time). It also lists the hottest functions. It never changes the crawl: py-spy samples from outside.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

Stack = list[str]  # frames "function (path)", outermost first


def _any(*starts: str) -> Callable[[Stack], bool]:
    return lambda stack: any(frame.startswith(starts) for frame in stack)


def _has(*parts: str) -> Callable[[Stack], bool]:
    return lambda stack: any(part in frame for frame in stack for part in parts)


# (bucket, test of a sample's stack), most specific first; the last takes what is left.
BUCKETS: tuple[tuple[str, Callable[[Stack], bool]], ...] = (
    ("idle threads (not the crawl's CPU)", lambda s: "Condition.wait" in s[-1] or _any("Thread._bootstrap")(s)),
    ("start-up (imports, settings, checks)",
     lambda s: not _any("AsyncioSelectorReactor.run")(s) or _has("_find_and_load")(s)),
    ("HTML parse (lexbor)", _any("Doc.parse")),
    ("family detection", _any("detect_profile", "KabarSpider._profile")),
    ("extraction (extract_article, extract_later_page)", _any("extract_article", "extract_later_page")),
    ("Requests built",
     _any("Request.__init__", "Request.replace", "KabarSpider._request", "KabarSpider._article_request")),
    ("link finding and classification", _any("KabarSpider._links", "KabarSpider._follow_from_article",
                                             "KabarSpider._unseen", "KabarSpider._skip_link", "KabarSpider._listing")),
    ("item built (fields, portal)", _any("KabarSpider._item", "page_fields", "merge_page")),
    ("pipelines (cleaning, dates, dedup, crawl state)", _has("ItemPipelineManager")),
    ("feed export (item -> JSON line)", _has("FeedExporter", "JsonLinesExporter")),
    ("scheduler and duplicate filter",
     _any("Scheduler.", "RFPDupeFilter", "fingerprint", "DownloaderAwarePriorityQueue")),
    ("our downloader middlewares", _has("newscrawl/crawl/middlewares")),
    ("downloader and HTTP (Scrapy, Twisted)", lambda s: _any("Downloader.", "HTTP11", "PoliteDownloader",
                                                             "DownloaderMiddlewareManager")(s)
     or _has("twisted/web", "twisted/internet/tcp")(s)),
    ("spider output handling (Scrapy's scraper, spider middlewares)", _any("Scraper.", "SpiderMiddlewareManager",
                                                                           "_parallel_asyncio", "DepthMiddleware")),
    ("engine and event loop", lambda _: True),
)
RATE = 200


def record(cmd: list[str], raw: Path, cwd: Path) -> bool:
    """Run `cmd` under py-spy into `raw`; False when py-spy is missing or recorded nothing."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        return False
    subprocess.run([str(spy), "record", "--format", "raw", "--rate", str(RATE), "--output", str(raw), "--", *cmd],
                   cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return raw.exists()


def _frame(frame: str) -> str:
    """'extract_article (/x/newscrawl/extract/article.py:441)' -> 'extract_article (newscrawl/extract/article.py)'."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
    if "newscrawl/" in path:
        path = "newscrawl/" + path.split("newscrawl/", 1)[1]
    return f"{name} ({path})"


def stacks(raw: Path) -> list[tuple[Stack, int]]:
    out = []
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if count.isdigit():
            out.append(([_frame(f) for f in stack.split(";")], int(count)))
    return out


def report(raw: Path, pages: int, cpu_seconds: float, top: int = 20) -> str:
    """The buckets (share, CPU ms per page) and the hottest functions of a recorded crawl."""
    samples = stacks(raw)
    buckets: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for stack, count in samples:
        buckets[next(name for name, test in BUCKETS if test(stack))] += count
        own[stack[-1]] += count
    total = sum(buckets.values())
    busy = total - buckets[BUCKETS[0][0]]
    per_sample_ms = 1000 * cpu_seconds / busy / pages if busy and pages else 0.0
    lines = [
        (f"where the kabar crawl's CPU goes ({total} samples at {RATE}/s, {pages:,} pages, "
         f"{1000 * cpu_seconds / pages:.2f} CPU ms per page, start-up included)"),
        "| bucket | share of busy samples | CPU ms per page |",
        "|---|---:|---:|",
    ]
    for name, _ in BUCKETS[1:]:
        lines.append(f"| {name} | {100 * buckets[name] / busy:.1f} % | {buckets[name] * per_sample_ms:.3f} |")
    lines.append(f"hottest functions (self time, share of all {total} samples)")
    lines += [f"  {100 * n / total:5.1f}%  {f}" for f, n in own.most_common(top)]
    return "\n".join(lines)
