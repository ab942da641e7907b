package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minidiscord/minidiscord/models"
)

func TestCreateSuperuserFromStdin(t *testing.T) {
	db := filepath.Join(t.TempDir(), "admin.db")
	env := func(string) string { return "" }
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"createsuperuser", "-username", "root", "-db", db, "-bcrypt-cost", "4"}, env, strings.NewReader("Xk3-plover-77\n"), &out, &errOut)
	if err != nil {
		t.Fatalf("createsuperuser: %v (%s)", err, errOut.String())
	}
	if !strings.Contains(out.String(), "Superuser root created") {
		t.Errorf("output %q", out.String())
	}
	store, err := models.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	u, err := store.UserByUsername(context.Background(), "ROOT")
	if err != nil {
		t.Fatal(err)
	}
	if !u.IsStaff || !models.CheckPassword(u.PasswordHash, "Xk3-plover-77") {
		t.Errorf("user staff=%v, password ok=%v", u.IsStaff, models.CheckPassword(u.PasswordHash, "Xk3-plover-77"))
	}

	// A second time the name is taken; a weak password is refused.
	err = run(context.Background(), []string{"createsuperuser", "-username", "Root", "-db", db}, env, strings.NewReader("Xk3-plover-77\n"), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "already taken") {
		t.Errorf("duplicate: err = %v", err)
	}
	err = run(context.Background(), []string{"createsuperuser", "-username", "other", "-db", db}, env, strings.NewReader("12345678\n"), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "numeric") {
		t.Errorf("weak password: err = %v", err)
	}
	err = run(context.Background(), []string{"createsuperuser", "-db", db}, env, strings.NewReader("Xk3-plover-77\n"), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "-username") {
		t.Errorf("no username: err = %v", err)
	}
}
