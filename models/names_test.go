package models_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minidiscord/minidiscord/models"
)

// TestNamesRefuseInvisibleAndVariantForms: usernames and room names follow
// the PRECIS identifier rules on top of their character sets: nothing
// invisible (U+3164, zero-width characters, bidi controls, soft hyphens),
// no compatibility forms, one direction of writing, and the normal form
// (full width refused, with the ordinary form named).
func TestNamesRefuseInvisibleAndVariantForms(t *testing.T) {
	for _, tt := range []struct {
		name string
		want string // "" valid; else words of the refusal
	}{
		{"admin", ""},
		{"Zoë.b@x", ""},
		{"日本語", ""},
		{"аdmin", ""}, // Cyrillic а: valid alone; refused beside admin (TestLookalikeNamesRefused)
		{"\u3164", "may contain only"},
		{"a\u3164b", "may contain only"},
		{"a\u200bb", "may contain only"},
		{"a\u200db", "may contain only"},
		{"a\u202eb", "may contain only"},
		{"a\u00adb", "may contain only"},
		{"ǅemal", "may contain only"},
		{"Ａdmin", "Write it as “Admin”"},
		{"cafe\u0301", "may contain only"}, // a combining accent: not a letter (Django's rule)
		{"shalom_שלום", "cannot mix right-to-left and left-to-right"},
	} {
		for _, kind := range []struct {
			what     string
			validate func(string) error
		}{{"username", models.ValidateUsername}, {"room", models.ValidateRoomName}} {
			name := tt.name
			if kind.what == "room" {
				name = strings.NewReplacer("@", "", ".", "").Replace(name)
			}
			err := kind.validate(name)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("%s %q refused: %v", kind.what, name, models.Problems(err))
			case tt.want != "" && err == nil:
				t.Errorf("%s %q accepted, want refused", kind.what, name)
			case tt.want != "" && kind.what == "username" && !strings.Contains(models.Problems(err)[0].Message, tt.want):
				t.Errorf("%s %q: %q, want %q", kind.what, name, models.Problems(err)[0].Message, tt.want)
			}
		}
	}
	if got := models.NormalizeName("Ａdmin"); got != "Admin" {
		t.Errorf("NormalizeName(Ａdmin) = %q", got)
	}
}

// TestLookalikeNamesRefused: a new username or room name that looks like
// one in use (Cyrillic а for a, rn for m, case ignored) is taken; the name
// itself (any case) still finds its room, and different names pass.
func TestLookalikeNamesRefused(t *testing.T) {
	ctx := t.Context()
	s := openStore(t, filepath.Join(t.TempDir(), "names.db"))
	if _, err := s.CreateUser(ctx, "admin", "x", false); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"аdmin", "ADMlN", "adrnin", "Admin"} {
		_, err := s.CreateUser(ctx, name, "x", false)
		var taken *models.TakenError
		if !errors.As(err, &taken) || taken.Field != "username" {
			t.Errorf("user %q: %v, want taken", name, err)
		}
	}
	if _, err := s.CreateUser(ctx, "adrian", "x", false); err != nil {
		t.Errorf("adrian: %v", err)
	}

	if _, err := s.GetOrCreateRoom(ctx, "general"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"gеneral", "genera1"} { // Cyrillic е; digit 1
		_, err := s.GetOrCreateRoom(ctx, name)
		var taken *models.TakenError
		if !errors.As(err, &taken) || taken.Field != "room" || !strings.Contains(taken.Message, "#general") {
			t.Errorf("room %q: %v, want taken, naming #general", name, err)
		}
	}
	if r, err := s.GetOrCreateRoom(ctx, "GENERAL"); err != nil || r.Name != "general" {
		t.Errorf("GENERAL: %v %v, want the room general", r, err)
	}
	if _, err := s.GetOrCreateRoom(ctx, "generals"); err != nil {
		t.Errorf("generals: %v", err)
	}
}

// TestMessagesNeedSomethingVisible: a message of only invisible characters
// is refused like an empty one; zero-width joiners in emoji and bidi marks
// in text are kept.
func TestMessagesNeedSomethingVisible(t *testing.T) {
	for _, s := range []string{"\u200b", "\u202e", " \u3164 ", "\u2066\u2069"} {
		if _, err := models.CleanMessage(s); err == nil {
			t.Errorf("CleanMessage(%q) accepted", s)
		}
	}
	for _, s := range []string{"👨\u200d👩\u200d👧", "שלום\u200f!", "abc \u2067שלום\u2069 def", "\u202egnp.exe"} {
		if got, err := models.CleanMessage(s); err != nil || got != s {
			t.Errorf("CleanMessage(%q) = %q, %v", s, got, err)
		}
	}
}
