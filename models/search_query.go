package models

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Search text limits: enough for any real search, small enough that no
// query is costly to run.
const (
	MaxSearchLength = 500
	MaxSearchTerms  = 16
)

// minPrefix is the shortest last word of a search term that also matches
// longer words ("deploy" finds "deployed"). Shorter ones match whole words
// only: a prefix query reads every word it stands for, and "the", "and" or
// "you" would each stand for the words of most messages.
const minPrefix = 4

// SearchQuery is a parsed search: the text a message must contain and the
// filters it must pass. Build it with ParseSearch.
type SearchQuery struct {
	// Terms must all match.
	Terms []SearchTerm
	// Room (in:#room) and From (from:name) are names as typed, "" for any.
	Room, From string
	// Before and After bound the time a message was posted: Before is
	// exclusive, After inclusive. Zero: no bound.
	Before, After time.Time
}

// SearchTerm is one thing a message must contain.
type SearchTerm struct {
	// Words are the words in order (as typed, not folded), which must stand
	// next to each other: one typed word may be several ("e-mail"). For a
	// CJK term Words holds the one run of CJK text, found as a substring.
	Words []string
	// Phrase: typed in quotes, so every word is whole. Otherwise the last
	// word, if long enough, also matches longer words it starts.
	Phrase bool
	// CJK: Chinese, Japanese or Korean text, which has no spaces between
	// words, so it is found anywhere, not word by word.
	CJK bool
}

// Prefix reports whether the term's last word also matches longer words.
func (t SearchTerm) Prefix() bool {
	return !t.Phrase && !t.CJK && len(t.Words) > 0 && utf8.RuneCountInString(t.Words[len(t.Words)-1]) >= minPrefix
}

// Empty reports whether the query asks for nothing at all.
func (q *SearchQuery) Empty() bool {
	return len(q.Terms) == 0 && q.Room == "" && q.From == "" && q.Before.IsZero() && q.After.IsZero()
}

// searchProblem is a refusal of the search text.
func searchProblem(msg string) error { return invalid("q", msg) }

// ParseSearch reads search text: words (all must match), "exact phrases",
// and the filters in:#room, from:name, before:YYYY-MM-DD and
// after:YYYY-MM-DD, whose days are read in loc. before: excludes its day and
// after: the day it names, as in "after:2026-10-31 before:2026-12-01" for
// November. Text that is not a known filter is text: "10:30" is two words.
// A refusal is an *InvalidError for the field "q".
func ParseSearch(text string, loc *time.Location) (*SearchQuery, error) {
	if !utf8.ValidString(text) {
		return nil, searchProblem("The search is not valid UTF-8 text.")
	}
	if utf8.RuneCountInString(text) > MaxSearchLength {
		return nil, searchProblem("Searches have at most 500 characters.")
	}
	for _, r := range text {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return nil, searchProblem("The search contains control characters.")
		}
	}
	q := &SearchQuery{}
	rest := text
	for {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if rest == "" {
			break
		}
		if rest[0] == '"' {
			phrase, after, _ := strings.Cut(rest[1:], `"`) // an open quote runs to the end
			q.Terms = append(q.Terms, termsOf(phrase, true)...)
			rest = after
			continue
		}
		end := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || r == '"' })
		if end < 0 {
			end = len(rest)
		}
		word := rest[:end]
		rest = rest[end:]
		if ok, err := q.filter(word, loc); ok || err != nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		q.Terms = append(q.Terms, termsOf(word, false)...)
	}
	if len(q.Terms) > MaxSearchTerms {
		return nil, searchProblem("Search for at most 16 words at a time.")
	}
	return q, nil
}

