package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestWebhookPostArrivesLive: an admin makes a webhook for #general on its
// page; ann and bob are in the room when a build server posts through it.
// Both see the post arrive live, tagged BOT, under the name it asked for,
// shown as text; a reload draws it the same.
func TestWebhookPostArrivesLive(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.room("general")
	seed.staff("admin")
	seed.user("ann")
	seed.user("bob")
	now := time.Now()
	seed.say("general", "ann", now.Add(-3*time.Minute), "Is the release build green yet?")
	seed.say("general", "bob", now.Add(-2*time.Minute), "Waiting on CI, it will post here.")

	b := newBrowser(t)
	admin, ann, bob := b.open(app, "admin"), b.open(app, "ann"), b.open(app, "bob")
	ann.do(colorScheme("dark"))
	for _, tb := range []*tab{admin, ann, bob} {
		tb.login()
	}
	admin.enterRoom("general")
	admin.do(chromedp.Click(chromedp.CSS(`[data-testid=room-webhooks]`)))
	admin.waitFor("the webhooks page", `!!document.getElementById("bot-create-form")`, 10*time.Second)
	admin.fill("bot-name", "ci")
	admin.submit("bot-create-form")
	admin.waitFor("the new webhook's address", `!!document.querySelector("[data-testid=secret]")`, 10*time.Second)
	secret := eval[string](admin, `document.querySelector("[data-testid=secret]").textContent`)
	hook, err := url.Parse(secret)
	if err != nil || !strings.HasPrefix(hook.Path, "/hooks/") {
		t.Fatalf("webhook address %q", secret)
	}

	ann.enterRoom("general")
	bob.enterRoom("general")
	post := func(name, text string) {
		t.Helper()
		resp, err := http.Post(app.url+hook.Path, "application/json",
			strings.NewReader(fmt.Sprintf(`{"text": %q, "username": %q}`, text, name)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("webhook post: %d", resp.StatusCode)
		}
	}
	// check waits for the post and reads it as the person sees it: the
	// name, the tag (shown), and no markup taken from the post.
	check := func(tb *tab, name, text string) {
		t.Helper()
		tb.waitForMessage(text)
		got := eval[string](tb, `(() => {
			const m = [...document.querySelectorAll("[data-testid=message]")].pop();
			const tag = m.querySelector("[data-testid=bot-tag]");
			return [m.querySelector("[data-testid=message-author]").textContent, tag && tag.textContent,
				tag && getComputedStyle(tag).display !== "none", m.querySelectorAll(".content b, .content script, .author b").length].join("|");
		})()`)
		if want := name + "|BOT|true|0"; got != want {
			t.Errorf("%s sees the webhook's post as %q, want %q", tb.name, got, want)
		}
	}
	post("Release CI", "Build #42 passed: 318 tests, 0 failures.")
	check(ann, "Release CI", "Build #42 passed: 318 tests, 0 failures.")
	check(bob, "Release CI", "Build #42 passed: 318 tests, 0 failures.")
	ann.screenshot("webhook")

	hostile := "Build 43 <script>alert(1)</script>"
	post("<b>CI</b>", hostile)
	check(ann, "<b>CI</b>", hostile)
	check(bob, "<b>CI</b>", hostile)
	bob.goTo("/chat/general/")
	bob.waitLive()
	check(bob, "<b>CI</b>", hostile)
}
