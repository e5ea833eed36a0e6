"""The same story on many portals: how well copies are found, how the thresholds were chosen, what it costs.

    .venv/bin/python benchmarks/stories.py                 # all three parts
    .venv/bin/python benchmarks/stories.py --sweep         # similarity of every labelled pair; P/R per threshold
    .venv/bin/python benchmarks/stories.py --crawl         # crawl the syndication site; precision and recall
    .venv/bin/python benchmarks/stories.py --cost [--articles 20000]   # ms and stored bytes per article
    .venv/bin/python benchmarks/stories.py --grouped       # SQLite: one commit per assignment vs per group
    .venv/bin/python benchmarks/stories.py --in-crawl [--runs 3]   # the pipeline's CPU per article in a crawl

The labelled set is the syndication site's plan (tests/sites/syndication/portals.py: real pages of
tests/fixtures, planted copies, look-alikes). ``--sweep`` runs the decision over its texts in
process at several thresholds, and prints the estimated similarity of every pair of articles by
how they relate (copies by edit, look-alikes by kind), so the margin around the threshold shows.
``--crawl`` serves the seven portals on 127.0.0.1 and runs ``scrapy crawl kabar`` over them with
an SQLite crawl state. ``--cost`` sketches and assigns N synthetic articles (words drawn by their
frequency in the real pages, a fifth of them copies, URLs of about 100 characters) in each store:
memory, SQLite, Redis (Debian's redis-server on a free loopback port), and measures the bytes the
stored stories take: the SQLite file's used pages, Redis' ``used_memory``; over all the articles
(fixed costs included: 4,096 bucket keys a kind in Redis) and over the second half (what one more
article costs). ``--grouped`` fills SQLite stores with 2,000, 20,000 and 100,000 stories, then times
1,000 more assignments committed one by one (as the store does) and in groups of 8 and 32 (one
transaction around the group: what a store that held its write lock over several items would cost).
``--in-crawl`` runs ``scrapy crawl kabar`` over the speed benchmark's portal (benchmarks/bench_site.py,
2,000 articles; benchmarks/run.py's settings) with an SQLite crawl state, the story pipeline timed in
the crawl thread's CPU time around each ``process_item`` (`TimedStoryPipeline`): what the stories cost
among everything else a crawl does (caches shared with extraction, a busy process).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "sites" / "syndication"))

from portals import Planted, plan, score, serving_site  # noqa: E402

from newscrawl.delivery.stories import open_stories  # noqa: E402
from newscrawl.delivery.stories.decision import SAME_STORY  # noqa: E402
from newscrawl.delivery.stories.memory import MemoryStories  # noqa: E402
from newscrawl.delivery.stories.pipeline import StoryPipeline  # noqa: E402
from newscrawl.delivery.stories.sketch import Sketcher, tokens, words  # noqa: E402
from newscrawl.delivery.stories.sqlite import SqliteStories  # noqa: E402
from tests.redis_server import running_redis  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable

THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def _kind(a: Planted, b: Planted) -> str:
    if a.label == b.label:
        return "copy: " + "~".join(sorted((a.edit, b.edit)))
    kinds = {a.edit, b.edit}
    for look_alike in ("independent", "wrapper", "series"):
        if kinds == {look_alike}:
            return f"look-alike: {look_alike}"
    return "unrelated"


def sweep() -> None:
    sketcher = Sketcher()
    planted = [p for p in plan() if p.scored]
    bodies = ["\n\n".join(p.paragraphs) for p in planted]
    sketches = [sketcher.sketch(b) for b in bodies]
    shingles = [set(sketcher.shingles(tokens(b)).tolist()) for b in bodies]
    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for i, j in itertools.combinations(range(len(planted)), 2):
        kind = _kind(planted[i], planted[j])
        estimate = sketcher.similarity(sketches[i].signature, sketches[j].signature)
        if kind == "unrelated" and estimate < 0.2:
            continue
        true = len(shingles[i] & shingles[j]) / len(shingles[i] | shingles[j])
        by_kind[kind].append((true, estimate))
    print(f"labelled pairs: {len(planted)} articles (similarity = Jaccard of word 3-shingles; estimate from the"
          f" {sketcher.params.num_perm}-bit signature)")
    print(f"  {'pair':<34} {'n':>4}  {'Jaccard min-max':>15}  {'estimate min-max':>16}")
    for kind in sorted(by_kind):
        pairs = by_kind[kind]
        true, est = [t for t, _ in pairs], [e for _, e in pairs]
        print(f"  {kind:<34} {len(pairs):>4}  {min(true):6.2f} - {max(true):4.2f}   {min(est):6.2f} - {max(est):4.2f}")
    print(f"  (unrelated pairs are listed only when their estimate is 0.2 or more)\n\nthreshold sweep (memory store,"
          f" the plan's order; chosen: {SAME_STORY}):")
    for threshold in THRESHOLDS:
        stories = MemoryStories(sketcher)
        stories.threshold = threshold
        items = []
        for p, body in zip(planted, bodies, strict=True):
            url = f"http://{p.portal}.test/{len(items)}"
            assigned = stories.assign(stories.article(url, body, p.published.isoformat()))
            items.append((p, assigned.story_id))
        true_pos = false_pos = false_neg = 0
        for (a, x), (b, y) in itertools.combinations(items, 2):
            true_pos += a.label == b.label and x == y
            false_pos += a.label != b.label and x == y
            false_neg += a.label == b.label and x != y
        precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
        recall = true_pos / (true_pos + false_neg)
        print(f"  {threshold:.1f}: precision {precision:.3f}  recall {recall:.3f}")


def crawl() -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp, serving_site(Path(tmp) / "site") as site:
        out, stats = Path(tmp) / "out.jsonl", Path(tmp) / "stats.json"
        cmd = [sys.executable, "-m", "scrapy", "crawl", "kabar", "-O", str(out), "-a", f"start_urls={site.start_urls}",
               "-s", "AUTOTHROTTLE_ENABLED=False", "-s", f"NEWSCRAWL_STATE={tmp}/state.sqlite",
               "-s", f"NEWSCRAWL_STATS_FILE={stats}", "-s", "LOG_LEVEL=WARNING"]
        started = time.perf_counter()
        subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)
        took = time.perf_counter() - started
        items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        result = score(site, items)
        values = json.loads(stats.read_text())["stats"]
        print(f"crawl of the syndication site ({len(site.bases)} portals, {len(items)} articles, {took:.1f}s):")
        print(f"  precision {result.precision:.3f}  recall {result.recall:.3f}  over {result.pairs} copy pairs")
        prefix = "newscrawl/stories/"
        kinds = {k[len(prefix):]: v for k, v in sorted(values.items()) if k.startswith(prefix) and isinstance(v, int)}
        print(f"  delivered: {', '.join(f'{k}={v}' for k, v in kinds.items())}")
        for a, b in result.missed:
            print(f"  missed: {a} ~ {b}")
        for a, b in result.joined:
            print(f"  joined: {a} ~ {b}")
        return result.precision, result.recall


def _synthetic(n: int) -> list[tuple[str, str, str]]:
    """N articles: words drawn by their frequency in the real pages, a fifth of them copies of an earlier one."""
    rng = random.Random(18)  # noqa: S311 - reproducible test data, not a secret
    counts = Counter(w for p in plan() for para in p.paragraphs for w in para.split())
    vocabulary, weights = list(counts), list(itertools.accumulate(counts.values()))
    slugs = [w for w in counts if w.isalpha() and w.islower() and len(w) > 3]
    out: list[tuple[str, str, str]] = []
    for i in range(n):
        slug = "-".join(rng.sample(slugs, 6))
        url = f"https://portal{i % 60}.pikiran-rakyat.com/nasional/pr-{10_000_000 + i}/{slug}"
        when = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00+07:00"
        if out and rng.random() < 0.2:
            source = out[rng.randrange(len(out))][1].split("\n\n")
            body = "\n\n".join(source[: len(source) - rng.randrange(3)])
        else:
            paragraphs = [" ".join(rng.choices(vocabulary, cum_weights=weights, k=rng.randint(20, 45)))
                          for _ in range(rng.randint(5, 10))]
            body = "\n\n".join(paragraphs)
        out.append((url, body, when))
    return out


def _run(uri: str | None, articles: list[tuple[str, str, str]], size: Callable[[], int],
         server_cpu: Callable[[], float] = lambda: 0.0) -> None:
    """Assign every article; print CPU and wall time per article, and the bytes stored (all, and the second half)."""
    stories = open_stories(uri)
    half = len(articles) // 2
    kinds: Counter[str] = Counter()
    cpu, wall, server, at_half = time.process_time(), time.perf_counter(), server_cpu(), 0
    for i, (url, body, when) in enumerate(articles):
        if i == half:
            paused = time.process_time(), time.perf_counter()
            at_half = size()
            cpu, wall = cpu + time.process_time() - paused[0], wall + time.perf_counter() - paused[1]
        kinds[stories.assign(stories.article(url, body, when)).kind] += 1
    cpu, wall, server = time.process_time() - cpu, time.perf_counter() - wall, server_cpu() - server
    stories.close()
    total, n = size(), len(articles)
    served = f" + {server / n * 1000:.3f} ms Redis CPU" if server else ""
    marginal = (total - at_half) / (n - half)
    stored = f"; {total / n:.0f} bytes per article, {marginal:.0f} over the second half" if total else ""
    print(f"  {stories.location.split(' ')[0][:32]:<32} CPU {cpu / n * 1000:.3f} ms per article{served}"
          f" (wall {wall / n * 1000:.3f}){stored}; {dict(kinds)}")


def cost(n: int) -> None:
    articles = _synthetic(n)
    mean_words = statistics.mean(len(words(b)) for _, b, _ in articles)
    mean_url = statistics.mean(len(u) for u, _, _ in articles)
    print(f"cost: {n:,} synthetic articles ({mean_words:.0f} words, URLs of {mean_url:.0f} characters on average)")
    sketcher = Sketcher()
    started = time.process_time()
    for _, body, _ in articles[:2000]:
        sketcher.sketch(body)
    print(f"  sketch alone: CPU {(time.process_time() - started) / min(n, 2000) * 1000:.3f} ms per article")
    _run(None, articles, lambda: 0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "state.sqlite"

        def file_size() -> int:
            with sqlite3.connect(path) as db:
                used = db.execute("PRAGMA page_count").fetchone()[0] - db.execute("PRAGMA freelist_count").fetchone()[0]
                return int(used * db.execute("PRAGMA page_size").fetchone()[0])

        _run(str(path), articles, file_size)
        with running_redis(Path(tmp) / "redis") as server:
            client = server.client()
            before = int(client.info("memory")["used_memory"])
            _run(f"{server.url}?prefix=bench", articles, lambda: int(client.info("memory")["used_memory"]) - before,
                 lambda: float(client.info("cpu")["used_cpu_user"]) + float(client.info("cpu")["used_cpu_sys"]))


def grouped() -> None:
    sizes, groups, n = (2_000, 20_000, 100_000), (1, 8, 32), 1_000
    articles = _synthetic(sizes[-1] + len(groups) * n)
    print(f"SQLite, {n:,} more assignments (a fifth of them copies), committed one by one or in groups:")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            stories = SqliteStories(Path(tmp) / "state.sqlite")
            for url, body, when in articles[:size]:
                stories.assign(stories.article(url, body, when))
            one = stories._transaction  # noqa: SLF001 - the store's own statements, in other transactions
            stories._transaction = contextlib.nullcontext  # noqa: SLF001
            for i, group in enumerate(groups):
                more = [stories.article(*a) for a in articles[size + i * n:size + (i + 1) * n]]
                started = time.process_time()
                for start in range(0, n, group):
                    with one():
                        for article in more[start:start + group]:
                            stories.assign(article)
                took = (time.process_time() - started) / n * 1000
                print(f"  {size:>7,} stories stored, {group:>2} per commit: CPU {took:.3f} ms per assignment")
            stories.close()


class TimedStoryPipeline(StoryPipeline):
    """`StoryPipeline` with ``process_item`` timed in the thread's CPU time (``--in-crawl``: ``bench/story_cpu``)."""

    def process_item(self, item: Any) -> Any:
        started = time.thread_time()
        try:
            return super().process_item(item)
        finally:
            self.stats.inc_value("bench/story_cpu", time.thread_time() - started)


