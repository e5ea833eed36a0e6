"""The stories in the crawl state's Redis: shared by every process of a cluster, kept across crawls.

Chosen when the crawl state is ``redis://`` or ``rediss://`` (the same server and ``prefix``; the
keys are under ``<prefix>:story``). Keys (store.py describes the entries)::

    <p>:story:meta        hash: the layout, the salt of story ids
    <p>:story:n           the last story number (INCR)
    <p>:story:h, :hn      hashes: scheme://host -> its number, and back (a few hundred hosts)
    <p>:story:a:<bucket>  article entries (8 bytes each), one string per bucket (12 bits: 4,096 keys)
    <p>:story:b:<bucket>  band entries (6 bytes each), one string per bucket (12 bits)
    <p>:story:s:<n // 16> story records of 16 stories: [n % 16][length, 2 bytes][published, 4 bytes]
                          [signature][host number, 2 bytes][rest of the URL]; a story's last record
                          is the one in force

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
from newscrawl.delivery.stories.decision import Article, Story, View, copy_of
from newscrawl.delivery.stories.store import (
    ARTICLE_ENTRY,
    BAND_ENTRY,
    MIN_WORDS,
    REF_SIZE,
    Assigned,
    StoryStore,
    article_bucket,
    band_buckets,
    new_salt,
    split_url,
)

if TYPE_CHECKING:
    from newscrawl.delivery.stories.decision import Plan
    from newscrawl.delivery.stories.sketch import Sketcher

# How often an assignment is tried again when other processes keep writing to its buckets.
ATTEMPTS: Final = 20
STORIES_PER_KEY: Final = 16
BUCKET_BITS: Final = 12
LAYOUT: Final = "redis-1"
_HOSTS: Final = 2**16

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
local function put(key, n, value)
  append(key, string.char(n % 16, math.floor(#value / 256), #value % 256) .. value)
end
-- A new story: its number (from the counter), its article's entry, its record, its band entries.
local function create(counter, articles, part, prefix, ours, bands, parts)
  local n = redis.call('INCR', counter)
  local ref = string.char(math.floor(n / 16777216) % 256, math.floor(n / 65536) % 256,
                          math.floor(n / 256) % 256, n % 256)
  append(articles, part .. ref)
  put(prefix .. math.floor(n / 16), n, ours)
  for i, key in ipairs(bands) do append(key, parts[i] .. ref) end
  return n
end
"""

# KEYS: the article bucket, one bucket per band, the story counter. ARGV: the story key prefix, the
# article's key part, one key part per band, the article's record ('' for a short article). Returns
# the buckets' lengths, what was found (0: candidates, 1: the article is known, 2: nothing, so the
# article's story was created here), the story numbers (the article's story, else the candidates)
# and their records.
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
local bands = #KEYS - 2
local lengths, refs, seen, known = {}, {}, {}, 0
for i = 1, bands + 1 do lengths[i] = redis.call('STRLEN', KEYS[i]) end
local articles = redis.call('GET', KEYS[1])
if articles then matches(articles, ARGV[2], ARTICLE_ENTRY, refs, seen) end
if #refs > 0 then
  refs, known = {refs[1]}, 1
else
  for i = 2, bands + 1 do
    local found = redis.call('GET', KEYS[i])
    if found then matches(found, ARGV[i + 1], BAND_ENTRY, refs, seen) end
  end
end
local ours = ARGV[bands + 3]
if #refs == 0 and ours ~= '' then
  local keys, parts = {}, {}
  for i = 1, bands do keys[i], parts[i] = KEYS[i + 1], ARGV[i + 2] end
  return {lengths, 2, {create(KEYS[bands + 2], KEYS[1], ARGV[2], ARGV[1], ours, keys, parts)}, {ours}}
end
local records = {}
for i, ref in ipairs(refs) do records[i] = record(story_key(ARGV[1], ref), ref) end
return {lengths, known, refs, records}
""".replace("ARTICLE_ENTRY", str(ARTICLE_ENTRY)).replace("BAND_ENTRY", str(BAND_ENTRY))

# KEYS: scheme://host -> number, number -> scheme://host; ARGV: the host. Returns its number.
_INTERN = """
local n = redis.call('HGET', KEYS[1], ARGV[1])
if n then return tonumber(n) end
n = redis.call('HLEN', KEYS[2]) + 1
redis.call('HSET', KEYS[1], ARGV[1], n)
redis.call('HSET', KEYS[2], n, ARGV[1])
return n
"""

# KEYS: the article bucket; the story's key (copy, known) or the story counter (new); then (new) one
# bucket per band. ARGV: the article bucket's length as read, the kind (new, copy, known), the story
# number (4 bytes; '' for new), the article's key part, the article's record, the signature size,
# the story key prefix, then (new) per band: its bucket's length as read and its key part.
# Returns {story number, the story's record in force}, or false when a bucket changed since the lookup.
_COMMIT = _PROLOGUE + """
if redis.call('STRLEN', KEYS[1]) ~= tonumber(ARGV[1]) then return false end
local kind, ours = ARGV[2], ARGV[5]
if kind == 'new' then
  local keys, parts = {}, {}
  for i = 3, #KEYS do
    if redis.call('STRLEN', KEYS[i]) ~= tonumber(ARGV[8 + (i - 3) * 2]) then return false end
    keys[i - 2], parts[i - 2] = KEYS[i], ARGV[9 + (i - 3) * 2]
  end
  return {create(KEYS[2], KEYS[1], ARGV[4], ARGV[7], ours, keys, parts), ours}
