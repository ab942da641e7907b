package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// searchPageSize is how many results a page of search results shows.
const searchPageSize = 20

// showSearch searches the messages the reader may see for ?q=, newest first,
// a page at a time (?before=<id>: the page after the one that ended there).
// A plain GET shows the whole page; htmx gets the results as the reader
// types, or, with before, the next page to put in place of "More results".
// A refused search (a bad filter, say) is told beside the box, with a 4xx.
func (h *Handler) showSearch(c *gin.Context) {
	text := c.Query("q")
	v := views.SearchView{Query: text}
	status := http.StatusOK
	before, err := searchCursor(c)
	var q *models.SearchQuery
	if err == nil {
		// Days in filters are read in the server's zone, the one its pages
		// show times in.
		q, err = models.ParseSearch(text, time.Local)
	}
	if err == nil && !q.Empty() {
		err = h.allowSearch(c)
		if err == nil {
			err = h.search(c, q, before, &v)
		}
	}
	if err != nil {
		status, v.Error = h.formError(c, err)
	}

	next := before > 0
	switch {
	case isHTMX(c) && c.GetHeader("HX-History-Restore-Request") == "true":
		// htmx lost its copy of the page (a reload after a pushed search):
		// the whole page, below.
	case isHTMX(c) && next && err != nil:
		h.fail(c, err)
		return
	case isHTMX(c) && next:
		h.render(c, status, nil, views.SearchHits(v.Results, v.MoreURL))
		return
	case isHTMX(c):
		h.render(c, status, nil, views.SearchUpdate(v))
		return
	}
	v.Older = next
	title := "Search"
	if text != "" {
		title = "Search: " + text
	}
	h.render(c, status, views.SearchPage(h.page(c, title), v), nil)
}

// search runs q for the reader and puts the results, highlighted, in v.
func (h *Handler) search(c *gin.Context, q *models.SearchQuery, before int64, v *views.SearchView) error {
	res, err := h.store.Search(c.Request.Context(), currentUser(c).ID, q, before, searchPageSize)
	if err != nil {
		return err
	}
	v.Searched = true
	for i := range res.Messages {
		m := &res.Messages[i]
		r := views.SearchResult{ID: m.ID, Room: m.Room.Name, Author: m.Author(), AuthorID: m.UserID, At: m.CreatedAt}
		if m.BotName == "" {
			r.AuthorAvatar = m.User.Avatar()
		}
		for _, p := range q.Highlight(m.Content) {
			r.Text = append(r.Text, views.TextPart{Text: p.Text, Hit: p.Hit})
		}
		v.Results = append(v.Results, r)
	}
	if res.More && len(res.Messages) > 0 {
		v.MoreURL = views.SearchURL(v.Query, res.Messages[len(res.Messages)-1].ID)
	}
	return nil
}

// searchCursor reads ?before=, the id the previous page ended at (0: none).
func searchCursor(c *gin.Context) (int64, error) {
	s, ok := c.GetQuery("before")
	if !ok {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, &models.InvalidError{Field: "before", Message: "Say where the results continue, as ?before=<message id>."}
	}
	return n, nil
}
