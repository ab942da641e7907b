package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestAvatarLive: ann uploads a picture on the settings page (a plain
// form); bob, with the room open, sees it loaded beside ann's next
// message live, while her earlier message on his page keeps the letter it
// was drawn with until a reload.
func TestAvatarLive(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.room("general")
	seed.user("ann")
	seed.user("bob")

	photo := filepath.Join(t.TempDir(), "me.png")
	if err := os.WriteFile(photo, landscape(t, 300, 200), 0o644); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t)
	bob := b.open(app, "bob")
	bob.login()
	bob.enterRoom("general")
	ann := b.open(app, "ann")
	ann.login()
	ann.enterRoom("general")
	ann.say("letter first")
	bob.waitForMessage("letter first")
	if got := eval[string](bob, `document.querySelector("#messages article:last-of-type .avatar").textContent`); got != "A" {
		t.Fatalf("before: ann's avatar on bob's page is %q, want the letter A", got)
	}
	bob.say("hi ann") // so that ann's next message starts a group, avatar shown

	ann.goTo("/accounts/")
	ann.do(chromedp.SetUploadFiles(chromedp.CSS(`#id_avatar`), []string{photo}))
	ann.clickAndLoad("[data-testid=avatar-upload]")
	ann.waitFor("the avatar set", `(document.querySelector("[data-testid=account-notice]")?.textContent || "").includes("avatar is set")`, 10*time.Second)
	ann.waitFor("the navbar picture to load", `(() => { const i = document.querySelector(".navbar img.avatar"); return !!i && i.complete && i.naturalWidth === 128 })()`, 10*time.Second)

	ann.enterRoom("general")
	ann.say("now with a face")
	bob.waitForMessage("now with a face")
	bob.waitFor("ann's picture to load beside her message, live",
		`(() => { const i = document.querySelector("#messages article:last-of-type img.avatar"); return !!i && i.complete && i.naturalWidth === 128 })()`, 10*time.Second)
	src := eval[string](bob, `document.querySelector("#messages article:last-of-type img.avatar").getAttribute("src")`)
	if !strings.HasPrefix(src, "/avatars/") || !strings.Contains(src, "?v=") {
		t.Errorf("src %q", src)
	}
	if w := eval[float64](bob, `document.querySelector("#messages article:last-of-type img.avatar").getBoundingClientRect().width`); w < 20 || w > 60 {
		t.Errorf("the picture is drawn %v px wide", w)
	}
	bob.screenshot("avatar-live")
}
