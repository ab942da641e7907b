package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Many people opening the room at once: every update stays small, and the
// list is right at the end, for people already there and for a new page.
func TestPresenceManyJoinsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("opens hundreds of streams")
	}
	const n = 300
	// Room in every queue for all the joins: under the race detector a
	// stream's writer can fall behind 300 arrivals, and a stream dropped for
	// being slow (which this test does not reconnect) would leave the list.
	a := newApp(t, withQueueSize(1024))
	first := a.user("first")
	a.createRoom(first, "general")
	watcher := a.openStream(first, "general", "", "")
	watcher.next("presence") // the empty snapshot

	clients := make([]*http.Client, n)
	for i := range clients {
		clients[i] = a.user(fmt.Sprintf("user%03d", i))
	}
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() { a.openStream(c, "general", "", "") })
	}
	wg.Wait()

	// Apply the watcher's deltas until everyone is in.
	online := map[string]bool{}
	biggest, updates := 0, 0
	for len(online) < n+1 {
		ev := watcher.next("presence")
		updates++
		biggest = max(biggest, len(ev.Data)/max(1, strings.Count(ev.Data, "data-testid=\"online-member\"")))
		doc := fragment(t, ev.Data)
		doc.Find("[data-testid=online-member]").Each(func(_ int, s *goquery.Selection) { online[s.Text()] = true })
		if c := onlineCount(t, ev); c != len(online) {
			t.Fatalf("count %d but %d names after %d updates", c, len(online), updates)
		}
	}
	if updates > n/2 {
		t.Errorf("%d presence updates for %d joins: not coalesced", updates, n)
	}
	if biggest > 600 {
		t.Errorf("an update costs %d bytes per member: it grows with the room", biggest)
	}
	fresh := a.openStream(a.user("late"), "general", "", "")
	if got := fragment(t, fresh.next("presence").Data).Find("[data-testid=online-member]").Length(); got != n+1 {
		t.Errorf("a new page's list has %d people, want %d", got, n+1)
	}
	t.Logf("%d joins reached the watcher in %d updates", n, updates)
}
