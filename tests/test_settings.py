"""The defaults protect the sites and the user: politeness, caps, no remote control, no credentials anywhere.

Settings are read the way `scrapy crawl` reads them (the project settings module); credentials are
looked for in every file of the repository (tracked or about to be) and in what a real crawl writes
(log, feed, stats) while secrets sit in its environment.
"""

from __future__ import annotations

import configparser
import gc
import json
import logging
import os
import re
import secrets
import subprocess
import sys
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import pytest
from scrapy import Request, Spider, signals
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.http import HtmlResponse
from scrapy.logformatter import LogFormatter
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from newscrawl.config import Config
from newscrawl.crawl.logformat import QuietLogFormatter
from newscrawl.crawl.memory import YOUNG_THRESHOLD, FreezeStartupObjects
from newscrawl.crawl.stats import StatsCollector
from tests.conftest import REPO, run_kabar

if TYPE_CHECKING:
    from pathlib import Path

# Shapes of real credentials, as data; each one is shown firing in test_credential_patterns_fire.
CREDENTIAL_PATTERNS: dict[str, re.Pattern[str]] = {
    "aws_access_key_id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "aws_secret_access_key": re.compile(
        r"(?i)aws_secret_access_key\W{0,3}\s*[:=]\s*[\"']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])",
    ),
    "private_key": re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"),
    "github_token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "slack_token": re.compile(r"\bxox[abposr]-[0-9A-Za-z-]{10,}"),
    "google_api_key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    # A password written into a config file, instead of the ${ENV_VAR} that scrapyd-deploy expands.
    "config_password": re.compile(r"(?im)^[ \t]*(?:password|passwd|secret|token)[ \t]*[=:][ \t]*(?!\$\{)[^\s#;]+"),
}
CONFIG_SUFFIXES = (".cfg", ".ini", ".conf", ".env", ".toml", ".yml", ".yaml")
BINARY_SUFFIXES = (".gz", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".sqlite", ".pdf", ".zip")


def _project_settings(env: dict[str, str] | None = None) -> dict[str, Any]:
    """The settings `scrapy crawl` would use, read in a fresh interpreter (settings.py reads the environment)."""
    code = (
        "import json; from scrapy.utils.project import get_project_settings; "
        "print(json.dumps(get_project_settings().copy_to_dict(), default=str))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
        env={**_clean_env(), **(env or {})},
    )
    return json.loads(proc.stdout)


def _clean_env() -> dict[str, str]:
    """The environment without newscrawl's own variables, so that defaults are what is read."""
    return {k: v for k, v in os.environ.items() if not k.startswith("NEWSCRAWL_")}


@pytest.fixture(scope="module")
def settings() -> dict[str, Any]:
    return _project_settings()


def test_robots_txt_is_obeyed(settings: dict[str, Any]) -> None:
    assert settings["ROBOTSTXT_OBEY"] is True


def test_no_remote_control(settings: dict[str, Any]) -> None:
    assert settings["TELNETCONSOLE_ENABLED"] is False
    assert settings["REMOTE_CONTROL_ENABLED"] is False


def test_sizes_and_time_are_capped(settings: dict[str, Any]) -> None:
    assert 0 < int(settings["DOWNLOAD_MAXSIZE"]) <= 32 * 1024 * 1024
    assert 0 < int(settings["DOWNLOAD_WARNSIZE"]) < int(settings["DOWNLOAD_MAXSIZE"])
    assert 0 < float(settings["DOWNLOAD_TIMEOUT"]) <= 60
    assert 0 < int(settings["REDIRECT_MAX_TIMES"]) <= 10
    assert 1 <= int(settings["RETRY_TIMES"]) <= 5


def test_no_trap_runs_forever(settings: dict[str, Any]) -> None:
    config = Config.from_settings(settings, {})  # the project's settings, no environment
    assert 0 < config.max_listing_depth <= 100
    assert 0 < config.max_listings_per_portal <= 10_000


def test_each_host_is_treated_politely(settings: dict[str, Any]) -> None:
    assert settings["AUTOTHROTTLE_ENABLED"] is True
    assert float(settings["AUTOTHROTTLE_START_DELAY"]) > 0
    assert float(settings["AUTOTHROTTLE_TARGET_CONCURRENCY"]) <= int(settings["CONCURRENT_REQUESTS_PER_DOMAIN"])
    assert 1 <= int(settings["CONCURRENT_REQUESTS_PER_DOMAIN"]) <= 8
    assert settings["COOKIES_ENABLED"] is False


