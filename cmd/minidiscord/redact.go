package main

import "net/url"

// redactURL hides the password of a database or broker URL, for logs and
// errors; anything else (an SQLite path) is returned as it is.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}
