package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestNewRoomsReachOpenSidebars: a public room made while people have the
// app open joins their sidebars and rooms lists at once, a private one
// does not, and a room staff delete leaves them.
func TestNewRoomsReachOpenSidebars(t *testing.T) {
	a := newApp(t)
	alice, bob, admin := a.user("alice"), a.user("bob"), a.staff("admin")
	a.createRoom(alice, "general")
	s := a.openStream(bob, "general", "", "")

	if resp := a.postForm(alice, "/chat/", url.Values{"room": {"secret"}, "private": {"1"}}, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a private room: %d", resp.StatusCode)
	}
	a.createRoom(alice, "fresh")
	ev := s.next("room-added")
	if strings.Contains(ev.Data, "secret") {
		t.Fatalf("bob heard of the private room: %s", ev.Data)
	}
	if !strings.Contains(ev.Data, `/chat/fresh/`) || !strings.Contains(ev.Data, `"card":`) {
		t.Errorf("the new room's items: %s", ev.Data)
	}

	id := a.roomID("fresh")
	if resp := a.postForm(admin, "/admin/rooms/"+itoa(id)+"/delete", nil, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if ev := s.next("room-removed"); !strings.Contains(ev.Data, `"room":`+itoa(id)) {
		t.Errorf("room-removed: %s", ev.Data)
	}
}
