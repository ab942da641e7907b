package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time      { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t = c.t.Add(d) }
func newTestLimiter(l RateLimit, maxKeys int) (*MemoryLimiter, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m := NewMemoryLimiter(l, maxKeys)
	m.now = clock.now
	return m, clock
}

func TestMemoryLimiterBurstThenRate(t *testing.T) {
	m, clock := newTestLimiter(RateLimit{Events: 10, Per: 3 * time.Minute}, 100)
	for i := range 10 {
		if ok, _, _ := m.Allow(t.Context(), "k"); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	ok, wait, err := m.Allow(t.Context(), "k")
	if ok || err != nil || wait != 18*time.Second {
		t.Fatalf("11th: ok=%v wait=%v err=%v, want refused for 18s", ok, wait, err)
	}
	// Refused attempts cost nothing: waiting the time said is enough.
	for range 5 {
		m.Allow(t.Context(), "k")
	}
	clock.add(18 * time.Second)
	if ok, _, _ := m.Allow(t.Context(), "k"); !ok {
		t.Fatal("refused after waiting Retry-After")
	}
	if ok, _, _ := m.Allow(t.Context(), "k"); ok {
		t.Fatal("a second attempt got through on one refilled token")
	}
	if ok, _, _ := m.Allow(t.Context(), "other"); !ok {
		t.Fatal("another key was refused")
	}
}

// TestMemoryLimiterForgetsIdleKeys: a key whose bucket has refilled is
// dropped (it would behave as a fresh one anyway), so a stream of one-off
// keys does not grow memory.
func TestMemoryLimiterForgetsIdleKeys(t *testing.T) {
	m, clock := newTestLimiter(RateLimit{Events: 10, Per: time.Minute}, 1_000_000)
	for i := range 1000 {
		m.Allow(t.Context(), fmt.Sprint("ip", i))
		clock.add(time.Second)
	}
	if n := m.Len(); n > 61 {
		t.Errorf("%d keys kept, want only those seen in the last minute", n)
	}
	// A key still refilling is kept, with its state: after 30 s, 5 of its
	// 10 tokens are back, not all 10.
	for range 10 {
		m.Allow(t.Context(), "busy")
	}
	clock.add(30 * time.Second)
	m.Allow(t.Context(), "someone else") // forgets what has refilled
	allowed := 0
	for range 10 {
		if ok, _, _ := m.Allow(t.Context(), "busy"); ok {
			allowed++
		}
	}
	if allowed != 5 {
		t.Errorf("after 30 s the busy key got %d attempts, want 5", allowed)
	}
}

// TestMemoryLimiterBounded: never more than maxKeys, however many keys
// arrive at once; the least recently used goes first.
func TestMemoryLimiterBounded(t *testing.T) {
	m, _ := newTestLimiter(RateLimit{Events: 1, Per: time.Hour}, 100)
	m.Allow(t.Context(), "victim")
	for i := range 10_000 {
		m.Allow(t.Context(), fmt.Sprint("flood", i))
		if i%10 == 0 {
			m.Allow(t.Context(), "victim") // recently used: kept
		}
		if n := m.Len(); n > 100 {
			t.Fatalf("%d keys tracked, bound is 100", n)
		}
	}
	if ok, _, _ := m.Allow(t.Context(), "victim"); ok {
		t.Error("the active key was forgotten and its limit reset")
	}
}

func TestParseRateLimit(t *testing.T) {
	for in, want := range map[string]RateLimit{
		"10/3m": {10, 3 * time.Minute}, "1/1s": {1, time.Second}, " 5/1h ": {5, time.Hour},
		"off": {}, "0": {},
	} {
		got, err := ParseRateLimit(in)
		if err != nil || got != want {
			t.Errorf("ParseRateLimit(%q) = %v, %v; want %v", in, got, err, want)
		}
		if again, err := ParseRateLimit(got.String()); err != nil || again != got {
			t.Errorf("%v does not round-trip: %v, %v", got, again, err)
		}
	}
	for _, bad := range []string{"", "10", "10/", "/3m", "-1/3m", "10/-3m", "10/0s", "ten/3m", "10/3 minutes", "10/3m/2"} {
		if _, err := ParseRateLimit(bad); err == nil {
			t.Errorf("ParseRateLimit(%q) accepted", bad)
		}
	}
}

// TestClientKey: the peer's address, IPv4-mapped IPv6 unwrapped, IPv6 by
// its /64; X-Forwarded-For only from a trusted proxy.
func TestClientKey(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	for _, tc := range []struct {
		remote, xff string
		trusted     []string
		want        string
	}{
		{"203.0.113.9:1234", "", nil, "203.0.113.9"},
		{"[::ffff:203.0.113.9]:1234", "", nil, "203.0.113.9"},
		{"[2001:db8:1:2:aaaa::1]:1234", "", nil, "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:bbbb::7]:1234", "", nil, "2001:db8:1:2::/64"},
		{"203.0.113.9:1234", "198.51.100.1", nil, "203.0.113.9"},
		{"127.0.0.1:1234", "198.51.100.1", []string{"127.0.0.1"}, "198.51.100.1"},
		{"127.0.0.1:1234", "198.51.100.1, 127.0.0.1", []string{"127.0.0.0/8"}, "198.51.100.1"},
		{"10.0.0.5:1234", "198.51.100.1", []string{"127.0.0.1"}, "10.0.0.5"},
	} {
		r := gin.New()
		h := &Handler{cfg: Config{TrustedProxies: tc.trusted}}
		h.trustProxies(r)
		var got string
		r.GET("/", func(c *gin.Context) { got = clientKey(c) })
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = tc.remote
		if tc.xff != "" {
			req.Header.Set("X-Forwarded-For", tc.xff)
		}
		r.ServeHTTP(httptest.NewRecorder(), req)
		if got != tc.want {
			t.Errorf("remote %s, XFF %q, trusted %v: key %q, want %q", tc.remote, tc.xff, tc.trusted, got, tc.want)
		}
	}
}
