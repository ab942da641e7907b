package handlers

import (
	"errors"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
)

// replyField reads the message a post answers, the composer's reply_to
// (0: none).
func replyField(c *gin.Context) (int64, error) {
	raw, repeated := field(c, "reply_to")
	if raw == "" && !repeated {
		return 0, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if repeated || err != nil || id <= 0 {
		return 0, &models.InvalidError{Field: "reply_to", Message: "That is not a message you can reply to."}
	}
	return id, nil
}

// replyGone reports whether a post failed because the message it answers is
// not in the room (a message deleted meanwhile is fine: the reply quotes
// "deleted message").
func replyGone(err error) bool {
	var nf *models.NotFoundError
	return errors.As(err, &nf) && nf.What == "message"
}
