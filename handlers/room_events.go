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
	// streamWriteTimeout bounds one flush to a stream's client.
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
	cursor, hasCursor := streamCursor(c.Request)
	sub, err := h.hub.Subscribe(ctx, room.ID, realtime.Member{UserID: u.ID, Name: u.Shown()}, models.SessionID(currentToken(c)))
	if err != nil {
		h.fail(c, err)
		return
	}
	defer sub.Close()

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

	w := c.Writer
	h.startStream(w)

	last := cursor
	// send writes ev unless it is a message already sent.
	send := func(ev realtime.Event) {
		if ev.ID != 0 {
			if ev.ID <= last {
				return
			}
			last = ev.ID
		}
		writeEvent(w, ev)
	}
	for {
		msgs, err := h.store.ChangesAfter(ctx, room.ID, last, replayPage)
		if err != nil {
			h.log.Error("replay", "room", room.Name, "err", err)
			return
		}
		for i := range msgs {
			ev, err := messageEvent(&msgs[i])
			if err != nil {
				h.renderFailed(room.ID, msgs[i].ID, err)
				continue
			}
			send(ev)
		}
		if len(msgs) < replayPage {
			break
		}
	}
	// The reader's sidebar and who is typing here, as they are now.
	h.writeSidebar(ctx, w, u.ID, room.ID)
	if flush(w) != nil {
		return
	}
	h.forward(ctx, w, sub, send)
}

// startStream answers a stream's request: it stays open, so it lifts the
// write deadline every response starts with (boundWrites) and bounds each
// flush instead (flush).
func (h *Handler) startStream(w gin.ResponseWriter) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// Writes go to the response's own buffer and reach the client on
	// Flush; a second buffer here would cost memory on every open stream.
	writeRetry(w, h.cfg.Retry)
}

// forward writes a stream's live events until the client goes, or the
// subscription ends (dropped for being slow, logged out, shutting down).
func (h *Handler) forward(ctx context.Context, w gin.ResponseWriter, sub *realtime.Subscription, send func(realtime.Event)) {
	heartbeat := time.NewTicker(h.cfg.Heartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-heartbeat.C:
			w.WriteString(": ping\n\n")
		case ev, ok := <-sub.C():
			if !ok {
				// Dropped for being slow, logged out, or shutting down: say
				// when to come back and end the response; the client
				// reconnects with its cursor. Ended on purpose (logged out,
				// deactivated, room deleted): at once, to learn why.
				if sub.Ended() {
					writeRetry(w, endedRetry)
				} else {
					writeRetry(w, h.cfg.Retry)
				}
				flush(w)
				return
			}
			send(ev)
			// Write whatever else is queued before flushing: one syscall for
			// a burst rather than one per event.
			for n := len(sub.C()); n > 0; n-- {
				ev, ok := <-sub.C()
				if !ok {
					break
				}
				send(ev)
			}
		}
		if flush(w) != nil {
			return // the client is gone
		}
	}
}

// flush sends what is buffered. A client that takes more than
// streamWriteTimeout to accept it is taken for dead: the write fails, the
// request's context ends and the stream is closed.
func flush(w http.ResponseWriter) error {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
	return rc.Flush()
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

// writeEvent writes one SSE event. Data is split on every kind of line break
// so no text can end a data line early and inject a field or an event.
func writeEvent(w io.StringWriter, ev realtime.Event) {
	if ev.ID != 0 {
		w.WriteString("id: " + strconv.FormatInt(ev.ID, 10) + "\n")
	}
	w.WriteString("event: " + ev.Name + "\n")
	data := strings.ReplaceAll(ev.Data, "\r\n", "\n")
	data = strings.ReplaceAll(data, "\r", "\n")
	for line := range strings.SplitSeq(data, "\n") {
		w.WriteString("data: " + line + "\n")
	}
	w.WriteString("\n")
}
