package e2e

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// flakyNet is one person's network: their browser reaches the app through
// it (as an HTTP proxy; a plain TCP relay is enough for http:// URLs, which
// the browser sends to a proxy in absolute form). Cutting it closes every
// open connection, the event stream included, and refuses new ones until it
// is back, as losing Wi-Fi does. DevTools' offline emulation cannot stand
// in: it blocks new requests but leaves an open stream flowing.
type flakyNet struct {
	t      *testing.T
	ln     net.Listener
	target string

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]struct{}
}

func newFlakyNet(t *testing.T, appURL string) *flakyNet {
	t.Helper()
	u, err := url.Parse(appURL)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &flakyNet{t: t, ln: ln, target: u.Host, conns: map[net.Conn]struct{}{}}
	go f.serve()
	t.Cleanup(func() {
		ln.Close()
		f.cut(true)
	})
	return f
}

// proxy is the address to give the browser.
func (f *flakyNet) proxy() string { return "http://" + f.ln.Addr().String() }

func (f *flakyNet) serve() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		if !f.track(c) {
			c.Close() // no network: the request fails at once
			continue
		}
		go f.relay(c)
	}
}

func (f *flakyNet) relay(c net.Conn) {
	defer f.forget(c)
	up, err := net.Dial("tcp", f.target)
	if err != nil {
		return
	}
	if !f.track(up) {
		up.Close()
		return
	}
	defer f.forget(up)
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, c); done <- struct{}{} }()
	go func() { io.Copy(c, up); done <- struct{}{} }()
	<-done
}

// track registers an open connection, unless the network is down.
func (f *flakyNet) track(c net.Conn) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return false
	}
	f.conns[c] = struct{}{}
	return true
}

func (f *flakyNet) forget(c net.Conn) {
	f.mu.Lock()
	delete(f.conns, c)
	f.mu.Unlock()
	c.Close()
}

// cut takes the network down (closing what is open) or brings it back.
func (f *flakyNet) cut(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
	if down {
		for c := range f.conns {
			c.Close()
		}
		clear(f.conns)
	}
}
