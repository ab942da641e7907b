package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/views"
)

// noteSettings is what the last change on a room's settings page did.
const noteSettings = "room-settings"

// muteChoices are the lengths a moderator picks a mute from, in minutes.
var muteChoices = []int{10, 60, 24 * 60, 7 * 24 * 60}

// showRoomSettings is a room's members, roles, mutes and bans, for its
// moderators, owner and staff: every change is a form that posts to
// moderateRoom and comes back here. A DM has none.
func (h *Handler) showRoomSettings(c *gin.Context) {
	room, err := h.roomFromParam(c)
	if err == nil && room.Kind == models.RoomDM {
		err = errNoPage
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	if !h.mayModerate(c, room) {
		h.fail(c, errNotModerator)
		return
	}
	h.renderSettings(c, http.StatusOK, room, h.takeNote(c, noteSettings), "")
}

func (h *Handler) renderSettings(c *gin.Context, status int, room *models.Room, notice, formError string) {
	ctx := c.Request.Context()
	members, err := h.store.RoomMembers(ctx, room.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	bans, err := h.store.RoomBans(ctx, room.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	me, _, err := h.rankIn(c, room)
	if err != nil {
		h.fail(c, err)
		return
	}
	v := views.RoomSettingsView{Room: room.Name, Private: room.Kind == models.RoomPrivate, CanRoles: me >= rankOwner, Notice: notice, Error: formError, MuteChoices: muteChoices}
	now := time.Now()
	for _, m := range members {
		row := views.MemberRow{Name: m.Name, Role: m.Role}
		if room.OwnerID != nil && *room.OwnerID == m.UserID {
			row.Role = models.RoleOwner
		}
		if m.MutedAt(now) {
			row.MutedUntil = m.MutedUntil.UTC().Format("2 Jan 15:04 MST")
		}
		if !v.Private && row.Role == models.RoleMember && row.MutedUntil == "" {
			continue // a public room's stale row: nothing to show
		}
		v.Members = append(v.Members, row)
	}
	for _, b := range bans {
		v.Bans = append(v.Bans, b.Name)
	}
	h.render(c, status, views.RoomSettingsPage(h.page(c, "#"+room.Name+" settings"), v), nil)
}

// moderateRoom makes one change to a room's people: action is invite,
// remove, promote, demote, mute (for minutes), unmute, ban or unban, and
// user names whom. Each is checked against the actor's rank, recorded in
// the audit log, and reaches the person's open pages at once.
func (h *Handler) moderateRoom(c *gin.Context) {
	room, err := h.roomFromParam(c)
	if err == nil && room.Kind == models.RoomDM {
		err = errNoPage
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	me, _, err := h.rankIn(c, room)
	if err != nil {
		h.fail(c, err)
		return
	}
	if me < rankModerator {
		h.fail(c, errNotModerator)
		return
	}
	notice, err := h.moderate(c, room, me)
	var invalid *models.InvalidError
	var refused *statusError
	var limited *rateLimitError
	switch {
	case err == nil:
		h.leaveNote(c, noteSettings, notice)
		c.Redirect(http.StatusSeeOther, views.RoomPath(room.Name, "settings"))
	case errors.As(err, &invalid), errors.As(err, &refused), errors.As(err, &limited):
		status, msg := h.formError(c, err)
		h.renderSettings(c, status, room, "", msg)
	default:
		h.fail(c, err)
	}
}

func (h *Handler) moderate(c *gin.Context, room *models.Room, me int) (string, error) {
	ctx := c.Request.Context()
	action := c.PostForm("action")
	name := c.PostForm("user")
	if err := h.allowModerate(c); err != nil {
		return "", err
	}
	target, err := h.store.UserByUsername(ctx, name)
	if errors.Is(err, models.ErrNotFound) || (err == nil && target.Inactive) {
		return "", &models.InvalidError{Field: "user", Message: "There is no user called “" + name + "”."}
	}
	if err != nil {
		return "", err
	}
	tm, err := h.store.MemberOf(ctx, room.ID, target.ID)
	if err != nil {
		return "", err
	}
	them := rank(target, room, tm)
	if tm == nil && room.Kind == models.RoomPrivate && !target.IsStaff {
		them = rankNone
	}
	private := room.Kind == models.RoomPrivate
	who := target.Username
	outranks := func() error {
		if target.ID == currentUser(c).ID || me <= them {
			return errOutranked
		}
		return nil
	}
	switch action {
	case "invite":
		if !private {
			return "", &models.InvalidError{Field: "user", Message: "Anyone may open a public room: there is no one to invite."}
		}
		if tm != nil {
			return who + " is a member already.", nil
		}
		if err := h.store.AddMember(ctx, room.ID, target.ID, models.RoleMember); err != nil {
			return "", err
		}
		h.audit(c, "invite", room, target.ID, "")
		h.roomAdded(ctx, target.ID, room.ID)
		return who + " was invited: #" + room.Name + " is in their rooms now.", nil
	case "remove":
		if !private {
			return "", &models.InvalidError{Field: "user", Message: "A public room has no members to remove: ban " + who + " instead."}
		}
		if tm == nil {
			return "", &models.InvalidError{Field: "user", Message: who + " is not a member."}
		}
		if err := outranks(); err != nil {
			return "", err
		}
		if err := h.store.RemoveMember(ctx, room.ID, target.ID); err != nil {
			return "", err
		}
		h.audit(c, "remove", room, target.ID, "")
		h.endAccess(room, target.ID, "You were removed from #"+room.Name+".")
		return who + " was removed.", nil
	case "promote", "demote":
		if !h.mayManageRoom(c, room) {
			return "", errNotOwner
		}
		if them >= rankOwner || target.ID == currentUser(c).ID {
			return "", errOutranked
		}
		if private && tm == nil {
			return "", &models.InvalidError{Field: "user", Message: who + " is not a member: invite them first."}
		}
		role := models.RoleModerator
		if action == "demote" {
			role = models.RoleMember
		}
		if err := h.store.AddMember(ctx, room.ID, target.ID, role); err != nil {
			return "", err
		}
		h.audit(c, action, room, target.ID, role)
		if ev, err := h.accessState(ctx, target, room); err == nil {
			h.publishUser(target.ID, eventAccess, ev) // their pages: settings, Delete
		}
		if role == models.RoleModerator {
			return who + " is a moderator now.", nil
		}
		return who + " is no longer a moderator.", nil
	case "mute":
		minutes, _ := strconv.Atoi(c.PostForm("minutes"))
		if !slices.Contains(muteChoices, minutes) {
			return "", &models.InvalidError{Field: "minutes", Message: "Pick how long the mute lasts."}
		}
		if them == rankNone {
			return "", &models.InvalidError{Field: "user", Message: who + " is not a member."}
		}
		if err := outranks(); err != nil {
			return "", err
		}
		until := time.Now().Add(time.Duration(minutes) * time.Minute).UTC().Truncate(time.Second)
		if err := h.store.Mute(ctx, room.ID, target.ID, until); err != nil {
			return "", err
		}
		h.audit(c, "mute", room, target.ID, strconv.Itoa(minutes)+" min")
		h.publishUser(target.ID, eventAccess, accessEvent{Room: room.ID, Muted: true, MutedUntil: until.Format(time.RFC3339)})
		return who + " is muted until " + until.Format("2 Jan 15:04 MST") + ".", nil
	case "unmute":
		if tm == nil || !tm.MutedAt(time.Now()) {
			return who + " is not muted.", nil
		}
		if err := outranks(); err != nil {
			return "", err
		}
		if err := h.store.Mute(ctx, room.ID, target.ID, time.Time{}); err != nil {
			return "", err
		}
		h.audit(c, "unmute", room, target.ID, "")
		h.publishUser(target.ID, eventAccess, accessEvent{Room: room.ID})
		return who + " may post again.", nil
	case "ban":
		if private {
			return "", &models.InvalidError{Field: "user", Message: "A private room has no bans: remove " + who + " instead."}
		}
		if err := outranks(); err != nil {
			return "", err
		}
		if err := h.store.Ban(ctx, room.ID, target.ID, currentUser(c).ID); err != nil {
			return "", err
		}
		h.audit(c, "ban", room, target.ID, "")
		h.endAccess(room, target.ID, "You were banned from #"+room.Name+".")
		return who + " is banned from #" + room.Name + ".", nil
	case "unban":
		if err := h.store.Unban(ctx, room.ID, target.ID); err != nil {
			return "", err
		}
		h.audit(c, "unban", room, target.ID, "")
		h.roomAdded(ctx, target.ID, room.ID)
		return who + " may open #" + room.Name + " again.", nil
	}
	return "", errBadForm
}
