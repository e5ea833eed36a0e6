"""The WARC archive of a crawl: every response the downloader returns, written as it arrives.

``NEWSCRAWL_WARC=DIR`` or ``s3://BUCKET/prefix`` (setting or environment variable) turns it on.
Every response of the crawl -- articles, listings, sitemaps, robots.txt, redirects, errors; for a
page read through Chromium, the rendered HTML -- becomes a response record and its request record
(records.py), appended to ``<group>/<group>-<time>-<crawl>-<NNNNN>.warc.gz`` under the destination
(``<group>`` and ``<time>`` as the S3 feed names its keys, newscrawl/delivery/feeds/naming.py;
``<crawl>`` six random hex digits, so that two crawls of a group started in the same second never
write the same file or S3 key).
A file is closed and the next one opened once it reaches ``NEWSCRAWL_WARC_MAX_SIZE`` bytes.

Where an article's page is: the archive puts ``<file name>#<offset>`` of the page's response record
in the request's meta (`newscrawl.items.WARC_META`); the spider copies page 1's into the article's
``warc`` field. File names are unique (group, crawl start, cluster mark, crawl, serial), so the pointer
stays valid wherever the files are moved.

Each record pair is one write of whole gzip members, flushed at once: a crawl killed at any moment
leaves whole records. To S3, files go through a spool exactly as the S3 feed's batches do
(newscrawl/delivery/feeds/spool.py, in ``<NEWSCRAWL_SPOOL_DIR>/.warc``): written as
``<key>.<run>.part``, fsynced and renamed to ``<key>`` when closed, uploaded by the feed's
`S3Uploader` (a PUT of a fixed key: repeating it never duplicates a record), then deleted. An upload
that fails leaves the file spooled; it is retried after the crawl's next successful upload and at
its end, and every crawl starts by finishing what killed crawls left: a ``.part`` of a dead run is
cut after its last whole record and uploaded, so a kill loses no record that was written.

This module must never change a response, decide what is fetched, or stop a crawl: a record that
cannot be written is counted (``newscrawl/errors/warc_write_failed``) and the crawl goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import run_in_thread

from newscrawl.config import Config
from newscrawl.delivery.feeds.naming import DeliveryConfigError, split_s3, uri_params
from newscrawl.delivery.feeds.s3 import S3Uploader
from newscrawl.delivery.feeds.spool import Spool
from newscrawl.delivery.warc.reader import cut_after_whole_records
from newscrawl.delivery.warc.records import Exchange, exchange_bytes, warcinfo_bytes
from newscrawl.items import WARC_META

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from scrapy.spiders import Spider

logger = logging.getLogger(__name__)

# The WARC spool inside NEWSCRAWL_SPOOL_DIR (a name no bucket can have: the feed's spool skips it).
SPOOL_NAME = ".warc"
SUFFIX = ".warc.gz"


def destination_problem(value: str) -> str | None:
    """Why ``NEWSCRAWL_WARC=value`` cannot be used (one line), else None. Creates a local directory."""
    if value.startswith("s3:"):
        try:
            split_s3(value.rstrip("/") + "/x")
        except DeliveryConfigError as exc:
            return f"NEWSCRAWL_WARC: {exc}"
        return None
    root = Path(value)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"NEWSCRAWL_WARC={value}: cannot create the directory ({exc.strerror or exc})"
    if not os.access(root, os.W_OK | os.X_OK):
        return f"NEWSCRAWL_WARC={value}: the directory is not writable"
    return None


@dataclass
class _File:
    """The WARC file being written."""

    name: str
    path: Path
    file: IO[bytes]
    size: int = 0


class WarcArchive:
    """Extension: write every downloaded response to WARC files (local directory, or S3 through a spool)."""

    def __init__(self, crawler: Crawler, destination: str) -> None:
        config = Config.of(crawler)
        self.crawler = crawler
        self.stats = crawler.stats
        self.destination = destination.rstrip("/")
        self.max_size = config.warc_max_size
        self.user_agent = config.user_agent
        self.spool = Spool(Path(config.spool_dir) / SPOOL_NAME) if destination.startswith("s3:") else None
        self.uploader = (
            S3Uploader(self.spool, crawler.settings, max(1, config.s3_attempts), "application/warc")
            if self.spool is not None else None
        )
        self._prefix = ""  # <group>/<group>-<time>-<crawl>, set when the spider opens
        self._serial = 0
        self._current: _File | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._spooled: list[Path] = []  # this crawl's closed files still waiting for S3
        self._retrying = False
        crawler.signals.connect(self._opened, signal=signals.spider_opened)
        crawler.signals.connect(self._downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)
        if self.spool is not None:
            crawler.signals.connect(self.spool.close, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """The archive, when NEWSCRAWL_WARC is set."""
        destination = Config.of(crawler).warc
        if not destination:
            raise NotConfigured("NEWSCRAWL_WARC is not set")
        return cls(crawler, destination)

    # --- writing -------------------------------------------------------------------------------

    async def _opened(self, spider: Spider) -> None:
        names = uri_params({}, spider)
        self._prefix = f"{names['group']}/{names['group']}-{names['time']}-{secrets.token_hex(3)}"
        self._count("warc/records", 0)
        logger.info("WARC archive: %s (files of %d bytes at most)", self.destination, self.max_size)
        if self.spool is not None:
            await self._recover()

    def _downloaded(self, response: Response, request: Request, spider: Spider) -> None:  # noqa: ARG002
        """Archive one response (signal response_downloaded: as the download handler returned it)."""
        exchange = Exchange(
            url=response.url,
            method=request.method,
            request_headers=_decoded(request.headers),
            status=response.status,
            protocol=response.protocol or "HTTP/1.1",
            headers=_decoded(response.headers),
            body=response.body,
            ip_address=str(response.ip_address) if response.ip_address else None,
            kind=(request.meta.get("kabar") or {}).get("kind"),
            rendered=bool(request.meta.get("playwright")),
        )
        data = exchange_bytes(exchange).data
        try:
            current = self._file()
            offset = current.size
            _write_whole(current, data)
        except OSError as exc:
            self._count("errors/warc_write_failed")
            logger.warning("could not archive %s (%s); the crawl goes on", response.url, exc)
            return
        request.meta[WARC_META] = f"{current.name}#{offset}"
        self._count("warc/records")
        self._count("warc/bytes", len(data))
        if current.size >= self.max_size:
            self._rotate()

    def _file(self) -> _File:
        """The file being written, opened (with its warcinfo record) when there is none."""
        if self._current is not None:
            return self._current
        self._serial += 1
        relative = f"{self._prefix}-{self._serial:05d}{SUFFIX}"
        name = relative.rsplit("/", 1)[1]
        if self.spool is not None:
            path, file = self.spool.open_part(f"{self.destination}/{relative}")
        else:
            path = Path(self.destination) / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            file = path.open("xb")
        opened = _File(name, path, file)
        info = {
            "software": f"newscrawl/0.1 (warcio {version('warcio')})",
            "format": "WARC File Format 1.0",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.0/",
            "http-header-user-agent": self.user_agent,
            "robots": "obey",
        }
        try:
            _write_whole(opened, warcinfo_bytes(name, info))
        except OSError:
            file.close()
            raise
        self._current = opened
        self._count("warc/files")
        return opened

    def _rotate(self) -> None:
        """Close the current file; to S3, seal it in the spool and start its upload."""
        current, self._current = self._current, None
        if current is None:
            return
        try:
            os.fsync(current.file.fileno())
            current.file.close()
            if self.spool is None:
                return
            sealed = self.spool.advance(self.spool.advance(current.path))
        except OSError as exc:
            self._count("errors/warc_write_failed")
            logger.error("could not close WARC file %s (%s)", current.path, exc)  # noqa: TRY400 - one line, no traceback
            return
        task = asyncio.get_event_loop().create_task(self._deliver(sealed))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _closed(self, spider: Spider) -> None:  # noqa: ARG002 - signal signature
        """At the end of the crawl: close the last file, wait for the uploads, retry the spooled."""
        self._rotate()
        while self._tasks:
            await asyncio.gather(*list(self._tasks))
        if self._spooled:
            await self._retry_spooled()
        self._report()

    # --- S3 ------------------------------------------------------------------------------------

    async def _upload(self, path: Path) -> str | None:
        assert self.uploader is not None  # noqa: S101 - only S3 archives upload
        return await run_in_thread(self.uploader.upload, path)

    async def _deliver(self, path: Path) -> None:
        error = await self._upload(path)
        if error is not None:
            self._spooled.append(path)
            self._count("warnings/warc_upload_failed")
            logger.warning("WARC upload of %s failed (%s); it is spooled and will be uploaded later", path.name, error)
            return
        self._count("warc/uploaded")
        logger.info("archived %s", self._uri(path))
        if self._spooled and not self._retrying:
            await self._retry_spooled()

    async def _retry_spooled(self) -> None:
        """Upload this crawl's spooled files again, oldest first, stopping at the first failure."""
        self._retrying = True
        try:
            while self._spooled:
                error = await self._upload(self._spooled[0])
                if error is not None:
                    logger.info("S3 still failing (%s); %d WARC files stay spooled", error, len(self._spooled))
                    return
                self._count("warc/uploaded")
                logger.info("archived spooled %s", self._uri(self._spooled.pop(0)))
        finally:
            self._retrying = False

    async def _recover(self) -> None:
        """Finish what killed crawls left in the WARC spool: cut, seal and upload it."""
        assert self.spool is not None  # noqa: S101 - only S3 archives spool
        found = self.spool.scan()  # (the archive never leases a file: cluster leases are the feed's)
        spooled = found.spooled
        for path in found.parts:
            if not cut_after_whole_records(path):
                self.spool.remove(path)
                continue
            spooled.append(self.spool.advance(self.spool.advance(path)))
            logger.info("sealed %s, the WARC file of an interrupted crawl", path.name)
        spooled.extend(self.spool.advance(path) for path in found.readies)
        for path in sorted(spooled):
            error = await self._upload(path)
            if error is not None:
                self._count("warnings/warc_upload_failed")
                logger.warning("S3 upload of spooled WARC %s failed (%s); it stays spooled", path.name, error)
                return
            self._count("warc/recovered")
            logger.info("archived %s, spooled by an earlier crawl", self._uri(path))

    def _uri(self, path: Path) -> str:
        return self.spool.uri_for(path) if self.spool is not None else str(path)

    def _report(self) -> None:
        if self.stats is None:
            return
        self.stats.set_value("newscrawl/warc/destination", self.destination)
        if self.spool is not None:
            self.stats.set_value("newscrawl/warc/spooled", len(self._spooled))
            self.stats.set_value("newscrawl/warc/spool", str(self.spool.root))
            if self._spooled:
                logger.warning("%d WARC files could not be uploaded; they are spooled in %s and the next crawl "
                               "uploads them", len(self._spooled), self.spool.root)

    def _count(self, key: str, value: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"newscrawl/{key}", value)


def _write_whole(current: _File, data: bytes) -> None:
    """Append `data` (whole gzip members) in one go; on failure, cut the file back to where it was.

    Written to the descriptor, past the file object's buffer: nothing of a record waits in memory.
    """
    fd = current.file.fileno()
    view = memoryview(data)
    written = 0
    try:
        while written < len(data):
            written += os.write(fd, view[written:])
    except OSError:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, current.size)
            os.lseek(fd, current.size, os.SEEK_SET)
        raise
    current.size += written


def _decoded(headers: Any) -> tuple[tuple[str, str], ...]:
    """Scrapy's headers (bytes names, lists of bytes values) as text pairs, in order."""
    return tuple(
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items() for value in values
    )
