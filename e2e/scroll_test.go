package e2e

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestLoadOlderAndNewMessagesPill: scrolling up to the top loads older
// messages, 50 at a time, and the reader stays where they were; older
// messages line up with the rest. A message arriving while they read
// higher up does not move them, and a pill takes them down to it.
func TestLoadOlderAndNewMessagesPill(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	base := time.Now().Add(-2 * time.Hour)
	for i := range 120 {
		seed.say("general", "bo", base.Add(time.Duration(i)*20*time.Second), "old "+strconv.Itoa(i+1))
	}
	seed.user("ann")
	b := newBrowser(t)
	ann, bo := b.open(app, "ann"), b.open(app, "bo")
	ann.login()
	bo.login()
	ann.enterRoom("general")
	bo.enterRoom("general")

	if n := ann.msgCount(); n != 50 {
		t.Fatalf("room opens with %d messages, want 50", n)
	}
	if got := eval[string](ann, `document.activeElement.id`); got != "message-input" {
		t.Errorf("the room opens with the focus on %q, want the message box", got)
	}
	if !eval[bool](ann, `Math.abs(document.getElementById("log").getBoundingClientRect().bottom - document.querySelector("#messages .msg:last-child").getBoundingClientRect().bottom) < 40`) {
		t.Error("the room opens at the newest message")
	}

	// Read up to the first message, with "Load older messages" just out of
	// view; then a little further, and the page before comes by itself.
	first := eval[string](ann, `document.querySelector(".msg").id`)
	eval[bool](ann, `(document.getElementById("`+first+`").scrollIntoView({block: "start"}), true)`)
	if eval[bool](ann, `document.getElementById("load-older-link").getBoundingClientRect().bottom > document.getElementById("log").getBoundingClientRect().top + 1`) {
		t.Fatal("the control is still in view; the test cannot tell scrolling from loading")
	}
	if n := ann.msgCount(); n != 50 {
		t.Fatalf("%d messages before scrolling up to the control, want 50", n)
	}
	// Scroll until 10px of it show, and measure, in one go: the observer
	// answers after this.
	before := eval[float64](ann, `(() => { const log = document.getElementById("log");
		log.scrollBy(0, -(log.getBoundingClientRect().top - document.getElementById("load-older-link").getBoundingClientRect().bottom + 10));
		return document.querySelector("#`+first+` .content").getBoundingClientRect().bottom - log.getBoundingClientRect().top })()`)
	ann.waitFor("100 messages", `document.querySelectorAll(".msg").length === 100`, 10*time.Second)
	if after := ann.offsetInLog(first); math.Abs(after-before) > 2 {
		t.Errorf("loading older messages moved the reader: %s was at %.0fpx, now %.0fpx", first, before, after)
	}
	if n := eval[int](ann, `document.querySelectorAll("#messages .msg").length`); n != 50 {
		t.Errorf("%d messages in the live region, want the 50 first shown (older ones must not be announced)", n)
	}
	if got := eval[string](ann, `document.querySelector(".msg [data-testid=message-content]").textContent`); got != "old 21" {
		t.Errorf("first message after one older page: %q, want old 21", got)
	}
	ann.checkAligned()
	// Older messages continue the grouping: bo wrote every 20 seconds.
	if n := eval[int](ann, `document.querySelectorAll(".msg:not(.continued)").length`); n > 3 {
		t.Errorf("%d message groups for one author writing every 20 seconds", n)
	}
	// Keyboard: from "Load older messages", Tab goes to the message box,
	// and the newest messages come back into view.
	// (Up at the oldest message shown, with the control itself just out of
	// view: in view, it would load the last page and be gone.)
	eval[bool](ann, `(() => { document.querySelector(".msg").scrollIntoView({block: "start"});
		document.getElementById("load-older-link").focus({preventScroll: true}); return true })()`)
	ann.do(chromedp.KeyEvent("\t"))
	if got := eval[string](ann, `document.activeElement.id`); got != "message-input" {
		t.Fatalf("Tab from Load older messages went to %q, want the message box", got)
	}
	ann.waitFor("the newest message in view after tabbing to the box", newestInView, 5*time.Second)
	if got := eval[string](ann, `getComputedStyle(document.querySelector(".composer-box")).outline`); !strings.HasPrefix(got, "rgb") || !strings.Contains(got, "solid 2px") {
		t.Errorf("the focused message box's ring is %q, want the 2 px outline every control has", got)
	}

	eval[bool](ann, `(document.getElementById("log").scrollBy(0, -1e6), true)`)
	ann.waitFor("all 120 messages and the start of the room", `document.querySelectorAll(".msg").length === 120 && !!document.querySelector(".room-start")`, 10*time.Second)
	if n := eval[int](ann, `new Set([...document.querySelectorAll(".msg")].map(m => m.id)).size`); n != 120 {
		t.Errorf("%d distinct messages, want 120", n)
	}
	ann.checkAligned()

	// Scrolled up, a new message leaves the view alone and shows the pill.
	eval[bool](ann, `(document.getElementById("log").scrollBy(0, -1e6), true)`)
	top := eval[string](ann, `document.querySelector(".msg").id`)
	at := ann.offsetInLog(top)
	bo.say("are you there?")
	ann.waitForMessage("are you there?")
	ann.waitFor("the new-messages pill", `!document.getElementById("new-pill").hidden`, 5*time.Second)
	if got := eval[string](ann, `document.getElementById("new-pill").textContent.trim()`); got != "1 new message ↓" {
		t.Errorf("the pill says %q, want 1 new message", got)
	}
	bo.say("hello?")
	bo.say("anyone?")
	ann.waitForMessage("anyone?")
	if got := eval[string](ann, `document.getElementById("new-pill-label").textContent`); got != "3 new messages" {
		t.Errorf("the pill says %q, want 3 new messages", got)
	}
	if now := ann.offsetInLog(top); math.Abs(now-at) > 2 {
		t.Errorf("new messages moved the reader: %s was at %.0fpx, now %.0fpx", top, at, now)
	}
	ann.do(chromedp.Click(chromedp.ID("new-pill")))
	ann.waitFor("the newest message in view and the pill gone", `document.getElementById("new-pill").hidden && `+newestInView, 5*time.Second)

	// The count starts again from one.
	eval[bool](ann, `(document.getElementById("log").scrollBy(0, -1e6), true)`)
	bo.say("one more")
	ann.waitForMessage("one more")
	ann.waitFor("the pill, counting afresh", `!document.getElementById("new-pill").hidden && document.getElementById("new-pill-label").textContent === "1 new message"`, 5*time.Second)
	ann.do(chromedp.Click(chromedp.ID("new-pill")))
	ann.waitFor("the newest message in view", newestInView, 5*time.Second)

	// At the bottom, the next message scrolls into view with no pill.
	bo.say("still here")
	ann.waitForMessage("still here")
	ann.waitFor("the newest message in view", `Math.abs(document.getElementById("log").getBoundingClientRect().bottom - document.querySelector("#messages .msg:last-child").getBoundingClientRect().bottom) < 40`, 5*time.Second)
	if !eval[bool](ann, `document.getElementById("new-pill").hidden`) {
		t.Error("the pill shows although the reader was at the bottom")
	}
}

