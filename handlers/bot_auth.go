package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
)

var errBotToken = &statusError{http.StatusUnauthorized, "Send a bot's token: Authorization: Bearer <token>."}

// bearer lets a bot account in with its API token (Authorization: Bearer).
// A request without the header goes on as it came (a browser's session, or
// no one); one with a token that is wrong or revoked is refused, never
// taken for anonymous. The token names the bot for its streams, as a
// session token names a browser's.
func (h *Handler) bearer(c *gin.Context) {
	auth := c.GetHeader("Authorization")
	if auth == "" {
		c.Next()
		return
	}
	scheme, token, _ := strings.Cut(auth, " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > 200 {
		h.refuseBot(c, errBotToken)
		return
	}
	u, err := h.store.BotByToken(c.Request.Context(), token)
	if errors.Is(err, models.ErrNotFound) {
		h.refuseBot(c, errBotToken)
		return
	}
	if err != nil {
		h.apiFail(c, err)
		return
	}
	c.Set(ctxUser, u)
	c.Set(ctxToken, token)
	c.Next()
}

// requireBot answers 401 to an API request that came without a bot token.
func (h *Handler) requireBot(c *gin.Context) {
	if u := currentUser(c); u != nil && u.IsBot && c.GetHeader("Authorization") != "" {
		c.Next()
		return
	}
	h.refuseBot(c, errBotToken)
}

func (h *Handler) refuseBot(c *gin.Context, err error) {
	c.Header("WWW-Authenticate", `Bearer realm="minidiscord"`)
	h.apiFail(c, err)
}

// apiFail answers err as explain says, in JSON: {"error": "..."}.
func (h *Handler) apiFail(c *gin.Context, err error) {
	status, msg := h.explain(c.Writer.Header(), c.Request, err)
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(status, gin.H{"error": msg})
}
