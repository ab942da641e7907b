// Command searchbench fills a database with realistic chat and measures
// search over it (docs/benchmarks.md, "Search over 1,000,000 messages"):
//
//	searchbench fill -db /tmp/search.db -messages 1000000
//	searchbench query -db /tmp/search.db
//	searchbench query -url http://127.0.0.1:8000   # over HTTP, as a browser
//
// fill writes users, rooms and messages through the app's migrations and
// its search triggers, 100 rows per INSERT and 50,000 per transaction (as
// import-django does). Every user's password is "searchbench password".
// query runs a fixed mix of searches, each several times, and prints the
// latency percentiles of each kind and of all of them together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "searchbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: searchbench fill|query [flags] (-h for each)")
		return flag.ErrHelp
	}
	switch args[0] {
	case "fill":
		return fill(ctx, args[1:], stdout, stderr)
	case "query":
		return query(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown command %q: want fill or query", args[0])
}
