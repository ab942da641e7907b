package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// As a browser calls itself, for the list of sessions.
const (
	uaChromiumLinux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/120.0 Chrome/120.0.0.0 Safari/537.36"
	uaFirefoxWin    = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0"
)

// userAgent sends every request of a client as one browser.
type userAgent struct {
	ua   string
	next http.RoundTripper
}

func (u userAgent) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", u.ua)
	return u.next.RoundTrip(r)
}

// loginAs logs an existing user in from a new browser that calls itself ua
// ("" for Go's own), with password, and returns it.
func (a *testApp) loginAs(name, password, ua string) *http.Client {
	a.t.Helper()
	c := a.client()
	if ua != "" {
		c.Transport = userAgent{ua: ua, next: http.DefaultTransport}
	}
	resp := a.postForm(c, "/accounts/login/", url.Values{"username": {name}, "password": {password}}, false)
	if resp.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("login %s: status %d: %s", name, resp.StatusCode, readBody(resp))
	}
	return c
}

func password(name string) string { return "correct horse " + name } // as testApp.user

// loggedOut reports whether c's session is gone: a page sends it to log in.
func (a *testApp) loggedOut(c *http.Client) bool {
	a.t.Helper()
	resp := a.get(c, "/chat/")
	return resp.StatusCode == http.StatusOK && strings.TrimSpace(parse(a.t, resp).Find("[data-testid=whoami]").Text()) == "anonymous"
}

// TestDeactivatedUserCannotLogInAndStreamEnds: staff deactivate bob from
// /admin: his open stream ends at once, the stream answers 401 (his page
// says he was logged out), he cannot post or log in (with a clear message),
// and after reactivation he can log in again.
func TestDeactivatedUserCannotLogInAndStreamEnds(t *testing.T) {
	a := newApp(t)
	admin, bob, carol := a.staff("admin"), a.user("bob"), a.user("carol")
	a.createRoom(bob, "general")
	s := a.openStream(bob, "general", "", "")
	s.next("presence")
	id := a.userID("bob")

	if resp := a.postForm(carol, "/admin/users/"+id+"/active", url.Values{"active": {"0"}}, false); resp.StatusCode != http.StatusForbidden {
		t.Errorf("non-staff deactivating: status %d, want 403", resp.StatusCode)
	}
	if resp := a.postForm(admin, "/admin/users/"+a.userID("admin")+"/active", url.Values{"active": {"0"}}, false); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("staff deactivating themselves: status %d, want 400", resp.StatusCode)
	}
	resp := a.postForm(admin, "/admin/users/"+id+"/active", url.Values{"active": {"0"}}, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate: status %d: %s", resp.StatusCode, readBody(resp))
	}
	waitEnded(t, s)
	if resp := a.send(bob, http.MethodHead, "/chat/general/events", "", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the page asks why its stream ended: %d, want 401 (logged out)", resp.StatusCode)
	}
	if resp := a.postForm(bob, "/chat/general/messages", url.Values{"message": {"still here?"}}, true); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("deactivated user posting: status %d, want 401", resp.StatusCode)
	}
	if !a.loggedOut(bob) {
		t.Error("deactivated user is still logged in")
	}
	doc := a.page(admin, "/admin/")
	if n := doc.Find("[data-testid=admin-account-bob] [data-testid=inactive]").Length(); n != 1 {
		t.Errorf("admin page marks bob deactivated %d times, want 1", n)
	}
	if note := doc.Find("[data-testid=admin-notice]").Text(); !strings.Contains(note, "bob is deactivated") {
		t.Errorf("admin notice %q", note)
	}

	resp = a.postForm(a.client(), "/accounts/login/", url.Values{"username": {"bob"}, "password": {password("bob")}}, false)
	body := readBody(resp)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "This account is inactive") {
		t.Errorf("deactivated login: status %d, want 400 saying the account is inactive", resp.StatusCode)
	}
	resp = a.postForm(a.client(), "/accounts/login/", url.Values{"username": {"bob"}, "password": {"wrong password"}}, false)
	if body := readBody(resp); strings.Contains(body, "inactive") {
		t.Error("a wrong password tells that the account is inactive")
	}

	if resp := a.postForm(admin, "/admin/users/"+id+"/active", url.Values{"active": {"1"}}, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reactivate: status %d", resp.StatusCode)
	}
	a.loginAs("bob", password("bob"), "")
}

