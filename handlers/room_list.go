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

// createRoom is the create-or-join form: it checks the name and sends the
// user to the room, which the room page creates if needed.
func (h *Handler) createRoom(c *gin.Context) {
	name, repeated := field(c, "room")
	err := models.ValidateRoomName(name)
	if repeated {
		err = &models.InvalidError{Field: "room", Message: "Send one room name."}
	}
	if err == nil {
		room, cerr := h.store.GetOrCreateRoom(c.Request.Context(), name)
		switch {
		case cerr == nil:
			c.Redirect(http.StatusSeeOther, views.RoomURL(room.Name))
			return
		case !errors.Is(cerr, models.ErrTaken):
			h.fail(c, cerr)
			return
		}
		err = cerr // a look-alike of a room that exists: say so in the form
	}
	status, msg := h.formError(c, err)
	rooms, err := h.roomItems(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	if len(name) > 4*models.MaxRoomName {
		name = ""
	}
	h.render(c, status, views.RoomsPage(h.page(c, "Rooms"), rooms, name, msg), views.RoomForm(name, msg))
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
