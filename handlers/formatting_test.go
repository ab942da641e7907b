package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// userID is the id of a user by name.
func (a *testApp) userID(name string) string {
	a.t.Helper()
	u, err := a.store.UserByUsername(a.t.Context(), name)
	if err != nil {
		a.t.Fatal(err)
	}
	return itoa(u.ID)
}

// TestFormattedEverywhere: a formatted message with mentions is drawn the
// same live, in the room page and in older history: Markdown as markup,
// mentions of people who exist marked with their id, anything else text.
func TestFormattedEverywhere(t *testing.T) {
	a := newApp(t)
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	s := a.openStream(bob, "general", "", "")
	const text = "**Heads up** @Bob and @nobody: `make test` first\n```\nif a < b {}\n```\n> quoted ||spoiler||"
	if resp := a.postForm(alice, "/chat/general/messages", url.Values{"message": {text}}, true); resp.StatusCode != http.StatusOK {
		t.Fatalf("post: status %d: %s", resp.StatusCode, readBody(resp))
	}
	bobID := a.userID("bob")
	check := func(where string, doc *goquery.Document) {
		t.Helper()
		c := doc.Find("[data-testid=message-content]").Last()
		for sel, want := range map[string]string{
			".para > strong":                             "Heads up",
			".mention[data-user-id='" + bobID + "']":     "@bob",
			".para > code":                               "make test",
			"pre > code":                                 "if a < b {}",
			"blockquote details.spoiler > .spoiler-text": "spoiler",
		} {
			if got := c.Find(sel).Text(); got != want {
				t.Errorf("%s: %s reads %q, want %q", where, sel, got, want)
			}
		}
		if n := c.Find(".mention").Length(); n != 1 {
			t.Errorf("%s: %d mentions, want 1 (@nobody is no one)", where, n)
		}
		if !strings.Contains(c.Text(), "@nobody") {
			t.Errorf("%s: @nobody is not shown as typed", where)
		}
	}
	check("live", fragment(t, s.next("message").Data))
	check("room page", a.page(bob, "/chat/general/"))
	older := "/chat/general/messages?before=" + itoa(1<<40)
	check("older (htmx)", parse(t, a.send(bob, http.MethodGet, older, "", map[string]string{"HX-Request": "true"})))
	check("older page", a.page(bob, older))
}

// TestMentionOfLaterUser: who a name means is looked up when the message
// is drawn, so a mention of someone who signs up later becomes theirs.
func TestMentionOfLaterUser(t *testing.T) {
	a := newApp(t)
	alice := a.user("alice")
	a.createRoom(alice, "general")
	a.postForm(alice, "/chat/general/messages", url.Values{"message": {"waiting for @carol"}}, true)
	if n := a.page(alice, "/chat/general/").Find(".mention").Length(); n != 0 {
		t.Fatalf("%d mentions of a user who does not exist", n)
	}
	a.user("carol")
	m := a.page(alice, "/chat/general/").Find(".mention")
	if id, _ := m.Attr("data-user-id"); m.Text() != "@carol" || id != a.userID("carol") {
		t.Errorf("after carol signed up, the mention reads %q for user %q", m.Text(), id)
	}
}

// TestComposerDoesNotCut: the box takes any length (the script counts and
// refuses over the limit); the server refuses too, keeping the text.
func TestComposerDoesNotCut(t *testing.T) {
	a := newApp(t)
	alice := a.user("alice")
	a.createRoom(alice, "general")
	if _, cut := a.page(alice, "/chat/general/").Find("#message-input").Attr("maxlength"); cut {
		t.Error("the message box cuts what is typed at a maximum length")
	}
	long := strings.Repeat("x", 633)
	resp := a.postForm(alice, "/chat/general/messages", url.Values{"message": {long}}, true)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("633 characters: status %d, want 400", resp.StatusCode)
	}
	doc := parse(t, resp)
	if got := doc.Find("#message-input").Text(); got != long {
		t.Errorf("the refused text comes back with %d characters, want all 633", len(got))
	}
	if msg := doc.Find("[data-testid=message-error]").Text(); !strings.Contains(msg, "512") {
		t.Errorf("refusal says %q, want the limit named", msg)
	}
	if n := a.countMessages("general"); n != 0 {
		t.Errorf("%d messages stored", n)
	}
}

