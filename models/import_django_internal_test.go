package models

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/sqliteshim"
	"golang.org/x/crypto/bcrypt"

	"github.com/minidiscord/minidiscord/models/modelstest"
)

// TestDjangoPasswords checks every hash the original wrote in the fixture
// (each of Django's hashers) with its password and a wrong one, and
// hashes from Django's other formats.
func TestDjangoPasswords(t *testing.T) {
	db, err := sql.Open(sqliteshim.ShimName, "file:"+modelstest.DjangoSQLite(t)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, u := range modelstest.DjangoUsers(t) {
		var hash string
		if err := db.QueryRow("SELECT password FROM auth_user WHERE username = ?", u.Username).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		algo, checkable := DjangoHashAlgorithm(hash)
		switch {
		case u.Password == "":
			if UsablePassword(hash) || !strings.HasPrefix(hash, "!") {
				t.Errorf("%s: unusable password %q counts as usable", u.Username, hash)
			}
		case u.Hasher == "crypt":
			if UsablePassword(hash) || algo != "crypt" || checkable {
				t.Errorf("%s: crypt hash: usable=%v algo=%q checkable=%v", u.Username, UsablePassword(hash), algo, checkable)
			}
			if ok, django := CheckDjangoPassword(hash, u.Password); ok || !django {
				t.Errorf("%s: crypt checked ok=%v django=%v", u.Username, ok, django)
			}
		default:
			if algo != u.Hasher || !checkable || !UsablePassword(hash) {
				t.Errorf("%s: algorithm %q checkable=%v, want %q", u.Username, algo, checkable, u.Hasher)
			}
			if ok, django := CheckDjangoPassword(hash, u.Password); !ok || !django {
				t.Errorf("%s (%s): right password refused", u.Username, u.Hasher)
			}
			if ok, _ := CheckDjangoPassword(hash, u.Password+"x"); ok {
				t.Errorf("%s (%s): wrong password accepted", u.Username, u.Hasher)
			}
		}
	}

	ours, _ := bcrypt.GenerateFromPassword([]byte("whatever"), 4)
	for _, tc := range []struct {
		name, hash, password string
		ok, django, usable   bool
	}{
		// Made with Python's hashlib in Django's formats (Django 4's
		// scrypt, the old salted and unsalted digests).
		{"scrypt", "scrypt$NaClNaClNaCl$16384$8$1$SHdSpKoinKvzuha4spgOLpVfVDsUkmgUnPtO7CLn4uvgctlLHL/Z/NS2QYmzU84/CAq0X6egnonOnYwQuOWlhg==", "scrypt password", true, true, true},
		{"sha1", "sha1$abc$d9d0fd61b36098a86eab934d9fa68b9c0325085d", "sha1 password", true, true, true},
		{"unsalted sha1", "sha1$$4b6758d0dfb545b7369b53c69733900fb62f465e", "unsalted sha1", true, true, true},
		{"unsalted md5", "027b05c42e3c18e4c3ef558ee1ccc906", "unsalted password", true, true, true},
		{"ours", string(ours), "whatever", false, false, true},
		{"empty", "", "", false, false, false},
		// Damaged or hostile hashes fail without panicking or burning CPU.
		{"pbkdf2 too many rounds", "pbkdf2_sha256$2000000000$salt$AAAA", "x", false, true, true},
		{"pbkdf2 bad base64", "pbkdf2_sha256$1000$salt$!!!", "x", false, true, true},
		{"pbkdf2 short", "pbkdf2_sha256$1000", "x", false, true, true},
		{"argon2 huge memory", "argon2$argon2id$v=19$m=99999999,t=2,p=8$c2FsdHNhbHQ$aGFzaGhhc2g", "x", false, true, true},
		{"argon2 old version", "argon2$argon2i$v=16$m=512,t=2,p=2$c2FsdHNhbHQ$aGFzaGhhc2g", "x", false, true, true},
		{"argon2 junk", "argon2$$$$$$", "x", false, true, true},
		{"scrypt huge", "scrypt$s$1073741824$8$1$AAAA", "x", false, true, true},
		{"bcrypt junk", "bcrypt$notbcrypt", "x", false, true, true},
		{"unknown algorithm", "whirlpool$1$2", "x", false, true, false},
	} {
		ok, django := CheckDjangoPassword(tc.hash, tc.password)
		if ok != tc.ok || django != tc.django || UsablePassword(tc.hash) != tc.usable {
			t.Errorf("%s: ok=%v django=%v usable=%v; want %v %v %v", tc.name, ok, django, UsablePassword(tc.hash), tc.ok, tc.django, tc.usable)
		}
	}
}

func TestFitName(t *testing.T) {
	long := strings.Repeat("é", 120)
	for _, tc := range []struct {
		in, room, user string
	}{
		{"general", "general", "general"},
		{"my  room", "my-room", "my_room"},
		{" padded ", "padded", "padded"},
		{"a.b+c@d", "a-b-c-d", "a.b+c@d"},
		{"../etc/passwd", "etc-passwd", ".._etc_passwd"},
		{"<img src=x onerror=alert(1)>", "img-src-x-onerror-alert-1", "img_src_x_onerror_alert_1"},
		{"日本語 チャット", "日本語-チャット", "日本語_チャット"},
		{"emoji 🎉🎉 party", "emoji-party", "emoji_party"},
		{"\x00nul\xffbad", "nul-bad", "nul_bad"},
		{"", "room-7", "user-7"},
		{"!!!", "room-7", "user-7"},
		{long, strings.Repeat("é", 100), long},
	} {
		if got, why := fitName(tc.in, validRoomName, '-', MaxRoomName, "room", 7); got != tc.room || (got != tc.in) != (len(why) > 0) {
			t.Errorf("room %q: %q %q, want %q", tc.in, got, why, tc.room)
		}
		if got, _ := fitName(tc.in, validUsername, '_', MaxUsername, "user", 7); got != tc.user {
			t.Errorf("user %q: %q, want %q", tc.in, got, tc.user)
		}
	}
	// Suffixes keep a full-length name within the limit.
	taken := map[string]string{FoldKey(strings.Repeat("x", 100)): strings.Repeat("X", 100)}
	name, _ := unique(strings.Repeat("x", 100), nil, taken, validRoomName, MaxRoomName, "room")
	if name != strings.Repeat("x", 98)+"-2" || !validRoomName(name) {
		t.Errorf("suffixed long name: %q", name)
	}
}

// TestImportDjangoResumes stops an import in the middle of a batch, as
// kill -9 would, and runs it again: every message arrives once, in order.
func TestImportDjangoResumes(t *testing.T) {
	defer func(n int) { importRowsPerTx = n }(importRowsPerTx)
	importRowsPerTx = 10

	srcPath := modelstest.DjangoSQLite(t)
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "md.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	src, err := OpenDjangoSource(ctx, srcPath)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()

	stop, cancel := context.WithCancel(ctx)
	imp, err := s.ImportDjango(stop, src, func(done, total int64) {
		if done >= 30 {
			cancel()
		}
	})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted import: %v", err)
	}
	var n int
	if err := s.db.NewRaw("SELECT COUNT(*) FROM messages").Scan(ctx, &n); err != nil {
		t.Fatal(err)
	}
	// Stopped while its third batch was being written: that batch is rolled
	// back whole, the two before it stay.
	if n != 20 || imp.Imported != 20 {
		t.Fatalf("after the interruption %d messages stored, %d reported; want the 2 batches committed, 20", n, imp.Imported)
	}

	imp, err = s.ImportDjango(ctx, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Imported != 71 || imp.Messages != 91 {
		t.Errorf("second run imported %d of %d, want the other 71", imp.Imported, imp.Messages)
	}
	// Same contents and order as the source: compare (content, time) in id order.
	var got, want []string
	rows, err := s.db.QueryContext(ctx, "SELECT content, created_at FROM messages ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		var at time.Time
		rows.Scan(&c, &at)
		got = append(got, c+"|"+at.UTC().Format(time.RFC3339Nano))
	}
	rows.Close()
	sdb, _ := sql.Open(sqliteshim.ShimName, "file:"+srcPath+"?mode=ro")
	defer sdb.Close()
	rows, err = sdb.Query(`SELECT content, CAST("timestamp" AS TEXT) FROM chat_message ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c, at string
		rows.Scan(&c, &at)
		tm, _ := parseDjangoTime(at)
		want = append(want, c+"|"+tm.Format(time.RFC3339Nano))
	}
	rows.Close()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("messages after resuming differ from the source: %d vs %d", len(got), len(want))
	}
}
