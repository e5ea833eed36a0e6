"""Scrapy settings for newscrawl: framework wiring only (feeds, pipelines, politeness).

No portal or site data lives here (that is newscrawl/portals.toml and newscrawl/networks/), and
no NEWSCRAWL_* setting either: those, with their defaults and environment variables, are read in
one place, newscrawl/config.py. Every value can be overridden with ``-s NAME=VALUE`` or, for
Scrapyd, in the job's settings.
"""

from newscrawl.config import Config
from newscrawl.items import EXPORT_FIELDS

# The defaults and the environment (NEWSCRAWL_CONTACT, NEWSCRAWL_LOG_LEVEL), as newscrawl/config.py reads them.
_PROJECT = Config.from_settings({})

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
# Our `crawl` command validates spider arguments before anything starts.
COMMANDS_MODULE = "newscrawl.commands"

# Who we are, and how a site owner reaches us (set NEWSCRAWL_CONTACT in the environment).
USER_AGENT = _PROJECT.user_agent

# Politeness: obey robots.txt, adapt to each server, few parallel requests per host.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# How many of one response's outputs (items and requests) Scrapy handles at once. A response yields
# one article at most and every pipeline is synchronous, so Scrapy's 100 buys nothing, and costs
# Scrapy 2.13+ 100 asyncio tasks per response (scrapy.utils.asyncio._parallel_asyncio): 0.5-0.6 CPU
# ms of a page's ~3 (benchmarks/run.py); 1 saves another ~0.03 ms over 8.
CONCURRENT_ITEMS = 1
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
# Scrapy's downloader, made to hold CONCURRENT_REQUESTS_PER_DOMAIN under the asyncio reactor.
DOWNLOADER = "newscrawl.compat.PoliteDownloader"
COOKIES_ENABLED = False
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
# Broad crawls: do not let one slow portal hold every download slot.
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
# Caps so that no trap (endless tag or calendar pagination) runs forever.
# (NEWSCRAWL_MAX_LISTING_DEPTH, 30, and NEWSCRAWL_MAX_LISTINGS_PER_PORTAL, 2000: newscrawl/config.py.)

TELNETCONSOLE_ENABLED = False
# Scrapy's memory stats collector without the deprecation shim of 2.13+ around every stats call
# (~1-2 % of a crawl's CPU): newscrawl/crawl/stats.py.
STATS_CLASS = "newscrawl.crawl.stats.StatsCollector"
REMOTE_CONTROL_ENABLED = False

# Hostile input gets a counted outcome (newscrawl/crawl/middlewares.py). Order numbers place each one
# around Scrapy's own: scope before robots.txt (100), the redirect guard before RedirectMiddleware
# (600) sees a 3xx, the response checks after retries (550) and decompression (590). Scrapy's
# RetryMiddleware is replaced, at its own 550, by its extension honouring Retry-After
# (newscrawl/crawl/retry.py; the longest wait is NEWSCRAWL_RETRY_AFTER_MAX), and MetaRefreshMiddleware,
# at its 580, by itself with a short cut for pages that cannot declare a refresh (newscrawl/crawl/refresh.py).
DOWNLOADER_MIDDLEWARES = {
    "newscrawl.crawl.middlewares.PortalScopeMiddleware": 40,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.crawl.retry.RetryAfterMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newscrawl.crawl.refresh.MetaRefreshMiddleware": 580,
    "newscrawl.crawl.middlewares.RedirectGuardMiddleware": 650,
    "newscrawl.crawl.middlewares.ResponseChecksMiddleware": 540,
}

ITEM_PIPELINES = {
    "newscrawl.delivery.pipelines.BoilerplatePipeline": 100,
    "newscrawl.delivery.pipelines.DatesPipeline": 200,
    "newscrawl.delivery.pipelines.ValidatePipeline": 300,
    "newscrawl.delivery.pipelines.SincePipeline": 400,
    "newscrawl.delivery.pipelines.DedupPipeline": 500,
    # Extraction health: every article read, before the incremental skip (newscrawl/delivery/health/).
    "newscrawl.delivery.health.collect.HealthPipeline": 550,
    # Incremental crawls: drop articles unchanged since delivered (newscrawl/delivery/state/).
    "newscrawl.delivery.pipelines.IncrementalPipeline": 600,
    # story_id and copy_of (newscrawl/delivery/stories/): after dedup, incremental and the cluster's claim
    # (800), so only an article this process delivers is assigned; before the cap.
    "newscrawl.delivery.stories.pipeline.StoryPipeline": 850,
    # Last, so that the cap counts only articles that would really be delivered.
    "newscrawl.delivery.pipelines.LimitPipeline": 900,
}
EXTENSIONS = {
    "newscrawl.delivery.summary.CrawlSummary": 100,
    "newscrawl.delivery.health.collect.HealthMonitor": 110,
    # Backfills: progress line, coverage per portal and day, deliveries in the journal.
    "newscrawl.delivery.coverage.BackfillCoverage": 120,
    # NEWSCRAWL_WARC: every response archived as WARC (off unless set; newscrawl/delivery/warc/).
    "newscrawl.delivery.warc.archive.WarcArchive": 200,
    # The objects of start-up kept out of every full garbage collection (newscrawl/crawl/memory.py).
    "newscrawl.crawl.memory.FreezeStartupObjects": 0,
}

