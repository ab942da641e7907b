package handlers_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
)

// Streams are served off net/http once set up (stream_conn.go); these tests
// pin down what that must not change.

// stalledStream opens c's stream of room on a raw connection with a tiny
// receive buffer that is never read: a client that accepts nothing.
func stalledStream(t *testing.T, a *testApp, c *http.Client, room string) net.Conn {
	t.Helper()
	u, _ := url.Parse(a.srv.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.(*net.TCPConn).SetReadBuffer(1024)
	var cookies []string
	for _, ck := range c.Jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	fmt.Fprintf(conn, "GET /chat/%s/events HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\n\r\n", room, u.Host, strings.Join(cookies, "; "))
	return conn
}

// fillStalled posts n large messages, more than a stalled client's socket
// buffers hold, so its stream's writes block.
func fillStalled(a *testApp, poster *http.Client, room string, n int) {
	big := strings.Repeat("é", 500) // the longest a message may be
	for range n {
		a.postForm(poster, "/chat/"+room+"/messages", url.Values{"message": {big}}, true)
	}
}

// TestEndedStreamEndsItsBody: a stream ended on purpose (a logout) says to
// come back at once and ends its chunked body properly, so the client reads
// a whole response, not a cut connection.
func TestEndedStreamEndsItsBody(t *testing.T) {
	a := newApp(t)
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/chat/general/events", nil)
	resp, err := alice.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
		t.Fatalf("transfer encoding %v, want chunked", resp.TransferEncoding)
	}
	br := bufio.NewReader(resp.Body)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, "event: unread") {
			break // set up: the sidebar came
		}
	}
	for i := range 3 {
		a.postForm(bob, "/chat/general/messages", url.Values{"message": {fmt.Sprint("live ", i)}}, true)
	}
	if resp := a.postForm(alice, "/accounts/logout/", nil, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: status %d", resp.StatusCode)
	}
	rest, err := io.ReadAll(br)
	if err != nil {
		t.Fatalf("the body did not end properly: %v (after %q)", err, rest)
	}
	for i := range 3 {
		if !strings.Contains(string(rest), fmt.Sprint("live ", i)) {
			t.Errorf("message %d missing from %q", i, rest)
		}
	}
	if !strings.HasSuffix(string(rest), "retry: 100\n\n") {
		t.Errorf("the stream does not end by asking to come back at once: %q", rest)
	}
}

// TestStalledClientIsDropped: a client that accepts nothing for the stream
// write timeout is taken for dead and leaves the online list, although its
// queue never filled and it never hung up.
func TestStalledClientIsDropped(t *testing.T) {
	a := newApp(t, withQueueSize(10000), func(c *handlers.AppConfig) {
		c.Handler.StreamWriteTimeout = 300 * time.Millisecond
	})
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(bob, "general")
	watcher := a.openStream(bob, "general", "", "")
	waitOnline(t, watcher, 1)
	stalledStream(t, a, alice, "general")
	waitOnline(t, watcher, 2)
	fillStalled(a, bob, "general", 100)
	waitOnline(t, watcher, 1)
	if d := a.hub.Stats().Dropped; d != 0 {
		t.Errorf("%d dropped for a full queue: the write timeout was not what ended it", d)
	}
}

// TestCloseEndsTakenOverStreams: http.Server.Shutdown does not wait for
// connections taken over, so App.Close must: a stream that reads gets its
// retry hint and its end, one whose client accepts nothing is cut, and no
// stream goroutine is left behind.
func TestCloseEndsTakenOverStreams(t *testing.T) {
	a := newApp(t, withQueueSize(10000))
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(bob, "general")
	s := a.openStream(bob, "general", "", "")
	waitOnline(t, s, 1)
	stalledStream(t, a, alice, "general")
	waitOnline(t, s, 2)
	fillStalled(a, bob, "general", 100)

	a.hub.Close()
	a.app.Close()
	for range s.events {
	}
	select {
	case r := <-s.retry:
		if r != "2000" {
			t.Errorf("retry %s after a shutdown, want the usual 2000", r)
		}
	default:
		t.Error("no retry hint")
	}
	if n := a.hub.Stats().Streams; n != 0 {
		t.Errorf("%d streams open after Close", n)
	}
	// Close has waited for them; a goroutine may still be returning from
	// its last call (after it said it was done), so look a few times, as
	// goleak does.
	buf := make([]byte, 1<<20)
	for try := 0; ; try++ {
		stacks := string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "handlers.(*detachedStream).") {
			break
		}
		if try == 50 {
			t.Fatalf("stream goroutines left after Close:\n%s", stacks)
		}
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond)
	}
}

// TestHTTP10StreamIsNotChunked: an HTTP/1.0 client gets the stream as the
// raw body up to the connection's close, with no chunk framing in it.
func TestHTTP10StreamIsNotChunked(t *testing.T) {
	a := newApp(t)
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	u, _ := url.Parse(a.srv.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var cookies []string
	for _, ck := range alice.Jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	fmt.Fprintf(conn, "GET /chat/general/events HTTP/1.0\r\nHost: %s\r\nCookie: %s\r\n\r\n", u.Host, strings.Join(cookies, "; "))
	br := bufio.NewReader(conn)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, "event: unread") {
			break
		}
	}
	a.postForm(bob, "/chat/general/messages", url.Values{"message": {"live"}}, true)
	a.postForm(alice, "/accounts/logout/", nil, false)
	rest, err := io.ReadAll(br)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rest), "live") || !strings.HasSuffix(string(rest), "retry: 100\n\n") || strings.Contains(string(rest), "\r\n") {
		t.Errorf("HTTP/1.0 stream: %q", rest)
	}
}
