package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/ratelimit"
)

func env(kv ...string) func(string) string {
	return func(k string) string {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == k {
				return kv[i+1]
			}
		}
		return ""
	}
}

// TestRateLimitSettings: the server starts from the default limits; each
// can be changed by flag or environment, and MINIDISCORD_RATE_LIMITS=off
// turns them all off.
func TestRateLimitSettings(t *testing.T) {
	var stderr bytes.Buffer
	cfg, err := parseServeFlags(nil, env(), &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.limits != handlers.DefaultRateLimits() || cfg.limitsOff || cfg.proxies != nil {
		t.Errorf("defaults: limits %+v off %v proxies %v", cfg.limits, cfg.limitsOff, cfg.proxies)
	}

	cfg, err = parseServeFlags([]string{"-message-limit", "5/1s", "-login-ip-limit", "off", "-typing-limit", "1/3s", "-webhook-limit", "2/1m"}, env("MINIDISCORD_SIGNUP_LIMIT", "3/24h", "MINIDISCORD_READ_LIMIT", "off"), &stderr)
	if err != nil {
		t.Fatal(err)
	}
	want := handlers.DefaultRateLimits()
	want.MessagePerUser = ratelimit.Limit{Events: 5, Per: time.Second}
	want.LoginPerIP = ratelimit.Limit{}
	want.SignupPerIP = ratelimit.Limit{Events: 3, Per: 24 * time.Hour}
	want.TypingPerUser = ratelimit.Limit{Events: 1, Per: 3 * time.Second}
	want.ReadPerUser = ratelimit.Limit{}
	want.WebhookPerHook = ratelimit.Limit{Events: 2, Per: time.Minute}
	if cfg.limits != want {
		t.Errorf("set limits: %+v, want %+v", cfg.limits, want)
	}

	for _, how := range []struct {
		args []string
		env  func(string) string
	}{
		{nil, env("MINIDISCORD_RATE_LIMITS", "off")},
		{[]string{"-rate-limits", "off", "-message-limit", "5/1s"}, env()},
	} {
		cfg, err = parseServeFlags(how.args, how.env, &stderr)
		if err != nil {
			t.Fatal(err)
		}
		if !cfg.limitsOff || cfg.limits != (handlers.RateLimits{}) {
			t.Errorf("off (%v): limits %+v off %v", how.args, cfg.limits, cfg.limitsOff)
		}
	}

	for _, bad := range [][]string{
		{"-rate-limits", "maybe"}, {"-message-limit", "fast"}, {"-login-account-limit", "10/0s"},
		{"-trusted-proxies", "proxy.example"}, {"-trusted-proxies", "10.0.0.1,300.1.1.1"},
	} {
		if _, err := parseServeFlags(bad, env(), &stderr); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if _, err := parseServeFlags(nil, env("MINIDISCORD_MESSAGE_LIMIT", "lots"), &stderr); err == nil {
		t.Error("a bad MINIDISCORD_MESSAGE_LIMIT was accepted")
	}
}

func TestTrustedProxiesSetting(t *testing.T) {
	var stderr bytes.Buffer
	cfg, err := parseServeFlags([]string{"-trusted-proxies", " 10.0.0.1, 192.168.0.0/16 ,::1"}, env(), &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"10.0.0.1", "192.168.0.0/16", "::1"}; !slices.Equal(cfg.proxies, want) {
		t.Errorf("proxies %q, want %q", cfg.proxies, want)
	}
	cfg, _ = parseServeFlags(nil, env("MINIDISCORD_TRUSTED_PROXIES", "127.0.0.1"), &stderr)
	if !slices.Equal(cfg.proxies, []string{"127.0.0.1"}) {
		t.Errorf("proxies from the environment: %q", cfg.proxies)
	}
}

// TestHelpDocumentsSecuritySettings: -h names every security setting and
// its environment variable.
func TestHelpDocumentsSecuritySettings(t *testing.T) {
	var stderr bytes.Buffer
	if _, err := parseServeFlags([]string{"-h"}, env(), &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, w := range []string{"-rate-limits", "MINIDISCORD_RATE_LIMITS", "-login-ip-limit", "-login-account-limit", "-signup-limit", "-message-limit", "-read-limit", "-typing-limit", "-upload-limit", "-max-file-size", "-upload-quota", "-trusted-proxies", "MINIDISCORD_TRUSTED_PROXIES", "-secure-cookies", "-session-ttl"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("-h does not mention %s", w)
		}
	}
}

// TestRateLimitsOffIsLogged: turning the limits off says so in the log.
func TestRateLimitsOffIsLogged(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncWriter
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "x.db")}, env("MINIDISCORD_RATE_LIMITS", "off"), nil, &out, &out)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "serving") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "level=WARN") || !strings.Contains(out.String(), "rate limits are off") {
		t.Errorf("no warning that the limits are off:\n%s", out.String())
	}
}

