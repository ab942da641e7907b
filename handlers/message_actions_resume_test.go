package handlers_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// TestResumeCoversEveryActionOverHTTP is TestResumeCoversEveryChange made
// the way people make changes: through the forms, by two people. While
// bob's stream is away a message is edited, one reacted to, one deleted,
// one posted and one answered; when it resumes, his page ends up as a
// fresh load draws it.
func TestResumeCoversEveryActionOverHTTP(t *testing.T) {
	a := newApp(t)
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	var ids []int64
	for _, text := range []string{"one", "two", "three"} {
		ids = append(ids, a.postedID(alice, "general", text, nil))
	}
	before := a.page(bob, "/chat/general/")
	cursor := before.Find("#room").AttrOr("data-last-id", "")
	page := pageMessages(before.Selection)

	for i, step := range []struct {
		who  *http.Client
		path string
		form url.Values
	}{
		{alice, msgPath(ids[0], "edit"), url.Values{"message": {"one, edited"}}},
		{bob, msgPath(ids[1], "reactions"), url.Values{"emoji": {"🎉"}}},
		{alice, msgPath(ids[1], "reactions"), url.Values{"emoji": {"🎉"}}},
		{alice, msgPath(ids[2], "delete"), nil},
		{alice, "/chat/general/messages", url.Values{"message": {"four"}}},
		{bob, "/chat/general/messages", url.Values{"message": {"re: one"}, "reply_to": {itoa(ids[0])}}},
	} {
		// Half with JavaScript, half without: the same change either way.
		htmx, want := i%2 == 1, http.StatusSeeOther
		if htmx {
			want = http.StatusOK
		}
		if resp := a.postForm(step.who, step.path, step.form, htmx); resp.StatusCode != want {
			t.Fatalf("%s: status %d: %s", step.path, resp.StatusCode, readBody(resp))
		}
	}

	s := a.openStream(bob, "general", "after="+cursor, "")
	head, err := a.store.RoomSeq(t.Context(), mustRoom(t, a, "general"))
	if err != nil {
		t.Fatal(err)
	}
	for last := int64(0); last < head; {
		ev := s.next("message")
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(ev.Data))
		if err != nil {
			t.Fatal(err)
		}
		art := doc.Find("article.msg")
		id, _ := strconv.ParseInt(art.AttrOr("data-id", ""), 10, 64)
		i := slices.IndexFunc(page, func(m shownMessage) bool { return m.id == id })
		switch _, gone := art.Attr("data-deleted"); {
		case gone && i >= 0:
			page = slices.Delete(page, i, i+1)
		case gone:
		case i >= 0:
			page[i] = pageMessages(doc.Selection)[0]
		default:
			page = append(page, pageMessages(doc.Selection)[0])
		}
		if last, err = strconv.ParseInt(ev.ID, 10, 64); err != nil {
			t.Fatalf("event without a cursor: %+v", ev)
		}
	}
	fresh := pageMessages(a.page(bob, "/chat/general/").Selection)
	if !slices.Equal(page, fresh) {
		t.Fatalf("after resuming the page shows\n%v\nbut a reload shows\n%v", page, fresh)
	}
	if len(fresh) != 4 || fresh[0].text != "one, edited" || !fresh[0].edited ||
		!strings.HasPrefix(fresh[1].reactions, "🎉 2") || fresh[3].quote != "Reply to alice one, edited" {
		t.Fatalf("the reload itself is not what was done: %v", fresh)
	}
	s.quiet("message", 100*time.Millisecond)
}

func mustRoom(t *testing.T, a *testApp, name string) int64 {
	t.Helper()
	r, err := a.store.RoomByName(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}
