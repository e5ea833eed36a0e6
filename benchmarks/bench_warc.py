"""What the WARC archive costs: the same `kabar` crawl with and without NEWSCRAWL_WARC, and the bytes it keeps.

    python benchmarks/bench_warc.py                 # 2,000 articles, 3 rounds of each crawl
    python benchmarks/bench_warc.py --articles 500 --rounds 2

Serves the benchmark's generated PRMN portal (benchmarks/bench_site.py) and runs the full crawl of
benchmarks/run.py alternately without and with ``-s NEWSCRAWL_WARC=DIR`` (so that a slow spell of a
shared machine cannot fall on one side only); CPU is the crawl process's user+sys time per response
the server sent. Then, in this process: what building and gzipping one page's records costs
(`exchange_bytes` on the article pages), and how fast ``newscrawl extract`` reads the archive back.
Printed, never asserted. Nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_site import start_server  # noqa: E402
from run import CrawlRun, crawl_kabar, machine  # noqa: E402

from newscrawl.delivery.warc.reader import warc_files  # noqa: E402
from newscrawl.delivery.warc.records import GZIP_LEVEL, Exchange, exchange_bytes  # noqa: E402
from newscrawl.ops.reextract import Reextraction  # noqa: E402
from newscrawl.params import KabarParams  # noqa: E402
from newscrawl.registry import load_registry  # noqa: E402


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def records_cost(pages: list[bytes]) -> float:
    """CPU ms to build and gzip one page's request and response records (best of 3 passes)."""
    headers = (("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "0"))
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for n, body in enumerate(pages):
            exchange_bytes(Exchange(f"http://127.0.0.1:1/{n}", "GET", (("User-Agent", "bench"),), 200, "HTTP/1.1",
                                    headers, body, "127.0.0.1", "article"))
        best = min(best, time.process_time() - started)
    return 1000 * best / len(pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles on the generated portal (default 2000)")
    parser.add_argument("--rounds", type=int, default=3, help="crawls of each kind, alternating (default 3)")
    args = parser.parse_args(argv)
    server = start_server(args.articles)
    served_bytes = statistics.mean(len(body) for body in server.site.pages.values())
    _log(f"{server.page_count} pages (avg {served_bytes / 1024:.1f} KB) at {server.base}/")
    plain: list[CrawlRun] = []
    archived: list[CrawlRun] = []
    sizes: list[float] = []
    try:
        with tempfile.TemporaryDirectory(prefix="kabar-warc-") as tmp:
            workdir = Path(tmp)
            warc = workdir / "warc"
            for n in range(args.rounds):
                run = crawl_kabar(server, workdir, [])
                _log(f"  round {n + 1} without: {run.responses} responses, {run.cpu_ms_per_page:.2f} CPU ms/page")
                plain.append(run)
                shutil.rmtree(warc, ignore_errors=True)
                run = crawl_kabar(server, workdir, ["-s", f"NEWSCRAWL_WARC={warc}"])
                files = warc_files(warc)
                sizes.append(sum(p.stat().st_size for p in files) / run.responses)
                _log(f"  round {n + 1} with WARC: {run.cpu_ms_per_page:.2f} CPU ms/page, "
                     f"{sizes[-1] / 1024:.1f} KB per response in {len(files)} files")
                archived.append(run)
            if any(r.returncode for r in plain + archived):
                _log("a crawl failed: see its log in the work directory")
                return 1
            started = time.process_time()
            rerun = Reextraction(warc, KabarParams(network="prmn"), load_registry())
            written = rerun.write(workdir / "again.jsonl")
            extract_s = time.process_time() - started
    finally:
        server.stop()
    article_pages = [server.site.pages[t] for t in server.article_pages[:400]]
    cost = records_cost(article_pages)
    off = statistics.median(r.cpu_ms_per_page for r in plain)
    on = statistics.median(r.cpu_ms_per_page for r in archived)
    # The least each crawl took: on a shared machine, the run least disturbed by the neighbours.
    best_off = min(r.cpu_ms_per_page for r in plain)
    best_on = min(r.cpu_ms_per_page for r in archived)
    print(f"Machine: {machine()}")
    print(f"Portal: {args.articles} articles, {server.page_count} pages, avg {served_bytes / 1024:.1f} KB served")
    print()
    print("| measure | without WARC | with WARC |")
    print("|---|---:|---:|")
    print(f"| CPU ms per page, median of {args.rounds} (each run) | {off:.2f} "
          f"({', '.join(f'{r.cpu_ms_per_page:.2f}' for r in plain)}) | {on:.2f} "
          f"({', '.join(f'{r.cpu_ms_per_page:.2f}' for r in archived)}) |")
    print(f"| CPU ms per page, least of {args.rounds} | {best_off:.2f} | {best_on:.2f} "
          f"({best_on - best_off:+.2f} ms, {100 * (best_on - best_off) / best_off:+.1f} %) |")
    print(f"| pages/s, median | {statistics.median(r.pages_per_s for r in plain):.0f} | "
          f"{statistics.median(r.pages_per_s for r in archived):.0f} |")
    print(f"| archiving's CPU per page: medians' difference · records alone (gzip level {GZIP_LEVEL}) | | "
          f"{on - off:+.2f} ms ({100 * (on - off) / off:+.1f} %) · {cost:.2f} ms ({100 * cost / best_off:.1f} %) |")
    print(f"| WARC bytes per response (request + response records, gzipped) | | {statistics.mean(sizes):,.0f} "
          f"({100 * statistics.mean(sizes) / served_bytes:.0f} % of the bytes served) |")
    print(f"| newscrawl extract over the archive | | {written} articles, "
          f"{1000 * extract_s / archived[-1].responses:.2f} CPU ms per archived response |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
