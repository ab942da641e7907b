package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/redis/go-redis/v9"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/ratelimit"
	"github.com/minidiscord/minidiscord/realtime"
	"github.com/minidiscord/minidiscord/realtime/cluster"
)

// link wires one instance to the others through the -broker Redis, if
// there is one: the hub's relay, a shared rate limiter, and how to stop.
// Without -broker it changes nothing: the in-process hub and in-memory
// limits, as for a single instance.
type link struct {
	rdb     *redis.Client
	cluster *cluster.Cluster
}

// openLink connects to -broker and fills in the hub options and handler
// config that make this instance one of several. Close it after the hub.
func openLink(ctx context.Context, cfg config, log *slog.Logger, store *models.Store, ropts *realtime.Options, hcfg *handlers.Config) (*link, error) {
	if cfg.broker == "" {
		return &link{}, nil
	}
	opts, err := redis.ParseURL(cfg.broker)
	if err != nil {
		return nil, fmt.Errorf("-broker: %w", err)
	}
	rdb := redis.NewClient(opts)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("-broker %s: %w", redactURL(cfg.broker), err)
	}
	const prefix = "minidiscord:"
	c := cluster.New(rdb, handlers.MessageHistory{Store: store}, cluster.Options{Prefix: prefix, PresenceTTL: cfg.presenceTTL, Log: log})
	ropts.Relay = c
	hcfg.NewLimiter = func(name string, l ratelimit.Limit) ratelimit.Limiter {
		return ratelimit.NewRedis(rdb, prefix+"rl:"+name+":", l)
	}
	return &link{rdb: rdb, cluster: c}, nil
}

// Close sends what is left to publish, withdraws this instance's presence
// and closes the Redis connections. Call it after the hub and the message
// writer are closed.
func (l *link) Close() {
	if l.rdb != nil {
		l.cluster.Close()
		l.rdb.Close()
	}
}

// redactURL hides the password of a database or broker URL, for logs and
// errors; anything else (an SQLite path) is returned as it is.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}
