// Package views holds the templ components: full pages (XxxPage, wrapped in
// Layout) and the partials HTMX swaps, each with a stable root id.
package views

import (
	"fmt"
	"net/url"
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
}

// RoomItem is a room in a list, with how many are online.
type RoomItem struct {
	Name   string
	Online int
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

func msgDOMID(id int64) string   { return fmt.Sprintf("msg-%d", id) }
func onlineDOMID(id int64) string { return fmt.Sprintf("online-%d", id) }

func clock(t time.Time) string   { return t.Local().Format("15:04") }
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
func fullTime(t time.Time) string {
	return t.Local().Format("Mon 2 Jan 2006, 15:04:05")
}

// FoldEq reports whether two names are the same room, ignoring case.
func FoldEq(a, b string) bool { return strings.EqualFold(a, b) }
