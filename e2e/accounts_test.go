package e2e

import (
	"slices"
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

// TestRenameShowsLiveInOnlineList: ann, in the room on one device, sets a
// display name on another; bob's online list and her own first page show
// the new name at once, with nobody listed twice.
func TestRenameShowsLiveInOnlineList(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.room("general")
	seed.user("ann")
	seed.user("bob")

	b := newBrowser(t)
	bob := b.open(app, "bob")
	bob.login()
	bob.enterRoom("general")
	ann := b.open(app, "ann")
	ann.login()
	ann.enterRoom("general")
	bob.waitFor("ann online", `[...document.querySelectorAll("#online-list [data-testid=online-member]")].some(li => li.textContent === "ann")`, 10*time.Second)

	phone := b.open(app, "ann")
	phone.login()
	phone.goTo("/accounts/")
	phone.fill("id_display_name", "Ann <i>B</i>")
	phone.submit("name-form")
	phone.waitFor("the name saved", `(document.querySelector("[data-testid=account-notice]")?.textContent || "").includes("display name is now")`, 10*time.Second)

	for _, tb := range []*tab{bob, ann} {
		tb.waitFor("ann's new name in the online list", `[...document.querySelectorAll("#online-list [data-testid=online-member]")].some(li => li.textContent === "Ann <i>B</i>")`, 10*time.Second)
		got := tb.online()
		slices.Sort(got)
		if want := []string{"Ann <i>B</i>", "bob"}; !slices.Equal(got, want) {
			t.Errorf("%s's online list: %q, want %q", tb.name, got, want)
		}
		if n := eval[string](tb, `document.querySelector("[data-testid=online-count]").textContent`); n != "2" {
			t.Errorf("%s's online count: %s", tb.name, n)
		}
	}
}
