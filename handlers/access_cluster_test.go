package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestClusterKickEndsStreamOnOtherInstance: bob's streams are on instance
// B; ann (the owner) mutes him, kicks him from a private room and bans
// him from a public one through instance A. Each reaches his streams on B:
// the mute as an event, the kick and the ban as an "access" event and the
// end of the stream, and B refuses to open them again.
func TestClusterKickEndsStreamOnOtherInstance(t *testing.T) {
	cl := newCluster(t)
	a, b := cl.start(), cl.start()
	ann := a.user("ann")
	bob := b.user("bob")
	if resp := a.postForm(ann, "/chat/", url.Values{"room": {"backroom"}, "private": {"1"}}, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create a private room: %d", resp.StatusCode)
	}
	a.createRoom(ann, "openhall")
	settings := func(room string, form url.Values) {
		t.Helper()
		if resp := a.postForm(ann, "/chat/"+room+"/settings", form, false); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s %v: %d %s", room, form, resp.StatusCode, readBody(resp))
		}
	}
	settings("backroom", url.Values{"action": {"invite"}, "user": {"bob"}})

	private := b.openStream(bob, "backroom", "", "")
	private.next("unread")
	settings("backroom", url.Values{"action": {"mute"}, "user": {"bob"}, "minutes": {"10"}})
	if ev := private.next("access"); !strings.Contains(ev.Data, `"muted":true`) {
		t.Errorf("the mute reached B as %s", ev.Data)
	}
	if resp := b.postForm(bob, "/chat/backroom/messages", url.Values{"message": {"hi"}}, false); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a muted post through B: %d", resp.StatusCode)
	}

	public := b.openStream(bob, "openhall", "", "")
	public.next("unread")
	for _, c := range []struct {
		s            *stream
		room, action string
	}{{private, "backroom", "remove"}, {public, "openhall", "ban"}} {
		settings(c.room, url.Values{"action": {c.action}, "user": {"bob"}})
		select {
		case <-drain(c.s):
		case <-time.After(5 * time.Second):
			t.Fatalf("%s on A did not end bob's stream on B", c.action)
		}
		resp := b.get(bob, "/chat/"+c.room+"/events")
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("after the %s, B opens the stream: %d", c.action, resp.StatusCode)
		}
	}
}
