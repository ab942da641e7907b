// Command minidiscord serves the Mini Discord chat.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "minidiscord:", err)
		os.Exit(1)
	}
}

// run dispatches to a subcommand; with none it serves.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "createsuperuser":
			return createSuperuser(ctx, args[1:], getenv, stdin, stdout, stderr)
		case "changepassword":
			return changePassword(ctx, args[1:], getenv, stdin, stdout, stderr)
		case "import-django":
			return importDjango(ctx, args[1:], getenv, stdout, stderr)
		case "backup":
			return backup(ctx, args[1:], getenv, stdout, stderr)
		case "export":
			return export(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	return serve(ctx, args, getenv, stdout, stderr)
}
