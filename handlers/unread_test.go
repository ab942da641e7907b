package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/ratelimit"
	"github.com/minidiscord/minidiscord/realtime"
)

// withQuickSidebar broadcasts rooms' activity every 50 ms and announces
// typing at most every 200 ms, so tests do not wait seconds.
func withQuickSidebar() appOption {
	return withConfig(func(c *handlers.Config) {
		c.ActivityEvery = 50 * time.Millisecond
		c.Typing = realtime.TypingOptions{TTL: 2 * time.Second, Every: 200 * time.Millisecond, KeepAlive: time.Second}
	})
}

// sideItem is a room's entry in a page's sidebar or rooms list as a person
// sees it.
type sideItem struct {
	Bold              bool
	Unread, Mentions  string // "" when hidden
	Online            string // the number; "" when hidden
	ScreenReaderWords string
}

func sidebar(doc *goquery.Document) map[string]sideItem {
	out := map[string]sideItem{}
	doc.Find("li[data-room-name]").Each(func(_ int, li *goquery.Selection) {
		shown := func(sel string) string {
			s := li.Find(sel)
			if _, hidden := s.Attr("hidden"); hidden || s.Length() == 0 {
				return ""
			}
			return strings.TrimSpace(s.Text())
		}
		online := shown(".online-count")
		if online != "" {
			online = strings.TrimSpace(li.Find(".online-count .n").Text())
		}
		name, _ := li.Attr("data-room-name")
		out[name] = sideItem{
			Bold:              li.HasClass("unread"),
			Unread:            shown(".unread-count"),
			Mentions:          shown(".mention-count"),
			Online:            online,
			ScreenReaderWords: shown(".unread-note"),
		}
	})
	return out
}

func pageTitle(doc *goquery.Document) string { return strings.TrimSpace(doc.Find("title").Text()) }

// unreadState is an "unread" event.
type unreadState struct {
	Full  bool `json:"full"`
	Rooms []struct {
		ID       int64 `json:"id"`
		Opened   bool  `json:"opened"`
		Read     int64 `json:"read"`
		Last     int64 `json:"last"`
		Unread   int   `json:"unread"`
		Mentions int   `json:"mentions"`
		Online   *int  `json:"online"`
	} `json:"rooms"`
}

func decode[T any](t *testing.T, ev sseEvent) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(ev.Data), &v); err != nil {
		t.Fatalf("%s event: %v: %s", ev.Name, err, ev.Data)
	}
	return v
}

func (a *testApp) roomID(name string) int64 {
	a.t.Helper()
	r, err := a.store.RoomByName(context.Background(), name)
	if err != nil {
		a.t.Fatal(err)
	}
	return r.ID
}

