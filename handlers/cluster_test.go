package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/redis/go-redis/v9"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/models/modelstest"
	"github.com/minidiscord/minidiscord/realtime/cluster"
	"github.com/minidiscord/minidiscord/realtime/cluster/clustertest"
)

// Several instances of the app in one test process: each has its own
// store (one PostgreSQL schema between them), its own hub linked by its own
// Redis connection, and its own HTTP server.

type testCluster struct {
	t      *testing.T
	dsn    string
	prefix string
	ttl    time.Duration
	nodes  int
}

func newCluster(t *testing.T) *testCluster {
	t.Helper()
	prefix := clustertest.Prefix(t) // skips early when Redis is down
	return &testCluster{t: t, dsn: modelstest.PostgresDSN(t), prefix: prefix, ttl: 900 * time.Millisecond}
}

// node is one instance.
type node struct {
	*testApp
	rdb  *redis.Client
	name string // of its Redis connections
}

func (c *testCluster) start(opts ...appOption) *node {
	c.t.Helper()
	store, err := models.Open(context.Background(), c.dsn)
	if err != nil {
		c.t.Fatalf("open %s: %v", c.dsn, err)
	}
	c.t.Cleanup(func() { store.Close() })
	c.nodes++
	name := strings.TrimSuffix(c.prefix, ":") + "-" + strconv.Itoa(c.nodes)
	rdb := clustertest.Redis(c.t, name)
	link := func(cfg *handlers.AppConfig) {
		cfg.Redis = rdb
		cfg.Cluster = cluster.Options{Prefix: c.prefix, PresenceTTL: c.ttl, CheckEvery: time.Second}
	}
	a := startApp(c.t, store, append([]appOption{link, withLeaveGrace(0)}, opts...)...)
	return &node{testApp: a, rdb: rdb, name: name}
}

// kill stops n as a crash would: no goodbyes to Redis, its presence
// records left to lapse.
func (n *node) kill() {
	n.rdb.Close() // heartbeats, publishes and the subscription stop here
	n.srv.CloseClientConnections()
	n.srv.Close()
}

// waitOnline reads presence events until the online count is n and
// returns the last one.
func waitOnline(t *testing.T, s *stream, n int) sseEvent {
	t.Helper()
	for {
		ev := s.next("presence")
		if onlineCount(t, ev) == n {
			return ev
		}
	}
}

func TestClusterDeliversAcrossInstances(t *testing.T) {
	cl := newCluster(t)
	a, b := cl.start(), cl.start()
	alice := a.user("alice")
	bob := b.user("bob") // signed up on B, a session on A too
	a.createRoom(alice, "general")
	onA := a.openStream(alice, "general", "", "")
	onB := b.openStream(bob, "general", "", "")

	for i := range 5 {
		b.postForm(bob, "/chat/general/messages", url.Values{"message": {fmt.Sprint("from B ", i)}}, true)
	}
	ids := onA.messages(5)
	if !slices.IsSorted(ids) {
		t.Fatalf("A got %v, not in order", ids)
	}
	if got := onB.messages(5); !slices.Equal(got, ids) {
		t.Fatalf("B got %v, A got %v", got, ids)
	}

	// Concurrent posters on both instances: every watcher, on either,
	// gets every message once, ids strictly increasing.
	const posters, each = 4, 25
	var wg sync.WaitGroup
	for i, n := range []*node{a, b, a, b, a, b, a, b}[:2*posters] {
		c := n.user(fmt.Sprint("poster", i))
		wg.Go(func() {
			for j := range each {
				resp := n.postForm(c, "/chat/general/messages", url.Values{"message": {fmt.Sprint(i, "-", j)}}, true)
				if resp.StatusCode != 200 {
					t.Errorf("post: status %d: %s", resp.StatusCode, readBody(resp))
				}
			}
		})
	}
	wg.Wait()
	room, err := a.store.RoomByName(t.Context(), "general")
	if err != nil {
		t.Fatal(err)
	}
	stored, err := a.store.MessagesAfterID(t.Context(), room.ID, ids[4], 1000)
	if err != nil {
		t.Fatal(err)
	}
	var want []int64
	for _, m := range stored {
		want = append(want, m.ID)
	}
	if len(want) != 2*posters*each {
		t.Fatalf("%d stored, want %d", len(want), 2*posters*each)
	}
	for name, s := range map[string]*stream{"A": onA, "B": onB} {
		if got := s.messages(len(want)); !slices.Equal(got, want) {
			t.Fatalf("watcher on %s got %v\nwant %v", name, got, want)
		}
		s.quiet("message", 100*time.Millisecond)
	}
}

