package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/models/modelstest"
)

// importFixture imports the original app's database (written by its own
// ORM, models/testdata/django) into the app's store.
func (a *testApp) importFixture() {
	a.t.Helper()
	ctx := context.Background()
	src, err := models.OpenDjangoSource(ctx, modelstest.DjangoSQLite(a.t))
	if err != nil {
		a.t.Fatal(err)
	}
	defer src.Close()
	if _, err := a.store.ImportDjango(ctx, src, nil); err != nil {
		a.t.Fatal(err)
	}
}

// TestImportedUsersLogIn logs every account of the original in with its
// old name and old password, as its owner would on the first day.
func TestImportedUsersLogIn(t *testing.T) {
	a := newApp(t)
	a.importFixture()
	renamed := map[string]string{"BOB": "BOB-2", "bob": "bob-3", "marie²": "marie", "john doe": "john_doe", "<script>alert(1)</script>": "script_alert_1_script"}

	for _, u := range modelstest.DjangoUsers(t) {
		name := u.Username
		if n, ok := renamed[name]; ok {
			name = n
		}
		c := a.client()
		if u.Password == "" || u.Hasher == "crypt" {
			// No password can log in; whatever is typed, the page says
			// who can help.
			for _, pw := range []string{"anything", u.Password} {
				resp := a.login(c, u.Username, pw+" ", "")
				if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "ask a staff member to set a new one") {
					t.Errorf("%q without a usable password: %d", u.Username, resp.StatusCode)
				}
			}
			continue
		}
		// A wrong password never logs in, and says nothing more.
		resp := a.login(c, u.Username, u.Password+" wrong", "")
		if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Please enter a correct username and password") {
			t.Errorf("%q, wrong password: %d", u.Username, resp.StatusCode)
		}
		resp = a.login(c, u.Username, u.Password, "")
		switch {
		case !u.Active:
			if body := readBody(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "This account is inactive") {
				t.Errorf("inactive %q: %d", u.Username, resp.StatusCode)
			}
			continue
		}
		if name != u.Username {
			// The first login says what the name is now, once.
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%q: status %d: %s", u.Username, resp.StatusCode, readBody(resp))
			}
			doc := parse(t, resp)
			notice := doc.Find("[data-testid=login-notice]").Text()
			if !strings.Contains(notice, `"`+name+`"`) || !strings.Contains(notice, "could not be kept") {
				t.Errorf("%q: notice %q", u.Username, notice)
			}
			if href, _ := doc.Find("[data-testid=login-continue]").Attr("href"); href != "/chat/" {
				t.Errorf("%q: continue to %q", u.Username, href)
			}
		} else if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%q: status %d: %s", u.Username, resp.StatusCode, readBody(resp))
		}
		if who := a.whoami(c); who != name {
			t.Errorf("%q logged in as %q, want %q", u.Username, who, name)
		}
		// Re-hashed with this app's scheme: one UPDATE, notice gone.
		stored, err := a.store.UserByUsername(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if _, django := models.CheckDjangoPassword(stored.PasswordHash, ""); django || stored.LoginNotice != "" {
			t.Errorf("%q after login: hash %.15s…, notice %q", name, stored.PasswordHash, stored.LoginNotice)
		}
		// From now on: the new name, the same password, no notice.
		c2 := a.client()
		if resp := a.login(c2, name, u.Password, ""); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%q, second login: %d", name, resp.StatusCode)
		}
	}

	// "bob" was both Bob's name (names ignore case here) and bob-3's old
	// one: each password finds its own account.
	for pw, want := range map[string]string{"bob is the first": "Bob", "bob in lower case": "bob-3"} {
		c := a.client()
		if resp := a.login(c, "bob", pw, ""); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("bob/%q: %d", pw, resp.StatusCode)
		}
		if who := a.whoami(c); who != want {
			t.Errorf("bob/%q logged in as %q, want %q", pw, who, want)
		}
	}
}

// TestImportedNoticeIsEscaped: the notice quotes the old name, which may be
// markup; it is shown as text.
func TestImportedNoticeIsEscaped(t *testing.T) {
	a := newApp(t)
	a.importFixture()
	resp := a.login(a.client(), "<script>alert(1)</script>", "nor is markup", "")
	body := readBody(resp)
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;alert(1)") {
		t.Errorf("status %d, notice not escaped:\n%s", resp.StatusCode, body)
	}
}

// TestRoomAliasRedirects: the original's address of every renamed room
// leads to it here; names no room had get the usual answers.
func TestRoomAliasRedirects(t *testing.T) {
	a := newApp(t)
	a.importFixture()
	c := a.user("visitor")
	for _, tc := range []struct {
		path, location string
		status         int
	}{
		{"/chat/General/", "/chat/General-2/", http.StatusMovedPermanently},
		{"/chat/general%20/", "/chat/general-3/", http.StatusMovedPermanently},
		{"/chat/my%20room/", "/chat/my-room/", http.StatusMovedPermanently},
		{"/chat/caf%C3%A9%20%E2%98%95/", "/chat/caf%C3%A9/", http.StatusMovedPermanently},
		{"/chat/..%2Fetc/", "/chat/etc/", http.StatusMovedPermanently},
		{"/chat/a%2Fb/", "/chat/a-b/", http.StatusMovedPermanently},
		{"/chat/%3Cscript%3Ealert(1)%3C%2Fscript%3E/", "/chat/script-alert-1-script/", http.StatusMovedPermanently},
		{"/chat/100%25%20off%3Fx=1%23y/", "/chat/100-off-x-1-y/", http.StatusMovedPermanently},
		{"/chat/%20%20%20/", "/chat/room-14/", http.StatusMovedPermanently},
		{"/chat/" + strings.Repeat("r", 200) + "/", "/chat/" + strings.Repeat("r", 100) + "/", http.StatusMovedPermanently},
		// Names rooms still have, and names no room had.
		{"/chat/general/", "", http.StatusOK},
		{"/chat/GENERAL/", "", http.StatusOK},
		{"/chat/dup/", "", http.StatusOK},
		{"/chat/no%20such%20room/", "", http.StatusBadRequest},
		{"/chat/x%00y/", "", http.StatusBadRequest},
		{"/chat/a%2Fnothing/", "", http.StatusNotFound},
		{"/chat/%2F%2Fevil.example/", "", http.StatusNotFound},
	} {
		resp := a.get(c, tc.path)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != tc.status || loc != tc.location {
			t.Errorf("GET %s: %d %q, want %d %q", tc.path, resp.StatusCode, loc, tc.status, tc.location)
		}
	}
	// The renamed room holds the original's messages, by their authors.
	doc := a.page(c, "/chat/General-2/")
	if n := doc.Find("[data-testid=message]").Length(); n != 5 {
		t.Errorf("General-2 shows %d messages, want the 5 it had", n)
	}
	if !strings.Contains(doc.Find("#messages").Text(), "BOB-2") {
		t.Error("General-2 does not show BOB-2's message")
	}

	// Anonymous visitors log in first, and come back to the old address.
	resp := a.get(a.client(), "/chat/General/")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/accounts/login/?next="+url.QueryEscape("/chat/General/") {
		t.Errorf("anonymous: %d %q", resp.StatusCode, loc)
	}
}
