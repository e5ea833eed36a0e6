"""The stories in the crawl state's Redis: shared by every process of a cluster, kept across crawls.

Chosen when the crawl state is ``redis://`` or ``rediss://`` (the same server and ``prefix``; the
keys are under ``<prefix>:story``). Keys (store.py describes the entries)::

    <p>:story:meta        hash: the sketch layout, the salt of story ids
    <p>:story:n           the last story number (INCR)
    <p>:story:a:<2 bytes> article entries (8 bytes each), one string per bucket
    <p>:story:b:<2 bytes> band entries (7 bytes each), one string per bucket
    <p>:story:s:<n // 16> story records of 16 stories: [n % 16][length, 2 bytes][published, 4 bytes]
                          [signature][URL]; the last record of a story is the one in force

Atomicity, when two processes see two copies of a new story at once: an assignment is a read
(`LOOKUP`, one script) and a decision here, then a write (`COMMIT`, one script) that first checks
that the buckets it read are as long as they were (they only ever grow, so an unchanged length is
an unchanged bucket). If another process wrote to them in between, nothing is written and the
assignment starts again: the second copy then finds the first one's story. A story's earliest
article is replaced inside `COMMIT`, so two processes never undo each other's update. Strings are
rewritten to their exact size (``SET``, not ``APPEND``, whose spare room would double the memory).

This module must never store article text or a whole MinHash, and never log a password.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import redis

from newscrawl.delivery.state import StateError
from newscrawl.delivery.state.redis import DEFAULT_PREFIX, redis_client
from newscrawl.delivery.stories.decision import Article, Story, View, copy_of, decide
from newscrawl.delivery.stories.store import (
    MIN_WORDS,
    REF_SIZE,
    Assigned,
    StoryStore,
    article_bucket,
    band_buckets,
    entry,
    new_salt,
)

if TYPE_CHECKING:
    from newscrawl.delivery.stories.decision import Plan
    from newscrawl.delivery.stories.sketch import Sketcher

# How often an assignment is tried again when other processes keep writing to its buckets.
ATTEMPTS: Final = 20
STORIES_PER_KEY: Final = 16

_PROLOGUE = """
local function number(s)
  if #s < 4 then return 0 end
  local a, b, c, d = string.byte(s, 1, 4)
  return ((a * 256 + b) * 256 + c) * 256 + d
end
local function story_key(prefix, ref)
  return prefix .. math.floor(number(ref) / 16)
end
-- The record in force of story `ref` (its last one), '' when there is none.
local function record(key, ref)
  local s = redis.call('GET', key)
  if not s then return '' end
  local low, pos, found = number(ref) % 16, 1, ''
  while pos <= #s do
    local len = string.byte(s, pos + 1) * 256 + string.byte(s, pos + 2)
    if string.byte(s, pos) == low then found = string.sub(s, pos + 3, pos + 2 + len) end
    pos = pos + 3 + len
  end
  return found
end
local function append(key, value)
  redis.call('SET', key, (redis.call('GET', key) or '') .. value)
