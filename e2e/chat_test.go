package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestTwoPeopleTalk: A makes a room from its address (one click), A sends,
// B sees it without a reload; each sees the other online; when B closes
// the tab, B leaves A's list.
func TestTwoPeopleTalk(t *testing.T) {
	app := startApp(t, appConfig{})
	b := newBrowser(t)
	ann, bo := b.open(app, "ann"), b.open(app, "bo")
	ann.signup()
	bo.signup()
	ann.goTo("/chat/general/")
	if got := strings.Join(strings.Fields(ann.text("[data-testid=create-room-title]")), " "); got != "Create #general?" {
		t.Fatalf("a room's address before the room exists asks %q", got)
	}
	ann.clickAndLoad("[data-testid=create-room]")
	ann.waitLive()
	bo.enterRoom("general")

	ann.waitFor("bo in ann's online list", onlineHas("bo"), 10*time.Second)
	bo.waitFor("ann in bo's online list", onlineHas("ann"), 10*time.Second)
	// Each sees themselves first, marked as "you", then the others by name
	// (bo's list is not in alphabetical order, so "you first" shows).
	for _, tt := range []struct {
		tab  *tab
		want string
	}{{ann, "ann bo"}, {bo, "bo ann"}} {
		if got := strings.Join(tt.tab.online(), " "); got != tt.want {
			t.Errorf("%s's online list: %q, want %q", tt.tab.name, got, tt.want)
		}
		you := eval[string](tt.tab, `[...document.querySelectorAll("#online-list .member")].filter(li => li.querySelector(".you-tag")).map(li => li.textContent + ":" + getComputedStyle(li.querySelector(".you-tag"), "::before").content).join()`)
		if you != tt.tab.name+`:"you"` {
			t.Errorf("%s's online list marks %q as you", tt.tab.name, you)
		}
	}
	// Someone arriving later takes their place by name, not at the end.
	app.seeder().user("al")
	al := b.open(app, "al")
	al.login()
	al.enterRoom("general")
	ann.waitFor("al in ann's online list", onlineHas("al"), 10*time.Second)
	if got := strings.Join(ann.online(), " "); got != "ann al bo" {
		t.Errorf("after al arrives ann's list is %q, want ann (you) then al, bo", got)
	}
	al.close()
	ann.waitFor("al to leave", "!"+onlineHas("al"), 10*time.Second)

	ann.say("hello from ann")
	bo.waitForMessage("hello from ann")
	if got := bo.contents(); !slices.Equal(got, []string{"hello from ann"}) {
		t.Errorf("bo sees %q, want the one message once", got)
	}
	// Focus stays in the box after sending, and the box is empty again.
	if got := eval[string](ann, `document.activeElement.id + "|" + document.getElementById("message-input").value`); got != "message-input|" {
		t.Errorf("after sending, focus|box = %q, want the empty box focused", got)
	}
	// A second message from ann soon after joins her first in one group, and
	// arrives inside the polite live region that announces new messages.
	ann.say("and another thing")
	bo.waitForMessage("and another thing")
	if !eval[bool](bo, `document.querySelector("#messages[aria-live=polite] .msg:last-child").classList.contains("continued")`) {
		t.Error("ann's second message is not grouped with her first on bo's page")
	}
	// The reader's own message is marked, the other's is not.
	if !eval[bool](ann, `document.querySelector("[data-testid=message]").classList.contains("mine")`) {
		t.Error("ann's own message is not marked as hers")
	}
	if eval[bool](bo, `document.querySelector("[data-testid=message]").classList.contains("mine")`) {
		t.Error("ann's message is marked as bo's own")
	}

	// Shift+Enter makes a new line; links become safe links.
	bo.do(
		chromedp.Focus(chromedp.ID("message-input")),
		chromedp.SendKeys(chromedp.ID("message-input"), "two lines"),
		chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierShift)),
		chromedp.SendKeys(chromedp.ID("message-input"), "see https://example.com/x."),
		chromedp.KeyEvent("\r"),
	)
	want := "two lines\nsee https://example.com/x."
	ann.waitForMessage(want)
	link := eval[string](ann, `(() => { const a = document.querySelector("[data-testid=message-content] a"); return a.getAttribute("href") + " " + a.rel + " " + a.target })()`)
	if link != "https://example.com/x noopener nofollow ugc _blank" {
		t.Errorf("link rendered as %q", link)
	}

	bo.close()
	ann.waitFor("bo to leave ann's online list", "!"+onlineHas("bo"), 10*time.Second)
	if got := ann.online(); !slices.Equal(got, []string{"ann"}) {
		t.Errorf("online after bo left: %q", got)
	}
	if got := eval[string](ann, `document.getElementById("online-count").textContent`); got != "1" {
		t.Errorf("online count %q after bo left, want 1", got)
	}
}

