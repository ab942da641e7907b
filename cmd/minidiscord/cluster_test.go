package main

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/models/modelstest"
	"github.com/minidiscord/minidiscord/realtime/cluster/clustertest"
)

// TestSessionKeySharedThroughPostgres: with no MINIDISCORD_SESSION_KEY,
// every instance on one PostgreSQL database signs cookies with one key.
func TestSessionKeySharedThroughPostgres(t *testing.T) {
	ctx := context.Background()
	dsn := modelstest.PostgresDSN(t)
	var keys [][]byte
	for range 2 {
		store, err := models.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		key, err := store.SessionKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
	}
	if len(keys[0]) != 64 || string(keys[0]) != string(keys[1]) {
		t.Fatalf("keys differ or are short: %x, %x", keys[0], keys[1])
	}
}

// TestTwoInstances runs the binary twice on one PostgreSQL database and
// one Redis: a login made on A is valid on B, and a stream on B gets what
// is posted on A.
func TestTwoInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dsn := modelstest.PostgresDSN(t)
	t.Setenv("MINIDISCORD_BROKER", clustertest.RedisURL(t))
	bin := buildBinary(t)
	a, b := startServer(t, bin, dsn), startServer(t, bin, dsn)
	c := a.login(t, "alice")
	b.createRoom(t, c, "general") // logged in on A

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/chat/general/events", nil)
	sc := *c
	sc.Timeout = 0
	stream, err := sc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stream.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	waitLine(t, lines, "event: presence") // the stream is open

	post, err := c.PostForm(a.base+"/chat/general/messages", url.Values{"message": {"from A"}})
	if err != nil {
		t.Fatal(err)
	}
	post.Body.Close()
	waitLine(t, lines, "event: message")
	if l := waitLine(t, lines, "data:"); !strings.Contains(l, "from A") {
		t.Fatalf("B's stream got %q", l)
	}
}

func waitLine(t *testing.T, lines <-chan string, prefix string) string {
	t.Helper()
	for l := range lines {
		if strings.HasPrefix(l, prefix) && (prefix != "data:" || strings.Contains(l, "message-content")) {
			return l
		}
	}
	t.Fatalf("stream ended before a %q line", prefix)
	return ""
}