end
local ref = ARGV[3]
local n = number(ref)
if kind == 'copy' then append(KEYS[1], ARGV[4] .. ref) end
local current = record(KEYS[2], ref)
local size = tonumber(ARGV[6])
local mine, theirs = number(ours), number(current)
if mine > 0 and (theirs == 0 or mine < theirs) then
  current = string.sub(ours, 1, 4) .. string.sub(current, 5, 4 + size) .. string.sub(ours, 5 + size)
  put(KEYS[2], n, current)
end
return {n, current}
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
        self._host_keys = [base + b":h", base + b":hn"]
        self._hosts: dict[str, int] = {}
        self._host_names: dict[int, str] = {}
        self._lookup = client.register_script(_LOOKUP)
        self._commit = client.register_script(_COMMIT)
        self._intern = client.register_script(_INTERN)
        meta = base + b":meta"
        layout = f"{self.sketcher.params.layout};{LAYOUT}".encode()
        self.salt = self._call("open", lambda: self._meta(meta, b"salt", new_salt()))
        found = self._call("open", lambda: self._meta(meta, b"layout", layout))
        if found != layout:
            raise StateError(
                f"stories {self.location}: layout {found.decode(errors='replace')},"
                f" this newscrawl writes {layout.decode()}",
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
        """Look up (creating the story if nothing matches), decide, commit; again if a bucket changed in between."""
        a_bucket, a_part = article_bucket(article.key, BUCKET_BITS)
        bands = band_buckets(article.sketch.band_keys, BUCKET_BITS) if article.sketch is not None else []
        keys = [
            self._keys["a"] + a_bucket.to_bytes(2, "big"),
            *(self._keys["b"] + bucket.to_bytes(2, "big") for bucket, _ in bands),
            self._counter,
        ]
        ours = self._record_of(article, article.sketch.signature) if article.sketch is not None else b""
        args = [self._keys["s"], a_part, *(part for _, part in bands), ours]
        for _ in range(ATTEMPTS):
            lengths, found, refs, records = self._call("lookup", lambda: self._lookup(keys=keys, args=args))
            if found == 2:
                return Assigned(self.story_id(int(refs[0])), None, "new")
            stories = tuple(self._story(int.from_bytes(r, "big"), rec) for r, rec in zip(refs, records, strict=True))
            view = View(known=stories[0]) if found else View(candidates=stories)
            plan = self.decide(article, view)
            if plan.kind == "short":
                return self.alone(article)
            assigned = self._record(article, plan, _Read(keys[:-1], lengths, a_part, bands))
            if assigned is not None:
                return assigned
        raise StateError(f"stories {self.location}: {ATTEMPTS} attempts met concurrent writes; giving up")

    def _record_of(self, article: Article, signature: bytes) -> bytes:
        """A story record naming `article` as the earliest: published time, signature, host number, rest of the URL."""
        host, rest = split_url(article.url)
        return article.published.to_bytes(4, "big") + signature + self._host(host) + rest.encode("utf-8")

    def _record(self, article: Article, plan: Plan, read: _Read) -> Assigned | None:
        """Commit the plan; None when a bucket changed since the lookup."""
        if plan.story is None:
            assert article.sketch is not None  # noqa: S101 - "new" is only decided for a sketched article
            signature, ref = article.sketch.signature, b""
            keys = [read.keys[0], self._counter, *read.keys[1:]]
            bands = [v for i, (_, part) in enumerate(read.bands) for v in (read.lengths[i + 1], part)]
        else:
            signature, ref = plan.story.signature, plan.story.ref.to_bytes(REF_SIZE, "big")
            keys = [read.keys[0], self._story_key(plan.story.ref)]
            bands = []
        ours = self._record_of(article, signature)
        args = [
            read.lengths[0], plan.kind, ref, read.a_part, ours, self.sketcher.params.signature_size,
            self._keys["s"], *bands,
        ]
        done = self._call("commit", lambda: self._commit(keys=keys, args=args))
        if done is None:
            return None
        number, final = int(done[0]), bytes(done[1])
        story = self._story(number, final)
        found = None if plan.kind == "new" else copy_of(article, story)
        return Assigned(self.story_id(number), found, plan.kind, plan.similarity)

    def _story(self, ref: int, record: bytes) -> Story:
        size = self.sketcher.params.signature_size
        host = self._host_name(int.from_bytes(record[4 + size:6 + size], "big"))
        url = host + record[6 + size:].decode("utf-8")
        return Story(ref, record[4:4 + size], int.from_bytes(record[:4], "big"), url)

    def _host(self, host: str) -> bytes:
        """The 2-byte number of `host` (given out once, shared by every process)."""
        found = self._hosts.get(host)
        if found is None:
            found = int(self._call("host", lambda: self._intern(keys=self._host_keys, args=[host])))
            if found >= _HOSTS:
                raise StateError(f"stories {self.location}: more than {_HOSTS - 1} hosts")
            self._hosts[host] = found
        return found.to_bytes(2, "big")

    def _host_name(self, number: int) -> str:
        found = self._host_names.get(number)
        if found is None:
            value = self._call("host", lambda: self._redis.hget(self._host_keys[1], number))
            found = value.decode("utf-8") if isinstance(value, bytes) else ""
            self._host_names[number] = found
        return found

    def count(self) -> int:
        """How many story numbers were given out."""
        return int(self._call("count", lambda: self._redis.get(self._counter)) or 0)

    def close(self) -> None:
        """Close the connection pool."""
        self._redis.close()
