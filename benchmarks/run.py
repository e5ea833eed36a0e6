"""The benchmark: the full `kabar` crawl side by side with Scrapy's floors, trafilatura and dateparser.

    python benchmarks/run.py                      # 2,000 articles, 5 alternating runs, a 10,000-page memory run
    python benchmarks/run.py --grow-pages 20000   # the memory run at 20,000 pages
    python benchmarks/run.py --quick              # a smoke run (300 articles, 2 runs, small samples)
    python benchmarks/run.py --profile            # also profile a kabar crawl with py-spy (benchmarks/crawl_profile.py)

Serves a generated PRMN-style portal (benchmarks/bench_site.py) from another process on 127.0.0.1,
then measures, on the same pages and in the same run:

(a) ``scrapy crawl kabar -a start_urls=... -a network=prmn -O feed.jsonl``, the issue's command: every
    pipeline, the JSONL feed; a one-off crawl, so no crawl state (stories kept in memory, no ledger);
(a') the same with a crawl state (``-s NEWSCRAWL_STATE=state.sqlite``, fresh each run), as scheduled
    jobs run: the ledger and the story store in SQLite, each assignment committed before the item leaves;
(f) Scrapy's floor: ``scrapy runspider benchmarks/floor_spider.py``, a bare spider handed every URL of
    the portal up front that only fetches (run outside the project: Scrapy's defaults), `-O` feed;
(f1) the same floor given ``CONCURRENT_ITEMS=1``, as kabar's settings have it (Scrapy's default of
    100 costs every response ~0.5 CPU ms of asyncio tasks): the floor by the strict reading of
    "the same settings on both sides";
    (f), (f1), (a) and (a') alternate ``--runs`` times, and each figure is given as the min and the median;
(b) ``scrapy runspider benchmarks/bare_spider.py``: finds the same links as kabar, yields only URLs;
(b') the same bare spider skipping links it already requested, as `kabar` does;
(c) trafilatura ``extract(..., output_format="json", with_metadata=True)`` against our parsing,
    extraction and cleaning (the functions the crawl runs), in this process, on the same article pages;
(c') the same on the golden pages (tests/fixtures/: real articles, each read as its family at its URL);
(d) date cleaning: ``parse_date`` against dateparser alone (benchmarks/bench_dates.py);
(e) the extraction health's bookkeeping per page (benchmarks/bench_health.py) as a share of (a)'s CPU per page;
and then a second `kabar` crawl of a larger portal (``--grow-pages``) to show how memory grows.

Every crawl gets the same settings (`COMMON_SETTINGS`: AutoThrottle off, no delay, 32 requests at
a time and 32 per host, robots.txt not read) and writes a `-O` feed. Pages/s counts the responses
the server sent between its first and last response; CPU is the child's user+sys time from its
first response to its exit (its start-up is printed apart); peak RSS is the child's VmHWM; RSS is
also sampled every 100 ms to show it at each quarter of the crawl. The table is printed as
Markdown, for the README. Nothing here leaves 127.0.0.1, and no figure is asserted: they are printed.
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
from urllib.parse import quote

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import bench_dates  # noqa: E402
import bench_health  # noqa: E402
import crawl_profile  # noqa: E402
from bench_extraction import ROUNDS, Extraction, RealPages, measure_extraction, measure_golden  # noqa: E402
from bench_site import Server, articles_for_pages, measure_ceiling, start_server  # noqa: E402

# Settings every crawl gets, the floor's and kabar's alike (issue #15).
COMMON_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "ROBOTSTXT_OBEY": "False",
    "TELNETCONSOLE_ENABLED": "False",
    "LOG_LEVEL": "INFO",
}
# (f1): what kabar's settings change in Scrapy's own work per response, given to the floor too.
STRICT_FLOOR = ["-s", "CONCURRENT_ITEMS=1"]


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
        f"selectolax {version('selectolax')}, trafilatura {version('trafilatura')}, "
        f"dateparser {version('dateparser')}"
    )


def run_crawl(name: str, args: list[str], server: Server, workdir: Path, cwd: Path = REPO) -> CrawlRun:
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
        child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
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


def _kabar_args(server: Server, workdir: Path, feed: Path, *, state: bool) -> list[str]:
    """(a), the issue's command (no crawl state), or (a') with the crawl state in `workdir`."""
    args = ["crawl", "kabar", "-a", f"start_urls={server.base}/", "-a", "network=prmn", "-O", str(feed)]
    return [*args, "-s", f"NEWSCRAWL_STATE={workdir / 'state.sqlite'}"] if state else args


def crawl_kabar(server: Server, workdir: Path, extra: list[str], *, state: bool = False) -> CrawlRun:
    name = "kabar-state" if state else "kabar"
    feed = workdir / f"{name}.jsonl"
    feed.unlink(missing_ok=True)
    # A fresh crawl state each run, so that every run delivers every article (no incremental skips).
    for suffix in ("", "-wal", "-shm"):
        (workdir / f"state.sqlite{suffix}").unlink(missing_ok=True)
    args = [
        *_kabar_args(server, workdir, feed, state=state), "-s", f"NEWSCRAWL_SPOOL_DIR={workdir / 'spool'}",
        "-s", f"NEWSCRAWL_STATS_FILE={workdir / f'{name}-stats.json'}", *extra,
    ]
    run = run_crawl(name, args, server, workdir)
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


def crawl_floor(server: Server, workdir: Path, extra: list[str], name: str = "floor") -> CrawlRun:
    """(f): every page of the portal handed to a bare spider up front, run outside the project."""
    urls = workdir / "urls.txt"
    # Every page a kabar crawl fetches: the whole portal but robots.txt (not read: ROBOTSTXT_OBEY off).
    urls.write_text("".join(f"{server.base}{quote(target, safe='/?=&')}\n" for target in server.site.pages
                            if target != "/robots.txt"), encoding="utf-8")
    feed = workdir / f"{name}.jsonl"
    outside = workdir / "outside"  # no scrapy.cfg up from here: Scrapy's default settings
    outside.mkdir(exist_ok=True)
    args = ["runspider", str(HERE / "floor_spider.py"), "-a", f"urls={urls}", "-O", str(feed), *extra]
    run = run_crawl(name, args, server, workdir, cwd=outside)
    run.items = sum(1 for _ in feed.open(encoding="utf-8")) if feed.exists() else 0
    return run


def profile_kabar(server: Server, workdir: Path, extra: list[str], cpu_per_page: float) -> str:
    """Run the kabar crawl once more under py-spy; return where its CPU goes (benchmarks/crawl_profile.py)."""
    raw = workdir / "kabar.raw"
    cmd = [
        sys.executable, "-m", "scrapy", *_kabar_args(server, workdir, workdir / "profiled.jsonl", state=False),
        "-s", f"NEWSCRAWL_SPOOL_DIR={workdir / 'spool'}", "-s", f"LOG_FILE={workdir / 'profiled.log'}",
        *[x for key, value in COMMON_SETTINGS.items() for x in ("-s", f"{key}={value}")], *extra,
    ]
    server.counters.reset()
    if not crawl_profile.record(cmd, raw, REPO):
        return "py-spy is not installed (pip install py-spy), or recorded nothing (is ptrace allowed?): no profile"
    pages = server.counters.responses.value
    # py-spy's own CPU would count in this run's: the CPU per page of the unprofiled kabar runs scales the samples.
    return crawl_profile.report(raw, pages, cpu_per_page * pages / 1000)


def _mb(value: int) -> str:
    return f"{value / 2**20:.0f} MB"


def _ok(good: bool) -> str:
    return "yes" if good else "**no**"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles on the generated portal (default 2000)")
    parser.add_argument("--runs", type=int, default=5, help="alternating runs of the floor and kabar (default 5)")
    parser.add_argument("--grow-pages", type=int, default=10_000,
                        help="pages of a second, larger kabar crawl that shows memory growth (0: skip; default 10000)")
    parser.add_argument("--sample", type=int, default=400, help="article pages for the extraction comparison")
    parser.add_argument("--quick", action="store_true", help="300 articles, 2 runs, no growth run, small samples")
    parser.add_argument("--profile", action="store_true", help="also profile a kabar crawl with py-spy")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting given to every crawl (e.g. CONCURRENT_REQUESTS_PER_DOMAIN=8)")
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.runs, args.grow_pages, args.sample = 300, 2, 0, 100
    return args


@dataclass
class Crawls:
    """Every crawl of the same portal: the alternating pairs, then the link-following floors."""

    floors: list[CrawlRun]
    kabars: list[CrawlRun]
    bare: CrawlRun
    memo: CrawlRun
    # (f1): the floor given kabar's CONCURRENT_ITEMS=1, run between each (f) and (a).
    strict_floors: list[CrawlRun]
    # (a'): kabar with a crawl state, run after each (a).
    state_kabars: list[CrawlRun]

    @property
    def pairs(self) -> list[tuple[CrawlRun, CrawlRun]]:
        return list(zip(self.floors, self.kabars, strict=True))

    @property
    def strict_pairs(self) -> list[tuple[CrawlRun, CrawlRun]]:
        """Each kabar run with the (f1) floor run just before it."""
        return list(zip(self.strict_floors, self.kabars, strict=True))

    @property
    def state_pairs(self) -> list[tuple[CrawlRun, CrawlRun]]:
        """Each (a') run with the floor run of its round."""
        return list(zip(self.floors, self.state_kabars, strict=True))


def _failed(run: CrawlRun, workdir: Path) -> bool:
    if run.returncode != 0:
        _log(f"  {run.name} exited with status {run.returncode}: see its log")
        _log((workdir / f"{run.name}.err").read_text(encoding="utf-8")[-3000:])
    return run.returncode != 0


def _crawls(server: Server, workdir: Path, extra: list[str], runs: int) -> Crawls | None:
    """The floors and kabar in turn, `runs` times; then (b) and (b'). None when a crawl failed."""
    floors, strict_floors, kabars, state_kabars = [], [], [], []
    for i in range(runs):
        floor = crawl_floor(server, workdir, extra)
        _log(f"  run {i + 1}: floor {floor.responses} responses, {floor.pages_per_s:.0f} pages/s, "
             f"{floor.cpu_ms_per_page:.2f} CPU ms/page")
        strict = crawl_floor(server, workdir, [*extra, *STRICT_FLOOR], name="floor1")
        _log(f"  run {i + 1}: floor with CONCURRENT_ITEMS=1 {strict.responses} responses, "
             f"{strict.pages_per_s:.0f} pages/s, {strict.cpu_ms_per_page:.2f} CPU ms/page")
        kabar = crawl_kabar(server, workdir, extra)
        _log(f"  run {i + 1}: kabar {kabar.responses} responses, {kabar.items} articles, {kabar.pages_per_s:.0f} "
             f"pages/s, {kabar.cpu_ms_per_page:.2f} CPU ms/page")
        stateful = crawl_kabar(server, workdir, extra, state=True)
        _log(f"  run {i + 1}: kabar with a crawl state {stateful.responses} responses, {stateful.items} articles, "
             f"{stateful.pages_per_s:.0f} pages/s, {stateful.cpu_ms_per_page:.2f} CPU ms/page")
        if any(_failed(run, workdir) for run in (floor, strict, kabar, stateful)):
            return None
        floors.append(floor)
        strict_floors.append(strict)
        kabars.append(kabar)
        state_kabars.append(stateful)
    bare = crawl_bare(server, workdir, extra)
    memo = crawl_bare(server, workdir, extra, memo=True)
    _log(f"  bare: {bare.pages_per_s:.0f} pages/s; bare-memo: {memo.pages_per_s:.0f} pages/s")
    if _failed(bare, workdir) or _failed(memo, workdir):
        return None
    return Crawls(floors, kabars, bare, memo, strict_floors, state_kabars)


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
            crawls = _crawls(server, workdir, extra, args.runs)
            if crawls is None:
                return 1
            cpu = statistics.median(run.cpu_total for run in crawls.kabars) / crawls.kabars[0].responses * 1000
            profile = profile_kabar(server, workdir, extra, cpu) if args.profile else ""
            _log(f"measuring extraction on {args.sample} article pages ...")
            extraction = measure_extraction(server, args.sample, server.site.pages)
            _log("measuring extraction on the golden pages ...")
            real = measure_golden()
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

    report(args, machine(), ceiling, article_kb, crawls, (extraction, real), dates, health, grow)
    if profile:
        print()
        print(profile)
    return 0


def _spread(values: list[float], digits: int = 2) -> str:
    """'min / median' of a measure over the runs."""
    return f"{min(values):.{digits}f} / {statistics.median(values):.{digits}f}"


def report(  # noqa: PLR0913, PLR0917 - one table from every measure
    args: argparse.Namespace, host: str, ceiling: float, article_kb: float,
    crawls: Crawls, extractions: tuple[Extraction, RealPages], dates: dict[str, float], health: dict[str, float],
    grow: CrawlRun | None,
) -> None:
    ex, real = extractions
    floors, kabars, bare, memo = crawls.floors, crawls.kabars, crawls.bare, crawls.memo
    strict_floors = crawls.strict_floors
    # Each kabar run against the floor run just before it: a slow spell of the machine falls on both.
    speed = [k.pages_per_s / f.pages_per_s for f, k in crawls.pairs if f.pages_per_s]
    against_strict = [k.pages_per_s / f.pages_per_s for f, k in crawls.strict_pairs if f.pages_per_s]
    strict_cpu = statistics.median(r.cpu_ms_per_page for r in strict_floors)
    strict_own = statistics.median(k.cpu_ms_per_page - f.cpu_ms_per_page for f, k in crawls.strict_pairs)
    cpu = [f.cpu_ms_per_page / k.cpu_ms_per_page for f, k in crawls.pairs if k.cpu_ms_per_page]
    state_speed = [k.pages_per_s / f.pages_per_s for f, k in crawls.state_pairs if f.pages_per_s]
    state_cost = statistics.median(
        s.cpu_ms_per_page - k.cpu_ms_per_page for k, s in zip(kabars, crawls.state_kabars, strict=True))
    kabar = sorted(kabars, key=lambda r: r.pages_per_s)[len(kabars) // 2]  # the median run, for its RSS
    n = len(floors)
    rows: list[tuple[str, str, str, str]] = [
        (f"(f) floor, every URL handed up front: pages/s (min / median of {n})",
         _spread([r.pages_per_s for r in floors], 0), "", ""),
        ("(f) CPU ms per page (min / median)", _spread([r.cpu_ms_per_page for r in floors]), "", ""),
        ("(f) start-up CPU s (median) · peak RSS (median run)",
         f"{statistics.median(r.cpu_total - r.cpu for r in floors):.2f} · {_mb(floors[n // 2].peak_rss)}", "", ""),
        ("(a) kabar: pages/s (min / median)", _spread([r.pages_per_s for r in kabars], 0), "", ""),
        ("(a) CPU ms per page (min / median)", _spread([r.cpu_ms_per_page for r in kabars]), "", ""),
        ("(a) start-up CPU s (median) · peak RSS (median run)",
         f"{statistics.median(r.cpu_total - r.cpu for r in kabars):.2f} · {_mb(kabar.peak_rss)}", "", ""),
        ("(a)/(f) pages/s, per pair (min / median)", _spread(speed), ">= 0.70 median",
         _ok(statistics.median(speed) >= 0.70)),
        ("(a)/(f) pages per CPU second, per pair (min / median)", _spread(cpu), "", ""),
        ("(a) - (f) CPU ms per page (median): kabar's own work",
         f"{statistics.median(k.cpu_ms_per_page - f.cpu_ms_per_page for f, k in crawls.pairs):.2f}", "", ""),
        ("(a') kabar with a crawl state (scheduled jobs): pages/s · CPU ms/page (min / median)",
         (f"{_spread([r.pages_per_s for r in crawls.state_kabars], 0)} · "
          f"{_spread([r.cpu_ms_per_page for r in crawls.state_kabars])}"), "", ""),
        ("(a')/(f) pages/s, per pair (min / median) · (a') - (a) CPU ms per page (median): the state's cost",
         f"{_spread(state_speed)} · {state_cost:.2f}", "", ""),
        ("(f1) the floor given CONCURRENT_ITEMS=1 (kabar's): pages/s · CPU ms/page (medians)",
         f"{statistics.median(r.pages_per_s for r in strict_floors):.0f} · {strict_cpu:.2f}", "", ""),
        ("(a)/(f1) pages/s, per run (min / median) · (a) - (f1) CPU ms per page (median)",
         f"{_spread(against_strict)} · {strict_own:.2f}", "", ""),
        ("(b) bare spider following links: pages/s · CPU ms/page",
         f"{bare.pages_per_s:.0f} · {bare.cpu_ms_per_page:.2f}", "", ""),
        ("(b') the same, skipping links already requested: pages/s · CPU ms/page",
         f"{memo.pages_per_s:.0f} · {memo.cpu_ms_per_page:.2f}", "", ""),
        ("extraction + cleaning, ms per article page (min / median)", _spread(ex.totals), "<= 0.6",
         _ok(statistics.median(ex.totals) <= 0.6)),
        ("  of which (best pass): parse (lexbor) / extract_article / cleaning",
         " / ".join(f"{x:.2f}" for x in ex.best), "", ""),
        ("  each page's fastest of the passes, summed: parse / extract / clean",
         " / ".join(f"{x:.2f}" for x in ex.fastest) + f" = {sum(ex.fastest):.2f}", "", ""),
        ("(c) trafilatura JSON extraction, ms per page (min / median)", _spread(ex.trafilatura), "", ""),
        ("(c)/ours, per pass (min / median)", _spread(ex.ratios, 1), ">= 15x median",
         _ok(statistics.median(ex.ratios) >= 15)),
        (f"(c') {real.pages} golden pages (real, avg {real.kb:.0f} KB), each's fastest pass: ours · trafilatura ms",
         " · ".join(f"{x:.2f}" for x in real.mean) + f" ({real.ratio:.1f}x)", "", ""),
        ("(d) parse_date, us per date: median date · mean over the table",
         f"{dates['parse_date_median_us']:.1f} · {dates['parse_date_us']:.1f}", "<= 20 median",
         _ok(dates["parse_date_median_us"] <= 20)),
        ("(d) dateparser alone, us per date (mean) · ratio", f"{dates['dateparser_us']:.0f} · {dates['ratio']:.0f}x",
         "", ""),
        ("(d) dates sent to dateparser by parse_date",
         f"{int(dates['parse_date_fallbacks'])} of {int(dates['dates'])}", "fallback only", ""),
    ]
    health_us = health["health_us"] + health["end_us"]
    health_share = health_us / 1000 / kabar.cpu_ms_per_page if kabar.cpu_ms_per_page else 0.0
    rows.append(("(e) health bookkeeping: us per page · share of (a)'s CPU per page",
                 f"{health_us:.1f} · {health_share:.2%}", "< 2 %", _ok(health_share < 0.02)))
    for run in [kabar] + ([grow] if grow else []):
        quarters = " / ".join(_mb(run.rss_at[q]).removesuffix(" MB") for q in (25, 50, 75, 100))
        rows.append((f"kabar, {run.responses:,} pages: RSS at 25/50/75/100% (MB)", quarters, "flat", ""))
    if grow:
        rows.append((f"kabar, {grow.responses:,} pages: peak RSS · pages/s · CPU ms/page",
                     f"{_mb(grow.peak_rss)} · {grow.pages_per_s:.0f} · {grow.cpu_ms_per_page:.2f}", "< 250 MB",
                     _ok(grow.peak_rss < 250 * 2**20)))
        extra_pages = grow.responses - kabar.responses
        per_k = (grow.peak_rss - kabar.peak_rss) / extra_pages * 1000 / 2**20 if extra_pages else 0.0
        rows.append(("peak RSS growth per 1,000 more pages", f"{per_k:.1f} MB", "~0", ""))

    print()
    print(f"kabar benchmark: {args.articles:,} articles = {kabar.responses:,} pages "
          f"(article pages avg {article_kb:.0f} KB), generated PRMN portal on 127.0.0.1")
    print(f"machine: {host}; load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
    print(f"server alone (asyncio, pre-rendered, own process): {ceiling:,.0f} responses/s on 8 keep-alive connections")
    print(f"crawls: same settings for all ({', '.join(f'{k}={v}' for k, v in COMMON_SETTINGS.items())}"
          f"{', ' + ', '.join(args.settings) if args.settings else ''}), -O feed; "
          f"{n} alternating runs of (f), (f1), (a) and (a'); floor {floors[0].responses:,} / "
          f"floor1 {strict_floors[0].responses:,} / kabar {kabar.responses:,} / bare {bare.responses:,} / "
          f"bare-memo {memo.responses:,} responses, {kabar.items:,} articles in kabar's feed, "
          f"{sum(r.not_found for r in (*floors, *strict_floors, *kabars, bare, memo))} 404s")
    print(f"extraction sample: {ex.pages} article pages (page 1 and later pages), CPU time, "
          f"{ROUNDS} alternating passes each")
    print()
    width = max(len(r[0]) for r in rows)
    print(f"| {'measure':<{width}} | value | target | met |")
    print(f"|{'-' * (width + 2)}|---|---|---|")
    for name, value, target, met in rows:
        print(f"| {name:<{width}} | {value} | {target} | {met} |")
    out = os.environ.get("KABAR_BENCH_JSON")
    if out:
        summary = {
            "floors": [r.__dict__ for r in floors], "kabars": [r.__dict__ for r in kabars],
            "strict_floors": [r.__dict__ for r in strict_floors],
            "state_kabars": [r.__dict__ for r in crawls.state_kabars],
            "bare": bare.__dict__, "bare_memo": memo.__dict__, "grow": grow.__dict__ if grow else None,
            "extraction": ex.__dict__, "golden": real.__dict__, "dates": dates, "ceiling": ceiling,
        }
        Path(out).write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
