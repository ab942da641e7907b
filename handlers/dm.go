package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// Direct messages are rooms of kind dm with two members, named by their
// ids (models.DMName): every room route serves them, and only the two may
// see them (the one access rule). A name on the page (an author, someone
// online) links to showDM.

// showDM is /dm/<name>: the DM with that person if it exists, else a page
// with one button that opens it (no script needed). One's own name (an
// author link, the online list) leads to one's account page.
func (h *Handler) showDM(c *gin.Context) {
	u := currentUser(c)
	other, err := h.dmUser(c, c.Param("user"))
	if err != nil {
		h.fail(c, err)
		return
	}
	if other.ID == u.ID {
		c.Redirect(http.StatusSeeOther, accountPath)
		return
	}
	if room, err := h.store.RoomVisibleTo(c.Request.Context(), u.ID, models.DMName(u.ID, other.ID)); err == nil && room.Kind == models.RoomDM {
		c.Redirect(http.StatusSeeOther, views.RoomURL(room.Name))
		return
	}
	h.render(c, http.StatusOK, views.DMStartPage(h.page(c, "Message "+other.Username), other.Username), nil)
}

// showDMWith is the online list's way to a DM: it names people as they
// show themselves (display names), so it links by id, and this sends the
// browser on to the DM's address by username.
func (h *Handler) showDMWith(c *gin.Context) {
	id, err := strconv.ParseInt(c.Query("user_id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(c, errBadForm)
		return
	}
	if id == currentUser(c).ID {
		c.Redirect(http.StatusSeeOther, accountPath)
		return
	}
	other, err := h.store.UserByID(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Redirect(http.StatusFound, views.DMURL(other.Username))
}

// openDM opens the DM with the user named in the form, making it the first
// time; the other person's open pages get it in their sidebars at once.
func (h *Handler) openDM(c *gin.Context) {
	name, repeated := field(c, "user")
	if repeated {
		h.fail(c, errBadForm)
		return
	}
	other, err := h.dmPeer(c, name)
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.allowModerate(c); err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	u := currentUser(c)
	room, created, err := h.store.OpenDM(ctx, u.ID, other.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	if created {
		h.roomAdded(ctx, other.ID, room.ID)
		h.roomAdded(ctx, u.ID, room.ID) // the opener's other tabs
	}
	c.Redirect(http.StatusSeeOther, views.RoomURL(room.Name))
}

// dmPeer is the active user called name, other than the current one.
func (h *Handler) dmPeer(c *gin.Context, name string) (*models.User, error) {
	other, err := h.dmUser(c, name)
	if err != nil {
		return nil, err
	}
	if other.ID == currentUser(c).ID {
		return nil, &models.InvalidError{Field: "user", Message: "That is you: pick someone else to write to."}
	}
	return other, nil
}

// dmUser is the active user named name (or once named so), who may be the
// one asking.
func (h *Handler) dmUser(c *gin.Context, name string) (*models.User, error) {
	if !models.PlausibleName(name) {
		return nil, &models.NotFoundError{What: "user", Name: name}
	}
	other, err := h.store.UserByUsername(c.Request.Context(), name)
	if err == nil && other.Inactive {
		err = &models.NotFoundError{What: "user", Name: name}
	}
	if err != nil {
		return nil, err
	}
	return other, nil
}
