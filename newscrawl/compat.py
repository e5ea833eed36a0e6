"""Every use of a private internal of Scrapy, scrapy-redis or scrapy-playwright, in one place.

What it is for
    Frameworks have no public hook for a few things newscrawl needs: counting a request as
    transferring when it leaves a download slot's queue (politeness under the asyncio reactor),
    holding one host's download slot, or failing what waits in it (Retry-After),
    seeing which requests the engine still holds and waking it (cluster mode), flushing the feed
    exporter's open files (cluster mode, backfills), the names of Scrapy's files in a JOBDIR (a
    backfill resets them after a crash), and closing one browser context of scrapy-playwright
    (context recycling). Each such use is a small function or class here, and `problems()` checks
    every one of them against the installed versions, so that a release that renames one stops
    the crawl at start-up with one line naming what broke, not mid-crawl.

What it must never do
    Hold any behaviour of its own beyond reaching the internal; be imported for a private name by
    any other module (they call the functions here).
"""

from __future__ import annotations

import dataclasses
import inspect
import shutil
from importlib import metadata
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.asyncio import call_later

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine
    from pathlib import Path

    from scrapy import Request
    from scrapy.crawler import Crawler
    from twisted.internet.defer import Deferred

# The versions each use was written and tested against (the one-line errors name them).
TESTED = {"scrapy": "2.13-2.19", "scrapy-playwright": "0.0.48-0.0.x", "scrapy-redis": "0.9"}


class CompatError(RuntimeError):
    """An internal newscrawl relies on is missing from an installed framework; one line."""


def _broken(package: str, what: str) -> str:
    try:
        installed = metadata.version(package)
    except metadata.PackageNotFoundError:
        installed = "not installed"
    return (
        f"{package} {installed} has no {what} (newscrawl was written for {package} {TESTED[package]}); "
        "pin the tested version or update newscrawl/compat.py"
    )


# --- Scrapy's downloader: CONCURRENT_REQUESTS_PER_DOMAIN under the asyncio reactor ----------------


class PoliteDownloader(Downloader):
    """DOWNLOADER: Scrapy's downloader, counting a request as transferring as soon as it is dequeued.

    Scrapy 2.19's downloader takes requests off a slot's queue while the slot has fewer than
    ``CONCURRENT_REQUESTS_PER_DOMAIN`` requests *transferring*, but a request only counts as
    transferring once its download task first runs, and under the asyncio reactor that is on a
    later turn of the event loop. With no download delay (AutoThrottle off, DOWNLOAD_DELAY 0) one
    pass therefore starts the whole queue at once: measured, 18 requests at a time against one
    portal whose limit was 4. Here a request counts from the moment it leaves the queue.
    """

    def _wait_for_download(
        self, slot: Slot, request: Request, queue_dfd: Deferred[Any],
    ) -> Coroutine[Any, Any, None]:
        # Not a coroutine function: this line runs when the request leaves the queue, before the
        # next request is considered. The download adds it again (a set) and removes it when done.
        slot.transferring.add(request)
        return super()._wait_for_download(slot, request, queue_dfd)


def _downloader_problem() -> str | None:
    method = getattr(Downloader, "_wait_for_download", None)
    if method is None or list(inspect.signature(method).parameters)[1:] != ["slot", "request", "queue_dfd"]:
        return _broken("scrapy", "Downloader._wait_for_download(slot, request, queue_dfd)")
    return None


# --- Scrapy's downloader: holding one host's download slot (Retry-After) ---------------------------


def _slot_of(crawler: Crawler, request: Request) -> tuple[Downloader, Slot]:
    assert crawler.engine is not None  # noqa: S101 - only called while the crawl runs
    downloader = crawler.engine.downloader
    _key, slot = downloader._get_slot(request)  # noqa: SLF001
    return downloader, slot


def hold_download_slot(crawler: Crawler, request: Request, seconds: float) -> None:
    """Start no request of `request`'s download slot for `seconds`; downloads already sent go on.

    A slot already has the mechanism, for DOWNLOAD_DELAY: while its pending call (``latercall``)
    has not fired, its queue does not move. The hold replaces that call by one firing after
    `seconds`; then the queue goes on at the slot's usual pace. So AutoThrottle, which adjusts the
    slot's delay, and the delay's random jitter (RANDOMIZE_DOWNLOAD_DELAY) never shorten a hold.
    """
    downloader, slot = _slot_of(crawler, request)
    if slot.latercall is not None:
        slot.latercall.cancel()
    slot.latercall = call_later(seconds, downloader._latercall, slot)  # noqa: SLF001


def fail_queued_downloads(crawler: Crawler, request: Request, error: Callable[[Request], Exception]) -> int:
    """Fail every request waiting in `request`'s download slot, not yet sent, with `error(it)`; how many."""
    _downloader, slot = _slot_of(crawler, request)
    failed = 0
    while slot.queue:
        queued, deferred = slot.queue.popleft()
        deferred.errback(error(queued))
        failed += 1
    return failed


def _slot_hold_problem() -> str | None:
    slot_fields = {f.name for f in dataclasses.fields(Slot)}
    enqueue = getattr(Downloader, "_enqueue_request", None)
    if (
        not {"latercall", "queue"} <= slot_fields
        or not callable(getattr(Downloader, "_get_slot", None))
        or not callable(getattr(Downloader, "_latercall", None))
        or enqueue is None
        or "slot.queue.append((request, d))" not in inspect.getsource(enqueue)
    ):
        what = "Downloader._get_slot/_latercall with Slot.latercall and Slot.queue of (request, deferred)"
        return _broken("scrapy", what)
    return None