// TestUnreadOnThePage: each person's sidebar shows their own unread counts
// and mentions, the title the total; a room never opened is bold without a
// count; opening a room reads it and shows where the unread messages
// begin; your own messages are never unread to you.
func TestUnreadOnThePage(t *testing.T) {
	a := newApp(t)
	ann, bob, chen := a.user("ann"), a.user("bob"), a.user("chen")
	a.createRoom(ann, "general")
	a.createRoom(ann, "random")
	a.get(bob, "/chat/general/")
	a.get(bob, "/chat/random/")
	a.say(ann, "general", "first")
	a.say(ann, "general", "second, @bob")
	a.say(ann, "general", "third, @Bob again and @nobody")

	doc := a.page(bob, "/chat/random/")
	if got, want := sidebar(doc)["general"], (sideItem{Bold: true, Unread: "3", Mentions: "@2", Online: "", ScreenReaderWords: ", 3 unread messages, 2 mentions"}); got != want {
		t.Errorf("bob's sidebar, #general: %+v, want %+v", got, want)
	}
	if got := pageTitle(doc); !strings.HasPrefix(got, "(3) #random") {
		t.Errorf("bob's title %q, want (3) #random first", got)
	}
	// The rooms list says the same.
	if got := sidebar(a.page(bob, "/chat/"))["general"]; !got.Bold || got.Unread != "3" || got.Mentions != "@2" {
		t.Errorf("bob's rooms list, #general: %+v", got)
	}
	// chen never opened #general: new, without a count.
	if got, want := sidebar(a.page(chen, "/chat/"))["general"], (sideItem{Bold: true, Online: "0", ScreenReaderWords: ", new messages"}); got != want {
		t.Errorf("chen's rooms list, #general: %+v, want %+v", got, want)
	}
	// ann wrote them: nothing unread for her.
	if got := sidebar(a.page(ann, "/chat/random/"))["general"]; got.Bold || got.Unread != "" {
		t.Errorf("ann's own messages are unread to her: %+v", got)
	}

	// bob opens #general: read, and the divider sits above "first".
	doc = a.page(bob, "/chat/general/")
	div := doc.Find("[data-testid=new-divider]")
	if div.Length() != 1 || strings.TrimSpace(div.NextAllFiltered("article").First().Find("[data-testid=message-content]").Text()) != "first" {
		t.Errorf("the new-since-you-left divider: %d of them, before %q", div.Length(), div.NextAllFiltered("article").First().Text())
	}
	if got := sidebar(doc)["general"]; got.Bold || got.Unread != "" || got.Mentions != "" {
		t.Errorf("#general while bob reads it: %+v", got)
	}
	if got := pageTitle(doc); strings.HasPrefix(got, "(") {
		t.Errorf("title after reading: %q", got)
	}
	if got := sidebar(a.page(bob, "/chat/random/"))["general"]; got.Bold || got.Unread != "" || got.Mentions != "" {
		t.Errorf("#general after bob read it: %+v", got)
	}
	// Read again with nothing new: no divider.
	if n := a.page(bob, "/chat/general/").Find("[data-testid=new-divider]").Length(); n != 0 {
		t.Errorf("%d dividers with nothing new", n)
	}
}

// TestUnreadCountsStopAt99: a room far behind costs a bounded count and
// shows "99+".
func TestUnreadCountsStopAt99(t *testing.T) {
	a := newApp(t)
	ann, bob := a.user("ann"), a.user("bob")
	a.createRoom(ann, "general")
	a.get(bob, "/chat/general/")
	for i := range 105 {
		a.say(ann, "general", "flood "+itoa(int64(i)))
	}
	doc := a.page(bob, "/chat/")
	if got := sidebar(doc)["general"].Unread; got != "99+" {
		t.Errorf("unread count after 105 messages: %q, want 99+", got)
	}
	if got := pageTitle(doc); !strings.HasPrefix(got, "(99+) Rooms") {
		t.Errorf("title %q", got)
	}
}

