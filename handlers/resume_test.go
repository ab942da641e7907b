package handlers_test

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/minidiscord/minidiscord/models"
)

func TestResumeAfterReconnect(t *testing.T) {
	for _, how := range []string{"Last-Event-ID", "after"} {
		t.Run(how, func(t *testing.T) {
			a := newApp(t)
			alice, bob := a.user("alice"), a.user("bob")
			a.createRoom(alice, "general")
			s := a.openStream(bob, "general", "", "")
			a.postForm(alice, "/chat/general/messages", url.Values{"message": {"before"}}, true)
			seen := s.messages(1)[0]
			s.close()

			var want []int64
			for i := range 5 {
				a.postForm(alice, "/chat/general/messages", url.Values{"message": {fmt.Sprint("missed ", i)}}, true)
			}
			for i := range 5 {
				want = append(want, seen+1+int64(i))
			}
			cursor := strconv.FormatInt(seen, 10)
			var s2 *stream
			if how == "Last-Event-ID" {
				s2 = a.openStream(bob, "general", "", cursor)
			} else {
				s2 = a.openStream(bob, "general", "after="+cursor, "")
			}
			if got := s2.messages(5); !slices.Equal(got, want) {
				t.Fatalf("resumed %v, want %v", got, want)
			}
			a.postForm(alice, "/chat/general/messages", url.Values{"message": {"live"}}, true)
			if got := s2.messages(1)[0]; got != want[4]+1 {
				t.Fatalf("live message id %d, want %d", got, want[4]+1)
			}
			s2.quiet("message", 100*time.Millisecond)
		})
	}
}

func TestResumeAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	store := openStore(t, dir+"/chat.db")
	a := startApp(t, store)
	alice := a.user("alice")
	a.createRoom(alice, "general")
	a.postForm(alice, "/chat/general/messages", url.Values{"message": {"one"}}, true)
	s := a.openStream(alice, "general", "after=0", "")
	seen := s.messages(1)[0]
	a.stop()
	for range s.events {
	}

	// Same database, new server: the cursor still works.
	b := startApp(t, store)
	c := b.user("carol")
	for range 3 {
		b.postForm(c, "/chat/general/messages", url.Values{"message": {"while away"}}, true)
	}
	s2 := b.openStream(c, "general", "", strconv.FormatInt(seen, 10))
	if got := s2.messages(3); !slices.Equal(got, []int64{seen + 1, seen + 2, seen + 3}) {
		t.Fatalf("after restart resumed %v", got)
	}
}

func TestOrderUnderConcurrentPosters(t *testing.T) {
	a := newApp(t)
	const posters, each = 8, 25
	owner := a.user("owner")
	a.createRoom(owner, "general")
	watchers := []*stream{a.openStream(owner, "general", "", ""), a.openStream(a.user("watcher"), "general", "", "")}
	var wg sync.WaitGroup
	for p := range posters {
		c := a.user(fmt.Sprint("poster", p))
		wg.Go(func() {
			for i := range each {
				resp := a.postForm(c, "/chat/general/messages", url.Values{"message": {fmt.Sprint(p, "-", i)}}, true)
				if resp.StatusCode != 200 {
					t.Errorf("post: status %d: %s", resp.StatusCode, readBody(resp))
				}
			}
		})
	}
	wg.Wait()
	for _, w := range watchers {
		ids := w.messages(posters * each)
		if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
			t.Fatalf("ids not strictly increasing: %v", ids)
		}
	}
	if n := a.countMessages("general"); n != posters*each {
		t.Fatalf("%d stored, want %d", n, posters*each)
	}
}

// TestResumeCoversEveryChange: a page that was away while a message was
// edited, one reacted to, one deleted, one posted and one answered ends up,
// once its stream resumes, exactly as a fresh load of the room draws it.
func TestResumeCoversEveryChange(t *testing.T) {
	a := newApp(t)
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	for _, text := range []string{"one", "two", "three"} {
		a.postForm(alice, "/chat/general/messages", url.Values{"message": {text}}, true)
	}
	before := a.page(bob, "/chat/general/")
	cursor, _ := before.Find("#room").Attr("data-last-id")
	page := pageMessages(before.Selection)
	if len(page) != 3 {
		t.Fatalf("page shows %d messages, want 3", len(page))
	}

	// Bob is away: every kind of change happens.
	ctx := t.Context()
	room, err := a.store.RoomByName(ctx, "general")
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.store.UserByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	w := a.store.NewWriter(func([]*models.Message) {})
	defer w.Close()
	ids := []int64{page[0].id, page[1].id, page[2].id}
	if _, err := w.Edit(ctx, room.ID, ids[0], u.ID, "one, edited"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.React(ctx, room.ID, ids[1], u.ID, "🎉"); err != nil {
		t.Fatal(err)
	}
	if err := w.Delete(ctx, room.ID, ids[2]); err != nil {
		t.Fatal(err)
	}
	a.postForm(alice, "/chat/general/messages", url.Values{"message": {"four"}}, true)
	if err := w.Post(ctx, &models.Message{RoomID: room.ID, UserID: u.ID, User: u, Content: "re: one", CreatedAt: time.Now().UTC(), ReplyToID: ids[0]}); err != nil {
		t.Fatal(err)
	}
	head, err := a.store.RoomSeq(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}

	// Bob comes back: apply what the stream replays as the page's script
	// does (put each message in its place; a tombstone removes it).
	s := a.openStream(bob, "general", "after="+cursor, "")
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
	if len(fresh) != 4 || fresh[0].text != "one, edited" || !fresh[0].edited || fresh[1].reactions == "" || fresh[3].quote == "" {
		t.Fatalf("the reload itself is not what was done: %v", fresh)
	}
	s.quiet("message", 100*time.Millisecond)
}

// shownMessage is what a reader sees of a message.
type shownMessage struct {
	id               int64
	author, text     string
	edited           bool
	reactions, quote string
}

func pageMessages(s *goquery.Selection) []shownMessage {
	var out []shownMessage
	s.Find("article.msg[data-id]").Each(func(_ int, m *goquery.Selection) {
		id, _ := strconv.ParseInt(m.AttrOr("data-id", ""), 10, 64)
		out = append(out, shownMessage{
			id:        id,
			author:    m.Find("[data-testid=message-author]").Text(),
			text:      m.Find("[data-testid=message-content]").Text(),
			edited:    m.Find("[data-testid=edited]").Length() > 0,
			reactions: strings.Join(strings.Fields(m.Find("[data-testid=reactions]").Text()), " "),
			quote:     strings.Join(strings.Fields(m.Find("[data-testid=quote]").Text()), " "),
		})
	})
	return out
}
