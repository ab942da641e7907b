// Package views holds the templ components: full pages (XxxPage, wrapped in
// Layout) and the partials HTMX swaps, each with a stable root id.
package views

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Viewer is who is looking at a page.
type Viewer struct {
	UserID   int64
	Name     string
	IsStaff  bool
	LoggedIn bool
	Avatar   int64 // the version of their picture, 0 for none
}

// Page is what every full page needs.
type Page struct {
	Title  string
	Viewer Viewer
}

// Member is one entry in an online list.
type Member struct {
	UserID int64
	Name   string
	// Display is a mentioned person's display name ("" shows Name, the
	// @username).
	Display string
	// Avatar is the version of their picture, 0 for none (online lists).
	Avatar int64
	// Bot marks a bot account (online lists: tagged BOT).
	Bot bool
}

// MessageView is one message as shown in the log.
type MessageView struct {
	ID       int64
	AuthorID int64
	Author   string // the display name, else the username
	// Handle is the author's @username.
	Handle   string
	Content  string
	At       time.Time
	EditedAt time.Time // zero: never edited
	Deleted  bool
	ReplyTo  *QuoteView
	// Reactions in the order they are offered.
	Reactions []ReactionView
	// Seq numbers the message's latest change: of two versions of a
	// message, the page keeps the later.
	Seq int64
	// Mine and Highlight are for one reader, on full pages only (the
	// stream renders once for everyone and the script marks "mine").
	Mine      bool
	Highlight bool
	// Mentioned are the people the text mentions with @name.
	Mentioned []Member
	// Attachments are the files posted with it, in order.
	Attachments []AttachmentView
	// Bot marks a post by a bot account or a webhook (tagged BOT); Via is
	// the bot's account name when the post asked for another (a webhook's
	// username), so the name shown cannot hide who sent it.
	Bot bool
	Via string
	// AuthorAvatar is the version of the author's picture, 0 for none.
	AuthorAvatar int64
}

// AttachmentView is one file of a message: an image shown by its
// thumbnail at its known size (so the log does not move when it loads),
// or a card naming any other file.
type AttachmentView struct {
	ID   int64
	Name string
	Type string
	Size string // for people: "1.5 MB"
	// Image files: the full size, and the thumbnail's (the size drawn).
	Image                   bool
	Width, Height           int
	ThumbWidth, ThumbHeight int
}

// FileURL is where a file is served in full, FileThumbURL its thumbnail.
func FileURL(id int64) string      { return "/files/" + strconv.FormatInt(id, 10) }
func FileThumbURL(id int64) string { return FileURL(id) + "/thumb" }

// QuoteView is the message a reply answers.
type QuoteView struct {
	ID      int64
	Author  string
	Text    string
	Deleted bool
}

// ReactionView is one emoji on a message and who chose it.
type ReactionView struct {
	Emoji string
	IDs   []int64 // who reacted, first first
	Names []string
	Mine  bool // the reader is among them (full pages only, as MessageView.Mine)
}

