package e2e

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestWithoutJavaScript: with scripts off, a person signs up, logs in,
// reads the history, posts with the plain form, reads older pages and
// makes a room from its address; staff delete a message in two steps.
func TestWithoutJavaScript(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	base := time.Now().Add(-time.Hour)
	for i := range 60 {
		seed.say("general", "bo", base.Add(time.Duration(i)*time.Second), "history "+strconv.Itoa(i+1))
	}
	b := newBrowser(t)
	cy := b.open(app, "cy")
	cy.do(noScripts())

	// Sign up and log in with the plain forms, typing and clicking.
	cy.goTo("/user/signup/")
	cy.typeInto("id_username", "cy")
	cy.typeInto("id_password1", password)
	cy.typeInto("id_password2", password)
	cy.clickAndLoad("#signup-form button[type=submit]")
	// The login page says the account was made and knows the name.
	if n := cy.count("[data-testid=account-created]"); n != 1 {
		t.Error("after signing up the login page does not say the account was made")
	}
	cy.typeInto("id_password", password)
	cy.clickAndLoad("#login-form button[type=submit]")
	if who := cy.text("[data-testid=whoami]"); who != "cy" {
		t.Fatalf("after logging in without JavaScript the navbar says %q", who)
	}

	cy.goTo("/chat/general/")
	got := cy.texts("[data-testid=message-content]")
	if len(got) != 50 || got[0] != "history 11" || got[49] != "history 60" {
		t.Fatalf("room shows %d messages from %q, want the latest 50", len(got), got[0])
	}
	cy.typeInto("message-input", "typed without JavaScript")
	cy.clickAndLoad("#message-form button[type=submit]")
	got = cy.texts("[data-testid=message-content]")
	if got[len(got)-1] != "typed without JavaScript" {
		t.Errorf("after posting the last message is %q", got[len(got)-1])
	}

	// "Load older messages" is a link to a page of history: the room shows
	// history 12 to 60 and the new post, so the page before is 1 to 11.
	cy.clickAndLoad("#load-older-link")
	older := cy.texts("[data-testid=message-content]")
	var want []string
	for i := 1; i <= 11; i++ {
		want = append(want, "history "+strconv.Itoa(i))
	}
	if !slices.Equal(older, want) {
		t.Errorf("older page shows %q, want history 1 to 11", older)
	}
	if cy.count("#load-older-link") != 0 || cy.count(".room-start") != 1 {
		t.Error("the first page of history does not say it is the start of the room")
	}

	// A new room's address asks; one click makes it.
	cy.goTo("/chat/quiet-corner/")
	cy.clickAndLoad("[data-testid=create-room]")
	if got := cy.texts("#room-title"); len(got) != 1 || got[0] != "#quiet-corner" {
		t.Errorf("after Create room the page is %q, want the new room", got)
	}

	// Staff delete cy's message: Delete asks, the second button deletes.
	seed.staff("sam")
	sam := b.open(app, "sam")
	sam.do(noScripts())
	sam.goTo("/accounts/login/")
	sam.typeInto("id_username", "sam")
	sam.typeInto("id_password", password)
	sam.clickAndLoad("#login-form button[type=submit]")
	sam.goTo("/admin/?author=cy")
	sam.clickAndLoad(".admin-table a[aria-label^='Delete message']")
	if got := sam.text("[data-testid=confirm-title]"); got != "Delete this message?" {
		t.Fatalf("Delete without JavaScript leads to %q", got)
	}
	sam.clickAndLoad("[data-testid=confirm-delete]")
	if got := sam.text("[data-testid=admin-notice]"); !strings.Contains(got, "Deleted a message by cy") {
		t.Errorf("after deleting, the admin page says %q", got)
	}
	if n := sam.count("[data-testid=admin-messages] tbody tr"); n != 0 {
		t.Errorf("cy still has %d messages listed", n)
	}
}

// noScripts turns JavaScript off in the tab.
func noScripts() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
}

// typeInto types into a field with real key events.
func (tb *tab) typeInto(id, text string) {
	tb.t.Helper()
	tb.do(chromedp.WaitVisible(chromedp.ID(id)), chromedp.SendKeys(chromedp.ID(id), text))
}

// clickAndLoad clicks what leads to a new page and waits for it to load.
func (tb *tab) clickAndLoad(sel string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		tb.t.Fatalf("%s: click %s: %v", tb.name, sel, err)
	}
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("%s: read %s: %v", tb.name, sel, err)
	}
	return s
}

// texts reads the text of every match, through the DOM (not page script).
func (tb *tab) texts(sel string) []string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(sel)))
	if err != nil {
		tb.t.Fatalf("%s: find %s: %v", tb.name, sel, err)
	}
	var out []string
	for _, n := range nodes {
		s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.NodeIDs{n.NodeID}))
		if err != nil {
			tb.t.Fatalf("%s: read %s: %v", tb.name, sel, err)
		}
		out = append(out, s)
	}
	return out
}

func (tb *tab) count(sel string) int {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	ids, err := chromedp.Run(ctx, chromedp.QueryNodeIDs(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
	if err != nil {
		tb.t.Fatalf("%s: find %s: %v", tb.name, sel, err)
	}
	return len(ids)
}
