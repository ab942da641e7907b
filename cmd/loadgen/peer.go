package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// The original (../shared/peer, Django Channels under Daphne) speaks JSON
// frames on /ws/chat/<room>/: the client sends {"message": text}; the
// server sends {"type": "new_message", "message", "user_name"} to every
// socket in the room, {"type": "user_list", "users": [...]} on every join
// and leave, and {"type": "forbidden_access"} to an anonymous socket.

// peerEvent is one frame from the original, as far as a run needs it.
type peerEvent struct {
	kind  string // new_message, user_list, forbidden_access
	user  string // who posted a new_message
	users int    // entries in a user_list
	seq   int64  // this run's sequence number, when ok
	sent  int64  // this run's send time in Unix nanoseconds, when ok
	ok    bool   // a new_message carrying this run's text
}

// parsePeerEvent decodes one frame and, for a message, this run's
// sequence number and send time from its text.
func parsePeerEvent(data []byte, tag string) (peerEvent, error) {
	var f struct {
		Type     string   `json:"type"`
		Message  string   `json:"message"`
		UserName string   `json:"user_name"`
		Users    []string `json:"users"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return peerEvent{}, err
	}
	ev := peerEvent{kind: f.Type, user: f.UserName, users: len(f.Users)}
	if f.Type == "new_message" {
		fields := strings.Fields(f.Message)
		if len(fields) == 3 && fields[0] == tag {
			seq, err1 := strconv.ParseInt(fields[1], 10, 64)
			sent, err2 := strconv.ParseInt(fields[2], 10, 64)
			ev.seq, ev.sent, ev.ok = seq, sent, err1 == nil && err2 == nil
		}
	}
	return ev, nil
}

// peerSocket is one WebSocket into the original, a listener's or a sender's.
type peerSocket struct {
	*stream
	conn *websocket.Conn
	list atomic.Int64 // entries in the last user_list received
	// echo gets the sequence numbers of the sender's own messages coming back.
	echo chan int64
}

// peerSessions creates the users through the original's ORM (one password
// hash shared by all, bulk insert) and a session for each, and returns the
// session keys by user name.
func peerSessions(ctx context.Context, cfg config, names []string) (map[string]string, error) {
	const script = `
import os
from django.db import transaction
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
names = os.environ["LG_USERS"].split(",")
with transaction.atomic():
    pw = make_password(os.environ["LG_PASSWORD"])
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create([User(username=n, password=pw) for n in names if n not in have])
    for u in User.objects.filter(username__in=names):
        s = SessionStore()
        s[SESSION_KEY] = str(u.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = u.get_session_auth_hash()
        s.create()
        print("SESSION", u.username, s.session_key)
`
	cmd := exec.CommandContext(ctx, cfg.peerPython, cfg.peerManage, "shell", "-c", script)
	cmd.Env = append(os.Environ(), "DJANGO_SETTINGS_MODULE=mysite.settings", "PEER_DB="+cfg.peerDB,
		"LG_USERS="+strings.Join(names, ","), "LG_PASSWORD="+password)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("create users in the original: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	keys := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "SESSION" {
			keys[f[1]] = f[2]
		}
	}
	if len(keys) != len(names) {
		return nil, fmt.Errorf("the original gave %d sessions for %d users", len(keys), len(names))
	}
	return keys, nil
}

var csrfFieldRE = regexp.MustCompile(`name="csrfmiddlewaretoken" value="([^"]+)"`)

// peerFormLogin logs name in through the original's login form: the CSRF
// cookie and hidden field from GET /accounts/login/, then the POST.
func peerFormLogin(ctx context.Context, c *client, name string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/accounts/login/", nil)
	if err != nil {
		return "", err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("login page: %w", err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	var csrfCookie string
	for _, ck := range resp.Cookies() {
		if ck.Name == "csrftoken" {
			csrfCookie = ck.Value
		}
	}
	m := csrfFieldRE.FindSubmatch(body)
	if csrfCookie == "" || m == nil {
		return "", fmt.Errorf("login page: no CSRF cookie or field (status %d)", resp.StatusCode)
	}
	form := url.Values{"username": {name}, "password": {password}, "csrfmiddlewaretoken": {string(m[1])}, "next": {"/chat/"}}
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/accounts/login/", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", "csrftoken="+csrfCookie)
	req.Header.Set("Referer", c.base+"/accounts/login/")
	resp, err = c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("log in %s: %w", name, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == "sessionid" && resp.StatusCode == http.StatusFound {
			return ck.Value, nil
		}
	}
	return "", fmt.Errorf("log in %s: status %d without a session", name, resp.StatusCode)
}

// peerRoom loads the room page, which is what creates the room in the
// original (its socket fails with a 500 until the room exists).
func peerRoom(ctx context.Context, c *client, u *user, name string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/chat/"+name+"/", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Cookie", u.cookie)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("room %s: %w", name, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<20))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("room %s: status %d", name, resp.StatusCode)
	}
	return nil
}

