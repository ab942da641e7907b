package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/realtime"
)

// Who may do what in a room. Seeing a room is the models' one rule
// (visibleTo, through roomFromParam and RoomVisibleTo); what follows is
// what a person who sees it may do there.
//
// Ranks order the people in a room: a member is 1, a moderator 2, its
// owner 3 and site staff 4 (in every room). Moderating someone (kick,
// mute, ban) needs a rank above theirs; roles are given by the owner and
// staff.
const (
	rankNone = iota
	rankMember
	rankModerator
	rankOwner
	rankStaff
)

// SSE event names for one user's access to a room.
const (
	// eventAccess tells a user's pages of a change to their place in a
	// room: removed (their stream of it ends right after), muted until a
	// time, or unmuted.
	eventAccess = "access"
	// eventRoomAdded brings a room the user may now see (a new DM, an
	// invitation) into their sidebars; eventRoomRemoved takes one out.
	eventRoomAdded   = "room-added"
	eventRoomRemoved = "room-removed"
)

type accessEvent struct {
	Room       int64  `json:"room"`
	Removed    bool   `json:"removed,omitempty"`
	Text       string `json:"text,omitempty"` // what the page says
	MutedUntil string `json:"muted_until,omitempty"`
	Muted      bool   `json:"muted"`
	// Moderator, when set, says whether the reader moderates the room
	// (its moderators, owner and staff; never in a DM): their page shows
	// the room's settings and Delete on everyone's messages.
	Moderator *bool `json:"moderator,omitempty"`
}

// accessState is u's whole place in room as stored now: whether they
// moderate it and whether they are muted. Every room stream starts with it
// (a page that reconnects ends as a reload shows it), and a promotion or
// demotion sends it.
func (h *Handler) accessState(ctx context.Context, u *models.User, room *models.Room) (accessEvent, error) {
	m, err := h.store.MemberOf(ctx, room.ID, u.ID)
	if err != nil {
		return accessEvent{}, err
	}
	mod := room.Kind != models.RoomDM && rank(u, room, m) >= rankModerator
	ev := accessEvent{Room: room.ID, Moderator: &mod}
	if m.MutedAt(time.Now()) {
		ev.Muted, ev.MutedUntil = true, m.MutedUntil.Format(time.RFC3339)
	}
	return ev, nil
}

var (
	errNotModerator = &statusError{http.StatusForbidden, "Only this room's moderators, its owner and staff may do that."}
	errNotOwner     = &statusError{http.StatusForbidden, "Only this room's owner and staff may do that."}
	errOutranked    = &statusError{http.StatusForbidden, "You cannot do that to someone whose role is the same as yours or above."}
)

// rank is a user's rank in a room, from their member row (nil: none).
func rank(u *models.User, room *models.Room, m *models.RoomMember) int {
	switch {
	case u == nil:
		return rankNone
	case u.IsStaff:
		return rankStaff
	case room.OwnerID != nil && *room.OwnerID == u.ID:
		return rankOwner
	case m == nil:
		return rankMember // seeing a public room is being in it
	case m.Role == models.RoleOwner:
		return rankOwner
	case m.Role == models.RoleModerator:
		return rankModerator
	}
	return rankMember
}

// rankIn is the current user's rank in room (which they may see).
func (h *Handler) rankIn(c *gin.Context, room *models.Room) (int, *models.RoomMember, error) {
	u := currentUser(c)
	if u == nil {
		return rankNone, nil, nil
	}
	m, err := h.store.MemberOf(c.Request.Context(), room.ID, u.ID)
	if err != nil {
		return rankNone, nil, err
	}
	return rank(u, room, m), m, nil
}

// mayManageRoom says the current user owns room or is site staff: who may
// change the room itself: its roles and its webhooks.
func (h *Handler) mayManageRoom(c *gin.Context, room *models.Room) bool {
	r, _, err := h.rankIn(c, room)
	return err == nil && r >= rankOwner
}

// mayModerate says the current user is a moderator of room, its owner, or
// staff.
func (h *Handler) mayModerate(c *gin.Context, room *models.Room) bool {
	r, _, err := h.rankIn(c, room)
	return err == nil && r >= rankModerator
}

// mutedUntil is when the current user may post in room again (zero: now).
func (h *Handler) mutedUntil(ctx context.Context, userID int64, room *models.Room) (time.Time, error) {
	m, err := h.store.MemberOf(ctx, room.ID, userID)
	if err != nil || !m.MutedAt(time.Now()) {
		return time.Time{}, err
	}
	return *m.MutedUntil, nil
}

// mutedError refuses a post from a muted member, saying until when.
func mutedError(until time.Time) error {
	return &statusError{http.StatusForbidden, "You are muted in this room until " + until.UTC().Format("2 Jan 15:04 MST") + ": you can read, not post."}
}

// endAccess ends userID's streams of room on every instance, after
// telling their pages why (the stream's last event), and takes the room out
// of their sidebars.
func (h *Handler) endAccess(room *models.Room, userID int64, text string) {
	h.publishUser(userID, eventAccess, accessEvent{Room: room.ID, Removed: true, Text: text})
	h.publishUser(userID, eventRoomRemoved, accessEvent{Room: room.ID})
	h.hub.End(realtime.Ending{Room: room.ID, User: userID})
}

// audit records what the current user did, in room (nil: none), to
// target (0: nobody). A failure is logged: the action is done already.
func (h *Handler) audit(c *gin.Context, action string, room *models.Room, target int64, detail string) {
	e := &models.AuditEntry{Action: action, TargetUserID: target, Detail: detail}
	if u := currentUser(c); u != nil {
		e.ActorID = u.ID
	}
	if room != nil {
		e.RoomID = room.ID
	}
	if err := h.store.Audit(context.WithoutCancel(c.Request.Context()), e); err != nil {
		h.log.Error("audit", "action", action, "err", err)
	}
}

// excerpt is the start of a text, at most n runes: what the audit log
// keeps of a deleted message.
func excerpt(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}
