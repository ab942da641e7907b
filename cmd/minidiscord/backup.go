package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/minidiscord/minidiscord/models"
)

// backup writes a consistent copy of the SQLite database while the server
// keeps serving; for PostgreSQL it prints the pg_dump command instead.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	env := &environment{getenv: getenv}
	var to string
	fset := flag.NewFlagSet("minidiscord backup", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintf(stderr, "Usage: minidiscord backup -to FILE [-db FILE]\n\n"+
			"Writes a consistent copy of the SQLite database to FILE (which must not exist) while the\n"+
			"server keeps serving. Restore: stop the server, put FILE in place of the database, start.\n"+
			"For a PostgreSQL database it prints the pg_dump command to use instead.\n\n")
		fset.PrintDefaults()
	}
	fset.StringVar(&to, "to", getenv("MINIDISCORD_BACKUP_TO"), "the backup file to write (env MINIDISCORD_BACKUP_TO)")
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
		return fmt.Errorf("unexpected argument %q (see backup -h)", fset.Arg(0))
	}
	if models.IsPostgres(cfg.db) {
		fmt.Fprintf(stdout, "PostgreSQL databases are backed up with pg_dump, which also reads one consistent snapshot while the server keeps serving:\n\n    %s\n\nRestore into an empty database with pg_restore --no-owner --dbname=URL FILE.\n", pgDumpCommand(cfg.db, to))
		return errors.New("nothing was written: run the pg_dump command above")
	}
	if to == "" {
		return errors.New("-to: name the backup file to write")
	}
	if _, err := os.Stat(cfg.db); err != nil {
		return fmt.Errorf("-db: %w", err)
	}
	store, err := models.Open(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Backup(ctx, to); err != nil {
		return err
	}
	info, err := os.Stat(to)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s (%d bytes).\n", cfg.db, to, info.Size())
	return nil
}

// pgDumpCommand is the pg_dump command line for a -db URL. libpq does not
// know the search_path parameter pgx takes, so it becomes --schema; a
// password is left out (pg_dump asks, or reads PGPASSWORD or ~/.pgpass).
func pgDumpCommand(dsn, to string) string {
	if to == "" {
		to = "minidiscord.dump"
	}
	args := []string{"pg_dump", "--format=custom", "--file=" + shellQuote(to)}
	if u, err := url.Parse(dsn); err == nil {
		q := u.Query()
		if schema := q.Get("search_path"); schema != "" {
			args = append(args, "--schema="+shellQuote(schema))
			q.Del("search_path")
			u.RawQuery = q.Encode()
		}
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		dsn = u.String()
	}
	return strings.Join(append(args, "--dbname="+shellQuote(dsn)), " ")
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
