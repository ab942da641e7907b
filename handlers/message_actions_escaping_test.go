package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/minidiscord/minidiscord/views"
)

// TestActionsEscapeEverywhere edits a message into each hostile text,
// answers and reacts to it, and reads it back everywhere an action shows
// it: the stream, the room page (at the latest and around it), the edit
// box and page, the delete confirmation, the reactions page, the reply
// bar, a reply's quote, and the admin page. Text stays text.
func TestActionsEscapeEverywhere(t *testing.T) {
	a := newApp(t)
	admin, alice, bob := a.staff("admin"), a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	s := a.openStream(bob, "general", "", "")
	for _, hostile := range hostileMessages {
		text := cleaned(hostile)
		id := a.postedID(alice, "general", "harmless", nil)
		s.next("message")
		if resp := a.postForm(alice, msgPath(id, "edit"), url.Values{"message": {hostile}}, true); resp.StatusCode != http.StatusOK {
			t.Fatalf("edit to %q: status %d", hostile, resp.StatusCode)
		}
		checkContent(t, "edit event", s.next("message").Data, text)
		a.postForm(bob, msgPath(id, "reactions"), url.Values{"emoji": {"😮"}}, true)
		ev := s.next("message").Data
		checkContent(t, "reaction event", ev, text)
		if got := fragment(t, ev).Find("button.reaction").AttrOr("title", ""); got != "bob reacted with 😮" {
			t.Errorf("reaction title %q", got)
		}
		a.postForm(bob, "/chat/general/messages", url.Values{"message": {"answer"}, "reply_to": {itoa(id)}}, true)
		ev = s.next("message").Data
		// A quote is the message's gist: one line, spoilers masked.
		quoted := views.Gist(text, views.QuoteLength)
		checkQuote(t, "reply event", ev, quoted)

		checkContent(t, "room page", readBody(a.get(bob, "/chat/general/")), text)
		around := readBody(a.get(bob, "/chat/general/?around="+itoa(id)))
		checkContent(t, "around page", around, text)
		checkQuote(t, "around page", around, quoted)
		for _, htmx := range []bool{true, false} {
			hdr := map[string]string{}
			if htmx {
				hdr["HX-Request"] = "true"
			}
			edit := readBody(a.send(alice, http.MethodGet, msgPath(id, "edit"), "", hdr))
			checkField(t, "edit box", edit, "textarea[name=message]", text)
			checkContent(t, "delete confirmation", readBody(a.send(alice, http.MethodGet, msgPath(id, "delete"), "", hdr)), text)
		}
		checkContent(t, "reactions page", readBody(a.get(bob, msgPath(id, "react"))), text)
		reply := readBody(a.get(bob, "/chat/general/?reply="+itoa(id)))
		checkField(t, "reply bar", reply, "#reply-bar .reply-text", quoted)
		// A refused edit shows the draft back as text.
		refused := a.postForm(alice, msgPath(id, "edit"), url.Values{"message": {hostile + strings.Repeat("!", 600)}}, true)
		checkField(t, "refused edit", readBody(refused), "textarea[name=message]", text+strings.Repeat("!", 600))
	}
	adminPage := readBody(a.get(admin, "/admin/"))
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(adminPage))
	for _, hostile := range hostileMessages {
		found := false
		doc.Find("[data-testid=admin-messages] td").Each(func(_ int, s *goquery.Selection) {
			if s.Text() == cleaned(hostile) && s.Children().Length() == 0 {
				found = true
			}
		})
		if !found {
			t.Errorf("admin page does not show the edited %q as text", hostile)
		}
	}
	if n := doc.Find("script:not([src^='/static/'])").Length(); n > 0 {
		t.Errorf("admin page: %d foreign scripts", n)
	}
}

// checkQuote asserts a reply's quote shows text as text.
func checkQuote(t *testing.T, where, html, text string) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	doc.Find("[data-testid=quote] .quote-text").Each(func(_ int, s *goquery.Selection) {
		if s.Text() == text {
			found = true
			if s.Children().Length() > 0 {
				t.Errorf("%s: markup inside the quote of %q", where, text)
			}
		}
	})
	if !found {
		t.Errorf("%s: no quote shows %q", where, text)
	}
	noInjection(t, where, doc)
}

// checkField asserts the element sel holds text as text.
func checkField(t *testing.T, where, html, sel, text string) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	f := doc.Find(sel)
	if f.Length() != 1 || f.Text() != text || f.Children().Length() > 0 {
		t.Errorf("%s: %s shows %q, want %q as text", where, sel, f.Text(), text)
	}
	noInjection(t, where, doc)
}

// noInjection fails the test for an event handler attribute, a script URL
// where a browser follows a URL (elsewhere, as in data-gist, which holds
// the message's words, it is only text), or a script not our own.
func noInjection(t *testing.T, where string, doc *goquery.Document) {
	t.Helper()
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, at := range s.Nodes[0].Attr {
			v := strings.ToLower(strings.TrimSpace(at.Val))
			key := strings.ToLower(at.Key)
			if strings.HasPrefix(key, "on") || urlAttrs[key] && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:")) {
				t.Errorf("%s: injected attribute %s=%q on %s", where, at.Key, at.Val, goquery.NodeName(s))
			}
		}
	})
	if n := doc.Find("script:not([src^='/static/'])").Length(); n > 0 {
		t.Errorf("%s: %d foreign scripts", where, n)
	}
}
