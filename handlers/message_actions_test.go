package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/ratelimit"
)

// postedID posts text to room as c (over HTMX) and returns the new
// message's id.
func (a *testApp) postedID(c *http.Client, room, text string, extra url.Values) int64 {
	a.t.Helper()
	form := url.Values{"message": {text}}
	for k, v := range extra {
		form[k] = v
	}
	resp := a.postForm(c, "/chat/"+room+"/messages", form, true)
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("post %q: status %d: %s", text, resp.StatusCode, readBody(resp))
	}
	id, _ := strconv.ParseInt(lastMessageID(a.t, a, room), 10, 64)
	return id
}

// msgPath is the address of an action on a message.
func msgPath(id int64, action string) string {
	if action == "" {
		return "/messages/" + itoa(id)
	}
	return "/messages/" + itoa(id) + "/" + action
}

// htmxGet GETs path as HTMX does.
func (a *testApp) htmxGet(c *http.Client, path string) *http.Response {
	a.t.Helper()
	return a.send(c, http.MethodGet, path, "", map[string]string{"HX-Request": "true"})
}

// eventMessage parses a message event and returns its article.
func eventMessage(t *testing.T, ev sseEvent) *goquery.Selection {
	t.Helper()
	return fragment(t, ev.Data).Find("article.msg")
}

func wantStatus(t *testing.T, what string, resp *http.Response, want int) string {
	t.Helper()
	body := readBody(resp)
	if resp.StatusCode != want {
		t.Errorf("%s: status %d, want %d: %.300s", what, resp.StatusCode, want, body)
	}
	return body
}