# --- Scrapy's engine and feed exporter: cluster mode ----------------------------------------------


def _engine_slot(crawler: Crawler) -> Any:  # ExecutionEngine._slot, and on it inprogress and nextcall
    slot = getattr(crawler.engine, "_slot", None)
    if slot is None or not hasattr(slot, "inprogress") or not hasattr(slot, "nextcall"):
        raise CompatError(_broken("scrapy", "ExecutionEngine._slot.inprogress/_slot.nextcall"))
    return slot


def engine_in_progress(crawler: Crawler) -> set[Request]:
    """Requests the engine is downloading or whose callbacks' output it is still processing."""
    return _engine_slot(crawler).inprogress  # type: ignore[no-any-return]


def engine_wake(crawler: Crawler) -> None:
    """Make the engine ask the scheduler for requests again now, not at its 5 s heartbeat."""
    _engine_slot(crawler).nextcall.schedule()


def engine_problem(crawler: Crawler) -> str | None:
    """One line if the running engine lacks the internals cluster mode needs, else None."""
    try:
        _engine_slot(crawler)
    except CompatError as exc:
        return str(exc)
    return None


def flush_feed_files(crawler: Crawler) -> None:
    """Push every open feed file's buffered lines to the kernel (they then survive the process)."""
    from scrapy.extensions.feedexport import FeedExporter  # noqa: PLC0415 - cluster mode only

    assert crawler.extensions is not None  # noqa: S101 - built before any item
    for extension in crawler.extensions.middlewares:
        if isinstance(extension, FeedExporter):
            for slot in extension.slots:
                if slot.file is not None and not getattr(slot.file, "closed", False):
                    slot.file.flush()


def _feed_problem() -> str | None:
    from scrapy.extensions.feedexport import FeedExporter, FeedSlot  # noqa: PLC0415

    if "self.slots" not in inspect.getsource(FeedExporter.__init__) or "self.file" not in inspect.getsource(FeedSlot):
        return _broken("scrapy", "FeedExporter.slots of FeedSlot(file=...)")
    return None


# --- scrapy-playwright: closing one browser context -----------------------------------------------


def browser_context(handler: Any, name: str) -> Any | None:
    """The Playwright BrowserContext scrapy-playwright keeps under `name`, if it is open."""
    wrapper = handler.context_wrappers.get(name)
    return None if wrapper is None else wrapper.context


# --- Scrapy's JOBDIR: the scheduler's queue and the duplicate filter's fingerprints (backfills) -----


# What Scrapy keeps in a JOBDIR besides spider.state: written whole only when a crawl stops cleanly.
_JOB_QUEUE, _JOB_SEEN = "requests.queue", "requests.seen"


def reset_job_queue(jobdir: Path) -> bool:
    """Forget Scrapy's request queue and seen fingerprints in `jobdir`; True if there was any.

    After a crash (SIGKILL) the fingerprints name requests whose queue was never saved: kept, they
    would stop the restarted crawl from ever fetching those requests again.
    """
    queue, seen = jobdir / _JOB_QUEUE, jobdir / _JOB_SEEN
    found = queue.exists() or seen.exists()
    shutil.rmtree(queue, ignore_errors=True)
    seen.unlink(missing_ok=True)
    return found


def _jobdir_problem() -> str | None:
    from scrapy.core.scheduler import Scheduler  # noqa: PLC0415
    from scrapy.dupefilters import RFPDupeFilter  # noqa: PLC0415

    sources = inspect.getsource(Scheduler) + inspect.getsource(RFPDupeFilter)
    if f'"{_JOB_QUEUE}"' not in sources or f'"{_JOB_SEEN}"' not in sources:
        return _broken("scrapy", f"JOBDIR files {_JOB_QUEUE}/ and {_JOB_SEEN}")
    return None


def _playwright_problem() -> str | None:
    try:
        from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler  # noqa: PLC0415
    except ImportError:
        return _broken("scrapy-playwright", "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler")
    if "context_wrappers" not in inspect.getsource(ScrapyPlaywrightDownloadHandler):
        return _broken("scrapy-playwright", "ScrapyPlaywrightDownloadHandler.context_wrappers")
    return None


# --- scrapy-redis: its request serializer (cluster mode) -------------------------------------------


def encode_request(queue: Any, request: Request) -> bytes:
    """`request` as a scrapy-redis queue stores it (its private serializer: pickled ``Request.to_dict``)."""
    return queue._encode_request(request)  # type: ignore[no-any-return] # noqa: SLF001


def decode_request(queue: Any, blob: bytes) -> Request:
    """The request a scrapy-redis queue stored as `blob`."""
    return queue._decode_request(blob)  # type: ignore[no-any-return] # noqa: SLF001


def _redis_problem() -> str | None:
    from scrapy_redis.queue import Base  # noqa: PLC0415 - cluster mode only

    if not (hasattr(Base, "_encode_request") and hasattr(Base, "_decode_request")):
        return _broken("scrapy-redis", "queue.Base._encode_request/_decode_request")
    return None


def problems(*, cluster: bool = False) -> list[str]:
    """Every internal above that the installed frameworks no longer have, one line each.

    The engine's internals exist only once a crawl runs: cluster mode checks them when a process
    joins its group (`engine_problem`).
    """
    checks = [_downloader_problem(), _slot_hold_problem(), _feed_problem(), _jobdir_problem(), _playwright_problem()]
    if cluster:
        checks.append(_redis_problem())
    return [p for p in checks if p]
