package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/ratelimit"
)

// say posts a message through the composer's form and returns its id.
func (a *testApp) say(c *http.Client, room, text string) int64 {
	a.t.Helper()
	if resp := a.postForm(c, "/chat/"+url.PathEscape(room)+"/messages", url.Values{"message": {text}}, true); resp.StatusCode != http.StatusOK {
		a.t.Fatalf("post %q: status %d: %s", text, resp.StatusCode, readBody(resp))
	}
	r, err := a.store.RoomByName(context.Background(), room)
	if err != nil {
		a.t.Fatal(err)
	}
	msgs, err := a.store.LatestMessages(context.Background(), r.ID, 1)
	if err != nil || len(msgs) != 1 || msgs[0].Content != text {
		a.t.Fatalf("the message %q is not the room's latest: %v, %v", text, msgs, err)
	}
	return msgs[0].ID
}

// searchGet GETs a search as a browser without JavaScript, or as htmx.
func (a *testApp) searchGet(c *http.Client, query url.Values, htmx bool) *http.Response {
	a.t.Helper()
	req, err := http.NewRequest(http.MethodGet, a.srv.URL+"/search?"+query.Encode(), nil)
	if err != nil {
		a.t.Fatal(err)
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	resp, err := c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	a.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// result is one search result as a reader sees it.
type result struct {
	room, author, text, marked, href string
	hasTime                          bool
}

func results(doc *goquery.Selection) []result {
	var out []result
	doc.Find("[data-testid=search-result]").Each(func(_ int, s *goquery.Selection) {
		var marks []string
		s.Find("[data-testid=search-text] mark").Each(func(_ int, m *goquery.Selection) { marks = append(marks, m.Text()) })
		href, _ := s.Find("a").Attr("href")
		dt, _ := s.Find("time").Attr("datetime")
		out = append(out, result{
			room:    s.Find("[data-testid=search-room]").Text(),
			author:  s.Find("[data-testid=search-author]").Text(),
			text:    s.Find("[data-testid=search-text]").Text(),
			marked:  strings.Join(marks, "|"),
			href:    href,
			hasTime: dt != "" && s.Find("time").Text() != "",
		})
	})
	return out
}

// TestSearchWithoutJavaScript: the navbar's box is a plain GET form; the
// results page shows each match with its room, author and time, the
// matched words marked, and a link to the message in its room.
func TestSearchWithoutJavaScript(t *testing.T) {
	a := newApp(t)
	ann, bob := a.user("ann"), a.user("bob")
	a.createRoom(ann, "general")
	a.createRoom(ann, "random")
	first := a.say(ann, "general", "The café opens at nine")
	a.say(ann, "random", "nothing to see here")
	second := a.say(ann, "random", "Cafe meeting moved to ten")

	doc := a.page(bob, "/chat/")
	form := doc.Find("form.nav-search")
	if action, _ := form.Attr("action"); action != "/search" || strings.ToLower(form.AttrOr("method", "")) != "get" || form.Find("input[name=q]").Length() != 1 {
		t.Fatal("the navbar has no GET search form")
	}

	resp := a.searchGet(bob, url.Values{"q": {"cafe"}}, false)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("search: status %d", resp.StatusCode)
	}
	doc = parse(t, resp)
	if doc.Find("html").Length() != 1 || doc.Find("#search-form input[name=q]").AttrOr("value", "") != "cafe" {
		t.Error("the results page is not a whole page with the search in its box")
	}
	got := results(doc.Selection)
	want := []result{
		{room: "#random", author: "ann", text: "Cafe meeting moved to ten", marked: "Cafe", href: "/chat/random/?around=" + itoa(second), hasTime: true},
		{room: "#general", author: "ann", text: "The café opens at nine", marked: "café", href: "/chat/general/?around=" + itoa(first), hasTime: true},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("results\n  %+v\nwant\n  %+v", got, want)
	}
	if s := doc.Find("#search-status").Text(); s != "2 messages found." {
		t.Errorf("status %q", s)
	}

	// Filters narrow; a search that finds nothing says so.
	if got := results(a.page(bob, "/search?"+url.Values{"q": {"cafe in:#general"}}.Encode()).Selection); len(got) != 1 || got[0].room != "#general" {
		t.Errorf("in:#general: %+v", got)
	}
	doc = a.page(bob, "/search?q=zebra")
	if doc.Find("[data-testid=search-empty]").Text() != "No messages match zebra." || len(results(doc.Selection)) != 0 {
		t.Errorf("no results: %q", doc.Find("#search-results").Text())
	}
	// No search yet: the box, and nothing else.
	doc = a.page(bob, "/search")
	if doc.Find("#search-q").Length() != 1 || doc.Find("[data-testid=search-empty], [data-testid=search-error], [data-testid=search-result]").Length() != 0 {
		t.Errorf("the empty search page: %q", doc.Find("main").Text())
	}
}

// TestSearchAsYouType: an htmx request gets the results alone (no page
// around them), with the words for the page's live region.
func TestSearchAsYouType(t *testing.T) {
	a := newApp(t)
	ann := a.user("ann")
	a.createRoom(ann, "general")
	a.say(ann, "general", "deploy on friday")
	resp := a.searchGet(ann, url.Values{"q": {"depl"}}, true)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Vary"), "HX-Request") {
		t.Fatalf("htmx search: status %d, Vary %q", resp.StatusCode, resp.Header.Get("Vary"))
	}
	body := readBody(resp)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if strings.Contains(body, "<html") || strings.Contains(body, "navbar") || !strings.HasPrefix(body, `<section id="search-results"`) {
		t.Errorf("htmx got more than the results: %.200s", body)
	}
	if got := results(doc.Selection); len(got) != 1 || got[0].marked != "deploy" {
		t.Errorf("results %+v", got)
	}
	if oob := doc.Find("#search-status"); oob.AttrOr("hx-swap-oob", "") != "innerHTML" || oob.Text() != "1 message found." {
		t.Errorf("status for the live region: %q %q", oob.AttrOr("hx-swap-oob", ""), oob.Text())
	}
	// htmx asking for the whole page after a reload of a pushed search.
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/search?q=depl", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-History-Restore-Request", "true")
	resp, err := ann.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if body := readBody(resp); !strings.Contains(body, "<html") {
		t.Errorf("a history restore got a fragment: %.200s", body)
	}
}

