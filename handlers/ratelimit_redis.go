package handlers

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisLimiter is a Limiter shared by every instance that uses the same
// Redis: the same token bucket as MemoryLimiter (a burst of Events, refilled
// at Events per Per), kept as GCRA's one number per key — the time at which
// the bucket will be full again — and checked and updated by one Lua script,
// so concurrent instances cannot both take the last token. Redis's own
// clock is used, so instances' clocks need not agree. A key lives only until
// its bucket is full again.
type RedisLimiter struct {
	rdb      *redis.Client
	prefix   string
	interval time.Duration // between two tokens
	burst    int
}

// NewRedisLimiter makes a Limiter for l whose keys start with prefix (such
// as "minidiscord:rl:login-ip:").
func NewRedisLimiter(rdb *redis.Client, prefix string, l RateLimit) *RedisLimiter {
	return &RedisLimiter{rdb: rdb, prefix: prefix, interval: l.Per / time.Duration(l.Events), burst: l.Events}
}

// gcra takes one token: KEYS[1] holds the theoretical arrival time (TAT) in
// ms; ARGV[1] is the interval between tokens in ms, ARGV[2] the burst. It
// answers {1, 0} when allowed, else {0, ms to wait}.
var gcra = redis.NewScript(`
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local allow_at = tat - (burst - 1) * interval
if now < allow_at then
  return {0, allow_at - now}
end
local new_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', new_tat - now)
return {1, 0}
`)

// Allow takes a token from key's bucket if it has one.
func (l *RedisLimiter) Allow(ctx context.Context, key string) (bool, time.Duration, error) {
	res, err := gcra.Run(ctx, l.rdb, []string{l.prefix + key}, max(1, l.interval.Milliseconds()), l.burst).Int64Slice()
	if err != nil {
		return false, 0, fmt.Errorf("handlers: redis limiter: %w", err)
	}
	if len(res) != 2 {
		return false, 0, fmt.Errorf("handlers: redis limiter: unexpected answer %v", res)
	}
	return res[0] == 1, time.Duration(res[1]) * time.Millisecond, nil
}
