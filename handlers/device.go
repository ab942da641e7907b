package handlers

import (
	"strings"

	"github.com/mssola/useragent"
)

// device names a browser in words from its User-Agent: "Chrome on Linux",
// "Firefox on Windows". It is only a hint for the user's list of sessions:
// a browser can call itself anything.
func device(userAgent string) string {
	if strings.TrimSpace(userAgent) == "" {
		return "Unknown device"
	}
	ua := useragent.New(userAgent)
	browser, _ := ua.Browser()
	switch browser {
	case "", "Mozilla":
		browser = "A browser"
	case "Headless Chrome":
		browser = "Chromium (headless)"
	}
	if ua.Bot() {
		browser = cutRunes(browser, 40)
	}
	os := ua.OSInfo().Name
	switch {
	case os == "" || os == "Unknown":
		return cutRunes(browser, 60)
	case os == "iPhone OS" || os == "iPad OS" || os == "iOS":
		os = "iOS"
	case os == "Mac OS X" || os == "macOS":
		os = "macOS"
	case strings.HasPrefix(os, "Windows"):
		os = "Windows"
	}
	return cutRunes(browser+" on "+os, 60)
}

func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
