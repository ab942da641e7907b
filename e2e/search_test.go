package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSearch: ann posts; bob searches from the navbar, then types on the
// search page and sees her message come up as he types, the matched word
// marked; he clicks it and lands on the message in its room. The page
// passes the contrast and phone-width checks, and its screenshot is
// docs/search.png. Without JavaScript the same search is a plain form.
func TestSearch(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	now := time.Now().Truncate(time.Minute)
	seed.say("design", "chen", now.Add(-26*time.Hour), "Deploy preview of the new sidebar is up.")
	seed.say("general", "dana", now.Add(-5*time.Hour), "Who is on call for Friday's deploy?")
	seed.say("random", "chen", now.Add(-3*time.Hour), "Café downstairs has a deploy-day discount, apparently")
	seed.say("general", "bo", now.Add(-2*time.Hour), "The staging deploy failed on migrations; retrying.")
	seed.say("general", "dana", now.Add(-90*time.Minute), "東京オフィスのデプロイは明日です")

	b := newBrowser(t)
	ann, bob := b.open(app, "ann"), b.open(app, "bob")
	ann.signup()
	bob.signup()
	ann.enterRoom("general")
	ann.say("Deployed 2.4 to production, the checklist is in the wiki")
	id := eval[string](ann, `[...document.querySelectorAll("[data-testid=message]")].pop().dataset.id`)

	// The navbar's box is a form: type, press Enter, land on the results.
	bob.do(colorScheme("dark"), chromedp.Navigate(app.url+"/chat/"))
	bob.do(chromedp.SendKeys(chromedp.ID("nav-search-q"), "checklist\r"))
	bob.waitFor("the results page", `location.pathname === "/search" && document.querySelectorAll("[data-testid=search-result]").length === 1`, 10*time.Second)

	// As he types, the results follow, and the address with them.
	eval[string](bob, `document.getElementById("search-q").value = ""`)
	bob.do(chromedp.Focus(chromedp.ID("search-q")), chromedp.SendKeys(chromedp.ID("search-q"), "deplo"))
	bob.waitFor("ann's message among the results", `[...document.querySelectorAll("[data-testid=search-result]")].some(r => r.querySelector("[data-testid=search-author]").textContent === "ann")`, 10*time.Second)
	bob.waitFor("the searched address", `location.search === "?q=deplo"`, 5*time.Second)
	first := eval[string](bob, `(() => { const r = document.querySelector("[data-testid=search-result]");
		return [r.querySelector("[data-testid=search-room]").textContent, r.querySelector("[data-testid=search-author]").textContent,
			[...r.querySelectorAll("mark")].map(m => m.textContent).join("|"), r.querySelector("a").getAttribute("href")].join(" ") })()`)
	if want := "#general ann Deployed /chat/general/?around=" + id; first != want {
		t.Errorf("first result %q, want %q", first, want)
	}
	if n := eval[int](bob, `document.querySelectorAll("[data-testid=search-result]").length`); n != 5 {
		t.Errorf("%d results for deplo, want 5 (the CJK one does not say it)", n)
	}
	if s := eval[string](bob, `document.getElementById("search-status").textContent`); s != "5 messages found." {
		t.Errorf("the live region says %q", s)
	}
	bob.noSidewaysScroll("search")
	bob.checkContrast("search results, dark theme")
	bob.screenshot("search")

	// CJK text, found by part of a word.
	bob.fill("search-q", "東京")
	bob.waitFor("the CJK message", `[...document.querySelectorAll("[data-testid=search-result] mark")].map(m => m.textContent).join() === "東京"`, 10*time.Second)

	// A bad filter is explained in place.
	bob.fill("search-q", "in:#nowhere deploy")
	bob.waitFor("the refusal", `document.querySelector("[data-testid=search-error]")?.textContent === "There is no room called #nowhere."`, 10*time.Second)

	// Back to ann's message, and through to it.
	bob.fill("search-q", "checklist")
	bob.waitFor("ann's message", `document.querySelectorAll("[data-testid=search-result]").length === 1 && !document.querySelector("[data-testid=search-error]")`, 10*time.Second)
	bob.do(chromedp.Click(chromedp.CSS("[data-testid=search-result] a")))
	bob.waitFor("the message in its room", fmt.Sprintf(`location.pathname === "/chat/general/" && location.search === "?around=%s" && !!document.getElementById("msg-%s")`, id, id), 10*time.Second)
	bob.waitLive()

	bob.do(chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	bob.goTo("/search?q=deploy")
	bob.noSidewaysScroll("search at phone width")
	if !eval[bool](bob, `getComputedStyle(document.querySelector(".nav-search-link")).display !== "none"`) {
		t.Error("at phone width the navbar has no way to the search")
	}

	// Without JavaScript: the navbar form and the results page.
	cy := b.open(app, "cy")
	seed.user("cy")
	cy.login()
	cy.do(noScripts())
	cy.goTo("/chat/")
	cy.typeInto("nav-search-q", "checklist")
	cy.do(chromedp.KeyEvent("\r"))
	cy.waitFor("the results page", `location.pathname === "/search"`, 10*time.Second)
	if got := cy.texts("[data-testid=search-text] mark"); strings.Join(got, "|") != "checklist" {
		t.Errorf("without JavaScript the marks are %q", got)
	}
}
