package views

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/xurls/v2"
)

// Token is a piece of a message: plain text, or a web address to link.
// URL is empty for plain text.
type Token struct {
	Text string
	URL  string
}

// webAddress finds http(s) addresses as people type them in text: xurls
// decides where one ends (trailing punctuation left out, balanced brackets
// kept, as in Wikipedia links).
var webAddress = func() *regexp.Regexp {
	re, err := xurls.StrictMatchingScheme(`https?://`)
	if err != nil {
		panic(err) // a constant pattern: cannot happen
	}
	return re
}()

// Linkify splits message text into plain text and http(s) addresses, so a
// template can link the addresses and print everything else as text. Joining
// the tokens' Text gives back the input unchanged. Only addresses that parse
// with an http or https scheme and a host are links; "javascript:" and other
// schemes stay text, and so do an address glued to a word ("xhttp://") and
// one holding or touching an invisible format character (hiddenNear).
func Linkify(s string) []Token {
	var out []Token
	text := 0 // start of the pending plain text
	for _, loc := range webAddress.FindAllStringIndex(s, -1) {
		j, end := loc[0], loc[1]
		prev, _ := utf8.DecodeLastRuneInString(s[:j])
		if j > 0 && (unicode.IsLetter(prev) || unicode.IsDigit(prev)) {
			continue
		}
		u := s[j:end]
		if !isWebURL(u) || hiddenNear(s, j, end) {
			continue
		}
		if text < j {
			out = append(out, Token{Text: s[text:j]})
		}
		out = append(out, Token{Text: u, URL: u})
		text = end
	}
	if text < len(s) {
		out = append(out, Token{Text: s[text:]})
	}
	return out
}

// hiddenNear reports whether the address s[j:end], or the rest of the
// word it is in, holds an invisible format character: a bidi control
// (U+202E would show "https://x/\u202egnp.exe" as "https://x/exe.png"), a
// zero-width space or joiner, a soft hyphen. What a reader sees of such an
// address is not where it goes, so it stays text.
func hiddenNear(s string, j, end int) bool {
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if unicode.IsSpace(r) {
			break
		}
		j -= size
	}
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if unicode.IsSpace(r) {
			break
		}
		end += size
	}
	return strings.ContainsFunc(s[j:end], func(r rune) bool { return unicode.Is(unicode.Cf, r) })
}

// isWebURL reports whether u is an absolute http(s) address with a host.
func isWebURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || p.Opaque != "" {
		return false
	}
	scheme := strings.ToLower(p.Scheme)
	return scheme == "http" || scheme == "https"
}
