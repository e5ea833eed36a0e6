"""JS rendering benchmark: crawl a generated JS-only portal of a few hundred pages with Debian's Chromium.

The portal is tests/sites/jsportal's code (empty shells filled by JavaScript from JSON) with
``--articles`` generated articles: a home page whose list grows with "Muat lebih banyak", a section
whose list grows as it is scrolled, and tag pages. It is written to a temporary directory, served on
127.0.0.1, and crawled by the real ``scrapy crawl kabar -a render=js`` in a subprocess, while the
memory of that process and all its children (Playwright's driver, Chromium's browser, renderer,
GPU and utility processes) is sampled.

Printed: JS pages per second, peak memory of the whole tree (RSS summed, and PSS, which counts
pages shared between Chromium's processes once), and the memory when 25/50/75/100% of the
articles had been rendered, which shows whether it stays flat.

    python benchmarks/bench_render.py                   # 300 articles, the default settings
    python benchmarks/bench_render.py --articles 900 --pages-per-context 100000   # no recycling
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "sites"))

import build_jsportal as site  # noqa: E402
from serve import SiteHandler  # noqa: E402

WORDS = (
    "warga", "pemerintah", "desa", "pasar", "jalan", "sekolah", "petani", "sungai", "bantuan", "festival",
    "kota", "kabupaten", "program", "anggaran", "pelabuhan", "terminal", "wisata", "kesehatan", "banjir", "kopi",
)
LIST_PAGE = 20
TAGS = 20


class CountingHandler(SiteHandler):
    """serve.py's handler, counting the article bodies (JSON) the browser asked for."""

    served: list[float]

    def _respond(self, *, body: bool) -> None:
        if self.path.startswith("/api/artikel/"):
            self.served.append(time.monotonic())
        super()._respond(body=body)


def articles(n: int) -> tuple[site.Article, ...]:
    start = datetime(2022, 10, 3, 14, 30, tzinfo=site.WIB)
    out = []
    for i in range(n):
        words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(6)]
        title = " ".join(w.capitalize() for w in words) + f" Nomor {i + 1}"
        paragraphs = tuple(
            f"Paragraf {p + 1} berita nomor {i + 1}: {' '.join(words)} dan {' '.join(reversed(words))} "
            "menjadi perhatian warga setempat sepanjang pekan ini." for p in range(6)
        )
        when = (start - timedelta(hours=3 * i)).strftime("%Y-%m-%d %H:%M")
        out.append(site.Article(
            slug=f"{'-'.join(words[:4])}-{i + 1}", published=when, title=title, author="Redaksi Bench",
            section="Daerah", tags=(f"topik {i % TAGS + 1}",), caption=f"Foto berita {i + 1}. /Bench/",
            paragraphs=paragraphs, reachable_via="home",
        ))
    return tuple(out)


