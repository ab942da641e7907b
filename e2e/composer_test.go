package e2e

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/ratelimit"
)

// insertText types text into the focused field in one step, as a fast
// typist or a paste would: typed key by key, a loaded machine can leave a
// gap that the composer takes for the typing having stopped.
func insertText(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}

// stored is every message kept in a room, oldest first.
func (a *testApp) stored(room string) []string {
	a.t.Helper()
	r, err := a.store.RoomByName(a.t.Context(), room)
	if err != nil {
		return nil
	}
	msgs, err := a.store.LatestMessages(a.t.Context(), r.ID, 1000)
	if err != nil {
		a.t.Fatal(err)
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Content
	}
	return out
}

const boxValue = `document.getElementById("message-input").value`

// fetchIn makes a request from the tab's page, as another tab of the same
// browser would, and waits for the answer.
func (tb *tab) fetchIn(method, path string) int {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`fetch(%q, {method: %q}).then(r => r.status)`, path, method), chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s: %s %s: %v", tb.name, method, path, err)
	}
	return status
}

// TestFastBurstSendsEachTextOnce: twenty short messages sent as fast as
// keys can go, into a rate limit of ten at once. Every stored message is
// exactly one of the texts typed, never two glued together; the first one
// refused comes back into the box alone with the caret at its end, and the
// ones typed after it wait; pressing Enter again sends them all, once each
// and in order.
func TestFastBurstSendsEachTextOnce(t *testing.T) {
	// A burst of 10, then one post per 2 s: typing 20 texts takes well
	// under the 20 s that would refill the rest, however loaded the machine.
	app := startApp(t, appConfig{messageLimit: ratelimit.Limit{Events: 10, Per: 20 * time.Second}})
	seed := app.seeder()
	seed.user("ann")
	seed.room("general")
	b := newBrowser(t)
	ann := b.open(app, "ann")
	ann.login()
	ann.enterRoom("general")

	var typed []string
	keys := []chromedp.Action[chromedp.Void]{chromedp.Focus(chromedp.ID("message-input"))}
	for i := 1; i <= 20; i++ {
		text := fmt.Sprintf("quick %d", i)
		typed = append(typed, text)
		keys = append(keys, insertText(text), chromedp.KeyEvent("\r"))
	}
	ann.do(keys...)
	ann.waitFor("the too-fast note", `(document.querySelector("#message-form [data-testid=message-error]")?.textContent || "").includes("too fast")`, 10*time.Second)
	ann.waitFor("the refused text back in the box", boxValue+` !== ""`, 10*time.Second)

	stored := app.stored("general")
	for _, s := range stored {
		if !slices.Contains(typed, s) {
			t.Errorf("stored %q, which is not one of the texts typed", s)
		}
	}
	if len(stored) == 0 || len(stored) >= len(typed) {
		t.Fatalf("stored %d of %d messages: the limit did not refuse any", len(stored), len(typed))
	}
	if !slices.Equal(stored, typed[:len(stored)]) {
		t.Errorf("stored %q, want the first %d texts in order", stored, len(stored))
	}
	// The first refused text, alone, caret at its end.
	next := typed[len(stored)]
	if got := eval[string](ann, boxValue); got != next {
		t.Errorf("the box holds %q, want the refused %q alone", got, next)
	}
	if caret := eval[string](ann, `(() => { const b = document.getElementById("message-input"); return b.selectionStart + "," + b.selectionEnd })()`); caret != fmt.Sprintf("%d,%d", len(next), len(next)) {
		t.Errorf("caret at %s, want at the end of %q", caret, next)
	}

	// Send again until everything has gone: each Enter sends the refused
	// text and then the ones waiting after it, until the limit refuses again.
	deadline := time.Now().Add(90 * time.Second)
	for len(app.stored("general")) < len(typed) && time.Now().Before(deadline) {
		if eval[string](ann, boxValue) != "" {
			// Let the budget refill a little (one post per 2 s).
			time.Sleep(time.Second)
			ann.do(chromedp.Focus(chromedp.ID("message-input")), chromedp.KeyEvent("\r"))
		}
		ann.waitFor("the post to settle", boxValue+` !== "" || document.querySelectorAll("[data-testid=message-content]").length === 20`, 10*time.Second)
	}
	if got := app.stored("general"); !slices.Equal(got, typed) {
		t.Fatalf("stored %q, want each typed text once, in order", got)
	}
	ann.waitForMessage(typed[len(typed)-1])
	if got := ann.contents(); !slices.Equal(got, typed) {
		t.Errorf("the page shows %q", got)
	}
	if got := eval[string](ann, boxValue); got != "" {
		t.Errorf("the box holds %q after everything was sent", got)
	}
}

