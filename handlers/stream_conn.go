package handlers

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/realtime"
)

// A stream spends nearly all its life idle, and under net/http an idle
// stream keeps the connection's goroutine (whose stack grew in the
// middleware before the stream started), net/http's background-read
// goroutine and ≈10 KB of its buffers. So once a stream is set up (its
// headers, replay and sidebar written and flushed through net/http), an
// HTTP/1.x stream takes its connection over (Hijack), the handler returns,
// and two fresh goroutines serve the rest: one writes, one reads to notice
// the client going away. HTTP/2 cannot be taken over and stays on forward.
// docs/benchmarks.md has the figures.

// detachedStream is a stream served off net/http.
type detachedStream struct {
	h       *Handler
	conn    net.Conn
	sub     *realtime.Subscription
	fresh   func(*realtime.Event) bool // nil: every event is sent
	chunked bool                       // HTTP/1.1: the body is chunked
	// deadline is the write deadline last set (see sseWriter.flush).
	deadline time.Time
	// bufs gathers what one wake-up writes: a chunk header, the queued
	// events' shared frames, the chunk's end; one write for all of them.
	bufs net.Buffers
	out  net.Buffers // what bufs is handed to the write as (it is consumed)
	size int
	hdr  [18]byte // the chunk header: up to 16 hex digits and CRLF

	// For the request log, when the stream ends.
	start      time.Time
	path, user string
}

// detachedStreams are the streams served off net/http: http.Server.Shutdown
// does not know them, so App.Close ends them and waits for their goroutines.
type detachedStreams struct {
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	cut    bool // close gave up waiting and cut the connections
	wg     sync.WaitGroup
}

// enter counts a stream in before its connection is taken over; false
// once closing has begun. Then either track (taken over) or abandon.
func (d *detachedStreams) enter() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return false
	}
	d.wg.Add(2) // its writer and its reader
	return true
}

func (d *detachedStreams) abandon() { d.wg.Add(-2) }

// track notes a taken-over connection, so that close can cut it.
func (d *detachedStreams) track(conn net.Conn) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cut {
		conn.Close() // too late to say goodbye
		return
	}
	if d.conns == nil {
		d.conns = make(map[net.Conn]struct{})
	}
	d.conns[conn] = struct{}{}
}

func (d *detachedStreams) leave(conn net.Conn) {
	d.mu.Lock()
	delete(d.conns, conn)
	d.mu.Unlock()
}

// close refuses new streams, waits up to grace for the open ones to end
// (the hub is closed first: each writes its retry hint and ends), then cuts
// the connections of those still blocked writing to a client that does
// not read, and waits for every goroutine.
func (d *detachedStreams) close(grace time.Duration) {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-done:
		return
	case <-t.C:
	}
	d.mu.Lock()
	d.cut = true
	for c := range d.conns {
		c.Close()
	}
	d.mu.Unlock()
	<-done
}

// streamShutdownGrace is how long App.Close lets open streams write their last
// words before it cuts their connections.
const streamShutdownGrace = 2 * time.Second

// detach serves the rest of a set-up stream off net/http if the connection
// can be taken over, else (HTTP/2, or the app closing) on this goroutine
// with forward. It owns sub: it is closed when the stream ends. fresh, if
// not nil, tells the events to send from those already sent.
func (h *Handler) detach(c *gin.Context, w *sseWriter, sub *realtime.Subscription, fresh func(*realtime.Event) bool, start time.Time) {
	r := c.Request
	var rw http.ResponseWriter = c.Writer
	// Gin refuses to hand over a connection that a body was written to;
	// net/http's own response does, after flushing what it holds.
	if u, ok := rw.(interface{ Unwrap() http.ResponseWriter }); ok {
		rw = u.Unwrap()
	}
	if r.ProtoMajor != 1 || !h.streams.enter() {
		h.forwardHere(c, w, sub, fresh)
		return
	}
	conn, brw, err := http.NewResponseController(rw).Hijack()
	if err != nil {
		h.streams.abandon()
		if !errors.Is(err, http.ErrNotSupported) {
			h.log.Warn("take over a stream's connection", "path", r.URL.Path, "err", err)
		}
		h.forwardHere(c, w, sub, fresh)
		return
	}
	// Bytes the client sent after its request are not ours to answer.
	_ = brw
	s := &detachedStream{
		h: h, conn: conn, sub: sub, fresh: fresh,
		chunked: r.ProtoAtLeast(1, 1),
		start:   start,
		path:    r.URL.Path,
	}
	if u := currentUser(c); u != nil {
		s.user = u.Username
	}
	h.streams.track(conn)
	// The request log: this stream logs itself when it ends.
	c.Set(ctxDetached, true)
	go s.read()
	go s.write()
}