end
"""

# KEYS: the article bucket, then one bucket per band; ARGV: the story key prefix, the article's key
# part, then one key part per band. Returns the buckets' lengths, 1 if the article is known, the
# story numbers (the article's story, else the candidates) and their records.
_LOOKUP = _PROLOGUE + """
local function matches(s, part, size, out, seen)
  local pos = 1
  while true do
    local i = string.find(s, part, pos, true)
    if not i then return end
    if (i - 1) % size == 0 then
      local ref = string.sub(s, i + #part, i + size - 1)
      if not seen[ref] then seen[ref] = true; out[#out + 1] = ref end
      pos = i + size
    else
      pos = i + 1
    end
  end
end
local lengths, refs, seen, known = {}, {}, {}, 0
for i = 1, #KEYS do lengths[i] = redis.call('STRLEN', KEYS[i]) end
local articles = redis.call('GET', KEYS[1])
if articles then matches(articles, ARGV[2], 8, refs, seen) end
if #refs > 0 then
  refs, known = {refs[1]}, 1
else
  for i = 2, #KEYS do
    local bands = redis.call('GET', KEYS[i])
    if bands then matches(bands, ARGV[i + 1], 7, refs, seen) end
  end
end
local records = {}
for i, ref in ipairs(refs) do records[i] = record(story_key(ARGV[1], ref), ref) end
return {lengths, known, refs, records}
"""

# KEYS: the article bucket, the story's key, then (for a new story) one bucket per band.
# ARGV: the article bucket's length as read, the kind (new, copy, known), the story number, the
# article entry, the article's record, the signature size, then (new) per band: its bucket's length
# as read and the band entry. Returns the story's record in force, or false when a bucket changed.
_COMMIT = _PROLOGUE + """
if redis.call('STRLEN', KEYS[1]) ~= tonumber(ARGV[1]) then return false end
local kind, ref, ours = ARGV[2], ARGV[3], ARGV[5]
local low = number(ref) % 16
local function put(value)
  append(KEYS[2], string.char(low, math.floor(#value / 256), #value % 256) .. value)
end
if kind == 'new' then
  for i = 3, #KEYS do
    if redis.call('STRLEN', KEYS[i]) ~= tonumber(ARGV[7 + (i - 3) * 2]) then return false end
  end
  append(KEYS[1], ARGV[4])
  put(ours)
  for i = 3, #KEYS do append(KEYS[i], ARGV[8 + (i - 3) * 2]) end
  return ours
end
if kind == 'copy' then append(KEYS[1], ARGV[4]) end
local current = record(KEYS[2], ref)
local size = tonumber(ARGV[6])
local mine, theirs = number(ours), number(current)
if mine > 0 and (theirs == 0 or mine < theirs) then
  current = string.sub(ours, 1, 4) .. string.sub(current, 5, 4 + size) .. string.sub(ours, 5 + size)
  put(current)
end
return current
"""


@dataclass(frozen=True, slots=True)
class _Read:
    """What a lookup read: the buckets' keys and lengths, the article's key part, the bands' buckets and parts."""

    keys: list[bytes]
    lengths: list[int]
    a_part: bytes
    bands: list[tuple[int, bytes]]


class RedisStories(StoryStore):
    """`StoryStore` in Redis (layout and atomicity in the module docstring)."""

    def __init__(
        self, client: redis.Redis, location: str, prefix: str = DEFAULT_PREFIX,
        sketcher: Sketcher | None = None, min_words: int = MIN_WORDS,
    ) -> None:
        super().__init__(sketcher, min_words)
        base = f"{prefix}:story".encode()
        self.location = f"{location} (keys {base.decode()}:*)"
        self._redis = client
        self._keys = {part: base + b":" + part.encode() + b":" for part in ("a", "b", "s")}
        self._counter = base + b":n"
        self._lookup = client.register_script(_LOOKUP)
        self._commit = client.register_script(_COMMIT)
        meta = base + b":meta"
        layout = self.sketcher.params.layout.encode()
        self.salt = self._call("open", lambda: self._meta(meta, b"salt", new_salt()))
        found = self._call("open", lambda: self._meta(meta, b"layout", layout))
        if found != layout:
            raise StateError(
                f"stories {self.location}: sketch layout {found.decode(errors='replace')}, this newscrawl "
                f"writes {layout.decode()}",
            )

    @classmethod
    def from_uri(cls, uri: str, sketcher: Sketcher | None = None, min_words: int = MIN_WORDS) -> RedisStories:
        """Open the stories beside the crawl state named by a ``redis://`` / ``rediss://`` URI."""
        client, location, own = redis_client(uri)
        return cls(client, location, own.get("prefix") or DEFAULT_PREFIX, sketcher, min_words)

    def _meta(self, key: bytes, name: bytes, default: bytes) -> bytes:
        self._redis.hsetnx(key, name, default)
        value = self._redis.hget(key, name)
        return value if isinstance(value, bytes) else b""

    def _call(self, what: str, action: Any) -> Any:
        try:
            return action()
        except redis.RedisError as exc:
            raise StateError(f"stories {self.location}: {what} failed ({exc})") from None

    def _story_key(self, ref: int) -> bytes:
        return self._keys["s"] + str(ref // STORIES_PER_KEY).encode()

    def assign(self, article: Article) -> Assigned:
        """Look up, decide, commit; again if another process changed the buckets in between."""
        a_bucket, a_part = article_bucket(article.key)
        bands = band_buckets(article.sketch.band_keys) if article.sketch is not None else []
        keys = [
            self._keys["a"] + a_bucket.to_bytes(2, "big"),
            *(self._keys["b"] + bucket.to_bytes(2, "big") for bucket, _ in bands),
        ]
        args = [self._keys["s"], a_part, *(part for _, part in bands)]
        for _ in range(ATTEMPTS):
            lengths, known, refs, records = self._call("lookup", lambda: self._lookup(keys=keys, args=args))
            stories = tuple(self._story(int.from_bytes(r, "big"), rec) for r, rec in zip(refs, records, strict=True))
            view = View(known=stories[0]) if known else View(candidates=stories)
            plan = decide(article, view, self.sketcher.similarity)
            if plan.kind == "short":
                return self.alone(article)
            assigned = self._record(article, plan, _Read(keys, lengths, a_part, bands))
            if assigned is not None:
                return assigned
        raise StateError(f"stories {self.location}: {ATTEMPTS} attempts met concurrent writes; giving up")

    def _record(self, article: Article, plan: Plan, read: _Read) -> Assigned | None:
        """Commit the plan; None when a bucket changed since the lookup."""
        if plan.story is None:
            assert article.sketch is not None  # noqa: S101 - "new" is only decided for a sketched article
            ref = int(self._call("story number", lambda: self._redis.incr(self._counter)))
            signature = article.sketch.signature
            extra = [v for i, (_, part) in enumerate(read.bands) for v in (read.lengths[i + 1], entry(part, ref))]
            keys = [read.keys[0], self._story_key(ref), *read.keys[1:]]
        else:
            ref, signature, extra = plan.story.ref, plan.story.signature, []
            keys = [read.keys[0], self._story_key(ref)]
        ours = article.published.to_bytes(4, "big") + signature + article.url.encode("utf-8")
        args = [
            read.lengths[0], plan.kind, ref.to_bytes(REF_SIZE, "big"), entry(read.a_part, ref), ours,
            self.sketcher.params.signature_size, *extra,
        ]
        final = self._call("commit", lambda: self._commit(keys=keys, args=args))
        if final is None:
            return None
        story = self._story(ref, final)
        found = None if plan.kind == "new" else copy_of(article, story)
        return Assigned(self.story_id(ref), found, plan.kind, plan.similarity)

    def _story(self, ref: int, record: bytes) -> Story:
        size = self.sketcher.params.signature_size
        return Story(ref, record[4:4 + size], int.from_bytes(record[:4], "big"), record[4 + size:].decode("utf-8"))

    def count(self) -> int:
        """How many story numbers were given out."""
        return int(self._call("count", lambda: self._redis.get(self._counter)) or 0)

    def close(self) -> None:
        """Close the connection pool."""
        self._redis.close()
