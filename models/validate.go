package models

import (
	"bufio"
	_ "embed"
	"errors"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"
	"golang.org/x/text/secure/bidirule"
	"golang.org/x/text/secure/precis"
)

// Limits of what users may type.
const (
	MaxUsername = 150
	MaxRoomName = 100
	MaxMessage  = 512
	MinPassword = 8
	MaxPassword = 512 // bcrypt reads 72 bytes; the bound only stops abuse
)

// FoldKey is the case-insensitive key under which names are unique.
func FoldKey(name string) string { return strings.ToLower(name) }

// Names (usernames and room names) are checked twice over: by the
// characters this app has always allowed (Django's for usernames), and by
// the PRECIS rules for identifiers (RFC 8264/8265, the IdentifierClass with
// the UsernameCasePreserved profile), which refuse what a reader cannot see
// or tell apart: invisible and format characters (zero-width spaces and
// joiners, bidi controls, U+3164 HANGUL FILLER), compatibility forms
// (ligatures, Roman numerals, circled digits) and a mix of right-to-left and
// left-to-right letters (the Bidi Rule). A name must also be in its
// normal form: full-width letters (Ａdmin) and decomposed accents are
// refused with the normal form to type instead (NormalizeName gives it).
// Look-alikes of names in use (Cyrillic аdmin beside admin) are refused
// where names are created (Store.CreateUser, Store.GetOrCreateRoom).

// NormalizeName maps full-width and half-width forms to their ordinary
// width and composes accents (NFC), as PRECIS does before checking a
// name. A name it cannot map comes back unchanged, for the validator to
// refuse.
func NormalizeName(name string) string {
	if n, err := precis.UsernameCasePreserved.String(name); err == nil {
		return n
	}
	return name
}

// checkName applies the PRECIS rules to a name that has passed the
// character check. bad is the field's usual refusal.
func checkName(field, name, bad string) error {
	n, err := precis.UsernameCasePreserved.String(name)
	switch {
	case errors.Is(err, bidirule.ErrInvalid):
		return invalid(field, "A name cannot mix right-to-left and left-to-right letters, or begin with a digit when it is right-to-left.")
	case err != nil:
		return invalid(field, bad)
	case n != name:
		return invalid(field, "Write it as “"+n+"”: full-width and other variant forms of letters are not allowed.")
	}
	return nil
}

// ValidateUsername checks a username as Django's UnicodeUsernameValidator
// does: 1–150 letters, digits and @ . + - _; and by the PRECIS rules
// above. A refusal is an *InvalidError for the field "username".
func ValidateUsername(name string) error {
	const bad = "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."
	switch {
	case name == "":
		return invalid("username", "This field is required.")
	case !utf8.ValidString(name):
		return invalid("username", bad)
	case utf8.RuneCountInString(name) > MaxUsername:
		return invalid("username", "Ensure this value has at most 150 characters.")
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("@.+-_", r) {
			return invalid("username", bad)
		}
	}
	return checkName("username", name, bad)
}

// ValidateRoomName checks a room name: 1–100 letters, digits, _ and -, and
// the PRECIS rules above. A refusal is an *InvalidError for the field
// "room".
func ValidateRoomName(name string) error {
	const bad = "Room names may contain only letters, digits, _ and -."
	switch {
	case name == "":
		return invalid("room", "Enter a room name.")
	case !utf8.ValidString(name):
		return invalid("room", bad)
	case utf8.RuneCountInString(name) > MaxRoomName:
		return invalid("room", "Room names have at most 100 characters.")
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' {
			return invalid("room", bad)
		}
	}
	return checkName("room", name, bad)
}

// PlausibleName reports whether a typed name is worth looking up: valid
// UTF-8 without control characters, of a sane length. Accounts made before
// a validator grew stricter keep names it now refuses, and must still be
// able to log in; nothing else may use this instead of the validators.
func PlausibleName(name string) bool {
	return name != "" && len(name) <= 4*MaxUsername && utf8.ValidString(name) &&
		!strings.ContainsFunc(name, unicode.IsControl)
}

// LooksLike reports whether two names look alike: the same TR39 confusable
// skeleton (аdmin in Cyrillic and admin, rn and m, 0 and O), as typed, in
// lower case or in upper case (names are unique ignoring case, so ADMlN
// with a small L must not pass for ADMIN, that is admin).
func LooksLike(a, b string) bool { return overlap(skeletons(a), skeletons(b)) }