# Feeds: JSONL, UTF-8 (not \u-escaped), one article a line. Which feeds a crawl writes (explicit
# -o/-O/FEEDS/Scrapyd's items_dir, the S3 feed, else the default local feed NEWSCRAWL_DEFAULT_FEED)
# is decided in one place, the add-on newscrawl/delivery/feeds/addon.py.
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = list(EXPORT_FIELDS)
# Scrapy's JSON lines exporter, which also tells the S3 feed's batches which article each line is.
FEED_EXPORTERS = {
    "jsonlines": "newscrawl.delivery.feeds.storage.JsonLinesExporter",
    "jsonl": "newscrawl.delivery.feeds.storage.JsonLinesExporter",
}

# Incremental crawls and S3 delivery (newscrawl/delivery/state/, newscrawl/delivery/feeds/). Their
# settings -- the crawl state, the S3 URI and feed group, the spool directory, the batch size and age,
# the upload attempts -- are read with their defaults and environment variables in newscrawl/config.py.
# AWS credentials come only from the environment (AWS_ACCESS_KEY_ID, ...); AWS_ENDPOINT_URL
# (environment or setting) points at an S3-compatible store.
FEED_STORAGES = {"s3": "newscrawl.delivery.feeds.storage.SpoolingS3FeedStorage"}
ADDONS = {"newscrawl.delivery.feeds.addon.FeedsAddon": 0, "newscrawl.ops.cluster.addon.ClusterAddon": 0}

# Cluster mode (newscrawl/ops/cluster/): redis://host:port/db makes this process one of several that
# share a frontier (queue, duplicate filter, seeding, article claims) on that Redis; the crawl
# state must then be shared too (NEWSCRAWL_STATE=redis://...). Processes meet in a group:
# NEWSCRAWL_CLUSTER_GROUP, else NEWSCRAWL_FEED_GROUP, else one per spider arguments. A process that
# stops renewing its lease for NEWSCRAWL_CLUSTER_LEASE seconds is presumed dead and its requests requeued.

# JS rendering (newscrawl/crawl/render/policy.py). The browser download handler is NOT installed here: the
# spider installs it at start-up only when some target may need JS, so plain crawls never start
# Playwright or Chromium. These values only matter once it is installed.
# Debian's Chromium (`playwright install` cannot download browsers on our machines).
# NEWSCRAWL_CHROMIUM (the executable), NEWSCRAWL_RENDER_PORTALS (portal ids rendered on top of
# `render = "js"` in portals.toml), NEWSCRAWL_RENDER_QUIET_MS / _SETTLE_MS (a page has settled when
# nothing changed and no request was in flight for QUIET_MS; no wait lasts longer than SETTLE_MS)
# and NEWSCRAWL_RENDER_PAGES_PER_CONTEXT: newscrawl/config.py.
# Memory caps (scrapy-playwright issues #126, #240): pages close as soon as their HTML is read; a
# context serves NEWSCRAWL_RENDER_PAGES_PER_CONTEXT pages, then a fresh one takes over and the old
# one is closed once idle (newscrawl/crawl/render/handler.py); at most 2 contexts and 8 pages per
# context are open at once.
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {"headless": True}  # executable_path is set from NEWSCRAWL_CHROMIUM
PLAYWRIGHT_MAX_CONTEXTS = 2
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 8
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
# Images, fonts and media are never downloaded by the browser.
PLAYWRIGHT_ABORT_REQUEST = "newscrawl.crawl.render.policy.abort_request"

LOG_LEVEL = _PROJECT.log_level
# Scrapy's log lines; the per-page and per-article DEBUG ones are not built when LOG_LEVEL hides them.
LOG_FORMATTER = "newscrawl.crawl.logformat.QuietLogFormatter"