// TestPasswordChangeEndsOtherSessions: a wrong current password is refused
// and changes nothing; the right one changes it, ends the other session
// (its stream at once) and keeps this one (its stream goes on).
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	a := newApp(t)
	here := a.user("bob")
	there := a.loginAs("bob", password("bob"), uaFirefoxWin)
	a.createRoom(here, "general")
	stays := a.openStream(here, "general", "", "")
	ends := a.openStream(there, "general", "", "")
	stays.next("presence")
	ends.next("presence")
	const fresh = "a new battery staple"

	resp := a.postForm(here, "/accounts/password/", url.Values{"current": {"not it"}, "password1": {fresh}, "password2": {fresh}}, false)
	if doc := parse(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(doc.Find("[data-testid=errors-current]").Text(), "not your current password") {
		t.Errorf("wrong current password: status %d, errors %q", resp.StatusCode, doc.Find("[data-testid=errors-current]").Text())
	}
	resp = a.postForm(here, "/accounts/password/", url.Values{"current": {password("bob")}, "password1": {"12345678"}, "password2": {"12345678"}}, false)
	if doc := parse(t, resp); resp.StatusCode != http.StatusBadRequest || doc.Find("[data-testid=errors-password1]").Length() != 1 {
		t.Errorf("weak new password: status %d, want 400 with the signup rules' words", resp.StatusCode)
	}
	if a.loggedOut(there) {
		t.Fatal("a refused change ended the other session")
	}

	resp = a.postForm(here, "/accounts/password/", url.Values{"current": {password("bob")}, "password1": {fresh}, "password2": {fresh}}, false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/accounts/" {
		t.Fatalf("change: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	waitEnded(t, ends)
	if note := a.page(here, "/accounts/").Find("[data-testid=account-notice]").Text(); !strings.Contains(note, "one other session was ended") {
		t.Errorf("notice %q", note)
	}
	if !a.loggedOut(there) {
		t.Error("the other session is still logged in")
	}
	a.postForm(here, "/chat/general/messages", url.Values{"message": {"still here"}}, true)
	if got := fragment(t, stays.next("message").Data).Find("[data-testid=message-content]").Text(); !strings.Contains(got, "still here") {
		t.Errorf("this session's stream got %q", got)
	}
	if resp := a.postForm(a.client(), "/accounts/login/", url.Values{"username": {"bob"}, "password": {password("bob")}}, false); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("old password: status %d, want 400", resp.StatusCode)
	}
	a.loginAs("bob", fresh, "")
}

// TestSessionListShowsDeviceAndEndsOne: the list names each browser in
// words and marks this one; ending another logs it out and closes its
// stream at once; someone else's session cannot be ended.
func TestSessionListShowsDeviceAndEndsOne(t *testing.T) {
	a := newApp(t)
	a.user("bob")
	here := a.loginAs("bob", password("bob"), uaChromiumLinux)
	there := a.loginAs("bob", password("bob"), uaFirefoxWin)
	carol := a.user("carol")
	a.createRoom(there, "general")
	s := a.openStream(there, "general", "", "")
	s.next("presence")

	doc := a.page(here, "/accounts/sessions/")
	rows := doc.Find("[data-testid=session]")
	if rows.Length() != 3 {
		t.Fatalf("%d sessions listed, want 3", rows.Length())
	}
	var firefox, mine string
	rows.Each(func(_ int, tr *goquery.Selection) {
		text := tr.Find("td").First().Text()
		if strings.Contains(text, "Firefox on Windows") {
			firefox, _ = tr.Attr("data-session")
		}
		if tr.Find("[data-testid=this-device]").Length() == 1 {
			mine = text
		}
	})
	if !strings.Contains(mine, "Chromium on Linux") {
		t.Errorf("this device is %q, want Chromium on Linux", mine)
	}
	if firefox == "" {
		t.Fatal("no session says Firefox on Windows")
	}
	if resp := a.postForm(carol, "/accounts/sessions/"+firefox+"/end", nil, false); resp.StatusCode != http.StatusNotFound {
		t.Errorf("ending someone else's session: status %d, want 404", resp.StatusCode)
	}
	if a.loggedOut(there) {
		t.Fatal("another user ended bob's session")
	}
	resp := a.postForm(here, "/accounts/sessions/"+firefox+"/end", nil, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("end: status %d", resp.StatusCode)
	}
	waitEnded(t, s)
	if !a.loggedOut(there) {
		t.Error("the ended session is still logged in")
	}
	if n := a.page(here, "/accounts/").Find("[data-testid=session]").Length(); n != 2 {
		t.Errorf("%d sessions after ending one, want 2", n)
	}
	if resp := a.postForm(here, "/accounts/sessions/end-others", nil, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("end others: status %d", resp.StatusCode)
	}
	if n := a.page(here, "/accounts/").Find("[data-testid=session]").Length(); n != 1 {
		t.Errorf("%d sessions after ending the others, want 1 (this one)", n)
	}
}

// TestOneTimePasswordForcesChange: staff set a one-time password (shown to
// them once); bob's sessions and streams end; logging in with it, every
// page sends him to the password form and posts and streams are refused
// until he has chosen his own.
func TestOneTimePasswordForcesChange(t *testing.T) {
	a := newApp(t)
	admin, bob := a.staff("admin"), a.user("bob")
	a.createRoom(bob, "general")
	s := a.openStream(bob, "general", "", "")
	s.next("presence")

	resp := a.postForm(admin, "/admin/users/"+a.userID("bob")+"/password", nil, false)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("set one-time password: status %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	otp := strings.TrimSpace(parse(t, resp).Find("[data-testid=one-time-password-value]").Text())
	if len(otp) < 16 {
		t.Fatalf("one-time password %q", otp)
	}
	waitEnded(t, s)
	if !a.loggedOut(bob) {
		t.Error("bob's session survived the one-time password")
	}

	c := a.loginAs("bob", otp, "")
	for _, path := range []string{"/chat/", "/chat/general/", "/accounts/", "/search?q=x"} {
		if resp := a.get(c, path); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/accounts/password/" {
			t.Errorf("GET %s: %d to %q, want 303 to /accounts/password/", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if resp := a.postForm(c, "/chat/general/messages", url.Values{"message": {"hi"}}, true); resp.StatusCode != http.StatusForbidden {
		t.Errorf("posting before choosing a password: status %d, want 403", resp.StatusCode)
	}
	if resp := a.get(c, "/chat/general/events"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("stream before choosing a password: status %d, want 403", resp.StatusCode)
	}
	doc := a.page(c, "/accounts/password/")
	if doc.Find("[data-testid=must-change]").Length() != 1 || doc.Find("#name-form").Length() != 0 {
		t.Error("the password page does not say a new password must be chosen first")
	}
	resp = a.postForm(c, "/accounts/password/", url.Values{"current": {otp}, "password1": {otp}, "password2": {otp}}, false)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("keeping the one-time password: status %d, want 400", resp.StatusCode)
	}
	const own = "bob's own horse battery"
	resp = a.postForm(c, "/accounts/password/", url.Values{"current": {otp}, "password1": {own}, "password2": {own}}, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("choosing a password: status %d: %s", resp.StatusCode, readBody(resp))
	}
	if resp := a.get(c, "/chat/general/"); resp.StatusCode != http.StatusOK {
		t.Errorf("room after choosing a password: status %d", resp.StatusCode)
	}
	if resp := a.postForm(a.client(), "/accounts/login/", url.Values{"username": {"bob"}, "password": {otp}}, false); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the one-time password works twice: status %d", resp.StatusCode)
	}
}

// TestDisplayNameShownAndEscaped: a display name is shown on messages (page
// and stream), in the online list and on mentions, always escaped, with the
// @username beside it; look-alikes of other people's names, invisible
// characters and mixed directions are refused.
func TestDisplayNameShownAndEscaped(t *testing.T) {
	a := newApp(t)
	bob, carol := a.user("bob"), a.user("carol")
	a.createRoom(bob, "general")
	a.postForm(bob, "/chat/general/messages", url.Values{"message": {"before the name"}}, true)
	const evil = `<script>alert("x")</script> Bob`

	resp := a.postForm(bob, "/accounts/name/", url.Values{"display_name": {evil}}, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set display name: status %d: %s", resp.StatusCode, readBody(resp))
	}
	watch := a.openStream(carol, "general", "", "")
	watch.next("presence")
	a.openStream(bob, "general", "", "")
	for { // carol sees bob arrive, by his display name
		ev := watch.next("presence")
		if strings.Contains(ev.Data, "<script>") {
			t.Fatal("online list carries a raw <script>")
		}
		if got := fragment(t, ev.Data).Find("[data-testid=online-member]").Text(); strings.Contains(got, evil) {
			break
		}
	}
	a.postForm(bob, "/chat/general/messages", url.Values{"message": {"after the name"}}, true)
	a.postForm(carol, "/chat/general/messages", url.Values{"message": {"hi @bob"}}, true)
	live := watch.next("message")
	if strings.Contains(live.Data, "<script>") {
		t.Error("a live message carries a raw <script>")
	}
	if got := fragment(t, live.Data).Find("[data-testid=message-author]").Text(); got != evil {
		t.Errorf("live author %q, want %q", got, evil)
	}
	mention := watch.next("message")
	chip := fragment(t, mention.Data).Find(".mention")
	if chip.Text() != "@"+evil || chip.AttrOr("title", "") != "@bob" {
		t.Errorf("mention chip %q title %q", chip.Text(), chip.AttrOr("title", ""))
	}

	resp = a.get(carol, "/chat/general/")
	raw := readBody(resp)
	if strings.Contains(raw, "<script>alert") {
		t.Fatal("the room page carries a raw <script> from a display name")
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(raw))
	var authors, handles []string
	doc.Find("[data-testid=message]").Each(func(_ int, m *goquery.Selection) {
		authors = append(authors, m.Find("[data-testid=message-author]").Text())
		handles = append(handles, m.Find("[data-testid=message-handle]").Text())
	})
	// The message from before the change shows the new name on reload.
	want := []string{evil, evil, "carol"}
	if strings.Join(authors, "|") != strings.Join(want, "|") || handles[0] != "@bob" || handles[2] != "" {
		t.Errorf("authors %q handles %q, want %q with @bob beside", authors, handles, want)
	}
	if v, _ := a.page(bob, "/accounts/").Find("#id_display_name").Attr("value"); v != evil {
		t.Errorf("settings page shows %q", v)
	}

	for _, bad := range []struct{ name, why string }{
		{"bоb", "looks like bob (Cyrillic o)"},
		{"Bob", "is bob's username in capitals"},
		{"ca\u200brol", "has an invisible character"},
		{"abc \u05d0\u05d1", "mixes directions"},
		{strings.Repeat("x", 51), "is too long"},
		{"\u202eevil", "has a bidi override"},
		{"!!!", "has no letter"},
	} {
		resp := a.postForm(carol, "/accounts/name/", url.Values{"display_name": {bad.name}}, false)
		doc := parse(t, resp)
		if resp.StatusCode != http.StatusBadRequest || doc.Find("[data-testid=errors-display_name]").Length() != 1 {
			t.Errorf("display name %q (%s): status %d, want 400 with the reason", bad.name, bad.why, resp.StatusCode)
		}
	}
	if resp := a.postForm(carol, "/accounts/name/", url.Values{"display_name": {"Carol Ünal"}}, false); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a good display name: status %d", resp.StatusCode)
	}
	if resp := a.postForm(bob, "/accounts/name/", url.Values{"display_name": {""}}, false); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("clearing a display name: status %d", resp.StatusCode)
	}
}

// TestClusterDeactivationEndsStreamsEverywhere deactivates bob on instance
// A: his stream held by instance B ends too, and B refuses to reopen it.
func TestClusterDeactivationEndsStreamsEverywhere(t *testing.T) {
	cl := newCluster(t)
	a, b := cl.start(), cl.start()
	admin, bob := a.staff("admin"), a.user("bob")
	a.createRoom(bob, "general")
	s := b.openStream(bob, "general", "", "")
	s.next("presence")
	resp := a.postForm(admin, "/admin/users/"+a.userID("bob")+"/active", url.Values{"active": {"0"}}, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate on A: status %d", resp.StatusCode)
	}
	waitEnded(t, s)
	if resp := b.get(bob, "/chat/general/events"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("reopening on B: status %d, want 401", resp.StatusCode)
	}
}
