"""The downloader: Scrapy's, holding every slot to its concurrency under the asyncio reactor.

Scrapy 2.19's downloader takes requests off a slot's queue while the slot has fewer than
``CONCURRENT_REQUESTS_PER_DOMAIN`` requests *transferring*, but a request only counts as
transferring once its download task first runs, and under the asyncio reactor that is on a later
turn of the event loop. With no download delay (AutoThrottle off, DOWNLOAD_DELAY 0) one pass
therefore starts the whole queue at once: measured, 18 requests at a time against one portal
whose limit was 4. Here a request counts from the moment it leaves the queue.

(With AutoThrottle on, the project's default, the slot's delay already spaces requests out.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.core.downloader import Downloader

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from scrapy import Request
    from scrapy.core.downloader import Slot
    from twisted.internet.defer import Deferred


class PoliteDownloader(Downloader):
    """DOWNLOADER: Scrapy's downloader, counting a request as transferring as soon as it is dequeued."""

    def _wait_for_download(
        self, slot: Slot, request: Request, queue_dfd: Deferred[Any],
    ) -> Coroutine[Any, Any, None]:
        # Not a coroutine function: this line runs when the request leaves the queue, before the
        # next request is considered. The download adds it again (a set) and removes it when done.
        slot.transferring.add(request)
        return super()._wait_for_download(slot, request, queue_dfd)