// filter reads word as a filter if it is one (key:value with a known key).
func (q *SearchQuery) filter(word string, loc *time.Location) (bool, error) {
	key, value, ok := strings.Cut(word, ":")
	if !ok {
		return false, nil
	}
	key = strings.ToLower(key)
	var dst *string
	var day *time.Time
	switch key {
	case "in":
		dst = &q.Room
		value = strings.TrimPrefix(value, "#")
	case "from":
		dst = &q.From
	case "before":
		day = &q.Before
	case "after":
		day = &q.After
	default:
		return false, nil
	}
	if value == "" {
		return true, searchProblem(filterHelp[key])
	}
	if dst != nil {
		if *dst != "" {
			return true, searchProblem("Use " + key + ": once.")
		}
		*dst = value
		return true, nil
	}
	if !day.IsZero() {
		return true, searchProblem("Use " + key + ": once.")
	}
	t, err := time.ParseInLocation(time.DateOnly, value, loc)
	if err != nil {
		return true, searchProblem(key + `: takes a date like 2026-11-01, not "` + clip(value, 20) + `".`)
	}
	if key == "after" {
		t = t.AddDate(0, 0, 1) // after the whole day
	}
	*day = t
	return true, nil
}

var filterHelp = map[string]string{
	"in":     "Say which room after in:, like in:#general.",
	"from":   "Say whose messages after from:, like from:ann.",
	"before": "Give a date after before:, like before:2026-11-01.",
	"after":  "Give a date after after:, like after:2026-11-01.",
}

// clip shortens s to at most n runes, for echoing input in a message.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// termsOf splits a word or a phrase into terms: runs of words, broken by
// runs of CJK text, which are terms of their own. Punctuation separates
// words ("e-mail" is the phrase "e mail"), as it does in the index.
func termsOf(text string, phrase bool) []SearchTerm {
	var terms []SearchTerm
	var words []string
	flush := func() {
		if len(words) > 0 {
			terms = append(terms, SearchTerm{Words: words, Phrase: phrase})
			words = nil
		}
	}
	for _, tok := range tokenize(text) {
		if tok.cjk {
			flush()
			terms = append(terms, SearchTerm{Words: []string{text[tok.start:tok.end]}, CJK: true, Phrase: phrase})
			continue
		}
		words = append(words, text[tok.start:tok.end])
	}
	flush()
	return terms
}

// token is a word or a run of CJK text within a string, by byte offsets.
type token struct {
	start, end int
	cjk        bool
}

// tokenize finds the words of s the way the search indexes do: a word is a
// run of letters, digits and combining marks holding at least one letter
// or digit; anything else separates. CJK text makes runs of its own.
func tokenize(s string) []token {
	var out []token
	start, cjk, hasBase := -1, false, false
	end := func(i int) {
		if start >= 0 && hasBase {
			out = append(out, token{start: start, end: i, cjk: cjk})
		}
		start, hasBase = -1, false
	}
	for i, r := range s {
		isCJK := IsCJK(r)
		switch {
		case isCJK || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r):
			if start >= 0 && cjk != isCJK && !unicode.Is(unicode.M, r) {
				end(i)
			}
			if start < 0 {
				start, cjk = i, isCJK
			}
			if !unicode.Is(unicode.M, r) {
				hasBase = true
			}
		default:
			end(i)
		}
	}
	end(len(s))
	return out
}

// cjkRanges are the scripts written without spaces between words, which
// the indexes find by substring: kana, CJK ideographs (with the iteration
// marks 々〆〇) and Hangul syllables. migrations/*/…_search.up.sql name
// the same ranges (TestCJKRangesMatchMigrations).
var cjkRanges = [][2]rune{
	{0x3005, 0x3007},   // 々〆〇
	{0x3040, 0x30FF},   // hiragana, katakana
	{0x3400, 0x4DBF},   // CJK extension A
	{0x4E00, 0x9FFF},   // CJK unified ideographs
	{0xAC00, 0xD7AF},   // Hangul syllables
	{0xF900, 0xFAFF},   // CJK compatibility ideographs
	{0xFF66, 0xFF9F},   // half-width katakana
	{0x20000, 0x3134F}, // CJK extensions B–G
}

// IsCJK reports whether r is Chinese, Japanese or Korean script as the
// search indexes see it.
func IsCJK(r rune) bool {
	if r < cjkRanges[0][0] {
		return false
	}
	for _, rg := range cjkRanges {
		if r >= rg[0] && r <= rg[1] {
			return true
		}
	}
	return false
}
