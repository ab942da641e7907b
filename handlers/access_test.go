package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/models"
)

// The people of the authorization matrix, one per column.
var matrixRoles = []string{"anonymous", "outsider", "banned", "muted", "member", "moderator", "owner", "staff"}

// matrixRow is one room-scoped route, with the status each role gets in a
// public room, a private room and a DM ("S" rows: a search that must find
// the room's message exactly when its page opens).
type matrixRow struct {
	name, method, path, body string
	// public, private, dm: one status per matrixRoles column.
	public, private, dm string
	// fresh: the route changes its message (delete): each cell gets its own.
	fresh bool
	// stream: a stream opens (200) and is closed at once.
	stream bool
}

// In the DM, owner and member are the two people; everyone else is not in
// it. In the private room, "banned" was a member and was removed.
var matrixRows = []matrixRow{
	{name: "page", method: "GET", path: "/chat/{room}/",
		public: "303 200 404 200 200 200 200 200", private: "303 404 404 200 200 200 200 200", dm: "303 404 404 404 200 404 200 404"},
	{name: "history", method: "GET", path: "/chat/{room}/messages?before={msg}",
		public: "303 200 404 200 200 200 200 200", private: "303 404 404 200 200 200 200 200", dm: "303 404 404 404 200 404 200 404"},
	{name: "stream", method: "GET", path: "/chat/{room}/events", stream: true,
		public: "401 200 404 200 200 200 200 200", private: "401 404 404 200 200 200 200 200", dm: "401 404 404 404 200 404 200 404"},
	{name: "resume", method: "GET", path: "/chat/{room}/events?after=1", stream: true,
		public: "401 200 404 200 200 200 200 200", private: "401 404 404 200 200 200 200 200", dm: "401 404 404 404 200 404 200 404"},
	{name: "stream why (HEAD)", method: "HEAD", path: "/chat/{room}/events",
		public: "401 200 404 200 200 200 200 200", private: "401 404 404 200 200 200 200 200", dm: "401 404 404 404 200 404 200 404"},
	{name: "mention list", method: "GET", path: "/chat/{room}/mentions?q=",
		public: "401 200 404 200 200 200 200 200", private: "401 404 404 200 200 200 200 200", dm: "401 404 404 404 200 404 200 404"},
	{name: "post", method: "POST", path: "/chat/{room}/messages", body: "message=hello",
		public: "401 303 404 403 303 303 303 303", private: "401 404 404 403 303 303 303 303", dm: "401 404 404 404 303 404 303 404"},
	{name: "read mark", method: "POST", path: "/chat/{room}/read", body: "last={msg}",
		public: "401 204 404 204 204 204 204 204", private: "401 404 404 204 204 204 204 204", dm: "401 404 404 404 204 404 204 404"},
	{name: "typing", method: "POST", path: "/chat/{room}/typing",
		public: "401 204 404 204 204 204 204 204", private: "401 404 404 204 204 204 204 204", dm: "401 404 404 404 204 404 204 404"},
	{name: "permalink", method: "GET", path: "/messages/{msg}",
		public: "303 303 404 303 303 303 303 303", private: "303 404 404 303 303 303 303 303", dm: "303 404 404 404 303 404 303 404"},
	{name: "reply", method: "GET", path: "/messages/{msg}/reply",
		public: "303 303 404 303 303 303 303 303", private: "303 404 404 303 303 303 303 303", dm: "303 404 404 404 303 404 303 404"},
	{name: "edit form", method: "GET", path: "/messages/{msg}/edit",
		public: "303 403 404 403 403 403 200 403", private: "303 404 404 403 403 403 200 403", dm: "303 404 404 404 403 404 200 404"},
	{name: "edit", method: "POST", path: "/messages/{msg}/edit", body: "message=edited",
		public: "401 403 404 403 403 403 303 403", private: "401 404 404 403 403 403 303 403", dm: "401 404 404 404 403 404 303 404"},
	{name: "react picker", method: "GET", path: "/messages/{msg}/react",
		public: "303 200 404 200 200 200 200 200", private: "303 404 404 200 200 200 200 200", dm: "303 404 404 404 200 404 200 404"},
	{name: "react", method: "POST", path: "/messages/{msg}/reactions", body: "emoji=%F0%9F%91%8D",
		public: "401 303 404 303 303 303 303 303", private: "401 404 404 303 303 303 303 303", dm: "401 404 404 404 303 404 303 404"},
	{name: "delete form", method: "GET", path: "/messages/{msg}/delete",
		public: "303 403 404 403 403 200 200 200", private: "303 404 404 403 403 200 200 200", dm: "303 404 404 404 403 404 200 404"},
	{name: "delete", method: "POST", path: "/messages/{msg}/delete", fresh: true,
		public: "401 403 404 403 403 303 303 303", private: "401 404 404 403 403 303 303 303", dm: "401 404 404 404 403 404 303 404"},
	{name: "settings", method: "GET", path: "/chat/{room}/settings",
		public: "303 403 404 403 403 200 200 200", private: "303 404 404 403 403 200 200 200", dm: "303 404 404 404 404 404 404 404"},
	{name: "moderate", method: "POST", path: "/chat/{room}/settings", body: "action=unmute&user=member",
		public: "303 403 404 403 403 303 303 303", private: "303 404 404 403 403 303 303 303", dm: "303 404 404 404 404 404 404 404"},
	{name: "file", method: "GET", path: "/files/{file}",
		public: "401 200 404 200 200 200 200 200", private: "401 404 404 200 200 200 200 200", dm: "401 404 404 404 200 404 200 404"},
	{name: "thumbnail", method: "GET", path: "/files/{file}/thumb",
		public: "401 200 404 200 200 200 200 200", private: "401 404 404 200 200 200 200 200", dm: "401 404 404 404 200 404 200 404"},
	{name: "search", method: "GET", path: "/search?q={word}",
		public: "303 S - S S S S S", private: "303 - - S S S S S", dm: "303 - - - S - S -"},
}