func TestEditMessage(t *testing.T) {
	a := newApp(t)
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	id := a.postedID(alice, "general", "helo", nil)
	s := a.openStream(bob, "general", "", "")

	// The box, in the message's place for HTMX and as a page without it.
	box := fragment(t, wantStatus(t, "edit form (HTMX)", a.htmxGet(alice, msgPath(id, "edit")), http.StatusOK))
	if got := box.Find("article#msg-" + itoa(id) + ".editing form.edit-form textarea[name=message]").Text(); got != "helo" {
		t.Errorf("the edit box holds %q, want the message's text", got)
	}
	if _, ok := box.Find("form.edit-form").Attr("hx-post"); !ok {
		t.Error("the edit box for HTMX does not post over HTMX")
	}
	page := a.page(alice, msgPath(id, "edit"))
	if page.Find("form.edit-form[method=post][action='"+msgPath(id, "edit")+"'] textarea").Text() != "helo" {
		t.Error("the edit page has no plain form with the text")
	}
	if href, _ := page.Find(".form-cancel").Attr("href"); href != "/chat/general/#msg-"+itoa(id) {
		t.Errorf("Cancel leads to %q, want the room at the message", href)
	}

	// Saved over HTMX: the answer is the message as it now is, and every
	// open page hears of it.
	resp := a.postForm(alice, msgPath(id, "edit"), url.Values{"message": {"hello"}}, true)
	answer := fragment(t, wantStatus(t, "edit", resp, http.StatusOK))
	if got := answer.Find("[data-testid=message-content]").Text(); got != "hello" {
		t.Errorf("the answer shows %q, want the new text", got)
	}
	ev := eventMessage(t, s.next("message"))
	if ev.AttrOr("data-id", "") != itoa(id) || ev.Find("[data-testid=message-content]").Text() != "hello" || ev.Find("[data-testid=edited]").Length() != 1 {
		t.Errorf("bob's stream got %s, want the message edited", outer(ev))
	}
	if title := ev.Find("[data-testid=edited] time").AttrOr("title", ""); !strings.HasPrefix(title, "Edited ") {
		t.Errorf("the (edited) mark's tooltip is %q, want the time", title)
	}

	// Without JavaScript: a redirect back to the room at the message.
	resp = a.postForm(alice, msgPath(id, "edit"), url.Values{"message": {"hello, world"}}, false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/chat/general/#msg-"+itoa(id) {
		t.Errorf("edit without JavaScript: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	s.next("message")
	// The same text again is no edit: nothing is sent.
	wantStatus(t, "unchanged edit", a.postForm(alice, msgPath(id, "edit"), url.Values{"message": {"hello, world"}}, true), http.StatusOK)
	s.quiet("message", 100*time.Millisecond)

	// Refusals.
	bad := a.postForm(alice, msgPath(id, "edit"), url.Values{"message": {"   "}}, true)
	form := fragment(t, wantStatus(t, "empty edit", bad, http.StatusBadRequest))
	if form.Find("form.edit-form [data-testid=edit-error]").Length() != 1 {
		t.Error("an empty edit does not come back as the form with the reason")
	}
	wantStatus(t, "bob edits alice's", a.postForm(bob, msgPath(id, "edit"), url.Values{"message": {"pwned"}}, true), http.StatusForbidden)
	wantStatus(t, "bob opens alice's edit box", a.htmxGet(bob, msgPath(id, "edit")), http.StatusForbidden)
	wantStatus(t, "anonymous edit", a.postForm(a.client(), msgPath(id, "edit"), url.Values{"message": {"x"}}, false), http.StatusUnauthorized)
	if resp := a.get(a.client(), msgPath(id, "edit")); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/accounts/login/") {
		t.Errorf("anonymous edit page: %d to %q, want the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
	wantStatus(t, "edit of a missing message", a.postForm(alice, msgPath(999999, "edit"), url.Values{"message": {"x"}}, true), http.StatusNotFound)
	wantStatus(t, "edit of a malformed id", a.postForm(alice, "/messages/x1/edit", url.Values{"message": {"x"}}, true), http.StatusBadRequest)
	wantStatus(t, "two texts", a.postForm(alice, msgPath(id, "edit"), url.Values{"message": {"a", "b"}}, true), http.StatusBadRequest)
	s.quiet("message", 100*time.Millisecond)
	if got := pageMessages(a.page(bob, "/chat/general/").Selection); len(got) != 1 || got[0].text != "hello, world" || !got[0].edited {
		t.Errorf("after the refusals the room shows %v", got)
	}
}

func TestDeleteMessage(t *testing.T) {
	a := newApp(t)
	admin, alice, bob := a.staff("admin"), a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	first := a.postedID(alice, "general", "first", nil)
	reply := a.postedID(bob, "general", "re: first", url.Values{"reply_to": {itoa(first)}})
	second := a.postedID(bob, "general", "second", nil)
	s := a.openStream(bob, "general", "", "")

	// Only the author or staff.
	wantStatus(t, "bob deletes alice's", a.postForm(bob, msgPath(first, "delete"), nil, true), http.StatusForbidden)
	wantStatus(t, "bob's confirmation for alice's", a.htmxGet(bob, msgPath(first, "delete")), http.StatusForbidden)
	wantStatus(t, "anonymous delete", a.postForm(a.client(), msgPath(first, "delete"), nil, false), http.StatusUnauthorized)
	wantStatus(t, "missing message", a.postForm(alice, msgPath(999999, "delete"), nil, true), http.StatusNotFound)
	s.quiet("message", 50*time.Millisecond)

	// The confirmation, in place and as a page.
	confirm := fragment(t, wantStatus(t, "confirmation", a.htmxGet(alice, msgPath(first, "delete")), http.StatusOK))
	if confirm.Find("article#msg-"+itoa(first)+".editing form.delete-form").Length() != 1 {
		t.Error("the confirmation does not stand in the message's place")
	}
	if a.page(alice, msgPath(first, "delete")).Find("form.delete-form[method=post][action='"+msgPath(first, "delete")+"']").Length() != 1 {
		t.Error("the confirmation page has no plain form")
	}

	// The author, without JavaScript: back to the room, gone for everyone,
	// and the reply's quote says so.
	resp := a.postForm(alice, msgPath(first, "delete"), nil, false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/chat/general/" {
		t.Errorf("delete without JavaScript: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if ev := eventMessage(t, s.next("message")); ev.AttrOr("data-id", "") != itoa(first) || ev.AttrOr("data-deleted", "x") == "x" {
		t.Errorf("the stream got %s, want the tombstone", outer(ev))
	}
	shown := pageMessages(a.page(bob, "/chat/general/").Selection)
	if len(shown) != 2 || shown[0].id != reply || shown[0].quote != "Reply to deleted message" {
		t.Errorf("after the deletion the room shows %v", shown)
	}
	wantStatus(t, "deleting it again", a.postForm(alice, msgPath(first, "delete"), nil, true), http.StatusNotFound)

	// Staff may delete anyone's, over HTMX: the answer takes it off.
	gone := fragment(t, wantStatus(t, "staff delete", a.postForm(admin, msgPath(second, "delete"), nil, true), http.StatusOK))
	if gone.Find("article#msg-"+itoa(second)+"[data-deleted]").Length() != 1 {
		t.Error("the answer to a delete over HTMX is not the tombstone")
	}
	if ev := eventMessage(t, s.next("message")); ev.AttrOr("data-id", "") != itoa(second) {
		t.Errorf("the stream got %s, want the second tombstone", outer(ev))
	}
	if n := a.countMessages("general"); n != 1 {
		t.Errorf("%d messages left, want 1", n)
	}
}

func TestReactToMessage(t *testing.T) {
	a := newApp(t)
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	id := a.postedID(alice, "general", "cake!", nil)
	s := a.openStream(alice, "general", "", "")

	// The picker offers the whole set, as a partial and as a page.
	picker := fragment(t, wantStatus(t, "picker", a.htmxGet(bob, msgPath(id, "react")), http.StatusOK))
	if n := picker.Find("form.react-picker button[name=emoji]").Length(); n != 8 {
		t.Errorf("the picker offers %d reactions, want 8", n)
	}
	if a.page(bob, msgPath(id, "react")).Find("form.react-picker[method=post][action='"+msgPath(id, "reactions")+"'] button[value='🎉']").Length() != 1 {
		t.Error("the reactions page has no plain form")
	}

	react := func(c *http.Client, emoji string, htmx bool) *http.Response {
		return a.postForm(c, msgPath(id, "reactions"), url.Values{"emoji": {emoji}}, htmx)
	}
	answer := fragment(t, wantStatus(t, "react", react(bob, "👍", true), http.StatusOK))
	if got := answer.Find("button.reaction[data-emoji='👍'] .reaction-count").Text(); got != "1" {
		t.Errorf("the answer counts %q 👍, want 1", got)
	}
	ev := eventMessage(t, s.next("message")).Find("button.reaction")
	if ev.AttrOr("title", "") != "bob reacted with 👍" || ev.AttrOr("aria-pressed", "") != "false" {
		t.Errorf("the stream's reaction: %s", outer(ev))
	}
	// Without JavaScript: back to the room at the message; both count.
	resp := react(alice, "👍", false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/chat/general/#msg-"+itoa(id) {
		t.Errorf("react without JavaScript: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := eventMessage(t, s.next("message")).Find("button.reaction").AttrOr("title", ""); got != "bob and alice reacted with 👍" {
		t.Errorf("after alice's reaction the title says %q", got)
	}
	// Each reader's page marks their own.
	for _, who := range []struct {
		c    *http.Client
		mine string
	}{{alice, "true"}, {bob, "true"}} {
		btn := a.page(who.c, "/chat/general/").Find("button.reaction[data-emoji='👍']")
		if btn.AttrOr("aria-pressed", "") != who.mine || !btn.HasClass("mine") {
			t.Errorf("the page does not mark the reader's own reaction: %s", outer(btn))
		}
	}
	// A second click takes it back.
	react(bob, "👍", true)
	btn := eventMessage(t, s.next("message")).Find("button.reaction")
	if btn.AttrOr("title", "") != "alice reacted with 👍" || btn.Find(".reaction-count").Text() != "1" {
		t.Errorf("after bob took his back: %s", outer(btn))
	}
	if b := a.page(bob, "/chat/general/").Find("button.reaction"); b.HasClass("mine") || b.AttrOr("aria-pressed", "") != "false" {
		t.Errorf("bob's page marks alice's reaction as his: %s", outer(b))
	}

	// Refusals.
	for _, bad := range []url.Values{{"emoji": {"💩"}}, {"emoji": {"<b>"}}, {}, {"emoji": {"👍", "👍"}}} {
		wantStatus(t, fmt.Sprint("emoji ", bad), a.postForm(bob, msgPath(id, "reactions"), bad, true), http.StatusBadRequest)
	}
	wantStatus(t, "anonymous", react(a.client(), "👍", false), http.StatusUnauthorized)
	wantStatus(t, "missing message", a.postForm(bob, msgPath(999999, "reactions"), url.Values{"emoji": {"👍"}}, true), http.StatusNotFound)
	s.quiet("message", 100*time.Millisecond)
}

func TestReplyToMessage(t *testing.T) {
	a := newApp(t)
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	a.createRoom(alice, "other")
	id := a.postedID(alice, "general", "what time is it?", nil)
	elsewhere := a.postedID(alice, "other", "not here", nil)
	s := a.openStream(alice, "general", "", "")

	// Without JavaScript, Reply is a link to the room with the composer
	// answering the message.
	resp := a.get(bob, msgPath(id, "reply"))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/chat/general/?reply="+itoa(id)+"#message-input" {
		t.Fatalf("reply link: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	page := a.page(bob, "/chat/general/?reply="+itoa(id))
	bar := page.Find("#reply-bar")
	if _, hidden := bar.Attr("hidden"); hidden || bar.Find(".reply-author").Text() != "alice" || bar.Find(".reply-text").Text() != "what time is it?" {
		t.Errorf("the reply bar: %s", outer(bar))
	}
	if in := bar.Find("input[name=reply_to][form=message-form]"); in.AttrOr("value", "") != itoa(id) || in.AttrOr("disabled", "no") != "no" {
		t.Errorf("the composer does not carry the reply: %s", outer(in))
	}
	if _, hidden := a.page(bob, "/chat/general/").Find("#reply-bar").Attr("hidden"); !hidden {
		t.Error("the reply bar shows on the plain room page")
	}

	// The reply carries a quote, live; the quote links the original.
	resp = a.postForm(bob, "/chat/general/messages", url.Values{"message": {"noon"}, "reply_to": {itoa(id)}}, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: status %d", resp.StatusCode)
	}
	q := eventMessage(t, s.next("message")).Find("[data-testid=quote]")
	if q.AttrOr("href", "") != msgPath(id, "") || q.Find(".quote-author").Text() != "alice" || q.Find(".quote-text").Text() != "what time is it?" {
		t.Errorf("the reply's quote: %s", outer(q))
	}

	// A quote keeps a spoiler shut, in the reply bar, live and on reload.
	secret := a.postedID(alice, "general", "the butler did it ||it was the cook||", nil)
	s.next("message")
	if got := a.page(bob, "/chat/general/?reply="+itoa(secret)).Find("#reply-bar .reply-text").Text(); got != "the butler did it ▒▒▒▒" {
		t.Errorf("the reply bar shows %q", got)
	}
	a.postForm(bob, "/chat/general/messages", url.Values{"message": {"no!"}, "reply_to": {itoa(secret)}}, false)
	if got := eventMessage(t, s.next("message")).Find(".quote-text").Text(); got != "the butler did it ▒▒▒▒" {
		t.Errorf("the live quote shows %q", got)
	}
	if got := a.page(alice, "/chat/general/").Find("[data-testid=quote] .quote-text").Last().Text(); got != "the butler did it ▒▒▒▒" {
		t.Errorf("the quote on reload shows %q", got)
	}

	// Refusals: bad ids, a message of another room, one that does not exist.
	wantStatus(t, "malformed reply_to", a.postForm(bob, "/chat/general/messages", url.Values{"message": {"x"}, "reply_to": {"one"}}, true), http.StatusBadRequest)
	refused := wantStatus(t, "reply to another room's", a.postForm(bob, "/chat/general/messages", url.Values{"message": {"x"}, "reply_to": {itoa(elsewhere)}}, true), http.StatusNotFound)
	if !strings.Contains(refused, `id="message-form"`) {
		t.Errorf("a refused reply does not come back as the composer: %.200s", refused)
	}
	wantStatus(t, "?reply=one", a.get(bob, "/chat/general/?reply=one"), http.StatusBadRequest)
	wantStatus(t, "?reply=<missing>", a.get(bob, "/chat/general/?reply=999999"), http.StatusNotFound)
	wantStatus(t, "?reply=<other room's>", a.get(bob, "/chat/general/?reply="+itoa(elsewhere)), http.StatusNotFound)
	// Without JavaScript a refused post keeps answering the message.
	tooLong := a.postForm(bob, "/chat/general/messages", url.Values{"message": {strings.Repeat("x", 600)}, "reply_to": {itoa(id)}}, false)
	doc := fragment(t, wantStatus(t, "too long", tooLong, http.StatusBadRequest))
	if doc.Find("#reply-bar input[name=reply_to]").AttrOr("value", "") != itoa(id) {
		t.Error("after a refused post the composer no longer answers the message")
	}
	s.quiet("message", 100*time.Millisecond)
}

// TestMessagePermalink: a message's permalink opens its room around it,
// highlighted, with history both ways and the way to the latest; the
// page's stream carries on from the room's current change.
func TestMessagePermalink(t *testing.T) {
	a := newApp(t, withConfig(func(c *handlers.Config) { c.HistorySize = 10 }))
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	var ids []int64
	for i := range 30 {
		ids = append(ids, a.postedID(alice, "general", fmt.Sprint("m", i), nil))
	}
	target := ids[10]

	resp := a.get(bob, msgPath(target, ""))
	want := "/chat/general/?around=" + itoa(target) + "#msg-" + itoa(target)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("permalink: %d to %q, want %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	page := a.page(bob, "/chat/general/?around="+itoa(target))
	shown := pageMessages(page.Selection)
	if len(shown) != 10 || shown[0].text != "m6" || shown[9].text != "m15" {
		t.Errorf("around m10 the page shows %v, want m6 to m15", shown)
	}
	if hl := page.Find(".msg.highlight"); hl.Length() != 1 || hl.AttrOr("id", "") != "msg-"+itoa(target) {
		t.Errorf("highlighted: %s", outer(hl))
	}
	if page.Find("#load-older-link").AttrOr("href", "") != "/chat/general/messages?before="+itoa(ids[6]) {
		t.Error("no way to older history above")
	}
	if page.Find("#newer-gap #latest-link").AttrOr("href", "") != "/chat/general/" {
		t.Error("no way to the latest below")
	}
	// At the latest there is no gap to jump over.
	if a.page(bob, "/chat/general/?around="+itoa(ids[27])).Find("#newer-gap").Length() != 0 {
		t.Error("a page around a recent message offers a jump to where it already is")
	}

	// The stream carries on from the room's current change.
	cursor := page.Find("#room").AttrOr("data-last-id", "")
	s := a.openStream(bob, "general", "after="+cursor, "")
	a.postForm(alice, msgPath(target, "reactions"), url.Values{"emoji": {"👀"}}, true)
	if ev := eventMessage(t, s.next("message")); ev.AttrOr("data-id", "") != itoa(target) || ev.Find("button.reaction").Length() != 1 {
		t.Errorf("the around page's stream got %s", outer(ev))
	}

	wantStatus(t, "?around=x", a.get(bob, "/chat/general/?around=x"), http.StatusBadRequest)
	wantStatus(t, "?around=<missing>", a.get(bob, "/chat/general/?around=999999"), http.StatusNotFound)
	wantStatus(t, "permalink of a missing message", a.get(bob, msgPath(999999, "")), http.StatusNotFound)
	a.createRoom(alice, "other")
	wantStatus(t, "?around=<other room's>", a.get(bob, "/chat/other/?around="+itoa(target)), http.StatusNotFound)
}

// TestActionsAreRateLimited: edits, deletions and reactions spend the
// posting budget.
func TestActionsAreRateLimited(t *testing.T) {
	a := newApp(t, withLimits(handlers.RateLimits{MessagePerUser: ratelimit.Limit{Events: 4, Per: time.Hour}}))
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(bob, "general") // making a room spends bob's budget, not alice's
	id := a.postedID(alice, "general", "one", nil)
	wantStatus(t, "edit", a.postForm(alice, msgPath(id, "edit"), url.Values{"message": {"two"}}, true), http.StatusOK)
	wantStatus(t, "react", a.postForm(alice, msgPath(id, "reactions"), url.Values{"emoji": {"👍"}}, true), http.StatusOK)
	wantStatus(t, "react again", a.postForm(alice, msgPath(id, "reactions"), url.Values{"emoji": {"👍"}}, true), http.StatusOK)
	for _, try := range []struct {
		path string
		form url.Values
	}{
		{msgPath(id, "edit"), url.Values{"message": {"three"}}},
		{msgPath(id, "reactions"), url.Values{"emoji": {"👍"}}},
		{msgPath(id, "delete"), nil},
	} {
		resp := a.postForm(alice, try.path, try.form, true)
		wantStatus(t, try.path, resp, http.StatusTooManyRequests)
		if resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s: no Retry-After", try.path)
		}
	}
	if got := pageMessages(a.page(alice, "/chat/general/").Selection); len(got) != 1 || got[0].text != "two" || got[0].reactions != "" {
		t.Errorf("after the refusals the room shows %v", got)
	}
}

// TestReactionBurstIsCoalesced: fifty people click 👍 at once. The writer
// folds what piles up into one commit, so the room hears of it a few times,
// not fifty, and the last it hears counts all fifty.
func TestReactionBurstIsCoalesced(t *testing.T) {
	const people = 50
	a := newApp(t)
	alice := a.user("alice")
	a.createRoom(alice, "general")
	id := a.postedID(alice, "general", "we shipped!", nil)
	var clients []*http.Client
	for i := range people {
		clients = append(clients, a.user(fmt.Sprint("fan", i)))
	}
	s := a.openStream(alice, "general", "", "")

	// Hold the database while the clicks arrive, as a busy disk would: the
	// writer's first commit waits, and the rest queue behind it.
	ctx := context.Background()
	tx, err := a.store.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE rooms SET seq = seq WHERE name = 'general'"); err != nil {
		t.Fatal(err)
	}
	var sent, done sync.WaitGroup
	sent.Add(people)
	for _, c := range clients {
		done.Go(func() {
			once := sync.OnceFunc(sent.Done)
			trace := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { once() }})
			req, _ := http.NewRequestWithContext(trace, http.MethodPost, a.srv.URL+msgPath(id, "reactions"), strings.NewReader("emoji=%F0%9F%91%8D"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
			resp, err := c.Do(req)
			once()
			if err != nil {
				t.Error(err)
				return
			}
			if resp.StatusCode != http.StatusOK {
				t.Errorf("react: status %d: %s", resp.StatusCode, readBody(resp))
			}
			resp.Body.Close()
		})
	}
	sent.Wait()
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	done.Wait()

	events := 0
	for {
		ev := eventMessage(t, s.next("message"))
		events++
		if n := ev.Find("button.reaction[data-emoji='👍'] .reaction-count").Text(); n == strconv.Itoa(people) {
			break
		}
	}
	t.Logf("%d updates for %d clicks", events, people)
	if events > people/5 {
		t.Errorf("%d updates for %d clicks; want a handful", events, people)
	}
	s.quiet("message", 100*time.Millisecond)
	btn := a.page(alice, "/chat/general/").Find("button.reaction[data-emoji='👍']")
	if got := btn.Find(".reaction-count").Text(); got != strconv.Itoa(people) {
		t.Errorf("the room counts %s 👍, want %d", got, people)
	}
	if !strings.HasPrefix(btn.AttrOr("title", ""), "fan") || !strings.HasSuffix(btn.AttrOr("title", ""), " and 47 others reacted with 👍") {
		t.Errorf("the reaction's title is %q", btn.AttrOr("title", ""))
	}
}

// TestCrossSiteActionsAreRefused forges each action on a message from
// another site: refused, and the message stays as it was. A link that GETs
// any of their addresses changes nothing either.
func TestCrossSiteActionsAreRefused(t *testing.T) {
	a := newApp(t)
	admin, alice := a.staff("admin"), a.user("alice")
	a.createRoom(alice, "general")
	id := a.postedID(alice, "general", "keep me", nil)
	forged := map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example", "HX-Request": "true"}
	for _, p := range []struct {
		who  *http.Client
		path string
		body string
	}{
		{alice, msgPath(id, "edit"), "message=forged"},
		{alice, msgPath(id, "delete"), ""},
		{admin, msgPath(id, "delete"), ""},
		{alice, msgPath(id, "reactions"), "emoji=%F0%9F%91%8D"},
	} {
		wantStatus(t, "forged "+p.path, a.send(p.who, http.MethodPost, p.path, p.body, forged), http.StatusForbidden)
		for _, get := range []string{p.path, p.path + "?" + p.body} {
			a.send(p.who, http.MethodGet, get, "", map[string]string{"Sec-Fetch-Site": "cross-site"})
		}
	}
	for _, action := range []string{"edit", "delete", "react", "reply", ""} {
		a.get(alice, msgPath(id, action)+"?message=forged&emoji=%F0%9F%91%8D")
	}
	if got := pageMessages(a.page(alice, "/chat/general/").Selection); len(got) != 1 || got[0].text != "keep me" || got[0].edited || got[0].reactions != "" {
		t.Errorf("after the forgeries the room shows %v", got)
	}
}
