package handlers

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

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
