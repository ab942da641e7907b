package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// The store keeps sessions' users in memory (models/session_cache.go), so
// every change to an account or its sessions must show on the next request,
// on the instance that made it and on the others. sessionChanges makes each
// change through act, after a request through see has cached the account,
// then waits for settle (what act sent has reached see) and checks what a
// request through see shows.
func sessionChanges(t *testing.T, act, see *testApp, settle func()) {
	admin := act.staff("admin")
	same := func(t *testing.T, c *http.Client, want string) {
		t.Helper()
		if who := see.whoami(c); who != want {
			t.Fatalf("see shows %q, want %q", who, want)
		}
	}
	sessionOf := func(c *http.Client) *http.Client { return see.withCookie(act.sessionCookie(c)) }

	t.Run("logout", func(t *testing.T) {
		c := act.user("logan")
		replay := sessionOf(c)
		same(t, replay, "logan")
		if resp := act.postForm(c, "/accounts/logout/", nil, false); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout: %d", resp.StatusCode)
		}
		settle()
		same(t, replay, "anonymous")
	})

	t.Run("end a session", func(t *testing.T) {
		act.user("dora")
		here := act.loginAs("dora", password("dora"), uaChromiumLinux)
		there := act.loginAs("dora", password("dora"), uaFirefoxWin)
		same(t, there, "dora")
		var firefox string
		act.page(here, "/accounts/sessions/").Find("[data-testid=session]").Each(func(_ int, tr *goquery.Selection) {
			if strings.Contains(tr.Find("td").First().Text(), "Firefox on Windows") {
				firefox, _ = tr.Attr("data-session")
			}
		})
		if resp := act.postForm(here, "/accounts/sessions/"+firefox+"/end", nil, false); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("end %q: %d", firefox, resp.StatusCode)
		}
		settle()
		same(t, there, "anonymous")
		same(t, here, "dora")
	})

	t.Run("end other sessions", func(t *testing.T) {
		here := act.user("otto")
		there := act.loginAs("otto", password("otto"), "")
		same(t, there, "otto")
		if resp := act.postForm(here, "/accounts/sessions/end-others", nil, false); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("end others: %d", resp.StatusCode)
		}
		settle()
		same(t, there, "anonymous")
		same(t, here, "otto")
	})

	t.Run("password change", func(t *testing.T) {
		here := act.user("pat")
		there := act.loginAs("pat", password("pat"), "")
		same(t, there, "pat")
		same(t, here, "pat")
		fresh := "pat's brand new horse"
		resp := act.postForm(here, "/accounts/password/", url.Values{"current": {password("pat")}, "password1": {fresh}, "password2": {fresh}}, false)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("change: %d %s", resp.StatusCode, readBody(resp))
		}
		settle()
		same(t, there, "anonymous")
		same(t, here, "pat")
	})

	t.Run("deactivation", func(t *testing.T) {
		c := act.user("dee")
		act.createRoom(c, "dees-room")
		same(t, c, "dee")
		resp := act.postForm(admin, "/admin/users/"+act.userID("dee")+"/active", url.Values{"active": {"0"}}, false)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("deactivate: %d", resp.StatusCode)
		}
		settle()
		if resp := see.postForm(c, "/chat/dees-room/messages", url.Values{"message": {"still here?"}}, true); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("a post after deactivation: %d, want 401", resp.StatusCode)
		}
		same(t, c, "anonymous")
	})

	t.Run("one-time password", func(t *testing.T) {
		c := act.user("otis")
		same(t, c, "otis")
		resp := act.postForm(admin, "/admin/users/"+act.userID("otis")+"/password", nil, false)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("one-time password: %d", resp.StatusCode)
		}
		otp := strings.TrimSpace(parse(t, resp).Find("[data-testid=one-time-password-value]").Text())
		settle()
		same(t, c, "anonymous")

		// Logged in with it, every page leads to the password form, until
		// the user has chosen their own: then the next page is the page.
		c = act.loginAs("otis", otp, "")
		if resp := see.get(c, "/chat/"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/accounts/password/" {
			t.Fatalf("with a one-time password: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		own := "otis's own horse battery"
		resp = act.postForm(c, "/accounts/password/", url.Values{"current": {otp}, "password1": {own}, "password2": {own}}, false)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("choose a password: %d %s", resp.StatusCode, readBody(resp))
		}
		settle()
		if resp := see.get(c, "/chat/"); resp.StatusCode != http.StatusOK {
			t.Errorf("after choosing a password: %d to %q, want the page", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("display name", func(t *testing.T) {
		c := act.user("nina")
		shown := func() string {
			v, _ := see.page(c, "/accounts/").Find("#id_display_name").Attr("value")
			return v
		}
		if got := shown(); got != "" {
			t.Fatalf("display name %q before", got)
		}
		if resp := act.postForm(c, "/accounts/name/", url.Values{"display_name": {"Nina Simone"}}, false); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("set name: %d %s", resp.StatusCode, readBody(resp))
		}
		settle()
		if got := shown(); got != "Nina Simone" {
			t.Errorf("display name %q after the change, want Nina Simone", got)
		}
	})

	t.Run("avatar", func(t *testing.T) {
		c := act.user("ava")
		hasPicture := func() bool {
			return see.page(c, "/chat/").Find("nav [data-testid=avatar-img]").Length() > 0
		}
		if hasPicture() {
			t.Fatal("a picture before any upload")
		}
		if resp := act.postAvatar(c, nil, upload{"me.png", pngOf(t, 50, 50)}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", resp.StatusCode, readBody(resp))
		}
		settle()
		if !hasPicture() {
			t.Error("no picture after the upload")
		}
		if resp := act.postForm(c, "/accounts/avatar/remove", nil, false); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: %d", resp.StatusCode)
		}
		settle()
		if hasPicture() {
			t.Error("a picture after removing it")
		}
	})
}

func TestSessionChangesSeenAtOnce(t *testing.T) {
	a := newApp(t)
	sessionChanges(t, a, a, func() {})
}

// TestClusterSessionChangesSeenEverywhere: each change made through A shows
// on B's next request. settle waits for a mention sent through A after the
// change to reach a stream on B: A sends to the others in order, so B has
// heard of the change by then.
func TestClusterSessionChangesSeenEverywhere(t *testing.T) {
	cl := newCluster(t)
	a, b := cl.start(), cl.start()
	poster, watcher := a.user("poster"), a.user("watcher")
	a.createRoom(poster, "barrier")
	events := b.openUserStream(watcher)
	n := 0
	settle := func() {
		t.Helper()
		n++
		text := fmt.Sprint("@watcher ", n)
		if resp := a.postForm(poster, "/chat/barrier/messages", url.Values{"message": {text}}, true); resp.StatusCode != http.StatusOK {
			t.Fatalf("post: %d", resp.StatusCode)
		}
		for {
			if ev := events.next("mention"); strings.Contains(ev.Data, text) {
				return
			}
		}
	}
	settle()
	sessionChanges(t, a.testApp, b.testApp, settle)
}