func TestClusterResumeOnOtherInstance(t *testing.T) {
	cl := newCluster(t)
	a, b := cl.start(), cl.start()
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	s := a.openStream(bob, "general", "", "")
	a.postForm(alice, "/chat/general/messages", url.Values{"message": {"before"}}, true)
	seen := s.messages(1)[0]
	s.close()

	for i := range 5 {
		a.postForm(alice, "/chat/general/messages", url.Values{"message": {fmt.Sprint("missed ", i)}}, true)
	}
	// The reconnect lands on B; the post after it is made on A.
	s2 := b.openStream(bob, "general", "", strconv.FormatInt(seen, 10))
	got := s2.messages(5)
	if len(got) != 5 || got[0] <= seen || !slices.IsSorted(got) {
		t.Fatalf("resumed on B: %v after %d", got, seen)
	}
	a.postForm(alice, "/chat/general/messages", url.Values{"message": {"live"}}, true)
	if live := s2.messages(1)[0]; live <= got[4] {
		t.Fatalf("live id %d after %d", live, got[4])
	}
	s2.quiet("message", 100*time.Millisecond)
}

// TestClusterCatchesUpAfterRedisHiccup cuts an instance's subscription
// connection while another instance posts: what was published while it
// was down comes from the database when it is back.
func TestClusterCatchesUpAfterRedisHiccup(t *testing.T) {
	cl := newCluster(t)
	a, b := cl.start(), cl.start()
	alice := a.user("alice")
	a.createRoom(alice, "general")
	s := a.openStream(alice, "general", "", "")
	bob := b.user("bob")
	b.postForm(bob, "/chat/general/messages", url.Values{"message": {"first"}}, true)
	first := s.messages(1)[0]

	for round := range 3 {
		killSubscription(t, a)
		for i := range 3 {
			b.postForm(bob, "/chat/general/messages", url.Values{"message": {fmt.Sprint("while cut ", round, i)}}, true)
		}
	}
	got := s.messages(9)
	for i, id := range got {
		if id <= first || (i > 0 && id <= got[i-1]) {
			t.Fatalf("after the cuts A got %v", got)
		}
	}
	s.quiet("message", 100*time.Millisecond)
}

