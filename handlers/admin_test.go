package handlers_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
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
	a.store.ForgetUser(u.ID) // written behind the store's back
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

// TestAdminAsksBeforeDeleting: a Delete button leads to a page that says
// what would go and asks; only its button (a POST) deletes, then the admin
// page is back where it was and says what was deleted, once.
func TestAdminAsksBeforeDeleting(t *testing.T) {
	a := newApp(t)
	admin, bob := a.staff("admin"), a.user("bob")
	a.createRoom(bob, "general")
	a.postForm(bob, "/chat/general/messages", url.Values{"message": {"delete <me>"}}, true)
	a.postForm(bob, "/chat/general/messages", url.Values{"message": {"keep me"}}, true)
	msgID, _ := strconv.ParseInt(lastMessageID(t, a, "general"), 10, 64)
	msgID-- // "delete <me>"

	here := "/admin/?room=general"
	link := a.page(admin, here).Find(`[aria-label="Delete message ` + itoa(msgID) + `"]`)
	href, ok := link.Attr("href")
	if !ok {
		t.Fatal("no Delete link for the message")
	}
	confirm := a.page(admin, href)
	if got := confirm.Find("[data-testid=confirm-title]").Text(); got != "Delete this message?" {
		t.Errorf("the confirmation asks %q", got)
	}
	if q := confirm.Find(".confirm-quote").Text(); !strings.Contains(q, "delete <me>") || !strings.Contains(q, "bob") || !strings.Contains(q, "#general") {
		t.Errorf("the confirmation does not show what goes: %q", q)
	}
	form := confirm.Find("[data-testid=confirm-delete]").Closest("form")
	action, back := form.AttrOr("action", ""), form.Find("input[name=back]").AttrOr("value", "")
	if form.AttrOr("method", "") != "post" || action != "/admin/messages/"+itoa(msgID)+"/delete" || back != here {
		t.Fatalf("confirm form posts to %q with back=%q", action, back)
	}
	if cancel := confirm.Find("[data-testid=cancel-delete]").AttrOr("href", ""); cancel != here {
		t.Errorf("Cancel goes to %q, want %q", cancel, here)
	}
	if n := a.countMessages("general"); n != 2 {
		t.Fatalf("asking deleted something: %d messages left", n)
	}
	resp := a.postForm(admin, action, url.Values{"back": {back}}, false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != here {
		t.Fatalf("delete: %d to %q, want 303 back to %s", resp.StatusCode, resp.Header.Get("Location"), here)
	}
	if n := a.countMessages("general"); n != 1 {
		t.Errorf("%d messages left, want 1", n)
	}
	doc := a.page(admin, here)
	if got := doc.Find("[data-testid=admin-notice]").Text(); got != "Deleted a message by bob in #general." {
		t.Errorf("the admin page says %q after the delete", got)
	}
	if a.page(admin, here).Find("[data-testid=admin-notice]").Length() != 0 {
		t.Error("the note shows again")
	}

	// A room: the confirmation counts what goes.
	room, _ := a.store.RoomByName(t.Context(), "general")
	href = doc.Find(`[aria-label="Delete room general"]`).AttrOr("href", "")
	confirm = a.page(admin, href)
	if got := strings.Join(strings.Fields(confirm.Find("[data-testid=confirm-title]").Text()), " "); got != "Delete #general?" {
		t.Errorf("the confirmation asks %q", got)
	}
	if text := strings.Join(strings.Fields(confirm.Find(".card p").First().Text()), " "); !strings.Contains(text, "its 1 message go") {
		t.Errorf("the confirmation says %q", text)
	}
	// back cannot leave the admin pages.
	resp = a.postForm(admin, "/admin/rooms/"+itoa(room.ID)+"/delete", url.Values{"back": {"https://evil.example/admin/"}}, false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/" {
		t.Fatalf("delete room: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := a.page(admin, "/admin/").Find("[data-testid=admin-notice]").Text(); got != "Deleted #general and its 1 message." {
		t.Errorf("the admin page says %q", got)
	}
	if _, err := a.store.RoomByName(t.Context(), "general"); err == nil {
		t.Error("the room is still there")
	}
	if resp := a.get(bob, "/admin/messages/1/delete"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a non-staff confirmation page: status %d, want 403", resp.StatusCode)
	}
}

// TestAdminMessagesPagedAndFiltered: 50 messages a page, newest first, with
// links to older and newer pages, filtered by room and by author (links in
// each row filter by it); times carry their instant for the page's script.
func TestAdminMessagesPagedAndFiltered(t *testing.T) {
	a := newApp(t)
	admin, ann, bo := a.staff("admin"), a.user("ann"), a.user("bo")
	a.createRoom(ann, "north")
	a.createRoom(bo, "south")
	for i := range 60 {
		a.postForm(ann, "/chat/north/messages", url.Values{"message": {"n" + strconv.Itoa(i)}}, true)
		a.postForm(bo, "/chat/south/messages", url.Values{"message": {"s" + strconv.Itoa(i)}}, true)
	}
	type row struct{ room, author, content string }
	rows := func(doc *goquery.Document) []row {
		var out []row
		doc.Find("[data-testid=admin-messages] tbody tr").Each(func(_ int, tr *goquery.Selection) {
			td := tr.Find("td")
			if _, ok := td.Eq(2).Find("time[datetime][data-format]").Attr("datetime"); !ok {
				t.Errorf("a row's time has no instant for the script: %s", outer(td.Eq(2)))
			}
			out = append(out, row{td.Eq(0).Text(), td.Eq(1).Text(), td.Eq(3).Text()})
		})
		return out
	}
	link := func(doc *goquery.Document, id string) string {
		return doc.Find("[data-testid="+id+"]").AttrOr("href", "")
	}

	// Every room: 120 messages in three pages, newest first.
	doc := a.page(admin, "/admin/")
	page1 := rows(doc)
	if len(page1) != 50 || page1[0] != (row{"south", "bo", "s59"}) || page1[1].content != "n59" {
		t.Fatalf("first page: %d rows starting %v", len(page1), page1[:min(2, len(page1))])
	}
	if link(doc, "newer-messages") != "" || link(doc, "older-messages") == "" {
		t.Errorf("first page links: newer %q, older %q", link(doc, "newer-messages"), link(doc, "older-messages"))
	}
	doc = a.page(admin, link(doc, "older-messages"))
	page2 := rows(doc)
	doc = a.page(admin, link(doc, "older-messages"))
	page3 := rows(doc)
	if len(page2) != 50 || len(page3) != 20 || page3[19].content != "n0" || link(doc, "older-messages") != "" {
		t.Fatalf("pages of %d and %d, last %v; older link %q", len(page2), len(page3), page3[len(page3)-1:], link(doc, "older-messages"))
	}
	if back := rows(a.page(admin, link(doc, "newer-messages"))); !slices.Equal(back, page2) {
		t.Errorf("Newer from the last page is not the page before it")
	}

	// By room, by author (in any case), both.
	doc = a.page(admin, "/admin/?room=NORTH")
	north := rows(doc)
	if len(north) != 50 || north[0].content != "n59" || doc.Find("#filter-room option[selected]").AttrOr("value", "") != "north" {
		t.Fatalf("room filter: %d rows from %v", len(north), north[:1])
	}
	older := link(doc, "older-messages")
	if !strings.Contains(older, "room=NORTH") {
		t.Errorf("the older page forgets the filter: %q", older)
	}
	if rest := rows(a.page(admin, older)); len(rest) != 10 || rest[9].content != "n0" {
		t.Errorf("second page of north: %d rows", len(rest))
	}
	for _, r := range north {
		if r.room != "north" {
			t.Fatalf("room filter let through %v", r)
		}
	}
	for _, r := range rows(a.page(admin, "/admin/?author=BO")) {
		if r.author != "bo" {
			t.Fatalf("author filter let through %v", r)
		}
	}
	doc = a.page(admin, "/admin/?room=north&author=bo")
	if len(rows(doc)) != 0 || doc.Find("[data-testid=no-messages]").Length() != 1 {
		t.Error("bo wrote nothing in north, yet the page lists something")
	}
	// A row's author links to that author's messages in the rooms shown.
	if href := a.page(admin, "/admin/?room=south").Find("[data-testid=admin-messages] tbody tr td").Eq(1).Find("a").AttrOr("href", ""); href != "/admin/?author=bo&room=south" {
		t.Errorf("the author's link is %q", href)
	}
	for q, note := range map[string]string{"author=nobody": "No one is called “nobody”.", "room=nowhere": "No room is called “nowhere”.", "author=%3Cb%3E": "No one is called “<b>”."} {
		doc := a.page(admin, "/admin/?"+q)
		if got := doc.Find("[data-testid=filter-note]").Text(); got != note || len(rows(doc)) != 0 {
			t.Errorf("?%s: note %q, %d rows", q, got, len(rows(doc)))
		}
	}
}
