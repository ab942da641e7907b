package handlers

import (
	"net/http"
	"sync"
	"time"

	"github.com/gin-contrib/sessions"
	gsessions "github.com/gorilla/sessions"
)

// cookieStore is gin-contrib's cookie store with the verified cookies
// remembered: decoding one (HMAC, then gob, which builds its decoder anew
// each time) was ~5 % of the server's CPU while posting, for a value that
// never changes. A cookie's exact value, once verified, always decodes to
// the same token, so a later request with the same value skips the decode;
// whether the token's session still lives is SessionUser's to say, on every
// request. Only the usual shape (the token alone) is remembered.
type cookieStore struct {
	*gsessions.CookieStore

	mu      sync.Mutex
	tokens  map[string]cookieToken // by the cookie's whole value
	cap     int
	maxAge  time.Duration
	nowFunc func() time.Time
}

type cookieToken struct {
	token string
	// until bounds the entry, so securecookie's own age check on the
	// cookie (30 days) is made again now and then.
	until time.Time
}

var _ sessions.Store = (*cookieStore)(nil)

func newCookieStore(key []byte) *cookieStore {
	return &cookieStore{
		CookieStore: gsessions.NewCookieStore(key),
		tokens:      make(map[string]cookieToken),
		cap:         1 << 14,
		maxAge:      time.Hour,
		nowFunc:     time.Now,
	}
}

// Options implements sessions.Store.
func (s *cookieStore) Options(o sessions.Options) { s.CookieStore.Options = o.ToGorillaOptions() }

// Get implements gsessions.Store: once per request and name, through New.
func (s *cookieStore) Get(r *http.Request, name string) (*gsessions.Session, error) {
	return gsessions.GetRegistry(r).Get(s, name)
}

// New implements gsessions.Store as CookieStore.New does, from memory when
// the cookie's value was verified before.
func (s *cookieStore) New(r *http.Request, name string) (*gsessions.Session, error) {
	c, err := r.Cookie(name)
	if err != nil || name != sessionCookie {
		return s.CookieStore.New(r, name)
	}
	now := s.nowFunc()
	s.mu.Lock()
	t, ok := s.tokens[c.Value]
	s.mu.Unlock()
	if ok && now.Before(t.until) {
		sess := gsessions.NewSession(s, name)
		opts := *s.CookieStore.Options
		sess.Options = &opts
		sess.Values[sessionToken] = t.token
		return sess, nil
	}
	sess, err := s.CookieStore.New(r, name)
	if err != nil || sess.IsNew || len(sess.Values) != 1 {
		return sess, err
	}
	token, _ := sess.Values[sessionToken].(string)
	if token == "" {
		return sess, nil
	}
	s.mu.Lock()
	if len(s.tokens) >= s.cap {
		for k := range s.tokens { // random: map order
			delete(s.tokens, k)
			break
		}
	}
	s.tokens[c.Value] = cookieToken{token: token, until: now.Add(s.maxAge)}
	s.mu.Unlock()
	return sess, nil
}

// Save implements gsessions.Store.
func (s *cookieStore) Save(r *http.Request, w http.ResponseWriter, sess *gsessions.Session) error {
	return s.CookieStore.Save(r, w, sess)
}
