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
	rooms, err := h.roomItems(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, views.RoomsPage(h.page(c, "Rooms"), rooms, "", ""), views.RoomDirectory(rooms))
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
	var invalid *models.InvalidError
	var limited *rateLimitError
	if !errors.As(err, &invalid) && !errors.As(err, &limited) {
		h.fail(c, err)
		return
	}
	status, msg := h.formError(c, err)
	rooms, err := h.roomItems(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	if len(typed) > 4*models.MaxRoomName {
		typed = ""
	}
	h.render(c, status, views.RoomsPage(h.page(c, "Rooms"), rooms, typed, msg), views.RoomForm(typed, msg))
}

// openOrCreateRoom finds the room with that (valid) name, or creates it
// if the user's budget allows.
func (h *Handler) openOrCreateRoom(c *gin.Context, name string) (*models.Room, error) {
	ctx := c.Request.Context()
	room, err := h.store.RoomByName(ctx, name)
	if !errors.Is(err, models.ErrNotFound) {
		return room, err
	}
	if err := h.allowNewRoom(c); err != nil {
		return nil, err
	}
	return h.store.GetOrCreateRoom(ctx, name)
}

// roomItems lists every room with its online count and newest message id
// (the page marks rooms with messages newer than the reader's last visit).
func (h *Handler) roomItems(ctx context.Context) ([]views.RoomItem, error) {
	rooms, err := h.store.ListRooms(ctx)
	if err != nil {
		return nil, err
	}
	lastIDs, err := h.store.LastMessageIDs(ctx)
	if err != nil {
		return nil, err
	}
	counts := h.hub.OnlineCounts()
	items := make([]views.RoomItem, len(rooms))
	for i, r := range rooms {
		items[i] = views.RoomItem{Name: r.Name, Online: counts[r.ID], LastID: lastIDs[r.ID]}
	}
	return items, nil
}
