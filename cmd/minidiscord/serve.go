package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/realtime"
	"github.com/minidiscord/minidiscord/realtime/cluster"
)

// shutdownGrace bounds how long a shutdown waits for requests in flight.
const shutdownGrace = 8 * time.Second

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseServeFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stdout, nil))

	if cfg.limitsOff {
		log.Warn("rate limits are off (MINIDISCORD_RATE_LIMITS=off): logins, signups and posts are not limited; use this only for load tests on loopback")
	}
	var sessionKey []byte
	if cfg.sessionKey != "" {
		sessionKey = []byte(cfg.sessionKey)
	}
	app, err := handlers.NewApp(ctx, handlers.AppConfig{
		Log:     log,
		DB:      cfg.db,
		Broker:  cfg.broker,
		Cluster: cluster.Options{PresenceTTL: cfg.presenceTTL},
		Hub:     realtime.Options{LeaveGrace: cfg.leaveGrace},
		Handler: handlers.Config{
			RateLimits:     cfg.limits,
			TrustedProxies: cfg.proxies,
			SessionKey:     sessionKey,
			SecureCookies:  cfg.secureCookies,
			SessionTTL:     cfg.sessionTTL,
			PasswordCost:   cfg.bcryptCost,
			Dev:            cfg.dev,
			MaxFileSize:    cfg.maxFileSize,
			UploadQuota:    cfg.uploadQuota,
		},
	})
	if err != nil {
		return err
	}
	defer app.Close()

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           app.Routes(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// No WriteTimeout: streams stay open; other routes set their own
		// write deadline per request.
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	// Streams never end on their own; closing the hub ends them so
	// Shutdown does not wait for them.
	srv.RegisterOnShutdown(app.Hub.Close)

	errc := make(chan error, 3)
	if cfg.metricsAddr != "" {
		stopMetrics, err := serveMetrics(cfg.metricsAddr, app.Metrics(), log, errc)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}
	// Plain HTTP, or HTTPS with HTTP/2 (https.go).
	url, shutdown, err := startServing(cfg, log, srv, ln, errc)
	if err != nil {
		return err
	}
	log.Info("serving", "url", url, "db", redactURL(cfg.db), "broker", redactURL(cfg.broker))

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// serveMetrics serves /metrics, and nothing else, on a listener of its own:
// the site never answers it, so what the operator binds this address to
// (loopback, an internal network) decides who can read it.
func serveMetrics(addr string, metrics http.Handler, log *slog.Logger, errc chan<- error) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("-metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	// Profiles on the same private listener, for measuring under load
	// (docs/benchmarks.md).
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      70 * time.Second, // a CPU profile of up to a minute
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("metrics: %w", err)
		}
	}()
	log.Info("serving metrics", "url", "http://"+ln.Addr().String()+"/metrics")
	return func() { srv.Close() }, nil
}