def test_user_agent_names_a_contact(settings: dict[str, Any]) -> None:
    default = settings
    assert "newscrawl" in default["USER_AGENT"]
    assert "contact:" in default["USER_AGENT"]
    contact = "mailto:ops@newscrawl.invalid"
    assert contact in _project_settings({"NEWSCRAWL_CONTACT": contact})["USER_AGENT"]


def test_feeds_are_utf8(settings: dict[str, Any]) -> None:
    assert settings["FEED_EXPORT_ENCODING"].lower().replace("-", "") == "utf8"


def test_hostile_input_middlewares_are_on(settings: dict[str, Any]) -> None:
    enabled = settings["DOWNLOADER_MIDDLEWARES"]
    for name in ("PortalScopeMiddleware", "RedirectGuardMiddleware", "ResponseChecksMiddleware"):
        assert enabled.get(f"newscrawl.crawl.middlewares.{name}") is not None, name
    order = {k.rsplit(".", 1)[1]: v for k, v in enabled.items()}
    # Scope before robots.txt (100); the guard sees a 3xx before RedirectMiddleware (600); checks after Retry (550).
    assert order["PortalScopeMiddleware"] < 100
    assert order["RedirectGuardMiddleware"] > 600
    assert order["ResponseChecksMiddleware"] < 550


def test_meta_refresh_is_scrapys_with_its_short_cut(settings: dict[str, Any]) -> None:
    enabled = settings["DOWNLOADER_MIDDLEWARES"]
    assert enabled["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None
    assert enabled["newscrawl.crawl.refresh.MetaRefreshMiddleware"] == 580  # Scrapy's own place


def test_the_cycle_collector_is_set_for_the_crawl_and_restored_after() -> None:
    # newscrawl/crawl/memory.py: start-up objects frozen, the young generation collected less often.
    crawler = get_crawler(settings_dict={"MEMUSAGE_ENABLED": False})
    before = gc.get_threshold()
    extension = FreezeStartupObjects.from_crawler(crawler)  # held: signals keep weak references
    crawler.signals.send_catch_log(signals.engine_started)
    try:
        assert gc.get_threshold() == (YOUNG_THRESHOLD, *before[1:])
        assert gc.get_freeze_count() > 0
    finally:
        crawler.signals.send_catch_log(signals.engine_stopped)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    del extension


def test_the_stats_collector_keeps_every_stat_as_scrapys_own(settings: dict[str, Any]) -> None:
    # newscrawl/crawl/stats.py: Scrapy's MemoryStatsCollector reached without its deprecation shim.
    assert settings["STATS_CLASS"] == "newscrawl.crawl.stats.StatsCollector"
    spider = Spider("kabar")
    collectors = []
    for cls in (MemoryStatsCollector, StatsCollector):
        crawler = get_crawler(settings_dict={"STATS_DUMP": False})
        crawler.spider = spider  # the spider whose stats are kept at close
        stats = cls(crawler)
        stats.open_spider()
        stats.set_value("start", 1)
        stats.inc_value("pages")
        stats.inc_value("pages", 2)
        stats.inc_value("bytes", 10, start=5)
        stats.max_value("depth", 3)
        stats.max_value("depth", 1)
        stats.min_value("first", 7)
        stats.min_value("first", 4)
        with pytest.warns(ScrapyDeprecationWarning) if cls is MemoryStatsCollector else nullcontext():
            stats.inc_value("old_style", spider=spider)  # still accepted; only Scrapy's own warns
        assert stats.get_value("missing", "default") == "default"
        stats.close_spider(reason="finished")
        collectors.append(stats)
    scrapys, ours = collectors
    assert ours.get_stats() == scrapys.get_stats() == {
        "start": 1, "pages": 3, "bytes": 15, "depth": 3, "first": 4, "old_style": 1,
    }
    assert ours.spider_stats == scrapys.spider_stats == {"kabar": scrapys.get_stats()}


@pytest.mark.parametrize(
    ("level", "built"), [("DEBUG", True), (logging.DEBUG, True), ("INFO", False), ("ERROR", False)],
)
def test_debug_lines_are_built_only_for_a_log_that_shows_them(
    settings: dict[str, Any], level: str | int, built: bool,
) -> None:
    assert settings["LOG_FORMATTER"] == "newscrawl.crawl.logformat.QuietLogFormatter"
    formatter = QuietLogFormatter.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": level}))
    request = Request("http://portal.example/a", headers={"Referer": "http://portal.example/"})
    response = HtmlResponse(request.url, request=request, body=b"<html></html>")
    item, spider, scrapy_own = {"url": request.url}, Spider("kabar"), LogFormatter()
    crawled, scraped = scrapy_own.crawled(request, response, spider), scrapy_own.scraped(item, response, spider)
    assert formatter.crawled(request, response, spider) == (crawled if built else None)
    assert formatter.scraped(item, response, spider) == (scraped if built else None)


def test_scrapyd_credentials_come_from_the_environment() -> None:
    config = configparser.ConfigParser(interpolation=None)
    config.read(REPO / "scrapy.cfg")
    targets = [s for s in config.sections() if s.startswith("deploy")]
    assert targets
    for section in targets:
        for key in ("username", "password"):
            if config.has_option(section, key):
                assert re.fullmatch(r"\$\{[A-Z_]+\}", config.get(section, key)), (section, key)


def _scan(text: str, path: str) -> list[str]:
    found = []
    for name, pattern in CREDENTIAL_PATTERNS.items():
        if name == "config_password" and not path.endswith(CONFIG_SUFFIXES):
            continue
        found.extend(f"{path}: {name}" for _ in pattern.finditer(text))
    return found


def _repo_files() -> list[Path]:
    proc = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO, capture_output=True, check=True,
    )
    names = [n for n in proc.stdout.decode().split("\0") if n]
    return [REPO / n for n in names if not n.endswith(BINARY_SUFFIXES) and (REPO / n).is_file()]


