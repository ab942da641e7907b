package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// A stream is one user's open event stream, like one browser tab. It reads
// on a bare connection with two small buffers and a single goroutine, not
// through http.Transport (which adds two goroutines and 8 KiB per
// connection): at 20,000 streams on a 2-core box the client's own memory
// and scheduling count.
type stream struct {
	run  *runState
	u    *user
	room *room

	opened  bool
	lastID  int64 // the last message id seen, sent back on reconnect
	got     bitset
	unique  int64
	dups    int64 // same message twice
	reorder int64 // an id not above the one before
	resumed int64 // messages received on a reconnected connection
	recons  int   // reconnections after the first open
	ends    int   // times the server ended the stream or the connection broke
	err     error // why the first open failed, if it did
}

// runState is what every stream shares.
type runState struct {
	cfg      config
	base     string
	hostport string
	tag      string // this run's mark inside message text
	opens    chan struct{}
	openSem  chan struct{}
	deliver  histogram
	nUnique  atomic.Int64
	nOpen    atomic.Int64
	// events counts the other events the streams receive, by name, from
	// the first post on (posting set): what the sidebar and typing cost.
	events  map[string]*atomic.Int64
	posting atomic.Bool
}

// countedEvents are the events besides "message" a run counts.
var countedEvents = []string{"presence", "rooms", "typing", "unread", "mention"}

// connect opens the stream's HTTP connection and reads the response head.
func (s *stream) connect(ctx context.Context) (net.Conn, *bufio.Reader, error) {
	d := net.Dialer{Timeout: 5 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", s.run.hostport)
	if err != nil {
		return nil, nil, err
	}
	cursor := s.lastID
	if cursor == 0 {
		cursor = s.room.after
	}
	var req strings.Builder
	fmt.Fprintf(&req, "GET /chat/%s/events?after=%d HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\nCookie: %s\r\n", s.room.name, cursor, s.run.hostport, s.u.cookie)
	if s.lastID > 0 {
		fmt.Fprintf(&req, "Last-Event-ID: %d\r\n", s.lastID)
	}
	req.WriteString("\r\n")
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, req.String()); err != nil {
		conn.Close()
		return nil, nil, err
	}
	br := bufio.NewReaderSize(conn, s.run.cfg.readBuf)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		conn.Close()
		return nil, nil, fmt.Errorf("stream %s: status %d", s.u.name, resp.StatusCode)
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, bufio.NewReaderSize(resp.Body, s.run.cfg.readBuf), nil
}

// loop opens the stream, reports it open, and reads it until ctx ends,
// reconnecting from the last id seen whenever it is cut.
func (s *stream) loop(ctx context.Context) {
	for attempt := 0; ctx.Err() == nil; attempt++ {
		if !s.opened {
			select {
			case s.run.openSem <- struct{}{}:
			case <-ctx.Done():
				return
			}
		}
		conn, br, err := s.connect(ctx)
		if !s.opened {
			<-s.run.openSem
		}
		if err != nil {
			if !s.opened {
				s.err = err
			}
			if !sleepCtx(ctx, backoff(attempt)) {
				return
			}
			continue
		}
		if !s.opened {
			s.opened = true
			s.err = nil
			s.run.nOpen.Add(1)
			s.run.opens <- struct{}{}
		} else {
			s.recons++
		}
		attempt = 0
		stop := context.AfterFunc(ctx, func() { conn.Close() })
		s.read(br)
		stop()
		conn.Close()
		if ctx.Err() != nil {
			return
		}
		s.ends++
		if !sleepCtx(ctx, backoff(0)) {
			return
		}
	}
}