func skeletons(name string) [3]string {
	return [3]string{confusables.Skeleton(name), confusables.Skeleton(strings.ToLower(name)), confusables.Skeleton(strings.ToUpper(name))}
}

// CleanMessage normalises a posted message (CRLF to LF, trimmed) and checks
// it: 1–512 characters of valid UTF-8, with something visible in it, and
// no control characters (Unicode category Cc) but newline and tab, nor the
// line and paragraph separators U+2028 and U+2029. Format characters stay
// allowed, because writing needs them: zero-width joiners in emoji and
// Indic and Persian text, bidi marks, embeddings and isolates in mixed
// right-to-left text. They cannot mislead beyond their own run: a link
// holding or touching one is not linked (views.Linkify), and the page
// isolates links, quotes and each message from the text around them
// (app.css). It returns the clean text, or an *InvalidError for the field
// "message".
func CleanMessage(raw string) (string, error) {
	if !utf8.ValidString(raw) {
		return "", invalid("message", "The message is not valid UTF-8 text.")
	}
	text := strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(raw, "\r\n", "\n"), "\r", "\n"))
	if text == "" || !strings.ContainsFunc(text, visible) {
		return "", invalid("message", "Write a message first.")
	}
	if n := utf8.RuneCountInString(text); n > MaxMessage {
		return "", invalid("message", "Messages have at most 512 characters.")
	}
	for _, r := range text {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
			return "", invalid("message", "The message contains control characters.")
		}
	}
	return text, nil
}

// visible reports whether r shows as something: not a space, not a format
// character (zero-width space or joiner, bidi control), not a Hangul filler.
func visible(r rune) bool {
	switch r {
	case '\u115f', '\u1160', '\u3164', '\uffa0':
		return false
	}
	return !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r)
}

//go:embed common-passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 20000)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			set[strings.ToLower(w)] = struct{}{}
		}
	}
	return set
})

// ValidatePassword applies Django's default password validators. It
// returns every failure, in Django's words, each an *InvalidError for the
// field "password", joined (Problems lists them).
func ValidatePassword(password, username string) error {
	if !utf8.ValidString(password) {
		return invalid("password", "The password is not valid UTF-8 text.")
	}
	if utf8.RuneCountInString(password) > MaxPassword {
		return invalid("password", "This password is too long.")
	}
	var errs []error
	if tooSimilar(password, username) {
		errs = append(errs, invalid("password", "The password is too similar to the username."))
	}
	if utf8.RuneCountInString(password) < MinPassword {
		errs = append(errs, invalid("password", "This password is too short. It must contain at least 8 characters."))
	}
	if _, ok := commonPasswords()[strings.ToLower(strings.TrimSpace(password))]; ok {
		errs = append(errs, invalid("password", "This password is too common."))
	}
	if isAllDigits(password) {
		errs = append(errs, invalid("password", "This password is entirely numeric."))
	}
	return errors.Join(errs...)
}

func isAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// tooSimilar follows Django's UserAttributeSimilarityValidator: the password
// is compared with the username and each of its \W-separated parts by
// difflib's quick_ratio, failing at 0.7 or more.
func tooSimilar(password, username string) bool {
	const maxSimilarity = 0.7
	if username == "" {
		return false
	}
	pw := []rune(strings.ToLower(password))
	value := strings.ToLower(username)
	parts := strings.FieldsFunc(value, func(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') })
	parts = append(parts, value)
	for _, part := range parts {
		p := []rune(part)
		// Django skips parts far shorter than the password.
		if len(pw) >= 10*len(p) && float64(len(p)) < maxSimilarity/2*float64(len(pw)) {
			continue
		}
		if quickRatio(pw, p) >= maxSimilarity {
			return true
		}
	}
	return false
}

// quickRatio is difflib.SequenceMatcher.quick_ratio: twice the size of the
// multiset intersection over the total length.
func quickRatio(a, b []rune) float64 {
	if len(a)+len(b) == 0 {
		return 1
	}
	counts := make(map[rune]int, len(b))
	for _, r := range b {
		counts[r]++
	}
	matches := 0
	for _, r := range a {
		if counts[r] > 0 {
			counts[r]--
			matches++
		}
	}
	return 2 * float64(matches) / float64(len(a)+len(b))
}
