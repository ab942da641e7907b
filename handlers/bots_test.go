package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/ratelimit"
)

// makeWebhook makes a webhook of room through its page, as its manager
// would, and returns its address (path only) as the page shows it once.
func (a *testApp) makeWebhook(c *http.Client, room, name string) string {
	a.t.Helper()
	resp := a.postForm(c, "/chat/"+url.PathEscape(room)+"/hooks", url.Values{"name": {name}}, false)
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("make webhook %s: status %d: %s", name, resp.StatusCode, readBody(resp))
	}
	secret := parse(a.t, resp).Find("[data-testid=secret]").Text()
	u, err := url.Parse(secret)
	if err != nil || !strings.HasPrefix(u.Path, "/hooks/") {
		a.t.Fatalf("webhook address %q", secret)
	}
	return u.Path
}

// makeBot makes a bot account on the admin page and returns its token.
func (a *testApp) makeBot(admin *http.Client, name string) string {
	a.t.Helper()
	resp := a.postForm(admin, "/admin/bots", url.Values{"name": {name}}, false)
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("make bot %s: status %d: %s", name, resp.StatusCode, readBody(resp))
	}
	token := parse(a.t, resp).Find("[data-testid=secret]").Text()
	if len(token) < 40 {
		a.t.Fatalf("bot token %q", token)
	}
	return token
}

// send makes a request with a body and headers, as a program would: no
// cookies unless c has them.
func (a *testApp) call(c *http.Client, method, path, contentType, body string, header ...string) (int, http.Header, string) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.srv.URL+path, strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, resp.Header, readBody(resp)
}

// bearerClient is a program holding a bot's token.
func bearerClient(token string) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: withHeader{"Authorization", "Bearer " + token}}
}

type withHeader struct{ name, value string }

func (h withHeader) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(h.name, h.value)
	return http.DefaultTransport.RoundTrip(r)
}

func jsonError(t *testing.T, body string) string {
	t.Helper()
	var e struct{ Error string }
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error == "" {
		t.Fatalf("not a JSON error: %q", body)
	}
	return e.Error
}

// TestWebhookPostsLiveEscapedAndKept: a webhook's post reaches a room's
// open stream live, tagged BOT, under the name it asked for, with its text
// and that name escaped; a reload shows the same, and search finds it.
// curl -d's JSON (sent as a form) and a plain form both work.
func TestWebhookPostsLiveEscapedAndKept(t *testing.T) {
	a := newApp(t)
	admin, ann := a.staff("admin"), a.user("ann")
	a.createRoom(ann, "general")
	hook := a.makeWebhook(admin, "general", "ci")
	s := a.openStream(ann, "general", "", "")

	text := `<script>alert(1)</script> build 42 passed`
	status, _, body := a.call(http.DefaultClient, http.MethodPost, hook, "application/x-www-form-urlencoded",
		`{"text": "`+strings.ReplaceAll(text, `"`, `\"`)+`", "username": "<img src=x onerror=alert(2)>"}`)
	if status != http.StatusOK {
		t.Fatalf("webhook post: %d %s", status, body)
	}
	ev := s.next("message")
	frag := fragment(t, ev.Data)
	if frag.Find("script, img").Length() != 0 || strings.Contains(ev.Data, "<script") || strings.Contains(ev.Data, "<img") {
		t.Errorf("markup from the webhook reached the page: %s", ev.Data)
	}
	if got := frag.Find("[data-testid=message-author]").Text(); got != "<img src=x onerror=alert(2)>" {
		t.Errorf("author %q", got)
	}
	if got := frag.Find("[data-testid=message-content]").Text(); !strings.Contains(got, text) {
		t.Errorf("content %q", got)
	}
	tag := frag.Find("[data-testid=bot-tag]")
	if tag.Text() != "BOT" || !strings.Contains(tag.AttrOr("title", ""), "ci") {
		t.Errorf("bot tag %q title %q", tag.Text(), tag.AttrOr("title", ""))
	}

	// A form, as a shell script would send it.
	status, _, body = a.call(http.DefaultClient, http.MethodPost, hook, "application/x-www-form-urlencoded",
		url.Values{"text": {"deploy done"}}.Encode())
	if status != http.StatusOK {
		t.Fatalf("form post: %d %s", status, body)
	}
	frag = fragment(t, s.next("message").Data)
	if frag.Find("[data-testid=message-author]").Text() != "ci" || frag.Find("[data-testid=bot-tag]").Length() != 1 {
		t.Errorf("form post drawn as %s", ev.Data)
	}

	doc := a.page(ann, "/chat/general/")
	msgs := doc.Find("[data-testid=message]")
	if msgs.Length() != 2 || msgs.Find("[data-testid=bot-tag]").Length() != 2 || doc.Find(".log script, .messages img").Length() != 0 {
		t.Fatalf("reload: %d messages, %d tags", msgs.Length(), msgs.Find("[data-testid=bot-tag]").Length())
	}
	if got := msgs.First().Find("[data-testid=message-author]").Text(); got != "<img src=x onerror=alert(2)>" {
		t.Errorf("reload: author %q", got)
	}
	found := a.page(ann, "/search?q=passed")
	if !strings.Contains(found.Find("main").Text(), "build 42 passed") {
		t.Errorf("search does not find the webhook's post")
	}
}

