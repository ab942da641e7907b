package handlers

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
)

// hookPayload is the JSON a webhook takes (docs/bots.md): Slack's "text",
// or Discord's "content", and the name to show the post under.
type hookPayload struct {
	Text     *string `json:"text"`
	Content  *string `json:"content"`
	Username string  `json:"username"`
}

var errHookBody = &statusError{http.StatusBadRequest, `Send JSON like {"text": "build 42 passed"}, or a form with a text field.`}

// postWebhook posts to a room as its webhook's bot. The token in the
// address is the only credential (no cookie is read: the route sits outside
// the cross-origin check, security.go), and a wrong one is answered exactly
// as a webhook that does not exist. The post goes through the writer like
// any other, so it is live, resumable, searchable and drawn by the same
// component, with its BOT tag.
func (h *Handler) postWebhook(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 || len(c.Param("token")) > 200 {
		h.apiFail(c, &models.NotFoundError{What: "webhook"})
		return
	}
	ctx := c.Request.Context()
	hook, err := h.store.WebhookByToken(ctx, id, c.Param("token"))
	if err != nil {
		h.apiFail(c, err)
		return
	}
	if err := h.allowWebhook(c, hook.ID); err != nil {
		h.apiFail(c, err)
		return
	}
	body, err := h.readBody(c)
	if err != nil {
		h.apiFail(c, err)
		return
	}
	in, err := parseHookBody(body)
	if err != nil {
		h.apiFail(c, err)
		return
	}
	var raw *string
	if raw = in.Text; raw == nil {
		raw = in.Content
	}
	if raw == nil {
		h.apiFail(c, errHookBody)
		return
	}
	text, err := models.CleanMessage(*raw)
	if err != nil {
		h.apiFail(c, err)
		return
	}
	name, err := models.CleanBotName(in.Username)
	if err != nil {
		h.apiFail(c, err)
		return
	}
	if name == hook.User.Username {
		name = ""
	}
	m := &models.Message{RoomID: hook.RoomID, UserID: hook.UserID, Content: text, CreatedAt: time.Now().UTC(), User: hook.User, BotName: name}
	if err := h.writer.Post(ctx, m); err != nil {
		h.apiFail(c, err)
		return
	}
	h.metrics.posted.Inc()
	room, err := h.store.RoomByID(ctx, hook.RoomID)
	if err != nil {
		h.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, toAPIMessage(room.Name, m))
}

// parseHookBody reads a JSON body, whatever the Content-Type says (curl -d
// sends JSON labelled as a form), else a form: text (or content) and
// username fields, or Slack's payload field holding the JSON.
func parseHookBody(body []byte) (hookPayload, error) {
	var in hookPayload
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' {
		if err := json.Unmarshal(trimmed, &in); err != nil {
			return in, errHookBody
		}
		return in, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return in, errHookBody
	}
	if p := bytes.TrimSpace([]byte(form.Get("payload"))); len(p) > 0 {
		if p[0] != '{' {
			return in, errHookBody
		}
		return parseHookBody(p)
	}
	for _, f := range []struct {
		name string
		dst  **string
	}{{"text", &in.Text}, {"content", &in.Content}} {
		if v, ok := form[f.name]; ok {
			if len(v) != 1 {
				return in, errHookBody
			}
			*f.dst = &v[0]
		}
	}
	in.Username = form.Get("username")
	return in, nil
}
