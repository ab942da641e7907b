package views

import "strconv"

// MessageFormView is a message with a form about it in its place: the edit
// box or the delete confirmation. Live is set when the form is swapped into
// the room page (HTMX) rather than shown as a page of its own.
type MessageFormView struct {
	Message MessageView
	Room    string
	// Back is where Cancel leads without JavaScript: the room, at the message.
	Back  string
	Draft string
	Error string
	Live  bool
}

// MessageURL is a message's permalink: it leads to the room around it.
func MessageURL(id int64) string { return "/messages/" + strconv.FormatInt(id, 10) }

// MessageActionURL is where an action on a message is, e.g. "edit".
func MessageActionURL(id int64, action string) string { return MessageURL(id) + "/" + action }

// AroundURL is a room's page opened at a message, with history both ways.
func AroundURL(room string, id int64) string {
	s := strconv.FormatInt(id, 10)
	return RoomURL(room) + "?around=" + s + "#msg-" + s
}

// ReplyURL is a room's page with the composer answering a message.
func ReplyURL(room string, id int64) string {
	return RoomURL(room) + "?reply=" + strconv.FormatInt(id, 10) + "#message-input"
}

func pressed(on bool) string {
	if on {
		return "true"
	}
	return "false"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
