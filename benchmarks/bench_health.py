"""The cost of the extraction health: CPU per page, and bytes per portal per crawl in the crawl state.

    .venv/bin/python benchmarks/bench_health.py                          # 600 articles, 400 portals x 10 crawls
    .venv/bin/python benchmarks/bench_health.py --articles 200 --portals 100   # quicker

(a) CPU, in this process, over the pages of the benchmark's generated PRMN portal
    (benchmarks/bench_site.py): what a crawl does for each page anyway (parse, `extract_article`,
    the cleaning steps: the floor of a crawl's CPU per page; the whole crawl costs more, see
    benchmarks/run.py), against what the health adds per page: the per-portal counters the spider
    keeps (pages answered, listings fetched, article links on listings) in Scrapy's own stats
    collector, the extractor's route map, the pipeline's tally of each article and the delivered
    count (`HealthPipeline`, `HealthMonitor`). The end-of-crawl work (records, judging, storing) is
    timed per portal and spread over the portal's pages. Best of five passes each.
(b) Bytes per portal per crawl: the records of `--portals` portals over `--crawls` crawls (made from
    the portal's real tally, and kept at NEWSCRAWL_HEALTH_KEEP's default), in a fresh SQLite state
    (file growth) and in Debian's redis-server (tests/redis_server.py; ``MEMORY USAGE`` of the keys).

No figure is asserted; they are printed. Nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from bench_site import build_site  # noqa: E402
from scrapy import Spider  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from newscrawl.config import Config  # noqa: E402
from newscrawl.crawl.portal_stats import portal_stat  # noqa: E402
from newscrawl.delivery.health.collect import HealthMonitor, HealthPipeline  # noqa: E402
from newscrawl.delivery.health.record import PortalCrawl  # noqa: E402
from newscrawl.delivery.health.rules import Margins, judge  # noqa: E402
from newscrawl.delivery.health.store import open_health  # noqa: E402
from newscrawl.extract.article import extract_article  # noqa: E402
from newscrawl.extract.clean import clean_body, page_fields, set_dates  # noqa: E402
from newscrawl.extract.doc import Doc  # noqa: E402
from newscrawl.extract.links import is_article_url  # noqa: E402
from newscrawl.items import Article  # noqa: E402
from newscrawl.networks import get_profile  # noqa: E402
from tests.redis_server import running_redis  # noqa: E402

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

BASE = "http://127.0.0.1:8000"
PORTAL = "127.0.0.1:8000"
ROUNDS = 5


def _pages(articles: int) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes, int]]]:
    """The portal's article pages, and its listing pages with the article links each holds."""
    site = build_site(articles, BASE)
    profile = get_profile("prmn")
    article_pages = [(BASE + t, site.pages[t]) for t in site.article_pages if "?page=" not in t]
    listings = []
    for target, body in site.pages.items():
        if target in site.article_pages or not site.types[target].startswith("text/html"):
            continue
        links = [a.attrs.get("href") for a in Doc.parse(body).tagged("a")]
        listings.append((BASE + target, body, sum(1 for h in links if h and is_article_url(h, profile))))
    return article_pages, listings


def _crawl_work(pages: list[tuple[str, bytes]], listings: list[tuple[str, bytes, int]]) -> tuple[float, list[Any]]:
    """CPU seconds of parse + extract + clean over the article pages and parse over the listings; the items."""
    profile = get_profile("prmn")
    items = []
    started = time.process_time()
    for url, body in pages:
        page = extract_article(Doc.parse(body), url, profile)
        fields = page_fields(page)
        fields["_timezone"] = "WIB"
        clean_body(fields)
        set_dates(fields)
        items.append(fields)
    for _, body, _ in listings:
        Doc.parse(body).tagged("a")
    return time.process_time() - started, items


def _health_work(items: list[dict[str, Any]], listings: list[tuple[str, bytes, int]]) -> tuple[float, Crawler]:
    """CPU seconds of the health bookkeeping of a crawl of these pages, and its crawler."""
    crawler = get_crawler(Spider, {"NEWSCRAWL_STATE": ""})
    stats = crawler.stats
    assert stats is not None  # noqa: S101 - get_crawler makes one
    stats.open_spider()
    pipeline, monitor = HealthPipeline(crawler), HealthMonitor(crawler)
    articles = [Article({**item, "portal": PORTAL}) for item in items]
    found_of = [
        {"title": (i["title"], "selector"), "author": (i["author"], "selector"), "section": (i["section"], "selector"),
         "tags": (i["tags"], "selector"), "image": (i["image_url"], "meta"), "body": (i["body"], "selector")}
        for i in items
    ]
    started = time.process_time()
    for found in found_of:  # the extractor's route map: the last lines of extract_article
        _ = {name: route for name, (value, route) in found.items() if value and route}
    for _, _, links in listings:
        stats.inc_value(portal_stat("pages/answered", PORTAL))
        stats.inc_value(portal_stat("listings/fetched", PORTAL))
        stats.inc_value(portal_stat("listings/article_links", PORTAL), links)
    for article in articles:
        stats.inc_value(portal_stat("pages/answered", PORTAL))
        pipeline.process_item(article)
        monitor._scraped(article)  # noqa: SLF001 - the item_scraped handler, as the signal calls it
    return time.process_time() - started, crawler


