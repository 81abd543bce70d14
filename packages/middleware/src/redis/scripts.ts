import { createHash } from 'node:crypto';

/** A Lua script and its SHA-1, for EVALSHA with an EVAL fallback. */
export interface LuaScript {
  lua: string;
  sha: string;
}

function script(lua: string): LuaScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

// Both scripts read the server clock (TIME), so app instances with skewed clocks still share
// windows; the ban lengths they hand back are durations, which each instance adds to its own clock.
const SERVER_NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/**
 * Adds one batch of error counts and bans the clients it takes past the threshold.
 *
 * ARGV: prefix, instance id, threshold, windowMs, banMs, repeatMultiplier, maxBanMs,
 * forgetAfterMs, then (client key, count) pairs. Returns (client key, ban ms, offences) triples
 * for the bans it issued, and publishes each on `<prefix>ban-events`.
 *
 * Keys, all under the prefix: `count:<client>:<window>` (fixed-window counter, expires after two
 * windows), `ban:<client>` (the ban, value = offences, expires with the ban), `offences:<client>`
 * (expires `forgetAfterMs` after the ban ends), `bans` (sorted set of active bans by end time, the
 * index a starting instance loads; pruned here, expires with its longest ban).
 *
 * The count is the same two-window estimate as the local counter: this window's count plus the
 * previous window's weighted by its overlap with the sliding window. A client already banned is
 * not counted, so a ban is issued once however many instances report the same burst.
 */
export const RECORD_ERRORS = script(`${SERVER_NOW}
local prefix = ARGV[1]
local instance = ARGV[2]
local threshold = tonumber(ARGV[3])
local windowMs = tonumber(ARGV[4])
local banMs = tonumber(ARGV[5])
local multiplier = tonumber(ARGV[6])
local maxBanMs = tonumber(ARGV[7])
local forgetAfterMs = tonumber(ARGV[8])
local window = math.floor(now / windowMs)
local overlap = 1 - (now - window * windowMs) / windowMs
local index = prefix .. 'bans'
local channel = prefix .. 'ban-events'
local issued = {}
for i = 9, #ARGV, 2 do
  local client = ARGV[i]
  local count = tonumber(ARGV[i + 1])
  local banKey = prefix .. 'ban:' .. client
  if redis.call('EXISTS', banKey) == 0 then
    local current = prefix .. 'count:' .. client .. ':' .. string.format('%d', window)
    local previous = prefix .. 'count:' .. client .. ':' .. string.format('%d', window - 1)
    local total = redis.call('INCRBY', current, count)
    if total == count then redis.call('PEXPIRE', current, 2 * windowMs + 1000) end
    local estimate = total + (tonumber(redis.call('GET', previous)) or 0) * overlap
    if estimate > threshold then
      local offenceKey = prefix .. 'offences:' .. client
      local offences = redis.call('INCR', offenceKey)
      local length = math.floor(math.min(maxBanMs, banMs * multiplier ^ (offences - 1)))
      redis.call('SET', banKey, offences, 'PX', length)
      redis.call('PEXPIRE', offenceKey, length + forgetAfterMs)
      redis.call('ZADD', index, string.format('%d', now + length), client)
      if redis.call('PTTL', index) < length then redis.call('PEXPIRE', index, length) end
      redis.call('DEL', current, previous)
      redis.call('PUBLISH', channel, cjson.encode({ t = 'ban', k = client, ms = length, n = offences, i = instance }))
      issued[#issued + 1] = client
      issued[#issued + 1] = length
      issued[#issued + 1] = offences
    end
  end
end
redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
return issued
`);

/**
 * The active bans, longest-lasting first. ARGV: prefix, limit. Returns (client key, ms left) pairs.
 */
export const LOAD_BANS = script(
  `${SERVER_NOW}
local index = ARGV[1] .. 'bans'
redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
local entries = redis.call('ZRANGE', index, '+inf', '(' .. string.format('%d', now),
  'BYSCORE', 'REV', 'LIMIT', 0, tonumber(ARGV[2]), 'WITHSCORES')
local out = {}
for i = 1, #entries, 2 do
  out[#out + 1] = entries[i]
  out[#out + 1] = tonumber(entries[i + 1]) - now
end
return out
`,
);

/**
 * Lifts one client's ban everywhere. ARGV: prefix, client key. Returns 1 when there was a ban.
 */
export const LIFT_BAN = script(`
local prefix = ARGV[1]
local client = ARGV[2]
local existed = redis.call('DEL', prefix .. 'ban:' .. client)
redis.call('ZREM', prefix .. 'bans', client)
redis.call('PUBLISH', prefix .. 'ban-events', cjson.encode({ t = 'lift', k = client }))
return existed
`);
