package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// react stores who's reaction to a message.
func (s *seeder) react(room, who string, id int64, emoji string) {
	s.t.Helper()
	if _, err := s.w.React(s.t.Context(), s.room(room).ID, id, s.user(who).ID, emoji); err != nil {
		s.t.Fatal(err)
	}
}

// hover moves the mouse over the middle of the element.
func (tb *tab) hover(sel string) {
	tb.t.Helper()
	xy := eval[[]float64](tb, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2] })()`, sel))
	tb.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: xy[0], Y: xy[1]})
		return err
	}))
}

// TestActionScreenshots draws the message actions for the README (editing,
// a reply, reactions; MINIDISCORD_SCREENSHOTS=1 writes them into docs/),
// and checks each state as the main tour does: WCAG AA contrast in both
// themes and nothing sideways at phone width.
func TestActionScreenshots(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	now := time.Now().Truncate(time.Minute)
	seed.room("general")
	seed.room("design")
	plan := seed.say("general", "bo", now.Add(-50*time.Minute), "Plan for Friday: ship reactions, replies and editing.")
	seed.say("general", "chen", now.Add(-48*time.Minute), "The picker has eight emoji. Enough for a start?")
	cake := seed.say("general", "dana", now.Add(-30*time.Minute), "The release notes are up: https://example.com/notes")
	seed.react("general", "bo", cake, "🎉")
	seed.react("general", "chen", cake, "🎉")
	seed.react("general", "ann", cake, "🎉")
	seed.react("general", "chen", cake, "❤️")
	seed.react("general", "bo", cake, "👀")
	seed.sayReply("general", "chen", now.Add(-20*time.Minute), "Yes, and the reply quote links back to it.", plan)
	seed.react("general", "ann", plan, "👍")
	seed.react("general", "dana", plan, "👍")
	mine := seed.say("general", "ann", now.Add(-9*time.Minute), "I'll write the anouncement tonihgt.")
	question := seed.say("general", "bo", now.Add(-4*time.Minute), "Who is taking the demo on Friday?")

	b := newBrowser(t)
	ann := b.open(app, "ann")
	ann.do(colorScheme("dark"))
	seed.user("ann")
	ann.login()
	bo := b.open(app, "bo")
	bo.login()
	bo.enterRoom("general")
	ann.enterRoom("general")
	mineID, questionID, cakeID := "msg-"+itoa64(mine), "msg-"+itoa64(question), "msg-"+itoa64(cake)

	check := func(what string) {
		t.Helper()
		ann.noSidewaysScroll(what)
		ann.checkContrast(what + ", dark theme")
		ann.do(colorScheme("light"))
		ann.waitFor("the light theme", `document.documentElement.dataset.themeNow === "light" && !document.getAnimations().some(a => a instanceof CSSTransition)`, 5*time.Second)
		ann.checkContrast(what + ", light theme")
		ann.do(colorScheme("dark"))
		ann.waitFor("the dark theme", `document.documentElement.dataset.themeNow === "dark" && !document.getAnimations().some(a => a instanceof CSSTransition)`, 5*time.Second)
	}

	// Reactions: counted, ann's own marked, the picker open on bo's message.
	ann.hover("#" + cakeID + " .content")
	ann.act(questionID, "react")
	ann.waitFor("the picker", `!!document.querySelector("#react-popover button")`, 10*time.Second)
	if !eval[bool](ann, `document.querySelector("#`+cakeID+` .reaction[data-emoji='🎉']").classList.contains("mine")`) {
		t.Error("ann's own 🎉 is not marked")
	}
	check("reactions and the picker")
	ann.screenshot("reactions")
	ann.do(chromedp.KeyEvent("\x1b"))
	ann.waitFor("the picker to close", `!document.getElementById("react-popover")`, 5*time.Second)

	// A reply: the quote in the log, and the composer answering bo.
	ann.act(questionID, "reply")
	// (DevTools sends Enter's character apart from its key press, so it
	// lands in the composer the action focused; a keyboard's would not.)
	eval[bool](ann, `(document.getElementById("message-input").value = "", true)`)
	ann.do(chromedp.SendKeys(chromedp.ID("message-input"), "I can, if someone else takes the slides."))
	ann.hover("#" + questionID + " .content")
	check("a reply")
	ann.screenshot("reply")
	ann.do(chromedp.KeyEvent("\x1b")) // Escape: no longer answering
	eval[bool](ann, `(document.getElementById("message-input").value = "", true)`)

	// Editing in place.
	ann.act(mineID, "edit")
	ann.waitFor("the edit box", `document.activeElement.matches("#`+mineID+` textarea")`, 10*time.Second)
	eval[bool](ann, `(document.activeElement.value = "I'll write the announcement tonight.", document.activeElement.dispatchEvent(new Event("input", {bubbles: true})), true)`)
	check("editing")
	ann.screenshot("editing")

	// At phone width the same states fit.
	ann.do(chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	ann.waitFor("the phone layout", `window.innerWidth === 360`, 5*time.Second)
	ann.noSidewaysScroll("editing at phone width")
	ann.do(chromedp.KeyEvent("\x1b"))
	ann.act(questionID, "react")
	ann.waitFor("the picker", `!!document.querySelector("#react-popover button")`, 10*time.Second)
	ann.noSidewaysScroll("the picker at phone width")
	if !eval[bool](ann, `(() => { const r = document.getElementById("react-popover").getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth })()`) {
		t.Error("the picker leaves the screen at phone width")
	}
	ann.do(chromedp.EmulateViewport(1280, 800))
	if os.Getenv("MINIDISCORD_SCREENSHOTS") != "" {
		t.Log("screenshots written")
	}
}
