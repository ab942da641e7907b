package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDirectMessageAndKick: ann writes to bob from his name; the DM
// appears live in bob's rooms list and only the two of them can open it:
// cat gets the same 404 as for a room that does not exist, and no list
// of hers names it. Then ann makes a private room, invites bob from its
// settings page, and removes him while he is reading it: his view ends at
// once and says so. (MINIDISCORD_SCREENSHOTS=1 writes docs/dm.png and
// docs/private.png.)
func TestDirectMessageAndKick(t *testing.T) {
	app := startApp(t, appConfig{})
	b := newBrowser(t)
	ann, bob, cat := b.open(app, "ann"), b.open(app, "bob"), b.open(app, "cat")
	for _, tb := range []*tab{ann, bob, cat} {
		tb.signup()
	}
	ann.goTo("/chat/")
	ann.fill("room-name", "lobby")
	ann.submit("room-form")
	ann.waitLive()
	bob.enterRoom("lobby")
	bob.say("hi all")

	// bob waits on the rooms page; ann follows his name to a DM.
	bob.goTo("/chat/")
	bob.waitFor("the rooms page's stream", `!!document.querySelector("#room-directory [data-room-name=lobby]")`, 10*time.Second)
	time.Sleep(300 * time.Millisecond) // the /events stream opens
	ann.waitForMessage("hi all")
	ann.do(chromedp.Click(chromedp.CSS(`#messages a.author`)))
	ann.waitFor("the DM start page", `!!document.querySelector("[data-testid=dm-open]")`, 10*time.Second)
	ann.do(chromedp.Click(chromedp.CSS(`[data-testid=dm-open]`)))
	ann.waitLive()
	dm := eval[string](ann, `location.pathname`)
	if !strings.HasPrefix(dm, "/chat/dm-") {
		t.Fatalf("the DM is at %s", dm)
	}
	if got := eval[string](ann, `document.getElementById("room-title").textContent.trim()`); got != "@bob" {
		t.Errorf("ann's DM is titled %q", got)
	}
	ann.say("just between us")

	bob.waitFor("the new DM in bob's rooms, live", `!!document.querySelector("#dm-directory li.dm a[title='@ann']")`, 10*time.Second)
	bob.do(chromedp.Click(chromedp.CSS(`#dm-directory li.dm a`)))
	bob.waitLive()
	bob.waitForMessage("just between us")
	if !eval[bool](bob, `!!document.querySelector("#dm-nav li.dm.current")`) {
		t.Error("bob's sidebar has no DM section with the DM in it")
	}
	bob.screenshot("dm")

	// cat: the DM is a 404 like a room that does not exist, and unlisted.
	name := strings.Trim(strings.TrimPrefix(dm, "/chat/"), "/")
	cat.goTo("/chat/lobby/")
	cat.waitLive()
	status := func(path string) int {
		eval[bool](cat, fmt.Sprintf(`(() => { window.__st = 0; fetch(%q).then(r => { window.__st = r.status }); return true })()`, path))
		cat.waitFor("an answer", `window.__st !== 0`, 10*time.Second)
		return int(eval[float64](cat, `window.__st`))
	}
	if s := status(dm); s != 404 {
		t.Errorf("cat opens the DM: %d", s)
	}
	if s := status(dm + "events"); s != 404 {
		t.Errorf("cat opens the DM's stream: %d", s)
	}
	if eval[bool](cat, fmt.Sprintf(`document.body.innerHTML.includes(%q)`, name)) {
		t.Error("cat's room page names the DM")
	}
	cat.goTo("/chat/")
	if eval[bool](cat, fmt.Sprintf(`document.body.innerHTML.includes(%q) || !!document.querySelector("#dm-directory li")`, name)) {
		t.Error("cat's rooms page lists the DM")
	}

	// A private room; bob is invited, reads it, and is removed.
	ann.goTo("/chat/")
	ann.fill("room-name", "backroom")
	eval[bool](ann, `(() => { document.querySelector("[data-testid=room-private]").checked = true; return true })()`)
	ann.submit("room-form")
	ann.waitLive()
	ann.do(chromedp.Click(chromedp.CSS(`[data-testid=room-settings]`)))
	ann.waitFor("the settings page", `!!document.getElementById("invite-form")`, 10*time.Second)
	ann.fill("invite-form-user", "bob")
	ann.submit("invite-form")
	ann.waitFor("the invitation", `(document.querySelector("[data-testid=settings-notice]")?.textContent || "").includes("bob was invited")`, 10*time.Second)
	bob.waitFor("the private room in bob's sidebar, live", `!!document.querySelector("#room-nav [data-room-name=backroom]")`, 10*time.Second)
	bob.enterRoom("backroom")
	if s := status("/chat/backroom/"); s != 404 {
		t.Errorf("cat opens the private room: %d", s)
	}
	ann.screenshot("private")
	ann.do(chromedp.Click(chromedp.CSS(`[data-testid=remove-bob]`)))
	bob.waitFor("bob's view to end, saying why", `(document.querySelector("[data-testid=removed-note]")?.textContent || "").includes("You were removed from #backroom")`, 5*time.Second)
	if got := eval[string](bob, `document.getElementById("conn-state").textContent`); got != "No longer a member" {
		t.Errorf("bob's connection state says %q", got)
	}
	if !eval[bool](bob, `document.getElementById("message-input").disabled`) {
		t.Error("bob can still type in the room")
	}
	if eval[bool](bob, `!!document.querySelector("#room-nav [data-room-name=backroom]")`) {
		t.Error("the room is still in bob's sidebar")
	}
}

