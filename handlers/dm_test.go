package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDirectMessageAddresses: a name leads to the DM with that person (a
// page with one button before it exists, the conversation after), the
// online list's link by id leads there too, and one's own name, which
// every message of one's own links, leads to one's account page rather
// than an error.
func TestDirectMessageAddresses(t *testing.T) {
	a := newApp(t)
	alice, _ := a.user("alice"), a.user("bob")
	ctx := context.Background()
	aliceU, err := a.store.UserByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	bobU, err := a.store.UserByUsername(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	expect := func(path string, status int, where string) *http.Response {
		t.Helper()
		resp := a.get(alice, path)
		body := readBody(resp)
		if resp.StatusCode != status || resp.Header.Get("Location") != where {
			t.Fatalf("GET %s: %d to %q, want %d to %q: %.300s", path, resp.StatusCode, resp.Header.Get("Location"), status, where, body)
		}
		return resp
	}

	// Before it exists: a page with the button (no script needed).
	doc := a.page(alice, "/dm/bob")
	if form := doc.Find(`form[action="/dm/"] input[name="user"]`); form.AttrOr("value", "") != "bob" {
		t.Fatalf("no button to open the DM with bob: %s", doc.Find("main").Text())
	}
	resp := a.postForm(alice, "/dm/", url.Values{"user": {"bob"}}, false)
	room := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(room, "/chat/dm-") {
		t.Fatalf("open the DM: %d to %q", resp.StatusCode, room)
	}
	expect("/dm/bob", http.StatusSeeOther, room)
	expect("/dm/BOB", http.StatusSeeOther, room)
	expect(fmt.Sprintf("/dm/?user_id=%d", bobU.ID), http.StatusFound, "/dm/bob")

	// One's own name: the account page, whichever way it is reached.
	expect("/dm/alice", http.StatusSeeOther, "/accounts/")
	expect(fmt.Sprintf("/dm/?user_id=%d", aliceU.ID), http.StatusSeeOther, "/accounts/")
	if resp := a.postForm(alice, "/dm/", url.Values{"user": {"alice"}}, false); resp.StatusCode != http.StatusBadRequest || !strings.Contains(readBody(resp), "That is you") {
		t.Errorf("a DM with oneself: %d", resp.StatusCode)
	}

	// No such person: 404, and no account page for a stranger's name.
	expect("/dm/nobody", http.StatusNotFound, "")
	expect("/dm/?user_id=999999", http.StatusNotFound, "")
}
