package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/sqliteshim"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/models/modelstest"
)

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	return out.String() + errOut.String(), err
}

// TestImportDjangoCommand runs the import as an operator would: a dry run
// that reports every rename and writes nothing, the import, and a second
// run that finds nothing new.
func TestImportDjangoCommand(t *testing.T) {
	src := modelstest.DjangoSQLite(t)
	db := filepath.Join(t.TempDir(), "chat.db")

	out, err := runCmd(t, "import-django", "-from", src, "-db", db, "-dry-run")
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	t.Logf("dry run:\n%s", out)
	if _, err := os.Stat(db); err == nil {
		t.Error("the dry run created the database")
	}
	for _, want := range []string{
		"Dry run: would import",
		"Users: 17 in the source, 17 to import (2 staff, 1 inactive), 0 imported before.",
		`"BOB"`, `-> "BOB-2"`, `names here ignore case, and "BOB" is taken by "Bob"`,
		`-> "bob-3"`, `-> "marie"`, `-> "john_doe"`, `-> "script_alert_1_script"`,
		`"nopass": no usable password in the original`,
		`"legacy": a password in a format this app cannot check (crypt)`,
		"Rooms: 16 in the source, 16 to import, 0 imported before.",
		`"General"`, `-> "General-2"`, `-> "general-3"`, `-> "my-room"`, `-> "café"`, `-> "etc"`,
		`-> "script-alert-1-script"`, `-> "a-b"`, `-> "100-off-x-1-y"`, `-> "room-14"`,
		`-> "dup-2"`, "(the old address stays with the room still called that)",
		`"rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"… (200 characters)`, "it is longer than 100 characters",
		"Messages: 91 in the source, 0 imported before this run, 91 to import.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run report lacks %q", want)
		}
	}
	// Terminal escapes in a name would be printed quoted, never raw.
	if strings.ContainsAny(out, "\x1b\x00") {
		t.Error("the report prints control characters")
	}

	out, err = runCmd(t, "import-django", "-from", src, "-db", db)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Messages: 91 in the source, 0 imported before this run, 91 imported now.") || !strings.Contains(out, `-> "BOB-2"`) {
		t.Errorf("import report:\n%s", out)
	}
	out, err = runCmd(t, "import-django", "-from", src, "-db", db)
	if err != nil {
		t.Fatalf("second import: %v\n%s", err, out)
	}
	for _, want := range []string{"Users: 17 in the source, 0 new (0 staff, 0 inactive), 17 imported before.", "Rooms: 16 in the source, 0 new, 16 imported before.", "91 imported before this run, 0 imported now."} {
		if !strings.Contains(out, want) {
			t.Errorf("second run report lacks %q:\n%s", want, out)
		}
	}

	// Staff give a password to the account that had none.
	var cout bytes.Buffer
	err = run(context.Background(), []string{"changepassword", "-username", "nopass", "-db", db, "-bcrypt-cost", "4"}, func(string) string { return "" }, strings.NewReader("a brand new password\n"), &cout, &cout)
	if err != nil || !strings.Contains(cout.String(), "Password changed successfully for user nopass.") {
		t.Errorf("changepassword: %v %s", err, cout.String())
	}
	store, err := models.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if u, err := store.UserByUsername(context.Background(), "nopass"); err != nil || !models.UsablePassword(u.PasswordHash) {
		t.Errorf("nopass after changepassword: %v %v", u, err)
	}
}

func TestImportDjangoCommandErrors(t *testing.T) {
	dir := t.TempDir()
	ours := filepath.Join(dir, "ours.db")
	if _, err := runCmd(t, "backup", "-db", ours, "-to", filepath.Join(dir, "x")); err == nil {
		t.Error("backup of a database that does not exist succeeded")
	}
	s, err := models.Open(context.Background(), ours)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import-django", "-db", filepath.Join(dir, "a.db")}, "-from"},
		{[]string{"import-django", "-from", filepath.Join(dir, "missing.sqlite3"), "-db", filepath.Join(dir, "a.db")}, "no such file"},
		{[]string{"import-django", "-from", ours, "-db", filepath.Join(dir, "a.db")}, "is it the original mini-discord's database?"},
		{[]string{"import-django", "-from", ours, "extra"}, "unexpected argument"},
		{[]string{"import-django", "-from", ours, "-commit-every", "0"}, "not a positive number"},
	} {
		out, err := runCmd(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v (%s), want an error about %q", tc.args, err, out, tc.want)
		}
	}
}

