package e2e

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These need no browser: what the pages' own routes answer.

func TestStyleguideOnlyWithDevFlag(t *testing.T) {
	for _, dev := range []bool{false, true} {
		app := startApp(t, appConfig{dev: dev})
		resp, err := http.Get(app.url + "/styleguide")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := http.StatusNotFound
		if dev {
			want = http.StatusOK
		}
		if resp.StatusCode != want {
			t.Errorf("dev=%v: /styleguide answers %d, want %d", dev, resp.StatusCode, want)
		}
		if dev && !strings.Contains(string(body), `id="sg-messages"`) {
			t.Error("the styleguide does not show the messages")
		}
	}
}

func TestOlderMessagesPage(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	var ids []int64
	for i := range 55 {
		ids = append(ids, seed.say("general", "bo", time.Now(), "m"+string(rune('a'+i%26))))
	}
	seed.user("ann")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(app.url+"/accounts/login/", url.Values{"username": {"ann"}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	get := func(path string, htmx bool) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", app.url+path, nil)
		if htmx {
			req.Header.Set("HX-Request", "true")
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// HTMX gets the partial: 50 messages before the last one, and a
	// control for the 4 before them.
	status, body := get("/chat/general/messages?before="+itoa64(ids[54]), true)
	if status != 200 || strings.Contains(body, "<html") {
		t.Fatalf("partial: %d %.200s", status, body)
	}
	if n := strings.Count(body, `data-testid="message"`); n != 50 {
		t.Errorf("partial has %d messages, want 50", n)
	}
	if !strings.Contains(body, `id="load-older-link"`) || !strings.Contains(body, "before="+itoa64(ids[4])) {
		t.Error("partial lacks the control for the page before it")
	}
	// The first page says it is the start of the room.
	_, body = get("/chat/general/messages?before="+itoa64(ids[4]), true)
	if n := strings.Count(body, `data-testid="message"`); n != 4 || !strings.Contains(body, "room-start") || strings.Contains(body, "load-older-link") {
		t.Errorf("first page: %d messages, start shown %v", n, strings.Contains(body, "room-start"))
	}
	// Without HTMX it is a page of its own.
	if status, body := get("/chat/general/messages?before="+itoa64(ids[4]), false); status != 200 || !strings.Contains(body, "<html") {
		t.Errorf("page: %d", status)
	}
	for _, bad := range []string{"", "?before=", "?before=x", "?before=-1", "?before=0"} {
		if status, _ := get("/chat/general/messages"+bad, true); status != http.StatusBadRequest {
			t.Errorf("%q: status %d, want 400", bad, status)
		}
	}
	if status, _ := get("/chat/nowhere/messages?before=5", true); status != http.StatusNotFound {
		t.Errorf("unknown room: status %d, want 404", status)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