// TestSearchPages: results come 20 at a time; "More results" is a link
// that works without JavaScript (a page of its own) and with htmx (the
// next results and the next link, in place of the link).
func TestSearchPages(t *testing.T) {
	a := newApp(t)
	ann := a.user("ann")
	a.createRoom(ann, "general")
	var ids []int64
	for i := range 25 {
		ids = append(ids, a.say(ann, "general", fmt.Sprintf("standup note %d", i)))
	}
	doc := a.page(ann, "/search?q=standup")
	first := results(doc.Selection)
	more, ok := doc.Find("[data-testid=search-more]").Attr("href")
	if len(first) != 20 || !ok || first[0].href != "/chat/general/?around="+itoa(ids[24]) {
		t.Fatalf("first page: %d results, more %q", len(first), more)
	}
	want := "/search?" + url.Values{"q": {"standup"}, "before": {itoa(ids[5])}}.Encode()
	if more != want {
		t.Errorf("more results at %q, want %q", more, want)
	}

	doc = a.page(ann, more)
	rest := results(doc.Selection)
	if len(rest) != 5 || rest[0].href != "/chat/general/?around="+itoa(ids[4]) || rest[4].href != "/chat/general/?around="+itoa(ids[0]) {
		t.Errorf("second page: %+v", rest)
	}
	if doc.Find("[data-testid=search-more]").Length() != 0 || !strings.Contains(doc.Find(".search-older").Text(), "Older results") {
		t.Error("the last page offers more, or does not say it continues a search")
	}

	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+more, nil)
	req.Header.Set("HX-Request", "true")
	resp, err := ann.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body := readBody(resp)
	frag, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if strings.Contains(body, "search-results") || len(results(frag.Selection)) != 5 || frag.Find("#search-more").Length() != 0 {
		t.Errorf("htmx next page: %.300s", body)
	}

	for _, bad := range []string{"0", "-3", "x", ""} {
		if resp := a.searchGet(ann, url.Values{"q": {"standup"}, "before": {bad}}, false); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("before=%q: status %d, want 400", bad, resp.StatusCode)
		}
	}
}