// UserIDs lists who reacted, for the page's script to mark your own.
func (r ReactionView) UserIDs() string {
	var b strings.Builder
	for i, id := range r.IDs {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

// Title names who reacted: "ann, bo and 3 others reacted with 👍".
func (r ReactionView) Title() string {
	const shown = 3
	names := r.Names
	rest := 0
	if len(names) > shown+1 {
		names, rest = names[:shown], len(names)-shown
	}
	var who string
	switch {
	case rest > 0:
		who = strings.Join(names, ", ") + " and " + strconv.Itoa(rest) + " others"
	case len(names) > 1:
		who = strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	case len(names) == 1:
		who = names[0]
	}
	return who + " reacted with " + r.Emoji
}

// RoomItem is a room in a list, with how many are online and the reader's
// unread state there (unread.go).
type RoomItem struct {
	ID     int64
	Name   string
	Online int
	// Unread and Mentions count what the reader has not read there (up to
	// 100); New marks a room with messages they never opened.
	Unread   int
	Mentions int
	New      bool
	// Kind is "public", "private" or "dm"; a DM's Label is the other
	// person's name, shown in place of its internal name.
	Kind  string
	Label string
}

// IsDM says the item is a direct message.
func (r RoomItem) IsDM() bool { return r.Kind == "dm" }

// Title is how the item is named in a list: #name, or @person for a DM.
func (r RoomItem) Title() string {
	if r.IsDM() {
		return "@" + r.Label
	}
	return "#" + r.Name
}

// Rooms are the items that are not DMs; DMs the others.
func Rooms(items []RoomItem) []RoomItem { return pick(items, false) }

// DMs are the direct messages among items.
func DMs(items []RoomItem) []RoomItem { return pick(items, true) }

func pick(items []RoomItem, dm bool) []RoomItem {
	var out []RoomItem
	for _, it := range items {
		if it.IsDM() == dm {
			out = append(out, it)
		}
	}
	return out
}

// OlderPageSize is how many messages "Load older messages" brings at a time.
// A page of history shorter than this is the start of the room.
const OlderPageSize = 50

// Grouping: a message continues the one before it when the same author
// wrote it within this long (and on the same day).
const groupWindow = 5 * time.Minute

// LogEntry is a message with where it sits among its neighbours: the first
// of its day gets a divider before it, and one that follows its author's
// previous message closely is drawn without a header.
type LogEntry struct {
	MessageView
	DayBreak  bool
	Continued bool
	// NewSince puts the "new since you left" divider before the message.
	NewSince bool
}

// Entries groups messages, oldest first, for the log. The page's script
// redoes the same grouping in the reader's time zone as messages arrive.
func Entries(msgs []MessageView) []LogEntry {
	out := make([]LogEntry, len(msgs))
	for i, m := range msgs {
		e := LogEntry{MessageView: m, DayBreak: true}
		if i > 0 {
			prev := msgs[i-1]
			e.DayBreak = dayKey(prev.At) != dayKey(m.At)
			gap := m.At.Sub(prev.At)
			e.Continued = !e.DayBreak && prev.AuthorID == m.AuthorID && prev.Author == m.Author && gap >= 0 && gap < groupWindow
		}
		out[i] = e
	}
	return out
}

// FieldErrors maps a form field to its errors.
type FieldErrors map[string][]string

// DMURL is where a name leads: the direct message with that person.
func DMURL(name string) string { return "/dm/" + url.PathEscape(name) }

// DMWithURL is the way to a DM with a user known by id (the online list).
func DMWithURL(id int64) string { return "/dm/?user_id=" + strconv.FormatInt(id, 10) }

// RoomURL is the path of a room's page.
func RoomURL(name string) string { return "/chat/" + url.PathEscape(name) + "/" }

// RoomPath is a path under a room, e.g. RoomPath(n, "messages").
func RoomPath(name, rest string) string { return "/chat/" + url.PathEscape(name) + "/" + rest }

// EventsURL is the stream of a room, resuming after the last message shown.
func EventsURL(name string, after int64) string {
	return fmt.Sprintf("%s?after=%d", RoomPath(name, "events"), after)
}

// OlderURL is where the messages before id come from.
func OlderURL(room string, before int64) string {
	return fmt.Sprintf("%s?before=%d", RoomPath(room, "messages"), before)
}

func msgDOMID(id int64) string    { return fmt.Sprintf("msg-%d", id) }
func onlineDOMID(id int64) string { return fmt.Sprintf("online-%d", id) }

func clock(t time.Time) string   { return t.Local().Format("15:04") }
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
func fullTime(t time.Time) string {
	return t.Local().Format("Mon 2 Jan 2006, 15:04:05")
}
func dayKey(t time.Time) string   { return t.Local().Format(time.DateOnly) }
func dayLabel(t time.Time) string { return t.Local().Format("Monday 2 January 2006") }

// authorTitle names a message's author in full: the display name and the
// @username it stands for.
// handleOf is the author's @username, which a direct message is opened by.
func handleOf(m MessageView) string {
	if m.Handle != "" {
		return m.Handle
	}
	return m.Author
}

func authorTitle(m MessageView) string {
	if m.Handle == "" || m.Handle == m.Author {
		return m.Author
	}
	return m.Author + " (@" + m.Handle + ")"
}

// initial is the letter on a user's avatar.
func initial(name string) string {
	for _, r := range name {
		return strings.ToUpper(string(r))
	}
	return "?"
}

// hueClass gives each user one of eight avatar colours, the same everywhere.
func hueClass(userID int64) string { return fmt.Sprintf("hue-%d", userID%8) }

// FoldEq reports whether two names are the same room, ignoring case.
func FoldEq(a, b string) bool { return strings.EqualFold(a, b) }

// composerLabel is the composer's placeholder: "Message #room", or for a
// DM (whose name is internal) "Direct message".
func composerLabel(room string) string {
	if strings.HasPrefix(room, "dm-") {
		return "Direct message"
	}
	return "Message #" + ShortName(room)
}
