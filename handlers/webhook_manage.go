package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

var errNotManager = &statusError{http.StatusForbidden, "Only the room's managers may manage its webhooks."}

// managedRoom is the room of a webhooks request, if the user may see it
// (else 404, as everywhere) and manage it (else 403).
func (h *Handler) managedRoom(c *gin.Context) (*models.Room, bool) {
	room, err := h.roomFromParam(c)
	if err != nil {
		h.fail(c, err)
		return nil, false
	}
	if !h.mayManageRoom(c, room) {
		h.fail(c, errNotManager)
		return nil, false
	}
	return room, true
}

// showWebhooks lists a room's webhooks with the form that makes one.
func (h *Handler) showWebhooks(c *gin.Context) {
	room, ok := h.managedRoom(c)
	if !ok {
		return
	}
	v := views.BotsView{}
	if c.Query("done") == "revoked" {
		v.Notice = "The webhook is revoked: its address no longer posts."
	}
	h.renderWebhooks(c, http.StatusOK, room, v)
}

func (h *Handler) renderWebhooks(c *gin.Context, status int, room *models.Room, v views.BotsView) {
	hooks, err := h.store.RoomWebhooks(c.Request.Context(), room.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	v.Room = room.Name
	for _, w := range hooks {
		row := views.BotRow{ID: w.ID, Name: w.Name(), Created: w.CreatedAt}
		if w.Creator != nil {
			row.CreatedBy = w.Creator.Username
		}
		v.Rows = append(v.Rows, row)
	}
	h.render(c, status, views.WebhooksPage(h.page(c, "Webhooks of #"+room.Name), v), nil)
}

// createWebhook makes a webhook and shows its address, this once.
func (h *Handler) createWebhook(c *gin.Context) {
	room, ok := h.managedRoom(c)
	if !ok {
		return
	}
	name, _ := field(c, "name")
	err := h.allow(c, h.limits.message, "user:"+strconv.FormatInt(currentUser(c).ID, 10), "You are making webhooks too fast.")
	var hook *models.Webhook
	var token string
	if err == nil {
		hook, token, err = h.store.CreateWebhook(c.Request.Context(), room.ID, currentUser(c).ID, name)
	}
	if err != nil {
		status, msg := h.formError(c, err)
		h.renderWebhooks(c, status, room, views.BotsView{Name: name, Error: msg})
		return
	}
	h.renderWebhooks(c, http.StatusOK, room, views.BotsView{New: h.hookSecret(c, hook.Name(), hook.ID, token)})
}

// rotateWebhook gives a webhook a new address, shown this once.
func (h *Handler) rotateWebhook(c *gin.Context) {
	room, ok := h.managedRoom(c)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		h.fail(c, errNoPage)
		return
	}
	token, err := h.store.RotateWebhook(c.Request.Context(), room.ID, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	name := ""
	if hook, err := h.store.WebhookByToken(c.Request.Context(), id, token); err == nil {
		name = hook.Name()
	}
	h.renderWebhooks(c, http.StatusOK, room, views.BotsView{New: h.hookSecret(c, name, id, token)})
}

// deleteWebhook revokes a webhook and goes back to the list.
func (h *Handler) deleteWebhook(c *gin.Context) {
	room, ok := h.managedRoom(c)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		h.fail(c, errNoPage)
		return
	}
	if err := h.store.DeleteWebhook(c.Request.Context(), room.ID, id); err != nil {
		h.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, views.WebhooksPath(room.Name, "?done=revoked"))
}

// hookSecret is a webhook's address as its maker copies it.
func (h *Handler) hookSecret(c *gin.Context, name string, id int64, token string) *views.BotSecret {
	u := h.siteURL(c) + "/hooks/" + strconv.FormatInt(id, 10) + "/" + token
	return &views.BotSecret{Name: name, Secret: u,
		Example: "curl -d '{\"text\": \"build 42 passed\"}' " + u}
}

// siteURL is this site's address as the request reached it.
func (h *Handler) siteURL(c *gin.Context) string {
	scheme := "http"
	if c.Request.TLS != nil || h.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}
