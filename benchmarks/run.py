"""The benchmark: the full `kabar` crawl side by side with Scrapy's floor, trafilatura and dateparser.

    python benchmarks/run.py                  # N = 2,000 articles, then a ~10,000-page memory run
    python benchmarks/run.py --grow-pages 20000   # the memory run at 20,000 pages
    python benchmarks/run.py --quick          # a smoke run (300 articles, small samples)
    python benchmarks/run.py --profile        # also profile the kabar crawl with py-spy

Serves a generated PRMN-style portal (benchmarks/bench_site.py) from another process on 127.0.0.1,
then measures, on the same pages and in the same run:

(a) ``scrapy crawl kabar`` with every pipeline and the JSONL feed;
(b) ``scrapy runspider benchmarks/bare_spider.py``: follows the same links, yields only URLs;
(b') the same bare spider skipping links it already requested, as `kabar` does: the stricter floor;
(c) trafilatura ``extract(..., output_format="json", with_metadata=True)`` against our extraction
    and cleaning (the functions the crawl runs), in this process, on the same article pages;
(d) date cleaning: ``parse_date`` against dateparser alone (benchmarks/bench_dates.py);
(e) the extraction health's bookkeeping per page (benchmarks/bench_health.py) as a share of (a)'s CPU per page;
and then a second `kabar` crawl of a larger portal (``--grow-pages``) to show how memory grows.

The crawls run as child processes with the same settings (AutoThrottle off). Pages/s counts the
responses the server sent between its first and last response; CPU is the child's user+sys time
from its first response to its exit; peak RSS is the child's VmHWM; RSS is also sampled every
100 ms to show it at each quarter of the crawl. The table is printed as Markdown, for the README.
Nothing here leaves 127.0.0.1, and no figure is asserted: they are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import bench_dates  # noqa: E402
import bench_health  # noqa: E402
from bench_site import Server, articles_for_pages, measure_ceiling, start_server  # noqa: E402

# Settings both crawls get: nothing but what makes them comparable and quiet.
COMMON_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "LOG_LEVEL": "INFO",
}


@dataclass
class CrawlRun:
    """What one crawl child did."""

    name: str
    returncode: int
    responses: int
    not_found: int
    connections: int
    span: float  # seconds from the first to the last response the server sent
    wall: float  # seconds from start to exit, start-up included
    cpu: float  # user+sys seconds from the first response to exit
    cpu_total: float
    peak_rss: int  # bytes
    rss_at: dict[int, int] = field(default_factory=dict)  # quarter (25..100) -> bytes
    items: int = 0

    @property
    def pages_per_s(self) -> float:
        return self.responses / self.span if self.span else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu / self.responses if self.responses else 0.0


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Scrapy {version('scrapy')}, Twisted {version('twisted')}, "
        f"lxml {version('lxml')}, parsel {version('parsel')}, trafilatura {version('trafilatura')}, "
        f"dateparser {version('dateparser')}"
    )


def run_crawl(name: str, args: list[str], server: Server, workdir: Path) -> CrawlRun:
    """Run one crawl child against `server`; sample its RSS; return what it did."""
    server.counters.reset()
    log = workdir / f"{name}.log"
    settings = {**COMMON_SETTINGS, "LOG_FILE": str(log)}
    cmd = [sys.executable, "-m", "scrapy", *args]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    _log(f"  running {name}: scrapy {' '.join(args)}")
    started = time.monotonic()
    with (workdir / f"{name}.err").open("w") as err:
        child = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=err)
    watched = psutil.Process(child.pid)
    samples: list[tuple[int, int]] = []  # (responses so far, rss)
    cpu_at_first: float | None = None
    high_water = 0
    try:
        while True:
            # wait4 reaps the child with the kernel's own account of its CPU time and peak RSS.
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            try:
                rss = watched.memory_info().rss
                high_water = max(high_water, _high_water(child.pid), rss)
                responses = server.counters.responses.value
                if responses and cpu_at_first is None:
                    times = watched.cpu_times()
                    cpu_at_first = times.user + times.system
            except psutil.NoSuchProcess:
                continue
            samples.append((responses, rss))
            time.sleep(0.1)
    except BaseException:
        child.kill()
        child.wait()
        raise
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    counters = server.counters
    responses = counters.responses.value
    rss_at = {}
    for quarter in (25, 50, 75, 100):
        reached = [rss for done, rss in samples if done >= responses * quarter / 100]
        rss_at[quarter] = reached[0] if reached else (samples[-1][1] if samples else 0)
    cpu_total = usage.ru_utime + usage.ru_stime
    return CrawlRun(
        name=name,
        returncode=child.returncode,
        responses=responses,
        not_found=counters.not_found.value,
        connections=counters.connections.value,
        span=counters.last.value - counters.first.value,
        wall=wall,
        cpu=cpu_total - (cpu_at_first or 0.0),
        cpu_total=cpu_total,
        peak_rss=high_water,
        rss_at=rss_at,
    )


def _high_water(pid: int) -> int:
    """The process's peak RSS so far (VmHWM), in bytes.

    Not ``ru_maxrss`` from wait4: Linux carries the forking parent's peak over exec, and this
    parent holds the whole generated site in memory.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def crawl_kabar(server: Server, workdir: Path, extra: list[str]) -> CrawlRun:
    feed = workdir / "kabar.jsonl"
    feed.unlink(missing_ok=True)
    args = [
        "crawl", "kabar", "-a", f"start_urls={server.base}/", "-a", "network=prmn", "-O", str(feed),
        # A fresh crawl state, so that every run delivers every article (no incremental skips).
        "-s", f"NEWSCRAWL_STATE={workdir / 'state.sqlite'}", "-s", f"NEWSCRAWL_SPOOL_DIR={workdir / 'spool'}",
        "-s", f"NEWSCRAWL_STATS_FILE={workdir / 'kabar-stats.json'}", *extra,
    ]
    (workdir / "state.sqlite").unlink(missing_ok=True)
    run = run_crawl("kabar", args, server, workdir)
    run.items = sum(1 for _ in feed.open(encoding="utf-8")) if feed.exists() else 0
    return run


