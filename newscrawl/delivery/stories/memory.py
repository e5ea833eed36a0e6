"""The stories of one crawl without a crawl state: in memory, gone when the crawl ends.

A plain one-off ``scrapy crawl kabar`` keeps no state, so its copies are grouped within the crawl:
datasketch's ``MinHashLSH`` is the index (the same bands the persistent stores keep), dicts hold the
rest. About 1 KB per story first article, 100 bytes per copy.

This module must never write anything outside the process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newscrawl.delivery.stories.decision import Article, Story, View, copy_of, earliest
from newscrawl.delivery.stories.store import MIN_WORDS, Assigned, StoryStore, new_salt

if TYPE_CHECKING:
    from newscrawl.delivery.stories.sketch import Sketcher


class MemoryStories(StoryStore):
    """`StoryStore` in the process's memory."""

    def __init__(self, sketcher: Sketcher | None = None, min_words: int = MIN_WORDS) -> None:
        super().__init__(sketcher, min_words)
        self.location = "memory (this crawl only)"
        self.salt = new_salt()
        self._index = self.sketcher.new_index()
        self._stories: list[Story] = []
        self._articles: dict[bytes, int] = {}

    def assign(self, article: Article) -> Assigned:
        """Look the article up, decide, and record it."""
        ref = self._articles.get(article.key)
        if ref is not None:
            view = View(known=self._stories[ref])
        elif article.sketch is not None:
            view = View(candidates=tuple(self._stories[r] for r in self._index.query(article.sketch.minhash)))
        else:
            view = View()
        plan = self.decide(article, view)
        if plan.kind == "short":
            return self.alone(article)
        if plan.story is None:
            assert article.sketch is not None  # noqa: S101 - "new" is only decided for a sketched article
            ref = len(self._stories)
            self._stories.append(Story(ref, article.sketch.signature, article.published, article.url))
            self._index.insert(ref, article.sketch.minhash, check_duplication=False)
            self._articles[article.key] = ref
            return Assigned(self.story_id(ref), None, "new")
        story = plan.story
        if earliest(article, story):
            story = Story(story.ref, story.signature, article.published, article.url)
            self._stories[story.ref] = story
        self._articles[article.key] = story.ref
        return Assigned(self.story_id(story.ref), copy_of(article, story), plan.kind, plan.similarity)

    def close(self) -> None:
        """Nothing to release."""