def cpu(articles: int) -> tuple[dict[str, float], PortalCrawl]:
    """Microseconds per page of the crawl's own work and of the health bookkeeping; the portal's record."""
    article_pages, listings = _pages(articles)
    pages = len(article_pages) + len(listings)
    crawl_best = health_best = end_best = float("inf")
    record = PortalCrawl(PORTAL, 0.0)
    for _ in range(ROUNDS):
        spent, items = _crawl_work(article_pages, listings)
        crawl_best = min(crawl_best, spent)
        spent, crawler = _health_work(items, listings)
        health_best = min(health_best, spent)
        started = time.process_time()
        record = HealthMonitor(crawler).records()[0]
        judge(record, [replace(record, at=float(i)) for i in range(5)], Margins())
        end_best = min(end_best, time.process_time() - started)
    figures = {
        "pages": pages,
        "crawl_us": crawl_best / pages * 1e6,
        "health_us": health_best / pages * 1e6,
        "end_us": end_best / pages * 1e6,
    }
    return figures, record


def _records(record: PortalCrawl, portals: int, crawls: int) -> list[list[PortalCrawl]]:
    """`crawls` crawls of `portals` portals, each record as the real one, under a real-length id."""
    start = time.time()
    return [
        [replace(record, portal=f"portal-{p:04d}.pikiran-rakyat.com", at=round(start + c * 3600.123, 3))
         for p in range(portals)]
        for c in range(crawls)
    ]


def sqlite_bytes(crawls: list[list[PortalCrawl]], keep: int) -> float:
    """File growth of a fresh SQLite crawl state per record kept."""
    with tempfile.TemporaryDirectory(prefix="kabar-health-") as tmp:
        path = Path(tmp) / "state.sqlite"
        open_health(str(path)).close()
        empty = path.stat().st_size
        for crawl in crawls:
            store = open_health(str(path))
            store.add(crawl, keep)
            store.close()
        return (path.stat().st_size - empty) / sum(map(len, crawls))


def redis_bytes(crawls: list[list[PortalCrawl]], keep: int) -> float:
    """``MEMORY USAGE`` of the health keys per record kept, on Debian's redis-server."""
    with tempfile.TemporaryDirectory(prefix="kabar-health-") as tmp, running_redis(Path(tmp) / "redis") as server:
        uri = f"{server.url}?prefix=bench"
        for crawl in crawls:
            store = open_health(uri)
            store.add(crawl, keep)
            store.close()
        client = server.client()
        keys = [b"bench:health", *client.keys("bench:health:*")]
        used = sum(int(client.memory_usage(k, samples=0) or 0) for k in keys)
        client.close()
        return used / sum(map(len, crawls))


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600, help="articles of the generated portal")
    parser.add_argument("--portals", type=int, default=400, help="portals in the state-size run")
    parser.add_argument("--crawls", type=int, default=10, help="crawls per portal in the state-size run")
    args = parser.parse_args(argv)
    figures, record = cpu(args.articles)
    keep = Config().health_keep
    crawls = _records(record, args.portals, args.crawls)
    on_disk, in_redis = sqlite_bytes(crawls, keep), redis_bytes(crawls, keep)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    share = (figures["health_us"] + figures["end_us"]) / figures["crawl_us"]
    print(f"machine: {os.cpu_count()} cores, load {load}; {figures['pages']:.0f} pages, {args.articles} articles")
    print(f"crawl's own work per page (parse, extract, clean) : {figures['crawl_us']:8.1f} us")
    print(f"health bookkeeping per page                      : {figures['health_us']:8.1f} us")
    print(f"health at the end of the crawl, per page          : {figures['end_us']:8.1f} us")
    print(f"health share of that work per page               : {share:8.2%} (run.py's (e): of a whole crawl's)")
    print(f"one record as JSON                                : {len(record_json(record)):8d} bytes")
    print(f"SQLite state, per portal per crawl               : {on_disk:8.0f} bytes "
          f"({args.portals} portals x {args.crawls} crawls)")
    print(f"Redis state, per portal per crawl                : {in_redis:8.0f} bytes (MEMORY USAGE)")
    return 0


def record_json(record: PortalCrawl) -> str:
    """The record as the store writes it."""
    return json.dumps(record.to_json(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


if __name__ == "__main__":
    sys.exit(main())