// TestWebhookRefusals: a wrong token, a made-up id and a revoked webhook
// get the same 404; a new address retires the old; bad bodies get 400s;
// the route is outside the cross-origin check (it reads no cookie).
func TestWebhookRefusals(t *testing.T) {
	a := newApp(t)
	admin := a.staff("admin")
	a.createRoom(admin, "general")
	hook := a.makeWebhook(admin, "general", "ci")
	post := func(path, body string, header ...string) (int, http.Header, string) {
		t.Helper()
		return a.call(http.DefaultClient, http.MethodPost, path, "application/json", body, header...)
	}
	idPath := hook[:strings.LastIndex(hook, "/")]
	_, _, unknown := post("/hooks/999999/whatever", `{"text":"x"}`)
	for name, path := range map[string]string{
		"wrong token": idPath + "/AAAA" + hook[len(idPath)+5:],
		"no such id":  "/hooks/999999/whatever",
		"not an id":   "/hooks/abc/whatever",
	} {
		status, _, body := post(path, `{"text":"x"}`)
		if status != http.StatusNotFound || body != unknown {
			t.Errorf("%s: %d %s, want 404 %s", name, status, body, unknown)
		}
	}
	jsonError(t, unknown)

	for name, tc := range map[string]struct {
		body string
		want int
	}{
		"too long":  {`{"text":"` + strings.Repeat("x", 513) + `"}`, http.StatusBadRequest},
		"empty":     {`{"text":"   "}`, http.StatusBadRequest},
		"no text":   {`{"username":"x"}`, http.StatusBadRequest},
		"not JSON":  {`{"text":`, http.StatusBadRequest},
		"bidi name": {`{"text":"hi","username":"a\u202eb"}`, http.StatusBadRequest},
		"too large": {`{"text":"` + strings.Repeat("x", 70<<10) + `"}`, http.StatusRequestEntityTooLarge},
	} {
		status, _, body := post(hook, tc.body)
		if status != tc.want {
			t.Errorf("%s: %d %s, want %d", name, status, body, tc.want)
			continue
		}
		jsonError(t, body)
	}
	if n := a.countMessages("general"); n != 0 {
		t.Errorf("%d messages stored from refused posts", n)
	}

	// Sent from a page on another site: allowed, the token is the credential.
	if status, _, body := post(hook, `{"content":"from a browser"}`, "Origin", "https://elsewhere.example", "Sec-Fetch-Site", "cross-site"); status != http.StatusOK {
		t.Errorf("cross-site webhook post: %d %s", status, body)
	}
	// ...while every other POST still is not.
	if status, _, _ := post("/chat/general/hooks", `name=x`, "Origin", "https://elsewhere.example", "Sec-Fetch-Site", "cross-site"); status != http.StatusForbidden {
		t.Errorf("cross-site webhook creation: %d, want 403", status)
	}

	// A new address retires the old one; revoking retires the new.
	resp := a.postForm(admin, "/chat/general/hooks/"+strings.Split(hook, "/")[2]+"/rotate", nil, false)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("rotate: %d", resp.StatusCode)
	}
	u, _ := url.Parse(parse(t, resp).Find("[data-testid=secret]").Text())
	if status, _, _ := post(hook, `{"text":"old"}`); status != http.StatusNotFound {
		t.Errorf("the old address after rotating: %d, want 404", status)
	}
	if status, _, body := post(u.Path, `{"text":"new"}`); status != http.StatusOK {
		t.Errorf("the new address: %d %s", status, body)
	}
	resp = a.postForm(admin, "/chat/general/hooks/"+strings.Split(hook, "/")[2]+"/delete", nil, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if status, _, body := post(u.Path, `{"text":"revoked"}`); status != http.StatusNotFound || body != unknown {
		t.Errorf("a revoked webhook: %d %s", status, body)
	}
	if n := a.countMessages("general"); n != 2 {
		t.Errorf("%d messages, want 2", n)
	}
	// Its bot is no bot account: it never gets an API token.
	if a.page(admin, "/admin/bots").Find("[data-testid=bots] tbody tr").Length() != 0 {
		t.Errorf("a webhook's bot is listed among the bot accounts")
	}
	if resp := a.postForm(admin, "/admin/bots/"+itoa(botID(t, a, "ci"))+"/rotate", nil, false); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a token for a webhook's bot: %d, want 404", resp.StatusCode)
	}
}

