package views

import (
	"strconv"
	"strings"
)

// unreadCap is where counts stop; a room at the cap shows "99+".
const unreadCap = 100

// IsUnread says the room is shown in bold: something there is unread.
func (r RoomItem) IsUnread() bool { return r.Unread > 0 || r.Mentions > 0 || r.New }

// CountLabel is a count as a badge shows it: "3", or "99+" from the cap.
func CountLabel(n int) string {
	if n >= unreadCap {
		return strconv.Itoa(unreadCap-1) + "+"
	}
	return strconv.Itoa(n)
}

// UnreadNote is what a screen reader hears after the room's name:
// ", 3 unread messages, 1 mention", or ", new messages". (aware.js says
// the same when it changes.)
func (r RoomItem) UnreadNote() string {
	var parts []string
	switch {
	case r.Unread == 1:
		parts = append(parts, "1 unread message")
	case r.Unread > 1:
		parts = append(parts, CountLabel(r.Unread)+" unread messages")
	case r.New || r.Mentions > 0:
		parts = append(parts, "new messages")
	}
	switch {
	case r.Mentions == 1:
		parts = append(parts, "1 mention")
	case r.Mentions > 1:
		parts = append(parts, CountLabel(r.Mentions)+" mentions")
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

// UnreadTitle puts the reader's unread total in front of a page title, as
// "(3) #general"; the script keeps it current.
func UnreadTitle(rooms []RoomItem, title string) string {
	total := 0
	for _, r := range rooms {
		total += r.Unread
	}
	if total == 0 {
		return title
	}
	return "(" + CountLabel(total) + ") " + title
}

// MarkNew marks the entry of message from (0: none) as the first the
// reader had not read, for the "new since you left" divider.
func MarkNew(entries []LogEntry, from int64) []LogEntry {
	for i := range entries {
		if from != 0 && entries[i].ID == from {
			entries[i].NewSince = true
		}
	}
	return entries
}