func backoff(attempt int) time.Duration {
	return min(time.Duration(attempt+1)*200*time.Millisecond, 2*time.Second)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// read parses events until the connection ends. Only message events are
// looked into; presence and comments are skipped, and lines longer than the
// buffer (a big online list) are skipped without being held in memory.
func (s *stream) read(br *bufio.Reader) {
	var (
		isMessage bool
		id        int64
		seq       int64
		sent      int64
		found     bool
	)
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			if err != nil {
				return
			}
			continue
		}
		if err != nil {
			return
		}
		line = bytes.TrimRight(line, "\r\n")
		switch {
		case len(line) == 0:
			if isMessage && found {
				s.receive(id, seq, sent)
			}
			isMessage, found, id = false, false, 0
		case bytes.HasPrefix(line, []byte("event:")):
			name := bytes.TrimSpace(line[6:])
			isMessage = string(name) == "message"
			if !isMessage && s.run.posting.Load() {
				if n := s.run.events[string(name)]; n != nil {
					n.Add(1)
				}
			}
		case bytes.HasPrefix(line, []byte("id:")):
			id, _ = strconv.ParseInt(string(bytes.TrimSpace(line[3:])), 10, 64)
		case bytes.HasPrefix(line, []byte("data:")):
			if !found {
				seq, sent, found = s.run.parseText(line)
			}
		}
	}
}

// receive counts one message event.
func (s *stream) receive(id, seq, sent int64) {
	now := time.Now()
	if id > 0 {
		if id <= s.lastID {
			s.reorder++
		} else {
			s.lastID = id
		}
	}
	if s.got.set(seq) {
		s.dups++
		return
	}
	s.unique++
	if s.recons > 0 {
		s.resumed++
	}
	s.run.nUnique.Add(1)
	s.run.deliver.record(now.Sub(time.Unix(0, sent)))
}

// messageText is what a sender posts: the run's tag, a per-room sequence
// number and the send time. Digits and letters only, so HTML escaping
// leaves it as it is.
func (r *runState) messageText(seq int64, sent time.Time) string {
	return r.tag + " " + strconv.FormatInt(seq, 10) + " " + strconv.FormatInt(sent.UnixNano(), 10)
}

// parseText finds this run's message text inside an event's HTML.
func (r *runState) parseText(line []byte) (seq, sent int64, ok bool) {
	i := bytes.Index(line, []byte(">"+r.tag+" "))
	if i < 0 {
		return 0, 0, false
	}
	rest := line[i+len(r.tag)+2:]
	if j := bytes.IndexByte(rest, '<'); j >= 0 {
		rest = rest[:j]
	}
	f := bytes.Fields(rest)
	if len(f) != 2 {
		return 0, 0, false
	}
	seq, err1 := strconv.ParseInt(string(f[0]), 10, 64)
	sent, err2 := strconv.ParseInt(string(f[1]), 10, 64)
	return seq, sent, err1 == nil && err2 == nil
}

// onlineCount opens a fresh stream and reads the full online list from its
// first presence event: the count in the online-count span and the number
// of list entries.
func onlineCount(ctx context.Context, run *runState, u *user, r *room) (count, entries int, err error) {
	s := &stream{run: run, u: u, room: r}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, br, err := s.connect(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	var data bytes.Buffer
	presence := false
	for data.Len() < 64<<20 {
		line, err := br.ReadBytes('\n')
		if err != nil {
			return 0, 0, err
		}
		line = bytes.TrimRight(line, "\r\n")
		switch {
		case len(line) == 0:
			if presence {
				return parseOnline(data.Bytes())
			}
			data.Reset()
		case bytes.HasPrefix(line, []byte("event:")):
			presence = string(bytes.TrimSpace(line[6:])) == "presence"
		case bytes.HasPrefix(line, []byte("data:")):
			data.Write(bytes.TrimPrefix(line[5:], []byte(" ")))
			data.WriteByte('\n')
		}
	}
	return 0, 0, errors.New("presence event too large")
}

var countMark = []byte(`id="online-count"`)

func parseOnline(html []byte) (count, entries int, err error) {
	entries = bytes.Count(html, []byte("<li"))
	i := bytes.Index(html, countMark)
	if i < 0 {
		return 0, entries, errors.New("no online-count in the first presence event")
	}
	rest := html[i:]
	j := bytes.IndexByte(rest, '>')
	k := bytes.IndexByte(rest, '<')
	if j < 0 || k < j {
		return 0, entries, errors.New("malformed online-count")
	}
	count, err = strconv.Atoi(string(bytes.TrimSpace(rest[j+1 : k])))
	return count, entries, err
}