// TestBadSettingsStopTheStart: a value that does not parse, from a flag or
// from the environment, stops the start with a message naming the setting
// and the value; none is quietly replaced by its default.
func TestBadSettingsStopTheStart(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  func(string) string
		want []string
	}{
		{nil, env("MINIDISCORD_BCRYPT_COST", "abc"), []string{"MINIDISCORD_BCRYPT_COST", `"abc"`}},
		{nil, env("MINIDISCORD_BCRYPT_COST", "99"), []string{"MINIDISCORD_BCRYPT_COST", "99"}},
		{[]string{"-bcrypt-cost", "2"}, env(), []string{"-bcrypt-cost", "2"}},
		{nil, env("MINIDISCORD_SECURE_COOKIES", "yes please"), []string{"MINIDISCORD_SECURE_COOKIES", `"yes please"`}},
		{nil, env("MINIDISCORD_DEV", "on"), []string{"MINIDISCORD_DEV", `"on"`}},
		{nil, env("MINIDISCORD_SESSION_TTL", "two weeks"), []string{"MINIDISCORD_SESSION_TTL", `"two weeks"`}},
		{nil, env("MINIDISCORD_SESSION_TTL", "-1h"), []string{"MINIDISCORD_SESSION_TTL", "-1h"}},
		{nil, env("MINIDISCORD_LEAVE_GRACE", "5"), []string{"MINIDISCORD_LEAVE_GRACE", `"5"`}},
		{nil, env("MINIDISCORD_PRESENCE_TTL", "soon"), []string{"MINIDISCORD_PRESENCE_TTL", `"soon"`}},
		{nil, env("MINIDISCORD_MESSAGE_LIMIT", "lots"), []string{"MINIDISCORD_MESSAGE_LIMIT", `"lots"`}},
		{[]string{"-message-limit", "lots"}, env(), []string{"-message-limit", `"lots"`}},
		{nil, env("MINIDISCORD_RATE_LIMITS", "maybe"), []string{"MINIDISCORD_RATE_LIMITS", `"maybe"`}},
		{nil, env("MINIDISCORD_TRUSTED_PROXIES", "proxy.example"), []string{"MINIDISCORD_TRUSTED_PROXIES", `"proxy.example"`}},
		// A flag given this time does not excuse a bad variable.
		{[]string{"-bcrypt-cost", "12"}, env("MINIDISCORD_BCRYPT_COST", "abc"), []string{"MINIDISCORD_BCRYPT_COST", `"abc"`}},
	} {
		var stdout, stderr bytes.Buffer
		// run itself: the start stops before opening anything.
		err := run(t.Context(), append([]string{"-db", filepath.Join(t.TempDir(), "x.db")}, tc.args...), tc.env, nil, &stdout, &stderr)
		if err == nil {
			t.Errorf("%v with %v: started", tc.args, tc.want)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error %q does not name %s", tc.args, err, w)
			}
		}
		if strings.Contains(stdout.String(), "serving") {
			t.Errorf("%v: served despite %q", tc.args, err)
		}
	}

	// createsuperuser reads the same settings the same way.
	err := run(t.Context(), []string{"createsuperuser", "-username", "root", "-db", filepath.Join(t.TempDir(), "x.db")},
		env("MINIDISCORD_BCRYPT_COST", "abc"), strings.NewReader("Xk3-plover-77\n"), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), `MINIDISCORD_BCRYPT_COST="abc"`) {
		t.Errorf("createsuperuser with MINIDISCORD_BCRYPT_COST=abc: %v", err)
	}

	// Good values still parse, from either place.
	cfg, err := parseServeFlags([]string{"-leave-grace", "0s"}, env("MINIDISCORD_BCRYPT_COST", "12", "MINIDISCORD_SECURE_COOKIES", "true", "MINIDISCORD_SESSION_TTL", "1h"), &bytes.Buffer{})
	if err != nil || cfg.bcryptCost != 12 || !cfg.secureCookies || cfg.sessionTTL != time.Hour || cfg.leaveGrace != 0 {
		t.Errorf("good settings: %+v, %v", cfg, err)
	}
}

// TestMetricsOnTheirOwnAddress: with -metrics-addr the Prometheus text is
// served there, and the site itself still does not answer /metrics; -h
// documents the setting.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	var stderr bytes.Buffer
	if _, err := parseServeFlags([]string{"-h"}, env(), &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, w := range []string{"-metrics-addr", "MINIDISCORD_METRICS_ADDR"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("-h does not mention %s", w)
		}
	}

	site, metrics := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out syncWriter
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", site, "-db", filepath.Join(t.TempDir(), "x.db")}, env("MINIDISCORD_METRICS_ADDR", metrics), nil, &out, &out)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "msg=serving ") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	get := func(url string) (int, string) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v\n%s", url, err, out.String())
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := get("http://" + metrics + "/metrics"); status != http.StatusOK || !strings.Contains(body, "minidiscord_open_streams") {
		t.Errorf("metrics address: %d %.200q", status, body)
	}
	if status, body := get("http://" + site + "/metrics"); status != http.StatusNotFound || strings.Contains(body, "minidiscord_") {
		t.Errorf("the site answers /metrics: %d %.200q", status, body)
	}
	if status, _ := get("http://" + metrics + "/"); status != http.StatusNotFound {
		t.Errorf("the metrics address serves /: %d", status)
	}
}

// TestUploadSettings: the file size and quota flags read sizes, and refuse
// what is not one.
func TestUploadSettings(t *testing.T) {
	var stderr strings.Builder
	cfg, err := parseServeFlags(nil, env(), &stderr)
	if err != nil || cfg.maxFileSize != 10<<20 || cfg.uploadQuota != 500<<20 {
		t.Fatalf("defaults: %v size %d quota %d", err, cfg.maxFileSize, cfg.uploadQuota)
	}
	cfg, err = parseServeFlags([]string{"-max-file-size", "512KB", "-upload-quota", "off"}, env("MINIDISCORD_UPLOAD_LIMIT", "3/1m"), &stderr)
	if err != nil || cfg.maxFileSize != 512<<10 || cfg.uploadQuota != 0 || cfg.limits.UploadPerUser.Events != 3 {
		t.Fatalf("set: %v size %d quota %d limit %v", err, cfg.maxFileSize, cfg.uploadQuota, cfg.limits.UploadPerUser)
	}
	for _, args := range [][]string{{"-max-file-size", "ten"}, {"-max-file-size", "0"}, {"-upload-quota", "-5MB"}} {
		if _, err := parseServeFlags(args, env(), &stderr); err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: err %v, want one naming the flag", args, err)
		}
	}
}
