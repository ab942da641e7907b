package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// send puts text in the box as a paste would and presses Enter.
func (tb *tab) send(text string) {
	tb.t.Helper()
	tb.fill("message-input", text)
	tb.do(chromedp.Focus(chromedp.ID("message-input")), enter)
}

// enter is the Enter key as a keyboard sends it: one keydown carrying its
// text, which a page that handles the key can prevent. (chromedp.KeyEvent
// sends the text as a "char" event of its own, which inserts a line break
// whatever the page does.)
var enter = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	key := input.DispatchKeyEventParams{Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
	down, up := key, key
	down.Type, down.Text, down.UnmodifiedText = input.DispatchKeyEventTypeKeyDown, "\r", "\r"
	up.Type = input.DispatchKeyEventTypeKeyUp
	for _, ev := range []input.DispatchKeyEventParams{down, up} {
		if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, ev); err != nil {
			return err
		}
	}
	return nil
})

// lastMessage is a CSS selector for the newest message in the log.
const lastMessage = "#messages .msg:last-child"

// TestFormattingLive: ann sends a code block and a spoiler; bob sees them
// live, formatted; the spoiler hides its text until bob opens it, by click
// or by keyboard.
func TestFormattingLive(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.room("general")
	seed.user("ann")
	seed.user("bob")
	b := newBrowser(t)
	ann, bob := b.open(app, "ann"), b.open(app, "bob")
	ann.login()
	bob.login()
	ann.enterRoom("general")
	bob.enterRoom("general")

	ann.send("Try **this**:\n```\nif a < b {\n\treturn <nil>\n}\n```\nThe ending: ||they merge on Friday|| and ||it works||")
	bob.waitFor("ann's code block", `document.querySelector("`+lastMessage+` pre > code")?.textContent === "if a < b {\n\treturn <nil>\n}"`, 10*time.Second)
	if got := eval[string](bob, `document.querySelector("`+lastMessage+` .para strong")?.textContent`); got != "this" {
		t.Errorf("bold reads %q", got)
	}
	if got := eval[string](bob, `getComputedStyle(document.querySelector("`+lastMessage+` pre")).fontFamily`); !strings.Contains(got, "mono") {
		t.Errorf("the code block is not in a monospace font: %s", got)
	}
	// Closed, a spoiler shows a bar that says so, not its text.
	visible := func(n int) bool {
		return eval[bool](bob, fmt.Sprintf(`document.querySelectorAll("%s .spoiler-text")[%d].checkVisibility()`, lastMessage, n))
	}
	if visible(0) || visible(1) {
		t.Fatal("a spoiler shows its text before it is opened")
	}
	if got := eval[string](bob, `document.querySelector("`+lastMessage+` .spoiler summary").textContent`); got != "Spoiler" {
		t.Errorf("a closed spoiler reads %q", got)
	}
	bob.do(chromedp.Click(chromedp.CSS(lastMessage + " .spoiler summary")))
	bob.waitFor("the first spoiler open", `document.querySelectorAll("`+lastMessage+` .spoiler")[0].open`, 5*time.Second)
	if !visible(0) || visible(1) {
		t.Error("a click opens the wrong spoiler, or none")
	}
	// The keyboard opens the second: Tab to it, Enter.
	eval[bool](bob, `(document.querySelectorAll("`+lastMessage+` .spoiler summary")[1].focus(), true)`)
	bob.do(enter)
	bob.waitFor("the second spoiler open", `document.querySelectorAll("`+lastMessage+` .spoiler")[1].open`, 5*time.Second)
	if got := eval[string](bob, `document.querySelectorAll("`+lastMessage+` .spoiler-text")[1].textContent`); got != "it works" || !visible(1) {
		t.Errorf("the opened spoiler shows %q (visible: %v)", got, visible(1))
	}
	// Both people's pages were checked for CSP refusals (inline styles) as
	// they went (watchConsole).
}

