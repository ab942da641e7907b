package views

import "unicode/utf8"

// shortNameLen is how much of a name fits where there is room for a few
// words, such as the message box's placeholder.
const shortNameLen = 16

// ShortName is a name cut to a few words' length with an ellipsis, for a
// place that cannot cut it with CSS (a placeholder); the full name goes
// where people and screen readers can read it.
func ShortName(name string) string {
	if utf8.RuneCountInString(name) <= shortNameLen {
		return name
	}
	r := []rune(name)
	return string(r[:shortNameLen-1]) + "…"
}