// TestMentionOptions: "@an" in the composer asks for people to mention:
// logged-in people only, in a room that exists; the online first, then
// who posted there, then anyone; never the asker; all of it escaped.
func TestMentionOptions(t *testing.T) {
	a := newApp(t)
	alice := a.user("alice")
	andy, anton := a.user("andy"), a.user("anton")
	a.user("anna")
	a.user("bob")
	a.createRoom(alice, "general")
	waitOnline(t, a.openStream(andy, "general", "", ""), 1)
	a.postForm(anton, "/chat/general/messages", url.Values{"message": {"hello"}}, true)
	a.postForm(alice, "/chat/general/messages", url.Values{"message": {"hi"}}, true)

	options := func(c *http.Client, path string) (*goquery.Selection, *http.Response) {
		t.Helper()
		resp := a.send(c, http.MethodGet, path, "", map[string]string{"HX-Request": "true"})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d: %s", path, resp.StatusCode, readBody(resp))
		}
		return parse(t, resp).Find("#mention-options[role=listbox]"), resp
	}
	names := func(list *goquery.Selection) string {
		var out []string
		list.Find("[role=option]").Each(func(_ int, o *goquery.Selection) {
			n, _ := o.Attr("data-name")
			if o.Find(".mention-option-online").Length() > 0 {
				n += "*"
			}
			out = append(out, n)
		})
		return strings.Join(out, " ")
	}

	// Online andy first, then anton who posted, then anna; not alice, who
	// asks.
	list, resp := options(alice, "/chat/general/mentions?q=AN")
	if got := names(list); got != "andy* anton anna" {
		t.Errorf("@AN offers %q, want andy (online), anton, anna", got)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	if q, _ := list.Attr("data-q"); q != "AN" {
		t.Errorf("the list says it answers %q", q)
	}
	list, _ = options(alice, "/chat/general/mentions?q=")
	if got := names(list); !strings.HasPrefix(got, "andy* anton ") || strings.Contains(got, "alice") {
		t.Errorf("@ alone offers %q", got)
	}
	list, _ = options(alice, "/chat/general/mentions?q=zed")
	if _, hidden := list.Attr("hidden"); !hidden || names(list) != "" {
		t.Errorf("@zed: the list is not empty and hidden: %q", names(list))
	}

	// Whatever is typed after "@" comes back escaped, offering no one.
	for _, q := range []string{`"><script>alert(1)</script>`, "a b", strings.Repeat("a", 151), "\x00", "%ff"} {
		resp := a.send(alice, http.MethodGet, "/chat/general/mentions?q="+url.QueryEscape(q), "", map[string]string{"HX-Request": "true"})
		body := readBody(resp)
		if resp.StatusCode != http.StatusOK || strings.Contains(body, "<script") || strings.Contains(body, "role=\"option\"") {
			t.Errorf("q=%q: status %d: %s", q, resp.StatusCode, body)
		}
	}

	// Who may ask, and where.
	for _, tc := range []struct {
		c    *http.Client
		path string
		want int
	}{
		{a.client(), "/chat/general/mentions?q=an", http.StatusUnauthorized},
		{alice, "/chat/nowhere/mentions?q=an", http.StatusNotFound},
		{alice, "/chat/bad%20name/mentions?q=an", http.StatusBadRequest},
	} {
		resp := a.send(tc.c, http.MethodGet, tc.path, "", map[string]string{"HX-Request": "true"})
		if resp.StatusCode != tc.want {
			t.Errorf("GET %s: status %d, want %d", tc.path, resp.StatusCode, tc.want)
		}
		if strings.Contains(readBody(resp), "andy") {
			t.Errorf("GET %s tells names", tc.path)
		}
	}
}
