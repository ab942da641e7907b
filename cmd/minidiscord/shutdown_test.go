package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/models"
)

// server is the real binary running on a free loopback port.
type server struct {
	cmd  *exec.Cmd
	base string
	out  *strings.Builder
}

// buildBinary builds the binary once per test run and shares it: a link
// takes seconds, and tests that run it in parallel only read it.
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "minidiscord-bin-")
		if err != nil {
			built.err = err
			return
		}
		built.dir = dir
		built.path = filepath.Join(dir, "minidiscord")
		if out, err := exec.Command("go", "build", "-o", built.path, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

var built struct {
	once      sync.Once
	dir, path string
	err       error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startServer(t *testing.T, bin, db string) *server {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "-addr", addr, "-db", db, "-bcrypt-cost", "4", "-leave-grace", "0s")
	cmd.Env = append(os.Environ(), "MINIDISCORD_RATE_LIMITS=off")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, base: "http://" + addr, out: &out}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(10 * time.Second); ; {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// createRoom makes a room on s with the create-or-join form, as a person
// would, and opens it.
func (s *server) createRoom(t *testing.T, c *http.Client, room string) {
	t.Helper()
	resp, err := c.PostForm(s.base+"/chat/", url.Values{"room": {room}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/chat/"+room+"/" {
		t.Fatalf("create room %s: %d at %s, want the room", room, resp.StatusCode, resp.Request.URL)
	}
}

// login signs up and logs in a user on s.
func (s *server) login(t *testing.T, name string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	pw := "correct horse " + name
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{"/user/signup/", url.Values{"username": {name}, "password1": {pw}, "password2": {pw}}},
		{"/accounts/login/", url.Values{"username": {name}, "password": {pw}}},
	} {
		resp, err := c.PostForm(s.base+step.path, step.form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", step.path, resp.StatusCode)
		}
	}
	return c
}

// post sends a message as the page's htmx form does and returns the status.
func (s *server) post(c *http.Client, room, text string) (int, error) {
	req, _ := http.NewRequest(http.MethodPost, s.base+"/chat/"+room+"/messages", strings.NewReader(url.Values{"message": {text}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// storedMessages reads a room's messages from the database file, as the
// server left it.
func storedMessages(t *testing.T, db, room string) []models.Message {
	t.Helper()
	store, err := models.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	r, err := store.RoomByName(t.Context(), room)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := store.MessagesAfterID(t.Context(), r.ID, 0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// TestShutdownKeepsEveryAcknowledgedPost sends SIGTERM while clients post
// and streams are open: streams end with a reconnect hint, the process
// exits within 10 s, and every post that was answered 2xx is stored.
func TestShutdownKeepsEveryAcknowledgedPost(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Parallel()
	db := filepath.Join(t.TempDir(), "chat.db")
	s := startServer(t, buildBinary(t), db)
	c := s.login(t, "alice")
	s.createRoom(t, c, "general")

	stream, err := c.Get(s.base + "/chat/general/events")
	if err != nil {
		t.Fatal(err)
	}
	streamEnd := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(bufio.NewReader(stream.Body))
		streamEnd <- string(b)
	}()

	var mu sync.Mutex
	acked := map[string]bool{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for p := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				text := fmt.Sprintf("p%d-%d", p, i)
				status, err := s.post(c, "general", text)
				if err != nil {
					return // the server has gone
				}
				if status == http.StatusOK {
					mu.Lock()
					acked[text] = true
					mu.Unlock()
				}
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	s.cmd.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, s.out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running 10 s after SIGTERM\n%s", s.out.String())
	}
	took := time.Since(start).Round(time.Millisecond)
	close(stop)
	wg.Wait()
	t.Logf("exited %v after SIGTERM with %d posts acknowledged", took, len(acked))

	select {
	case body := <-streamEnd:
		if !strings.HasSuffix(strings.TrimSpace(body), "retry: 2000") {
			t.Errorf("stream did not end with a reconnect hint: ...%q", body[max(0, len(body)-80):])
		}
	case <-time.After(2 * time.Second):
		t.Fatal("stream still open after exit")
	}

	msgs := storedMessages(t, db, "general")
	stored := map[string]int{}
	for _, m := range msgs {
		stored[m.Content]++
	}
	if len(acked) == 0 {
		t.Fatal("no post was acknowledged before the shutdown")
	}
	for text := range acked {
		if stored[text] != 1 {
			t.Errorf("acknowledged post %q stored %d times", text, stored[text])
		}
	}
}
