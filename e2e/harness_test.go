// Package e2e drives Mini Discord in headless Chromium, the way people use
// it: two people in one room, a dropped network, a reload, a browser with
// JavaScript off. The server runs in-process on a temporary SQLite file.
//
// The tests need a Chromium (Debian's chromium package). Without one they
// skip, unless MINIDISCORD_REQUIRE_CHROMIUM=1, as in CI, makes that a
// failure. MINIDISCORD_SCREENSHOTS=1 also writes the screenshots of the main
// pages into docs/ (or into the directory it names).
package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/ratelimit"
	"github.com/minidiscord/minidiscord/realtime"
)

// password is every test user's password.
const password = "correct horse battery"

// testApp is the whole server on a real listener and a real SQLite file.
type testApp struct {
	t     *testing.T
	url   string
	store *models.Store
	hub   *realtime.Hub
}

type appConfig struct {
	leaveGrace time.Duration
	retry      time.Duration
	dev        bool
	// messageLimit bounds posts per user (none if zero).
	messageLimit ratelimit.Limit
}

// startApp wires the app as cmd/minidiscord does, with a short leave grace
// (so a closed tab leaves the online list quickly) and a short reconnect
// delay.
func startApp(t *testing.T, cfg appConfig) *testApp {
	t.Helper()
	if cfg.leaveGrace == 0 {
		cfg.leaveGrace = 300 * time.Millisecond
	}
	if cfg.retry == 0 {
		cfg.retry = 250 * time.Millisecond
	}
	store, err := models.Open(t.Context(), filepath.Join(t.TempDir(), "e2e.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	app, err := handlers.NewApp(t.Context(), handlers.AppConfig{
		Log:   log,
		Store: store,
		Hub:   realtime.Options{LeaveGrace: cfg.leaveGrace},
		Handler: handlers.Config{
			SessionKey:   []byte(strings.Repeat("k", 64)),
			PasswordCost: 4,
			Retry:        cfg.retry,
			Heartbeat:    time.Second,
			Dev:          cfg.dev,
			RateLimits:   handlers.RateLimits{MessagePerUser: cfg.messageLimit},
		},
	})
	if err != nil {
		t.Fatalf("build the app: %v", err)
	}
	srv := httptest.NewUnstartedServer(app.Routes())
	srv.Config.RegisterOnShutdown(app.Hub.Close)
	srv.Start()
	t.Cleanup(func() {
		app.Hub.Close() // ends the streams, so Close does not wait for them
		srv.Close()
		app.Close()
		store.Close()
	})
	return &testApp{t: t, url: srv.URL, store: store, hub: app.Hub}
}

