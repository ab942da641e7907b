package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Redis is a Limiter shared by every instance that uses the same Redis: the
// same token bucket as Memory, kept by redis_rate as GCRA's one number per
// key and checked and updated in one Lua script, so concurrent instances
// cannot both take the last token. Redis's own clock is used, so instances'
// clocks need not agree. A key lives only until its bucket is full again.
type Redis struct {
	lim    *redis_rate.Limiter
	prefix string
	limit  redis_rate.Limit
}

// NewRedis makes a Limiter for l whose keys start with prefix (such as
// "minidiscord:rl:login-ip:"; redis_rate puts "rate:" before it).
func NewRedis(rdb *redis.Client, prefix string, l Limit) *Redis {
	return &Redis{
		lim:    redis_rate.NewLimiter(rdb),
		prefix: prefix,
		limit:  redis_rate.Limit{Rate: l.Events, Burst: l.Events, Period: l.Per},
	}
}

// Allow takes a token from key's bucket if it has one.
func (r *Redis) Allow(ctx context.Context, key string) (bool, time.Duration, error) {
	res, err := r.lim.Allow(ctx, r.prefix+key, r.limit)
	if err != nil {
		return false, 0, fmt.Errorf("ratelimit: redis: %w", err)
	}
	if res.Allowed > 0 {
		return true, 0, nil
	}
	return false, res.RetryAfter, nil
}