// killSubscription closes, from the Redis side, the connection on which
// n receives, once it has one (it may be reconnecting from the last cut).
func killSubscription(t *testing.T, n *node) {
	t.Helper()
	ctx := t.Context()
	deadline := time.Now().Add(5 * time.Second)
	for {
		list, err := n.rdb.ClientList(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.SplitSeq(list, "\n") {
			fields := map[string]string{}
			for f := range strings.FieldsSeq(line) {
				k, v, _ := strings.Cut(f, "=")
				fields[k] = v
			}
			if fields["name"] == n.name && fields["sub"] != "" && fields["sub"] != "0" {
				if err := n.rdb.Do(ctx, "CLIENT", "KILL", "ID", fields["id"]).Err(); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no subscription connection named %s:\n%s", n.name, list)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestClusterPresence(t *testing.T) {
	cl := newCluster(t)
	a, b := cl.start(), cl.start()
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")

	watcher := a.openStream(alice, "general", "", "")
	waitOnline(t, watcher, 1)
	bobOnB := b.openStream(bob, "general", "", "")
	ev := waitOnline(t, watcher, 2)
	if !strings.Contains(ev.Data, ">bob<") {
		t.Fatalf("A was not told bob joined on B: %s", ev.Data)
	}
	// B's first snapshot already lists alice, who is on A.
	if doc := fragment(t, bobOnB.next("presence").Data); !strings.Contains(doc.Text(), "alice") {
		t.Fatalf("B's snapshot: %s", doc.Text())
	}

	// bob's second tab, on A: still one bob.
	bobOnA := a.openStream(bob, "general", "", "")
	watcher.quiet("presence", 200*time.Millisecond)
	if n := len(a.hub.Online(roomID(t, a.testApp, "general"))); n != 2 {
		t.Fatalf("A lists %d online, want 2", n)
	}
	bobOnB.close()
	watcher.quiet("presence", 200*time.Millisecond) // bob is still here on A
	bobOnA.close()
	ev = waitOnline(t, watcher, 1)
	if !strings.Contains(ev.Data, `hx-swap-oob="delete"`) {
		t.Fatalf("leave was not a small delta: %s", ev.Data)
	}
}

func TestClusterDeadInstanceLeavesOnlineList(t *testing.T) {
	cl := newCluster(t)
	a, b := cl.start(), cl.start()
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	watcher := a.openStream(alice, "general", "", "")
	b.openStream(bob, "general", "", "")
	waitOnline(t, watcher, 2)

	start := time.Now()
	b.kill()
	ev := waitOnline(t, watcher, 1)
	took := time.Since(start)
	if !strings.Contains(ev.Data, `hx-swap-oob="delete"`) {
		t.Fatalf("leave was not a small delta: %s", ev.Data)
	}
	// The stated bound is the TTL (plus the hub's coalescing and, on a
	// busy machine, some scheduling).
	if limit := cl.ttl + cl.ttl/2; took > limit {
		t.Fatalf("bob left A's list %v after B died, want within %v", took, limit)
	}
	t.Logf("bob left A's list %v after B died (TTL %v)", took.Round(time.Millisecond), cl.ttl)

	// A new instance does not see ghosts either.
	c := cl.start()
	carol := c.user("carol")
	s := c.openStream(carol, "general", "", "")
	doc := fragment(t, s.next("presence").Data)
	if names := doc.Find("[data-testid=online-member]").Text(); strings.Contains(names, "bob") {
		t.Fatalf("a new instance shows %q", names)
	}
}

func roomID(t *testing.T, a *testApp, name string) int64 {
	t.Helper()
	r, err := a.store.RoomByName(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// TestClusterLogoutEndsStreamsEverywhere logs out on A: the same login's
// stream on B ends too.
func TestClusterLogoutEndsStreamsEverywhere(t *testing.T) {
	cl := newCluster(t)
	a, b := cl.start(), cl.start()
	bob := a.user("bob")
	a.createRoom(bob, "general")
	s := b.openStream(bob, "general", "", "")
	s.next("presence")
	a.postForm(bob, "/accounts/logout/", nil, false)
	waitEnded(t, s)
}

// TestClusterRoomDeletionEndsStreamsEverywhere deletes a room on A: the
// stream into it on B ends, and B's stream into another room goes on.
func TestClusterRoomDeletionEndsStreamsEverywhere(t *testing.T) {
	cl := newCluster(t)
	a, b := cl.start(), cl.start()
	admin, bob := a.staff("admin"), a.user("bob")
	a.createRoom(bob, "general")
	a.createRoom(bob, "random")
	doomed := b.openStream(bob, "random", "", "")
	staying := b.openStream(bob, "general", "", "")
	doomed.next("presence")
	a.postForm(bob, "/chat/general/messages", url.Values{"message": {"before"}}, true)
	staying.messages(1) // B hears A

	resp := a.postForm(admin, "/admin/rooms/"+itoa(roomID(t, a.testApp, "random"))+"/delete", nil, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete room on A: status %d", resp.StatusCode)
	}
	waitEnded(t, doomed)
	a.postForm(bob, "/chat/general/messages", url.Values{"message": {"after"}}, true)
	staying.messages(1)
}

// waitEnded waits for a stream to be ended by the server.
func waitEnded(t *testing.T, s *stream) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-s.events:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("the stream is still open after 5s")
		}
	}
}

// TestClusterRenameRedrawsEverywhere: bob, online on two instances,
// renames himself on one: the online lists on both show the new name, and
// an instance started afterwards, which knows bob only from Redis, shows
// the new name and never the old one.
func TestClusterRenameRedrawsEverywhere(t *testing.T) {
	cl := newCluster(t)
	a, b := cl.start(), cl.start()
	alice, bob := a.user("alice"), a.user("bob")
	a.createRoom(alice, "general")
	onA := a.openStream(alice, "general", "", "")
	waitOnline(t, onA, 1)
	bobOnB := b.openStream(bob, "general", "", "")
	waitOnline(t, onA, 2)
	onB := b.openStream(a.user("carol"), "general", "", "")
	waitOnline(t, onB, 3)
	bobOnA := a.openStream(bob, "general", "", "") // bob here too

	if resp := b.postForm(bob, "/accounts/name/", url.Values{"display_name": {"Robert"}}, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename: %d %s", resp.StatusCode, readBody(resp))
	}
	for name, s := range map[string]*stream{"A": onA, "B": onB} {
		for {
			ev := s.next("presence")
			if strings.Contains(ev.Data, ">Robert<") {
				if onlineCount(t, ev) != 3 {
					t.Errorf("%s: count %d after the rename, want 3", name, onlineCount(t, ev))
				}
				break
			}
		}
	}

	c := cl.start()
	snap := c.openStream(c.user("dave"), "general", "", "").next("presence")
	if text := fragment(t, snap.Data).Text(); !strings.Contains(text, "Robert") || strings.Contains(text, "bob") || onlineCount(t, snap) != 3 {
		t.Fatalf("a new instance's online list: %s", text)
	}

	// Once bob is gone, an instance that reads who is online from Redis
	// lists him under no name: the record of his old name went with it.
	bobOnA.close()
	bobOnB.close()
	waitOnline(t, onA, 3)
	snap = cl.start().openStream(c.user("erin"), "general", "", "").next("presence")
	if text := fragment(t, snap.Data).Text(); strings.Contains(text, "Robert") || strings.Contains(text, "bob") {
		t.Fatalf("bob is still listed after leaving: %s", text)
	}
}

// TestClusterOnlineEntriesKeepPictureAndBotTag: someone with a picture and
// a bot, online on one instance, are listed on another with the picture
// and the BOT tag, live and in a new instance's first snapshot (read from
// Redis), and a new picture redraws the entry there too.
func TestClusterOnlineEntriesKeepPictureAndBotTag(t *testing.T) {
	cl := newCluster(t)
	a, b := cl.start(), cl.start()
	admin, ann := a.staff("admin"), a.user("ann")
	a.createRoom(ann, "general")
	if resp := a.postAvatar(ann, nil, upload{"me.png", pngOf(t, 64, 64)}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload a picture: %d", resp.StatusCode)
	}
	bot := bearerClient(a.makeBot(admin, "pingbot"))
	watch := a.openStream(admin, "general", "", "")
	waitOnline(t, watch, 1)
	b.openStream(ann, "general", "", "")
	b.openStream(bot, "general", "", "")
	waitOnline(t, watch, 3)
	annID, botEntry := "online-"+itoa(roomMemberID(t, a, "ann")), "#online-"+itoa(botID(t, a.testApp, "pingbot"))
	check := func(where string, doc *goquery.Document) {
		t.Helper()
		if doc.Find("#"+annID+" img.avatar").Length() != 1 {
			t.Errorf("%s: ann's entry has no picture: %s", where, doc.Text())
		}
		if doc.Find(botEntry+" [data-testid=bot-tag]").Length() != 1 {
			t.Errorf("%s: the bot's entry is not tagged", where)
		}
	}
	check("A's page", a.page(admin, "/chat/general/"))
	c := cl.start()
	check("a new instance's snapshot", fragment(t, c.openStream(c.user("cat"), "general", "", "").next("presence").Data))

	version, _ := a.avatarOf("ann")
	if resp := b.postAvatar(ann, nil, upload{"new.png", pngOf(t, 80, 80)}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a new picture: %d", resp.StatusCode)
	}
	newer, _ := a.avatarOf("ann")
	if newer == version {
		t.Fatal("the picture's version did not change")
	}
	onlineEntry(t, watch, annID, func(li *goquery.Selection) bool {
		src, _ := li.Find("img.avatar").Attr("src")
		return strings.HasSuffix(src, "?v="+itoa(newer))
	})
}

func roomMemberID(t *testing.T, a *node, name string) int64 {
	t.Helper()
	u, err := a.store.UserByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