// chromiumPath finds a Chromium or Chrome, or returns "".
func chromiumPath() string {
	if p := os.Getenv("MINIDISCORD_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is one headless Chromium with a fresh profile, shared by the
// tests of this package: starting Chromium is the slowest step of a test.
// Each tab it opens has a browser context of its own (its own cookies and
// storage), so two tabs are two different people and tests do not share
// anything but the process.
type browser struct {
	t   *testing.T
	ctx context.Context
}

var shared struct {
	once    sync.Once
	ctx     context.Context
	err     error
	path    string
	dir     string
	cleanup func()
}

// TestMain stops the shared Chromium and removes its profile.
func TestMain(m *testing.M) {
	code := m.Run()
	if shared.cleanup != nil {
		shared.cleanup()
	}
	os.Exit(code)
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	shared.once.Do(startChromium)
	if shared.path == "" {
		if os.Getenv("MINIDISCORD_REQUIRE_CHROMIUM") == "1" {
			t.Fatal("no Chromium found (install Debian's chromium package), and MINIDISCORD_REQUIRE_CHROMIUM=1 makes that a failure")
		}
		t.Skip("end-to-end tests need Chromium: apt-get install chromium (set MINIDISCORD_REQUIRE_CHROMIUM=1 to fail instead of skipping)")
	}
	if shared.err != nil {
		t.Fatalf("start chromium (%s): %v", shared.path, shared.err)
	}
	return &browser{t: t, ctx: shared.ctx}
}

func startChromium() {
	shared.path = chromiumPath()
	if shared.path == "" {
		return
	}
	dir, err := os.MkdirTemp("", "minidiscord-e2e-chromium-")
	if err != nil {
		shared.err = err
		return
	}
	shared.dir = dir
	// The flags that let Chromium start as root on a closed network: no
	// sandbox, no GPU, and none of the background calls home that would
	// hang its start; a fresh profile.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(shared.path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 800),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	shared.ctx = ctx
	shared.cleanup = func() {
		cancel()
		cancelAlloc()
		os.RemoveAll(dir)
	}
	// Not under a deadline: the context of the first run owns the browser.
	shared.err = chromedp.Do(ctx)
}

// tab is one page in its own browser context: one person.
type tab struct {
	t      *testing.T
	app    *testApp
	name   string
	ctx    context.Context
	cancel context.CancelFunc
	closed bool

	mu       sync.Mutex
	problems []string // script errors and refusals by the CSP
}

// watchConsole fails the test, when it ends, if a page of the tab threw an
// exception or the Content-Security-Policy refused something (an inline
// script or style, say): both would be bugs a person meets.
func (tb *tab) watchConsole() {
	messages := chromedp.Console(tb.ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				tb.mu.Lock()
				tb.problems = append(tb.problems, m.String())
				tb.mu.Unlock()
			}
		}
	}()
	tb.t.Cleanup(func() {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for _, p := range tb.problems {
			tb.t.Errorf("%s's page: %s", tb.name, p)
		}
	})
}

// open makes a new person's tab.
func (b *browser) open(app *testApp, name string) *tab {
	return b.openVia(app, name, nil)
}

// openVia makes a new person's tab whose every request goes through their
// own network, which the test can cut.
func (b *browser) openVia(app *testApp, name string, n *flakyNet) *tab {
	b.t.Helper()
	var opts []chromedp.CreateBrowserContextOption
	if n != nil {
		opts = append(opts, func(p *target.CreateBrowserContextParams) {
			p.ProxyServer = n.proxy()
			p.ProxyBypassList = "<-loopback>" // the app is on 127.0.0.1 too
		})
	}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(opts...))
	tb := &tab{t: b.t, app: app, name: name, ctx: ctx, cancel: cancel}
	b.t.Cleanup(tb.close)
	// Open the tab outside any deadline: the context of a tab's first run
	// owns the tab, and ending a deadline would close it.
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open a tab for %s: %v", name, err)
	}
	tb.watchConsole()
	return tb
}

// close closes the tab, as a person closing it would.
func (tb *tab) close() {
	if !tb.closed {
		tb.closed = true
		tb.cancel()
	}
}

// do runs actions with a deadline, failing the test on error.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", tb.name, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("%s: evaluate %s: %v", tb.name, expr, err)
	}
	return v
}

// waitFor waits until a JavaScript expression is true in the page. A poll
// does not survive a navigation (after a form post, say), so it starts again
// in the new page until the time is up.
func (tb *tab) waitFor(what, expr string, within time.Duration) {
	tb.t.Helper()
	deadline := time.Now().Add(within)
	for {
		left := time.Until(deadline)
		ctx, cancel := context.WithTimeout(tb.ctx, left+5*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(max(left, time.Millisecond)), chromedp.WithPollingInterval(25*time.Millisecond)))
		cancel()
		if err == nil {
			return
		}
		if errors.Is(err, chromedp.ErrPollingTimeout) || time.Now().After(deadline) || tb.ctx.Err() != nil {
			tb.t.Fatalf("%s: waited %v for %s (%s): %v\n%s", tb.name, within, what, expr, err, tb.describe())
		}
		time.Sleep(50 * time.Millisecond) // the page is changing: poll the new one
	}
}

