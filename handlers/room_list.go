package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

func (h *Handler) listRooms(c *gin.Context) {
	rooms, err := h.roomItems(c.Request.Context(), viewer(c).UserID)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, views.RoomsPage(h.page(c, views.UnreadTitle(rooms, "Rooms")), rooms, "", ""), views.RoomDirectory(rooms))
}

// createRoom is the create-or-join form, and the one way a room comes to
// be. The name is cleaned first ("#general" is general, "my room" is
// my-room), and the room page says what it became. Making a room counts
// against the creator's posting budget; joining one does not.
func (h *Handler) createRoom(c *gin.Context) {
	typed, repeated := field(c, "room")
	name := models.CleanRoomName(typed)
	err := models.ValidateRoomName(name)
	if repeated {
		err = &models.InvalidError{Field: "room", Message: "Send one room name."}
	}
	if err == nil {
		var room *models.Room
		if room, err = h.openOrCreateRoom(c, name); err == nil {
			if name != typed && len(typed) <= 4*models.MaxRoomName {
				h.leaveNote(c, noteRoomName, typed)
			}
			c.Redirect(http.StatusSeeOther, views.RoomURL(room.Name))
			return
		}
	}
	// A bad name, a look-alike of a room that exists, or too many rooms:
	// said in the form. Anything else fails.
	var invalid *models.InvalidError
	var limited *rateLimitError
	if !errors.As(err, &invalid) && !errors.As(err, &limited) && !errors.Is(err, models.ErrTaken) {
		h.fail(c, err)
		return
	}
	status, msg := h.formError(c, err)
	rooms, err := h.roomItems(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	if len(typed) > 4*models.MaxRoomName {
		typed = ""
	}
	h.render(c, status, views.RoomsPage(h.page(c, "Rooms"), rooms, typed, msg), views.RoomForm(typed, msg))
}

// openOrCreateRoom finds the room with that (valid) name that the user may
// see, or creates it if the user's budget allows: public, or private
// (invite only) if the form's box was ticked. The creator owns it. A name
// taken by a room they may not see is "taken", as any name in use must
// be; it does not open that room.
func (h *Handler) openOrCreateRoom(c *gin.Context, name string) (*models.Room, error) {
	ctx := c.Request.Context()
	u := currentUser(c)
	room, err := h.store.RoomVisibleTo(ctx, u.ID, name)
	if !errors.Is(err, models.ErrNotFound) {
		return room, err
	}
	if err := h.allowNewRoom(c); err != nil {
		return nil, err
	}
	kind := models.RoomPublic
	if c.PostForm("private") != "" {
		kind = models.RoomPrivate
	}
	room, err = h.store.CreateRoomFor(ctx, name, kind, u.ID)
	if err == nil {
		h.audit(c, "create room", room, 0, kind)
		if kind == models.RoomPublic {
			h.announceRoom(ctx, room)
		}
	}
	return room, err
}

// announceRoom puts a new public room in every open sidebar and rooms
// list: one event for everyone, since a room without messages looks the
// same to all (no unread count, nobody online).
func (h *Handler) announceRoom(ctx context.Context, room *models.Room) {
	ev, err := roomAddedOf(ctx, views.RoomItem{ID: room.ID, Name: room.Name, Kind: room.Kind})
	if err != nil {
		h.renderFailed(room.ID, 0, err)
		return
	}
	h.broadcast(eventRoomAdded, ev)
}
