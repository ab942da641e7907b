package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// password is every load-test user's password.
const password = "loadgen-Passw0rd-9xq"

// user is a logged-in account; cookie is its whole Cookie header.
type user struct {
	name   string
	cookie string
	room   *room
}

// room is a chat room and what was posted into it with a success answer.
type room struct {
	name    string
	after   int64 // the last message id before the run
	streams int   // streams opened into it
	seq     atomic.Int64

	mu    sync.Mutex
	acked bitset
	nAck  atomic.Int64
}

func (r *room) ack(seq int64) {
	r.mu.Lock()
	r.acked.set(seq)
	r.mu.Unlock()
	r.nAck.Add(1)
}

// client does the ordinary requests: sign-up, login, room pages, posts.
type client struct {
	base string
	http *http.Client
	// retried counts sign-ups and logins answered with a 5xx and tried again.
	retried atomic.Int64
}

func newClient(base string) *client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxConnsPerHost:     0,
		MaxIdleConns:        0,
		MaxIdleConnsPerHost: 4096,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
		WriteBufferSize:     4 << 10,
		ReadBufferSize:      4 << 10,
	}
	return &client{base: base, http: &http.Client{
		Transport: tr,
		Timeout:   30 * time.Second,
		// Answers are read as they come: a 303 is the success of a form.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (c *client) postForm(ctx context.Context, path, cookie string, form url.Values, htmx bool) (int, string, *http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<10))
	return resp.StatusCode, string(body), resp, err
}

// postRetry is postForm that tries again, up to three times, after a 5xx:
// a benchmark should report a server error, not stop at it.
func (c *client) postRetry(ctx context.Context, path string, form url.Values) (int, string, *http.Response, error) {
	for try := 1; ; try++ {
		code, body, resp, err := c.postForm(ctx, path, "", form, false)
		if err != nil || code < 500 || try == 4 {
			return code, body, resp, err
		}
		c.retried.Add(1)
		if !sleepCtx(ctx, time.Duration(try)*100*time.Millisecond) {
			return 0, "", nil, ctx.Err()
		}
	}
}

// login signs name up (an existing account is fine) and logs it in.
func (c *client) login(ctx context.Context, name string) (*user, error) {
	code, body, _, err := c.postRetry(ctx, "/user/signup/", url.Values{"username": {name}, "password1": {password}, "password2": {password}})
	if err != nil {
		return nil, fmt.Errorf("sign up %s: %w", name, err)
	}
	if code != http.StatusSeeOther && !(code == http.StatusBadRequest && strings.Contains(body, "already exists")) {
		return nil, fmt.Errorf("sign up %s: status %d", name, code)
	}
	code, _, resp, err := c.postRetry(ctx, "/accounts/login/", url.Values{"username": {name}, "password": {password}})
	if err != nil {
		return nil, fmt.Errorf("log in %s: %w", name, err)
	}
	if code != http.StatusSeeOther {
		return nil, fmt.Errorf("log in %s: status %d", name, code)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "minidiscord_session" {
			return &user{name: name, cookie: ck.Name + "=" + ck.Value}, nil
		}
	}
	return nil, fmt.Errorf("log in %s: no session cookie", name)
}

var afterRE = regexp.MustCompile(`events\?after=(\d+)`)

// openRoom creates or joins a room with the create-or-join form, loads its
// page and reads the stream cursor the page would start from.
func (c *client) openRoom(ctx context.Context, u *user, name string) (int64, error) {
	code, _, resp, err := c.postForm(ctx, "/chat/", u.cookie, url.Values{"room": {name}}, false)
	if err != nil {
		return 0, fmt.Errorf("create room %s: %w", name, err)
	}
	if code != http.StatusSeeOther || resp.Header.Get("Location") != "/chat/"+name+"/" {
		return 0, fmt.Errorf("create room %s: status %d to %q", name, code, resp.Header.Get("Location"))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/chat/"+name+"/", nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Cookie", u.cookie)
	resp, err = c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("room %s: %w", name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, fmt.Errorf("room %s: %w", name, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("room %s: status %d", name, resp.StatusCode)
	}
	m := afterRE.FindSubmatch(body)
	if m == nil {
		return 0, fmt.Errorf("room %s: no stream URL with a cursor in the page", name)
	}
	return strconv.ParseInt(string(m[1]), 10, 64)
}

// post sends one message as u into its room and reports the round trip.
func (c *client) post(ctx context.Context, u *user, text string) (time.Duration, error) {
	start := time.Now()
	code, _, _, err := c.postForm(ctx, "/chat/"+u.room.name+"/messages", u.cookie, url.Values{"message": {text}}, true)
	took := time.Since(start)
	if err != nil {
		return took, err
	}
	if code != http.StatusOK {
		return took, &statusError{code}
	}
	return took, nil
}

type statusError struct{ code int }

func (e *statusError) Error() string { return "status " + strconv.Itoa(e.code) }

func statusOf(err error) string {
	var se *statusError
	switch {
	case errors.As(err, &se):
		return strconv.Itoa(se.code)
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	default:
		return "error"
	}
}
