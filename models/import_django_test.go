package models_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/sqliteshim"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/models/modelstest"
)

// The fixture's renames: the report a person reads after importing it.
var (
	wantUserRenames = map[string]string{
		"BOB":                       "BOB-2",
		"bob":                       "bob-3",
		"marie²":                    "marie",
		"john doe":                  "john_doe",
		"<script>alert(1)</script>": "script_alert_1_script",
	}
	wantRoomRenames = map[string]string{
		"General":                   "General-2",
		"general ":                  "general-3",
		"my room":                   "my-room",
		"café ☕":                    "café",
		"../etc":                    "etc",
		"<script>alert(1)</script>": "script-alert-1-script",
		"a/b":                       "a-b",
		"100% off?x=1#y":            "100-off-x-1-y",
		strings.Repeat("r", 200):    strings.Repeat("r", 100),
		"   ":                       "room-14",
		// and the second of two rooms called "dup": "dup-2"
	}
)

func newName(renames map[string]string, old string) string {
	if n, ok := renames[old]; ok {
		return n
	}
	return old
}

// sourceMessage is a message of the fixture as the original stores it.
type sourceMessage struct {
	room, author, content string
	roomID                int64
	at                    time.Time
}

// readFixtureMessages reads the SQLite fixture directly, in id order.
func readFixtureMessages(t *testing.T) []sourceMessage {
	t.Helper()
	db, err := sql.Open(sqliteshim.ShimName, "file:"+modelstest.DjangoSQLite(t)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT r.id, r.name, u.username, m.content, CAST(m."timestamp" AS TEXT)
		FROM chat_message m JOIN chat_room r ON r.id = m.room_id JOIN auth_user u ON u.id = m.user_id ORDER BY m.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []sourceMessage
	for rows.Next() {
		var m sourceMessage
		var at string
		if err := rows.Scan(&m.roomID, &m.room, &m.author, &m.content, &at); err != nil {
			t.Fatal(err)
		}
		if m.at, err = time.Parse("2006-01-02 15:04:05.999999", at); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// importedMessages lists every message here in id order as
// "room | author | time | content".
func importedMessages(t *testing.T, s *models.Store) []string {
	t.Helper()
	rooms, err := s.ListRooms(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	type line struct {
		id   int64
		text string
	}
	var all []line
	for _, r := range rooms {
		msgs, err := s.LatestMessages(context.Background(), r.ID, 100_000)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			all = append(all, line{m.ID, fmt.Sprintf("%s | %s | %s | %q", r.Name, m.Author(), m.CreatedAt.UTC().Format(time.RFC3339Nano), m.Content)})
		}
	}
	slices.SortFunc(all, func(a, b line) int { return int(a.id - b.id) })
	out := make([]string, len(all))
	for i, l := range all {
		out[i] = l.text
	}
	return out
}

// wantMessages is what the fixture's messages must become here.
func wantMessages(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, m := range readFixtureMessages(t) {
		room := newName(wantRoomRenames, m.room)
		if m.room == "dup" && m.roomID == 13 {
			room = "dup-2"
		}
		out = append(out, fmt.Sprintf("%s | %s | %s | %q", room, newName(wantUserRenames, m.author), m.at.Format(time.RFC3339Nano), m.content))
	}
	return out
}

func importFrom(t *testing.T, s *models.Store, srcDSN string) *models.DjangoImport {
	t.Helper()
	ctx := context.Background()
	src, err := models.OpenDjangoSource(ctx, srcDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	imp, err := s.ImportDjango(ctx, src, nil)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return imp
}

func openStore(t *testing.T, dsn string) *models.Store {
	t.Helper()
	s, err := models.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestImportDjango imports the original's database, from its SQLite file
// and from PostgreSQL, into SQLite and into PostgreSQL, and checks that
// every account, room and message arrives as the report says, that a
// second run imports nothing, and that a dry run tells the same and
// writes nothing.
func TestImportDjango(t *testing.T) {
	users := modelstest.DjangoUsers(t)
	want := wantMessages(t)
	sources := map[string]func(testing.TB) string{"sqlite": modelstest.DjangoSQLite, "postgres": modelstest.DjangoPostgres}
	targets := map[string]func(testing.TB) string{
		"sqlite":   func(t testing.TB) string { return filepath.Join(t.TempDir(), "md.db") },
		"postgres": modelstest.PostgresDSN,
	}
	for _, sk := range []string{"sqlite", "postgres"} {
		for _, tk := range []string{"sqlite", "postgres"} {
			t.Run(sk+" to "+tk, func(t *testing.T) {
				ctx := context.Background()
				srcDSN, db := sources[sk](t), targets[tk](t)

				src, err := models.OpenDjangoSource(ctx, srcDSN)
				if err != nil {
					t.Fatal(err)
				}
				defer src.Close()
				dry, err := models.PlanDjangoImport(ctx, src, db)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := os.Stat(db); tk == "sqlite" && err == nil {
					t.Error("the dry run created the database")
				}

				s := openStore(t, db)
				imp := importFrom(t, s, srcDSN)
				if imp.Messages != int64(len(want)) || imp.Imported != int64(len(want)) || imp.Skipped != 0 {
					t.Errorf("messages: %d in source, %d imported, %d skipped; want %d", imp.Messages, imp.Imported, imp.Skipped, len(want))
				}
				if dry.Pending != imp.Imported {
					t.Errorf("dry run said %d messages, the import brought %d", dry.Pending, imp.Imported)
				}
				for i := range imp.Users {
					if dry.Users[i].Name != imp.Users[i].Name {
						t.Errorf("dry run named %q %q, the import %q", dry.Users[i].OldName, dry.Users[i].Name, imp.Users[i].Name)
					}
				}

				// Accounts: names, staff, active, passwords still Django's.
				if len(imp.Users) != len(users) {
					t.Fatalf("%d users imported, want %d", len(imp.Users), len(users))
				}
				for i, fu := range users {
					name := newName(wantUserRenames, fu.Username)
					u, err := s.UserByUsername(ctx, name)
					if err != nil {
						t.Errorf("%q: %v", name, err)
						continue
					}
					if u.Username != name || u.IsStaff != fu.Staff || u.Inactive == fu.Active || imp.Users[i].Name != name {
						t.Errorf("%q became %q staff=%v inactive=%v; want %q staff=%v active=%v", fu.Username, u.Username, u.IsStaff, u.Inactive, name, fu.Staff, fu.Active)
					}
					if fu.Password != "" && fu.Hasher != "crypt" {
						if ok, django := models.CheckDjangoPassword(u.PasswordHash, fu.Password); !ok || !django {
							t.Errorf("%q: the old password does not check (%.20s…)", name, u.PasswordHash)
						}
					} else if models.UsablePassword(u.PasswordHash) {
						t.Errorf("%q: password usable, want not", name)
					}
					renamed := name != fu.Username
					if renamed != (u.LoginNotice != "") || renamed && !strings.Contains(u.LoginNotice, fmt.Sprintf("%q", name)) {
						t.Errorf("%q: login notice %q", name, u.LoginNotice)
					}
					if renamed {
						if a, err := s.UserByAlias(ctx, fu.Username); err != nil || a.ID != u.ID {
							t.Errorf("old name %q does not find %q: %v", fu.Username, name, err)
						}
					}
				}

				// Rooms: every old name leads to its room.
				for old, name := range wantRoomRenames {
					r, err := s.RoomByAlias(ctx, old)
					if err != nil || r.Name != name {
						t.Errorf("old room %q: %v %v, want %q", old, r, err, name)
					}
				}
				if _, err := s.RoomByAlias(ctx, "dup"); err == nil {
					t.Error(`"dup" is an alias, but a room keeps that name`)
				}
				if r, err := s.RoomByName(ctx, "dup-2"); err != nil || r.Name != "dup-2" {
					t.Errorf("the second dup: %v %v", r, err)
				}

				// Messages: author, room, time, text and order.
				if got := importedMessages(t, s); !slices.Equal(got, want) {
					t.Errorf("messages differ:\n%s", diffLines(got, want))
				}

				// Again: nothing new.
				again := importFrom(t, s, srcDSN)
				if again.Imported != 0 || again.Pending != 0 {
					t.Errorf("second run imported %d (pending %d)", again.Imported, again.Pending)
				}
				for _, u := range again.Users {
					if !u.Earlier {
						t.Errorf("second run: %q is new", u.OldName)
					}
				}
				if got := importedMessages(t, s); !slices.Equal(got, want) {
					t.Errorf("after a second run:\n%s", diffLines(got, want))
				}
				dry, err = models.PlanDjangoImport(ctx, src, db)
				if err != nil || dry.Pending != 0 {
					t.Errorf("dry run after the import: %v, %d pending", err, dry.Pending)
				}
			})
		}
	}
}

func diffLines(got, want []string) string {
	var b strings.Builder
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			fmt.Fprintf(&b, "  #%d\n    got  %s\n    want %s\n", i, g, w)
		}
	}
	return b.String()
}

// TestImportDjangoBesideExistingData imports into a database that already
// has an "admin" and a "general": nothing is merged, the imported ones get
// suffixes, and the old address /chat/general/ stays with the room that
// is called that here.
func TestImportDjangoBesideExistingData(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "md.db"))
	admin, err := s.CreateUser(ctx, "Admin", "$2a$04$notareal.hash", true)
	if err != nil {
		t.Fatal(err)
	}
	general, err := s.GetOrCreateRoom(ctx, "general")
	if err != nil {
		t.Fatal(err)
	}
	imp := importFrom(t, s, modelstest.DjangoSQLite(t))
	names := map[string]string{}
	for _, u := range imp.Users {
		names[u.OldName] = u.Name
	}
	for _, r := range imp.Rooms {
		names["#"+r.OldName] = r.Name
	}
	for old, want := range map[string]string{"admin": "admin-2", "#general": "general-2", "#General": "General-3", "#general ": "general-4"} {
		if names[old] != want {
			t.Errorf("%q became %q, want %q", old, names[old], want)
		}
	}
	if u, err := s.UserByUsername(ctx, "admin"); err != nil || u.ID != admin.ID || !u.IsStaff {
		t.Errorf("the existing admin: %v %v", u, err)
	}
	if _, err := s.RoomByAlias(ctx, "general"); err == nil {
		t.Error(`"general" leads away from the room called that`)
	}
	if r, err := s.RoomByAlias(ctx, "General"); err != nil || r.Name != "General-3" || r.ID == general.ID {
		t.Errorf(`"General": %v %v`, r, err)
	}
}
