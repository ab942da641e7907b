package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/minidiscord/minidiscord/models"
)

// export writes rooms, users (no password hashes) and messages as JSON
// Lines, streamed from one snapshot while the server keeps serving. The
// format is in docs/operations.md.
func export(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	env := &environment{getenv: getenv}
	var to, roomName string
	fset := flag.NewFlagSet("minidiscord export", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "Usage: minidiscord export [-room NAME] -to FILE [-db FILE]\n\n"+
			"Writes rooms, users (without password hashes) and messages as JSON Lines (docs/operations.md).\n\n")
		fset.PrintDefaults()
	}
	fset.StringVar(&to, "to", getenv("MINIDISCORD_EXPORT_TO"), "the file to write, which must not exist; - writes to standard output (env MINIDISCORD_EXPORT_TO)")
	fset.StringVar(&roomName, "room", getenv("MINIDISCORD_EXPORT_ROOM"), "export only this room, its messages and their authors (env MINIDISCORD_EXPORT_ROOM)")
	dbFlag(fset, &cfg, env)
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if err := env.err(); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see export -h)", fset.Arg(0))
	}
	if to == "" {
		return errors.New("-to: name the file to write (- for standard output)")
	}
	if !models.IsPostgres(cfg.db) {
		if _, err := os.Stat(cfg.db); err != nil {
			return fmt.Errorf("-db: %w", err)
		}
	}
	store, err := models.Open(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer store.Close()
	var room *models.Room
	if roomName != "" {
		if room, err = store.RoomByName(ctx, roomName); errors.Is(err, models.ErrNotFound) {
			return fmt.Errorf("-room: there is no room called %q", roomName)
		} else if err != nil {
			return err
		}
	}

	// Into FILE.partial, renamed to FILE once complete: a FILE that exists
	// is a whole export.
	out, partial := stdout, ""
	if to != "-" {
		if _, err := os.Lstat(to); err == nil {
			return fmt.Errorf("-to: %s exists already; choose a new file", to)
		}
		partial = to + ".partial"
		f, err := os.OpenFile(partial, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		defer func() {
			f.Close()
			os.Remove(partial) // gone already after the rename
		}()
		out = f
	}
	bw := bufio.NewWriterSize(out, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var end models.ExportEnd
	err = store.Export(ctx, room, func(rec any) error {
		if e, ok := rec.(models.ExportEnd); ok {
			end = e
		}
		return enc.Encode(rec)
	})
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if partial != "" {
		f := out.(*os.File)
		if err := f.Sync(); err != nil {
			return err
		}
		if err := os.Rename(partial, to); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Exported %d rooms, %d users and %d messages to %s.\n", end.Rooms, end.Users, end.Messages, to)
	}
	return nil
}