// newestInView is true when the newest message sits at the bottom of the log.
const newestInView = `Math.abs(document.getElementById("log").getBoundingClientRect().bottom - document.querySelector("#messages .msg:last-child").getBoundingClientRect().bottom) < 40`

// checkAligned fails unless every message, older or new, starts at the
// same x, and so does its text.
func (tb *tab) checkAligned() {
	tb.t.Helper()
	got := eval[string](tb, `[".msg", ".msg .content"].map(sel => [...new Set([...document.querySelectorAll(sel)].map(e => Math.round(e.getBoundingClientRect().left)))].join(",")).join(" | ")`)
	if strings.Contains(got, ",") {
		tb.t.Errorf("messages do not line up: left edges of messages | texts: %s", got)
	}
}

// TestLoadOlderByKeyboard: "Load older messages" works from the keyboard;
// the focus stays on it while there is more, and goes to the room's start
// when the last page arrives, never to nowhere.
func TestLoadOlderByKeyboard(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	base := time.Now().Add(-2 * time.Hour)
	for i := range 120 {
		seed.say("general", "bo", base.Add(time.Duration(i)*20*time.Second), "old "+strconv.Itoa(i+1))
	}
	seed.user("ann")
	b := newBrowser(t)
	ann := b.open(app, "ann")
	ann.login()
	ann.enterRoom("general")

	// Tab from the log to the control: focusing it scrolls it into view,
	// which loads a page by itself; the focus stays on the control.
	eval[bool](ann, `(document.getElementById("load-older-link").focus(), true)`)
	ann.waitFor("100 messages", `document.querySelectorAll(".msg").length === 100`, 10*time.Second)
	if got := eval[string](ann, `document.activeElement.id`); got != "load-older-link" {
		t.Errorf("after a page arrived the focus is on %q, want the control", got)
	}
	// htmx takes the new control in hand when the swap settles (20 ms);
	// before that, Enter would follow its link to the page without script.
	ann.waitFor("the swap settled", `!document.querySelector(".htmx-settling, .htmx-swapping, .htmx-request")`, 5*time.Second)
	ann.do(chromedp.KeyEvent("\r"))
	ann.waitFor("the start of the room", `document.querySelectorAll(".msg").length === 120 && !!document.querySelector(".room-start")`, 10*time.Second)
	ann.waitFor("the focus on the room's start", `document.activeElement.id === "room-start-heading"`, 5*time.Second)
	if got := eval[string](ann, `document.activeElement.textContent`); got != "Welcome to #general" {
		t.Errorf("focus on %q", got)
	}
	ann.checkAligned()
}

