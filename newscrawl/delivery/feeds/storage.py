"""The S3 feed as Scrapy sees it: ``FEED_STORAGES["s3"]``, cutting the exported lines into batches.

The feed exporter writes JSON lines into a `BatchFile`; the storage puts each line into the
current batch, which it closes at ``NEWSCRAWL_BATCH_ITEMS`` articles or after
``NEWSCRAWL_BATCH_SECONDS`` seconds and hands to the S3 delivery (s3.py) to seal, commit and
upload. Committing needs each line's article (its key and content hash): `JsonLinesExporter`, the
project's exporter for ``jsonlines``/``jsonl`` (Scrapy's, byte for byte), hands the batch file
each item's version just before writing its line, so no exported line is ever parsed back.

This module must never write a line anywhere but the current batch, nor commit anything itself.
"""

from __future__ import annotations

import asyncio
import logging
import time
from functools import cache
from typing import IO, TYPE_CHECKING, Any, Self

from itemadapter import ItemAdapter
from scrapy import Item
from scrapy.exporters import JsonLinesItemExporter
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.misc import load_object

from newscrawl.delivery.feeds.naming import BATCH_MARK, DeliveryConfigError, split_s3
from newscrawl.delivery.feeds.s3 import Batch, S3Delivery
from newscrawl.delivery.state import Version, article_key, carried_hash

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider

logger = logging.getLogger(__name__)


class JsonLinesExporter(JsonLinesItemExporter):
    """Scrapy's JSON lines exporter; into an S3 batch it also hands over each line's article version.

    An item whose fields declare no serializer, exported by a list of field names, has its fields
    read in one pass (Scrapy asks an adapter three questions per field, and makes an identity
    serializer for each: ~20 us of an article's ~45); anything else is Scrapy's own reading.
    """

    def get_serialized_fields(
        self, item: Any, default_value: Any = None, include_empty: bool | None = None,
    ) -> Iterable[tuple[str, Any]]:
        """The fields to export, with their values: Scrapy's, read without an adapter where nothing is serialized."""
        names = self.fields_to_export
        empty = self.export_empty_fields if include_empty is None else include_empty
        if isinstance(item, Item) and isinstance(names, list) and not empty and _plain_fields(type(item)):
            values = dict(item)  # a (field, output) pair in `names` is no key: skipped, as Scrapy skips it here
            return [(name, values[name]) for name in names if name in values]
        return super().get_serialized_fields(item, default_value, include_empty)

    def export_item(self, item: Any) -> None:
        """Export `item` as one line, telling a `BatchFile` first which article the line is."""
        if not isinstance(self.file, BatchFile):
            super().export_item(item)
            return
        adapter = ItemAdapter(item)
        self.file.version = Version(article_key(adapter["url"]), carried_hash(adapter), int(time.time()))
        try:
            super().export_item(item)
        finally:
            self.file.version = None


@cache
def _plain_fields(item_class: type[Item]) -> bool:
    """Whether no field of `item_class` declares a serializer (each value is exported as it is)."""
    return not any("serializer" in meta for meta in item_class.fields.values())


class BatchFile:
    """The file the feed exporter writes to: each complete line goes into the storage's batches with its version."""

    def __init__(self, storage: SpoolingS3FeedStorage) -> None:
        self._storage = storage
        self._pending = b""
        # The article of the line being written (set by `JsonLinesExporter` around each export).
        self.version: Version | None = None
        self.closed = False

    def write(self, data: bytes) -> int:
        """Take exported bytes; each complete line is one article."""
        self._pending += data
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            if line.strip():
                version, self.version = self.version, None
                if version is None:
                    raise DeliveryConfigError("S3 feed: a line came without its article; export with JsonLinesExporter")
                self._storage.add(line + b"\n", version)
        return len(data)

    def writable(self) -> bool:
        """Always writable."""
        return True

    def flush(self) -> None:
        """Lines are handed on as they complete; nothing is buffered here."""

    def close(self) -> None:
        """Nothing to release: batches are closed by the storage."""
        self.closed = True


