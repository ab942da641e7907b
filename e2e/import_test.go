package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/models/modelstest"
)

// TestImportedPeopleLogIn: two people of the original app, moved in with
// import-django, log in with their old names and passwords. BOB, renamed
// BOB-2 (Bob had the name, and names ignore case here), is told so once;
// his old room address leads to the renamed room, and ann's message
// reaches him there live.
func TestImportedPeopleLogIn(t *testing.T) {
	app := startApp(t, appConfig{})
	src, err := models.OpenDjangoSource(t.Context(), modelstest.DjangoSQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := app.store.ImportDjango(t.Context(), src, nil); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t)
	bob, ann := b.open(app, "BOB"), b.open(app, "ann")
	oldLogin := func(tb *tab, name, pw string) {
		tb.goTo("/accounts/login/?next=/chat/General/")
		tb.fill("id_username", name)
		tb.fill("id_password", pw)
		tb.submit("login-form")
	}
	oldLogin(bob, "BOB", "bob in capitals")
	bob.waitFor("the rename notice", `!!document.querySelector("[data-testid=login-notice]")`, 15*time.Second)
	notice := eval[string](bob, `document.querySelector("[data-testid=login-notice]").textContent`)
	if !strings.Contains(notice, `"BOB-2"`) || !strings.Contains(notice, `"Bob"`) {
		t.Errorf("notice: %q", notice)
	}
	if who := eval[string](bob, `document.querySelector("[data-testid=whoami]").textContent.trim()`); who != "BOB-2" {
		t.Errorf("logged in as %q", who)
	}
	// Continue goes to where the login was headed: the old room address,
	// which leads to the renamed room.
	eval[bool](bob, `(() => { document.querySelector("[data-testid=login-continue]").click(); return true })()`)
	bob.waitFor("the renamed room", `location.pathname === "/chat/General-2/"`, 10*time.Second)
	bob.waitLive()
	if got := bob.contents(); len(got) != 5 {
		t.Errorf("General-2 shows %d messages, want the original's 5", len(got))
	}

	oldLogin(ann, "ann", "ann's old password")
	ann.waitFor("ann's login", `document.querySelector("[data-testid=whoami]")?.textContent.trim() === "ann"`, 15*time.Second)
	ann.waitLive()
	ann.say("welcome to the new place")
	bob.waitForMessage("welcome to the new place")

	// The notice was shown once: the next login goes straight on.
	bob.goTo("/")
	eval[bool](bob, `(() => { document.querySelector("form[action='/accounts/logout/']").submit(); return true })()`)
	bob.waitFor("logged out", `document.querySelector("[data-testid=whoami]")?.textContent.trim() === "anonymous"`, 10*time.Second)
	oldLogin(bob, "BOB-2", "bob in capitals")
	bob.waitFor("the room, no notice", fmt.Sprintf(`location.pathname === %q`, "/chat/General-2/"), 15*time.Second)
}
