package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// showRoom is the conversation page; like the seed, it creates the room on
// first visit. A link from another site may open a room but not create one:
// it gets the create-or-join form with the name filled in instead.
func (h *Handler) showRoom(c *gin.Context) {
	name := c.Param("room")
	if h.redirectRoomAlias(c, name) { // an imported room's old address
		return
	}
	if err := models.ValidateRoomName(name); err != nil {
		h.fail(c, err)
		return
	}
	var room *models.Room
	var err error
	if site := c.GetHeader("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		room, err = h.store.RoomByName(c.Request.Context(), name)
		if errors.Is(err, models.ErrNotFound) {
			rooms, err := h.roomItems(c.Request.Context())
			if err != nil {
				h.fail(c, err)
				return
			}
			h.render(c, http.StatusOK, views.RoomsPage(h.page(c, "Rooms"), rooms, name, ""), nil)
			return
		}
	} else {
		room, err = h.store.GetOrCreateRoom(c.Request.Context(), name)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.renderRoom(c, http.StatusOK, room, "", "")
}

// renderRoom renders the room page, with a draft and error after a failed
// post from a browser without JavaScript.
func (h *Handler) renderRoom(c *gin.Context, status int, room *models.Room, draft, formError string) {
	ctx := c.Request.Context()
	// The stream resumes after the room's latest change as read before the
	// messages: whatever changes in between comes again, and is put in place.
	seq, err := h.store.RoomSeq(ctx, room.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	// One more than shown tells whether there is older history to offer.
	msgs, err := h.store.LatestMessages(ctx, room.ID, h.cfg.HistorySize+1)
	if err != nil {
		h.fail(c, err)
		return
	}
	hasOlder := len(msgs) > h.cfg.HistorySize
	if hasOlder {
		msgs = msgs[1:]
	}
	rooms, err := h.roomItems(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	view := views.RoomView{
		Name:     room.Name,
		Messages: messageViews(msgs),
		HasOlder: hasOlder,
		Online:   memberViews(h.hub.Online(room.ID)),
		Rooms:    rooms,
		Draft:    draft,
		Error:    formError,
		LastID:   seq,
	}
	h.render(c, status, views.RoomPage(h.page(c, "#"+room.Name), view), nil)
}

// roomFromParam loads the room named in the URL; a malformed name is an
// *models.InvalidError, a room that does not exist a *models.NotFoundError.
func (h *Handler) roomFromParam(c *gin.Context) (*models.Room, error) {
	name := c.Param("room")
	if err := models.ValidateRoomName(name); err != nil {
		return nil, err
	}
	return h.store.RoomByName(c.Request.Context(), name)
}

func messageView(m *models.Message) views.MessageView {
	v := views.MessageView{ID: m.ID, AuthorID: m.UserID, Author: m.Author(), Content: m.Content, At: m.CreatedAt, EditedAt: m.EditedAt, Deleted: m.Deleted()}
	if q := m.ReplyTo; q != nil {
		v.ReplyTo = &views.QuoteView{ID: q.ID, Author: q.Author(), Text: q.Content, Deleted: q.Deleted()}
	}
	for _, u := range m.Mentioned {
		v.Mentioned = append(v.Mentioned, views.Member{UserID: u.UserID, Name: u.Name})
	}
	for _, r := range m.Reactions {
		rv := views.ReactionView{Emoji: r.Emoji}
		for _, u := range r.Users {
			rv.IDs = append(rv.IDs, u.UserID)
			rv.Names = append(rv.Names, u.Name)
		}
		v.Reactions = append(v.Reactions, rv)
	}
	return v
}

func messageViews(msgs []models.Message) []views.MessageView {
	out := make([]views.MessageView, len(msgs))
	for i := range msgs {
		out[i] = messageView(&msgs[i])
	}
	return out
}