// TestLoggedOutElsewhereKeepsTheDraft: logged out in another tab while
// writing, then Enter. The text stays in the box, a notice says why with a
// link to log in, the stream stops and says so, and the navbar stops naming
// the user. After logging in through the link, the same room opens with the
// text back in the box, and it sends once.
func TestLoggedOutElsewhereKeepsTheDraft(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.user("ann")
	seed.room("general")
	b := newBrowser(t)
	ann := b.open(app, "ann")
	ann.login()
	ann.enterRoom("general")

	ann.do(chromedp.Focus(chromedp.ID("message-input")), chromedp.SendKeys(chromedp.ID("message-input"), "half a thought"))
	// Another tab of the same browser logs out.
	ann.fetchIn("POST", "/accounts/logout/")
	ann.do(chromedp.KeyEvent("\r"))

	ann.waitFor("the logged-out notice", `!!document.querySelector("#message-form [data-testid=login-link]")`, 10*time.Second)
	if got := eval[string](ann, boxValue); got != "half a thought" {
		t.Errorf("the box holds %q, want the text kept", got)
	}
	href := eval[string](ann, `document.querySelector("#message-form [data-testid=login-link]").getAttribute("href")`)
	if want := "/accounts/login/?next=" + url.QueryEscape("/chat/general/"); href != want {
		t.Errorf("the login link goes to %q, want %q", href, want)
	}
	ann.waitFor("the stream to say why it stopped", `document.getElementById("conn-state").textContent === "You were logged out"`, 10*time.Second)
	if eval[bool](ann, `document.getElementById("room").hasAttribute("sse-connect")`) {
		t.Error("the stream is still retrying")
	}
	if eval[bool](ann, `!document.querySelector("[data-testid=whoami]").hidden`) {
		t.Error("the navbar still names the user")
	}
	if got := app.stored("general"); len(got) != 0 {
		t.Errorf("stored %q while logged out", got)
	}

	ann.clickAndLoad("#message-form [data-testid=login-link]")
	ann.waitFor("the login page", `location.pathname === "/accounts/login/" && !!document.getElementById("login-form")`, 10*time.Second)
	ann.login()
	ann.waitFor("the room again, the text back in the box", `location.pathname === "/chat/general/" && `+boxValue+` === "half a thought"`, 10*time.Second)
	ann.waitLive()
	ann.do(chromedp.Focus(chromedp.ID("message-input")), chromedp.KeyEvent("\r"))
	ann.waitForMessage("half a thought")
	if got := app.stored("general"); !slices.Equal(got, []string{"half a thought"}) {
		t.Errorf("stored %q, want the kept text once", got)
	}
}

// TestLoggedOutPageLeaves: a room page with nothing unsent whose stream is
// refused for a logout goes to the login page, which leads back to the
// room; and Back after logging out does not show the room again (the page
// is not kept), but the login page.
func TestLoggedOutPageLeaves(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.user("ann")
	seed.say("general", "ann", time.Now().Add(-time.Minute), "something private")
	b := newBrowser(t)
	ann := b.open(app, "ann")
	ann.login()
	ann.enterRoom("general")

	loginAgain := `location.pathname === "/accounts/login/" && new URLSearchParams(location.search).get("next") === "/chat/general/"`
	ann.fetchIn("POST", "/accounts/logout/")
	ann.waitFor("the login page, leading back to the room", loginAgain, 10*time.Second)

	ann.login()
	ann.goTo("/chat/general/")
	ann.waitLive()
	ann.clickAndLoad(".navbar form[action='/accounts/logout/'] button")
	ann.waitFor("the home page after logging out", `location.pathname === "/"`, 10*time.Second)
	ann.do(chromedp.NavigateBack())
	ann.waitFor("Back to show the login page, not the room", loginAgain, 10*time.Second)
	if text := eval[string](ann, `document.body.innerText`); strings.Contains(text, "something private") {
		t.Error("Back after logout shows the room's messages")
	}
}

