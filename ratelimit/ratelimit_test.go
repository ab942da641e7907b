package ratelimit_test

import (
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/ratelimit"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]ratelimit.Limit{
		"10/3m": {10, 3 * time.Minute}, "1/1s": {1, time.Second}, " 5/1h ": {5, time.Hour},
		"off": {}, "0": {},
	} {
		got, err := ratelimit.Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
		if again, err := ratelimit.Parse(got.String()); err != nil || again != got {
			t.Errorf("%v does not round-trip: %v, %v", got, again, err)
		}
	}
	for _, bad := range []string{"", "10", "10/", "/3m", "-1/3m", "10/-3m", "10/0s", "ten/3m", "10/3 minutes", "10/3m/2"} {
		if _, err := ratelimit.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
