package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// hostileMessages are texts a user may post (each is a valid message) that
// would do harm if printed raw into HTML or into the event stream.
var hostileMessages = []string{
	`<script>alert("x")</script>`,
	`<img src=x onerror=alert(1)>`,
	`" onmouseover="alert(1)" x="`,
	`' autofocus onfocus='alert(1)`,
	`</p></article><script src=//evil.example/x.js></script>`,
	`javascript:alert(document.cookie)`,
	`<a href="javascript:alert(1)">click</a>`,
	`JaVaScRiPt:alert(1) and data:text/html;base64,PHNjcmlwdD4=`,
	`https://example.com/"><script>alert(1)</script>`,
	`https://example.com/x' onclick='alert(1)`,
	`{{ .Secret }} ${alert(1)} <!-- comment --> <![CDATA[x]]>`,
	"first line\n\nevent: x\ndata: y",
	"cr\rid: 99\r\rdata: injected",
	"crlf\r\n\r\nevent: message\r\nid: 1000\r\ndata: <b>forged</b>",
	"retry: 1\n: comment\nid\ndata",
}

// cleaned is what the server stores for a posted text: line breaks made
// LF, ends trimmed.
func cleaned(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
}

// checkContent asserts an HTML fragment shows text exactly, as text: the
// only elements inside the message content are its paragraphs and links to
// http(s) addresses, and no attribute anywhere is an event handler or a
// script URL.
// urlAttrs are the attributes a browser loads or follows as a URL.
var urlAttrs = map[string]bool{"href": true, "src": true, "srcset": true, "action": true, "formaction": true,
	"poster": true, "cite": true, "background": true, "data": true, "xlink:href": true, "ping": true, "manifest": true,
	"hx-get": true, "hx-post": true, "sse-connect": true}

func checkContent(t *testing.T, where, html, text string) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	var content *goquery.Selection
	doc.Find("[data-testid=message-content]").Each(func(_ int, s *goquery.Selection) {
		if s.Text() == text {
			content = s
		}
	})
	if content == nil {
		t.Errorf("%s: no message shows %q as typed", where, text)
		return
	}
	content.Find("*").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		if s.Is("div.para:not([class*=' '])") {
			return
		}
		if goquery.NodeName(s) != "a" || !(strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "https://")) {
			t.Errorf("%s: markup inside the message %q: %s", where, text, outer(s))
		}
	})
	noInjection(t, where, doc)
}

// TestHostileTextIsEscapedEverywhere posts each hostile text and reads it
// back from the stream, the room page, the older-messages partial and page,
// the HTMX composer that re-shows a refused draft, and the admin page.
func TestHostileTextIsEscapedEverywhere(t *testing.T) {
	a := newApp(t)
	admin, alice := a.staff("admin"), a.user("alice")
	a.createRoom(alice, "general")
	s := a.openStream(alice, "general", "", "")
	for _, text := range hostileMessages {
		resp := a.postForm(alice, "/chat/general/messages", url.Values{"message": {text}}, true)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("post %q: status %d: %s", text, resp.StatusCode, readBody(resp))
		}
		id := lastMessageID(t, a, "general")
		ev := s.next("message")
		if ev.ID != id {
			t.Errorf("%q: event id %q, want %s", text, ev.ID, id)
		}
		checkContent(t, "SSE "+id, ev.Data, cleaned(text))
	}
	page := readBody(a.get(alice, "/chat/general/"))
	adminPage := readBody(a.get(admin, "/admin/"))
	older := "/chat/general/messages?before=" + itoa(1<<40)
	olderPartial := readBody(a.send(alice, http.MethodGet, older, "", map[string]string{"HX-Request": "true"}))
	olderPage := readBody(a.get(alice, older))
	for _, text := range hostileMessages {
		checkContent(t, "room page", page, cleaned(text))
		checkContent(t, "older messages (HTMX)", olderPartial, cleaned(text))
		checkContent(t, "older messages page", olderPage, cleaned(text))
		// The admin page shows the text in a table cell.
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(adminPage))
		found := false
		doc.Find("[data-testid=admin-messages] td").Each(func(_ int, s *goquery.Selection) {
			if s.Text() == cleaned(text) {
				found = true
				if n := s.Children().Length(); n > 0 {
					t.Errorf("admin: markup inside %q: %s", text, outer(s))
				}
			}
		})
		if !found {
			t.Errorf("admin page does not show %q as typed", text)
		}
	}
	checkContent(t, "admin", strings.ReplaceAll(adminPage, `class="content"`, `class="content" data-testid="message-content"`), cleaned(hostileMessages[0]))

	// A refused draft comes back in the composer as text.
	for _, text := range []string{`</textarea><script>alert(1)</script>` + strings.Repeat("x", 600), "\x00<script>"} {
		for _, htmx := range []bool{true, false} {
			resp := a.postForm(alice, "/chat/general/messages", url.Values{"message": {text}}, htmx)
			doc := parse(t, resp)
			if got := doc.Find("#message-input").Text(); got != strings.ReplaceAll(text, "\x00", "\uFFFD") && got != text {
				t.Errorf("refused draft (htmx=%v) shown as %q", htmx, got)
			}
			if n := doc.Find("script:not([src])").Length(); n > 0 {
				t.Errorf("refused draft (htmx=%v) injected a script", htmx)
			}
		}
	}
}