// matrixWorld is the rooms and people the matrix is walked in.
type matrixWorld struct {
	a       *testApp
	clients map[string]*http.Client
	rooms   map[string]string // kind -> room name
	words   map[string]string // kind -> a word only that room's message holds
	files   map[string]int64  // kind -> a picture posted there
}

func newMatrixWorld(t *testing.T) *matrixWorld {
	a := newApp(t)
	w := &matrixWorld{a: a, clients: map[string]*http.Client{"anonymous": a.client()}, rooms: map[string]string{}, words: map[string]string{}, files: map[string]int64{}}
	for _, r := range matrixRoles[1:] {
		if r == "staff" {
			w.clients[r] = a.staff(r)
		} else {
			w.clients[r] = a.user(r)
		}
	}
	owner := w.clients["owner"]
	settings := func(room string, form url.Values) {
		t.Helper()
		if resp := a.postForm(owner, "/chat/"+room+"/settings", form, false); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s settings %v: %d %s", room, form, resp.StatusCode, readBody(resp))
		}
	}

	a.createRoom(owner, "openhall")
	settings("openhall", url.Values{"action": {"promote"}, "user": {"moderator"}})
	settings("openhall", url.Values{"action": {"mute"}, "user": {"muted"}, "minutes": {"60"}})
	settings("openhall", url.Values{"action": {"ban"}, "user": {"banned"}})
	w.rooms["public"] = "openhall"

	if resp := a.postForm(owner, "/chat/", url.Values{"room": {"backroom"}, "private": {"1"}}, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create a private room: %d", resp.StatusCode)
	}
	for _, u := range []string{"moderator", "member", "muted", "banned"} {
		settings("backroom", url.Values{"action": {"invite"}, "user": {u}})
	}
	settings("backroom", url.Values{"action": {"promote"}, "user": {"moderator"}})
	settings("backroom", url.Values{"action": {"mute"}, "user": {"muted"}, "minutes": {"60"}})
	settings("backroom", url.Values{"action": {"remove"}, "user": {"banned"}})
	w.rooms["private"] = "backroom"

	resp := a.postForm(owner, "/dm/", url.Values{"user": {"member"}}, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("open a DM: %d %s", resp.StatusCode, readBody(resp))
	}
	w.rooms["dm"] = strings.Trim(strings.TrimPrefix(resp.Header.Get("Location"), "/chat/"), "/")

	for kind, room := range w.rooms {
		w.words[kind] = "zebra" + kind
		w.post(t, room, "the "+w.words[kind]+" message")
		if resp := a.postFiles(owner, room, "", false, upload{"pic.png", pngOf(t, 40, 30)}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("a picture in %s: %d %s", room, resp.StatusCode, readBody(resp))
		}
		var id int64
		if err := a.store.DB().NewSelect().Table("attachments").ColumnExpr("max(id)").Scan(context.Background(), &id); err != nil {
			t.Fatal(err)
		}
		w.files[kind] = id
	}
	return w
}

