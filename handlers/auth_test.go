package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSignupValidation(t *testing.T) {
	a := newApp(t)
	a.user("taken")
	long := strings.Repeat("a", 151)
	tests := []struct {
		name, username, pw1, pw2 string
		field, want              string
	}{
		{"missing username", "", "Xk3-plover-77", "Xk3-plover-77", "username", "This field is required."},
		{"bad characters", "bob smith", "Xk3-plover-77", "Xk3-plover-77", "username", "Enter a valid username"},
		{"too long", long, "Xk3-plover-77", "Xk3-plover-77", "username", "at most 150 characters"},
		{"taken, other case", "TAKEN", "Xk3-plover-77", "Xk3-plover-77", "username", "A user with that username already exists."},
		{"mismatch", "bob", "Xk3-plover-77", "Xk3-plover-78", "password2", "didn’t match"},
		{"too short", "bob", "Xk3-pl", "Xk3-pl", "password1", "too short"},
		{"numeric", "bob", "4928374652", "4928374652", "password1", "entirely numeric"},
		{"common", "bob", "password", "password", "password1", "too common"},
		{"similar", "marguerite", "marguerite1", "marguerite1", "password1", "too similar to the username"},
		{"missing password", "bob", "", "", "password1", "This field is required."},
		{"missing confirmation", "bob", "Xk3-plover-77", "", "password2", "This field is required."},
		{"short and not matching", "bob", "Xk3-pl", "Xk3-pl-", "password1", "too short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := a.client()
			resp := a.postForm(c, "/user/signup/", url.Values{"username": {tt.username}, "password1": {tt.pw1}, "password2": {tt.pw2}}, false)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", resp.StatusCode)
			}
			doc := parse(t, resp)
			got := doc.Find("[data-testid=errors-" + tt.field + "]").Text()
			if !strings.Contains(got, tt.want) {
				t.Errorf("errors beside %s = %q, want %q", tt.field, got, tt.want)
			}
			if v, _ := doc.Find("#id_username").Attr("value"); v != tt.username {
				t.Errorf("typed username not kept: %q, want %q", v, tt.username)
			}
			// The cursor starts in the first field in error.
			if got := doc.Find("[autofocus]").AttrOr("name", ""); got != tt.field {
				t.Errorf("autofocus on %q, want the field in error, %s", got, tt.field)
			}
			if inv := doc.Find("[name="+tt.field+"]").AttrOr("aria-invalid", ""); inv != "true" {
				t.Errorf("%s is not marked invalid", tt.field)
			}
		})
	}
	users, err := a.store.ListUsers(t.Context())
	if err != nil || len(users) != 1 {
		t.Fatalf("users stored = %d (%v), want only the first", len(users), err)
	}
}

