package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// navItem is the JavaScript for a room's entry in the sidebar (or on the
// rooms page).
func navItem(room string) string {
	return fmt.Sprintf(`document.querySelector(%q)`, fmt.Sprintf("li[data-room-name=%q]", room))
}

// badges reads a room's entry as a person sees it: bold or not, the unread
// count and the mention count ("" when hidden).
func (tb *tab) badges(room string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(() => {
		const li = %s;
		if (!li) return "missing";
		const shown = sel => { const el = li.querySelector(sel); return el && !el.hidden ? el.textContent : ""; };
		return (li.classList.contains("unread") ? "bold" : "plain") + " " + shown(".unread-count") + " " + shown(".mention-count");
	})()`, navItem(room)))
}

func (tb *tab) waitBadges(room, want string) {
	tb.t.Helper()
	tb.waitFor(fmt.Sprintf("#%s's entry to read %q", room, want), fmt.Sprintf(`(() => {
		const li = %s;
		if (!li) return false;
		const shown = sel => { const el = li.querySelector(sel); return el && !el.hidden ? el.textContent : ""; };
		return (li.classList.contains("unread") ? "bold" : "plain") + " " + shown(".unread-count") + " " + shown(".mention-count") === %q;
	})()`, navItem(room), want), 10*time.Second)
}

// TestUnreadAndMentions: bob sits in #random while ann talks in #general
// and mentions him. His sidebar shows #general in bold with the unread
// count and a mention badge, and the title counts it; his other device
// shows the same. Opening #general clears it everywhere, and shows where
// the unread messages began. The rooms list is live too.
func TestUnreadAndMentions(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	for _, r := range []string{"design", "general", "help", "random"} {
		seed.room(r)
	}
	seed.user("ann")
	seed.user("bob")
	now := time.Now()
	seed.say("general", "ann", now.Add(-time.Hour), "Morning, all.")
	seed.say("design", "chen", now.Add(-50*time.Minute), "Mockups for the sidebar are in the drive.")
	seed.say("help", "dana", now.Add(-45*time.Minute), "How do I turn notifications on?")
	seed.say("random", "ann", now.Add(-30*time.Minute), "Anyone seen the keys to the bike shed?")
	seed.say("random", "chen", now.Add(-28*time.Minute), "Blue hook by the door, as always.")
	seed.say("random", "bob", now.Add(-27*time.Minute), "Found them, thanks!")

	b := newBrowser(t)
	ann, bob, phone := b.open(app, "ann"), b.open(app, "bob"), b.open(app, "bob")
	ann.do(colorScheme("dark"))
	bob.do(colorScheme("dark"))
	for _, tb := range []*tab{ann, bob, phone} {
		tb.login()
	}
	// bob has read #design and #general, never opened #help; chen has
	// said more in #design since. Now bob is in #random, and on the rooms
	// list on his phone.
	bob.enterRoom("design")
	bob.enterRoom("general")
	for i, text := range []string{"Two versions: bold names, or a dot.", "I prefer the counts on the right.", "And mentions in the accent colour.", "Thoughts by Friday?"} {
		seed.say("design", "chen", now.Add(time.Duration(i-10)*time.Minute), text)
	}
	bob.enterRoom("random")
	phone.goTo("/chat/")
	phone.waitFor("the rooms list's stream", `document.querySelector("#main")["htmx-internal-data"]?.sseEventSource?.readyState === 1`, 10*time.Second)
	for room, want := range map[string]string{"general": "plain  ", "design": "bold 4 ", "help": "bold  ", "random": "plain  "} {
		if got := bob.badges(room); got != want {
			t.Errorf("#%s in bob's sidebar: %q, want %q", room, got, want)
		}
	}

	ann.enterRoom("general")
	ann.say("The deploy is done.")
	ann.say("@bob can you check the logs?")
	bob.waitBadges("general", "bold 2 @1")
	phone.waitBadges("general", "bold 2 @1")
	bob.waitFor("the title count", `document.title.startsWith("(6) #random")`, 10*time.Second)
	phone.waitFor("the title count", `document.title.startsWith("(6) Rooms")`, 10*time.Second)
	// The room bob is in counts him, and is not unread.
	if got := bob.badges("random"); !strings.HasPrefix(got, "plain") {
		t.Errorf("#random, where bob is: %q", got)
	}
	bob.waitFor("bob counted in #random", navItem("random")+`.querySelector(".online-count .n").textContent === "1"`, 10*time.Second)
	bob.waitFor("#general's online count", navItem("general")+`.querySelector(".online-count .n").textContent === "1"`, 10*time.Second)
	bob.checkContrast("sidebar with unread and mention badges")
	bob.screenshot("unread")
	phone.do(chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	phone.noSidewaysScroll("rooms list with badges at phone width")
	phone.checkContrast("rooms list with badges at phone width")

	// bob opens #general: it is read, on both of his screens.
	bob.do(chromedp.Click(chromedp.CSS(`li[data-room-name="general"] a`)))
	bob.waitFor("#general's page, live", `location.pathname === "/chat/general/" && document.getElementById("conn-state")?.dataset.state === "live"`, 10*time.Second)
	if got := bob.badges("general"); got != "plain  " {
		t.Errorf("#general after bob opened it: %q", got)
	}
	if got := eval[string](bob, `document.title`); !strings.HasPrefix(got, "(4) #general") {
		t.Errorf("title after reading #general: %q, want (4) for #design's", got)
	}
	// The divider sits above the first message he had not read.
	// (A day divider may stand between them.)
	if got := eval[string](bob, `(() => {
		let el = document.getElementById("new-divider");
		while (el && !el.matches(".msg")) el = el.nextElementSibling;
		return el?.querySelector("[data-testid=message-content]")?.textContent ?? "";
	})()`); got != "The deploy is done." {
		t.Errorf("the first message after the divider: %q", got)
	}
	phone.waitBadges("general", "plain  ")
	phone.waitFor("the title without #general's count", `document.title.startsWith("(4) Rooms")`, 10*time.Second)

	// While he reads #general, more there stays read; #random, away, counts.
	ann.say("thanks!")
	bob.waitForMessage("thanks!")
	ann.enterRoom("random")
	ann.say("bob, lunch?")
	bob.waitBadges("random", "bold 1 ")
	bob.waitBadges("general", "plain  ")
	phone.waitBadges("random", "bold 1 ")
	phone.waitBadges("general", "plain  ")
}

// TestTypingIndicator: what ann types shows on bob's screen as "ann is
// typing…" and not on her own; it goes when she sends. With a second
// typist it says both names.
func TestTypingIndicator(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.room("general")
	seed.user("ann")
	seed.user("bob")
	seed.user("chen")
	now := time.Now()
	seed.say("general", "chen", now.Add(-9*time.Minute), "The build for 0.9 is green.")
	seed.say("general", "ann", now.Add(-8*time.Minute), "Nice! Screenshots are in docs/ now.")
	seed.say("general", "bob", now.Add(-5*time.Minute), "Who is writing the release notes?")
	b := newBrowser(t)
	ann, bob, chen := b.open(app, "ann"), b.open(app, "bob"), b.open(app, "chen")
	bob.do(colorScheme("dark"))
	for _, tb := range []*tab{ann, bob, chen} {
		tb.login()
		tb.enterRoom("general")
	}
	typing := `document.getElementById("typing").textContent`

	ann.do(chromedp.Focus(chromedp.ID("message-input")), chromedp.SendKeys(chromedp.ID("message-input"), "I will, give me a"))
	bob.waitFor("ann typing on bob's screen", typing+` === "ann is typing…"`, 10*time.Second)
	chen.do(chromedp.Focus(chromedp.ID("message-input")), chromedp.SendKeys(chromedp.ID("message-input"), "me too"))
	bob.waitFor("both typing on bob's screen", typing+` === "ann and chen are typing…"`, 10*time.Second)
	ann.waitFor("chen typing on ann's screen, without ann", typing+` === "chen is typing…"`, 10*time.Second)
	bob.screenshot("typing")

	ann.do(chromedp.KeyEvent("\r"))
	bob.waitForMessage("I will, give me a")
	bob.waitFor("ann no longer typing once she sent", typing+` === "chen is typing…"`, 10*time.Second)
	// chen stops typing: about 5 s later nobody is.
	bob.waitFor("chen's typing to end on its own", typing+` === ""`, 15*time.Second)
}

// notificationStub is run in every page of a tab before its scripts: a
// Notification API that records what it is asked to show (permission is
// asked for, and granted, as a person would click "Allow"), and a tab the
// test can hide (window.testHidden).
const notificationStub = `
window.shown = [];
window.Notification = function (title, opts) { window.shown.push(title + " | " + opts.body); this.close = function () {}; };
window.Notification.permission = sessionStorage.getItem("granted") ? "granted" : "default";
window.Notification.requestPermission = function () {
	window.Notification.permission = "granted";
	sessionStorage.setItem("granted", "1");
	return Promise.resolve("granted");
};
Object.defineProperty(Document.prototype, "visibilityState", { get: function () { return window.testHidden ? "hidden" : "visible"; }, configurable: true });
`

// TestMentionNotification: with notifications turned on and the tab
// hidden, a mention raises a browser notification naming who and where;
// while the tab is visible, or with the toggle off, it does not. The toggle
// stays on after a reload.
func TestMentionNotification(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.room("general")
	seed.room("random")
	seed.user("ann")
	seed.user("bob")
	b := newBrowser(t)
	ann, bob := b.open(app, "ann"), b.open(app, "bob")
	bob.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: notificationStub})
		return err
	}))
	ann.login()
	bob.login()
	bob.enterRoom("random")
	bob.waitFor("the toggle", `!document.getElementById("notify-toggle").hidden`, 5*time.Second)
	if got := eval[string](bob, `document.getElementById("notify-toggle").getAttribute("aria-pressed")`); got != "false" {
		t.Errorf("toggle before it is turned on: aria-pressed=%s", got)
	}

	ann.enterRoom("general")
	ann.say("@bob while you look")
	bob.waitBadges("general", "bold  @1")
	eval[bool](bob, `(() => { window.testHidden = true; return true })()`)
	ann.say("@bob toggle off, no notification")
	bob.waitBadges("general", "bold  @2")
	if n := eval[int](bob, `window.shown.length`); n != 0 {
		t.Errorf("a notification without the toggle on: %v", eval[[]string](bob, `window.shown`))
	}

	eval[bool](bob, `(() => { window.testHidden = false; return true })()`)
	bob.do(chromedp.Click(chromedp.ID("notify-toggle")))
	bob.waitFor("the toggle on", `document.getElementById("notify-toggle").getAttribute("aria-pressed") === "true"`, 5*time.Second)
	ann.say("@bob visible tab, no notification")
	bob.waitBadges("general", "bold  @3")
	if n := eval[int](bob, `window.shown.length`); n != 0 {
		t.Errorf("a notification while the tab is visible: %v", eval[[]string](bob, `window.shown`))
	}
	eval[bool](bob, `(() => { window.testHidden = true; return true })()`)
	ann.say("@bob are you there?")
	bob.waitFor("the notification", `window.shown.length === 1`, 10*time.Second)
	if got := eval[string](bob, `window.shown[0]`); got != "ann mentioned you in #general | @bob are you there?" {
		t.Errorf("notification %q", got)
	}
	// A message in the room bob is in, while his tab is hidden, is unread
	// there; when he comes back to it, it is read, here and on the server.
	ann.enterRoom("random")
	ann.say("back in #random")
	bob.waitForMessage("back in #random")
	bob.waitBadges("random", "bold 1 ")
	bob.waitFor("the title count while away", `document.title.startsWith("(1) #random")`, 10*time.Second)
	eval[bool](bob, `(() => { window.testHidden = false; document.dispatchEvent(new Event("visibilitychange")); return true })()`)
	bob.waitBadges("random", "plain  ")
	bob.waitFor("the title without a count", `document.title.startsWith("#random")`, 10*time.Second)
	waitRead := time.Now().Add(10 * time.Second)
	for {
		st, err := app.store.RoomStateOf(t.Context(), seed.user("bob").ID, seed.room("random").ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Unread == 0 {
			break
		}
		if time.Now().After(waitRead) {
			t.Fatalf("the server still counts %d unread in #random for bob", st.Unread)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Still on after a reload: the choice is kept in this browser.
	bob.do(chromedp.Reload())
	bob.waitLive()
	bob.waitFor("the toggle still on", `document.getElementById("notify-toggle").getAttribute("aria-pressed") === "true"`, 5*time.Second)
}

// TestLeavingARoom: going from one room to another takes you off the first
// one's online list, even though the browser keeps the page for Back, and
// Back brings a page that is live and right.
func TestLeavingARoom(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.room("general")
	seed.room("random")
	seed.user("ann")
	seed.user("bob")
	b := newBrowser(t)
	ann, bob := b.open(app, "ann"), b.open(app, "bob")
	ann.login()
	bob.login()
	ann.enterRoom("general")
	bob.enterRoom("general")
	ann.waitFor("bob online in #general", onlineHas("bob"), 10*time.Second)
	bob.enterRoom("random")
	ann.waitFor("bob off #general's list once he left", "!"+onlineHas("bob"), 10*time.Second)
	ann.waitFor("#random's count in ann's sidebar", navItem("random")+`.querySelector(".online-count .n").textContent === "1"`, 10*time.Second)
	ann.say("while you were away")
	bob.do(chromedp.NavigateBack())
	bob.waitLive()
	bob.waitForMessage("while you were away")
	ann.waitFor("bob back on #general's list", onlineHas("bob"), 10*time.Second)
}
