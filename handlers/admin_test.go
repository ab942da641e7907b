package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// staff makes a staff user the way createsuperuser does and logs them in.
func (a *testApp) staff(name string) *http.Client {
	a.t.Helper()
	c := a.user(name)
	u, err := a.store.UserByUsername(a.t.Context(), name)
	if err != nil {
		a.t.Fatal(err)
	}
	if _, err := a.store.DB().NewUpdate().Table("users").Set("is_staff = TRUE").Where("id = ?", u.ID).Exec(a.t.Context()); err != nil {
		a.t.Fatal(err)
	}
	return c
}

func TestAdmin(t *testing.T) {
	a := newApp(t)
	admin, bob := a.staff("admin"), a.user("bob")
	a.createRoom(bob, "general")
	a.createRoom(bob, "random")
	a.postForm(bob, "/chat/general/messages", url.Values{"message": {"<b>keep</b>"}}, true)
	a.postForm(bob, "/chat/general/messages", url.Values{"message": {"spam"}}, true)
	watch := a.openStream(bob, "general", "", "")

	if resp := a.get(a.client(), "/admin/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous /admin/: status %d, want a redirect to login", resp.StatusCode)
	}
	if resp := a.get(bob, "/admin/"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("non-staff /admin/: status %d, want 403", resp.StatusCode)
	}
	if resp := a.postForm(bob, "/admin/rooms/1/delete", nil, false); resp.StatusCode != http.StatusForbidden {
		t.Errorf("non-staff delete: status %d, want 403", resp.StatusCode)
	}

	doc := a.page(admin, "/admin/")
	var rooms []string // name and message count
	doc.Find("[data-testid=admin-rooms] tbody tr").Each(func(_ int, tr *goquery.Selection) {
		td := tr.Find("td")
		rooms = append(rooms, strings.TrimSpace(td.Eq(0).Text())+" "+strings.TrimSpace(td.Eq(1).Text()))
	})
	if got := strings.Join(rooms, ", "); got != "general 2, random 0" {
		t.Errorf("admin lists rooms %q, want general with 2 messages and random with none", got)
	}
	if n := doc.Find("[data-testid=admin-users] tbody tr").Length(); n != 2 {
		t.Errorf("admin lists %d users, want 2", n)
	}
	msgs := doc.Find("[data-testid=admin-messages] tbody tr")
	if msgs.Length() != 2 || !strings.Contains(msgs.Text(), "<b>keep</b>") {
		t.Errorf("admin messages: %d rows: %q", msgs.Length(), msgs.Text())
	}

	// Delete the spam: gone from the database and from open pages.
	spamID := lastMessageID(t, a, "general")
	resp := a.postForm(admin, "/admin/messages/"+spamID+"/delete", nil, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete message: status %d", resp.StatusCode)
	}
	if n := a.countMessages("general"); n != 1 {
		t.Errorf("%d messages left, want 1", n)
	}
	if ev := watch.next("message"); !strings.Contains(ev.Data, `id="msg-`+spamID+`"`) || !strings.Contains(ev.Data, "data-deleted") {
		t.Errorf("open pages were not told: %s", ev.Data)
	}
	if resp := a.postForm(admin, "/admin/messages/"+spamID+"/delete", nil, false); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleting twice: status %d, want 404", resp.StatusCode)
	}
	if resp := a.postForm(admin, "/admin/messages/abc/delete", nil, false); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad id: status %d, want 400", resp.StatusCode)
	}

	// Delete a room: its messages go with it and its streams end.
	r, _ := a.store.RoomByName(t.Context(), "general")
	resp = a.postForm(admin, "/admin/rooms/"+itoa(r.ID)+"/delete", nil, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete room: status %d", resp.StatusCode)
	}
	for range watch.events {
	}
	if n := a.page(admin, "/admin/").Find("[data-testid=admin-messages] tbody tr").Length(); n != 0 {
		t.Errorf("%d messages left after deleting their room", n)
	}
}