// post writes a message as the owner and returns its id.
func (w *matrixWorld) post(t *testing.T, room, text string) int64 {
	t.Helper()
	if resp := w.a.postForm(w.clients["owner"], "/chat/"+room+"/messages", url.Values{"message": {text}}, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("post in %s: %d", room, resp.StatusCode)
	}
	r, err := w.a.store.RoomByName(context.Background(), room)
	if err != nil {
		t.Fatal(err)
	}
	id, err := w.a.store.LastMessageID(context.Background(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *matrixWorld) do(t *testing.T, c *http.Client, method, path, body string, stream bool) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, w.a.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if stream {
		req.Header.Set("Accept", "text/event-stream")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if stream && resp.StatusCode == http.StatusOK {
		return resp.StatusCode, "" // open: that is the answer; closing ends it
	}
	return resp.StatusCode, readBody(resp)
}

// TestAccessMatrix walks every room-scoped route as every role in a public
// room, a private room and a DM, and checks each status; every 404 for a
// room that exists must read exactly as the same route's 404 for one that
// does not, so names and ids cannot be probed. Run on SQLite, and on
// PostgreSQL with MINIDISCORD_TEST_DB=postgres.
func TestAccessMatrix(t *testing.T) {
	w := newMatrixWorld(t)
	cells := 0
	for _, kind := range []string{"public", "private", "dm"} {
		room := w.rooms[kind]
		msg := w.post(t, room, "a message for the matrix")
		for _, row := range matrixRows {
			want := strings.Fields(map[string]string{"public": row.public, "private": row.private, "dm": row.dm}[kind])
			if len(want) != len(matrixRoles) {
				t.Fatalf("%s %s: %d cells for %d roles", row.name, kind, len(want), len(matrixRoles))
			}
			for i, role := range matrixRoles {
				id := msg
				if row.fresh {
					id = w.post(t, room, "one to delete")
				}
				path := strings.NewReplacer("{room}", url.PathEscape(room), "{msg}", itoa(id), "{word}", w.words[kind], "{file}", itoa(w.files[kind])).Replace(row.path)
				body := strings.ReplaceAll(row.body, "{msg}", itoa(id))
				status, text := w.do(t, w.clients[role], row.method, path, body, row.stream)
				cells++
				switch want[i] {
				case "S", "-":
					found := strings.Contains(text, `data-testid="search-result"`)
					if status != http.StatusOK || found != (want[i] == "S") {
						t.Errorf("%s in the %s room as %s: status %d, found %v, want found %v", row.name, kind, role, status, found, want[i] == "S")
					}
					continue
				}
				if got := itoa(int64(status)); got != want[i] {
					t.Errorf("%s %s in the %s room as %s: status %s, want %s: %.200q", row.method, path, kind, role, got, want[i], text)
					continue
				}
				sees := strings.Fields(map[string]string{"public": matrixRows[0].public, "private": matrixRows[0].private, "dm": matrixRows[0].dm}[kind])[i] == "200"
				if status == http.StatusNotFound && row.method != "HEAD" && !sees {
					w.sameAsNothing(t, w.clients[role], row, room, id, text)
				}
			}
		}
	}
	t.Logf("%d cells: %d routes × %d roles × 3 kinds of room", cells, len(matrixRows), len(matrixRoles))
}

// sameAsNothing checks a 404 for a room or message that exists reads as
// the same route's 404 for one that does not (names put back).
func (w *matrixWorld) sameAsNothing(t *testing.T, c *http.Client, row matrixRow, room string, id int64, got string) {
	t.Helper()
	ghost := strings.Repeat("q", len(room))
	if strings.HasPrefix(room, "dm-") {
		ghost = "dm-" + strings.Repeat("9", len(room)-3)
	}
	const noID = 999999999
	path := strings.NewReplacer("{room}", ghost, "{msg}", itoa(noID), "{word}", "x", "{file}", itoa(noID)).Replace(row.path)
	body := strings.ReplaceAll(row.body, "{msg}", itoa(noID))
	status, text := w.do(t, c, row.method, path, body, row.stream)
	norm := func(s, name, msg string) string {
		return strings.ReplaceAll(s, name, "ROOM") // ids are not in a 404's words
	}
	_ = func() {
	}
	a, b := norm(got, room, itoa(id)), norm(text, ghost, itoa(noID))
	if status != http.StatusNotFound || a != b {
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		from := max(0, i-80)
		t.Errorf("%s: a hidden %s answers %q…\nbut one that does not exist (%d) %q…", row.name, room, a[from:min(len(a), i+120)], status, b[from:min(len(b), i+120)])
	}
}

// TestPrivateRoomsListedToMembersOnly: the sidebars, the rooms page and the
// sidebar snapshot of a stream name a private room and a DM to their
// members only, and a mention of an outsider there notifies nobody.
func TestPrivateRoomsListedToMembersOnly(t *testing.T) {
	w := newMatrixWorld(t)
	a := w.a
	for _, role := range []string{"outsider", "banned", "staff", "moderator"} {
		body := readBody(a.get(w.clients[role], "/chat/"))
		if strings.Contains(body, w.rooms["dm"]) {
			t.Errorf("%s's rooms page names the DM", role)
		}
		if role == "outsider" || role == "banned" {
			page := readBody(a.get(w.clients[role], "/chat/openhall/"))
			for _, hidden := range []string{`data-room-name="backroom"`, w.rooms["dm"]} {
				if strings.Contains(body, hidden) || strings.Contains(page, hidden) {
					t.Errorf("%s is shown %s", role, hidden)
				}
			}
		}
	}
	if !strings.Contains(readBody(a.get(w.clients["member"], "/chat/")), `data-room-name="`+w.rooms["dm"]+`"`) {
		t.Error("the DM is not in its member's rooms")
	}
	// Mention completion in the private room lists members only.
	list := readBody(a.get(w.clients["member"], "/chat/backroom/mentions?q="))
	if strings.Contains(list, "outsider") || !strings.Contains(list, "moderator") {
		t.Errorf("mention options in backroom: %s", list)
	}
	// A mention of an outsider in the private room notifies nobody.
	s := a.openStream(w.clients["outsider"], "openhall", "", "")
	w.post(t, "backroom", "hey @outsider")
	s.quiet("mention", 300*time.Millisecond)
	if st, err := a.store.RoomStates(context.Background(), userID(t, a, "outsider")); err != nil {
		t.Fatal(err)
	} else {
		for _, r := range st {
			if r.Name == "backroom" || r.Kind == models.RoomDM {
				t.Errorf("outsider's states list %s", r.Name)
			}
		}
	}
}

func userID(t *testing.T, a *testApp, name string) int64 {
	t.Helper()
	u, err := a.store.UserByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestKickEndsStream: removing a member ends their open stream of the room
// at once, after an "access" event saying why; a ban does the same in a
// public room, and a mute reaches the member's page as an event.
func TestKickEndsStream(t *testing.T) {
	w := newMatrixWorld(t)
	a := w.a
	for _, tc := range []struct{ room, action string }{{"backroom", "remove"}, {"openhall", "ban"}} {
		member := a.user("x" + tc.action)
		if tc.room == "backroom" {
			a.postForm(w.clients["owner"], "/chat/backroom/settings", url.Values{"action": {"invite"}, "user": {"x" + tc.action}}, false)
		}
		s := a.openStream(member, tc.room, "", "")
		s.next("unread")
		resp := a.postForm(w.clients["moderator"], "/chat/"+tc.room+"/settings", url.Values{"action": {tc.action}, "user": {"x" + tc.action}}, false)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", tc.action, resp.StatusCode, readBody(resp))
		}
		ev := s.next("access")
		if !strings.Contains(ev.Data, `"removed":true`) {
			t.Errorf("%s: access event %s", tc.action, ev.Data)
		}
		select {
		case _, open := <-drain(s):
			if open {
				t.Errorf("%s: the stream goes on", tc.action)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("%s: the stream was not ended", tc.action)
		}
		if status, _ := w.do(t, member, "GET", "/chat/"+tc.room+"/events", "", true); status != http.StatusNotFound {
			t.Errorf("%s: reopening the stream: %d", tc.action, status)
		}
	}
	// A mute reaches the member's page.
	s := a.openStream(w.clients["member"], "backroom", "", "")
	s.next("unread")
	a.postForm(w.clients["moderator"], "/chat/backroom/settings", url.Values{"action": {"mute"}, "user": {"member"}, "minutes": {"10"}}, false)
	if ev := s.next("access"); !strings.Contains(ev.Data, `"muted":true`) {
		t.Errorf("mute event: %s", ev.Data)
	}
	if doc := a.page(w.clients["member"], "/chat/backroom/"); !strings.Contains(doc.Find("#muted-note").Text(), "muted here until") {
		t.Errorf("the composer does not say until when: %q", doc.Find("#muted-note").Text())
	}
	// And the audit log has it all.
	doc := a.page(w.clients["staff"], "/admin/")
	text := doc.Find("[data-testid=admin-audit]").Text()
	for _, want := range []string{"remove", "ban", "mute", "invite", "promote", "xremove", "xban"} {
		if !strings.Contains(text, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
}

// drain reads a stream's events until it ends; the channel closes then.
func drain(s *stream) <-chan sseEvent {
	out := make(chan sseEvent)
	go func() {
		for range s.events {
		}
		close(out)
	}()
	return out
}

// TestPromotionReachesThePage: every room stream starts with the reader's
// place in the room, and a promotion or demotion reaches their open pages
// at once; the page drawn after it agrees (the settings link, and the
// mark that shows Delete on everyone's messages).
func TestPromotionReachesThePage(t *testing.T) {
	a := newApp(t)
	ann, bob := a.user("ann"), a.user("bob")
	a.createRoom(ann, "general")
	s := a.openStream(bob, "general", "", "")
	if ev := s.next("access"); !strings.Contains(ev.Data, `"moderator":false`) || !strings.Contains(ev.Data, `"muted":false`) {
		t.Fatalf("the stream starts with %s", ev.Data)
	}
	page := func() (bool, bool) {
		doc := a.page(bob, "/chat/general/")
		_, mod := doc.Find("#room").Attr("data-moderator")
		return mod, doc.Find("[data-testid=room-settings]").Length() == 1
	}
	if mod, link := page(); mod || link {
		t.Fatalf("a member's page: moderator mark %v, settings link %v", mod, link)
	}

	for _, c := range []struct {
		action string
		want   bool
	}{{"promote", true}, {"demote", false}} {
		if resp := a.postForm(ann, "/chat/general/settings", url.Values{"action": {c.action}, "user": {"bob"}}, false); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", c.action, resp.StatusCode, readBody(resp))
		}
		want := fmt.Sprintf(`"moderator":%v`, c.want)
		if ev := s.next("access"); !strings.Contains(ev.Data, want) {
			t.Errorf("after %s bob's page was told %s, want %s", c.action, ev.Data, want)
		}
		if mod, link := page(); mod != c.want || link != c.want {
			t.Errorf("after %s: moderator mark %v, settings link %v", c.action, mod, link)
		}
	}

	// A muted member's stream starts saying so, until when.
	if resp := a.postForm(ann, "/chat/general/settings", url.Values{"action": {"mute"}, "user": {"bob"}, "minutes": {"10"}}, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("mute: %d", resp.StatusCode)
	}
	again := a.openStream(bob, "general", "", "")
	if ev := again.next("access"); !strings.Contains(ev.Data, `"muted":true`) || !strings.Contains(ev.Data, `"muted_until"`) {
		t.Errorf("a muted member's stream starts with %s", ev.Data)
	}
}
