package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// config is every setting of a run, read once from flags.
type config struct {
	url   string
	spawn bool
	pkg   string
	pid   int
	keep  bool
	dbDir string
	sargs string

	users       int
	listeners   int
	rooms       int
	roomPrefix  string
	userPrefix  string
	senders     int
	rate        float64
	duration    time.Duration
	idle        bool
	hold        time.Duration
	drain       time.Duration
	concurrency int
	openConc    int
	openTimeout time.Duration
	checkOnline bool
	readBuf     int
	typists     int
	typingEvery time.Duration

	peer       bool
	peerManage string
	peerDB     string
	peerForms  int
	peerPython string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fset := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, `Usage: loadgen (-spawn | -url URL [-pid PID]) [flags]

Signs up and logs in -users users, opens one event stream per user across
-rooms rooms (users spread evenly), waits until every stream is open, then
posts -rate messages/s from -senders senders for -duration and measures
what every stream receives: delivered/expected, post→receipt latency,
deliveries/s, and the server's memory. With -idle it only opens the
streams and measures memory.

Run it from the repository root when using -spawn. Loopback only.

Flags:
`)
		fset.PrintDefaults()
	}
	fset.StringVar(&cfg.url, "url", "", "base URL of a running server, e.g. http://127.0.0.1:8000 (loopback only)")
	fset.BoolVar(&cfg.spawn, "spawn", false, "build -pkg and start it on a free loopback port with a fresh temporary database, rate limits off and bcrypt cost 4")
	fset.StringVar(&cfg.pkg, "pkg", "./cmd/minidiscord", "package that -spawn builds")
	fset.StringVar(&cfg.sargs, "server-flags", "", "extra flags for the spawned server, space separated")
	fset.StringVar(&cfg.dbDir, "db-dir", "", "directory for the spawned server's temporary directory (default: the system's; /dev/shm skips fsync, which makes signing up thousands of users fast but posts not durable)")
	fset.BoolVar(&cfg.keep, "keep", false, "keep the spawned server's temporary directory (database and log)")
	fset.IntVar(&cfg.pid, "pid", 0, "process id of the server given by -url, to read its memory from /proc (0: not measured)")

	fset.IntVar(&cfg.users, "users", 100, "users to sign up and log in")
	fset.IntVar(&cfg.listeners, "listeners", -1, "how many users open a stream, the last ones (default: all); senders are the first, so -listeners below -users leaves senders without streams")
	fset.IntVar(&cfg.rooms, "rooms", 1, "rooms the users are spread over")
	fset.StringVar(&cfg.roomPrefix, "room-prefix", "bench", "rooms are named PREFIX-0, PREFIX-1, …")
	fset.StringVar(&cfg.userPrefix, "user-prefix", "lg", "users are named PREFIX0, PREFIX1, …; existing ones are logged in again")
	fset.IntVar(&cfg.senders, "senders", 10, "posting users (sender i posts as user i into that user's room)")
	fset.Float64Var(&cfg.rate, "rate", 10, "total messages per second over all senders (0: as fast as the server takes them)")
	fset.DurationVar(&cfg.duration, "duration", 20*time.Second, "how long to post")
	fset.BoolVar(&cfg.idle, "idle", false, "open the streams, post nothing, measure memory")
	fset.DurationVar(&cfg.hold, "hold", 3*time.Second, "how long streams settle after opening before memory is read")
	fset.DurationVar(&cfg.drain, "drain", 10*time.Second, "after posting, how long to wait for messages still on their way")
	fset.IntVar(&cfg.concurrency, "concurrency", 16, "how many sign-ups and logins run at once")
	fset.IntVar(&cfg.openConc, "open-concurrency", 256, "how many streams are being opened at once")
	fset.DurationVar(&cfg.openTimeout, "open-timeout", 90*time.Second, "give up opening streams after this long")
	fset.BoolVar(&cfg.checkOnline, "check-online", false, "after opening, read the first room's online list from a fresh stream and compare it with the users in it")
	fset.IntVar(&cfg.readBuf, "read-buffer", 2048, "bytes of read buffer per stream (two of them: connection and lines)")
	fset.IntVar(&cfg.typists, "typists", 0, "listeners who also say they are typing in their room while the senders post, as a page does while its reader types")
	fset.DurationVar(&cfg.typingEvery, "typing-every", 3*time.Second, "how often each typist says so (the page's most)")
	fset.BoolVar(&cfg.peer, "peer", false, "drive the original Django Channels app (../shared/peer) over its WebSocket protocol instead: give -url, -pid, -peer-manage and -peer-db")
	fset.StringVar(&cfg.peerManage, "peer-manage", "", "with -peer: the original's manage.py, run to create users and sessions through its ORM")
	fset.StringVar(&cfg.peerDB, "peer-db", "", "with -peer: the original's SQLite file (run.sh's run-PORT/db.sqlite3)")
	fset.StringVar(&cfg.peerPython, "peer-python", "/usr/bin/python3", "with -peer: the Python that has the original's Debian packages (run.sh uses the same)")
	fset.IntVar(&cfg.peerForms, "peer-form-logins", 10, "with -peer: how many users (the senders first) log in through the login form; the rest get sessions from the ORM, since each form login costs the original 0.3 s of PBKDF2 on its one sync thread")
	if err := fset.Parse(args); err != nil {
		return cfg, err
	}
	if fset.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q (see -h)", fset.Arg(0))
	}
	switch {
	case cfg.spawn == (cfg.url != ""):
		return cfg, errors.New("give exactly one of -spawn and -url")
	case cfg.users < 1 || cfg.rooms < 1 || cfg.rooms > cfg.users:
		return cfg, errors.New("need 1 ≤ -rooms ≤ -users")
	case !cfg.idle && (cfg.senders < 1 || cfg.senders > cfg.users):
		return cfg, errors.New("need 1 ≤ -senders ≤ -users")
	case cfg.listeners > cfg.users:
		return cfg, errors.New("-listeners cannot exceed -users")
	case cfg.rate < 0 || cfg.duration <= 0 || cfg.concurrency < 1 || cfg.openConc < 1:
		return cfg, errors.New("-rate, -duration and the concurrencies must be positive")
	case cfg.readBuf < 256:
		return cfg, errors.New("-read-buffer must be at least 256")
	case cfg.typists < 0 || cfg.typingEvery <= 0:
		return cfg, errors.New("-typists and -typing-every must not be negative")
	}
	if cfg.peer && (cfg.url == "" || cfg.peerManage == "" || cfg.peerDB == "" || cfg.idle || cfg.typists > 0) {
		return cfg, errors.New("-peer needs -url, -peer-manage and -peer-db, and takes neither -idle nor -typists")
	}
	if cfg.listeners < 0 {
		cfg.listeners = cfg.users
	}
	if cfg.typists > cfg.listeners {
		return cfg, errors.New("-typists cannot exceed the listeners")
	}
	if cfg.url != "" {
		cfg.url = strings.TrimRight(cfg.url, "/")
		if err := checkLoopback(cfg.url); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}
