"""The README's first command: crawl the bundled offline demo portal and show what came out.

Serves tests/sites/klikdemo on 127.0.0.1 (a free port), runs the real
``scrapy crawl kabar -a start_urls=http://127.0.0.1:PORT/ -a network=prmn``, then prints where the
feed is and the first article in it. Nothing leaves this machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "sites"))

from serve import serving  # noqa: E402  (tests/sites is not a package)


def main() -> int:
    """Run the demo crawl; return the crawl's exit status."""
    feeds = REPO / "feeds" / "kabar"
    before = set(feeds.glob("*.jsonl")) if feeds.exists() else set()
    with serving(REPO / "tests" / "sites" / "klikdemo") as base:
        print(f"demo portal serving at {base}/", flush=True)
        cmd = [sys.executable, "-m", "scrapy", "crawl", "kabar", "-a", f"start_urls={base}/", "-a", "network=prmn"]
        print("running:", " ".join(cmd[2:]), flush=True)
        status = subprocess.call(cmd, cwd=REPO)  # noqa: S603 - our own interpreter and fixed arguments
    new = sorted(set(feeds.glob("*.jsonl")) - before) if feeds.exists() else []
    if status != 0 or not new:
        print(f"demo crawl failed (exit status {status})", file=sys.stderr)
        return status or 1
    feed = new[-1]
    lines = feed.read_text(encoding="utf-8").splitlines()
    print(f"\nfeed: {feed.relative_to(REPO)} ({len(lines)} articles, one JSON object a line)")
    first = json.loads(lines[0])
    preview = {k: first[k] for k in ("url", "title", "published_at", "dateline", "editor", "source", "pages", "tags")}
    print(json.dumps(preview, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