def test_credential_patterns_fire() -> None:
    """Every pattern finds the credential shape it is for (built here, so this file holds none)."""
    planted = {
        "aws_access_key_id": "key = " + "AKIA" + "IOSFODNN7EXAMPLE",
        "aws_secret_access_key": "aws_secret_access_key = " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY",
        "private_key": "-----BEGIN " + "RSA PRIVATE KEY-----",
        "github_token": "ghp_" + "a" * 36,
        "slack_token": "xoxb-" + "1234567890-abcdef",
        "google_api_key": "AIza" + "b" * 35,
        "config_password": "[deploy]\npassword = " + "hunter2",
    }
    for name, text in planted.items():
        assert _scan(text, "x.cfg") == [f"x.cfg: {name}"], name
    assert _scan("[deploy]\npassword = ${SCRAPYD_PASSWORD}\npassword =\nusername = ops\n", "scrapy.cfg") == []


def test_no_credentials_in_the_repository() -> None:
    files = _repo_files()
    assert any(f.name == "settings.py" for f in files)
    found = []
    for path in files:
        text = path.read_bytes()[:2_000_000].decode("utf-8", errors="replace")
        found.extend(_scan(text, str(path.relative_to(REPO))))
    assert found == []


def test_secrets_in_the_environment_never_reach_log_feed_or_stats(klikdemo: str, tmp_path: Path) -> None:
    secret_env = {
        name: f"sekrit-{secrets.token_hex(8)}"
        for name in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "SCRAPYD_PASSWORD", "NEWSCRAWL_S3_SECRET")
    }
    secret_env["AWS_ACCESS_KEY_ID"] = "AKIA" + secrets.token_hex(8).upper()
    result = run_kabar(
        tmp_path, args={"start_urls": f"{klikdemo}/", "network": "prmn", "max_articles": "3"}, env=secret_env,
    )
    assert result.returncode == 0, result.log[-2000:]
    assert result.items
    assert "Overridden settings" in result.log  # the settings dump, where a leaked secret would show
    written = [result.log, json.dumps(result.items), json.dumps(result.stats, default=str)]
    written += [p.read_text(encoding="utf-8", errors="replace") for p in tmp_path.rglob("*") if p.is_file()]
    for name, value in secret_env.items():
        assert not [text for text in written if value in text], name
    project = json.dumps(_project_settings(secret_env))
    assert not [name for name, value in secret_env.items() if value in project]


@pytest.mark.parametrize("name", ["AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SESSION_TOKEN"])
@pytest.mark.parametrize("s3", [False, True])
def test_a_credential_given_as_a_setting_is_refused_in_one_line(name: str, s3: bool, tmp_path: Path) -> None:
    secret = f"sekrit-{secrets.token_hex(8)}"
    settings = {name: secret, **({"NEWSCRAWL_S3_URI": "s3://bucket/kabar"} if s3 else {})}
    result = run_kabar(tmp_path, {"start_urls": "http://127.0.0.1:9/"}, settings)
    assert result.returncode == 2
    lines = result.log.strip().splitlines()
    assert len(lines) == 1, result.log
    assert lines[0].startswith(f"error: {name} is set as a Scrapy setting")
    assert secret not in result.log
    assert not result.items
