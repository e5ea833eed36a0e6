"""Which story an article belongs to: the rule, on what a store found, with no store and no Scrapy.

What it is for
    A store looks up what it knows about an article (the story it is already in, else the stories
    whose LSH bands it shares) and gives that `View` to `decide`, which says: it is `known`, a
    `copy` of a story, the first article of a `new` one, or `short` (too few words to join a story
    on text alone: it is a story of its own). `earliest` says whether the article becomes its
    story's earliest published article; `copy_of` what the article's ``copy_of`` field is.

    The thresholds were chosen on data (README, "The same story on many portals";
    ``python benchmarks/stories.py --sweep`` prints the similarities of every labelled pair):
    copies score 0.54 and up, independent reports of the same event and look-alikes 0.31 at most.

What it must never do
    Read or write a store, read the clock, or depend on the order of candidates it was given.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from newscrawl.extract.links import dedup_key

if TYPE_CHECKING:
    from collections.abc import Callable

    from newscrawl.delivery.stories.sketch import Sketch

# A candidate is the same story when the estimated Jaccard similarity of the shingle sets is at least this.
SAME_STORY: Final = 0.4

# What an assignment was; "unavailable" is the pipeline's, when the store failed.
Kind = Literal["known", "copy", "new", "short", "unavailable"]


@dataclass(frozen=True, slots=True)
class Article:
    """What the stories need of an article: its key, URL, publication time and sketch."""

    key: bytes  # key_digest(article_key(url)): every URL variant of the article is one key
    url: str
    published: int  # Unix time, 0 when the article has no date
    sketch: Sketch | None  # None for a short body


@dataclass(frozen=True, slots=True)
class Story:
    """A story as a store keeps it: its number, signature, and its earliest published article."""

    ref: int  # the store's number of the story
    signature: bytes  # of the story's first article
    published: int  # Unix time of the earliest published article known, 0 if none is dated
    url: str  # canonical URL of that article


@dataclass(frozen=True, slots=True)
class View:
    """What a store found for an article: the story it is in, else the candidate stories."""

    known: Story | None = None
    candidates: tuple[Story, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    """The decision: the kind, and the story for ``known`` and ``copy``."""

    kind: Kind
    story: Story | None = None
    similarity: float = 0.0


def decide(
    article: Article, view: View, similarity: Callable[[bytes, bytes], float], threshold: float = SAME_STORY,
) -> Plan:
    """The story `article` belongs to, from what the store found."""
    if view.known is not None:
        return Plan("known", view.known)
    if article.sketch is None:
        return Plan("short")
    best: tuple[float, int, Story] | None = None
    for story in view.candidates:
        score = similarity(article.sketch.signature, story.signature)
        # The most similar; between equals, the oldest story (the lowest number).
        if score >= threshold and (best is None or (score, -story.ref) > best[:2]):
            best = (score, -story.ref, story)
    if best is None:
        return Plan("new")
    return Plan("copy", best[2], best[0])


def earliest(article: Article, story: Story) -> bool:
    """Whether `article` was published before the story's earliest article (an undated one never is)."""
    return bool(article.published) and (not story.published or article.published < story.published)


def copy_of(article: Article, story: Story) -> str | None:
    """The article's ``copy_of`` once `story` is up to date: its earliest article, unless that is the article itself."""
    return None if story.url == article.url or dedup_key(story.url) == dedup_key(article.url) else story.url


def story_id(salt: bytes, ref: int) -> str:
    """The exported id of story number `ref` of a store (16 hex digits; `salt` is the store's own)."""
    return hashlib.blake2b(ref.to_bytes(8, "big"), key=salt, digest_size=8, person=b"story").hexdigest()


def own_story_id(salt: bytes, article: Article) -> str:
    """The id of the story a short article makes on its own (never stored: derived from its key)."""
    return hashlib.blake2b(article.key, key=salt, digest_size=8, person=b"story-short").hexdigest()
