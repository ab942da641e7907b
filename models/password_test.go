package models_test

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/minidiscord/minidiscord/models"
)

func TestPasswordHashAndCheck(t *testing.T) {
	long := strings.Repeat("x", 100)
	hash, err := models.HashPassword(long+"1", 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		password string
		ok       bool
	}{
		{long + "1", true},
		{long + "2", false}, // past bcrypt's 72 bytes, still a different password
		{long, false},
		{"", false},
	} {
		if got := models.CheckPassword(hash, tc.password); got != tc.ok {
			t.Errorf("CheckPassword(..%q) = %v, want %v", tc.password[max(0, len(tc.password)-3):], got, tc.ok)
		}
	}
	if models.CheckPassword("", "") || models.CheckPassword("not a hash", "x") {
		t.Error("a password matched a hash that is not one")
	}
	if _, err := models.HashPassword("x", bcrypt.MaxCost+1); err == nil {
		t.Error("an impossible cost was accepted")
	}
}

// TestDummyPasswordHash: the hash an unknown user's login is checked
// against costs what a real one does, and no password opens it.
func TestDummyPasswordHash(t *testing.T) {
	dummy := models.DummyPasswordHash(5)
	h := dummy()
	if cost, err := bcrypt.Cost([]byte(h)); err != nil || cost != 5 {
		t.Errorf("dummy hash cost %d (%v), want 5", cost, err)
	}
	if dummy() != h {
		t.Error("the dummy hash is made again on each use")
	}
	for _, p := range []string{"", "password", "not a real password "} {
		if models.CheckPassword(h, p) {
			t.Errorf("%q opens the dummy hash", p)
		}
	}
}
