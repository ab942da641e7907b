package models

import "strings"

// CleanRoomName turns what someone typed as a room name into the name they
// meant: space around it and a leading # go, and each run of spaces inside
// becomes one -. "#general" is general, "my room" is my-room. The result
// still has to pass ValidateRoomName. (static/js/app.js previews the same
// cleaning in the create form.)
func CleanRoomName(typed string) string {
	s := strings.TrimLeft(strings.TrimSpace(typed), "#")
	return strings.Join(strings.Fields(s), "-")
}
