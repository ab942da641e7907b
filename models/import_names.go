package models

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// How the original's names become names here (import_django.go): valid by
// this app's own validators, unique regardless of case, and the same every
// time for the same source and target.

// validUsername and validRoomName are the rules names are fitted to: the
// same validators signup and room creation use, so a rule changed there
// changes what an import makes.
func validUsername(s string) bool { return ValidateUsername(s) == nil }
func validRoomName(s string) bool { return ValidateRoomName(s) == nil }

// aliasable: an old name that can be looked up later. Bun inlines
// arguments, and PostgreSQL stores no NUL byte.
func aliasable(name string) bool {
	return name != "" && utf8.ValidString(name) && !strings.ContainsRune(name, 0)
}

// fitName makes a name valid: a valid name is kept; otherwise each run of
// characters the rule refuses becomes one sep, and the result is trimmed
// and cut to max characters. A name nothing survives of becomes
// <fallback>-<source id>. why says what was wrong.
func fitName(name string, valid func(string) bool, sep rune, max int, fallback string, id int64) (string, []string) {
	if valid(name) {
		return name, nil
	}
	var why []string
	var refused []string
	seen := map[rune]bool{}
	var b strings.Builder
	pendingSep := false
	for i, r := range name {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(name[i:]); size == 1 {
				r = -1 // an invalid byte, not U+FFFD itself
			}
		}
		if r >= 0 && valid("a"+string(r)+"a") {
			if pendingSep && b.Len() > 0 {
				b.WriteRune(sep)
			}
			pendingSep = false
			b.WriteRune(r)
			continue
		}
		pendingSep = true
		if !seen[r] {
			seen[r] = true
			switch {
			case r < 0:
				refused = append(refused, "invalid UTF-8")
			default:
				refused = append(refused, strconv.QuoteRune(r))
			}
		}
	}
	out := strings.Trim(b.String(), string(sep))
	if len(refused) > 0 {
		if len(refused) > 6 {
			refused = append(refused[:6], "…")
		}
		why = append(why, "it has characters not allowed here: "+strings.Join(refused, " "))
	}
	if n := utf8.RuneCountInString(out); n > max {
		why = append(why, fmt.Sprintf("it is longer than %d characters", max))
		out = strings.TrimRight(truncateRunes(out, max), string(sep))
	}
	if name == "" {
		why = append(why, "it is empty")
	}
	if out == "" || !valid(out) {
		out = fmt.Sprintf("%s-%d", fallback, id)
		if name != "" && len(refused) > 0 && len(why) == 1 {
			why[0] = "none of its characters are allowed here"
		}
	}
	return out, why
}

// unique adds -2, -3 … to a name whose folded key is taken.
func unique(name string, why []string, taken map[string]string, valid func(string) bool, max int, what string) (string, []string) {
	holder, clash := taken[FoldKey(name)]
	if !clash {
		return name, why
	}
	if holder == name {
		why = append(why, fmt.Sprintf("another %s is called %q", what, name))
	} else {
		why = append(why, fmt.Sprintf("names here ignore case, and %q is taken by %q", name, holder))
	}
	for n := 2; ; n++ {
		suffix := "-" + strconv.Itoa(n)
		cand := truncateRunes(name, max-len(suffix)) + suffix
		if !valid(cand) {
			cand = truncateRunes(name, max-len(suffix)) + "_" + strconv.Itoa(n)
		}
		if _, ok := taken[FoldKey(cand)]; !ok && valid(cand) {
			return cand, why
		}
	}
}

func truncateRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// loginNotice is what a renamed account is told at its first login.
func loginNotice(u *ImportedUser) string {
	return fmt.Sprintf("Your username is now %q. Your old one, %q, could not be kept: %s. Log in as %s from now on.",
		u.Name, u.OldName, strings.Join(u.Why, "; "), u.Name)
}