func TestSignupThenLogin(t *testing.T) {
	a := newApp(t)
	c := a.client()
	form := url.Values{"username": {"Zoë.b@x"}, "password1": {"Xk3-plover-77"}, "password2": {"Xk3-plover-77"}}
	resp := a.postForm(c, "/user/signup/", form, false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/accounts/login/" {
		t.Fatalf("signup: %d to %q, want 303 to the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The login page says the account was made, has the name filled in and
	// the cursor in the password; once.
	doc := a.page(c, "/accounts/login/")
	if doc.Find("[data-testid=account-created]").Length() != 1 || doc.Find("h1").Text() == "Welcome back" {
		t.Errorf("after signing up the login page says %q, with no note that the account was made", doc.Find("h1").Text())
	}
	if v := doc.Find("#id_username").AttrOr("value", ""); v != "Zoë.b@x" {
		t.Errorf("after signing up the username field holds %q", v)
	}
	if got := doc.Find("[autofocus]").AttrOr("id", ""); got != "id_password" {
		t.Errorf("after signing up the cursor is in %q, want the password", got)
	}
	if again := a.page(c, "/accounts/login/"); again.Find("[data-testid=account-created]").Length() != 0 || again.Find("#id_username").AttrOr("value", "") != "" {
		t.Error("the note and the name are still there on the next visit")
	}

	// A wrong password shows an error and keeps the name.
	resp = a.postForm(c, "/accounts/login/", url.Values{"username": {"zoë.b@x"}, "password": {"nope-nope-nope"}}, false)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad login: status %d, want 400", resp.StatusCode)
	}
	doc = parse(t, resp)
	if msg := doc.Find("[data-testid=form-error]").Text(); !strings.Contains(msg, "correct username and password") || strings.Contains(msg, "both") {
		t.Errorf("bad login error = %q (usernames are not case-sensitive)", msg)
	}
	if got := doc.Find("[autofocus]").AttrOr("id", ""); got != "id_password" {
		t.Errorf("after a wrong password the cursor is in %q, want the password", got)
	}
	resp = a.postForm(c, "/accounts/login/", url.Values{"username": {""}, "password": {"x"}}, false)
	if got := parse(t, resp).Find("[autofocus]").AttrOr("id", ""); got != "id_username" {
		t.Errorf("after a login without a name the cursor is in %q, want the username", got)
	}

	// Login is case-insensitive on the name and honours ?next=.
	resp = a.postForm(c, "/accounts/login/", url.Values{"username": {"ZOË.B@X"}, "password": {"Xk3-plover-77"}, "next": {"/chat/lobby/"}}, false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/chat/lobby/" {
		t.Fatalf("login: %d to %q, want 303 to /chat/lobby/", resp.StatusCode, resp.Header.Get("Location"))
	}
	if who := a.page(c, "/").Find("[data-testid=whoami]").Text(); strings.TrimSpace(who) != "Zoë.b@x" {
		t.Errorf("navbar shows %q, want the user's name", who)
	}
}

func TestLoginNextStaysOnSite(t *testing.T) {
	a := newApp(t)
	a.user("alice")
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		c := a.client()
		resp := a.postForm(c, "/accounts/login/", url.Values{"username": {"alice"}, "password": {"correct horse alice"}, "next": {next}}, false)
		if loc := resp.Header.Get("Location"); loc != "/chat/" {
			t.Errorf("next=%q redirected to %q, want the rooms, /chat/", next, loc)
		}
	}
}

// A login without ?next= lands on the rooms, not the home page.
func TestLoginLandsOnRooms(t *testing.T) {
	a := newApp(t)
	a.user("alice")
	c := a.client()
	resp := a.postForm(c, "/accounts/login/", url.Values{"username": {"ALICE"}, "password": {"correct horse alice"}}, false)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/chat/" {
		t.Errorf("login: %d to %q, want 303 to /chat/", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestLogoutEndsSession(t *testing.T) {
	a := newApp(t)
	c := a.user("alice")
	u, _ := url.Parse(a.srv.URL)
	stolen := c.Jar.Cookies(u)

	a.createRoom(c, "lobby")
	s := a.openStream(c, "lobby", "", "")
	resp := a.postForm(c, "/accounts/logout/", nil, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: status %d", resp.StatusCode)
	}
	if who := a.page(c, "/").Find("[data-testid=whoami]").Text(); strings.TrimSpace(who) != "anonymous" {
		t.Errorf("after logout navbar shows %q, want anonymous", who)
	}
	// The open stream is ended.
	for range s.events {
	}
	// The old cookie, replayed, no longer logs anyone in.
	c2 := a.client()
	c2.Jar.SetCookies(u, stolen)
	resp = a.get(c2, "/chat/lobby/")
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("old cookie after logout: status %d, want a redirect to login", resp.StatusCode)
	}
}

func TestAuthenticationRequired(t *testing.T) {
	a := newApp(t)
	anon := a.client()
	resp := a.get(anon, "/chat/general/")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/accounts/login/?next=%2Fchat%2Fgeneral%2F" {
		t.Errorf("room page: %d to %q, want 303 to login with next", resp.StatusCode, resp.Header.Get("Location"))
	}
	a.createRoom(a.user("alice"), "general")
	resp = a.get(anon, "/chat/general/events")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("stream: status %d, want 401", resp.StatusCode)
	}
	for _, htmx := range []bool{false, true} {
		resp = a.postForm(anon, "/chat/general/messages", url.Values{"message": {"hi"}}, htmx)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("post (htmx=%v): status %d, want 401", htmx, resp.StatusCode)
		}
	}
	if n := a.countMessages("general"); n != 0 {
		t.Errorf("%d messages stored by anonymous posts", n)
	}
}