// TestSearchEscapesEverything: markup in a message and in the search is
// text on the page, highlighted or not; only <mark> is ours.
func TestSearchEscapesEverything(t *testing.T) {
	a := newApp(t)
	ann := a.user("ann")
	a.createRoom(ann, "general")
	a.say(ann, "general", `<script>alert("pwned")</script> <img src=x onerror=alert(1)> needle & "quotes"`)
	for _, q := range []string{`needle`, `<script>alert("pwned")</script>`, `script alert`, `<img needle>`} {
		for _, htmx := range []bool{false, true} {
			resp := a.searchGet(ann, url.Values{"q": {q}}, htmx)
			body := readBody(resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("search %q: status %d", q, resp.StatusCode)
			}
			for _, raw := range []string{"<script>alert", "<img", "<b>needle"} {
				if strings.Contains(body, raw) {
					t.Errorf("search %q (htmx %v): the page holds %s unescaped", q, htmx, raw)
				}
			}
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
			got := results(doc.Selection)
			if len(got) != 1 || got[0].text != `<script>alert("pwned")</script> <img src=x onerror=alert(1)> needle & "quotes"` {
				t.Errorf("search %q: results %+v", q, got)
			}
			if n := doc.Find("#search-results script, #search-results img, [data-testid=search-text] *:not(mark)").Length(); n != 0 {
				t.Errorf("search %q: %d elements made from text", q, n)
			}
			if !htmx && doc.Find("#search-q").AttrOr("value", "") != q {
				t.Errorf("search %q: the box holds %q", q, doc.Find("#search-q").AttrOr("value", ""))
			}
		}
	}
	if got := results(a.page(ann, "/search?q=script+alert").Selection); got[0].marked != "script|alert|script|alert" {
		t.Errorf("marked %q", got[0].marked)
	}
	// The search is echoed as text when nothing matches.
	resp := a.searchGet(ann, url.Values{"q": {"<b>zzz</b>"}}, false)
	body := readBody(resp)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if strings.Contains(body, "<b>zzz") || doc.Find("[data-testid=search-empty]").Text() != "No messages match <b>zzz</b>." {
		t.Errorf("no results for markup: %q", doc.Find("#search-results").Text())
	}
}

// TestSearchRefusals: a bad filter is explained beside the box with a 400,
// on the page and to htmx (which swaps it in); nothing fails with a 500.
func TestSearchRefusals(t *testing.T) {
	a := newApp(t)
	ann := a.user("ann")
	a.createRoom(ann, "general")
	for q, want := range map[string]string{
		"in:#nowhere":               "There is no room called #nowhere.",
		"in:#<b>x</b>":              "There is no room called #<b>x</b>.",
		"from:nobody hello":         "There is no one called nobody.",
		"before:tomorrow":           `before: takes a date like 2026-11-01, not "tomorrow".`,
		"after:":                    "Give a date after after:, like after:2026-11-01.",
		strings.Repeat("word ", 20): "Search for at most 16 words at a time.",
		"bad \x01 byte":             "The search contains control characters.",
	} {
		for _, htmx := range []bool{false, true} {
			resp := a.searchGet(ann, url.Values{"q": {q}}, htmx)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("search %q (htmx %v): status %d, want 400", q, htmx, resp.StatusCode)
				continue
			}
			doc := parse(t, resp)
			if got := doc.Find("#search-results [data-testid=search-error]").Text(); got != want {
				t.Errorf("search %q (htmx %v): error %q, want %q", q, htmx, got, want)
			}
		}
	}
	resp := a.searchGet(ann, url.Values{"q": {"x"}, "before": {"soon"}}, false)
	if doc := parse(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(doc.Find("[data-testid=search-error]").Text(), "?before=") {
		t.Errorf("a bad page cursor: status %d", resp.StatusCode)
	}
}