def feeds(items: tuple[site.Article, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    slugs = [a.slug for a in items]
    third = len(slugs) // 3

    def pages(chunk: list[str]) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(chunk[i:i + LIST_PAGE]) for i in range(0, len(chunk), LIST_PAGE))

    # A third behind "load more" on the home page, a third behind scrolling, the last third on tag
    # pages only (every article has a tag).
    return {"terbaru": pages(slugs[:third]), "daerah": pages(slugs[third:2 * third])}


def tree_sample(root: psutil.Process, cpu: dict[int, float]) -> tuple[int, int, int]:
    """(RSS summed, PSS summed, process count) of `root` and all its descendants; CPU seconds into `cpu`."""
    rss = pss = count = 0
    for proc in (root, *root.children(recursive=True)):
        try:
            info = proc.memory_full_info()
            times = proc.cpu_times()
        except psutil.Error:
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
        count += 1
        # Per process, the latest reading: a renderer that exits keeps what it used until then.
        cpu[proc.pid] = max(cpu.get(proc.pid, 0.0), times.user + times.system)
    return rss, pss, count


@dataclass
class Run:
    """What one crawl left: its stats, the samples taken while it ran, CPU seconds per process."""

    base: str
    stats: dict[str, Any]
    delivered: int
    wall: float
    load_before: float
    samples: list[tuple[float, int, int, int, int]] = field(default_factory=list)  # t, rss, pss, procs, articles
    cpu: dict[int, float] = field(default_factory=dict)


def crawl(items: tuple[site.Article, ...], extra: list[str]) -> Run | None:
    """Serve a portal of `items` and crawl it with -a render=js, sampling the process tree."""
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        root = Path(tmp) / "site"
        site.write(site.build(items, feeds(items)), root)
        served: list[float] = []
        handler = type("Counting", (CountingHandler,), {"served": served})
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        out, stats_file = Path(tmp) / "out.jsonl", Path(tmp) / "stats.json"
        cmd = [
            sys.executable, "-m", "scrapy", "crawl", "kabar", "-O", str(out),
            "-a", f"start_urls={base}/", "-a", "render=js",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING",
            "-s", f"NEWSCRAWL_STATS_FILE={stats_file}", "-s", f"NEWSCRAWL_STATE={Path(tmp) / 'state.sqlite'}",
            *extra,
        ]
        run = Run(base, {}, 0, 0.0, psutil.getloadavg()[0])
        started = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        crawler = psutil.Process(proc.pid)
        while proc.poll() is None:
            rss, pss, count = tree_sample(crawler, run.cpu)
            run.samples.append((time.monotonic() - started, rss, pss, count, len(served)))
            time.sleep(0.25)
        run.wall = time.monotonic() - started
        stderr = proc.stderr.read() if proc.stderr else ""
        server.shutdown()
        server.server_close()
        if proc.returncode != 0 or not stats_file.exists():
            sys.stderr.write(stderr[-3000:])
            return None
        run.stats = json.loads(stats_file.read_text())["stats"]
        run.delivered = sum(1 for _ in out.open(encoding="utf-8"))
    return run


def report(run: Run, articles_wanted: int) -> None:
    stats = run.stats
    pages = stats.get(f"newscrawl/render/browser/{run.base.split('://', 1)[1]}", 0)
    elapsed = float(stats.get("elapsed_time_seconds", run.wall))
    mib = 1024 * 1024
    print(f"JS rendering benchmark: {articles_wanted} articles, Debian's Chromium")
    print(f"  articles delivered : {run.delivered} of {articles_wanted}")
    print(f"  JS pages rendered  : {pages} in {elapsed:.1f} s = {pages / elapsed:.2f} pages/s "
          f"(clicks {stats.get('newscrawl/render/clicks', 0)}, scrolls {stats.get('newscrawl/render/scrolls', 0)})")
    print(f"  contexts           : {stats.get('playwright/context_count', 0)} opened, "
          f"{stats.get('newscrawl/render/contexts_recycled', 0)} recycled, "
          f"max {stats.get('playwright/context_count/max_concurrent', 0)} at once")
    print(f"  requests aborted   : {stats.get('playwright/request_count/aborted', 0)} (images, fonts, media)")
    cpu_total = sum(run.cpu.values())
    print(f"  CPU (tree)         : {cpu_total:.0f} s = {1000 * cpu_total / max(pages, 1):.0f} ms per page, "
          f"on {psutil.cpu_count()} cores; load average {run.load_before:.1f} before the crawl "
          "(other work on the machine slows pages/s, not CPU per page)")
    samples = run.samples
    print(f"  peak memory (tree) : RSS {max(s[1] for s in samples) / mib:.0f} MiB, "
          f"PSS {max(s[2] for s in samples) / mib:.0f} MiB, up to {max(s[3] for s in samples)} processes")
    print("  memory as the crawl goes (crawler + driver + Chromium):")
    total = max(samples[-1][4], 1)
    for share in (0.25, 0.5, 0.75, 1.0):
        at = next((s for s in samples if s[4] >= share * total), samples[-1])
        print(f"    {share:4.0%} of articles rendered (t={at[0]:5.1f} s): RSS {at[1] / mib:5.0f} MiB, "
              f"PSS {at[2] / mib:5.0f} MiB, {at[3]} processes")


def main() -> int:
    parser = argparse.ArgumentParser(description="JS rendering benchmark (real Chromium).")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--pages-per-context", type=int, default=None, help="NEWSCRAWL_RENDER_PAGES_PER_CONTEXT")
    args = parser.parse_args()
    extra = ["-s", f"NEWSCRAWL_RENDER_PAGES_PER_CONTEXT={args.pages_per_context}"] if args.pages_per_context else []
    run = crawl(articles(args.articles), extra)
    if run is None:
        return 1
    report(run, args.articles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