def in_crawl(runs: int) -> None:
    from bench_site import start_server  # noqa: PLC0415 - the speed benchmark's portal, only for this part
    from run import COMMON_SETTINGS  # noqa: PLC0415

    from newscrawl import settings  # noqa: PLC0415

    timed = "stories.TimedStoryPipeline"
    pipelines = {(timed if k.endswith(".StoryPipeline") else k): v for k, v in settings.ITEM_PIPELINES.items()}
    server = start_server(2_000)
    print(f"the story pipeline in a crawl of the benchmark portal ({server.base}, 2,000 articles, SQLite state):")
    try:
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                stats = Path(tmp) / "stats.json"
                every = {**COMMON_SETTINGS, "NEWSCRAWL_STATE": f"{tmp}/state.sqlite", "NEWSCRAWL_SPOOL_DIR": f"{tmp}/s",
                         "NEWSCRAWL_STATS_FILE": str(stats), "ITEM_PIPELINES": json.dumps(pipelines)}
                cmd = [sys.executable, "-m", "scrapy", "crawl", "kabar", "-a", f"start_urls={server.base}/", "-a",
                       "network=prmn", "-O", f"{tmp}/out.jsonl"]
                cmd += itertools.chain(*(("-s", f"{k}={v}") for k, v in every.items()))
                env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "benchmarks")])}
                subprocess.run(cmd, cwd=REPO, env=env, check=True, capture_output=True)
                values = json.loads(stats.read_text())["stats"]
                n = values["item_scraped_count"]
                print(f"  {n} articles: CPU {values['bench/story_cpu'] / n * 1000:.3f} ms per article"
                      f" (load average {os.getloadavg()[0]:.1f})")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--crawl", action="store_true")
    parser.add_argument("--cost", action="store_true")
    parser.add_argument("--grouped", action="store_true")
    parser.add_argument("--in-crawl", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    every = not (args.sweep or args.crawl or args.cost or args.grouped or args.in_crawl)
    if every or args.sweep:
        sweep()
        print()
    if every or args.crawl:
        crawl()
        print()
    if every or args.cost:
        cost(args.articles)
    if args.grouped:
        grouped()
    if args.in_crawl:
        in_crawl(args.runs)


if __name__ == "__main__":
    main()
