"""The stories of one crawl without a crawl state: in memory, gone when the crawl ends.

A plain one-off ``scrapy crawl kabar`` keeps no state, so its copies are grouped within the crawl:
`BandIndex` finds the candidates (the bands of datasketch's ``MinHashLSH``, which the persistent
stores key by `Sketch.band_keys`), dicts hold the rest. About 1 KB per story first article, 100 bytes
per copy.

This module must never write anything outside the process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newscrawl.delivery.stories.decision import Article, Story, View, copy_of, earliest
from newscrawl.delivery.stories.store import MIN_WORDS, Assigned, StoryStore, new_salt

if TYPE_CHECKING:
    import numpy as np

    from newscrawl.delivery.stories.sketch import Sketcher


class BandIndex:
    """datasketch's ``MinHashLSH`` over `SketchParams`' bands, on the MinHash values themselves.

    A story is a candidate when one of its first article's bands (the same ``rows`` values at the
    same place) equals one of the article's: what ``MinHashLSH(params=(bands, rows))`` finds (one
    table per band, keyed by the band's values), without building a datasketch ``MinHash`` per
    article (about 35 µs an article there, 4 here; tests/test_sketches.py compares the two).
    """

    def __init__(self, bands: int, rows: int) -> None:
        self._tables: list[dict[bytes, list[int]]] = [{} for _ in range(bands)]
        self._rows = rows

    def _keys(self, values: np.ndarray) -> list[bytes]:
        size = self._rows * values.itemsize
        raw = values[: len(self._tables) * self._rows].tobytes()
        return [raw[i:i + size] for i in range(0, len(raw), size)]

    def query(self, values: np.ndarray) -> set[int]:
        """The stories that share a band with `values`."""
        found: set[int] = set()
        for table, key in zip(self._tables, self._keys(values), strict=True):
            found.update(table.get(key, ()))
        return found

    def insert(self, ref: int, values: np.ndarray) -> None:
        """Index story `ref` by the bands of `values`."""
        for table, key in zip(self._tables, self._keys(values), strict=True):
            table.setdefault(key, []).append(ref)


class MemoryStories(StoryStore):
    """`StoryStore` in the process's memory."""

    def __init__(self, sketcher: Sketcher | None = None, min_words: int = MIN_WORDS) -> None:
        super().__init__(sketcher, min_words)
        self.location = "memory (this crawl only)"
        self.salt = new_salt()
        self._index = BandIndex(self.sketcher.params.bands, self.sketcher.params.rows)
        self._stories: list[Story] = []
        self._articles: dict[bytes, int] = {}

    def assign(self, article: Article) -> Assigned:
        """Look the article up, decide, and record it."""
        ref = self._articles.get(article.key)
        if ref is not None:
            view = View(known=self._stories[ref])
        elif article.sketch is not None:
            view = View(candidates=tuple(self._stories[r] for r in self._index.query(article.sketch.values)))
        else:
            view = View()
        plan = self.decide(article, view)
        if plan.kind == "short":
            return self.alone(article)
        if plan.story is None:
            assert article.sketch is not None  # noqa: S101 - "new" is only decided for a sketched article
            ref = len(self._stories)
            self._stories.append(Story(ref, article.sketch.signature, article.published, article.url))
            self._index.insert(ref, article.sketch.values)
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