// TestStreamCannotBeInjected reads the raw stream: every hostile message is
// exactly one "message" event with its own id and all its text in data
// lines; no line of it becomes a field or an event of its own.
func TestStreamCannotBeInjected(t *testing.T) {
	a := newApp(t)
	alice := a.user("alice")
	a.createRoom(alice, "general")
	for _, text := range hostileMessages {
		a.postForm(alice, "/chat/general/messages", url.Values{"message": {text}}, true)
	}
	// Replay them all from the start and end the stream by logging out, so
	// the whole body can be read.
	s := a.openStream(alice, "general", "", "0")
	var events []sseEvent
	for range hostileMessages {
		events = append(events, s.next("message"))
	}
	a.postForm(alice, "/accounts/logout/", nil, false)
	for ev := range s.events {
		if strings.HasPrefix(ev.Name, "!") {
			t.Errorf("stray line in the stream: %s", ev.Name)
		}
		if ev.Name == "message" || ev.Name == "x" || ev.ID == "99" || ev.ID == "1000" {
			t.Errorf("an extra event: %+v", ev)
		}
	}
	r, _ := a.store.RoomByName(t.Context(), "general")
	msgs, err := a.store.MessagesAfterID(t.Context(), r.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != len(hostileMessages) {
		t.Fatalf("%d stored, want %d", len(msgs), len(hostileMessages))
	}
	for i, ev := range events {
		if ev.ID != itoa(msgs[i].ID) {
			t.Errorf("event %d has id %q, want %d", i, ev.ID, msgs[i].ID)
		}
		if msgs[i].Content != cleaned(hostileMessages[i]) {
			t.Errorf("stored %q, want %q", msgs[i].Content, cleaned(hostileMessages[i]))
		}
		checkContent(t, "replayed event "+ev.ID, ev.Data, msgs[i].Content)
	}
}

// TestRedirectTargetsStayOnSite: ?next= can neither leave the site nor
// break out of the login form's hidden field; one that would leave lands
// on the rooms.
func TestRedirectTargetsStayOnSite(t *testing.T) {
	a := newApp(t)
	a.user("alice")
	for next, want := range map[string]string{
		"javascript:alert(1)":                 "/chat/",
		"//evil.example/":                     "/chat/",
		"/\\evil.example":                     "/chat/",
		"https://evil.example/":               "/chat/",
		"http:evil.example":                   "/chat/",
		" /chat/":                             "/chat/",
		"/chat/general/":                      "/chat/general/",
		`/x"><script>alert(1)</script>`:       `/x"><script>alert(1)</script>`,
		"/\r\nSet-Cookie: x=1":                "/chat/",
		"/\t/evil.example":                    "/chat/", // browsers drop tabs: //evil.example
		"\\/evil.example":                     "/chat/",
		"/" + strings.Repeat("a", 10_000):     "/" + strings.Repeat("a", 10_000),
		"/%0d%0aSet-Cookie:%20x=1":            "/%0d%0aSet-Cookie:%20x=1",
		"/chat/?q=\"'<>" + "&next=//evil.com": "/chat/?q=\"'<>&next=//evil.com",
		// The redirect cleans the path: these become /\evil.example/phish,
		// which browsers read as //evil.example/phish.
		"/../\\evil.example/phish":   "/chat/",
		"/./\\evil.example/phish":    "/chat/",
		"/a/../\\evil.example/phish": "/chat/",
		"/x#/../../\\evil.example":   "/chat/",
		"/a\\b":                      "/chat/",
		"/chat/../admin/":            "/admin/",
	} {
		doc := a.page(a.client(), "/accounts/login/?next="+url.QueryEscape(next))
		if got, _ := doc.Find("#login-form input[name=next]").Attr("value"); got != want {
			t.Errorf("next=%.40q: form carries %.60q, want %.60q", next, got, want)
		}
		if n := doc.Find("script:not([src])").Length(); n > 0 {
			t.Errorf("next=%.40q injected a script", next)
		}
		resp := a.postForm(a.client(), "/accounts/login/", url.Values{"username": {"alice"}, "password": {"correct horse alice"}, "next": {next}}, false)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || (want == "/chat/" && loc != "/chat/") || strings.ContainsAny(loc, "\r\n") {
			t.Errorf("next=%.40q: login sends to %.60q (status %d)", next, loc, resp.StatusCode)
		}
		if c := resp.Header.Values("Set-Cookie"); len(c) != 1 {
			t.Errorf("next=%.40q: %d cookies set: %q", next, len(c), c)
		}
	}
}
