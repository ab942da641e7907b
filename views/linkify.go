package views

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is a piece of a message: plain text, or a web address to link.
// URL is empty for plain text.
type Token struct {
	Text string
	URL  string
}

// Linkify splits message text into plain text and http(s) addresses, so a
// template can link the addresses and print everything else as text. Joining
// the tokens' Text gives back the input unchanged. Only addresses that parse
// with an http or https scheme and a host are links; "javascript:" and other
// schemes stay text.
func Linkify(s string) []Token {
	var out []Token
	lower := asciiLower(s) // same byte offsets as s
	text := 0              // start of the pending plain text
	for i := 0; i < len(s); {
		j := linkStart(s, lower, i)
		if j < 0 {
			break
		}
		end := j + linkLen(s[j:])
		if u := s[j:end]; isWebURL(u) {
			if text < j {
				out = append(out, Token{Text: s[text:j]})
			}
			out = append(out, Token{Text: u, URL: u})
			text = end
		}
		i = max(end, j+1)
	}
	if text < len(s) {
		out = append(out, Token{Text: s[text:]})
	}
	return out
}

// linkStart finds the next "http://" or "https://" at or after i that does
// not continue a word (so "xhttp://" is not a link), or returns -1. lower is
// s in ASCII lower case.
func linkStart(s, lower string, i int) int {
	for i < len(s) {
		k := strings.Index(lower[i:], "http")
		if k < 0 {
			return -1
		}
		j := i + k
		rest := lower[j:]
		if strings.HasPrefix(rest, "http://") || strings.HasPrefix(rest, "https://") {
			prev, _ := utf8.DecodeLastRuneInString(s[:j])
			if j == 0 || !(unicode.IsLetter(prev) || unicode.IsDigit(prev)) {
				return j
			}
		}
		i = j + 4
	}
	return -1
}

// linkLen is how much of s, which starts with a scheme, belongs to the
// address: up to whitespace or a character that never ends up in a typed
// address, less trailing punctuation, keeping a closing bracket that closes
// one opened inside the address (as in Wikipedia links).
func linkLen(s string) int {
	n := strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`<>"'`+"`", r)
	})
	if n < 0 {
		n = len(s)
	}
	for n > 0 {
		last := s[n-1]
		switch {
		case strings.IndexByte(".,;:!?*", last) >= 0:
			n--
		case last == ')' && strings.Count(s[:n], "(") < strings.Count(s[:n], ")"),
			last == ']' && strings.Count(s[:n], "[") < strings.Count(s[:n], "]"),
			last == '}' && strings.Count(s[:n], "{") < strings.Count(s[:n], "}"):
			n--
		default:
			return n
		}
	}
	return n
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

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
