"""Cluster mode's figures: pages/s for 1, 2 and 3 processes, Redis memory per million URLs, queue throughput.

    .venv/bin/python benchmarks/bench_cluster.py                 # 1,000 articles, 1M URLs for memory
    .venv/bin/python benchmarks/bench_cluster.py --articles 500 --million 200000   # quicker

Starts Debian's redis-server (tests/redis_server.py: 127.0.0.1, a free port, no persistence) and
the benchmark's generated PRMN portal (benchmarks/bench_site.py), then measures:

(a) ``scrapy crawl kabar`` in cluster mode with 1, 2 and 3 processes on the same portal (and,
    for reference, one process without cluster mode). Pages/s counts the responses the portal
    sent between its first and last response, as benchmarks/run.py does, and over the middle
    half of the crawl (25% to 75% of the pages: no start-up, no tail); every run also checks
    that the union of the feeds is every article exactly once.
(b) Redis memory (``INFO memory``, used_memory) per million URLs for the crawl state (1M articles
    delivered), the frontier's duplicate filter (1M fingerprints) and its article claims (1M
    committed), and the size of a queued request.
(c) Queue throughput from one client: push (filter + queue), pop (leased) and acknowledge, per second.

Nothing here leaves 127.0.0.1. No figure is asserted: they are printed, with the machine's cores
and load, because on a 2-core machine three crawl processes and the portal compete for the CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from bench_site import Server, start_server  # noqa: E402
from scrapy import Request  # noqa: E402
from scrapy.utils.request import RequestFingerprinter  # noqa: E402

from newscrawl.delivery.state import Version, content_hash, key_digest, open_state  # noqa: E402
from newscrawl.delivery.state.redis import redis_client  # noqa: E402
from newscrawl.ops.cluster.frontier import Frontier  # noqa: E402
from tests.redis_server import RedisServer, running_redis  # noqa: E402

SETTINGS = {"AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "16", "LOG_LEVEL": "INFO"}


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def crawl(server: Server, redis: RedisServer | None, processes: int, workdir: Path) -> dict[str, float]:  # noqa: C901 - one measured run, start to end
    """Run `processes` crawl processes (cluster mode unless `redis` is None); pages/s, checks, Redis work."""
    server.counters.reset()
    if redis is not None:
        redis.client().config_resetstat()
    group = f"bench-{processes}-{time.monotonic_ns()}"
    children = []
    for n in range(processes):
        feed = workdir / f"{group}-{n}.jsonl"
        cmd = [sys.executable, "-m", "scrapy", "crawl", "kabar", "-a", f"start_urls={server.base}/",
               "-a", "network=prmn", "-O", str(feed), "-s", f"LOG_FILE={workdir / f'{group}-{n}.log'}"]
        settings = dict(SETTINGS)
        if redis is not None:
            settings |= {"NEWSCRAWL_CLUSTER": redis.url, "NEWSCRAWL_CLUSTER_GROUP": group}
        for key, value in settings.items():
            cmd += ["-s", f"{key}={value}"]
        children.append((subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), feed))
    started = time.monotonic()
    samples = []  # (time, responses so far): the steady-state rate leaves out start-up and the tail
    codes: dict[int, int] = {}
    cpu = 0.0
    while len(codes) < len(children):
        samples.append((time.monotonic(), server.counters.responses.value))
        for child, _ in children:
            if child.pid in codes:
                continue
            # wait4: the kernel's account of the child's CPU time (user + system).
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                child.returncode = codes[pid] = os.waitstatus_to_exitcode(status)
                cpu += usage.ru_utime + usage.ru_stime
        time.sleep(0.05)
    wall = time.monotonic() - started
    urls: Counter[str] = Counter()
    for _, feed in children:
        if feed.exists():
            urls.update(json.loads(line)["url"] for line in feed.read_bytes().splitlines())
    counters = server.counters
    span = counters.last.value - counters.first.value
    total = counters.responses.value
    quarter = next((t for t, n in samples if n >= total / 4), 0.0)
    three_quarters = next((t for t, n in samples if n >= total * 3 / 4), 0.0)
    steady = total / 2 / (three_quarters - quarter) if three_quarters > quarter else 0.0
    # Redis's own CPU time per script call: what bounds one Redis's throughput, whatever the clients.
    scripts = redis.client().info("commandstats").get("cmdstat_evalsha", {}) if redis is not None else {}
    return {
        "script_calls": float(scripts.get("calls", 0)),
        "usec_per_call": float(scripts.get("usec_per_call", 0)),
        "ok": float(list(codes.values()) == [0] * processes and len(urls) == server.site.articles
                    and max(urls.values()) == 1),
        "responses": counters.responses.value,
        "pages_per_s": counters.responses.value / span if span else 0.0,
        "steady_pages_per_s": steady,
        "cpu_ms_per_page": 1000 * cpu / counters.responses.value if counters.responses.value else 0.0,
        "wall": wall,
        "articles": sum(urls.values()),
    }


def used_memory(client: object) -> int:
    return int(client.info("memory")["used_memory"])  # type: ignore[attr-defined]


def memory(redis: RedisServer, million: int) -> dict[str, float]:
    """Bytes of Redis memory per URL (article) for the state, the duplicate filter and the claims."""
    client = redis.client()
    client.flushall()
    out: dict[str, float] = {}
    before = used_memory(client)
    state = open_state(f"{redis.url}?prefix=bench-state")
    for first in range(0, million, 1000):
        state.deliver(Version(f"portal{n % 400}.example/berita/pr-{10_000_000 + n}/judul-{n}",
                              content_hash({"n": n}), 1_700_000_000) for n in range(first, min(million, first + 1000)))
    state.close()
    out["state"] = (used_memory(client) - before) / million

    frontier = Frontier(redis_client(redis.url)[0], "bench-memory")
    fingerprinter = RequestFingerprinter()
    before = used_memory(client)
    pipe = client.pipeline(transaction=False)
    for n in range(million):
        request = Request(f"https://portal{n % 400}.example/berita/pr-{10_000_000 + n}/judul-artikel-{n}")
        pipe.sadd(frontier.seen, fingerprinter.fingerprint(request))
        if n % 10_000 == 9_999:
            pipe.execute()
    pipe.execute()
    out["seen"] = (used_memory(client) - before) / million

    before = used_memory(client)
    for n in range(million):
        pipe.hset(frontier.claims, key_digest(f"portal{n % 400}.example/berita/pr-{n}"), "")
        if n % 10_000 == 9_999:
            pipe.execute()
    pipe.execute()
    out["claims"] = (used_memory(client) - before) / million
    client.flushall()
    return out


def request_blobs(redis: RedisServer) -> dict[str, float]:
    """Sizes of typical queued requests, as the scheduler stores them (a listing, a multi-page article's page 2)."""
    from newscrawl.items import Article  # noqa: PLC0415
    from newscrawl.ops.cluster.scheduler import RequestQueue  # noqa: PLC0415

    class Spider:
        name = "kabar"

        def parse(self, response: object) -> None: ...

        def on_error(self, failure: object) -> None: ...

        def _more_pages(self, response: object) -> None: ...

    class Worker:
        client = redis_client(redis.url)[0]
        frontier = Frontier(client, "bench-blobs")

    queue = RequestQueue(Worker(), Spider())  # type: ignore[arg-type]
    spider = queue.spider
    meta = {"kabar": {"portal": "portal.example", "kind": "article", "depth": 0}}
    listing = Request("https://portal.example/berita/pr-14000001/judul-artikel-panjang-sekali", callback=spider.parse,
                      errback=spider.on_error, meta=meta, priority=10)
    body = "\n\n".join(["Paragraf berita daerah yang cukup panjang untuk sebuah artikel. " * 4] * 8)
    item = Article(url=listing.url, title="Judul", body=body, portal="portal.example", tags=["a", "b"], pages=1,
                   related_urls=[listing.url] * 6)
    page2 = listing.replace(url=listing.url + "?page=2", callback=spider._more_pages,  # noqa: SLF001
                            cb_kwargs={"item": item, "remaining": [listing.url + "?page=3"]}, dont_filter=True)
    return {"request": len(queue.encode(listing)), "page_with_item": len(queue.encode(page2))}


def throughput(redis: RedisServer, count: int) -> dict[str, float]:
    """Operations per second of the frontier's scripts from one client, on loopback."""
    frontier = Frontier(redis_client(redis.url)[0], "bench-throughput")
    frontier.join("w", 600_000)
    blob = b"x" * 600
    started = time.perf_counter()
    for n in range(count):
        frontier.push(n.to_bytes(20, "big"), blob, 0)
    push = count / (time.perf_counter() - started)
    ids = []
    started = time.perf_counter()
    for _ in range(count):
        ((rid, _),) = frontier.pop("w", 600_000) or []
        ids.append(rid)
    pop = count / (time.perf_counter() - started)
    started = time.perf_counter()
    for first in range(0, count, 20):
        frontier.settle("w", 600_000, acked=ids[first:first + 20])
    ack = count / (time.perf_counter() - started)
    frontier.client.flushall()
    return {"push": push, "pop": pop, "ack": ack}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--million", type=int, default=1_000_000, help="URLs for the memory figures")
    parser.add_argument("--ops", type=int, default=20_000, help="requests for the throughput figures")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    _log(f"building the portal: {args.articles} articles ...")
    server = start_server(args.articles)
    rows = []
    with tempfile.TemporaryDirectory(prefix="kabar-cluster-") as tmp, running_redis(Path(tmp) / "redis") as redis:
        workdir = Path(tmp)
        try:
            for label, processes, cluster in (("1 process, no cluster", 1, False), ("1 process", 1, True),
                                              ("2 processes", 2, True), ("3 processes", 3, True)):
                _log(f"crawling with {label} ...")
                result = crawl(server, redis if cluster else None, processes, workdir)
                rows.append((label, result))
        finally:
            server.stop()
        _log(f"memory: {args.million:,} URLs ...")
        mem = memory(redis, args.million)
        blobs = request_blobs(redis)
        _log(f"throughput: {args.ops:,} requests ...")
        ops = throughput(redis, args.ops)
        redis_version = redis.client().info("server")["redis_version"]
    per_million = 1_000_000 / 2**20
    print(f"Machine: {os.cpu_count()} cores, load average {load:.1f} at start; Redis {redis_version} (loopback); "
          f"portal of {args.articles} articles, {server.page_count} pages.")
    print()
    print("| processes | pages/s (first to last page) | pages/s (middle half) | CPU ms per page, start-up included "
          "| articles delivered (each once) | wall s |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, result in rows:
        check = "yes" if result["ok"] else "NO"
        print(f"| {label} | {result['pages_per_s']:.0f} | {result['steady_pages_per_s']:.0f} | "
              f"{result['cpu_ms_per_page']:.1f} | {int(result['articles'])} ({check}) | {result['wall']:.1f} |")
    print()
    print("| Redis memory | bytes per URL | MiB per million URLs |")
    print("|---|---:|---:|")
    for name, label in (("state", "crawl state (bucketed hashes)"), ("seen", "frontier: duplicate filter (set)"),
                        ("claims", "frontier: article claims (hash)")):
        print(f"| {label} | {mem[name]:.0f} | {mem[name] * per_million:.0f} |")
    print(f"| a queued request / a page-2 request carrying its article | {blobs['request']:.0f} / "
          f"{blobs['page_with_item']:.0f} | |")
    print()
    print(f"Queue throughput (one client, Lua scripts, loopback): push {ops['push']:,.0f}/s, "
          f"pop {ops['pop']:,.0f}/s, acknowledge (batches of 20) {ops['ack']:,.0f}/s.")
    label, busiest = rows[-1]
    per_page = busiest["script_calls"] / busiest["responses"] if busiest["responses"] else 0.0
    if per_page and busiest["usec_per_call"]:
        ceiling = 1e6 / (busiest["usec_per_call"] * per_page)
        print(f"Redis work per page ({label}): {per_page:.1f} script calls of {busiest['usec_per_call']:.1f} µs "
              f"of Redis CPU each: one Redis core serves about {ceiling:,.0f} pages/s for the whole cluster.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
