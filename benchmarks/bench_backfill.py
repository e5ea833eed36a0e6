"""How long a backfill takes at the default politeness: one month of one generated portal, extrapolated to a year.

A portal with a past (tests/sites/build_backfill.py, the family's own index by date) holds
``--days`` days of ``--per-day`` articles each. A local server answers it ``--latency`` seconds
late (a real portal is not 1 ms away; AutoThrottle adapts its delay to the latency it sees). The
real ``scrapy crawl kabar -a since=… -a until=…`` backfills every day with the project's own
settings (AutoThrottle on, 4 requests per host, robots.txt), nothing made faster. Printed: the
wall time, requests and articles, and the same rate extrapolated to 365 days (stated as such).

    python benchmarks/bench_backfill.py                      # prmn, 31 days x 20 articles, 0.25 s latency
    python benchmarks/bench_backfill.py --latency 0 --per-day 40
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "sites"))
sys.path.insert(0, str(REPO))

from build_backfill import Period, build_site  # noqa: E402

from tests.servers import slow_serving  # noqa: E402


def run(family: str, days: int, per_day: int, latency: float) -> dict[str, float]:
    """Backfill `days` days of a generated `family` portal; the crawl's figures."""
    first = date(2024, 1, 1)
    last = first + timedelta(days=days - 1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_site(family, root / "site", Period(first, last + timedelta(days=2), (per_day,), None))
        stats_file = root / "stats.json"
        with slow_serving(root / "site", latency) as base:
            cmd = [sys.executable, "-m", "scrapy", "crawl", "kabar", "-a", f"start_urls={base}/",
                   "-a", f"network={family}", "-a", f"since={first}", "-a", f"until={last}",
                   "-O", str(root / "feed.jsonl"),
                   "-s", f"NEWSCRAWL_STATS_FILE={stats_file}", "-s", f"NEWSCRAWL_STATE={root / 'state.sqlite'}",
                   "-s", "LOG_LEVEL=WARNING"]
            started = time.monotonic()
            subprocess.run(cmd, cwd=REPO, check=True, env={**os.environ, "PYTHONPATH": str(REPO)})
            seconds = time.monotonic() - started
        stats = json.loads(stats_file.read_text())["stats"]
    return {"seconds": seconds, "responses": stats.get("response_received_count", 0),
            "articles": stats.get("item_scraped_count", 0), "days": days}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", default="prmn")
    parser.add_argument("--days", type=int, default=31)
    parser.add_argument("--per-day", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.25, help="seconds the server waits before each answer")
    args = parser.parse_args()
    figures = run(args.family, args.days, args.per_day, args.latency)
    seconds, days = figures["seconds"], figures["days"]
    year = seconds * 365 / days
    print(f"{args.family}: {days} days x {args.per_day} articles, server latency {args.latency:g} s, "
          "default politeness")
    print(f"  measured    : {seconds:.0f} s, {figures['responses']:.0f} responses, {figures['articles']:.0f} articles "
          f"({figures['responses'] / seconds:.1f} responses/s)")
    print(f"  extrapolated: one year of this portal ~ {year / 60:.0f} min ({year / 3600:.1f} h), "
          f"{figures['articles'] * 365 / days:,.0f} articles (x 365/{days}, same rate)")


if __name__ == "__main__":
    main()
