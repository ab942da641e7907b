package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/models"
)

// config is every setting, read once from flags with environment fallbacks.
type config struct {
	addr          string
	db            string
	sessionKey    string
	secureCookies bool
	sessionTTL    time.Duration
	leaveGrace    time.Duration
	broker        string
	presenceTTL   time.Duration
	bcryptCost    int
	dev           bool
	limits        handlers.RateLimits
	limitsOff     bool
	proxies       []string
	https         httpsConfig // https.go
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// commonFlags registers the settings the server and the subcommands that
// make users share.
func commonFlags(fset *flag.FlagSet, cfg *config, getenv func(string) string) {
	dbFlag(fset, cfg, getenv)
	fset.IntVar(&cfg.bcryptCost, "bcrypt-cost", envInt(getenv, "MINIDISCORD_BCRYPT_COST", 10), "bcrypt cost of new passwords, 4–31; lower only for load tests (env MINIDISCORD_BCRYPT_COST)")
}

// dbFlag registers -db alone, for the subcommands that only need the database.
func dbFlag(fset *flag.FlagSet, cfg *config, getenv func(string) string) {
	fset.StringVar(&cfg.db, "db", envOr(getenv, "MINIDISCORD_DB", "minidiscord.db"), "SQLite database file, or a postgres:// URL for PostgreSQL; created or migrated on start (env MINIDISCORD_DB)")
}

func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var cfg config
	fset := flag.NewFlagSet("minidiscord", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "Usage: minidiscord [flags]\n"+
			"       minidiscord createsuperuser -username NAME [-db FILE]\n"+
			"       minidiscord changepassword -username NAME [-db FILE]\n"+
			"       minidiscord import-django -from SOURCE [-db FILE] [-dry-run]\n"+
			"       minidiscord backup -to FILE [-db FILE]\n"+
			"       minidiscord export [-room NAME] -to FILE [-db FILE]\n"+
			"(each subcommand explains itself with -h; docs/operations.md has the details)\n\n"+
			"Serves Mini Discord. Flags (each with an environment fallback):\n")
		fset.PrintDefaults()
		fmt.Fprintf(stderr, "\nMINIDISCORD_SESSION_KEY: secret (32+ characters) that signs session cookies; if unset, one is generated once and kept in <db>.secret beside an SQLite database, or in the settings table of a PostgreSQL one (shared by every instance).\n")
	}
	fset.StringVar(&cfg.addr, "addr", envOr(getenv, "MINIDISCORD_ADDR", "127.0.0.1:8000"), "address to listen on (env MINIDISCORD_ADDR)")
	commonFlags(fset, &cfg, getenv)
	fset.BoolVar(&cfg.secureCookies, "secure-cookies", envBool(getenv, "MINIDISCORD_SECURE_COOKIES"), "mark cookies Secure; set when served over HTTPS or behind a TLS proxy (env MINIDISCORD_SECURE_COOKIES)")
	fset.DurationVar(&cfg.sessionTTL, "session-ttl", envDuration(getenv, "MINIDISCORD_SESSION_TTL", 14*24*time.Hour), "how long a login lasts (env MINIDISCORD_SESSION_TTL)")
	fset.DurationVar(&cfg.leaveGrace, "leave-grace", envDuration(getenv, "MINIDISCORD_LEAVE_GRACE", 5*time.Second), "how long a user stays online after their last stream closes, so reloads do not flicker (env MINIDISCORD_LEAVE_GRACE)")
	fset.BoolVar(&cfg.dev, "dev", envBool(getenv, "MINIDISCORD_DEV"), "serve the designers' /styleguide page, which draws every component with sample data (env MINIDISCORD_DEV)")
	checkSecurity := securityFlags(fset, &cfg, getenv)
	checkHTTPS := httpsFlags(fset, &cfg, getenv)
	fset.StringVar(&cfg.broker, "broker", getenv("MINIDISCORD_BROKER"), "redis:// URL linking several instances (events, presence, rate limits); unset: this process alone (env MINIDISCORD_BROKER)")
	fset.DurationVar(&cfg.presenceTTL, "presence-ttl", envDuration(getenv, "MINIDISCORD_PRESENCE_TTL", 30*time.Second), "with -broker, how soon the users of an instance that died leave the online lists (env MINIDISCORD_PRESENCE_TTL)")
	if err := fset.Parse(args); err != nil {
		return cfg, err
	}
	if err := checkSecurity(); err != nil {
		return cfg, err
	}
	if err := checkHTTPS(); err != nil {
		return cfg, err
	}
	if fset.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q (see -h)", fset.Arg(0))
	}
	cfg.sessionKey = getenv("MINIDISCORD_SESSION_KEY")
	return cfg, nil
}

func envBool(getenv func(string) string, key string) bool {
	b, _ := strconv.ParseBool(getenv(key))
	return b
}

func envInt(getenv func(string) string, key string, def int) int {
	if n, err := strconv.Atoi(getenv(key)); err == nil {
		return n
	}
	return def
}

func envDuration(getenv func(string) string, key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(getenv(key)); err == nil {
		return d
	}
	return def
}

// sessionSecret returns the cookie-signing key: the configured one, or one
// generated on first start and kept beside the SQLite database, or in the
// PostgreSQL database, where every instance finds the same one.
func sessionSecret(ctx context.Context, cfg config, store *models.Store) ([]byte, error) {
	if cfg.sessionKey != "" {
		if len(cfg.sessionKey) < 32 {
			return nil, errors.New("MINIDISCORD_SESSION_KEY must be at least 32 characters")
		}
		return []byte(cfg.sessionKey), nil
	}
	if models.IsPostgres(cfg.db) {
		v, err := store.Setting(ctx, "session_key", func() string {
			key := make([]byte, 64)
			rand.Read(key)
			return hex.EncodeToString(key)
		})
		if err != nil {
			return nil, err
		}
		key, err := hex.DecodeString(v)
		if err != nil || len(key) < 32 {
			return nil, errors.New("the session_key setting in the database is damaged; delete its row to make a new one (everyone will be logged out)")
		}
		return key, nil
	}
	path := cfg.db + ".secret"
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(key) < 32 {
			return nil, fmt.Errorf("session key file %s is damaged; delete it to make a new one (everyone will be logged out)", path)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	key := make([]byte, 64)
	rand.Read(key)
	if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("keep session key: %w", err)
	}
	return key, nil
}
