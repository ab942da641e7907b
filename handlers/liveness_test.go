package handlers_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
)

func withHeartbeat(d time.Duration) appOption {
	return func(c *handlers.AppConfig) { c.Handler.Heartbeat = d }
}

func TestStreamHeadersRetryAndHeartbeat(t *testing.T) {
	a := newApp(t, withHeartbeat(30*time.Millisecond))
	c := a.user("alice")
	a.createRoom(c, "general")
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/chat/general/events", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for k, want := range map[string]string{
		"Content-Type":      "text/event-stream",
		"Cache-Control":     "no-cache",
		"X-Accel-Buffering": "no",
		"Content-Encoding":  "",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	br := bufio.NewReader(resp.Body)
	sawRetry, pings := false, 0
	deadline := time.Now().Add(3 * time.Second)
	for pings < 2 && time.Now().Before(deadline) {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		sawRetry = sawRetry || strings.HasPrefix(line, "retry: ")
		if strings.HasPrefix(line, ":") {
			pings++
		}
	}
	if !sawRetry || pings < 2 {
		t.Errorf("retry hint seen: %v, heartbeats: %d", sawRetry, pings)
	}
}

// A stream whose connection dies without a clean close (a reset, as when a
// laptop sleeps or a proxy drops it) is noticed and its presence released.
func TestDeadConnectionReleasesPresence(t *testing.T) {
	a := newApp(t, withHeartbeat(20*time.Millisecond))
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(bob, "general")
	watcher := a.openStream(bob, "general", "", "")
	watcher.next("presence") // snapshot
	watcher.next("presence") // bob

	u, _ := url.Parse(a.srv.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	var cookies []string
	for _, ck := range alice.Jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	fmt.Fprintf(conn, "GET /chat/general/events HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\n\r\n", u.Host, strings.Join(cookies, "; "))
	status, _ := bufio.NewReader(conn).ReadString('\n')
	if !strings.Contains(status, "200") {
		t.Fatalf("raw stream: %q", status)
	}
	if n := onlineCount(t, watcher.next("presence")); n != 2 {
		t.Fatalf("alice not online: %d", n)
	}
	conn.(*net.TCPConn).SetLinger(0) // close with a reset, not a FIN handshake
	conn.Close()
	ev := watcher.next("presence")
	if n := onlineCount(t, ev); n != 1 || !strings.Contains(ev.Data, "delete") {
		t.Fatalf("after the reset: %d online: %s", n, ev.Data)
	}
}

// A subscriber that stops reading is dropped without delaying the others,
// and resumes by cursor with nothing lost.
func TestSlowClientDroppedAndResumes(t *testing.T) {
	// The queue is roomy enough that the fast subscriber survives a
	// scheduling stall of a few hundred posts (with 16 it was dropped too,
	// one run in ten); the slow one fills it all the same, only later.
	a := newApp(t, withQueueSize(256))
	poster := a.user("poster")
	a.createRoom(poster, "general")
	fast := a.openStream(a.user("fast"), "general", "", "")

	// The slow client opens its stream on a socket with a tiny receive
	// buffer and never reads, so the server's writes soon block.
	slowC := a.user("slow")
	u, _ := url.Parse(a.srv.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(1024)
	var cookies []string
	for _, ck := range slowC.Jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	cursor := lastMessageID(t, a, "general")
	fmt.Fprintf(conn, "GET /chat/general/events?after=%s HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\n\r\n", cursor, u.Host, strings.Join(cookies, "; "))

	// Post until the hub has dropped the slow subscriber, from a few
	// posters at once; the fast subscriber must get every one in order.
	big := strings.Repeat("é", 500)
	posted := 0
	var mu sync.Mutex
	deadline := time.Now().Add(20 * time.Second)
	for a.hub.Stats().Dropped == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("slow subscriber never dropped after %d posts", posted)
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 25 {
					if resp := a.postForm(poster, "/chat/general/messages", url.Values{"message": {big}}, true); resp.StatusCode == 200 {
						mu.Lock()
						posted++
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
	}
	ids := fast.messages(posted)
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("fast subscriber out of order at %d: %d after %d", i, ids[i], ids[i-1])
		}
	}

	// Back again from its cursor, the slow client gets everything.
	back := a.openStream(slowC, "general", "after="+cursor, "")
	if got := back.messages(posted); got[0] != ids[0] || got[len(got)-1] != ids[len(ids)-1] {
		t.Fatalf("resumed %d..%d, want %d..%d", got[0], got[len(got)-1], ids[0], ids[len(ids)-1])
	}
	t.Logf("dropped after %d posts", posted)
}