// TestWebhookRateLimited: each webhook has its own budget; past it, 429
// with Retry-After, in JSON.
func TestWebhookRateLimited(t *testing.T) {
	a := newApp(t, withConfig(func(c *handlers.Config) {
		c.RateLimits = handlers.RateLimits{WebhookPerHook: ratelimit.Limit{Events: 2, Per: time.Hour}}
	}))
	admin := a.staff("admin")
	a.createRoom(admin, "general")
	one, two := a.makeWebhook(admin, "general", "one"), a.makeWebhook(admin, "general", "two")
	for i := range 2 {
		if status, _, body := a.call(http.DefaultClient, http.MethodPost, one, "application/json", `{"text":"hi"}`); status != http.StatusOK {
			t.Fatalf("post %d: %d %s", i, status, body)
		}
	}
	status, hdr, body := a.call(http.DefaultClient, http.MethodPost, one, "application/json", `{"text":"hi"}`)
	if status != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" {
		t.Fatalf("third post: %d Retry-After %q", status, hdr.Get("Retry-After"))
	}
	if msg := jsonError(t, body); !strings.Contains(msg, "too fast") {
		t.Errorf("429 says %q", msg)
	}
	if status, _, _ := a.call(http.DefaultClient, http.MethodPost, two, "application/json", `{"text":"hi"}`); status != http.StatusOK {
		t.Errorf("another webhook: %d, want 200", status)
	}
	if n := a.countMessages("general"); n != 3 {
		t.Errorf("%d messages, want 3", n)
	}
}

// TestWebhooksManagedByManagersOnly: the room's owner and staff manage its
// webhooks; a member of the room can neither see, make, rotate nor revoke
// them.
func TestWebhooksManagedByManagersOnly(t *testing.T) {
	a := newApp(t)
	admin, carol, bob := a.staff("admin"), a.user("carol"), a.user("bob")
	a.createRoom(carol, "general")
	hook := a.makeWebhook(admin, "general", "ci")
	if resp := a.get(carol, "/chat/general/hooks"); resp.StatusCode != http.StatusOK {
		t.Errorf("the owner's list: %d, want 200", resp.StatusCode)
	}
	id := strings.Split(hook, "/")[2]
	if resp := a.get(bob, "/chat/general/hooks"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("member's list: %d, want 403", resp.StatusCode)
	}
	for _, path := range []string{"/chat/general/hooks", "/chat/general/hooks/" + id + "/rotate", "/chat/general/hooks/" + id + "/delete"} {
		if resp := a.postForm(bob, path, url.Values{"name": {"mine"}}, false); resp.StatusCode != http.StatusForbidden {
			t.Errorf("member POST %s: %d, want 403", path, resp.StatusCode)
		}
	}
	if resp := a.get(a.client(), "/chat/general/hooks"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous list: %d, want a redirect to log in", resp.StatusCode)
	}
	if resp := a.get(admin, "/chat/nowhere/hooks"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a room that is not there: %d, want 404", resp.StatusCode)
	}
	if status, _, _ := a.call(http.DefaultClient, http.MethodPost, hook, "application/json", `{"text":"still works"}`); status != http.StatusOK {
		t.Errorf("the webhook after the member's tries: %d", status)
	}
	doc := a.page(admin, "/chat/general/hooks")
	if doc.Find("[data-testid=webhooks] tbody tr").Length() != 1 {
		t.Errorf("the manager sees %d webhooks, want 1", doc.Find("[data-testid=webhooks] tbody tr").Length())
	}
}

