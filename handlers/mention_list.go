package handlers

import (
	"net/http"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// mentionSuggestions is how many people "@" offers at once.
const mentionSuggestions = 8

// listMentionOptions answers the composer's "@an": people whose name starts
// with ?q= to mention in the room, those online in it first, then those
// who posted there lately, then anyone (models.Store.MentionCandidates).
// A q that cannot start a name gets an empty list, not an error: it is
// whatever is being typed.
func (h *Handler) listMentionOptions(c *gin.Context) {
	room, err := h.roomFromParam(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	q := c.Query("q")
	var opts []views.MentionOption
	if namePrefix(q) {
		online := map[int64]bool{}
		var ids []int64
		for _, m := range h.hub.Online(room.ID) {
			online[m.UserID] = true
			ids = append(ids, m.UserID)
		}
		// The online list shows display names; a mention takes the username.
		names, err := h.store.UsernamesByID(c.Request.Context(), ids)
		if err != nil {
			h.fail(c, err)
			return
		}
		var members []models.Member
		for _, id := range ids {
			if n, ok := names[id]; ok {
				members = append(members, models.Member{UserID: id, Name: n})
			}
		}
		people, err := h.store.MentionCandidates(c.Request.Context(), room.ID, q, members, currentUser(c).ID, mentionSuggestions)
		if err != nil {
			h.fail(c, err)
			return
		}
		for _, p := range people {
			opts = append(opts, views.MentionOption{UserID: p.UserID, Name: p.Name, Online: online[p.UserID]})
		}
	}
	c.Header("Cache-Control", "no-store")
	list := views.MentionOptions(q, opts)
	h.render(c, http.StatusOK, list, list)
}

// namePrefix reports whether q can begin a name a mention can name: what
// models.FindMentions takes after "@" (letters, digits, _ . + -), no
// longer than a username.
func namePrefix(q string) bool {
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > models.MaxUsername {
		return false
	}
	for _, r := range q {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '_' && r != '.' && r != '+' && r != '-' {
			return false
		}
	}
	return true
}
