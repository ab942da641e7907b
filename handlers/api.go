package handlers

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
)

// The bots' JSON API (docs/bots.md): a bot posts to and reads the rooms its
// account may see. Rooms are found through roomFromParam, the same
// visibility check as a person's pages, so a room the bot may not see is
// not found.

// apiMessage is a message as the API shows it.
type apiMessage struct {
	ID        int64      `json:"id"`
	Seq       int64      `json:"seq"`
	Room      string     `json:"room"`
	AuthorID  int64      `json:"author_id"`
	Author    string     `json:"author"`
	Bot       bool       `json:"bot"`
	Text      string     `json:"text"`
	CreatedAt time.Time  `json:"created_at"`
	EditedAt  *time.Time `json:"edited_at,omitempty"`
	Deleted   bool       `json:"deleted,omitempty"`
	ReplyTo   int64      `json:"reply_to,omitempty"`
}

func toAPIMessage(room string, m *models.Message) apiMessage {
	out := apiMessage{ID: m.ID, Seq: m.Seq, Room: room, AuthorID: m.UserID, Author: m.Author(), Bot: m.ByBot(),
		Text: m.Content, CreatedAt: m.CreatedAt, Deleted: m.Deleted(), ReplyTo: m.ReplyToID}
	if !m.EditedAt.IsZero() {
		out.EditedAt = &m.EditedAt
	}
	if out.Deleted {
		out.Text = ""
	}
	return out
}

// apiPage is how many messages one read returns at most.
const apiPage = 100

var errBadJSON = &statusError{http.StatusBadRequest, `Send JSON like {"text": "hello"}.`}

// apiPostMessage posts {"text": ...} (and optionally "reply_to": id) as the
// bot, through the writer like any post, and answers 201 with the message.
func (h *Handler) apiPostMessage(c *gin.Context) {
	room, err := h.roomFromParam(c)
	if err != nil {
		h.apiFail(c, err)
		return
	}
	if err := h.allowMessage(c); err != nil {
		h.apiFail(c, err)
		return
	}
	var in struct {
		Text    *string `json:"text"`
		ReplyTo int64   `json:"reply_to"`
	}
	if err := h.readJSON(c, &in); err != nil {
		h.apiFail(c, err)
		return
	}
	if in.Text == nil {
		h.apiFail(c, errBadJSON)
		return
	}
	text, err := models.CleanMessage(*in.Text)
	if err != nil {
		h.apiFail(c, err)
		return
	}
	u := currentUser(c)
	m := &models.Message{RoomID: room.ID, UserID: u.ID, Content: text, CreatedAt: time.Now().UTC(), User: u, ReplyToID: in.ReplyTo}
	if err := h.writer.Post(c.Request.Context(), m); err != nil {
		h.apiFail(c, err)
		return
	}
	h.metrics.posted.Inc()
	c.JSON(http.StatusCreated, toAPIMessage(room.Name, m))
}

// apiListMessages reads a room. With ?after=SEQ it returns, in change
// order, every message changed since that number (new, edited, reacted to,
// or deleted: "deleted": true), up to apiPage; without it, the latest
// apiPage messages. "next" is the cursor to ask with next time.
func (h *Handler) apiListMessages(c *gin.Context) {
	room, err := h.roomFromParam(c)
	if err != nil {
		h.apiFail(c, err)
		return
	}
	ctx := c.Request.Context()
	// The head is read first: what changes meanwhile comes again with the
	// next read rather than never.
	head, err := h.store.RoomSeq(ctx, room.ID)
	if err != nil {
		h.apiFail(c, err)
		return
	}
	var msgs []models.Message
	next := head
	if raw, ok := c.GetQuery("after"); ok {
		after, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || after < 0 {
			h.apiFail(c, &models.InvalidError{Field: "after", Message: "after is the seq of a change: a whole number, 0 or more."})
			return
		}
		after = min(after, head) // a cursor from the future starts from now
		if msgs, err = h.store.ChangesAfter(ctx, room.ID, after, apiPage); err != nil {
			h.apiFail(c, err)
			return
		}
		next = after
		if len(msgs) > 0 {
			next = msgs[len(msgs)-1].Seq
		}
	} else if msgs, err = h.store.LatestMessages(ctx, room.ID, apiPage); err != nil {
		h.apiFail(c, err)
		return
	}
	out := make([]apiMessage, len(msgs))
	for i := range msgs {
		out[i] = toAPIMessage(room.Name, &msgs[i])
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"room": room.Name, "messages": out, "next": next})
}

// readBody reads the request's body whatever its Content-Type says
// (curl -d sends JSON as a form), under limitBody's bounds: 64 KiB, and
// the read deadline of boundReads.
func (h *Handler) readBody(c *gin.Context) ([]byte, error) {
	if c.Request.ContentLength > maxBody {
		return nil, errTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, errTooLarge
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, errSlowBody
	case err != nil:
		return nil, errBadForm
	}
	bodyRead(c.Writer)
	return body, nil
}

// readJSON decodes the request's JSON body into v.
func (h *Handler) readJSON(c *gin.Context, v any) error {
	body, err := h.readBody(c)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return errBadJSON
	}
	return nil
}
