package handlers

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

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
	room, err := h.store.RoomVisibleTo(c.Request.Context(), currentUser(c).ID, name)
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
	u := currentUser(c)
	rooms, err := h.roomItems(ctx, u.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	newFrom, err := h.readOnLoad(ctx, u.ID, room.ID, log.msgs, rooms)
	if err != nil {
		h.fail(c, err)
		return
	}
	// The reader is in the room by looking at it, stream or not: without
	// JavaScript (no stream, so not online) the page must not say 0 here.
	online := memberViews(h.hub.Online(room.ID)...)
	if !slices.ContainsFunc(online, func(m views.Member) bool { return m.UserID == u.ID }) {
		online = append(online, memberViews(onlineMember(u))...)
		slices.SortStableFunc(online, func(a, b views.Member) int {
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		})
	}
	var label string
	for i := range rooms {
		if rooms[i].ID == room.ID {
			rooms[i].Online = len(online)
			label = rooms[i].Label
		}
	}
	until, err := h.mutedUntil(ctx, u.ID, room)
	if err != nil {
		h.fail(c, err)
		return
	}
	var muted string
	if !until.IsZero() {
		muted = until.UTC().Format("2 Jan 15:04 MST")
	}
	view := views.RoomView{
		Name:     room.Name,
		RoomID:   room.ID,
		Manage:   h.mayManageRoom(c, room),
		Messages: forViewer(c, messageViews(log.msgs), log.around),
		HasOlder: log.hasOlder,
		NewerGap: log.gap,
		Reply:    reply,
		Online:   online,
		Rooms:    rooms,
		Draft:    draft,
		Error:    formError,
		LastID:   seq,
		Notice:   roomNameNotice(h.takeNote(c, noteRoomName), room.Name),
		NewFrom:  newFrom,

		Kind:        room.Kind,
		Label:       label,
		CanModerate: room.Kind != models.RoomDM && h.mayModerate(c, room),
		MutedUntil:  muted,
	}
	h.render(c, status, views.RoomPage(h.page(c, views.UnreadTitle(rooms, view.Heading())), view), nil)
}

// roomNameNotice says what a typed name became, after the create-or-join
// form cleaned it.
func roomNameNotice(typed, name string) string {
	if typed == "" {
		return ""
	}
	return "Room names have no # or spaces: “" + typed + "” is #" + name + "."
}

// readOnLoad: loading a room's page reads what it shows. It returns the
// first message shown that the reader had not read (0: none), where the
// "new since you left" divider goes, stores the new mark (which the
// reader's other pages hear of) and clears the room in rooms.
func (h *Handler) readOnLoad(ctx context.Context, userID, roomID int64, shown []models.Message, rooms []views.RoomItem) (int64, error) {
	before, err := h.store.RoomStateOf(ctx, userID, roomID)
	if err != nil {
		return 0, err
	}
	var newest, newFrom int64
	for _, m := range shown {
		if before.Opened && newFrom == 0 && m.ID > before.Read && m.UserID != userID {
			newFrom = m.ID
		}
		newest = m.ID
	}
	if !before.Opened || newest > before.Read || before.Mentions > 0 {
		after, err := h.markRead(ctx, userID, roomID, newest)
		if err != nil {
			return 0, err
		}
		for i := range rooms {
			if rooms[i].ID == roomID {
				rooms[i].Unread, rooms[i].Mentions, rooms[i].New = after.Unread, after.Mentions, after.New()
			}
		}
	}
	return newFrom, nil
}

// roomFromParam loads the room named in the URL, if the user may see it; a
// malformed name is an *models.InvalidError, a room that does not exist
// (or that they may not see) a *models.NotFoundError.
func (h *Handler) roomFromParam(c *gin.Context) (*models.Room, error) {
	name := c.Param("room")
	if err := models.ValidateRoomName(name); err != nil {
		return nil, err
	}
	var userID int64
	if u := currentUser(c); u != nil {
		userID = u.ID
	}
	return h.store.RoomVisibleTo(c.Request.Context(), userID, name)
}

func messageView(m *models.Message) views.MessageView {
	v := views.MessageView{ID: m.ID, AuthorID: m.UserID, Author: m.Author(), Handle: m.AuthorHandle(), Content: m.Content, At: m.CreatedAt, EditedAt: m.EditedAt, Deleted: m.Deleted(), Seq: m.Seq, Bot: m.ByBot()}
	if m.BotName == "" {
		v.AuthorAvatar = m.User.Avatar()
	}
	if v.Bot && m.BotName != "" && m.User != nil && m.BotName != m.User.Username {
		v.Via = m.User.Username
	}
	if q := m.ReplyTo; q != nil {
		v.ReplyTo = &views.QuoteView{ID: q.ID, Author: q.Author(), Text: views.Gist(q.Content, views.QuoteLength), Deleted: q.Deleted()}
	}
	for _, u := range m.Mentioned {
		v.Mentioned = append(v.Mentioned, views.Member{UserID: u.UserID, Name: u.Name, Display: u.Display})
	}
	for _, r := range m.Reactions {
		rv := views.ReactionView{Emoji: r.Emoji}
		for _, u := range r.Users {
			rv.IDs = append(rv.IDs, u.UserID)
			rv.Names = append(rv.Names, u.Name)
		}
		v.Reactions = append(v.Reactions, rv)
	}
	v.Attachments = attachmentViews(m.Attachments)
	return v
}

func messageViews(msgs []models.Message) []views.MessageView {
	out := make([]views.MessageView, len(msgs))
	for i := range msgs {
		out[i] = messageView(&msgs[i])
	}
	return out
}