// dial opens the socket as a page does: session cookie and same Origin.
func (p *peerSocket) dial(ctx context.Context) error {
	h := http.Header{}
	h.Set("Cookie", p.u.cookie)
	h.Set("Origin", p.run.base)
	ws := "ws" + strings.TrimPrefix(p.run.base, "http") + "/ws/chat/" + p.room.name + "/"
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(dctx, ws, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		if resp != nil {
			return fmt.Errorf("socket %s: status %d: %w", p.u.name, resp.StatusCode, err)
		}
		return fmt.Errorf("socket %s: %w", p.u.name, err)
	}
	conn.SetReadLimit(16 << 20) // a user_list of thousands of names
	p.conn = conn
	return nil
}

// read handles frames until the socket ends. Listeners count messages;
// senders pass their own messages to echo.
func (p *peerSocket) read(ctx context.Context, rep *report) {
	for {
		_, data, err := p.conn.Read(ctx)
		if err != nil {
			if ctx.Err() == nil {
				p.ends++
			}
			return
		}
		ev, err := parsePeerEvent(data, p.run.tag)
		if err != nil {
			continue
		}
		switch ev.kind {
		case "user_list":
			p.list.Store(int64(ev.users))
			if p.run.posting.Load() {
				p.run.events["presence"].Add(1)
			} else {
				rep.fillFrames.Add(1)
			}
		case "forbidden_access":
			p.err = errors.New("forbidden_access: the original did not take the session")
		case "new_message":
			if !ev.ok {
				continue
			}
			if p.echo != nil {
				if ev.user == p.u.name {
					rep.postLat.record(time.Since(time.Unix(0, ev.sent)))
					select {
					case p.echo <- ev.seq:
					default:
					}
				}
				continue
			}
			p.receive(0, ev.seq, ev.sent)
		}
	}
}

