package models_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/minidiscord/minidiscord/models"
)

// Each fuzz target checks the promise a validator makes to the code after
// it: what it accepts is safe to store, print in HTML, put in a URL and
// send in an event; what it refuses comes with a message. Seeds live in
// testdata/fuzz; `go test -fuzz=FuzzX ./models/` searches further.

func FuzzValidateUsername(f *testing.F) {
	for _, s := range []string{"alice", "Zoë_99", "a@b.c+d-e", "", " ", "<script>", "a\x00b", "\xff", strings.Repeat("a", 150), strings.Repeat("é", 151), "İstanbul", "١٢٣", "a b", "a\u200bb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		msg := models.ValidateUsername(name)
		if msg != "" {
			return
		}
		if !utf8.ValidString(name) {
			t.Fatalf("accepted invalid UTF-8 %q", name)
		}
		if n := utf8.RuneCountInString(name); n < 1 || n > models.MaxUsername {
			t.Fatalf("accepted %d characters", n)
		}
		for _, r := range name {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("@.+-_", r) {
				t.Fatalf("accepted %q in %q", r, name)
			}
		}
		if strings.ContainsAny(name, "<>&\"'/\\ \t\r\n\x00") {
			t.Fatalf("accepted markup or a separator: %q", name)
		}
	})
}

func FuzzValidateRoomName(f *testing.F) {
	for _, s := range []string{"general", "café-2", "a_b", "", "two words", "../x", "%2e", "<b>", "a/b", "\xc3", strings.Repeat("r", 100), strings.Repeat("r", 101), "a?b#c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if models.ValidateRoomName(name) != "" {
			return
		}
		if !utf8.ValidString(name) {
			t.Fatalf("accepted invalid UTF-8 %q", name)
		}
		if n := utf8.RuneCountInString(name); n < 1 || n > models.MaxRoomName {
			t.Fatalf("accepted %d characters", n)
		}
		for _, r := range name {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' {
				t.Fatalf("accepted %q in %q", r, name)
			}
		}
		// Nothing that could leave a path segment or a query.
		if strings.ContainsAny(name, "/\\?#%.&<>\"' ") {
			t.Fatalf("accepted a URL or markup character: %q", name)
		}
	})
}

func FuzzCleanMessage(f *testing.F) {
	for _, s := range []string{"hello", "  padded\r\n", "a\r\nb\rc", "", " \t\n", "\x00", "\x1b[2J", "\xff\xfe", "a\u2028b", "tab\there", strings.Repeat("é", 512), strings.Repeat("é", 513), "\n\nevent: x\ndata: y", "<script>alert(1)</script>", "\u202eRTL"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		text, msg := models.CleanMessage(raw)
		if msg != "" {
			if text != "" {
				t.Fatalf("refused %q with %q but returned %q", raw, msg, text)
			}
			return
		}
		if !utf8.ValidString(text) {
			t.Fatalf("invalid UTF-8 out: %q", text)
		}
		if n := utf8.RuneCountInString(text); n < 1 || n > models.MaxMessage {
			t.Fatalf("%d characters out", n)
		}
		if strings.ContainsRune(text, '\r') {
			t.Fatalf("a CR survived: %q", text)
		}
		for _, r := range text {
			if r != '\n' && r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
				t.Fatalf("control character %U survived in %q", r, text)
			}
		}
		if strings.TrimSpace(text) != text {
			t.Fatalf("not trimmed: %q", text)
		}
		// The text as typed, less line-break style and the ends' spaces.
		if want := strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(raw, "\r\n", "\n"), "\r", "\n")); text != want {
			t.Fatalf("%q cleaned to %q, want %q", raw, text, want)
		}
		if again, msg := models.CleanMessage(text); again != text || msg != "" {
			t.Fatalf("not idempotent: %q → %q, %q", text, again, msg)
		}
	})
}

func FuzzValidatePassword(f *testing.F) {
	for _, s := range [][2]string{{"correct horse battery", "alice"}, {"password", "bob"}, {"12345678901", "x"}, {"alice2024", "alice"}, {"short", ""}, {"\xff\xff\xff\xff\xff\xff\xff\xff", "x"}, {strings.Repeat("x", 513), "y"}, {"", ""}, {"Ünïcödé-pass", "ünï"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, password, username string) {
		errs := models.ValidatePassword(password, username)
		for _, e := range errs {
			if e == "" {
				t.Fatal("an empty error message")
			}
		}
		if !utf8.ValidString(password) && len(errs) != 1 {
			t.Fatalf("invalid UTF-8: %q, want one clear message", errs)
		}
		if len(errs) > 0 {
			return
		}
		n := utf8.RuneCountInString(password)
		if n < models.MinPassword || n > models.MaxPassword {
			t.Fatalf("accepted a password of %d characters", n)
		}
		if strings.Trim(password, "0123456789") == "" {
			t.Fatalf("accepted an all-digit password %q", password)
		}
		if username != "" && models.FoldKey(password) == models.FoldKey(username) {
			t.Fatalf("accepted the username as password: %q", password)
		}
	})
}