// TestNetworkDropAndRecovery: B loses the network (the open stream with
// it), A posts three messages, B's network comes back: B sees
// "reconnecting", then all three once, in order, without a reload. What B
// tried to send while cut off stays in the box and goes once the network is
// back; a reload afterwards keeps the whole history.
func TestNetworkDropAndRecovery(t *testing.T) {
	app := startApp(t, appConfig{})
	app.seeder().room("general")
	b := newBrowser(t)
	wifi := newFlakyNet(t, app.url)
	ann, bo := b.open(app, "ann"), b.openVia(app, "bo", wifi)
	ann.signup()
	bo.signup()
	ann.enterRoom("general")
	bo.enterRoom("general")
	ann.say("before the drop")
	bo.waitForMessage("before the drop")

	wifi.cut(true)
	bo.waitFor("bo's page to show it is reconnecting", `document.getElementById("conn-state").dataset.state === "reconnecting"`, 10*time.Second)
	if label := eval[string](bo, `document.getElementById("conn-state").textContent`); !strings.Contains(label, "reconnecting") {
		t.Errorf("connection state reads %q", label)
	}

	missed := []string{"missed one", "missed two", "missed three"}
	for _, m := range missed {
		ann.say(m)
	}
	if got := bo.contents(); len(got) != 1 {
		t.Fatalf("bo saw %q while offline", got)
	}

	// Sending while cut off keeps the text in the box and says so.
	bo.do(
		chromedp.Focus(chromedp.ID("message-input")),
		chromedp.SendKeys(chromedp.ID("message-input"), "sent from a tunnel"),
		chromedp.KeyEvent("\r"),
	)
	bo.waitFor("the not-sent note", `!!document.querySelector("#message-form [data-testid=message-error]")`, 10*time.Second)
	// DevTools delivers Enter's character as an event of its own, which can
	// land after the text is put back and add a line break a real keyboard
	// would not (the page cancels Enter's keydown): compare without it.
	if got := eval[string](bo, `document.getElementById("message-input").value`); strings.TrimRight(got, "\n") != "sent from a tunnel" {
		t.Errorf("after a failed send the box holds %q, want the message back", got)
	}

	wifi.cut(false)
	bo.waitLive()
	// Live again: the note that it could not be sent is out of date.
	bo.waitFor("the not-sent note to go", `!document.querySelector("#message-form [data-testid=message-error]")`, 5*time.Second)
	for _, m := range missed {
		bo.waitForMessage(m)
	}
	want := append([]string{"before the drop"}, missed...)
	if got := bo.contents(); !slices.Equal(got, want) {
		t.Errorf("after reconnecting bo sees %q, want %q", got, want)
	}
	if dup := eval[bool](bo, `(() => { const ids = [...document.querySelectorAll("[data-testid=message]")].map(m => m.id); return new Set(ids).size !== ids.length })()`); dup {
		t.Error("a message appears twice on bo's page")
	}

	// Live again: bo's kept message goes with one Enter, the next one from
	// ann arrives too, each once.
	bo.do(chromedp.Focus(chromedp.ID("message-input")), chromedp.KeyEvent("\r"))
	ann.waitForMessage("sent from a tunnel")
	ann.say("after the drop")
	bo.waitForMessage("after the drop")
	want = append(want, "sent from a tunnel", "after the drop")
	if got := bo.contents(); !slices.Equal(got, want) {
		t.Errorf("bo sees %q, want %q", got, want)
	}

	// A reload keeps the history, in order.
	bo.do(chromedp.Reload())
	bo.waitLive()
	if got := bo.contents(); !slices.Equal(got, want) {
		t.Errorf("after a reload bo sees %q, want %q", got, want)
	}
}

func onlineHas(name string) string {
	return fmt.Sprintf(`[...document.querySelectorAll("#online-list [data-testid=online-member]")].some(li => li.textContent === %q)`, name)
}
