package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

func TestRoomsCreateOrJoin(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	resp := a.postForm(c, "/chat/", url.Values{"room": {"Café-42"}}, false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/chat/Caf%C3%A9-42/" {
		t.Fatalf("create: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The same name in another case joins the same room.
	resp = a.postForm(c, "/chat/", url.Values{"room": {"CAFÉ-42"}}, false)
	if resp.Header.Get("Location") != "/chat/Caf%C3%A9-42/" {
		t.Errorf("join in other case went to %q", resp.Header.Get("Location"))
	}
	for _, bad := range []string{"", "#", "a/b", "<script>", "no!", strings.Repeat("x", 101)} {
		resp := a.postForm(c, "/chat/", url.Values{"room": {bad}}, false)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("room %q: status %d, want 400", bad, resp.StatusCode)
			continue
		}
		if msg := parse(t, resp).Find("[data-testid=room-error]").Text(); msg == "" {
			t.Errorf("room %q: no error shown on the form", bad)
		}
	}
	doc := a.page(c, "/chat/")
	if n := doc.Find("[data-testid=room-item]").Length(); n != 1 {
		t.Errorf("room list has %d rooms, want 1", n)
	}
}

func TestRoomShowsLatestHistory(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	a.createRoom(c, "general")
	for i := 1; i <= 55; i++ {
		resp := a.postForm(c, "/chat/general/messages", url.Values{"message": {"m" + strconv.Itoa(i)}}, true)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("post %d: status %d", i, resp.StatusCode)
		}
	}
	doc := a.page(c, "/chat/general/")
	contents := doc.Find("[data-testid=message-content]").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if len(contents) != 50 || contents[0] != "m6" || contents[49] != "m55" {
		t.Fatalf("history shows %d messages from %v to %v, want the latest 50 (m6..m55) in order", len(contents), first(contents), last(contents))
	}
	if doc.Find("#load-older-link").Length() != 1 {
		t.Error("55 messages but no way to load the older 5")
	}
	if a := doc.Find("[data-testid=message-author]").First().Text(); a != "alice" {
		t.Errorf("author shown %q", a)
	}
	if _, ok := doc.Find("[data-testid=message] time").Attr("datetime"); !ok {
		t.Error("messages have no machine-readable time")
	}
	sse, _ := doc.Find("#room").Attr("sse-connect")
	if !strings.HasSuffix(sse, "?after="+lastMessageID(t, a, "general")) {
		t.Errorf("stream URL %q does not resume after the last message shown", sse)
	}
}

