"""Scrapy settings for newscrawl: framework wiring only (feeds, pipelines, politeness).

No portal or site data lives here (that is newscrawl/portals.toml and newscrawl/networks/).
Every value can be overridden with ``-s NAME=VALUE`` or, for Scrapyd, in the job's settings.
"""

import os

from newscrawl.items import EXPORT_FIELDS

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
# Our `crawl` command validates spider arguments before anything starts.
COMMANDS_MODULE = "newscrawl.commands"

# Who we are, and how a site owner reaches us (set NEWSCRAWL_CONTACT in the environment).
NEWSCRAWL_CONTACT = os.environ.get("NEWSCRAWL_CONTACT", "newscrawl operators")
USER_AGENT = f"newscrawl/0.1 (+news archive crawler; contact: {NEWSCRAWL_CONTACT})"

# Politeness: obey robots.txt, adapt to each server, few parallel requests per host.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
COOKIES_ENABLED = False
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
# Broad crawls: do not let one slow portal hold every download slot.
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
# Caps so that no trap (endless tag or calendar pagination) runs forever.
NEWSCRAWL_MAX_LISTING_DEPTH = 30
NEWSCRAWL_MAX_LISTINGS_PER_PORTAL = 2000

TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

ITEM_PIPELINES = {
    "newscrawl.pipelines.BoilerplatePipeline": 100,
    "newscrawl.pipelines.DatesPipeline": 200,
    "newscrawl.pipelines.ValidatePipeline": 300,
    "newscrawl.pipelines.SincePipeline": 400,
    "newscrawl.pipelines.DedupPipeline": 500,
    # Last, so that the cap counts only articles that would really be delivered.
    "newscrawl.pipelines.LimitPipeline": 900,
}
EXTENSIONS = {
    "newscrawl.summary.CrawlSummary": 100,
}

# Feeds: JSONL, UTF-8 (not \u-escaped), one article a line. The default feed is used only when
# no FEEDS are given (-o/-O, -s FEEDS=..., Scrapyd's items_dir): Scrapy merges FEEDS across
# priorities, so a default in FEEDS itself would be written beside every -O file.
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = list(EXPORT_FIELDS)
NEWSCRAWL_DEFAULT_FEED = os.environ.get("NEWSCRAWL_FEED_URI", "feeds/%(name)s/%(time)s.jsonl")

LOG_LEVEL = os.environ.get("NEWSCRAWL_LOG_LEVEL", "INFO")