// TestMentionStandsOutForWhoIsMentioned: ann mentions bob; both see the
// mention marked, and bob sees it, and its message, marked more strongly.
func TestMentionStandsOutForWhoIsMentioned(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.room("general")
	seed.user("ann")
	seed.user("bob")
	b := newBrowser(t)
	ann, bob := b.open(app, "ann"), b.open(app, "bob")
	ann.login()
	bob.login()
	ann.enterRoom("general")
	bob.enterRoom("general")

	ann.send("thanks @bob, and @ann too")
	for _, tb := range []*tab{ann, bob} {
		tb.waitFor("the mention", `document.querySelectorAll("`+lastMessage+` .mention").length === 2`, 10*time.Second)
	}
	chip := func(tb *tab, name string) string {
		return eval[string](tb, `(() => { const m = [...document.querySelectorAll("`+lastMessage+` .mention")].find(m => m.textContent === "@`+name+`");
			const s = getComputedStyle(m); return m.className + "|" + s.backgroundColor + "|" + s.color })()`)
	}
	annSeesBob, bobSeesBob := chip(ann, "bob"), chip(bob, "bob")
	if !strings.HasPrefix(bobSeesBob, "mention mention-me|") || strings.HasPrefix(annSeesBob, "mention mention-me") {
		t.Errorf("the mention of bob: %q on bob's page, %q on ann's; want it marked as his on his page only", bobSeesBob, annSeesBob)
	}
	if annSeesBob == bobSeesBob {
		t.Errorf("bob's mention looks the same to bob as to ann: %s", bobSeesBob)
	}
	if chip(ann, "ann") != bobSeesBob {
		t.Errorf("each person's own mention should look alike: ann sees her own as %s, bob his as %s", chip(ann, "ann"), bobSeesBob)
	}
	// The whole message stands out for both (each is mentioned), and a
	// message mentioning neither does not.
	for _, tb := range []*tab{ann, bob} {
		if !eval[bool](tb, `document.querySelector("`+lastMessage+`").classList.contains("mentions-me")`) {
			t.Errorf("%s's page does not mark the message that mentions them", tb.name)
		}
	}
	ann.send("no one here")
	bob.waitForMessage("no one here")
	if eval[bool](bob, `document.querySelector("`+lastMessage+`").classList.contains("mentions-me")`) {
		t.Error("a message without bob's name is marked as mentioning him")
	}
	bob.checkContrast("a room with mentions, dark")
}

