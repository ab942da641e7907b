package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/minidiscord/minidiscord/handlers"
)

// withConfig changes the handlers' settings for one test.
func withConfig(f func(*handlers.Config)) appOption {
	return func(c *handlers.AppConfig) { f(&c.Handler) }
}

// snapshot is the state a forged request could change.
type snapshot struct {
	users, sessions, rooms, messages int
}

func (a *testApp) snapshot() snapshot {
	a.t.Helper()
	ctx := context.Background()
	var s snapshot
	for table, n := range map[string]*int{"users": &s.users, "user_sessions": &s.sessions, "rooms": &s.rooms, "messages": &s.messages} {
		count, err := a.store.DB().NewSelect().Table(table).Count(ctx)
		if err != nil {
			a.t.Fatalf("count %s: %v", table, err)
		}
		*n = int(count)
	}
	return s
}

// send makes a request with extra headers through c.
func (a *testApp) send(c *http.Client, method, path, body string, hdr map[string]string) *http.Response {
	a.t.Helper()
	req, err := http.NewRequest(method, a.srv.URL+path, strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	a.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestCrossSitePostsAreRefused forges each state-changing form from another
// site, as a browser would send it: every one is refused with 403 and
// nothing changes. The same posts from the site itself go through.
func TestCrossSitePostsAreRefused(t *testing.T) {
	a := newApp(t)
	admin, alice := a.staff("admin"), a.user("alice")
	a.createRoom(alice, "general")
	a.postForm(alice, "/chat/general/messages", url.Values{"message": {"keep me"}}, true)
	msgID := lastMessageID(t, a, "general")
	room, err := a.store.RoomByName(t.Context(), "general")
	if err != nil {
		t.Fatal(err)
	}
	roomID := itoa(room.ID)

	posts := []struct {
		name, path, body string
		client           *http.Client
	}{
		{"signup", "/user/signup/", url.Values{"username": {"mallory"}, "password1": {"correct horse mallory"}, "password2": {"correct horse mallory"}}.Encode(), a.client()},
		{"login", "/accounts/login/", url.Values{"username": {"alice"}, "password": {"correct horse alice"}}.Encode(), a.client()},
		{"logout", "/accounts/logout/", "", alice},
		{"post message", "/chat/general/messages", "message=forged", alice},
		{"create room", "/chat/", "room=forged", alice},
		{"admin delete message", "/admin/messages/" + msgID + "/delete", "", admin},
		{"admin delete room", "/admin/rooms/" + roomID + "/delete", "", admin},
	}
	forgeries := map[string]map[string]string{
		"Sec-Fetch-Site cross-site":   {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
		"Sec-Fetch-Site same-site":    {"Sec-Fetch-Site": "same-site", "Origin": "https://chat.evil.example"},
		"old browser, foreign Origin": {"Origin": "https://evil.example"},
		"old browser, Origin null":    {"Origin": "null"},
		"HTMX from another site":      {"Sec-Fetch-Site": "cross-site", "HX-Request": "true"},
	}
	before := a.snapshot()
	for _, p := range posts {
		for how, hdr := range forgeries {
			resp := a.send(p.client, http.MethodPost, p.path, p.body, hdr)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s (%s): status %d, want 403", p.name, how, resp.StatusCode)
			}
			if body := readBody(resp); !strings.Contains(body, "sent from another site") {
				t.Errorf("%s (%s): the answer does not say why: %.200s", p.name, how, body)
			}
			if c := resp.Header.Get("Set-Cookie"); c != "" {
				t.Errorf("%s (%s): a refused request set a cookie: %s", p.name, how, c)
			}
		}
	}
	if after := a.snapshot(); after != before {
		t.Fatalf("forged posts changed the state: before %+v, after %+v", before, after)
	}
	if who := strings.TrimSpace(a.page(alice, "/").Find("[data-testid=whoami]").Text()); who != "alice" {
		t.Errorf("after a forged logout alice is %q, want still logged in", who)
	}

	// The same posts from the site itself work: a browser says
	// same-origin, or an older one sends a matching Origin.
	same := map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": a.srv.URL}
	oldSame := map[string]string{"Origin": a.srv.URL}
	ok := []struct {
		name, path, body string
		client           *http.Client
		hdr              map[string]string
		status           int
	}{
		{"signup", "/user/signup/", posts[0].body, posts[0].client, same, http.StatusSeeOther},
		{"login", "/accounts/login/", posts[1].body, posts[1].client, oldSame, http.StatusSeeOther},
		{"post message", "/chat/general/messages", "message=mine", alice, same, http.StatusSeeOther},
		{"create room", "/chat/", "room=mine", alice, oldSame, http.StatusSeeOther},
		{"admin delete message", "/admin/messages/" + msgID + "/delete", "", admin, same, http.StatusSeeOther},
		{"admin delete room", "/admin/rooms/" + roomID + "/delete", "", admin, same, http.StatusSeeOther},
		{"logout", "/accounts/logout/", "", alice, same, http.StatusSeeOther},
	}
	for _, p := range ok {
		if resp := a.send(p.client, http.MethodPost, p.path, p.body, p.hdr); resp.StatusCode != p.status {
			t.Errorf("same-origin %s: status %d, want %d: %.200s", p.name, resp.StatusCode, p.status, readBody(resp))
		}
	}
	after := a.snapshot()
	// +1 user (mallory), rooms: +mine -general, messages: general's gone.
	if after.users != before.users+1 || after.rooms != before.rooms || after.messages != 0 {
		t.Errorf("same-origin posts: state %+v after %+v", after, before)
	}
}

// TestGetChangesNothing sends GET (and HEAD) to every address that changes
// state on POST, with the parameters a forger would put in a link: nothing
// is created, deleted or logged out; a room's address creates no room.
func TestGetChangesNothing(t *testing.T) {
	a := newApp(t)
	admin, alice := a.staff("admin"), a.user("alice")
	a.createRoom(alice, "general")
	a.postForm(alice, "/chat/general/messages", url.Values{"message": {"keep me"}}, true)
	msgID := lastMessageID(t, a, "general")
	before := a.snapshot()

	paths := []struct {
		path   string
		client *http.Client
	}{
		{"/user/signup/?" + url.Values{"username": {"mallory"}, "password1": {"correct horse m"}, "password2": {"correct horse m"}}.Encode(), a.client()},
		{"/accounts/login/?" + url.Values{"username": {"alice"}, "password": {"correct horse alice"}}.Encode(), a.client()},
		{"/accounts/logout/", alice},
		{"/chat/general/messages?message=forged", alice},
		{"/chat/?room=forged", alice},
		{"/chat/forged/", alice},
		{"/admin/messages/" + msgID + "/delete", admin},
		{"/admin/rooms/1/delete", admin},
	}
	for _, p := range paths {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			resp := a.send(p.client, method, p.path, "", map[string]string{"Sec-Fetch-Site": "cross-site"})
			if resp.StatusCode >= 500 || (resp.StatusCode >= 300 && resp.StatusCode < 400) {
				t.Errorf("%s %s: status %d", method, p.path, resp.StatusCode)
			}
			if c := resp.Header.Get("Set-Cookie"); strings.Contains(c, "minidiscord_session") && !strings.Contains(c, "Max-Age=0") {
				t.Errorf("%s %s set a session cookie", method, p.path)
			}
		}
	}
	if after := a.snapshot(); after != before {
		t.Fatalf("GETs changed the state: before %+v, after %+v", before, after)
	}
	if who := strings.TrimSpace(a.page(alice, "/").Find("[data-testid=whoami]").Text()); who != "alice" {
		t.Errorf("after GET logout alice is %q, want still logged in", who)
	}
}

// TestSecurityHeaders checks every kind of response: pages, partials,
// errors, refusals, static files and the stream.
func TestSecurityHeaders(t *testing.T) {
	a := newApp(t)
	alice := a.user("alice")
	a.createRoom(alice, "general")
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
	}
	check := func(what string, resp *http.Response) {
		t.Helper()
		for k, v := range want {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s (status %d): %s = %q, want %q", what, resp.StatusCode, k, got, v)
			}
		}
	}
	for _, p := range []string{"/", "/accounts/login/", "/user/signup/", "/chat/", "/chat/general/", "/admin/", "/nowhere", "/static/css/app.css", "/static/vendor/htmx-2.0.11.min.js", "/chat/two%20words/"} {
		check("GET "+p, a.get(alice, p))
	}
	check("HTMX partial", a.send(alice, http.MethodGet, "/chat/", "", map[string]string{"HX-Request": "true"}))
	check("bad post", a.postForm(alice, "/chat/general/messages", url.Values{"message": {""}}, true))
	check("wrong method", a.send(alice, http.MethodDelete, "/chat/", "", nil))
	check("too large", a.postRaw(alice, "/chat/", "room="+strings.Repeat("a", 70<<10), false))
	check("cross-site refusal", a.send(alice, http.MethodPost, "/chat/", "room=x", map[string]string{"Sec-Fetch-Site": "cross-site"}))
	check("anonymous stream", a.get(a.client(), "/chat/general/events"))
	s := a.openStream(alice, "general", "", "")
	check("stream", s.resp)
}

