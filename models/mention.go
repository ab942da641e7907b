package models

import "regexp"

// A mention is "@" and a name, not glued to a word before it (so e-mail
// addresses are not mentions). Names may hold letters, digits and _ . + -
// but a name ending in "." or "-" at the end of a sentence loses it:
// "thanks @ann." mentions ann. Usernames holding "@" cannot be mentioned.
var mentionRE = regexp.MustCompile(`(^|[^\p{L}\p{N}_.+@-])@([\p{L}\p{N}_.+-]*[\p{L}\p{N}_+])`)

// Mention is one @name in a text: the name as typed and where the whole
// "@name" stands (byte offsets).
type Mention struct {
	Name       string
	Start, End int
}

// FindMentions returns the mentions in text, in order.
func FindMentions(text string) []Mention {
	var out []Mention
	for _, m := range mentionRE.FindAllStringSubmatchIndex(text, -1) {
		// m[4], m[5]: the name; the "@" is just before it.
		out = append(out, Mention{Name: text[m[4]:m[5]], Start: m[4] - 1, End: m[5]})
	}
	return out
}

// MentionedKeys returns the distinct name keys (FoldKey) a text mentions.
func MentionedKeys(text string) []string {
	var keys []string
	seen := map[string]bool{}
	for _, m := range FindMentions(text) {
		k := FoldKey(m.Name)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}
