package handlers

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/realtime"
)

const (
	// replayPage is how many missed messages are read from the database at once.
	replayPage = 500
	// streamWriteTimeout bounds one flush to a stream's client
	// (Config.StreamWriteTimeout).
	streamWriteTimeout = 20 * time.Second
	// endedRetry is how soon a stream ended on purpose asks again: the
	// answer (401, 404) is what its page shows.
	endedRetry = 100 * time.Millisecond
)

// streamRoomEvents is a room's SSE stream. It subscribes first, then
// replays from the database what the client missed (after the cursor in
// Last-Event-ID or ?after=), then forwards live events, skipping any id
// already sent. Ids number the room's changes (new messages, edits,
// deletions, reactions), so every change arrives once, in order.
func (h *Handler) streamRoomEvents(c *gin.Context) {
	room, err := h.roomFromParam(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	u := currentUser(c)

	if isHead(c.Request) {
		// The page asks why its stream failed (401, 404) this way: answer
		// as a stream would, without joining the room.
		c.Header("Content-Type", "text/event-stream")
		c.Header("Cache-Control", "no-cache")
		c.Status(http.StatusOK)
		return
	}
	start := time.Now()
	cursor, hasCursor := streamCursor(c.Request)
	sub, err := h.hub.Subscribe(ctx, room.ID, onlineMember(u), models.SessionID(currentToken(c)))
	if err != nil {
		h.fail(c, err)
		return
	}
	handedOver := false
	defer func() {
		if !handedOver {
			sub.Close()
		}
	}()

	head, err := h.store.RoomSeq(ctx, room.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	if !hasCursor || cursor > head {
		// No cursor, or one from the future (another database, a made-up
		// number): start from now, or nothing would ever be delivered.
		cursor = head
	}

	w := h.startStream(c.Writer, c.Request)

	last := cursor
	// fresh tells an event to send from a message already sent.
	fresh := func(ev *realtime.Event) bool {
		if ev.ID != 0 {
			if ev.ID <= last {
				return false
			}
			last = ev.ID
		}
		return true
	}
	send := func(ev *realtime.Event) {
		if fresh(ev) {
			w.event(ev)
		}
	}
	// The replay runs on a goroutine of its own: the stack its queries and
	// rendering grow goes with it instead of staying with an idle stream.
	if !runAside(func() bool { return h.replay(ctx, w, room, u, head, &last, send) }) {
		return
	}
	if w.flush() != nil {
		return
	}
	handedOver = true
	h.detach(c, w, sub, fresh, start)
}

// replay writes what the client missed after *last, then the reader's
// place in the room, their sidebar and who is typing here, as they are
// now. It reports whether the stream goes on. head is the room's latest
// change when the stream subscribed: a client that has it missed nothing
// the subscription will not bring, so a fresh stream reads no messages.
func (h *Handler) replay(ctx context.Context, w *sseWriter, room *models.Room, u *models.User, head int64, last *int64, send func(*realtime.Event)) bool {
	after := *last
	for after < head {
		msgs, err := h.store.ChangesAfter(ctx, room.ID, after, replayPage)
		if err != nil {
			h.log.Error("replay", "room", room.Name, "err", err)
			return false
		}
		for i := range msgs {
			ev, err := messageEvent(&msgs[i])
			if err != nil {
				h.renderFailed(room.ID, msgs[i].ID, err)
				continue
			}
			send(&ev)
		}
		if len(msgs) > 0 {
			after = msgs[len(msgs)-1].Seq
		}
		if len(msgs) < replayPage {
			break
		}
	}
	// The reader's place here, before the sidebar: a page that was away
	// when they were promoted, demoted or muted learns it now.
	st, err := h.accessState(ctx, u, room)
	if err != nil {
		h.log.Error("access state", "room", room.Name, "err", err)
		return false
	}
	if ev, ok := h.jsonEvent(eventAccess, st); ok {
		writeEvent(w, ev)
	}
	h.writeSidebar(ctx, w, u.ID, room.ID)
	return true
}

// runAside runs f on a fresh goroutine and waits for it. A panic in f is
// raised again here, where the request's recoverPanics sees it, as if f
// had run on the request's goroutine.
func runAside(f func() bool) bool {
	type result struct {
		ok    bool
		panic any
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			r.panic = recover()
			done <- r
		}()
		r.ok = f()
	}()
	r := <-done
	if r.panic != nil {
		panic(r.panic)
	}
	return r.ok
}

// sseWriter writes a stream's events and flushes them.
type sseWriter struct {
	w  gin.ResponseWriter
	rc *http.ResponseController
	// deadline is the write deadline last set; flush moves it on only when
	// it has come nearer than its slack, not at every flush.
	deadline time.Time
	timeout  time.Duration
}

// startStream answers a stream's request: it stays open, so it lifts the
// write deadline every response starts with (boundWrites) and bounds each
// flush instead (flush).
func (h *Handler) startStream(rw gin.ResponseWriter, r *http.Request) *sseWriter {
	w := &sseWriter{w: rw, rc: http.NewResponseController(rw), timeout: h.cfg.StreamWriteTimeout}
	_ = w.rc.SetWriteDeadline(time.Time{})
	hdr := rw.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Accel-Buffering", "no")
	// An HTTP/1.x stream's connection is never used again once it ends
	// (detach takes it over and closes it): say so, or a client would put
	// it back in its pool and send its next request into a closed socket.
	// Not on HTTP/2: there net/http takes it as an order to close the
	// connection every other tab's stream shares.
	if r.ProtoMajor == 1 {
		hdr.Set("Connection", "close")
	}
	rw.WriteHeader(http.StatusOK)
	// Writes go to the response's own buffer and reach the client on
	// Flush; a second buffer here would cost memory on every open stream.
	writeRetry(rw, h.cfg.Retry)
	return w
}

// event writes ev: its shared Frame when the hub encoded one.
func (w *sseWriter) event(ev *realtime.Event) {
	if ev.Frame != nil {
		w.w.Write(ev.Frame)
		return
	}
	writeEvent(w.w, *ev)
}

// Write lets the sidebar snapshot write through the stream.
func (w *sseWriter) Write(p []byte) (int, error) { return w.w.Write(p) }

// streamOut is where a stream's live events are written: net/http's
// response (responseOut) or a connection taken over (detachedStream).
type streamOut interface {
	send(*realtime.Event) // unless it was sent already
	// finish says when to come back and ends the body.
	finish(retry time.Duration)
	flush() error
}

// forward writes a stream's live events to out until done (the client
// went; nil: the subscription ends when it goes), or the subscription ends
// (dropped for being slow, logged out, shutting down). An idle stream's
// heartbeat comes through the subscription too (realtime.Options.Ping):
// a stream waits on one channel and needs no timer.
func (h *Handler) forward(done <-chan struct{}, sub *realtime.Subscription, out streamOut) {
	ch := sub.C()
	for {
		var ev *realtime.Event
		ok := true
		if done == nil {
			ev, ok = <-ch
		} else {
			select {
			case <-done:
				return
			case ev, ok = <-ch:
			}
		}
		if !ok {
			// Dropped for being slow, logged out, or shutting down: say
			// when to come back and end the response; the client
			// reconnects with its cursor. Ended on purpose (logged out,
			// deactivated, room deleted): at once, to learn why.
			if sub.Ended() {
				out.finish(endedRetry)
			} else {
				out.finish(h.cfg.Retry)
			}
			_ = out.flush()
			return
		}
		out.send(ev)
		// Write whatever else is queued before flushing: one syscall for
		// a burst rather than one per event.
		for n := len(ch); n > 0; n-- {
			ev, ok := <-ch
			if !ok {
				break // the next receive sees it closed
			}
			out.send(ev)
		}
		sub.Refill()
		if out.flush() != nil {
			return // the client is gone, or took too long to accept
		}
	}
}

// responseOut writes a stream's events through net/http (HTTP/2, or
// before the connection is taken over).
type responseOut struct {
	w     *sseWriter
	fresh func(*realtime.Event) bool // nil: every event is sent
}

func (o responseOut) send(ev *realtime.Event) {
	if o.fresh == nil || o.fresh(ev) {
		o.w.event(ev)
	}
}

func (o responseOut) finish(retry time.Duration) { writeRetry(o.w.w, retry) }
func (o responseOut) flush() error               { return o.w.flush() }

// nextDeadline is the write deadline a flush at now sets, or zero if the
// one set last is still far enough: setting one costs a timer update, and
// a busy stream flushes many times a second, so it moves on only once a
// quarter of timeout is spent. A client that takes more than timeout (less
// that quarter at worst) to accept a flush is taken for dead.
func nextDeadline(last, now time.Time, timeout time.Duration) time.Time {
	if timeout <= 0 {
		timeout = streamWriteTimeout
	}
	if last.Sub(now) < timeout-timeout/4 {
		return now.Add(timeout)
	}
	return time.Time{}
}

// flush sends what is buffered, under nextDeadline: when the write fails,
// the request's context ends and the stream is closed.
func (w *sseWriter) flush() error {
	if d := nextDeadline(w.deadline, time.Now(), w.timeout); !d.IsZero() {
		w.deadline = d
		_ = w.rc.SetWriteDeadline(d)
	}
	return w.rc.Flush()
}

// streamCursor reads the resume cursor: the Last-Event-ID header that an
// EventSource sends when it reconnects by itself, else ?after=, which the
// page carries (htmx's SSE extension opens a fresh EventSource without
// Last-Event-ID after an error). The larger wins.
func streamCursor(r *http.Request) (int64, bool) {
	var cursor int64
	found := false
	for _, v := range []string{r.Header.Get("Last-Event-ID"), r.URL.Query().Get("after")} {
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n >= 0 {
			found = true
			cursor = max(cursor, n)
		}
	}
	return cursor, found
}

func writeRetry(w io.StringWriter, d time.Duration) {
	w.WriteString("retry: " + strconv.FormatInt(d.Milliseconds(), 10) + "\n\n")
}

// writeEvent writes one SSE event (see appendEvent).
func writeEvent(w io.Writer, ev realtime.Event) {
	w.Write(appendEvent(make([]byte, 0, len(ev.Data)+len(ev.Name)+48), ev))
}

// encodeEvent is the hub's encoder: every stream writes these bytes.
func encodeEvent(ev realtime.Event) []byte {
	return appendEvent(make([]byte, 0, len(ev.Data)+len(ev.Name)+48), ev)
}

// appendEvent appends one SSE event to b. Data is split on every kind of
// line break (CRLF, LF, a lone CR) so no text can end a data line early
// and inject a field or an event.
func appendEvent(b []byte, ev realtime.Event) []byte {
	if ev.ID != 0 {
		b = append(b, "id: "...)
		b = strconv.AppendInt(b, ev.ID, 10)
		b = append(b, '\n')
	}
	b = append(b, "event: "...)
	b = append(b, ev.Name...)
	b = append(b, '\n')
	data := ev.Data
	for {
		i := strings.IndexAny(data, "\r\n")
		line := data
		if i >= 0 {
			line = data[:i]
		}
		b = append(b, "data: "...)
		b = append(b, line...)
		b = append(b, '\n')
		if i < 0 {
			break
		}
		if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			i++
		}
		data = data[i+1:]
	}
	return append(b, '\n')
}
