package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/realtime"
	"github.com/minidiscord/minidiscord/views"
)

// Bot accounts are made by staff only: a bot takes a name from everyone's
// namespace and posts at a program's pace into every room it can see, so
// someone answerable for the whole site decides which exist (docs/bots.md).

// showBots lists the bot accounts.
func (h *Handler) showBots(c *gin.Context) {
	v := views.BotsView{}
	if c.Query("done") == "revoked" {
		v.Notice = "The token is revoked: the bot is shut out until it gets a new one."
	}
	h.renderBots(c, http.StatusOK, v)
}

func (h *Handler) renderBots(c *gin.Context, status int, v views.BotsView) {
	bots, err := h.store.ListBots(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	for _, b := range bots {
		v.Rows = append(v.Rows, views.BotRow{ID: b.ID, Name: b.Username, Created: b.CreatedAt, HasToken: b.HasToken})
	}
	h.render(c, status, views.AdminBotsPage(h.page(c, "Bot accounts"), v), nil)
}

// createBot makes a bot account and shows its token, this once.
func (h *Handler) createBot(c *gin.Context) {
	name, _ := field(c, "name")
	u, token, err := h.store.CreateBot(c.Request.Context(), name)
	if err != nil {
		status, msg := h.formError(c, err)
		h.renderBots(c, status, views.BotsView{Name: name, Error: msg})
		return
	}
	h.renderBots(c, http.StatusOK, views.BotsView{New: h.botSecret(c, u.Username, token)})
}

// rotateBot gives a bot account a new token (the old one stops working,
// and its streams end), shown this once.
func (h *Handler) rotateBot(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		h.fail(c, errNoPage)
		return
	}
	token, err := h.store.RotateBotToken(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.hub.End(realtime.Ending{User: id})
	name := ""
	if u, err := h.store.BotByToken(c.Request.Context(), token); err == nil {
		name = u.Username
	}
	h.renderBots(c, http.StatusOK, views.BotsView{New: h.botSecret(c, name, token)})
}

// revokeBot takes a bot account's token away and ends its streams.
func (h *Handler) revokeBot(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		h.fail(c, errNoPage)
		return
	}
	if err := h.store.RevokeBotTokens(c.Request.Context(), id); err != nil {
		h.fail(c, err)
		return
	}
	h.hub.End(realtime.Ending{User: id})
	c.Redirect(http.StatusSeeOther, "/admin/bots?done=revoked")
}

func (h *Handler) botSecret(c *gin.Context, name, token string) *views.BotSecret {
	return &views.BotSecret{Name: name, Secret: token,
		Example: "curl -H 'Authorization: Bearer " + token + "' -d '{\"text\": \"hello\"}' " + h.siteURL(c) + "/api/rooms/general/messages"}
}
