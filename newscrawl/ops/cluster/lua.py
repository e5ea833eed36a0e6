"""The Lua scripts of the cluster frontier: every change to a group's keys is one of these, run atomically.

What it is for
    Redis runs each script as one step, so no process sees (or leaves, when it dies) a half-done
    change: a request marked seen but never queued, a request popped but in nobody's in-flight set,
    a claim without its worker. `newscrawl.ops.cluster.frontier.Frontier` registers `SCRIPTS` and
    names the keys each one gets; the comment above each script says what its KEYS and ARGV are.

What it must never do
    Hold anything but the scripts' text: no Redis client, no Scrapy. Time is Redis' own (``TIME``),
    never a process's clock, so that leases mean the same on every node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

PROLOGUE = """
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- A worker is alive until a reaper removed it: an expired lease is not yet a death.
local function alive(workers, w)
  return redis.call('ZSCORE', workers, w) ~= false
end
local function give_back(prefix, w, queue, claims)
  local n = 0
  for _, part in ipairs({':i:', ':c:'}) do
    local key = prefix .. part .. w
    local held = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
    for j = 1, #held, 2 do
      redis.call('ZADD', queue, held[j + 1], held[j])
      n = n + 1
    end
    redis.call('DEL', key)
  end
  local tentative = prefix .. ':t:' .. w
  for _, d in ipairs(redis.call('SMEMBERS', tentative)) do
    if redis.call('HGET', claims, d) == w then redis.call('HDEL', claims, d) end
  end
  redis.call('DEL', tentative)
  return n
end
-- A worker that died or left holding leased batches (p:<w>) stays in the resolving set until each
-- batch is resolved (S3 has it: committed; it has not: given back); then its work goes back.
local function give_back_when_resolved(prefix, w, queue, claims, resolving)
  if redis.call('EXISTS', prefix .. ':p:' .. w) == 1 or redis.call('SISMEMBER', resolving, w) == 0 then return -1 end
  redis.call('SREM', resolving, w)
  return give_back(prefix, w, queue, claims)
end
-- Gone, and the worker's requests and claims go back; or, holding leased batches, resolving.
local function depart(prefix, w, queue, claims, resolving)
  if redis.call('EXISTS', prefix .. ':p:' .. w) == 1 then
    redis.call('SADD', resolving, w)
    return 0
  end
  return give_back(prefix, w, queue, claims)
end
"""

# KEYS: workers, last, seed, queue, blobs, seq, seen, claims, resolving; ARGV: worker, lease ms, run.
# A frontier that finished but was not cleaned (its last process died leaving) is cleaned here.
JOIN = """
if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then return 'finished' end
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('GET', KEYS[3]) == 'done' and redis.call('ZCARD', KEYS[4]) == 0
    and redis.call('SCARD', KEYS[9]) == 0 then
  redis.call('UNLINK', KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8])
end
redis.call('ZADD', KEYS[1], now_ms() + tonumber(ARGV[2]), ARGV[1])
return 'joined'
"""

# KEYS: seen, seq, blobs, queue; ARGV: fingerprint ('' for dont_filter), request, score.
PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
local id = string.format('%012x', redis.call('INCR', KEYS[2]))
redis.call('HSET', KEYS[3], id, ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[3], id)
return 1
"""

# KEYS: workers, queue, blobs, in-flight; ARGV: worker, lease ms, at most how many. nil when evicted.
# A worker takes no more than its share of the queue (queued / workers), so that all get work.
POP = """
local now = now_ms()
if not alive(KEYS[1], ARGV[1]) then return false end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
local share = math.floor(redis.call('ZCARD', KEYS[2]) / redis.call('ZCARD', KEYS[1]))
local popped = redis.call('ZPOPMIN', KEYS[2], math.max(1, math.min(tonumber(ARGV[3]), share)))
local out = {}
for j = 1, #popped, 2 do
  local id = popped[j]
  redis.call('ZADD', KEYS[4], popped[j + 1], id)
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', KEYS[3], id)
end
return out
"""