// TestBotAPI: a bot account made by staff posts with its token (live for
// readers, tagged BOT), reads the room as JSON, and follows the room's
// stream; no token, a wrong or revoked one, or a session cookie get 401; a
// room it may not see is 404; it cannot log in.
func TestBotAPI(t *testing.T) {
	a := newApp(t)
	admin, ann := a.staff("admin"), a.user("ann")
	a.createRoom(ann, "general")
	if resp := a.postForm(ann, "/admin/bots", url.Values{"name": {"sneaky"}}, false); resp.StatusCode != http.StatusForbidden {
		t.Errorf("non-staff making a bot: %d, want 403", resp.StatusCode)
	}
	token := a.makeBot(admin, "pingbot")
	bot := bearerClient(token)
	api := "/api/rooms/general/messages"

	for name, c := range map[string]*http.Client{"no token": http.DefaultClient, "wrong token": bearerClient("nope" + token), "a session": ann} {
		status, hdr, body := a.call(c, http.MethodPost, api, "application/json", `{"text":"hi"}`)
		if status != http.StatusUnauthorized || !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: %d %q", name, status, hdr.Get("WWW-Authenticate"))
		}
		jsonError(t, body)
	}
	if status, _, _ := a.call(bearerClient("nope"), http.MethodGet, "/chat/general/events", "", ""); status != http.StatusUnauthorized {
		t.Errorf("stream with a wrong token: %d, want 401", status)
	}
	for _, path := range []string{"/api/rooms/nowhere/messages", "/api/rooms/bad%20name/messages"} {
		status, _, body := a.call(bot, http.MethodGet, path, "", "")
		if status != http.StatusNotFound && status != http.StatusBadRequest {
			t.Errorf("GET %s: %d %s", path, status, body)
		}
	}
	if status, _, _ := a.call(bot, http.MethodPost, "/api/rooms/nowhere/messages", "application/json", `{"text":"hi"}`); status != http.StatusNotFound {
		t.Errorf("POST to a room it may not see: %d, want 404", status)
	}

	annStream := a.openStream(ann, "general", "", "")
	botStream := a.openStream(bot, "general", "", "")
	status, _, body := a.call(bot, http.MethodPost, api, "application/json", `{"text":"<b>pong</b>"}`)
	if status != http.StatusCreated {
		t.Fatalf("bot post: %d %s", status, body)
	}
	var posted struct {
		ID, Seq int64
		Author  string
		Bot     bool
		Text    string
	}
	json.Unmarshal([]byte(body), &posted)
	if posted.Author != "pingbot" || !posted.Bot || posted.Text != "<b>pong</b>" || posted.Seq == 0 {
		t.Errorf("bot post answered %s", body)
	}
	frag := fragment(t, annStream.next("message").Data)
	if frag.Find("[data-testid=bot-tag]").Length() != 1 || frag.Find("b").Length() != 0 || frag.Find("[data-testid=message-author]").Text() != "pingbot" {
		t.Errorf("the bot's post as ann sees it: %s", frag.Text())
	}
	botStream.next("message") // its own post, on its stream
	a.say(ann, "general", "!ping")
	if ev := botStream.next("message"); !strings.Contains(ev.Data, "!ping") {
		t.Errorf("the bot's stream: %s", ev.Data)
	}

	status, _, body = a.call(bot, http.MethodGet, api+"?after="+itoa(posted.Seq), "", "")
	var page struct {
		Messages []struct{ Author, Text string }
		Next     int64
	}
	if err := json.Unmarshal([]byte(body), &page); status != http.StatusOK || err != nil || len(page.Messages) != 1 || page.Messages[0].Text != "!ping" || page.Messages[0].Author != "ann" || page.Next != posted.Seq+1 {
		t.Errorf("read after %d: %d %s", posted.Seq, status, body)
	}
	if status, _, body := a.call(bot, http.MethodGet, api+"?after=x", "", ""); status != http.StatusBadRequest {
		t.Errorf("after=x: %d %s", status, body)
	}

	// No password opens a bot's account.
	for _, pw := range []string{"", "!bot", "x"} {
		c := a.client()
		a.postForm(c, "/accounts/login/", url.Values{"username": {"pingbot"}, "password": {pw}}, false)
		if resp := a.get(c, "/chat/"); strings.Contains(readBody(resp), "pingbot") {
			t.Errorf("logged in as the bot with %q", pw)
		}
	}

	// A new token: the old one is shut out and its stream ends.
	id := itoa(botID(t, a, "pingbot"))
	resp := a.postForm(admin, "/admin/bots/"+id+"/rotate", nil, false)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("rotate: %d", resp.StatusCode)
	}
	renewed := bearerClient(parse(t, resp).Find("[data-testid=secret]").Text())
	if status, _, _ := a.call(bot, http.MethodGet, api, "", ""); status != http.StatusUnauthorized {
		t.Errorf("the old token after rotating: %d, want 401", status)
	}
	if status, _, body := a.call(renewed, http.MethodGet, api, "", ""); status != http.StatusOK {
		t.Errorf("the new token: %d %s", status, body)
	}
	deadline := time.After(5 * time.Second)
	for ended := false; !ended; {
		select {
		case _, ok := <-botStream.events:
			ended = !ok
		case <-deadline:
			t.Fatal("the old token's stream is still open")
		}
	}
	// Revoked: shut out.
	if resp := a.postForm(admin, "/admin/bots/"+id+"/revoke", nil, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if status, _, _ := a.call(renewed, http.MethodGet, api, "", ""); status != http.StatusUnauthorized {
		t.Errorf("after revoking: %d, want 401", status)
	}
}

func botID(t *testing.T, a *testApp, name string) int64 {
	t.Helper()
	u, err := a.store.UserByUsername(t.Context(), name)
	if err != nil || !u.IsBot {
		t.Fatalf("bot %s: %v", name, err)
	}
	return u.ID
}
