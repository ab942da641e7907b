package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// adminPageSize is how many messages one admin page lists.
const adminPageSize = 50

// showAdmin lists rooms, one page of messages and users for staff. The
// messages can be filtered by room (?room=) and author (?author=), and
// paged by id (?before= older, ?after= newer).
func (h *Handler) showAdmin(c *gin.Context) {
	// (The audit log's latest adminAuditSize entries close the page.)
	ctx := c.Request.Context()
	v := views.AdminView{
		Room:   strings.TrimSpace(c.Query("room")),
		Author: strings.TrimSpace(c.Query("author")),
		Notice: h.takeNote(c, noteAdmin),
		Here:   adminBack(c.Request.URL.RequestURI()),
	}
	before, err1 := queryID(c, "before")
	after, err2 := queryID(c, "after")
	if err := errors.Join(err1, err2); err != nil {
		h.fail(c, err)
		return
	}
	rooms, err := h.adminRooms(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	v.Rooms = rooms
	users, err := h.store.ListUsers(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	for _, u := range users {
		v.Users = append(v.Users, views.AdminUser{ID: u.ID, Name: u.Username, DisplayName: u.DisplayName, IsStaff: u.IsStaff, Joined: u.CreatedAt, Inactive: u.Inactive, Self: u.ID == currentUser(c).ID})
	}

	f := models.MessageFilter{Before: before, After: after}
	if f.RoomID, v.FilterNote, err = h.filterRoom(ctx, v.Room); err != nil {
		h.fail(c, err)
		return
	}
	if v.FilterNote == "" {
		if f.UserID, v.FilterNote, err = h.filterAuthor(ctx, v.Author); err != nil {
			h.fail(c, err)
			return
		}
	}
	if v.FilterNote == "" {
		if err := h.adminMessages(ctx, &v, f); err != nil {
			h.fail(c, err)
			return
		}
	}
	audit, err := h.store.AuditLog(ctx, adminAuditSize)
	if err != nil {
		h.fail(c, err)
		return
	}
	for _, e := range audit {
		v.Audit = append(v.Audit, views.AuditRow{At: e.At, Actor: e.Actor, Action: e.Action, Room: e.Room, Target: e.Target, Detail: e.Detail})
	}
	h.render(c, http.StatusOK, views.AdminPage(h.page(c, "Admin"), v), nil)
}

// adminMessages fills in one page of messages and the links to the pages
// beside it.
func (h *Handler) adminMessages(ctx context.Context, v *views.AdminView, f models.MessageFilter) error {
	msgs, err := h.store.FilterMessages(ctx, f, adminPageSize)
	if err != nil {
		return err
	}
	for i := range msgs {
		m := views.AdminMessage{MessageView: messageView(&msgs[i])}
		if msgs[i].Room != nil {
			m.Room = msgs[i].Room.Name
		}
		v.Messages = append(v.Messages, m)
	}
	newer, older := f, f
	newer.Before, older.After = 0, 0
	if len(msgs) > 0 {
		newer.After, older.Before = msgs[0].ID, msgs[len(msgs)-1].ID
	} else if f.Before == 0 && f.After == 0 {
		return nil // nothing at all
	}
	hasNewer, err := h.store.AnyMessage(ctx, newer)
	if err != nil {
		return err
	}
	hasOlder := false
	if len(msgs) > 0 {
		if hasOlder, err = h.store.AnyMessage(ctx, older); err != nil {
			return err
		}
	}
	switch {
	case hasNewer && len(msgs) == 0:
		v.Newer = views.AdminURL(v.Room, v.Author, 0, 0) // off the end: back to the newest
	case hasNewer:
		v.Newer = views.AdminURL(v.Room, v.Author, 0, newer.After)
	}
	if hasOlder {
		v.Older = views.AdminURL(v.Room, v.Author, older.Before, 0)
	}
	return nil
}

func (h *Handler) adminRooms(ctx context.Context) ([]views.AdminRoom, error) {
	rooms, err := h.store.ListRooms(ctx)
	if err != nil {
		return nil, err
	}
	stored, err := h.store.CountMessagesByRoom(ctx)
	if err != nil {
		return nil, err
	}
	counts := h.hub.OnlineCounts()
	out := make([]views.AdminRoom, len(rooms))
	for i, r := range rooms {
		out[i] = views.AdminRoom{ID: r.ID, Name: r.Name, Messages: stored[r.ID], Online: counts[r.ID]}
	}
	return out, nil
}

// filterRoom finds the room a filter names ("": any). A name of no room is
// a note for the page, not an error.
func (h *Handler) filterRoom(ctx context.Context, name string) (id int64, note string, err error) {
	if name == "" {
		return 0, "", nil
	}
	if models.ValidateRoomName(name) == nil {
		r, err := h.store.RoomByName(ctx, name)
		if err == nil {
			return r.ID, "", nil
		}
		if !errors.Is(err, models.ErrNotFound) {
			return 0, "", err
		}
	}
	return 0, "No room is called “" + name + "”.", nil
}

// filterAuthor finds the user a filter names ("": anyone).
func (h *Handler) filterAuthor(ctx context.Context, name string) (id int64, note string, err error) {
	if name == "" {
		return 0, "", nil
	}
	if models.ValidateUsername(name) == nil {
		u, err := h.store.UserByUsername(ctx, name)
		if err == nil {
			return u.ID, "", nil
		}
		if !errors.Is(err, models.ErrNotFound) {
			return 0, "", err
		}
	}
	return 0, "No one is called “" + name + "”.", nil
}

// queryID reads an optional positive message id from the query.
func queryID(c *gin.Context, name string) (int64, error) {
	s, ok := c.GetQuery(name)
	if !ok || s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, &models.InvalidError{Field: name, Message: "Say which message to page from, as ?" + name + "=<message id>."}
	}
	return id, nil
}

// adminBack keeps a "come back to" address on the admin page.
func adminBack(back string) string {
	if back = safeNext(back); !strings.HasPrefix(back, "/admin/") || len(back) > 2048 {
		return "/admin/"
	}
	return back
}

// adminAuditSize is how many of the latest audit entries /admin/ shows.
const adminAuditSize = 100
