"""Crawl state speed and size at scale: insert and look up N article keys (default 1,000,000).

    .venv/bin/python benchmarks/bench_state.py [N] [--uri sqlite:///tmp/bench.sqlite]

Prints the delivery rate (batches of 500, as the S3 feed commits them), the lookup rates (one key
at a time, as the incremental pipeline asks, and 500 at a time), the touch rate, the time to
open and count, and the file size per article.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from newscrawl.delivery.state import Version, content_hash, open_state

BATCH = 500


def key(n: int) -> str:
    return f"portal{n % 400}.example/berita/pr-{10_000_000 + n}/judul-artikel-nomor-{n}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--uri")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        uri = args.uri or f"sqlite://{Path(tmp) / 'bench.sqlite'}"
        state = open_state(uri)
        n = args.n
        start = time.perf_counter()
        for first in range(0, n, BATCH):
            batch = range(first, min(n, first + BATCH))
            state.deliver(Version(key(i), content_hash({"body": str(i)}), 1_700_000_000) for i in batch)
        took = time.perf_counter() - start
        print(f"deliver   : {n:,} articles in {took:.1f}s = {n / took:,.0f}/s (transactions of {BATCH})")

        sample = random.Random(1).sample(range(n), min(n, 100_000))  # noqa: S311 - a reproducible sample, not a secret
        start = time.perf_counter()
        found = sum(state.get(key(i)) is not None for i in sample)
        took = time.perf_counter() - start
        print(f"get       : {len(sample):,} single lookups ({found:,} found) in {took:.2f}s"
              f" = {len(sample) / took:,.0f}/s ({took / len(sample) * 1e6:.1f} µs each)")

        start = time.perf_counter()
        misses = [f"unknown.example/{i}" for i in range(len(sample))]
        found = sum(state.get(k) is not None for k in misses)
        took = time.perf_counter() - start
        print(f"get (miss): {len(misses):,} lookups ({found} found) in {took:.2f}s = {len(misses) / took:,.0f}/s")

        keys = [key(i) for i in sample]
        start = time.perf_counter()
        found = sum(len(state.get_many(keys[first:first + BATCH])) for first in range(0, len(keys), BATCH))
        took = time.perf_counter() - start
        print(f"get_many  : {len(keys):,} keys ({found:,} found) in batches of {BATCH} in {took:.2f}s"
              f" = {len(keys) / took:,.0f}/s")

        start = time.perf_counter()
        state.touch(keys, 1_700_000_100)
        state.flush()
        took = time.perf_counter() - start
        print(f"touch     : {len(keys):,} keys in {took:.2f}s = {len(keys) / took:,.0f}/s")
        state.close()

        start = time.perf_counter()
        state = open_state(uri)
        count = state.count()
        took = time.perf_counter() - start
        state.close()
        print(f"open+count: {count:,} articles in {took:.2f}s")
        path = Path(uri.removeprefix("sqlite://"))
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        print(f"size      : {size / 1e6:.1f} MB = {size / n:.0f} bytes per article")


if __name__ == "__main__":
    main()