# KEYS: workers, blobs, in-flight, completed, claims, tentative
# ARGV: worker, lease ms, #completed, #acknowledged, completed ids, acknowledged ids, committed digests.
# Completed: done by the engine, its articles not yet durable (kept, but no longer "in flight").
SETTLE = """
local now = now_ms()
if not alive(KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
local k = 4
for _ = 1, tonumber(ARGV[3]) do
  k = k + 1
  local score = redis.call('ZSCORE', KEYS[3], ARGV[k])
  if score then
    redis.call('ZREM', KEYS[3], ARGV[k])
    redis.call('ZADD', KEYS[4], score, ARGV[k])
  end
end
for _ = 1, tonumber(ARGV[4]) do
  k = k + 1
  redis.call('ZREM', KEYS[3], ARGV[k])
  redis.call('ZREM', KEYS[4], ARGV[k])
  redis.call('HDEL', KEYS[2], ARGV[k])
end
for j = k + 1, #ARGV do
  if redis.call('HGET', KEYS[5], ARGV[j]) == ARGV[1] then redis.call('HSET', KEYS[5], ARGV[j], '') end
  redis.call('SREM', KEYS[6], ARGV[j])
end
return 1
"""

# KEYS: workers; ARGV: worker, lease ms. 0 if the worker was reaped.
RENEW = """
if not alive(KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now_ms() + tonumber(ARGV[2]), ARGV[1])
return 1
"""

# KEYS: workers, claims, tentative; ARGV: worker, digest. 1 mine, 0 someone's, -1 evicted.
CLAIM = """
if not alive(KEYS[1], ARGV[1]) then return -1 end
if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[1]) == 0 then return 0 end
redis.call('SADD', KEYS[3], ARGV[2])
return 1
"""

# KEYS: claims, tentative; ARGV: worker, digest.
RELEASE = """
if redis.call('HGET', KEYS[1], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[1], ARGV[2]) end
redis.call('SREM', KEYS[2], ARGV[2])
return 1
"""

# KEYS: workers, queue, claims, seed, resolving; ARGV: key prefix.
# Returns {requests requeued, workers resolving, dead workers...}.
REAP = """
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now_ms())
local requeued = 0
for _, w in ipairs(dead) do
  requeued = requeued + depart(ARGV[1], w, KEYS[2], KEYS[3], KEYS[5])
  redis.call('ZREM', KEYS[1], w)
  if redis.call('GET', KEYS[4]) == 'seeding ' .. w then redis.call('DEL', KEYS[4]) end
end
local out = {requeued, redis.call('SCARD', KEYS[5])}
for _, w in ipairs(dead) do out[#out + 1] = w end
return out
"""

# KEYS: workers, p:<worker>; ARGV: worker, lease ms, batch URI, its articles. 0 if the worker was reaped.
# A sealed S3 batch is held by its worker's lease until it is uploaded (or resolved by a reaper).
LEASE_BATCH = """
if not alive(KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now_ms() + tonumber(ARGV[2]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
return 1
"""

# KEYS: workers, p:<worker>; ARGV: worker, batch URI. The fence, just before a PUT: 1 if the lease still holds it.
HOLDS = """
if alive(KEYS[1], ARGV[1]) and redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 1 end
return 0
"""

# KEYS: p:<worker>, queue, claims, resolving; ARGV: key prefix, worker, batch URI. Uploaded and committed.
UNLEASE = """
redis.call('HDEL', KEYS[1], ARGV[3])
return give_back_when_resolved(ARGV[1], ARGV[2], KEYS[2], KEYS[3], KEYS[4])
"""