// TestUnreadLive: what bob's open pages hear. A stream opens with his whole
// sidebar; a mention of him arrives at once on all his streams (a room's,
// and the rooms list's on his other device); new messages reach every
// stream in one gathered broadcast; his reading on one device clears the
// room on the other.
func TestUnreadLive(t *testing.T) {
	a := newApp(t, withQuickSidebar())
	ann, bob, bobPhone := a.user("ann"), a.user("bob"), a.client()
	a.postForm(bobPhone, "/accounts/login/", url.Values{"username": {"bob"}, "password": {"correct horse bob"}}, false)
	a.createRoom(ann, "general")
	a.createRoom(ann, "random")
	general := a.roomID("general")
	a.get(bob, "/chat/general/")

	desk := a.openStream(bob, "random", "", "")
	phone := a.openUserStream(bobPhone)
	for _, s := range []*stream{desk, phone} {
		st := decode[unreadState](t, s.next("unread"))
		if !st.Full || len(st.Rooms) != 2 || st.Rooms[0].ID != general || !st.Rooms[0].Opened || st.Rooms[0].Unread != 0 || st.Rooms[0].Online == nil {
			t.Errorf("the sidebar a stream opens with: %+v", st)
		}
	}

	a.say(ann, "general", "hello")
	a.say(ann, "general", "@bob look")
	// On each stream, the mention at once, and both posts, with their
	// authors, in the gathered broadcasts.
	var posts [][2]int64
	for _, s := range []*stream{desk, phone} {
		var mentioned bool
		posts = nil
		for !mentioned || len(posts) < 2 {
			ev := s.nextOf("mention", "rooms")
			if ev.Name == "mention" {
				m := decode[struct {
					Room   int64  `json:"room"`
					Author string `json:"author"`
					Text   string `json:"text"`
				}](t, ev)
				if m.Room != general || m.Author != "ann" || m.Text != "@bob look" {
					t.Errorf("mention event %+v", m)
				}
				mentioned = true
				continue
			}
			n := decode[struct {
				Rooms []struct {
					ID    int64      `json:"id"`
					Posts [][2]int64 `json:"posts"`
				} `json:"rooms"`
			}](t, ev)
			for _, r := range n.Rooms {
				if r.ID == general {
					posts = append(posts, r.Posts...)
				}
			}
		}
		if len(posts) != 2 || posts[0][0] >= posts[1][0] {
			t.Errorf("posts broadcast: %v", posts)
		}
	}

	// bob reads #general on his desk: both streams hear the room is clear.
	resp := a.postForm(bob, "/chat/general/read", url.Values{"last": {itoa(posts[1][0])}}, false)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("read: status %d: %s", resp.StatusCode, readBody(resp))
	}
	for _, s := range []*stream{desk, phone} {
		st := decode[unreadState](t, s.next("unread"))
		if st.Full || len(st.Rooms) != 1 || st.Rooms[0].ID != general || st.Rooms[0].Unread != 0 || st.Rooms[0].Mentions != 0 || st.Rooms[0].Read != posts[1][0] {
			t.Errorf("after the read: %+v", st)
		}
	}
	if got := sidebar(a.page(bobPhone, "/chat/"))["general"]; got.Bold {
		t.Errorf("#general on bob's phone after reading on his desk: %+v", got)
	}
	// A mark past the newest message stops at it; one behind moves nothing.
	a.postForm(bob, "/chat/general/read", url.Values{"last": {"999999"}}, false)
	st := decode[unreadState](t, desk.next("unread"))
	if st.Rooms[0].Read != posts[1][0] {
		t.Errorf("a mark past the end read up to %d, want %d", st.Rooms[0].Read, posts[1][0])
	}
}

// TestMentionEventIsEscaped: the text of a mention reaches its event as
// JSON with no markup left in it.
func TestMentionEventIsEscaped(t *testing.T) {
	a := newApp(t)
	ann, bob := a.user("ann"), a.user("bob")
	a.createRoom(ann, "general")
	s := a.openStream(bob, "general", "", "")
	hostile := "<img src=x onerror=alert(1)> & </script> @bob"
	a.say(ann, "general", hostile)
	ev := s.next("mention")
	if strings.ContainsAny(ev.Data, "<>") {
		t.Errorf("mention event carries markup: %s", ev.Data)
	}
	if m := decode[struct {
		Text string `json:"text"`
	}](t, ev); m.Text != hostile {
		t.Errorf("mention text %q, want it exactly as typed", m.Text)
	}
}

// TestSidebarOnReconnect: a stream that comes back after messages and a
// mention it missed ends with the sidebar a reload shows.
func TestSidebarOnReconnect(t *testing.T) {
	a := newApp(t, withQuickSidebar())
	ann, bob := a.user("ann"), a.user("bob")
	a.createRoom(ann, "general")
	a.createRoom(ann, "random")
	a.get(bob, "/chat/general/")
	a.get(bob, "/chat/random/")
	s := a.openStream(bob, "random", "", "")
	s.next("unread")
	s.close()

	a.say(ann, "general", "while you were out")
	a.say(ann, "general", "@bob ping")
	a.say(ann, "random", "and here")

	reload := sidebar(a.page(bob, "/chat/"))
	s = a.openStream(bob, "random", "after=0", "")
	st := decode[unreadState](t, s.next("unread"))
	got := map[int64][2]int{}
	for _, r := range st.Rooms {
		got[r.ID] = [2]int{r.Unread, r.Mentions}
	}
	if g := got[a.roomID("general")]; g != [2]int{2, 1} || reload["general"].Unread != "2" || reload["general"].Mentions != "@1" {
		t.Errorf("#general on reconnect %v, on reload %+v; want 2 unread, 1 mention", g, reload["general"])
	}
	if g := got[a.roomID("random")]; g != [2]int{1, 0} || reload["random"].Unread != "1" {
		t.Errorf("#random on reconnect %v, on reload %+v; want 1 unread", g, reload["random"])
	}
}