func TestPostWithoutJavaScriptRedirects(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	a.createRoom(c, "general")
	resp := a.postForm(c, "/chat/general/messages", url.Values{"message": {"plain form"}}, false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/chat/general/" {
		t.Fatalf("plain post: %d to %q, want 303 to the room", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := a.page(c, "/chat/general/").Find("[data-testid=message-content]").Last().Text(); got != "plain form" {
		t.Errorf("last message %q", got)
	}
}

func TestPostDeliveredToTwoSubscribers(t *testing.T) {
	a := newApp(t)
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	sa := a.openStream(alice, "general", "", "")
	sb := a.openStream(bob, "general", "", "")

	resp := a.postForm(alice, "/chat/general/messages", url.Values{"message": {"  hello\r\nworld  "}}, true)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("post: status %d: %s", resp.StatusCode, readBody(resp))
	}
	if a.countMessages("general") != 1 {
		t.Fatal("message not stored")
	}
	id := lastMessageID(t, a, "general")
	for _, s := range []*stream{sa, sb} {
		ev := s.next("message")
		if ev.ID != id {
			t.Errorf("event id %q, want %q", ev.ID, id)
		}
		doc := fragment(t, ev.Data)
		if got := doc.Find("[data-testid=message-content]").Text(); got != "hello\nworld" {
			t.Errorf("delivered content %q, want the trimmed text with its line break", got)
		}
		if got := doc.Find("[data-testid=message-author]").Text(); got != "alice" {
			t.Errorf("delivered author %q", got)
		}
		if doc.Find("#msg-"+id).Length() != 1 {
			t.Errorf("delivered message lacks its stable id msg-%s", id)
		}
	}
}

func TestPresenceTwoTabs(t *testing.T) {
	a := newApp(t)
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(bob, "general")
	watcher := a.openStream(bob, "general", "", "")
	if n := onlineCount(t, watcher.next("presence")); n != 0 {
		t.Fatalf("first snapshot count %d, want 0", n)
	}
	if n := onlineCount(t, watcher.next("presence")); n != 1 {
		t.Fatalf("after bob joins count %d, want 1", n)
	}

	tab1 := a.openStream(alice, "general", "", "")
	ev := watcher.next("presence")
	if n := onlineCount(t, ev); n != 2 || !strings.Contains(ev.Data, ">alice<") {
		t.Fatalf("alice's first tab: count %d in %s", n, ev.Data)
	}
	tab2 := a.openStream(alice, "general", "", "")
	watcher.quiet("presence", 100*time.Millisecond) // a second tab is not a second person
	if got := roomOnline(t, a, bob, "general"); got != 2 {
		t.Errorf("/chat/ shows %d online, want 2", got)
	}

	tab1.close()
	watcher.quiet("presence", 100*time.Millisecond) // still online in tab 2
	tab2.close()
	ev = watcher.next("presence")
	if n := onlineCount(t, ev); n != 1 || !strings.Contains(ev.Data, `hx-swap-oob="delete"`) {
		t.Fatalf("after both tabs close: count %d in %s", n, ev.Data)
	}
	if got := roomOnline(t, a, bob, "general"); got != 1 {
		t.Errorf("/chat/ shows %d online, want 1", got)
	}
	// A fresh page gets the full list once.
	fresh := a.openStream(alice, "general", "", "")
	doc := fragment(t, fresh.next("presence").Data)
	if names := doc.Find("[data-testid=online-member]").Text(); names != "bob" {
		t.Errorf("snapshot lists %q, want just bob (alice is not announced yet)", names)
	}
}

func TestUserTextIsEscaped(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	a.createRoom(c, "general")
	s := a.openStream(c, "general", "", "")
	evil := `<script>alert("x")</script><img src=x onerror=alert(1)> " onmouseover="x`
	a.postForm(c, "/chat/general/messages", url.Values{"message": {evil}}, true)

	ev := s.next("message")
	resp := a.get(c, "/chat/general/")
	body := readBody(resp)
	for where, html := range map[string]string{"SSE partial": ev.Data, "page": body} {
		if strings.Contains(html, "<script>alert") || strings.Contains(html, "<img src=x") {
			t.Errorf("%s contains the raw markup: %s", where, html)
		}
		if got := fragment(t, html).Find("[data-testid=message-content]").Last().Text(); got != evil {
			t.Errorf("%s shows %q, want the text as typed", where, got)
		}
	}
}

func onlineCount(t *testing.T, ev sseEvent) int {
	t.Helper()
	n, err := strconv.Atoi(fragment(t, ev.Data).Find("#online-count").Text())
	if err != nil {
		t.Fatalf("presence event without a count: %s", ev.Data)
	}
	return n
}

func roomOnline(t *testing.T, a *testApp, c *http.Client, room string) int {
	t.Helper()
	var n int = -1
	a.page(c, "/chat/").Find("[data-testid=room-item]").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Find("a").Text(), room) {
			n, _ = strconv.Atoi(strings.Fields(s.Find("[data-testid=room-online]").Text())[0])
		}
	})
	return n
}

