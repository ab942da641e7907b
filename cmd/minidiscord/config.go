package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/minidiscord/minidiscord/handlers"
)

// config is every setting, read once from flags with environment fallbacks.
type config struct {
	addr          string
	metricsAddr   string
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
	maxFileSize   int64       // uploads.go
	uploadQuota   int64
}

// environment reads the flags' environment fallbacks. A value that does
// not parse is not skipped: it is kept as an error naming the variable and
// the value, and the start stops on it once the flags are parsed (even if
// a flag overrides it this time, it would bite the next start without one).
type environment struct {
	getenv func(string) string
	errs   []error
}

func (e *environment) bad(key, value, want string) {
	e.errs = append(e.errs, fmt.Errorf("%s=%q: want %s", key, value, want))
}

// err is every bad value found, or nil.
func (e *environment) err() error { return errors.Join(e.errs...) }

func (e *environment) str(key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

func (e *environment) boolean(key string) bool {
	v := e.getenv(key)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.bad(key, v, "true or false")
	}
	return b
}

func (e *environment) integer(key string, def int) int {
	v := e.getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.bad(key, v, "a whole number")
		return def
	}
	return n
}

func (e *environment) duration(key string, def time.Duration) time.Duration {
	v := e.getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		e.bad(key, v, "a duration such as 90s, 15m or 336h")
		return def
	}
	return d
}

// origin names where a flag's value came from, for an error about it: the
// flag if it was given, else its environment variable.
func origin(fset *flag.FlagSet, name, env string) string {
	given := false
	fset.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	if given {
		return "-" + name
	}
	return env
}

// commonFlags registers the settings every subcommand shares. The returned
// check reads them once the flags are parsed.
func commonFlags(fset *flag.FlagSet, cfg *config, env *environment) (check func() error) {
	dbFlag(fset, cfg, env)
	fset.IntVar(&cfg.bcryptCost, "bcrypt-cost", env.integer("MINIDISCORD_BCRYPT_COST", 10), "bcrypt cost of new passwords, 4–31; lower only for load tests (env MINIDISCORD_BCRYPT_COST)")
	return func() error {
		if err := env.err(); err != nil {
			return err
		}
		// bcrypt would quietly raise a lower cost to 10, and refuse a
		// higher one at every signup.
		if cfg.bcryptCost < bcrypt.MinCost || cfg.bcryptCost > bcrypt.MaxCost {
			return fmt.Errorf("%s %d: want a bcrypt cost from %d to %d", origin(fset, "bcrypt-cost", "MINIDISCORD_BCRYPT_COST"), cfg.bcryptCost, bcrypt.MinCost, bcrypt.MaxCost)
		}
		return nil
	}
}

// dbFlag registers -db alone, for the subcommands that only need the database.
func dbFlag(fset *flag.FlagSet, cfg *config, env *environment) {
	fset.StringVar(&cfg.db, "db", env.str("MINIDISCORD_DB", "minidiscord.db"), "SQLite database file, or a postgres:// URL for PostgreSQL; created or migrated on start (env MINIDISCORD_DB)")
}

func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var cfg config
	env := &environment{getenv: getenv}
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
	fset.StringVar(&cfg.addr, "addr", env.str("MINIDISCORD_ADDR", "127.0.0.1:8000"), "address to listen on (env MINIDISCORD_ADDR)")
	fset.StringVar(&cfg.metricsAddr, "metrics-addr", env.str("MINIDISCORD_METRICS_ADDR", ""), "serve Prometheus metrics at /metrics on this address, a listener of its own (keep it private: loopback or an internal network); unset: no metrics (env MINIDISCORD_METRICS_ADDR)")
	checkCommon := commonFlags(fset, &cfg, env)
	fset.BoolVar(&cfg.secureCookies, "secure-cookies", env.boolean("MINIDISCORD_SECURE_COOKIES"), "mark cookies Secure; set when served over HTTPS or behind a TLS proxy (env MINIDISCORD_SECURE_COOKIES)")
	fset.DurationVar(&cfg.sessionTTL, "session-ttl", env.duration("MINIDISCORD_SESSION_TTL", 14*24*time.Hour), "how long a login lasts (env MINIDISCORD_SESSION_TTL)")
	fset.DurationVar(&cfg.leaveGrace, "leave-grace", env.duration("MINIDISCORD_LEAVE_GRACE", 5*time.Second), "how long a user stays online after their last stream closes, so reloads do not flicker (env MINIDISCORD_LEAVE_GRACE)")
	fset.BoolVar(&cfg.dev, "dev", env.boolean("MINIDISCORD_DEV"), "serve the designers' /styleguide page, which draws every component with sample data (env MINIDISCORD_DEV)")
	checkSecurity := securityFlags(fset, &cfg, env)
	checkHTTPS := httpsFlags(fset, &cfg, env)
	checkUploads := uploadFlags(fset, &cfg, env)
	fset.StringVar(&cfg.broker, "broker", env.str("MINIDISCORD_BROKER", ""), "redis:// URL linking several instances (events, presence, rate limits); unset: this process alone (env MINIDISCORD_BROKER)")
	fset.DurationVar(&cfg.presenceTTL, "presence-ttl", env.duration("MINIDISCORD_PRESENCE_TTL", 30*time.Second), "with -broker, how soon the users of an instance that died leave the online lists (env MINIDISCORD_PRESENCE_TTL)")
	if err := fset.Parse(args); err != nil {
		return cfg, err
	}
	if err := checkCommon(); err != nil {
		return cfg, err
	}
	if err := checkSecurity(); err != nil {
		return cfg, err
	}
	if err := checkUploads(); err != nil {
		return cfg, err
	}
	for _, d := range []struct {
		name, env  string
		value, min time.Duration
	}{
		{"session-ttl", "MINIDISCORD_SESSION_TTL", cfg.sessionTTL, time.Second},
		{"leave-grace", "MINIDISCORD_LEAVE_GRACE", cfg.leaveGrace, 0},
		{"presence-ttl", "MINIDISCORD_PRESENCE_TTL", cfg.presenceTTL, time.Second},
	} {
		if d.value < d.min {
			return cfg, fmt.Errorf("%s %v: want at least %v", origin(fset, d.name, d.env), d.value, d.min)
		}
	}
	if err := checkHTTPS(); err != nil {
		return cfg, err
	}
	if fset.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q (see -h)", fset.Arg(0))
	}
	cfg.sessionKey = getenv("MINIDISCORD_SESSION_KEY")
	if cfg.sessionKey != "" && len(cfg.sessionKey) < 32 {
		return cfg, errors.New("MINIDISCORD_SESSION_KEY must be at least 32 characters")
	}
	return cfg, nil
}
