package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// roomLog is what the room page's log shows.
type roomLog struct {
	msgs     []models.Message
	hasOlder bool
	// around is the message ?around= opened the room at (0: the latest).
	around int64
	// gap: there are newer messages than those shown.
	gap bool
}

// readRoomLog reads the room's latest messages or, for ?around=<id> (a
// message's permalink), half a page of history on each side of it.
func (h *Handler) readRoomLog(c *gin.Context, room *models.Room) (roomLog, error) {
	ctx := c.Request.Context()
	raw, ok := c.GetQuery("around")
	if !ok {
		// One more than shown tells whether there is older history to offer.
		msgs, err := h.store.LatestMessages(ctx, room.ID, h.cfg.HistorySize+1)
		if err != nil {
			return roomLog{}, err
		}
		log := roomLog{msgs: msgs, hasOlder: len(msgs) > h.cfg.HistorySize}
		if log.hasOlder {
			log.msgs = msgs[1:]
		}
		return log, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return roomLog{}, &models.InvalidError{Field: "around", Message: "Say which message to open the room at, as ?around=<message id>."}
	}
	if _, err := h.roomMessage(c, room, id); err != nil {
		return roomLog{}, err
	}
	half := max(1, h.cfg.HistorySize/2)
	older, err := h.store.MessagesBefore(ctx, room.ID, id+1, half+1) // the message and before
	if err != nil {
		return roomLog{}, err
	}
	newer, err := h.store.MessagesAfterID(ctx, room.ID, id, half+1)
	if err != nil {
		return roomLog{}, err
	}
	log := roomLog{around: id, hasOlder: len(older) > half, gap: len(newer) > half}
	if log.hasOlder {
		older = older[1:]
	}
	if log.gap {
		newer = newer[:half]
	}
	log.msgs = append(older, newer...)
	return log, nil
}

// roomMessage finds a message of room that is not deleted.
func (h *Handler) roomMessage(c *gin.Context, room *models.Room, id int64) (*models.Message, error) {
	m, err := h.store.MessageByID(c.Request.Context(), id)
	if err == nil && m.RoomID != room.ID {
		err = &models.NotFoundError{What: "message", ID: id}
	}
	return m, err
}

// replyTarget is the message the room page's composer answers: ?reply=<id>
// from the Reply link, or after a refused post without JavaScript the
// form's reply_to, which then quietly drops a message deleted meanwhile.
func (h *Handler) replyTarget(c *gin.Context, room *models.Room) (*views.QuoteView, error) {
	fromForm := c.Request.Method == http.MethodPost
	raw := c.Query("reply")
	if fromForm {
		raw = c.PostForm("reply_to")
	}
	if raw == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		if fromForm {
			return nil, nil
		}
		return nil, &models.InvalidError{Field: "reply", Message: "Say which message to reply to, as ?reply=<message id>."}
	}
	m, err := h.roomMessage(c, room, id)
	if fromForm && errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &views.QuoteView{ID: m.ID, Author: m.Author(), Text: views.Gist(m.Content, views.QuoteLength)}, nil
}

// forViewer marks, for the reader of a full page, their own messages and
// reactions and the message the page was opened at. (A stream's rendering
// serves everyone; there the script marks the reader's own.)
func forViewer(c *gin.Context, mv []views.MessageView, highlight int64) []views.MessageView {
	me := int64(0)
	if u := currentUser(c); u != nil {
		me = u.ID
	}
	for i := range mv {
		markForViewer(&mv[i], me)
		mv[i].Highlight = highlight != 0 && mv[i].ID == highlight
	}
	return mv
}

func markForViewer(m *views.MessageView, me int64) {
	m.Mine = me != 0 && m.AuthorID == me
	for j := range m.Reactions {
		m.Reactions[j].Mine = me != 0 && slices.Contains(m.Reactions[j].IDs, me)
	}
}