// TestRoomDeletedKeepsTheDraft: staff delete the room someone is in. Their
// stream stops retrying and says the room was deleted; what they then
// write and send stays in the box, with a notice and a way to the rooms,
// and nothing is stored.
func TestRoomDeletedKeepsTheDraft(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.user("ann")
	seed.staff("sam")
	room := seed.room("general")
	b := newBrowser(t)
	ann, sam := b.open(app, "ann"), b.open(app, "sam")
	ann.login()
	sam.login()
	ann.enterRoom("general")

	sam.fetchIn("POST", fmt.Sprintf("/admin/rooms/%d/delete", room.ID))
	ann.waitFor("the stream to say the room is gone", `document.getElementById("conn-state").textContent === "This room was deleted"`, 10*time.Second)
	if eval[bool](ann, `document.getElementById("room").hasAttribute("sse-connect")`) {
		t.Error("the stream is still retrying")
	}

	ann.do(
		chromedp.Focus(chromedp.ID("message-input")),
		chromedp.SendKeys(chromedp.ID("message-input"), "into the void"),
		chromedp.KeyEvent("\r"),
	)
	ann.waitFor("the room-deleted notice", `(document.querySelector("#message-form [data-testid=message-error]")?.textContent || "").includes("This room was deleted")`, 10*time.Second)
	if got := eval[string](ann, boxValue); got != "into the void" {
		t.Errorf("the box holds %q, want the text kept", got)
	}
	if href := eval[string](ann, `document.querySelector("#message-form [data-testid=rooms-link]").getAttribute("href")`); href != "/chat/" {
		t.Errorf("the notice links to %q, want the rooms", href)
	}
	if _, err := app.store.RoomByName(t.Context(), "general"); err == nil {
		t.Error("the room is still there")
	} else if n, _ := app.store.DB().NewSelect().Model((*models.Message)(nil)).Count(t.Context()); n != 0 {
		t.Errorf("%d messages stored", n)
	}
}

// TestOverrideCannotTurnALinkAround: a right-to-left override typed before
// a link reorders the text around it, but the link is an isolate: its
// address reads left to right as it goes, its first character left of its
// last. An address holding an override is not a link at all.
func TestOverrideCannotTurnALinkAround(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.say("general", "bo", time.Now().Add(-time.Minute), "\u202e see https://example.com/abc ok")
	seed.say("general", "bo", time.Now(), "https://example.com/\u202egnp.exe")
	seed.user("ann")
	b := newBrowser(t)
	ann := b.open(app, "ann")
	ann.login()
	ann.enterRoom("general")
	order := eval[string](ann, `(() => {
		const a = document.querySelector("[data-testid=message-content] a");
		const text = a.firstChild, r = document.createRange();
		r.setStart(text, 0); r.setEnd(text, 1);
		const first = r.getBoundingClientRect().left;
		r.setStart(text, text.length - 1); r.setEnd(text, text.length);
		const last = r.getBoundingClientRect().left;
		return getComputedStyle(a).unicodeBidi + " " + (first < last ? "ltr" : "reversed");
	})()`)
	if order != "isolate ltr" {
		t.Errorf("the link after an override: %q, want an isolate reading left to right", order)
	}
	if n := eval[int](ann, `document.querySelectorAll("[data-testid=message-content]")[1].querySelectorAll("a").length`); n != 0 {
		t.Errorf("an address holding an override is shown as %d link(s)", n)
	}
}
