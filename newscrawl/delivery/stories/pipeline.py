"""The Scrapy side of the stories: every article gets its ``story_id`` and ``copy_of``; the summary gets the groups.

`StoryPipeline` (settings.ITEM_PIPELINES, 850) runs after the cleaning steps (it sketches the
cleaned body), after dedup and incremental (an article skipped as a duplicate or as unchanged is
not assigned again) and after cluster mode's claim (800: only the process that delivers an article
assigns it), and before the cap (900, which stays last). An assignment is idempotent per article,
so an article dropped after it (by the cap) keeps its story when it is delivered later.

The stories live beside the crawl state when the crawl keeps one (``NEWSCRAWL_STATE``, or
``-a incremental=true`` with its default file), else in memory for this crawl.

Stats, over the delivered articles: ``newscrawl/stories/<kind>`` (``copy``: joined a story already
known; ``new``: the first article of a story; ``known``: an article delivered before, updated;
``short``: too short to join one), ``newscrawl/stories/with_copy_of`` (``copy_of`` set: a copy whose
story's earliest article was already known), and ``newscrawl/stories/largest`` (the largest stories),
for the summary. A store that fails (Redis unreachable) gives the article a story of its own and counts
``newscrawl/errors/stories_unavailable``; the crawl goes on.

This module must never drop an item.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING, Any, Final

from itemadapter import ItemAdapter
from scrapy import signals

from newscrawl.component import CrawlerComponent
from newscrawl.config import Config
from newscrawl.context import CrawlContext
from newscrawl.delivery.state import StateError
from newscrawl.delivery.stories import open_stories

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# How many of the largest stories the summary names.
LARGEST: Final = 3


class StoryPipeline(CrawlerComponent):
    """Give every article its story (newscrawl/delivery/stories/)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        config = Config.of(crawler)
        keeps_state = bool(config.state) or CrawlContext.of(crawler).params.incremental is True
        self.stories = open_stories(config.state_uri if keeps_state else None, min_words=config.story_min_words)
        logger.info("stories: %s", self.stories.location)
        self._delivered: Counter[str] = Counter()
        self._first: dict[str, str] = {}
        crawler.signals.connect(self._scraped, signal=signals.item_scraped)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    def process_item(self, item: Any) -> Any:
        """Assign the article to its story."""
        adapter = ItemAdapter(item)
        article = self.stories.article(adapter["url"], adapter.get("body") or "", adapter.get("published_at"))
        try:
            assigned = self.stories.assign(article)
        except StateError as exc:
            logger.warning("%s; %s gets a story of its own", exc, adapter["url"])
            self.stats.inc_value("newscrawl/errors/stories_unavailable")
            assigned = self.stories.alone(article, "unavailable")
        adapter["story_id"] = assigned.story_id
        adapter["copy_of"] = assigned.copy_of
        adapter["_story_kind"] = assigned.kind
        return item

    def _scraped(self, item: Any) -> None:
        adapter = ItemAdapter(item)
        story = adapter.get("story_id")
        if not story:
            return
        self._delivered[story] += 1
        self._first.setdefault(story, adapter.get("copy_of") or adapter["url"])
        self.stats.inc_value(f"newscrawl/stories/{adapter.get('_story_kind')}")
        if adapter.get("copy_of"):
            self.stats.inc_value("newscrawl/stories/with_copy_of")

    def _closed(self) -> None:
        largest = [(story, n) for story, n in self._delivered.most_common(LARGEST) if n > 1]
        if largest:
            self.stats.set_value(
                "newscrawl/stories/largest",
                "; ".join(f"{n} articles: {story} ({self._first[story]})" for story, n in largest),
            )
        self.stories.close()
