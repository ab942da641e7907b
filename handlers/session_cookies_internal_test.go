package handlers

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
)

// TestCookieStoreRemembersVerifiedCookies: a cookie's value, verified once,
// gives its token again without a decode (here the key has changed since,
// so a decode would fail), only for that exact value, and only for maxAge.
func TestCookieStoreRemembersVerifiedCookies(t *testing.T) {
	s := newCookieStore([]byte(strings.Repeat("k", 32)))
	value, err := securecookie.EncodeMulti(sessionCookie, map[any]any{sessionToken: "tok"}, s.Codecs...)
	if err != nil {
		t.Fatal(err)
	}
	request := func(v string) (string, error) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: v})
		sess, err := s.Get(r, sessionCookie)
		if err != nil {
			return "", err
		}
		tok, _ := sess.Values[sessionToken].(string)
		return tok, nil
	}
	if tok, err := request(value); tok != "tok" || err != nil {
		t.Fatalf("first request: %q, %v", tok, err)
	}
	s.Codecs = securecookie.CodecsFromPairs([]byte(strings.Repeat("x", 32)))
	if tok, err := request(value); tok != "tok" || err != nil {
		t.Errorf("the verified cookie again: %q, %v", tok, err)
	}
	if tok, err := request(value[:len(value)-2] + "AA"); tok != "" || err == nil {
		t.Errorf("another value: %q, %v, want a refusal", tok, err)
	}
	start := time.Now()
	s.nowFunc = func() time.Time { return start.Add(s.maxAge) }
	if tok, err := request(value); tok != "" || err == nil {
		t.Errorf("past maxAge: %q, %v, want it decoded again (and refused under the new key)", tok, err)
	}
}