// TestOnlineCountsCountTheViewer: the room you are in counts you, in the
// online list and in the sidebar, with a stream and without one.
func TestOnlineCountsCountTheViewer(t *testing.T) {
	a := newApp(t, withQuickSidebar())
	ann, bob := a.user("ann"), a.user("bob")
	a.createRoom(ann, "general")
	a.createRoom(ann, "random")

	// Without JavaScript there is no stream: bob is still there.
	doc := a.page(bob, "/chat/general/")
	if got := doc.Find("#online-count").Text(); got != "1" {
		t.Errorf("ONLINE %s on bob's own page, want 1", got)
	}
	if got := sidebar(doc)["general"].Online; got != "1" {
		t.Errorf("#general's count in bob's sidebar: %q, want 1", got)
	}
	// ann is in #general with a stream: bob's page counts both.
	annStream := a.openStream(ann, "general", "", "")
	annStream.next("unread")
	waitFor(t, "ann online", func() bool { return a.hub.OnlineCounts()[a.roomID("general")] == 1 })
	doc = a.page(bob, "/chat/general/")
	if got, items := doc.Find("#online-count").Text(), doc.Find("#online-list li").Length(); got != "2" || items != 2 {
		t.Errorf("ONLINE %s with %d entries, want 2 (ann and bob)", got, items)
	}
	if got := sidebar(doc)["general"].Online; got != "2" {
		t.Errorf("#general's count in bob's sidebar: %q, want 2", got)
	}
	// bob's stream opens: every sidebar hears #general has 2.
	bobStream := a.openStream(bob, "general", "", "")
	for {
		n := decode[struct {
			Rooms []struct {
				ID     int64 `json:"id"`
				Online *int  `json:"online"`
			} `json:"rooms"`
		}](t, annStream.next("rooms"))
		if len(n.Rooms) == 1 && n.Rooms[0].Online != nil && *n.Rooms[0].Online == 2 {
			break
		}
	}
	bobStream.close()
}

// TestTyping: "typing" events carry the room's set of typists, gathered;
// sending a message ends yours; nothing is stored, and the stream of a
// room opens with who is typing there.
func TestTyping(t *testing.T) {
	a := newApp(t, withQuickSidebar())
	ann, bob := a.user("ann"), a.user("bob")
	a.createRoom(ann, "general")
	listen := a.openStream(bob, "general", "", "")
	if ev := decode[typingSet](t, listen.next("typing")); ev.N != 0 {
		t.Errorf("typing set on opening a quiet room: %+v", ev)
	}
	before := a.snapshot()

	typers := []*http.Client{ann}
	for i := range 24 {
		typers = append(typers, a.user("typist"+itoa(int64(i))))
	}
	start := time.Now()
	for _, c := range typers {
		resp := a.postForm(c, "/chat/general/typing", nil, true)
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("typing: status %d: %s", resp.StatusCode, readBody(resp))
		}
	}
	var events []typingSet
	for {
		ev := decode[typingSet](t, listen.next("typing"))
		events = append(events, ev)
		if ev.N == len(typers) {
			break
		}
	}
	if max := int(time.Since(start)/(200*time.Millisecond)) + 1; len(events) > max {
		t.Errorf("%d typing events for %d typists, want them gathered (at most %d)", len(events), len(typers), max)
	}
	last := events[len(events)-1]
	if len(last.Typing) != 10 || last.Src == "" {
		t.Errorf("a set of %d names %d listed, src %q; want 10 listed", last.N, len(last.Typing), last.Src)
	}
	// A stream opening now hears the set at once.
	late := a.openStream(ann, "general", "", "")
	if ev := decode[typingSet](t, late.next("typing")); ev.N != len(typers) {
		t.Errorf("a new stream's typing set: %d, want %d", ev.N, len(typers))
	}

	// ann sends: she is off the list.
	a.say(ann, "general", "done")
	for {
		ev := decode[typingSet](t, listen.next("typing"))
		if ev.N == len(typers)-1 {
			for _, ty := range ev.Typing {
				if ty.Name == "ann" {
					t.Errorf("ann still typing after she sent: %+v", ev)
				}
			}
			break
		}
	}
	// Nothing was stored but her message.
	after := a.snapshot()
	before.users += len(typers) - 1
	before.sessions += len(typers) - 1
	before.messages++
	if after != before {
		t.Errorf("typing changed the database: %+v, want %+v", after, before)
	}
	// The rest stop typing: the set empties on its own.
	for {
		if ev := decode[typingSet](t, listen.next("typing")); ev.N == 0 {
			break
		}
	}
}