// describe tells where the tab is and what it shows, for a failure message.
func (tb *tab) describe() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText.slice(0, 800)`))
	if err != nil {
		return "(page unreadable: " + err.Error() + ")"
	}
	return "page: " + text
}

func (tb *tab) goTo(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.app.url + path))
}

// signup creates the tab's person through the signup form, which sends
// them on to log in, and logs them in.
func (tb *tab) signup() {
	tb.t.Helper()
	tb.goTo("/user/signup/")
	tb.fill("id_username", tb.name)
	tb.fill("id_password1", password)
	tb.fill("id_password2", password)
	tb.submit("signup-form")
	tb.waitFor("the login page after signing up", `location.pathname === "/accounts/login/" && !!document.getElementById("login-form")`, 10*time.Second)
	tb.login()
}

// login logs the tab's person in through the login form.
func (tb *tab) login() {
	tb.t.Helper()
	if !eval[bool](tb, `!!document.getElementById("login-form")`) {
		tb.goTo("/accounts/login/")
	}
	tb.fill("id_username", tb.name)
	tb.fill("id_password", password)
	tb.submit("login-form")
	tb.waitFor("the login", fmt.Sprintf(`document.querySelector("[data-testid=whoami]")?.textContent.trim() === %q`, tb.name), 10*time.Second)
}

// fill sets a form field, as typing would (with the input event).
func (tb *tab) fill(id, value string) {
	tb.t.Helper()
	eval[bool](tb, fmt.Sprintf(`(() => { const el = document.getElementById(%q); el.value = %q; el.dispatchEvent(new Event("input", {bubbles: true})); return true })()`, id, value))
}

// submit submits a form as its submit button would.
func (tb *tab) submit(formID string) {
	tb.t.Helper()
	eval[bool](tb, fmt.Sprintf(`(() => { document.getElementById(%q).requestSubmit(); return true })()`, formID))
}

// enterRoom opens a room and waits for its live stream.
func (tb *tab) enterRoom(room string) {
	tb.t.Helper()
	tb.goTo("/chat/" + room + "/")
	tb.waitLive()
}

func (tb *tab) waitLive() {
	tb.t.Helper()
	tb.waitFor("the live stream", `document.getElementById("conn-state")?.dataset.state === "live"`, 10*time.Second)
}

// say types a message and presses Enter, as a person would.
func (tb *tab) say(text string) {
	tb.t.Helper()
	tb.do(
		chromedp.Focus(chromedp.ID("message-input")),
		chromedp.SendKeys(chromedp.ID("message-input"), text),
		chromedp.KeyEvent("\r"),
	)
	tb.waitForMessage(text)
}

// waitForMessage waits until a message with this text is in the log.
func (tb *tab) waitForMessage(text string) {
	tb.t.Helper()
	tb.waitFor("message "+text, fmt.Sprintf(`[...document.querySelectorAll("[data-testid=message-content]")].some(p => p.textContent === %q)`, text), 10*time.Second)
}

// contents lists the text of every message on the page, in order.
func (tb *tab) contents() []string {
	tb.t.Helper()
	return eval[[]string](tb, `[...document.querySelectorAll("[data-testid=message-content]")].map(p => p.textContent)`)
}

// online lists the names in the online list.
func (tb *tab) online() []string {
	tb.t.Helper()
	return eval[[]string](tb, `[...document.querySelectorAll("#online-list [data-testid=online-member]")].map(li => li.textContent)`)
}

// screenshot saves the page as <name>.png: into docs/ when
// MINIDISCORD_SCREENSHOTS=1, into the directory it names otherwise, and
// into the test's temporary directory when it is unset.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	dir := tb.t.TempDir()
	switch v := os.Getenv("MINIDISCORD_SCREENSHOTS"); v {
	case "", "0":
	case "1":
		dir = filepath.Join("..", "docs")
	default:
		dir = v
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// colorScheme makes the page see a system colour scheme, "dark" or "light".
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}