// runPeer runs the scenario against the original: senders and listeners
// each hold a socket into their room; senders send at the rate (or, at
// -rate 0, each sends its next message once its last one came back on its
// own socket, the closest the protocol has to an answer).
func runPeer(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	if err := raiseFileLimit(2*cfg.users + cfg.concurrency); err != nil {
		logf(stderr, "warning: %v; sockets past it will fail to open", err)
	}
	rep := &report{cfg: cfg, loadStart: loadAvg()}
	u, _ := url.Parse(cfg.url)
	rs := &runState{
		cfg:      cfg,
		base:     cfg.url,
		hostport: u.Host,
		tag:      "lg" + randomHex(4),
		opens:    make(chan struct{}, cfg.users),
		openSem:  make(chan struct{}, cfg.openConc),
		events:   map[string]*atomic.Int64{"presence": new(atomic.Int64)},
	}
	c := newClient(cfg.url)

	logf(stderr, "creating %d users in the original, %d logging in by the form", cfg.users, min(cfg.peerForms, cfg.users))
	start := time.Now()
	users := make([]*user, cfg.users)
	names := make([]string, cfg.users)
	for i := range users {
		names[i] = cfg.userPrefix + strconv.Itoa(i)
	}
	keys, err := peerSessions(ctx, cfg, names)
	if err != nil {
		return err
	}
	for i, name := range names {
		users[i] = &user{name: name, cookie: "sessionid=" + keys[name]}
		if i < cfg.peerForms {
			key, err := peerFormLogin(ctx, c, name)
			if err != nil {
				return err
			}
			users[i].cookie = "sessionid=" + key
		}
	}
	rep.loginTime = time.Since(start)
	// The original's routing takes \w+ room names only.
	rooms := make([]*room, cfg.rooms)
	for i := range rooms {
		rooms[i] = &room{name: cfg.roomPrefix + "_" + strconv.Itoa(i)}
		if err := peerRoom(ctx, c, users[i], rooms[i].name); err != nil {
			return err
		}
	}
	for i, u := range users {
		u.room = rooms[i%len(rooms)]
	}
	c.http.CloseIdleConnections()

	sctx, stopSockets := context.WithCancel(ctx)
	defer stopSockets()
	var wg sync.WaitGroup
	var all []*peerSocket
	open := func(p *peerSocket) error {
		if err := p.dial(sctx); err != nil {
			return err
		}
		all = append(all, p)
		wg.Go(func() { p.read(sctx, rep) })
		return nil
	}
	// Senders join first, as the ones who made the rooms.
	senders := make([]*peerSocket, cfg.senders)
	for i := range senders {
		senders[i] = &peerSocket{stream: &stream{run: rs, u: users[i], room: users[i].room}, echo: make(chan int64, 1)}
		if err := open(senders[i]); err != nil {
			return err
		}
	}
	listeners := users[len(users)-cfg.listeners:]
	for _, u := range listeners {
		u.room.streams++
	}
	rep.rssBefore, _ = rssKB(cfg.pid)
	logf(stderr, "opening %d sockets into %d rooms", len(listeners), len(rooms))
	socks := make([]*peerSocket, len(listeners))
	streams := make([]*stream, len(listeners))
	var mu sync.Mutex
	var openWG sync.WaitGroup
	start = time.Now()
	cpuOpen := cpuTime(cfg.pid)
	for i, u := range listeners {
		socks[i] = &peerSocket{stream: &stream{run: rs, u: u, room: u.room}}
		streams[i] = socks[i].stream
		rs.openSem <- struct{}{}
		openWG.Go(func() {
			defer func() { <-rs.openSem }()
			p := socks[i]
			// Daphne listens with a backlog of 50, so a burst of opens is
			// reset; a page would be reloaded, so try again a few times.
			var err error
			for try := 0; try < 5; try++ {
				if err = p.dial(sctx); err == nil || !sleepCtx(sctx, backoff(try)) {
					break
				}
				rep.dialRetries.Add(1)
			}
			if err != nil {
				p.err = err
				return
			}
			p.opened = true
			rs.nOpen.Add(1)
			mu.Lock()
			all = append(all, p)
			mu.Unlock()
			wg.Go(func() { p.read(sctx, rep) })
		})
	}
	openWG.Wait()
	rep.openTime = time.Since(start)
	rep.opened = int(rs.nOpen.Load())
	// The room is full when every socket's online list has everyone.
	inRoom := map[*room]int64{}
	for _, p := range all {
		inRoom[p.room]++
	}
	deadline := time.Now().Add(cfg.openTimeout)
	for {
		full := true
		for _, p := range all {
			if p.list.Load() < inRoom[p.room] {
				full = false
				break
			}
		}
		if full || time.Now().After(deadline) || ctx.Err() != nil {
			rep.fillOK = full
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	rep.fillTime = time.Since(start)
	rep.openCPU = cpuTime(cfg.pid) - cpuOpen
	logf(stderr, "%d sockets open after %s, room full (every list right: %v) after %s; settling %s",
		rep.opened, rep.openTime.Round(time.Millisecond), rep.fillOK, rep.fillTime.Round(time.Millisecond), cfg.hold)
	sleepCtx(ctx, cfg.hold)
	rep.rssOpen, _ = rssKB(cfg.pid)

	logf(stderr, "sending %s from %d senders for %s", rateString(cfg.rate), cfg.senders, cfg.duration)
	cpuSrv, cpuSelf := cpuTime(cfg.pid), cpuTime(os.Getpid())
	start = time.Now()
	rs.posting.Store(true)
	peerSendAll(ctx, rs, senders, rep)
	rep.postTime = time.Since(start)
	rep.serverCPU = cpuTime(cfg.pid) - cpuSrv
	rep.selfCPU = cpuTime(os.Getpid()) - cpuSelf
	var want int64
	for _, r := range rooms {
		want += r.nAck.Load() * int64(r.streams)
	}
	deadline = time.Now().Add(cfg.drain)
	for rs.nUnique.Load() < want && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	rep.deliverTime = time.Since(start)
	rep.rssEnd, rep.hwm = rssKB(cfg.pid)
	rep.selfRSS, _ = rssKB(os.Getpid())
	rep.loadEnd = loadAvg()
	stopSockets()
	for _, p := range all {
		p.conn.CloseNow()
	}
	wg.Wait()
	rep.collect(rs, rooms, streams)
	rep.print(stdout)
	return nil
}

// peerSendAll sends from each sender at its share of the rate until the
// duration is over; at -rate 0 each waits for its own message to come
// back before sending the next.
func peerSendAll(ctx context.Context, rs *runState, senders []*peerSocket, rep *report) {
	end := time.Now().Add(rs.cfg.duration)
	var interval time.Duration
	if rs.cfg.rate > 0 {
		interval = time.Duration(float64(time.Second) * float64(len(senders)) / rs.cfg.rate)
	}
	var wg sync.WaitGroup
	for i, p := range senders {
		wg.Go(func() {
			next := time.Now().Add(interval * time.Duration(i) / time.Duration(len(senders)))
			for ctx.Err() == nil {
				if interval > 0 {
					if d := time.Until(next); d > 0 {
						time.Sleep(d)
					}
					next = next.Add(interval)
				}
				now := time.Now()
				if !now.Before(end) {
					return
				}
				seq := p.room.seq.Add(1)
				msg, _ := json.Marshal(map[string]string{"message": rs.messageText(seq, now)})
				wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				err := p.conn.Write(wctx, websocket.MessageText, msg)
				cancel()
				if err != nil {
					rep.postFailed(statusOf(err))
					if ctx.Err() == nil && !sleepCtx(ctx, 100*time.Millisecond) {
						return
					}
					continue
				}
				p.room.ack(seq)
				if interval == 0 {
					waitEcho(ctx, p.echo, seq, rep)
				}
			}
		})
	}
	wg.Wait()
}

// waitEcho waits up to 10 s for the sender's message seq to come back.
func waitEcho(ctx context.Context, echo <-chan int64, seq int64, rep *report) {
	t := time.NewTimer(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case got := <-echo:
			if got >= seq {
				return
			}
		case <-t.C:
			rep.postFailed("no echo in 10 s")
			return
		case <-ctx.Done():
			return
		}
	}
}