type typingSet struct {
	Src    string `json:"src"`
	N      int    `json:"n"`
	Typing []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"typing"`
}

// TestReadAndTypingAreGuarded: only logged-in people, only rooms that
// exist, only from this site, well-formed, and rate-limited.
func TestReadAndTypingAreGuarded(t *testing.T) {
	a := newApp(t, withLimits(handlers.RateLimits{
		ReadPerUser:   ratelimit.Limit{Events: 3, Per: time.Minute},
		TypingPerUser: ratelimit.Limit{Events: 2, Per: time.Minute},
	}))
	ann := a.user("ann")
	a.createRoom(ann, "general")
	anon := a.client()
	for _, p := range []string{"/chat/general/read", "/chat/general/typing"} {
		if resp := a.postForm(anon, p, url.Values{"last": {"1"}}, true); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous POST %s: %d, want 401", p, resp.StatusCode)
		}
		if resp := a.postForm(ann, strings.Replace(p, "general", "nowhere", 1), url.Values{"last": {"1"}}, true); resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s to a room that does not exist: %d, want 404", p, resp.StatusCode)
		}
		resp := a.send(ann, http.MethodPost, p, "last=1", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d, want 403", p, resp.StatusCode)
		}
	}
	if resp := a.get(anon, "/events"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous /events: %d, want 401", resp.StatusCode)
	}
	for _, bad := range []url.Values{{}, {"last": {"x"}}, {"last": {"-1"}}, {"last": {"1", "2"}}} {
		if resp := a.postForm(ann, "/chat/general/read", bad, true); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("read with %v: %d, want 400", bad, resp.StatusCode)
		}
	}
	codes := func(path string, n int) []int {
		var out []int
		for range n {
			out = append(out, a.postForm(ann, path, url.Values{"last": {"0"}}, true).StatusCode)
		}
		return out
	}
	if got := codes("/chat/general/typing", 3); got[0] != 204 || got[1] != 204 || got[2] != 429 {
		t.Errorf("three typing signals at once: %v, want 204 204 429", got)
	}
	// (Reads refused as malformed cost nothing.)
	if got := codes("/chat/general/read", 4); got[0] != 204 || got[2] != 204 || got[3] != 429 {
		t.Errorf("four reads at once: %v, want three 204 then 429", got)
	}
}

// openUserStream opens the rooms list's stream (/events).
func (a *testApp) openUserStream(c *http.Client) *stream {
	a.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, a.srv.URL+"/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	sc := *c
	sc.Timeout = 0
	resp, err := sc.Do(req)
	if err != nil {
		cancel()
		a.t.Fatalf("open /events: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		cancel()
		a.t.Fatalf("open /events: status %d: %s", resp.StatusCode, readBody(resp))
	}
	s := &stream{t: a.t, resp: resp, cancel: cancel, events: make(chan sseEvent, 1024), retry: make(chan string, 16)}
	go s.read()
	a.t.Cleanup(s.close)
	return s
}

// nextOf waits for the next event with one of these names, skipping others.
func (s *stream) nextOf(names ...string) sseEvent {
	s.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				s.t.Fatalf("stream ended while waiting for %q", names)
			}
			if slices.Contains(names, ev.Name) {
				return ev
			}
		case <-deadline:
			s.t.Fatalf("no %q event within 5s", names)
		}
	}
}

// waitFor polls cond until it holds, for at most 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 5s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
