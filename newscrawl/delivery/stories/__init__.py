"""The same story on many portals: every delivered article's ``story_id`` and ``copy_of``.

A story is a group of near-duplicate articles: copies of one text (a press release, wire copy, a
network-wide story) with their own datelines, credits and boilerplate, sometimes trimmed or edited.
sketch.py turns a cleaned body into a MinHash sketch, decision.py says which story it belongs to,
and a store keeps the stories: `open_stories` opens the one beside the crawl state (SQLite or
Redis, so a copy found tomorrow joins today's story and a cluster shares them), or keeps them in
memory for a crawl without a state. pipeline.py is the Scrapy side.

This package must never import Scrapy outside pipeline.py, nor decide what a crawl fetches.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newscrawl.delivery.state import locate
from newscrawl.delivery.stories.memory import MemoryStories
from newscrawl.delivery.stories.sqlite import SqliteStories
from newscrawl.delivery.stories.store import MIN_WORDS, Assigned, StoryStore

if TYPE_CHECKING:
    from newscrawl.delivery.stories.sketch import Sketcher

__all__ = ["Assigned", "StoryStore", "open_stories"]


def open_stories(state_uri: str | None, sketcher: Sketcher | None = None, min_words: int = MIN_WORDS) -> StoryStore:
    """The stories beside the crawl state `state_uri`; in memory when the crawl keeps no state (None)."""
    if state_uri is None:
        return MemoryStories(sketcher, min_words)
    scheme, location = locate(state_uri)
    if scheme == "sqlite":
        return SqliteStories(Path(location), sketcher, min_words)
    from newscrawl.delivery.stories.redis import RedisStories  # noqa: PLC0415 - only Redis users need the redis client

    return RedisStories.from_uri(location, sketcher, min_words)
