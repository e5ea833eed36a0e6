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
"""

# KEYS: workers, last, seed, queue, blobs, seq, seen, claims; ARGV: worker, lease ms, run.
# A frontier that finished but was not cleaned (its last process died leaving) is cleaned here.
JOIN = """
if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then return 'finished' end
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('GET', KEYS[3]) == 'done' and redis.call('ZCARD', KEYS[4]) == 0 then
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

# KEYS: workers, queue, claims, seed; ARGV: key prefix. Returns {requests requeued, dead workers...}.
REAP = """
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now_ms())
local requeued = 0
for _, w in ipairs(dead) do
  requeued = requeued + give_back(ARGV[1], w, KEYS[2], KEYS[3])
  redis.call('ZREM', KEYS[1], w)
  if redis.call('GET', KEYS[4]) == 'seeding ' .. w then redis.call('DEL', KEYS[4]) end
end
local out = {requeued}
for _, w in ipairs(dead) do out[#out + 1] = w end
return out
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

# KEYS: seed, queue, workers; ARGV: key prefix.
FINISHED = """
if redis.call('GET', KEYS[1]) ~= 'done' then return 0 end
if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
for _, w in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  if redis.call('ZCARD', ARGV[1] .. ':i:' .. w) > 0 then return 0 end
end
return 1
"""

# KEYS: workers, queue, claims, seed, last, blobs, seq, seen; ARGV: key prefix, worker, run, seconds to remember it.
LEAVE = """
local requeued = give_back(ARGV[1], ARGV[2], KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[1], ARGV[2])
if redis.call('GET', KEYS[4]) == 'seeding ' .. ARGV[2] then redis.call('DEL', KEYS[4]) end
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('GET', KEYS[4]) == 'done' and redis.call('ZCARD', KEYS[2]) == 0 then
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
        ("leave", LEAVE),
    )
}
