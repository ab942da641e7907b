package views

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// SearchView is the search page: the search as typed, and its results or
// what is wrong with it.
type SearchView struct {
	Query string
	// Error says what to fix in a search that was refused.
	Error string
	// Searched: a search ran, so an empty result can be said so.
	Searched bool
	Results  []SearchResult
	// Older: this page continues an earlier one (no JavaScript).
	Older bool
	// MoreURL is the next page of results, "" after the last.
	MoreURL string
}

// SearchResult is one message found, with the words that matched marked.
type SearchResult struct {
	ID       int64
	Room     string
	Author   string
	AuthorID int64
	// AuthorAvatar is the version of the author's picture, 0 for none.
	AuthorAvatar int64
	At           time.Time
	Text         []TextPart
}

// TextPart is a piece of a message's text; Hit marks what the search matched.
type TextPart struct {
	Text string
	Hit  bool
}

// URL is the message in place, in its room.
func (r SearchResult) URL() string { return RoomURL(r.Room) + "?around=" + strconv.FormatInt(r.ID, 10) }

// SearchURL is the search page for q, from the results older than before
// (0: from the newest).
func SearchURL(q string, before int64) string {
	v := url.Values{"q": {q}}
	if before > 0 {
		v.Set("before", strconv.FormatInt(before, 10))
	}
	return "/search?" + v.Encode()
}

// Status is what a screen reader announces when results change.
func (v SearchView) Status() string {
	switch {
	case v.Error != "":
		return v.Error
	case !v.Searched:
		return ""
	case len(v.Results) == 0:
		return "No messages found."
	case len(v.Results) == 1 && v.MoreURL == "":
		return "1 message found."
	case v.MoreURL != "":
		return fmt.Sprintf("%d messages shown, and more.", len(v.Results))
	}
	return fmt.Sprintf("%d messages found.", len(v.Results))
}

// resultTime is when a result was posted, with its date: results span days.
func resultTime(t time.Time) string { return t.Local().Format("2 Jan 2006, 15:04") }
