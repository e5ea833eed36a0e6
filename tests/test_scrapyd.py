"""Production, end to end: the egg deployed by the real scrapyd-deploy to a real Scrapyd, a job
started by ``newscrawl schedule --once``, and its articles arriving in a real S3-compatible server.

The second scheduled run of the same portal delivers nothing: every article is unchanged.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tests.conftest import SITES
from tests.servers import SCRAPYD_PASSWORD, SCRAPYD_USER

if TYPE_CHECKING:
    from tests.conftest import Deployed

EXPECTED = json.loads((SITES / "klikdemo" / "expected.json").read_text(encoding="utf-8"))
BUCKET = "scrapyd-e2e"


def schedule(config: Path, *flags: str, command: str = "schedule") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SCRAPYD_USERNAME": SCRAPYD_USER, "SCRAPYD_PASSWORD": SCRAPYD_PASSWORD}
    # As `python -m`, from this tree: the venv's console script may name another checkout.
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.ops.cli", command, "--config", str(config), *flags],
        capture_output=True, text=True, env=env, timeout=120, check=False, cwd=Path(__file__).resolve().parents[1],
    )


def started_job(output: str) -> str:
    match = re.search(r"^started demo on node a as job (\S+)$", output, re.MULTILINE)
    assert match, output
    return match[1]


def test_scrapyd_deploy_builds_and_uploads_the_egg(deployed: Deployed) -> None:
    for done in deployed.deploy_outputs:
        assert done.returncode == 0, done.stderr + done.stdout
        assert '"status": "ok"' in done.stdout
    for node in deployed.nodes:
        assert node.api("listversions.json", {"project": "newscrawl"})["versions"] == ["test"]
        assert node.api("listspiders.json", {"project": "newscrawl"})["spiders"] == ["kabar"]
    # scrapyd-deploy used the project's own setup.py shim, not a generated one named "project".
    assert (deployed.project / "setup.py").read_text(encoding="utf-8").count("setup()") == 1


def test_scheduled_crawl_delivers_every_article_to_s3_once(deployed: Deployed, klikdemo: str, tmp_path: Path) -> None:
    node = deployed.nodes[0]
    deployed.s3.create_bucket(BUCKET)
    config = tmp_path / "schedule.toml"
    config.write_text(f"""
state = "{tmp_path / 'schedule-state.json'}"
retries = 1
backoff = "0.1s"

[settings]
NEWSCRAWL_S3_URI = "s3://{BUCKET}/kabar"
NEWSCRAWL_STATE = "{tmp_path / 'state.sqlite'}"
NEWSCRAWL_SPOOL_DIR = "{tmp_path / 'spool'}"
NEWSCRAWL_BATCH_ITEMS = 5
AUTOTHROTTLE_ENABLED = false

[[node]]
name = "a"
url = "{node.url}"
username_env = "SCRAPYD_USERNAME"
password_env = "SCRAPYD_PASSWORD"

[[group]]
name = "demo"
start_urls = ["{klikdemo}/"]
network = "prmn"
interval = "1h"
""", encoding="utf-8")

    first = schedule(config, "--once")
    assert first.returncode == 0, first.stdout + first.stderr
    job = started_job(first.stdout)
    node.wait_finished(job)
    log = node.job_log(job)
    assert "(bot: newscrawl-deployed)" in log, "the job must run the deployed egg"
    assert "newscrawl summary" in log, log[-3000:]

    objects = deployed.s3.objects(BUCKET)
    assert objects, log[-3000:]
    key_format = r"kabar/demo/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-\d{5}\.jsonl"
    assert all(re.fullmatch(key_format, key) for key in objects), list(objects)
    articles = deployed.s3.articles(BUCKET)
    paths = [urlsplit(a["url"]).path for a in articles]
    assert sorted(paths) == sorted(EXPECTED), "every article served, each exactly once"
    assert all(len(a["content_hash"]) == 32 for a in articles)
    assert f"delivered to    : s3://{BUCKET}/kabar/demo/ ({len(EXPECTED)} articles" in log

    status = schedule(config, command="status")
    assert status.returncode == 0, status.stderr
    assert status.stdout.splitlines() == [
        f"node a ({node.url}): up, 0 pending, 0 running",
        f"group demo: job {job} on node a finished; due in 59m",
        "health of group demo: no portal flagged (1 portal)",
    ]

    # Not due yet: --once from cron starts nothing.
    again = schedule(config, "--once")
    assert again.returncode == 0
    assert re.fullmatch(r"nothing due; next group in (59m|1h)\n", again.stdout), again.stdout

    # Forced second run: same portal, nothing changed, nothing delivered.
    second = schedule(config, "--once", "--now")
    assert second.returncode == 0, second.stdout + second.stderr
    job2 = started_job(second.stdout)
    assert job2 != job
    node.wait_finished(job2)
    log2 = node.job_log(job2)
    assert f"unchanged={len(EXPECTED)}" in log2, log2[-3000:]
    assert deployed.s3.objects(BUCKET) == objects
