package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// showRoom is the conversation page. Visiting an address does not create
// a room (a mistyped or planted link would leave one behind for good): a
// room that does not exist gets a page asking "Create #name?", whose one
// button posts the create-or-join form.
func (h *Handler) showRoom(c *gin.Context) {
	name := c.Param("room")
	if h.redirectRoomAlias(c, name) { // an imported room's old address
		return
	}
	if err := models.ValidateRoomName(name); err != nil {
		h.fail(c, err)
		return
	}
	room, err := h.store.RoomByName(c.Request.Context(), name)
	if errors.Is(err, models.ErrNotFound) {
		h.render(c, http.StatusNotFound, views.RoomCreatePage(h.page(c, "Create #"+name+"?"), name), nil)
		return
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
	// The latest messages, or history both ways of ?around=<id> (room_log.go).
	log, err := h.readRoomLog(c, room)
	if err != nil {
		h.fail(c, err)
		return
	}
	reply, err := h.replyTarget(c, room)
	if err != nil {
		h.fail(c, err)
		return
	}
	rooms, err := h.roomItems(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	view := views.RoomView{
		Name:     room.Name,
		Messages: forViewer(c, messageViews(log.msgs), log.around),
		HasOlder: log.hasOlder,
		NewerGap: log.gap,
		Reply:    reply,
		Online:   memberViews(h.hub.Online(room.ID)),
		Rooms:    rooms,
		Draft:    draft,
		Error:    formError,
		LastID:   seq,
		Notice:   roomNameNotice(h.takeNote(c, noteRoomName), room.Name),
	}
	h.render(c, status, views.RoomPage(h.page(c, "#"+room.Name), view), nil)
}

// roomNameNotice says what a typed name became, after the create-or-join
// form cleaned it.
func roomNameNotice(typed, name string) string {
	if typed == "" {
		return ""
	}
	return "Room names have no # or spaces: “" + typed + "” is #" + name + "."
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
	v := views.MessageView{ID: m.ID, AuthorID: m.UserID, Author: m.Author(), Content: m.Content, At: m.CreatedAt, EditedAt: m.EditedAt, Deleted: m.Deleted(), Seq: m.Seq}
	if q := m.ReplyTo; q != nil {
		v.ReplyTo = &views.QuoteView{ID: q.ID, Author: q.Author(), Text: q.Content, Deleted: q.Deleted()}
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
