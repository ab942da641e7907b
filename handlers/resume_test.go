package handlers_test

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestResumeAfterReconnect(t *testing.T) {
	for _, how := range []string{"Last-Event-ID", "after"} {
		t.Run(how, func(t *testing.T) {
			a := newApp(t)
			alice, bob := a.user("alice"), a.user("bob")
			a.get(alice, "/chat/general/")
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
	a.get(alice, "/chat/general/")
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
	a.get(owner, "/chat/general/")
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
