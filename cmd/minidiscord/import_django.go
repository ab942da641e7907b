package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/minidiscord/minidiscord/models"
)

// importDjango moves an original mini-discord (Django) database in: users
// with their passwords, rooms, messages. See docs/operations.md.
func importDjango(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	env := &environment{getenv: getenv}
	var from string
	var dryRun bool
	var commitEvery int
	fset := flag.NewFlagSet("minidiscord import-django", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "Usage: minidiscord import-django -from SOURCE [-db FILE] [-dry-run]\n\n"+
			"Imports the original mini-discord's users (with their passwords), rooms and messages.\n"+
			"Names this app refuses are changed and reported. Running it again imports only what is new.\n\n")
		fset.PrintDefaults()
	}
	fset.StringVar(&from, "from", getenv("MINIDISCORD_IMPORT_FROM"), "the original's database: its SQLite file (db.sqlite3), or a postgres:// URL (env MINIDISCORD_IMPORT_FROM)")
	fset.BoolVar(&dryRun, "dry-run", env.boolean("MINIDISCORD_IMPORT_DRY_RUN"), "print the report of what would be imported, and write nothing (env MINIDISCORD_IMPORT_DRY_RUN)")
	fset.IntVar(&commitEvery, "commit-every", 50_000, "messages per transaction: a run that is interrupted redoes at most this many; fewer commit more often and import more slowly")
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
		return fmt.Errorf("unexpected argument %q (see import-django -h)", fset.Arg(0))
	}
	if commitEvery < 1 {
		return fmt.Errorf("-commit-every: %d is not a positive number of messages", commitEvery)
	}
	if from == "" {
		return errors.New("-from: name the original's database (its db.sqlite3 file, or a postgres:// URL)")
	}
	src, err := models.OpenDjangoSource(ctx, from)
	if err != nil {
		return err
	}
	defer src.Close()
	src.CommitEvery = commitEvery

	if dryRun {
		imp, err := models.PlanDjangoImport(ctx, src, cfg.db)
		if err != nil {
			return err
		}
		writeImportReport(stdout, imp, redactURL(cfg.db))
		return nil
	}
	store, err := models.Open(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer store.Close()
	bar := newProgressBar(stderr, "messages")
	imp, err := store.ImportDjango(ctx, src, bar.set)
	bar.done()
	if err != nil {
		if imp != nil && imp.Imported > 0 {
			return fmt.Errorf("%w\n%d messages were imported before the error; run the same command again to import the rest", err, imp.Imported)
		}
		return err
	}
	writeImportReport(stdout, imp, redactURL(cfg.db))
	return nil
}

// writeImportReport prints what an import did (or, dry, would do). Names
// are quoted Go-style, so spaces, control characters and terminal escape
// sequences in the original's names show as what they are.
func writeImportReport(w io.Writer, imp *models.DjangoImport, db string) {
	would := func(done, dry string) string {
		if imp.DryRun {
			return dry
		}
		return done
	}
	fmt.Fprintf(w, "%s %s into %s\n", would("Imported", "Dry run: would import"), imp.Source, db)

	var newUsers, staff, inactive int
	var renamedUsers, locked []models.ImportedUser
	for _, u := range imp.Users {
		if u.Earlier {
			continue
		}
		newUsers++
		if u.Staff {
			staff++
		}
		if !u.Active {
			inactive++
		}
		if u.Renamed() {
			renamedUsers = append(renamedUsers, u)
		}
		if !u.Checkable {
			locked = append(locked, u)
		}
	}
	fmt.Fprintf(w, "\nUsers: %d in the source, %d %s (%d staff, %d inactive), %d imported before.\n",
		len(imp.Users), newUsers, would("new", "to import"), staff, inactive, len(imp.Users)-newUsers)
	if len(renamedUsers) > 0 {
		fmt.Fprintf(w, "  %d renamed; each is told the new name at their first login, and the old one still logs in:\n", len(renamedUsers))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, u := range renamedUsers {
			fmt.Fprintf(tw, "    %s\t-> %s\t%s\n", quoteName(u.OldName), quoteName(u.Name), strings.Join(u.Why, "; "))
		}
		tw.Flush()
	}
	if len(locked) > 0 {
		fmt.Fprintf(w, "  %d cannot log in until staff set a new password (minidiscord changepassword -username NAME):\n", len(locked))
		for _, u := range locked {
			why := "no usable password in the original"
			if u.Algorithm != "" {
				why = "a password in a format this app cannot check (" + u.Algorithm + ")"
			}
			fmt.Fprintf(w, "    %q: %s\n", u.Name, why)
		}
	}

	var newRooms int
	var renamedRooms []models.ImportedRoom
	for _, r := range imp.Rooms {
		if r.Earlier {
			continue
		}
		newRooms++
		if r.Renamed() {
			renamedRooms = append(renamedRooms, r)
		}
	}
	fmt.Fprintf(w, "\nRooms: %d in the source, %d %s, %d imported before.\n", len(imp.Rooms), newRooms, would("new", "to import"), len(imp.Rooms)-newRooms)
	if len(renamedRooms) > 0 {
		fmt.Fprintf(w, "  %d renamed; the old address /chat/<old name>/ leads to the new name:\n", len(renamedRooms))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, r := range renamedRooms {
			why := strings.Join(r.Why, "; ")
			if !r.Alias {
				why += " (the old address stays with the room still called that)"
			}
			fmt.Fprintf(tw, "    %s\t-> %s\t%s\n", quoteName(r.OldName), quoteName(r.Name), why)
		}
		tw.Flush()
	}

	fmt.Fprintf(w, "\nMessages: %d in the source, %d imported before this run", imp.Messages, imp.Messages-imp.Pending)
	if imp.DryRun {
		fmt.Fprintf(w, ", %d to import.\n", imp.Pending)
		return
	}
	fmt.Fprintf(w, ", %d imported now.\n", imp.Imported)
	if imp.Skipped > 0 {
		fmt.Fprintf(w, "  %d left out: their user or room is missing (deleted in the original, or here since an earlier import).\n", imp.Skipped)
	}
	if imp.Repaired > 0 {
		fmt.Fprintf(w, "  %d had text that was not valid UTF-8 or held NUL bytes; those bytes are now U+FFFD.\n", imp.Repaired)
	}
}

// quoteName quotes a name for the report, shortening a very long one.
func quoteName(s string) string {
	const max = 40
	if n := utf8.RuneCountInString(s); n > max {
		r := []rune(s)
		return fmt.Sprintf("%q… (%d characters)", string(r[:max]), n)
	}
	return fmt.Sprintf("%q", s)
}