// ctxDetached marks a request whose stream went on off net/http: it is
// logged when it ends, not when the handler returns.
const ctxDetached = "detached"

// forwardHere serves a stream on the request's goroutine, as HTTP/2 does.
func (h *Handler) forwardHere(c *gin.Context, w *sseWriter, sub *realtime.Subscription, fresh func(*realtime.Event) bool) {
	defer sub.Close()
	h.forward(c.Request.Context().Done(), sub, responseOut{w: w, fresh: fresh})
}

// read waits for the client to hang up, and then closes the subscription,
// which ends the writer. A stream's client sends nothing after its
// request; whatever it does send is read and ignored.
func (s *detachedStream) read() {
	defer s.h.streams.wg.Done()
	buf := make([]byte, 64)
	for {
		if _, err := s.conn.Read(buf); err != nil {
			s.sub.Close()
			return
		}
	}
}

// write forwards the stream's live events until the client goes or the
// subscription ends, writing straight to the connection.
func (s *detachedStream) write() {
	h := s.h
	status := http.StatusOK
	defer func() {
		if rec := recover(); rec != nil {
			status = http.StatusInternalServerError
			h.log.Error("stream failed", "path", s.path, "err", rec)
		}
		s.sub.Close()
		s.conn.Close()
		h.streams.leave(s.conn)
		h.logRequest(http.MethodGet, s.path, status, time.Since(s.start), s.user)
		h.streams.wg.Done()
	}()
	h.forward(nil, s.sub, s)
}

var (
	pingFrame = []byte(": ping\n\n")
	crlf      = []byte("\r\n")
	lastChunk = []byte("0\r\n\r\n")
)

func retryFrame(d time.Duration) []byte {
	return []byte("retry: " + strconv.FormatInt(d.Milliseconds(), 10) + "\n\n")
}

// send queues ev's frame for the next write, unless it was sent already.
func (s *detachedStream) send(ev *realtime.Event) {
	if s.fresh != nil && !s.fresh(ev) {
		return
	}
	f := ev.Frame
	if f == nil {
		f = encodeEvent(*ev)
	}
	s.add(f)
}

func (s *detachedStream) add(p []byte) {
	if len(s.bufs) == 0 && s.chunked {
		s.bufs = append(s.bufs, nil) // the chunk header, once the size is known
	}
	s.bufs = append(s.bufs, p)
	s.size += len(p)
}

// finish adds the retry hint and, when chunked, the last chunk, which ends
// the body.
func (s *detachedStream) finish(retry time.Duration) {
	s.add(retryFrame(retry))
	if s.chunked {
		s.closeChunk()
		s.bufs = append(s.bufs, lastChunk)
	}
}

// closeChunk frames what is gathered as one chunk: its size in hex before,
// CRLF after.
func (s *detachedStream) closeChunk() {
	if !s.chunked || s.size == 0 {
		return
	}
	n := len(strconv.AppendInt(s.hdr[:0], int64(s.size), 16))
	n += copy(s.hdr[n:], crlf)
	s.bufs[0] = s.hdr[:n]
	s.bufs = append(s.bufs, crlf)
	s.size = 0
}

// flush writes what is gathered with one write (writev on TCP), under the
// same deadline as sseWriter.flush (nextDeadline).
func (s *detachedStream) flush() error {
	if len(s.bufs) == 0 {
		return nil
	}
	s.closeChunk()
	if d := nextDeadline(s.deadline, time.Now(), s.h.cfg.StreamWriteTimeout); !d.IsZero() {
		s.deadline = d
		_ = s.conn.SetWriteDeadline(d)
	}
	var err error
	if _, tcp := s.conn.(*net.TCPConn); tcp || len(s.bufs) == 1 {
		s.out = s.bufs
		_, err = s.out.WriteTo(s.conn)
	} else {
		// TLS: one record, not one per piece.
		err = s.writeJoined()
	}
	clear(s.bufs)
	s.bufs = s.bufs[:0]
	s.out = nil
	if cap(s.bufs) > 64 {
		s.bufs = nil // a burst's array is not kept by an idle stream
	}
	return err
}

var joinPool = sync.Pool{New: func() any { return new([]byte) }}

func (s *detachedStream) writeJoined() error {
	bp := joinPool.Get().(*[]byte)
	b := (*bp)[:0]
	for _, p := range s.bufs {
		b = append(b, p...)
	}
	_, err := s.conn.Write(b)
	*bp = b
	joinPool.Put(bp)
	return err
}