func lastMessageID(t *testing.T, a *testApp, room string) string {
	t.Helper()
	r, err := a.store.RoomByName(t.Context(), room)
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.store.LastMessageID(t.Context(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(id, 10)
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func last(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

func TestRoomWithExactlyOnePageOffersNoOlder(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	a.createRoom(c, "general")
	for i := range 50 {
		a.postForm(c, "/chat/general/messages", url.Values{"message": {"m" + strconv.Itoa(i)}}, true)
	}
	doc := a.page(c, "/chat/general/")
	if n := doc.Find("[data-testid=message]").Length(); n != 50 {
		t.Fatalf("%d messages shown, want 50", n)
	}
	if doc.Find("#load-older-link").Length() != 0 {
		t.Error("offers older messages in a room that has none")
	}
}

// Visiting a room's address creates nothing, from this site or another:
// a room that does not exist gets "Create #name?" and one button that
// posts the create-or-join form.
func TestVisitingAnAddressCreatesNoRoom(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	a.createRoom(c, "existing")
	for _, tt := range []struct {
		room, site string
		wantRoom   bool
	}{
		{"existing", "cross-site", true},
		{"existing", "none", true},
		{"planted", "cross-site", false},
		{"planted", "same-site", false},
		{"typed", "none", false},
		{"linked", "same-origin", false},
	} {
		req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/chat/"+tt.room+"/", nil)
		req.Header.Set("Sec-Fetch-Site", tt.site)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		doc := parse(t, resp)
		resp.Body.Close()
		if want := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}[tt.wantRoom]; resp.StatusCode != want {
			t.Fatalf("%s from %s: status %d, want %d", tt.room, tt.site, resp.StatusCode, want)
		}
		if _, err = a.store.RoomByName(t.Context(), tt.room); err == nil != tt.wantRoom {
			t.Errorf("%s from %s: the room exists: %v", tt.room, tt.site, err == nil)
		}
		if tt.wantRoom {
			continue
		}
		if got := strings.Join(strings.Fields(doc.Find("[data-testid=create-room-title]").Text()), " "); got != "Create #"+tt.room+"?" {
			t.Errorf("%s from %s: the page asks %q", tt.room, tt.site, got)
		}
		form := doc.Find("[data-testid=create-room]").Closest("form")
		if form.AttrOr("action", "") != "/chat/" || form.AttrOr("method", "") != "post" || form.Find("input[name=room]").AttrOr("value", "") != tt.room {
			t.Errorf("%s from %s: the button does not post the room's name to /chat/", tt.room, tt.site)
		}
	}

	// The one click.
	resp := a.postForm(c, "/chat/", url.Values{"room": {"typed"}}, false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/chat/typed/" {
		t.Fatalf("create from the prompt: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if doc := a.page(c, "/chat/typed/"); doc.Find("#room-title").Text() != "#typed" {
		t.Errorf("the new room's page is titled %q", doc.Find("#room-title").Text())
	}
}

// The create-or-join form takes a room name as people type it: a leading
// # goes, spaces become -, and the room page says what the name became,
// once.
func TestRoomNameIsCleaned(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	a.createRoom(c, "general")
	for _, tt := range []struct{ typed, room, notice string }{
		{"#general", "general", "“#general” is #general"},
		{"my room", "my-room", "“my room” is #my-room"},
		{" # big  team\troom ", "big-team-room", "is #big-team-room"},
		{"plain", "plain", ""},
	} {
		resp := a.postForm(c, "/chat/", url.Values{"room": {tt.typed}}, false)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/chat/"+tt.room+"/" {
			t.Errorf("%q: %d to %q, want the room %s", tt.typed, resp.StatusCode, loc, tt.room)
			continue
		}
		notice := a.page(c, "/chat/"+tt.room+"/").Find("[data-testid=room-notice]").Text()
		if tt.notice == "" && notice != "" || !strings.Contains(notice, tt.notice) {
			t.Errorf("%q: the room page notes %q, want %q", tt.typed, notice, tt.notice)
		}
		if again := a.page(c, "/chat/"+tt.room+"/").Find("[data-testid=room-notice]").Length(); again != 0 {
			t.Errorf("%q: the note shows again on the next visit", tt.typed)
		}
	}
	doc := a.page(c, "/chat/")
	if got := doc.Find("[data-testid=room-item]").Length(); got != 4 {
		t.Errorf("%d rooms, want general, my-room, big-team-room and plain", got)
	}
}
