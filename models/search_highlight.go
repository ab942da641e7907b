package models

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TextPart is a piece of a message's text, marked when a search term
// matched it. The text is plain: whoever shows it escapes it.
type TextPart struct {
	Text string
	Hit  bool
}

// maxExcerpt is how much of a long message a result shows, in characters,
// around the first match.
const maxExcerpt = 600

// Highlight splits text into parts and marks where the query's terms
// match, comparing words with case and accents folded, as the indexes do.
// A message longer than maxExcerpt characters is cut to the part around
// its first match, with "…" where it was cut.
func (q *SearchQuery) Highlight(text string) []TextPart {
	hit := make([]bool, len(text))
	mark := func(start, end int) {
		for i := start; i < end; i++ {
			hit[i] = true
		}
	}
	toks := tokenize(text)
	folded := make([]string, len(toks))
	for i, t := range toks {
		if !t.cjk {
			folded[i] = fold(text[t.start:t.end])
		}
	}
	for _, term := range q.Terms {
		if term.CJK {
			sub := term.Words[0]
			for at := 0; ; {
				i := strings.Index(text[at:], sub)
				if i < 0 {
					break
				}
				mark(at+i, at+i+len(sub))
				at += i + len(sub)
			}
			continue
		}
		words := make([]string, len(term.Words))
		for i, w := range term.Words {
			words[i] = fold(w)
		}
		prefix := term.Prefix()
	next:
		for i := 0; i+len(words) <= len(toks); i++ {
			for j, w := range words {
				t, f := toks[i+j], folded[i+j]
				last := j == len(words)-1
				if t.cjk || f != w && !(last && prefix && strings.HasPrefix(f, w)) {
					continue next
				}
			}
			mark(toks[i].start, toks[i+len(words)-1].end)
		}
	}
	return excerpt(text, hit)
}

// excerpt turns the marks into parts, cut around the first match when the
// text is long.
func excerpt(text string, hit []bool) []TextPart {
	start, end := 0, len(text)
	if utf8.RuneCountInString(text) > maxExcerpt {
		first := 0
		for i, h := range hit {
			if h {
				first = i
				break
			}
		}
		// Start a fifth of the excerpt before the first match, on a
		// character boundary, and take maxExcerpt characters from there.
		start = first
		for n := 0; n < maxExcerpt/5 && start > 0; n++ {
			_, size := utf8.DecodeLastRuneInString(text[:start])
			start -= size
		}
		end = start
		for n := 0; n < maxExcerpt && end < len(text); n++ {
			_, size := utf8.DecodeRuneInString(text[end:])
			end += size
		}
	}
	var parts []TextPart
	add := func(s string, h bool) {
		if s == "" {
			return
		}
		if n := len(parts); n > 0 && parts[n-1].Hit == h {
			parts[n-1].Text += s
			return
		}
		parts = append(parts, TextPart{Text: s, Hit: h})
	}
	if start > 0 {
		add("…", false)
	}
	for i := start; i < end; {
		j := i
		for j < end && hit[j] == hit[i] {
			j++
		}
		add(text[i:j], hit[i])
		i = j
	}
	if end < len(text) {
		add("…", false)
	}
	return parts
}

// fold is a word as the indexes compare it: lower case, without accents.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