// TestMentionAutocomplete: typing "@" and letters offers people of the
// room, the online first; the keyboard chooses; nothing is sent by the
// Enter that picks a name.
func TestMentionAutocomplete(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.say("general", "bea", time.Now().Add(-time.Hour), "hello all")
	seed.user("ben")
	seed.user("ann")
	seed.user("bob")
	b := newBrowser(t)
	ann, bob := b.open(app, "ann"), b.open(app, "bob")
	ann.login()
	bob.login()
	bob.enterRoom("general")
	ann.enterRoom("general")
	ann.waitFor("bob online", onlineHas("bob"), 5*time.Second)

	options := func() string {
		return eval[string](ann, `[...document.querySelectorAll("#mention-options [role=option]")].map(o => o.dataset.name + (o.getAttribute("aria-selected") === "true" ? "*" : "")).join(" ")`)
	}
	input := func() string { return eval[string](ann, `document.getElementById("message-input").value`) }
	listOpen := `!document.getElementById("mention-options").hidden`

	ann.do(chromedp.Focus(chromedp.ID("message-input")), chromedp.SendKeys(chromedp.ID("message-input"), "hi @b"))
	ann.waitFor("people to mention", listOpen+` && document.querySelectorAll("#mention-options [role=option]").length === 3`, 5*time.Second)
	// bob is online, bea posted here, ben exists; the first is chosen.
	if got := options(); got != "bob* bea ben" {
		t.Errorf("@b offers %q, want bob (chosen), bea, ben", got)
	}
	if got := eval[string](ann, `document.getElementById("message-input").getAttribute("aria-activedescendant") + " " + document.getElementById("message-input").getAttribute("aria-controls")`); got != eval[string](ann, `document.querySelector("#mention-options [aria-selected=true]").id`)+" mention-options" {
		t.Errorf("the box points at %q", got)
	}
	ann.do(chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
	if got := options(); got != "bob bea ben*" {
		t.Errorf("after Down, Down: %q", got)
	}
	ann.do(chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowUp))
	if got := options(); got != "bob bea ben*" {
		t.Errorf("after Down (wrapping), Up: %q", got)
	}
	ann.do(enter)
	ann.waitFor("the list closed", "!("+listOpen+")", 5*time.Second)
	if got := input(); got != "hi @ben " {
		t.Errorf("after Enter the box holds %q, want the name put in", got)
	}
	// Tab picks too; Escape closes without picking.
	ann.do(chromedp.SendKeys(chromedp.ID("message-input"), "and @be"))
	ann.waitFor("bea offered", listOpen+` && document.querySelector("#mention-options").dataset.q === "be"`, 5*time.Second)
	ann.do(chromedp.KeyEvent(kb.Tab))
	if got := input(); got != "hi @ben and @bea " {
		t.Errorf("after Tab the box holds %q", got)
	}
	if got := eval[string](ann, `document.activeElement.id`); got != "message-input" {
		t.Errorf("after Tab the focus is on %q, not the box", got)
	}
	ann.do(chromedp.SendKeys(chromedp.ID("message-input"), "@b"))
	ann.waitFor("the list again", listOpen, 5*time.Second)
	ann.do(chromedp.KeyEvent(kb.Escape))
	ann.waitFor("the list closed by Escape", "!("+listOpen+")", 5*time.Second)
	if got := input(); got != "hi @ben and @bea @b" {
		t.Errorf("after Escape the box holds %q", got)
	}
	if n := eval[int](bob, `document.querySelectorAll(".msg").length`); n != 1 {
		t.Errorf("choosing names sent something: bob sees %d messages", n)
	}
	// With the list closed, Enter sends; the names are mentions.
	ann.do(chromedp.KeyEvent(kb.Backspace), chromedp.KeyEvent(kb.Backspace), enter)
	bob.waitFor("ann's message", `document.querySelectorAll("`+lastMessage+` .mention").length === 2`, 10*time.Second)
	if got := eval[string](bob, `[...document.querySelectorAll("`+lastMessage+` .mention")].map(m => m.textContent).join(" ")`); got != "@ben @bea" {
		t.Errorf("bob sees mentions %q", got)
	}
	ann.checkContrast("the room after choosing names")
}

// TestComposerCountsAndNeverCuts: near the limit the box shows what is
// left; a 633-character paste stays whole, shows how far over it is, and
// Enter does not send it but says why.
func TestComposerCountsAndNeverCuts(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.room("general")
	seed.user("ann")
	b := newBrowser(t)
	ann := b.open(app, "ann")
	ann.login()
	ann.enterRoom("general")

	count := func() string {
		return eval[string](ann, `(() => { const c = document.getElementById("char-count"); return !c || c.hidden ? "hidden" : c.textContent + (c.classList.contains("over") ? " over" : "") })()`)
	}
	ann.fill("message-input", "short")
	if got := count(); got != "hidden" {
		t.Errorf("a short message shows a count: %s", got)
	}
	ann.fill("message-input", strings.Repeat("é", 450))
	if got := count(); got != "62" {
		t.Errorf("450 characters leave %q, want 62", got)
	}
	long := strings.Repeat("word ", 126) + "end" // 633 characters
	ann.fill("message-input", long)
	if got := count(); got != "-121 over" {
		t.Errorf("633 characters show %q, want -121 in the over style", got)
	}
	ann.do(chromedp.Focus(chromedp.ID("message-input")), enter)
	ann.waitFor("the reason it was not sent", `document.querySelector("[data-testid=length-error]")?.textContent.includes("121 characters over")`, 5*time.Second)
	if got := eval[string](ann, `document.getElementById("message-input").value`); got != long {
		t.Errorf("the box holds %d characters after Enter, want the 633 pasted", len(got))
	}
	ann.do(chromedp.Click(chromedp.CSS("#message-form button[type=submit]")))
	if n := app.countMessages("general"); n != 0 {
		t.Errorf("%d messages stored; over the limit nothing may leave", n)
	}
	ann.checkContrast("composer over the limit")
	ann.fill("message-input", long[:512])
	if got := count(); got != "0" {
		t.Errorf("512 characters show %q, want 0", got)
	}
	if eval[bool](ann, `!!document.querySelector("[data-testid=length-error]")`) {
		t.Error("the note stays when the text fits")
	}
	ann.do(enter)
	ann.waitForMessage(strings.TrimSpace(long[:512]))
}