def crawl_bare(server: Server, workdir: Path, extra: list[str], *, memo: bool = False) -> CrawlRun:
    name = "bare-memo" if memo else "bare"
    feed = workdir / f"{name}.jsonl"
    args = ["runspider", str(HERE / "bare_spider.py"), "-a", f"start_url={server.base}/", "-O", str(feed), *extra]
    if memo:
        args += ["-a", "memo=1"]
    run = run_crawl(name, args, server, workdir)
    run.items = sum(1 for _ in feed.open(encoding="utf-8")) if feed.exists() else 0
    return run


def profile_kabar(server: Server, workdir: Path, extra: list[str], top: int = 25) -> str:
    """Run the kabar crawl once more under py-spy; return its hottest functions as text."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        return "py-spy is not installed (pip install py-spy): no profile"
    raw = workdir / "kabar.raw"
    (workdir / "state.sqlite").unlink(missing_ok=True)
    cmd = [
        str(spy), "record", "--format", "raw", "--rate", "250", "--output", str(raw), "--",
        sys.executable, "-m", "scrapy", "crawl", "kabar", "-a", f"start_urls={server.base}/", "-a", "network=prmn",
        "-O", str(workdir / "profiled.jsonl"), "-s", f"NEWSCRAWL_STATE={workdir / 'state.sqlite'}",
        "-s", f"NEWSCRAWL_SPOOL_DIR={workdir / 'spool'}", "-s", f"LOG_FILE={workdir / 'profiled.log'}",
        *[x for key, value in COMMON_SETTINGS.items() if key != "LOG_LEVEL" for x in ("-s", f"{key}={value}")],
        *extra,
    ]
    subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if not raw.exists():
        return "py-spy recorded nothing (is ptrace allowed here?)"
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples = int(count)
        total += samples
        frames = [_frame(f) for f in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + samples
        own[frames[-1]] = own.get(frames[-1], 0) + samples
    ours = sorted((f for f in inclusive if "newscrawl/" in f), key=inclusive.__getitem__, reverse=True)[:top]
    hottest = sorted(own, key=own.__getitem__, reverse=True)[:top]
    lines = [f"py-spy profile of the kabar crawl ({total} samples): our functions, share of all samples (inclusive)"]
    lines += [f"  {100 * inclusive[f] / total:5.1f}%  {f}" for f in ours]
    lines.append("hottest functions anywhere (self time)")
    lines += [f"  {100 * own[f] / total:5.1f}%  {f}" for f in hottest]
    return "\n".join(lines)


def _frame(frame: str) -> str:
    """'extract_article (newscrawl/extract/article.py:441)' -> 'extract_article (newscrawl/extract/article.py)'."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
    if "newscrawl/" in path:
        path = "newscrawl/" + path.split("newscrawl/", 1)[1]
    return f"{name} ({path})"


