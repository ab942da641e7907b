package e2e

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestPagesAndScreenshots visits the main pages as a person would, at
// desktop and phone width and in both themes, checks that nothing spills
// sideways, that all text meets WCAG AA contrast, that at phone width every
// control is a 44 px tap target and the unread markers show whole, and
// takes the screenshots that docs/ shows (MINIDISCORD_SCREENSHOTS=1 writes
// them there).
func TestPagesAndScreenshots(t *testing.T) {
	app := startApp(t, appConfig{dev: true})
	seed := app.seeder()
	now := time.Now().Truncate(time.Minute)
	// "Today" messages stay today however soon after midnight this runs:
	// in the day's first hour their offsets shrink to fit since midnight.
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	ago := func(d time.Duration) time.Time {
		if since := now.Sub(midnight); since < 4*time.Hour {
			d = d * since / (4 * time.Hour)
		}
		return now.Add(-d)
	}
	yesterday := midnight.Add(-12 * time.Hour)
	for _, r := range []string{"general", "design", "random", "help"} {
		seed.room(r)
	}
	seed.say("design", "chen", ago(3*time.Hour), "New mockups for the member list are up.")
	seed.say("general", "bo", yesterday.Add(-12*time.Minute), "Anyone around for the review tomorrow?")
	seed.say("general", "chen", yesterday.Add(-9*time.Minute), "I am. Notes are here: https://example.com/review-notes")
	seed.say("general", "chen", yesterday.Add(-8*time.Minute), "(see the part about the new-messages pill)")
	seed.say("general", "ann", ago(41*time.Minute), "Morning! Three things for today:\n1. ship the styleguide\n2. check contrast in the light theme\n3. coffee")
	seed.say("general", "ann", ago(40*time.Minute), "Also the phone layout: rooms and members become strips above the log.")
	seed.say("general", "bo", ago(12*time.Minute), "On it. Reconnecting works too: I pulled the cable and nothing was lost.")
	seed.say("general", "dana", ago(6*time.Minute), "Nice. Is there a way to see older messages?")
	seed.say("general", "bo", ago(5*time.Minute), "Scroll up and press “Load older messages”: 50 at a time.")
	seed.say("random", "dana", ago(2*time.Minute), "☕")

	b := newBrowser(t)
	visitor := b.open(app, "visitor")
	visitor.do(colorScheme("dark"))
	visitor.goTo("/")
	visitor.noSidewaysScroll("home")
	visitor.checkContrast("home")
	visitor.screenshot("home")
	visitor.goTo("/user/signup/")
	visitor.checkContrast("signup")
	visitor.screenshot("signup")
	visitor.goTo("/accounts/login/")
	visitor.checkContrast("login")
	visitor.screenshot("login")
	visitor.do(chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	for _, page := range []string{"/", "/user/signup/", "/accounts/login/", "/chat/"} {
		visitor.goTo(page)
		visitor.noSidewaysScroll(page + " at phone width")
	}
	visitor.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, page := range []string{"/", "/user/signup/", "/accounts/login/"} {
		visitor.goTo(page)
		visitor.tapTargets(page + " at 390 px")
	}

	ann := b.open(app, "ann")
	ann.do(colorScheme("dark"))
	seed.user("ann")
	ann.login()
	bo := b.open(app, "bo")
	seed.user("bo")
	bo.login()
	bo.enterRoom("general")
	dana := b.open(app, "dana")
	seed.user("dana")
	dana.login()
	dana.enterRoom("general")

	ann.goTo("/chat/")
	ann.noSidewaysScroll("rooms list")
	ann.checkContrast("rooms list")
	// Rooms ann has never opened but that have messages are marked unread.
	if got := eval[[]string](ann, `[...document.querySelectorAll(".room-card.unread .room-name")].map(e => e.textContent)`); fmt.Sprint(got) != "[design general random]" {
		t.Errorf("unread rooms on /chat/: %v, want design, general and random", got)
	}
	ann.screenshot("rooms")

	ann.enterRoom("general")
	ann.waitFor("ann, bo and dana online", onlineHas("ann")+" && "+onlineHas("bo")+" && "+onlineHas("dana"), 5*time.Second)
	ann.noSidewaysScroll("room")
	ann.checkContrast("room")
	// Grouping: chen's two messages a minute apart make one group; ann's
	// own messages are marked; yesterday and today have dividers.
	if got := eval[int](ann, `document.querySelectorAll(".msg.continued").length`); got != 2 {
		t.Errorf("%d grouped messages, want 2 (chen's and ann's follow-ups)", got)
	}
	if got := eval[int](ann, `document.querySelectorAll(".msg.mine").length`); got != 2 {
		t.Errorf("%d messages marked as ann's, want 2", got)
	}
	if got := eval[string](ann, `[...document.querySelectorAll(".day-divider")].map(d => d.textContent).join(",")`); got != "Yesterday,Today" {
		t.Errorf("day dividers %q, want Yesterday,Today", got)
	}
	// The general room is read now; the sidebar still marks the others.
	if got := eval[[]string](ann, `[...document.querySelectorAll(".room-link.unread .room-name")].map(e => e.textContent)`); fmt.Sprint(got) != "[design random]" {
		t.Errorf("unread rooms in the sidebar: %v, want design and random", got)
	}
	ann.unreadDotVisible("desktop", false)
	ann.screenshot("room")

	ann.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	ann.waitFor("the phone layout", `window.innerWidth === 390`, 5*time.Second)
	ann.noSidewaysScroll("room at phone width")
	ann.tapTargets("room at 390 px")
	ann.unreadDotVisible("390 px", true)
	ann.screenshot("room-phone")
	ann.goTo("/chat/")
	ann.tapTargets("rooms list at 390 px")
	ann.enterRoom("general")
	ann.do(chromedp.EmulateViewport(1280, 800))

	// The admin, on a phone: no sideways scroll, fingers fit.
	sam := b.open(app, "sam")
	seed.staff("sam")
	sam.login()
	sam.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	sam.goTo("/admin/")
	sam.noSidewaysScroll("admin at 390 px")
	sam.tapTargets("admin at 390 px")
	sam.checkContrast("admin at 390 px")
	sam.clickAndLoad(`[aria-label="Delete room general"]`)
	sam.noSidewaysScroll("a delete confirmation at 390 px")
	sam.tapTargets("a delete confirmation at 390 px")
	sam.close()

	// The light theme, through the toggle; it stays chosen after a reload.
	ann.do(chromedp.Click(chromedp.ID("theme-toggle")))
	ann.waitFor("the light theme", `document.documentElement.dataset.themeNow === "light" && !document.getAnimations().some(a => a instanceof CSSTransition)`, 5*time.Second)
	ann.do(chromedp.Reload())
	ann.waitLive()
	if got := eval[string](ann, `document.documentElement.dataset.theme + " " + document.getElementById("theme-toggle").getAttribute("aria-pressed")`); got != "light true" {
		t.Errorf("after a reload the theme is %q, want light (pressed)", got)
	}
	ann.checkContrast("room, light theme")
	ann.screenshot("room-light")

	ann.goTo("/styleguide")
	ann.checkContrast("styleguide, light theme")
	ann.screenshot("styleguide-light")
	ann.do(chromedp.Click(chromedp.ID("theme-toggle")))
	ann.waitFor("the dark theme, transitions done", `document.documentElement.dataset.themeNow === "dark" && !document.getAnimations().some(a => a instanceof CSSTransition)`, 5*time.Second)
	ann.checkContrast("styleguide, dark theme")

	if os.Getenv("MINIDISCORD_SCREENSHOTS") != "" {
		t.Log("screenshots written to docs/")
	}
}

// noSidewaysScroll fails when the page is wider than the window.
func (tb *tab) noSidewaysScroll(page string) {
	tb.t.Helper()
	if w := eval[string](tb, `document.documentElement.scrollWidth + " " + window.innerWidth`); func() bool {
		var sw, iw int
		fmt.Sscan(w, &sw, &iw)
		return sw > iw
	}() {
		tb.t.Errorf("%s: the page scrolls sideways (scroll width, window width = %s)", page, w)
	}
}
