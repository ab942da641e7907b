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
}

// MessageView is one message as shown in the log.
type MessageView struct {
	ID       int64
	AuthorID int64
	Author   string
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
	// Bot marks a post by a bot account or a webhook (tagged BOT); Via is
	// the bot's account name when the post asked for another (a webhook's
	// username), so the name shown cannot hide who sent it.
	Bot bool
	Via string
}

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