# KEYS: p:<worker>, queue, claims, resolving, t:<worker>; ARGV: key prefix, worker, batch URI, '1' if S3
# has the batch, then its article digests. A stored batch's claims become final (it was delivered);
# a missing one's stay tentative and are released with the rest of the worker's work.
# Returns the requests given back once the worker has no batch left to resolve, else -1.
RESOLVE = """
if ARGV[4] == '1' and redis.call('HEXISTS', KEYS[1], ARGV[3]) == 1 then
  for j = 5, #ARGV do
    if redis.call('HGET', KEYS[3], ARGV[j]) == ARGV[2] then redis.call('HSET', KEYS[3], ARGV[j], '') end
    redis.call('SREM', KEYS[5], ARGV[j])
  end
end
redis.call('HDEL', KEYS[1], ARGV[3])
return give_back_when_resolved(ARGV[1], ARGV[2], KEYS[2], KEYS[3], KEYS[4])
"""

# KEYS: workers, seed; ARGV: worker. 'mine' (seed now), 'other' (someone seeds), 'done', 'evicted'.
SEED = """
if not alive(KEYS[1], ARGV[1]) then return 'evicted' end
local seed = redis.call('GET', KEYS[2])
if not seed then
  redis.call('SET', KEYS[2], 'seeding ' .. ARGV[1])
  return 'mine'
end
if seed == 'done' then return 'done' end
if seed == 'seeding ' .. ARGV[1] then return 'mine' end
return 'other'
"""

# KEYS: seed; ARGV: worker.
SEEDED = """
if redis.call('GET', KEYS[1]) == 'seeding ' .. ARGV[1] then redis.call('SET', KEYS[1], 'done') return 1 end
return 0
"""

# KEYS: seed, queue, workers, resolving; ARGV: key prefix, the asking worker.
# Another worker's leased batches are work that may come back (if it dies before uploading them).
FINISHED = """
if redis.call('GET', KEYS[1]) ~= 'done' then return 0 end
if redis.call('ZCARD', KEYS[2]) > 0 or redis.call('SCARD', KEYS[4]) > 0 then return 0 end
for _, w in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  if redis.call('ZCARD', ARGV[1] .. ':i:' .. w) > 0 then return 0 end
  if w ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. ':p:' .. w) == 1 then return 0 end
end
return 1
"""

# KEYS: workers, queue, claims, seed, last, blobs, seq, seen, resolving
# ARGV: key prefix, worker, run, seconds to remember it.
# A worker leaving with batches S3 did not take (leased) is resolving, like a dead one.
LEAVE = """
local requeued = depart(ARGV[1], ARGV[2], KEYS[2], KEYS[3], KEYS[9])
redis.call('ZREM', KEYS[1], ARGV[2])
if redis.call('GET', KEYS[4]) == 'seeding ' .. ARGV[2] then redis.call('DEL', KEYS[4]) end
if redis.call('SISMEMBER', KEYS[9], ARGV[2]) == 1 then return {'resolving', 0} end
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('GET', KEYS[4]) == 'done' and redis.call('ZCARD', KEYS[2]) == 0
    and redis.call('SCARD', KEYS[9]) == 0 then
  redis.call('UNLINK', KEYS[2], KEYS[3], KEYS[4], KEYS[6], KEYS[7], KEYS[8])
  if ARGV[3] ~= '' then redis.call('SET', KEYS[5], ARGV[3], 'EX', tonumber(ARGV[4])) end
  return {'cleaned', requeued}
end
return {'left', requeued}
"""


# Each script as Redis runs it: the shared functions first.
SCRIPTS: Mapping[str, str] = {
    name: PROLOGUE + body
    for name, body in (
        ("join", JOIN), ("push", PUSH), ("pop", POP), ("settle", SETTLE), ("renew", RENEW), ("claim", CLAIM),
        ("release", RELEASE), ("reap", REAP), ("seed", SEED), ("seeded", SEEDED), ("finished", FINISHED),
        ("leave", LEAVE), ("lease_batch", LEASE_BATCH), ("holds", HOLDS), ("unlease", UNLEASE),
        ("resolve", RESOLVE),
    )
}