@dataclass
class Extraction:
    pages: int
    parse_ms: float
    extract_ms: float
    clean_ms: float
    trafilatura_ms: float

    @property
    def ours_ms(self) -> float:
        return self.parse_ms + self.extract_ms + self.clean_ms


ROUNDS = 5


def measure_extraction(server: Server, sample: int, html: dict[str, bytes]) -> Extraction:
    """CPU ms per article page: parsing, extract_article, the cleaning steps; then trafilatura."""
    import trafilatura  # noqa: PLC0415 - a dev-only dependency
    from scrapy.http import HtmlResponse  # noqa: PLC0415

    from newscrawl.extract.article import extract_article  # noqa: PLC0415
    from newscrawl.extract.clean import clean_body, page_fields, set_dates  # noqa: PLC0415
    from newscrawl.extract.dom import Doc  # noqa: PLC0415
    from newscrawl.networks import get_profile  # noqa: PLC0415
    from newscrawl.spiders.kabar import page_source  # noqa: PLC0415

    profile = get_profile("prmn")
    step = max(1, len(server.article_pages) // sample)
    targets = server.article_pages[::step][:sample]
    pages = [(server.base + t, html[t]) for t in targets]
    texts = [(url, body.decode("utf-8")) for url, body in pages]

    # The responses as the spider gets them; it parses what page_source gives (a UTF-8 body as sent).
    responses = [HtmlResponse(url, body=body, headers={"Content-Type": "text/html; charset=utf-8"})
                 for url, body in pages]

    def ours() -> tuple[float, float, float]:
        parse = extract = clean = 0.0
        for response in responses:
            url = response.url
            t0 = time.process_time()
            doc = Doc.parse(page_source(response))
            t1 = time.process_time()
            page = extract_article(doc, url, profile)
            t2 = time.process_time()
            if page.page == 1:  # later pages are merged into the item the first page made
                fields = page_fields(page)
                fields["_timezone"] = "WIB"
                clean_body(fields)
                set_dates(fields)
            t3 = time.process_time()
            parse, extract, clean = parse + t1 - t0, extract + t2 - t1, clean + t3 - t2
        return parse, extract, clean

    def theirs() -> float:
        started = time.process_time()
        for url, text in texts:
            trafilatura.extract(text, url=url, output_format="json", with_metadata=True)
        return time.process_time() - started

    # Both measured alike: a warm-up pass each (regex, XPath and data caches), then the best of
    # five passes each. The passes alternate, so that a slow spell of a shared machine (a noisy
    # neighbour, another process) cannot fall on all of one side's passes: ours take ~0.5 s each,
    # and five in a row would fit in one such spell.
    ours()
    theirs()
    mine: list[tuple[float, float, float]] = []
    spent: list[float] = []
    for _ in range(ROUNDS):
        mine.append(ours())
        spent.append(theirs())
    best = min(mine, key=sum)
    n = len(pages)
    return Extraction(n, 1000 * best[0] / n, 1000 * best[1] / n, 1000 * best[2] / n, 1000 * min(spent) / n)


def _mb(value: int) -> str:
    return f"{value / 2**20:.0f} MB"


def _ok(good: bool) -> str:
    return "yes" if good else "**no**"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles on the generated portal (default 2000)")
    parser.add_argument("--grow-pages", type=int, default=10_000,
                        help="pages of a second, larger kabar crawl that shows memory growth (0: skip; default 10000)")
    parser.add_argument("--sample", type=int, default=400, help="article pages for the extraction comparison")
    parser.add_argument("--quick", action="store_true", help="300 articles, no growth run, small samples")
    parser.add_argument("--profile", action="store_true", help="also profile the kabar crawl with py-spy")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting given to both crawls (e.g. CONCURRENT_REQUESTS_PER_DOMAIN=8)")
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.grow_pages, args.sample = 300, 0, 100
    return args


def _crawls(server: Server, workdir: Path, extra: list[str]) -> tuple[CrawlRun, CrawlRun, CrawlRun] | None:
    """The three crawls of the same site; None (with the failing log shown) when one failed."""
    bare = crawl_bare(server, workdir, extra)
    _log(f"  bare: {bare.responses} responses, {bare.pages_per_s:.0f} pages/s")
    memo = crawl_bare(server, workdir, extra, memo=True)
    _log(f"  bare-memo: {memo.responses} responses, {memo.pages_per_s:.0f} pages/s")
    kabar = crawl_kabar(server, workdir, extra)
    _log(f"  kabar: {kabar.responses} responses, {kabar.items} articles, {kabar.pages_per_s:.0f} pages/s")
    for run in (bare, memo, kabar):
        if run.returncode != 0:
            _log(f"  {run.name} exited with status {run.returncode}: see its log")
            _log((workdir / f"{run.name}.err").read_text(encoding="utf-8")[-3000:])
            return None
    return bare, memo, kabar


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    extra = [x for setting in args.settings for x in ("-s", setting)]
    _log(f"building the portal: {args.articles} articles ...")
    started = time.monotonic()
    server = start_server(args.articles)
    article_kb = statistics.mean(len(server.site.pages[t]) for t in server.article_pages) / 1024
    _log(f"  {server.page_count} pages ({len(server.article_pages)} article pages, avg {article_kb:.0f} KB) "
         f"in {time.monotonic() - started:.1f} s at {server.base}/")
    try:
        ceiling = measure_ceiling(server)
        _log(f"  server alone: {ceiling:,.0f} responses/s")
        with tempfile.TemporaryDirectory(prefix="kabar-bench-") as tmp:
            workdir = Path(tmp)
            crawls = _crawls(server, workdir, extra)
            if crawls is None:
                return 1
            profile = profile_kabar(server, workdir, extra) if args.profile else ""
            _log(f"measuring extraction on {args.sample} article pages ...")
            extraction = measure_extraction(server, args.sample, server.site.pages)
            _log("measuring date cleaning ...")
            dates = bench_dates.run()
            _log("measuring the health bookkeeping ...")
            health, _ = bench_health.cpu(min(args.articles, 600))
            grow = None
            if args.grow_pages:
                articles = max(args.articles, articles_for_pages(args.grow_pages))
                _log(f"growth run: {articles} articles ...")
                server.stop()
                server = start_server(articles)
                grow = crawl_kabar(server, workdir, extra)
                _log(f"  kabar: {grow.responses} responses, {grow.pages_per_s:.0f} pages/s")
    finally:
        server.stop()

    report(args, machine(), ceiling, article_kb, crawls, extraction, dates, health, grow)
    if profile:
        print()
        print(profile)
    return 0


def report(  # noqa: PLR0913, PLR0917 - one table from every measure
    args: argparse.Namespace, host: str, ceiling: float, article_kb: float,
    crawls: tuple[CrawlRun, CrawlRun, CrawlRun], ex: Extraction, dates: dict[str, float], health: dict[str, float],
    grow: CrawlRun | None,
) -> None:
    bare, memo, kabar = crawls
    ratio = kabar.pages_per_s / bare.pages_per_s if bare.pages_per_s else 0.0
    # On a busy machine pages/s measures the neighbours too; CPU per page does not.
    cpu_ratio = bare.cpu_ms_per_page / kabar.cpu_ms_per_page if kabar.cpu_ms_per_page else 0.0
    traf_ratio = ex.trafilatura_ms / ex.ours_ms if ex.ours_ms else 0.0
    rows: list[tuple[str, str, str, str]] = [
        ("(b) bare Scrapy spider: pages/s", f"{bare.pages_per_s:.0f}", "", ""),
        ("(b) CPU ms per page (all of Scrapy)", f"{bare.cpu_ms_per_page:.2f}", "", ""),
        ("(b) peak RSS", _mb(bare.peak_rss), "", ""),
        ("(b') bare spider skipping links it already requested: pages/s", f"{memo.pages_per_s:.0f}", "", ""),
        ("(b') CPU ms per page", f"{memo.cpu_ms_per_page:.2f}", "", ""),
        ("(a) full kabar crawl: pages/s", f"{kabar.pages_per_s:.0f}", "", ""),
        ("(a) CPU ms per page (whole process)", f"{kabar.cpu_ms_per_page:.2f}", "", ""),
        ("(a) peak RSS", _mb(kabar.peak_rss), "", ""),
        ("(a)/(b) pages/s", f"{ratio:.2f}", ">= 0.70", _ok(ratio >= 0.70)),
        ("(a)/(b) pages per CPU second", f"{cpu_ratio:.2f}", ">= 0.70", _ok(cpu_ratio >= 0.70)),
        ("(a)/(b') pages per CPU second (the stricter floor)", f"{memo.cpu_ms_per_page / kabar.cpu_ms_per_page:.2f}",
         "", ""),
        ("(a) - (b') CPU ms per page (kabar's own work)",
         f"{kabar.cpu_ms_per_page - memo.cpu_ms_per_page:.2f}", "", ""),
        ("extraction + cleaning, ms per article page", f"{ex.ours_ms:.2f}", "<= 2", _ok(ex.ours_ms <= 2)),
        ("  of which: parse + index (Doc.parse) / extract_article / cleaning",
         f"{ex.parse_ms:.2f} / {ex.extract_ms:.2f} / {ex.clean_ms:.2f}", "", ""),
        ("(c) trafilatura JSON extraction, ms per page", f"{ex.trafilatura_ms:.2f}", "", ""),
        ("(c)/ours", f"{traf_ratio:.1f}x", ">= 8x", _ok(traf_ratio >= 8)),
        ("(d) parse_date, us per date", f"{dates['parse_date_us']:.1f}", "<= 20", _ok(dates["parse_date_us"] <= 20)),
        ("(d) dateparser alone, us per date", f"{dates['dateparser_us']:.1f}", "", ""),
        ("(d) dateparser / fast path", f"{dates['ratio']:.0f}x", "", ""),
        ("(d) dates sent to dateparser by parse_date",
         f"{int(dates['parse_date_fallbacks'])} of {int(dates['dates'])}", "fallback only", ""),
    ]
    health_us = health["health_us"] + health["end_us"]
    health_share = health_us / 1000 / kabar.cpu_ms_per_page if kabar.cpu_ms_per_page else 0.0
    rows.append(("(e) health bookkeeping: us per page · share of (a)'s CPU per page",
                 f"{health_us:.1f} · {health_share:.2%}", "< 2 %", _ok(health_share < 0.02)))
    runs = [kabar] + ([grow] if grow else [])
    for run in runs:
        quarters = " / ".join(_mb(run.rss_at[q]).removesuffix(" MB") for q in (25, 50, 75, 100))
        rows.append((f"kabar, {run.responses:,} pages: RSS at 25/50/75/100% (MB)", quarters, "flat", ""))
    if grow:
        growth = grow.peak_rss - kabar.peak_rss
        rows.append((f"kabar, {grow.responses:,} pages: peak RSS", _mb(grow.peak_rss), "< 250 MB",
                     _ok(grow.peak_rss < 250 * 2**20)))
        rows.append((f"kabar, {grow.responses:,} pages: pages/s", f"{grow.pages_per_s:.0f}", "", ""))
        extra_pages = grow.responses - kabar.responses
        per_k = growth / extra_pages * 1000 / 2**20 if extra_pages else 0.0
        rows.append(("peak RSS growth per 1,000 more pages", f"{per_k:.1f} MB", "~0", ""))

    print()
    print(f"kabar benchmark: {args.articles:,} articles = {kabar.responses:,} pages "
          f"(article pages avg {article_kb:.0f} KB), generated PRMN portal on 127.0.0.1")
    print(f"machine: {host}; load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
    print(f"server alone (asyncio, pre-rendered, own process): {ceiling:,.0f} responses/s on 8 keep-alive connections")
    print(f"crawls: same settings for both ({', '.join(f'{k}={v}' for k, v in COMMON_SETTINGS.items())}"
          f"{', ' + ', '.join(args.settings) if args.settings else ''}); "
          f"bare {bare.responses:,} / bare-memo {memo.responses:,} / kabar {kabar.responses:,} responses, "
          f"{kabar.items:,} articles in the feed, {kabar.not_found + bare.not_found + memo.not_found} 404s")
    print(f"extraction sample: {ex.pages} article pages (page 1 and later pages), CPU time, "
          f"best of {ROUNDS} alternating passes each")
    print()
    width = max(len(r[0]) for r in rows)
    print(f"| {'measure':<{width}} | value | target | met |")
    print(f"|{'-' * (width + 2)}|---|---|---|")
    for name, value, target, met in rows:
        print(f"| {name:<{width}} | {value} | {target} | {met} |")
    summary = {
        "bare": bare.__dict__, "bare_memo": memo.__dict__, "kabar": kabar.__dict__,
        "grow": grow.__dict__ if grow else None,
        "extraction": ex.__dict__, "dates": dates, "ceiling": ceiling,
    }
    out = Path(os.environ.get("KABAR_BENCH_JSON", "")) if os.environ.get("KABAR_BENCH_JSON") else None
    if out:
        out.write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
