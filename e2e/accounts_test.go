package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestDeactivationEndsTheOpenPage: bea has #general open; staff deactivate
// her from /admin. Her page says she was logged out (it goes to the login
// page, which says why: nothing was unsent), and she cannot log in again,
// so cannot post.
func TestDeactivationEndsTheOpenPage(t *testing.T) {
	app := startApp(t, appConfig{retry: 2 * time.Second}) // the server's default
	seed := app.seeder()
	seed.staff("ada")
	seed.user("bea")
	seed.room("general")
	b := newBrowser(t)
	bea := b.open(app, "bea")
	bea.login()
	bea.enterRoom("general")
	bea.say("hello before")
	ada := b.open(app, "ada")
	ada.login()
	ada.goTo("/admin/")

	start := time.Now()
	ada.clickAndLoad("[data-testid=admin-account-bea] [data-testid=deactivate]")
	bea.waitFor("bea's page to say she was logged out",
		`location.pathname === "/accounts/login/" && !!document.querySelector("[data-testid=logged-out]")`, 10*time.Second)
	t.Logf("bea's page said she was logged out %v after the click", time.Since(start).Round(10*time.Millisecond))
	if note := eval[string](ada, `document.querySelector("[data-testid=admin-notice]")?.textContent || ""`); !strings.Contains(note, "bea is deactivated") {
		t.Errorf("admin notice %q", note)
	}

	bea.fill("id_username", "bea")
	bea.fill("id_password", password)
	bea.submit("login-form")
	bea.waitFor("the login refused", `(document.querySelector("[data-testid=form-error]")?.textContent || "").includes("inactive")`, 10*time.Second)
	if got := app.stored("general"); len(got) != 1 {
		t.Errorf("stored %q, want only the message from before", got)
	}
}
