package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestFormsGuideTheKeyboard: after a refused sign-up or login the cursor is
// in the field in error, with the same 2 px focus ring as every control;
// signing up leads to a login page that says so and has the name filled
// in; logging in lands on the rooms; the create-or-join form shows what a
// typed name becomes, and the room says so once it is made.
func TestFormsGuideTheKeyboard(t *testing.T) {
	app := startApp(t, appConfig{})
	b := newBrowser(t)
	kim := b.open(app, "kim")

	kim.goTo("/user/signup/")
	kim.typeInto("id_username", "kim")
	kim.typeInto("id_password1", "short")
	kim.typeInto("id_password2", "short")
	kim.clickAndLoad("#signup-form button[type=submit]")
	if got := kim.text("[data-testid=errors-password1]"); !strings.Contains(got, "too short") {
		t.Errorf("beside Password: %q, want the rule it breaks", got)
	}
	if n := kim.count("[data-testid=errors-password2]"); n != 0 {
		t.Errorf("the password rules are also under Password confirmation")
	}
	kim.focusRing("id_password1", "after a refused sign-up")

	kim.typeInto("id_password1", password)
	kim.typeInto("id_password2", password)
	kim.clickAndLoad("#signup-form button[type=submit]")
	if got := kim.text("[data-testid=account-created]"); !strings.Contains(got, "account is ready") {
		t.Errorf("after signing up the login page says %q", got)
	}
	if got := eval[string](kim, `document.getElementById("id_username").value`); got != "kim" {
		t.Errorf("after signing up the username holds %q, want kim", got)
	}
	kim.focusRing("id_password", "after signing up")

	kim.typeInto("id_password", "not the password")
	kim.clickAndLoad("#login-form button[type=submit]")
	if got := kim.text("[data-testid=form-error]"); strings.Contains(got, "both") {
		t.Errorf("the login error still says usernames may be case-sensitive: %q", got)
	}
	kim.focusRing("id_password", "after a refused login")
	kim.typeInto("id_password", password)
	kim.clickAndLoad("#login-form button[type=submit]")
	if got := eval[string](kim, `location.pathname`); got != "/chat/" {
		t.Errorf("logging in lands on %q, want the rooms, /chat/", got)
	}

	// "#Team Room" becomes team-room: the form says so while typing, the
	// room once made.
	kim.do(chromedp.Click(chromedp.ID("room-name")))
	kim.focusRing("room-name", "in the create-or-join form")
	kim.typeInto("room-name", "#Team Room")
	kim.waitFor("the name preview", `document.getElementById("room-preview").textContent === "Creates or joins #Team-Room."`, 5*time.Second)
	kim.do(chromedp.KeyEvent("\r"))
	kim.waitFor("the new room", `location.pathname === "/chat/Team-Room/" && document.getElementById("conn-state")?.dataset.state === "live"`, 10*time.Second)
	if got := kim.text("[data-testid=room-notice]"); !strings.Contains(got, "“#Team Room” is #Team-Room") {
		t.Errorf("the new room notes %q", got)
	}
	if got := eval[string](kim, `document.activeElement.id`); got != "message-input" {
		t.Errorf("the new room opens with the focus on %q, want the message box", got)
	}
}

// focusRing checks that the element with id has the focus and shows the
// 2 px outline every other control shows.
func (tb *tab) focusRing(id, when string) {
	tb.t.Helper()
	got := eval[string](tb, `document.activeElement.id + " " + getComputedStyle(document.activeElement).outlineStyle + " " + getComputedStyle(document.activeElement).outlineWidth`)
	if want := id + " solid 2px"; got != want {
		tb.t.Errorf("%s: focus and ring %q, want %q", when, got, want)
	}
}