func (tb *tab) msgCount() int {
	tb.t.Helper()
	return eval[int](tb, `document.querySelectorAll(".msg").length`)
}

// offsetInLog is where a message's text is, in pixels from the top of the
// log's window. (Its header may go when older messages make it part of a
// group; the text is what the reader's eyes are on.)
func (tb *tab) offsetInLog(id string) float64 {
	tb.t.Helper()
	return eval[float64](tb, `document.querySelector("#`+id+` .content").getBoundingClientRect().bottom - document.getElementById("log").getBoundingClientRect().top`)
}

// TestDeletedMessageLeavesOpenPages: when staff delete a message, it goes
// from open pages without a reload, and the message after it, which was
// drawn as part of its group, gets its author's name back.
func TestDeletedMessageLeavesOpenPages(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	at := time.Now().Add(-time.Hour)
	first := seed.say("general", "bo", at, "first in a group")
	second := seed.say("general", "bo", at.Add(time.Minute), "second in a group")
	seed.user("ann")
	seed.staff("sam")
	b := newBrowser(t)
	ann, sam := b.open(app, "ann"), b.open(app, "sam")
	ann.login()
	sam.login()
	ann.enterRoom("general")
	sel := "#msg-" + strconv.FormatInt(second, 10)
	if !eval[bool](ann, `document.querySelector("`+sel+`").classList.contains("continued")`) {
		t.Fatal("the second message is not drawn as part of the first's group")
	}
	sam.goTo("/admin/")
	sam.clickAndLoad(`[aria-label="Delete message ` + strconv.FormatInt(first, 10) + `"]`)
	// A second step asks first; only its button deletes.
	if !eval[bool](ann, `!!document.getElementById("msg-`+strconv.FormatInt(first, 10)+`")`) {
		t.Fatal("the message went before the deletion was confirmed")
	}
	sam.clickAndLoad("[data-testid=confirm-delete]")
	ann.waitFor("the deleted message to go", `!document.getElementById("msg-`+strconv.FormatInt(first, 10)+`")`, 10*time.Second)
	if eval[bool](ann, `document.querySelector("`+sel+`").classList.contains("continued")`) {
		t.Error("after the first message went, the second is still drawn without its author")
	}
}