// TestSearchNeedsLogin: anonymous visitors are sent to log in and back.
func TestSearchNeedsLogin(t *testing.T) {
	a := newApp(t)
	ann := a.user("ann")
	a.createRoom(ann, "general")
	a.say(ann, "general", "secret plans")
	anon := a.client()
	resp := a.searchGet(anon, url.Values{"q": {"secret"}}, false)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/accounts/login/?next=%2Fsearch%3Fq%3Dsecret" {
		t.Errorf("anonymous search: status %d, Location %q", resp.StatusCode, loc)
	}
	resp = a.searchGet(anon, url.Values{"q": {"secret"}}, true)
	if body := readBody(resp); resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("HX-Redirect") == "" || strings.Contains(body, "secret plans") {
		t.Errorf("anonymous htmx search: status %d, HX-Redirect %q", resp.StatusCode, resp.Header.Get("HX-Redirect"))
	}
	if a.page(a.client(), "/").Find("form.nav-search").Length() != 0 {
		t.Error("the navbar offers anonymous visitors a search")
	}
}

// TestSearchFindsOnlyWhatIsThere: a deleted message is never found, an
// edited one by its new words only, and a deleted room's messages not at
// all; the results are what any member of a public room could read.
func TestSearchFindsOnlyWhatIsThere(t *testing.T) {
	a := newApp(t)
	ann, bob := a.user("ann"), a.user("bob")
	a.createRoom(ann, "general")
	a.createRoom(ann, "attic")
	gone := a.say(ann, "general", "pineapple regrets")
	edited := a.say(ann, "general", "old walrus words")
	a.say(ann, "attic", "pineapple in the attic")
	general, _ := a.store.RoomByName(t.Context(), "general")
	attic, _ := a.store.RoomByName(t.Context(), "attic")
	annUser, _ := a.store.UserByUsername(t.Context(), "ann")
	w := a.store.NewWriter(func([]*models.Message) {})
	defer w.Close()
	if err := w.Delete(t.Context(), general.ID, gone); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Edit(t.Context(), general.ID, edited, annUser.ID, "new narwhal words"); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"pineapple": 1, "regrets": 0, "walrus": 0, "narwhal": 1} {
		if got := results(a.page(bob, "/search?q="+q).Selection); len(got) != want {
			t.Errorf("bob searching %q: %+v, want %d", q, got, want)
		}
	}
	if err := a.store.DeleteRoom(t.Context(), attic.ID); err != nil {
		t.Fatal(err)
	}
	if got := results(a.page(bob, "/search?q=pineapple").Selection); len(got) != 0 {
		t.Errorf("a deleted room's message is found: %+v", got)
	}
}

// TestSearchIsRateLimited: each search counts; an empty one does not.
func TestSearchIsRateLimited(t *testing.T) {
	a := newApp(t, withLimits(handlers.RateLimits{SearchPerUser: ratelimit.Limit{Events: 2, Per: time.Hour}}))
	ann := a.user("ann")
	a.page(ann, "/search")
	a.page(ann, "/search?q=one")
	a.page(ann, "/search?q=two")
	for _, htmx := range []bool{false, true} {
		resp := a.searchGet(ann, url.Values{"q": {"three"}}, htmx)
		doc := parse(t, resp)
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" ||
			!strings.HasPrefix(doc.Find("#search-results [data-testid=search-error]").Text(), "You are searching too fast.") {
			t.Errorf("third search (htmx %v): status %d, %q", htmx, resp.StatusCode, doc.Find("#search-results").Text())
		}
	}
}