// countMessages counts a room's stored messages.
func (a *testApp) countMessages(room string) int {
	a.t.Helper()
	r, err := a.store.RoomByName(a.t.Context(), room)
	if err != nil {
		a.t.Fatal(err)
	}
	n, err := a.store.CountMessages(a.t.Context(), r.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	return n
}

// TestFormattingScreenshots takes the README's pictures of a code block
// and a mention (MINIDISCORD_SCREENSHOTS=1 writes them to docs/), and
// checks contrast and width with formatted messages in both themes.
func TestFormattingScreenshots(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	now := time.Now().Truncate(time.Minute)
	seed.user("bob")
	seed.say("general", "ann", now.Add(-9*time.Minute), "Morning! **Release** is _today_. ~~Friday~~ Thursday.\nRun `go test ./...` before you merge.")
	seed.say("general", "chen", now.Add(-7*time.Minute), "The fix for the empty room:\n```\nfunc (h *Handler) showRoom(c *gin.Context) {\n\troom, err := h.roomFromParam(c)\n\tif err != nil {\n\t\th.fail(c, err)\n\t\treturn\n\t}\n\th.renderRoom(c, http.StatusOK, room, \"\", \"\")\n}\n```\n> does it keep the draft?\nIt does, see www.example.com/review/42")
	seed.say("general", "ann", now.Add(-2*time.Minute), "thanks @chen! @bob can you look before lunch? The last line is ||the best part||")
	seed.say("general", "bob", now.Add(-time.Minute), "On it, @ann. Reading the diff now.")
	b := newBrowser(t)
	bob := b.open(app, "bob")
	bob.do(colorScheme("dark"))
	bob.login()
	bob.enterRoom("general")
	bob.waitFor("the mention of bob marked", `!!document.querySelector(".mention.mention-me")`, 5*time.Second)
	bob.checkContrast("formatted messages, dark")
	bob.elementShot("code-block", "#msg-2")
	bob.elementShot("mention", "#msg-3, #msg-4")
	bob.do(chromedp.Click(chromedp.CSS("#msg-3 .spoiler summary")))
	bob.checkContrast("an opened spoiler, dark")
	bob.do(colorScheme("light"))
	bob.checkContrast("formatted messages, light")
	bob.do(chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	bob.waitFor("the phone layout", `window.innerWidth === 360`, 5*time.Second)
	bob.noSidewaysScroll("a long code block at 360px")
	if !eval[bool](bob, `(() => { const p = document.querySelector("#msg-2 pre"); return p.scrollWidth > p.clientWidth })()`) {
		t.Error("at 360px the long code lines should scroll inside their block")
	}
}

// elementShot saves a picture of the elements sel matches (the box around
// them all, as they are in view), where screenshot saves pages.
func (tb *tab) elementShot(name, sel string) {
	tb.t.Helper()
	dir := tb.t.TempDir()
	switch v := os.Getenv("MINIDISCORD_SCREENSHOTS"); v {
	case "", "0":
	case "1":
		dir = filepath.Join("..", "docs")
	default:
		dir = v
	}
	box := eval[[]float64](tb, `(() => { const rs = [...document.querySelectorAll(`+strconv.Quote(sel)+`)].map(e => e.getBoundingClientRect());
		const x = Math.min(...rs.map(r => r.left)), y = Math.min(...rs.map(r => r.top));
		return [x, y, Math.max(...rs.map(r => r.right)) - x, Math.max(...rs.map(r => r.bottom)) - y].map(Math.round) })()`)
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	var png []byte
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		clip := &page.Viewport{X: box[0], Y: box[1], Width: box[2], Height: box[3], Scale: 2}
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng, Clip: clip})
		if err == nil {
			png = res.Data
		}
		return err
	}))
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}