class SpoolingS3FeedStorage:
    """FEED_STORAGES["s3"]: batches by items and seconds, spooled, committed, uploaded.

    One instance per FEEDS entry and crawl; Scrapy's own batching (FEED_EXPORT_BATCH_ITEM_COUNT)
    is refused because the storage numbers the batches itself.
    """

    def __init__(self, uri: str, delivery: S3Delivery, *, feed_options: dict[str, Any] | None = None) -> None:
        options = feed_options or {}
        if options.get("format", "jsonlines") not in ("jsonlines", "jsonl"):
            raise DeliveryConfigError(f"S3 feed {uri}: only the jsonlines format can be batched")
        if options.get("postprocessing"):
            raise DeliveryConfigError(f"S3 feed {uri}: postprocessing is not supported")
        if options.get("batch_item_count"):
            raise DeliveryConfigError(f"S3 feed {uri}: use NEWSCRAWL_BATCH_ITEMS, not batch_item_count")
        split_s3(uri.replace("%(", "x("))
        self.uri = uri
        self.delivery = delivery
        self._batch: Batch | None = None
        self._number = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._timer: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None) -> Self:
        """Build the storage for one feed of `crawler`."""
        fmt = (feed_options or {}).get("format", "jsonlines")
        exporter = load_object(crawler.settings.getwithbase("FEED_EXPORTERS").get(fmt) or JsonLinesExporter)
        ours = isinstance(exporter, type) and issubclass(exporter, JsonLinesExporter)
        if fmt in ("jsonlines", "jsonl") and not ours:
            raise DeliveryConfigError(
                f"S3 feed {uri}: FEED_EXPORTERS must map its format to {JsonLinesExporter.__module__}."
                f"{JsonLinesExporter.__name__} (it tells the batches which article each line is)",
            )
        return cls(uri, S3Delivery.of(crawler), feed_options=feed_options)

    def batch_uri(self, number: int) -> str:
        """The object URI of batch `number`."""
        mark = f"{number:05d}"
        if BATCH_MARK in self.uri:
            head, _, tail = self.uri.rpartition(BATCH_MARK)
            return f"{head}{mark}{tail}"
        head, _, name = self.uri.rpartition("/")
        stem, dot, ext = name.rpartition(".")
        return f"{head}/{stem}-{mark}{dot}{ext}" if dot else f"{self.uri}-{mark}"

    def open(self, spider: Spider) -> BatchFile:  # noqa: ARG002 - Scrapy's storage interface
        """Start taking lines; batches older than NEWSCRAWL_BATCH_SECONDS are closed by a timer."""
        self._timer = create_looping_call(self._tick)
        self._timer.start(min(1.0, self.delivery.batch_seconds / 2), now=False)
        return BatchFile(self)

    def add(self, line: bytes, version: Version) -> None:
        """Append one article's line to the current batch (opening one if needed)."""
        if self._batch is None:
            self._number += 1
            uri = self.batch_uri(self._number)
            try:
                path, file = self.delivery.spool.open_part(uri)
            except OSError as exc:
                self.delivery.lost_write(uri, exc, 1)
                return
            self._batch = Batch(self._number, uri, path, file)
        assert self._batch.file is not None  # noqa: S101 - an open batch has its file
        try:
            self._batch.file.write(line)
        except OSError as exc:
            batch, self._batch = self._batch, None
            self.delivery.discard(batch, exc, extra=1)
            return
        self._batch.versions.append(version)
        if len(self._batch.versions) >= self.delivery.batch_items:
            self._close_batch()

    def _tick(self) -> None:
        if self._batch is not None and time.monotonic() - self._batch.opened >= self.delivery.batch_seconds:
            self._close_batch()
        self.delivery.retry_due()

    def _close_batch(self) -> None:
        batch, self._batch = self._batch, None
        if batch is None or not batch.versions:
            return
        if self.delivery.seal(batch):
            task = asyncio.get_event_loop().create_task(self.delivery.deliver(batch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def store(self, file: IO[bytes]) -> Any:  # noqa: ARG002 - the lines already went to the batches
        """At the end of the crawl: close the last batch, wait for the uploads, retry the spooled."""
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self._close_batch()
        return self._finish()

    async def _finish(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks))
        if self.delivery.spooled:
            await self.delivery.retry_spooled()
        self.delivery.report()
        if self.delivery.spooled:
            logger.warning("%d batches could not be uploaded; they are spooled in %s and the next crawl uploads them",
                           len(self.delivery.spooled), self.delivery.spool.root)
