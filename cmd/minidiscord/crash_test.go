package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// syncWriter is an output sink safe to read while the server writes it.
type syncWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// roomOnline reads how many are online in room from the rooms page.
func roomOnline(t *testing.T, c *http.Client, base, room string) int {
	t.Helper()
	resp, err := c.Get(base + "/chat/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	n := -1
	doc.Find("[data-testid=room-item]").Each(func(_ int, s *goquery.Selection) {
		if strings.TrimPrefix(strings.TrimSpace(s.Find("a").First().Text()), "#") == room || strings.Contains(s.Find("a").First().Text(), room) {
			if f := strings.Fields(s.Find("[data-testid=room-online]").Text()); len(f) > 0 {
				n, _ = strconv.Atoi(f[0])
			}
		}
	})
	if n < 0 {
		t.Fatalf("the rooms page does not list %s with an online count", room)
	}
	return n
}

// waitOnline waits for the rooms page to show want online in room.
func waitOnline(t *testing.T, c *http.Client, base, room string, want int, when string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := roomOnline(t, c, base, room)
		if n == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d online, want %d", when, n, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// openEvents opens room's stream and sends the ids of the message events
// it reads to ids until it ends.
func openEvents(t *testing.T, ctx context.Context, c *http.Client, base, room string) <-chan int64 {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/chat/"+room+"/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	sc := *c
	sc.Timeout = 0
	resp, err := sc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("stream: status %d", resp.StatusCode)
	}
	ids := make(chan int64, 100_000)
	go func() {
		defer close(ids)
		defer resp.Body.Close()
		br := bufio.NewReader(resp.Body)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "id: "); ok {
				if id, err := strconv.ParseInt(v, 10, 64); err == nil {
					ids <- id
				}
			}
		}
	}()
	return ids
}

// TestCrashKeepsAcknowledgedPostsOnce kills the server with SIGKILL while
// four users post and a stream is open, restarts it on the same database,
// and checks that every post answered 2xx is stored exactly once, every
// message a viewer was sent is stored, and presence starts again from
// nobody: the killed stream leaves no ghost.
func TestCrashKeepsAcknowledgedPostsOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Parallel()
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "chat.db")
	s := startServer(t, bin, db)
	watcher := s.login(t, "watcher")
	s.createRoom(t, watcher, "general")
	if n := roomOnline(t, watcher, s.base, "general"); n != 0 {
		t.Fatalf("before any stream: %d online", n)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	seen := openEvents(t, ctx, watcher, s.base, "general")
	waitOnline(t, watcher, s.base, "general", 1, "before the crash, with a stream open")

	var mu sync.Mutex
	acked := map[string]bool{}
	var wg sync.WaitGroup
	for p := range 4 {
		c := s.login(t, fmt.Sprint("poster", p))
		wg.Go(func() {
			for i := 0; ; i++ {
				text := fmt.Sprintf("p%d-%d", p, i)
				status, err := s.post(c, "general", text)
				if err != nil {
					return // the server is gone
				}
				if status/100 == 2 {
					mu.Lock()
					acked[text] = true
					mu.Unlock()
				} else {
					t.Errorf("post %s: status %d", text, status)
					return
				}
			}
		})
	}
	// Kill once posts are flowing.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 40 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d posts acknowledged in 20 s", n)
		}
	}
	if err := s.cmd.Process.Kill(); err != nil { // SIGKILL: no shutdown at all
		t.Fatal(err)
	}
	s.cmd.Wait()
	wg.Wait()
	var sent []int64
	for id := range seen {
		sent = append(sent, id)
	}
	t.Logf("killed with %d posts acknowledged and %d delivered", len(acked), len(sent))

	// Same database, new process.
	s2 := startServer(t, bin, db)
	if n := roomOnline(t, watcher, s2.base, "general"); n != 0 {
		t.Errorf("after the restart %d online before any stream opened, want 0 (a ghost)", n)
	}
	ctx2, cancel2 := context.WithCancel(t.Context())
	defer cancel2()
	openEvents(t, ctx2, watcher, s2.base, "general")
	waitOnline(t, watcher, s2.base, "general", 1, "after the restart with one stream open")
	// A second stream of the same user is the same person, and still no
	// one from before the crash comes back.
	openEvents(t, ctx2, watcher, s2.base, "general")
	for range 5 {
		time.Sleep(100 * time.Millisecond) // presence changes gather for 100 ms
		if n := roomOnline(t, watcher, s2.base, "general"); n != 1 {
			t.Fatalf("two streams of one user after the restart: %d online, want 1", n)
		}
	}
	// The restarted server takes posts.
	if resp, err := watcher.PostForm(s2.base+"/chat/general/messages", url.Values{"message": {"after the crash"}}); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("post after restart: %v %v", resp, err)
	}

	msgs := storedMessages(t, db, "general")
	stored := map[string]int{}
	ids := map[int64]bool{}
	for _, m := range msgs {
		stored[m.Content]++
		ids[m.ID] = true
	}
	for text := range acked {
		if stored[text] != 1 {
			t.Errorf("acknowledged post %q stored %d times", text, stored[text])
		}
	}
	for text, n := range stored {
		if n != 1 {
			t.Errorf("%q stored %d times", text, n)
		}
	}
	for _, id := range sent {
		if !ids[id] {
			t.Errorf("message %d was sent to a viewer but is not stored", id)
		}
	}
	if stored["after the crash"] != 1 {
		t.Error("the post after the restart is not stored")
	}
}

// TestServerBoundsHeaders runs the real server: a header block over its
// 64 KiB limit is refused with 431, a 60 KB garbage cookie is just an
// anonymous visitor, and a client that never finishes its headers is cut
// off by ReadHeaderTimeout (10 s).
func TestServerBoundsHeaders(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary, and waits out the header timeout")
	}
	t.Parallel()
	s := startServer(t, buildBinary(t), filepath.Join(t.TempDir(), "chat.db"))

	for _, tc := range []struct {
		name   string
		size   int
		status int
	}{
		{"60 KB cookie", 60_000, http.StatusOK},
		{"100 KB cookie", 100_000, http.StatusRequestHeaderFieldsTooLarge},
		{"1 MB cookie", 1 << 20, http.StatusRequestHeaderFieldsTooLarge},
	} {
		req, _ := http.NewRequest(http.MethodGet, s.base+"/", nil)
		req.Header.Set("Cookie", "minidiscord_session="+strings.Repeat("A", tc.size))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, resp.StatusCode, tc.status)
		}
		if tc.status == http.StatusOK && !strings.Contains(string(body), "anonymous") {
			t.Errorf("%s: not shown as an anonymous visitor", tc.name)
		}
	}

	conn, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	// Keep trickling a byte a second, as a slow-loris client does.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Second):
				if _, err := conn.Write([]byte("a")); err != nil {
					return
				}
			}
		}
	}()
	b, err := io.ReadAll(conn)
	took := time.Since(start)
	if took > 15*time.Second {
		t.Errorf("a slow header held the connection %v (err %v)", took, err)
	}
	if strings.Contains(string(b), "200 OK") {
		t.Errorf("a request whose headers never ended was answered: %q", b)
	}
}