// TestDMSidebarEmptyNoteGoesLive: a page with no DMs says how to start
// one; when someone opens a DM with its reader, the DM takes the note's
// place live, and the author link of one's own message leads to one's
// settings.
func TestDMSidebarEmptyNoteGoesLive(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.room("lobby")
	seed.user("ann")
	seed.user("bob")
	b := newBrowser(t)
	ann, bob := b.open(app, "ann"), b.open(app, "bob")
	ann.login()
	ann.enterRoom("lobby")
	if got := eval[string](ann, `document.querySelector("[data-testid=dm-nav-empty]")?.textContent || ""`); !strings.Contains(got, "None yet") {
		t.Fatalf("no note in an empty DM list: %q", got)
	}
	bob.login()
	bob.goTo("/dm/ann")
	bob.do(chromedp.Click(chromedp.CSS(`[data-testid=dm-open]`)))
	bob.waitLive()
	ann.waitFor("the DM in ann's sidebar, live", `!!document.querySelector("#dm-nav li.dm") && !document.querySelector("[data-testid=dm-nav-empty]")`, 10*time.Second)

	ann.say("my own words")
	ann.do(chromedp.Click(chromedp.CSS(`#messages article:last-of-type a.author`)))
	ann.waitFor("the settings page", `location.pathname === "/accounts/"`, 10*time.Second)
}

// TestPromotionShowsLive: bob has the room open when its owner makes him
// a moderator: his page gains the settings link and Delete on ann's
// message without a reload, and loses both when he is demoted.
func TestPromotionShowsLive(t *testing.T) {
	app := startApp(t, appConfig{})
	b := newBrowser(t)
	ann, bob := b.open(app, "ann"), b.open(app, "bob")
	ann.signup()
	bob.signup()
	ann.goTo("/chat/")
	ann.fill("room-name", "hall")
	ann.submit("room-form")
	ann.waitLive()
	ann.say("moderate me")
	bob.enterRoom("hall")
	bob.waitForMessage("moderate me")
	deleteShown := `getComputedStyle(document.querySelector("#messages article:last-of-type .act-delete")).display !== "none"`
	if eval[bool](bob, deleteShown) || eval[bool](bob, `!!document.querySelector("[data-testid=room-settings]")`) {
		t.Fatal("a member sees Delete on ann's message, or the settings")
	}

	ann.goTo("/chat/hall/settings")
	ann.fill("promote-form-user", "bob")
	ann.submit("promote-form")
	ann.waitFor("the promotion", `(document.querySelector("[data-testid=settings-notice]")?.textContent || "").includes("is a moderator now")`, 10*time.Second)
	bob.waitFor("the settings link, live", `!!document.querySelector("[data-testid=room-settings]")`, 10*time.Second)
	if !eval[bool](bob, deleteShown) {
		t.Error("a moderator does not see Delete on ann's message")
	}
	bob.do(chromedp.Focus(`#messages article:last-of-type`)) // the bar shows on focus
	bob.screenshot("moderator")
	ann.do(chromedp.Click(chromedp.CSS(`[data-testid=demote-bob]`)))
	bob.waitFor("the settings link gone, live", `!document.querySelector("[data-testid=room-settings]")`, 10*time.Second)
	if eval[bool](bob, deleteShown) {
		t.Error("a demoted member still sees Delete on ann's message")
	}
}