// TestPagesHaveNoInlineScriptOrStyle scans every page and partial for what
// the Content-Security-Policy would block: inline <script>, <style>, style=
// and on* attributes, javascript: URLs, and the htmx features that need
// eval (hx-on, js: values, trigger filters).
func TestPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	a := newApp(t)
	admin, alice := a.staff("admin"), a.user("alice")
	a.createRoom(alice, "general")
	a.postForm(alice, "/chat/general/messages", url.Values{"message": {"hello https://example.com/x"}}, true)
	s := a.openStream(alice, "general", "", "0")

	docs := map[string]string{}
	for _, p := range []string{"/", "/accounts/login/", "/user/signup/", "/chat/", "/chat/general/", "/nowhere"} {
		docs["page "+p] = readBody(a.get(alice, p))
	}
	docs["anonymous home"] = readBody(a.get(a.client(), "/"))
	docs["admin"] = readBody(a.get(admin, "/admin/"))
	docs["rooms partial"] = readBody(a.send(alice, http.MethodGet, "/chat/", "", map[string]string{"HX-Request": "true"}))
	docs["older messages partial"] = readBody(a.send(alice, http.MethodGet, "/chat/general/messages?before=999", "", map[string]string{"HX-Request": "true"}))
	docs["older messages page"] = readBody(a.get(alice, "/chat/general/messages?before=999"))
	docs["composer error"] = readBody(a.postForm(alice, "/chat/general/messages", url.Values{"message": {""}}, true))
	docs["login error"] = readBody(a.postForm(a.client(), "/accounts/login/", url.Values{"username": {"x"}, "password": {"y"}}, false))
	docs["signup error"] = readBody(a.postForm(a.client(), "/user/signup/", url.Values{"username": {"<x>"}}, false))
	dev := newApp(t, withConfig(func(c *handlers.Config) { c.Dev = true }))
	docs["styleguide"], _ = dev.page(dev.user("designer"), "/styleguide").Html()
	docs["SSE message"] = s.next("message").Data
	docs["SSE presence"] = s.next("presence").Data

	for name, html := range docs {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		doc.Find("script").Each(func(_ int, sel *goquery.Selection) {
			if src, ok := sel.Attr("src"); !ok || !strings.HasPrefix(src, "/static/") {
				t.Errorf("%s: a script that is not one of our files: %s", name, outer(sel))
			}
			if strings.TrimSpace(sel.Text()) != "" {
				t.Errorf("%s: inline script: %s", name, outer(sel))
			}
		})
		if n := doc.Find("style").Length(); n > 0 {
			t.Errorf("%s: %d <style> elements", name, n)
		}
		doc.Find("*").Each(func(_ int, sel *goquery.Selection) {
			for _, at := range sel.Nodes[0].Attr {
				key, val := strings.ToLower(at.Key), strings.ToLower(strings.TrimSpace(at.Val))
				switch {
				case key == "style":
					t.Errorf("%s: style attribute: %s", name, outer(sel))
				case strings.HasPrefix(key, "on"):
					t.Errorf("%s: event handler attribute: %s", name, outer(sel))
				case strings.HasPrefix(key, "hx-on") || strings.HasPrefix(key, "data-hx-on"):
					t.Errorf("%s: hx-on needs eval: %s", name, outer(sel))
				case (key == "hx-vals" || key == "hx-vars" || key == "hx-headers") && strings.HasPrefix(val, "js:"):
					t.Errorf("%s: js: values need eval: %s", name, outer(sel))
				case key == "hx-trigger" && strings.Contains(val, "["):
					t.Errorf("%s: trigger filters need eval: %s", name, outer(sel))
				case (key == "href" || key == "src" || key == "action" || key == "formaction") && strings.HasPrefix(val, "javascript:"):
					t.Errorf("%s: javascript: URL: %s", name, outer(sel))
				}
			}
		})
		if name == "page /" {
			cfg, _ := doc.Find(`meta[name=htmx-config]`).Attr("content")
			for _, w := range []string{`"includeIndicatorStyles":false`, `"allowEval":false`, `"allowScriptTags":false`} {
				if !strings.Contains(cfg, w) {
					t.Errorf("htmx-config %q lacks %s", cfg, w)
				}
			}
		}
	}
}

func outer(sel *goquery.Selection) string {
	html, _ := goquery.OuterHtml(sel)
	if len(html) > 200 {
		html = html[:200] + "…"
	}
	return html
}