// bigDjangoSource is the fixture with n more messages, for a run long
// enough to interrupt.
func bigDjangoSource(t *testing.T, n int) string {
	t.Helper()
	path := modelstest.DjangoSQLite(t)
	db, err := sql.Open(sqliteshim.ShimName, "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	// One statement, so the rows are made inside SQLite rather than bound
	// one by one from Go (slow under the race detector).
	if _, err := tx.Exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
		INSERT INTO chat_message (content, "timestamp", room_id, user_id)
		SELECT 'bulk ' || i, datetime('2025-01-01 00:00:00', '+' || i || ' seconds'), 1 + i % 16, 1 + i % 17 FROM n`, n); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportDjangoKilled kills the import with SIGKILL after its first
// batch of messages is committed, runs it again, and finds every message
// once, in the source's order.
func TestImportDjangoKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Parallel()
	// Small transactions (-commit-every) make a run long enough to kill with
	// few rows, which the race detector makes slow to prepare here.
	const extra = 20_000
	src := bigDjangoSource(t, extra)
	db := filepath.Join(t.TempDir(), "chat.db")
	bin := buildBinary(t)

	cmd := exec.Command(bin, "import-django", "-commit-every", "100", "-from", src, "-db", db)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Watch the high-water mark from outside, as another process would.
	var mark int64
	for deadline := time.Now().Add(60 * time.Second); mark == 0; time.Sleep(2 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("the import ended (%v) before it could be killed:\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no batch committed within 60 s")
		}
		if r, err := sql.Open(sqliteshim.ShimName, "file:"+db+"?mode=ro&_pragma=busy_timeout(5000)"); err == nil {
			r.QueryRow("SELECT last_message_id FROM django_imports").Scan(&mark)
			r.Close()
		}
	}
	cmd.Process.Kill()
	<-done
	stored := countRows(t, db, "messages")
	t.Logf("killed with %d of %d messages stored (high-water mark %d)", stored, 91+extra, mark)
	if stored == 0 || stored >= 91+extra {
		t.Fatalf("killed with %d messages stored: not in the middle", stored)
	}

	// The binary, not run() here: in this process the race detector makes
	// the import many times slower.
	if out, err := exec.Command(bin, "import-django", "-from", src, "-db", db).CombinedOutput(); err != nil {
		t.Fatalf("second run: %v\n%s", err, out)
	} else if !strings.Contains(string(out), fmt.Sprintf("%d imported now", 91+extra-stored)) {
		t.Errorf("second run report:\n%s", out)
	}
	// Every message once, in order: the contents in id order here equal
	// the source's in id order (compared inside SQLite: 20,000 rows read
	// into Go are slow under the race detector).
	r, err := sql.Open(sqliteshim.ShimName, "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	conn, err := r.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(t.Context(), "ATTACH DATABASE ? AS src", "file:"+src+"?mode=ro"); err != nil {
		t.Fatal(err)
	}
	var got, want, same int
	err = conn.QueryRowContext(t.Context(), `WITH a AS (SELECT row_number() OVER (ORDER BY id) AS n, content FROM main.messages),
		b AS (SELECT row_number() OVER (ORDER BY id) AS n, content FROM src.chat_message)
		SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b), (SELECT count(*) FROM a JOIN b USING (n) WHERE a.content = b.content)`).Scan(&got, &want, &same)
	if err != nil {
		t.Fatal(err)
	}
	if got != want || same != want {
		t.Fatalf("after resuming: %d messages, %d in the source, %d of them the same in the same place", got, want, same)
	}
}

func countRows(t *testing.T, db, table string) int {
	t.Helper()
	r, err := sql.Open(sqliteshim.ShimName, "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var n int
	if err := r.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
