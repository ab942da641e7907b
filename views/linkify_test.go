package views

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

func TestLinkify(t *testing.T) {
	tests := []struct {
		in   string
		want []Token
	}{
		{"no links here", []Token{{Text: "no links here"}}},
		{"", nil},
		{"https://example.com", []Token{{Text: "https://example.com", URL: "https://example.com"}}},
		{"see http://a.b/c?d=e&f=g#h, then", []Token{
			{Text: "see "}, {Text: "http://a.b/c?d=e&f=g#h", URL: "http://a.b/c?d=e&f=g#h"}, {Text: ", then"},
		}},
		{"(https://en.wikipedia.org/wiki/Go_(game)).", []Token{
			{Text: "("}, {Text: "https://en.wikipedia.org/wiki/Go_(game)", URL: "https://en.wikipedia.org/wiki/Go_(game)"}, {Text: ")."},
		}},
		{"HTTPS://EXAMPLE.COM/X!", []Token{{Text: "HTTPS://EXAMPLE.COM/X", URL: "HTTPS://EXAMPLE.COM/X"}, {Text: "!"}}},
		{"two\nhttps://a.io\nlines", []Token{{Text: "two\n"}, {Text: "https://a.io", URL: "https://a.io"}, {Text: "\nlines"}}},
		{`<https://a.io/"x>`, []Token{{Text: "<"}, {Text: "https://a.io/", URL: "https://a.io/"}, {Text: `"x>`}}},
		// Not links: other schemes, no host, glued to a word.
		{"javascript:alert(1)", []Token{{Text: "javascript:alert(1)"}}},
		{"javascript://%0aalert(1)", []Token{{Text: "javascript://%0aalert(1)"}}},
		{"data:text/html,https://x", []Token{{Text: "data:text/html,"}, {Text: "https://x", URL: "https://x"}}},
		{"http://", []Token{{Text: "http://"}}},
		{"https:///path", []Token{{Text: "https:///path"}}},
		{"xhttps://a.io", []Token{{Text: "xhttps://a.io"}}},
		{"http://[::1", []Token{{Text: "http://[::1"}}},
		// Invisible format characters in or against an address: not a link,
		// since what shows is not where it goes (issue 10).
		{"see https://example.com/\u202egnp.exe now", []Token{{Text: "see https://example.com/\u202egnp.exe now"}}},
		{"https://exa\u200bmple.com/x", []Token{{Text: "https://exa\u200bmple.com/x"}}},
		{"\u2067https://example.com/\u2069", []Token{{Text: "\u2067https://example.com/\u2069"}}},
		{"https://ex\u00adample.com", []Token{{Text: "https://ex\u00adample.com"}}},
		{"\u202e see https://example.com/x ok", []Token{{Text: "\u202e see "}, {Text: "https://example.com/x", URL: "https://example.com/x"}, {Text: " ok"}}},
	}
	for _, tt := range tests {
		got := Linkify(tt.in)
		if !equalTokens(got, tt.want) {
			t.Errorf("Linkify(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		var joined strings.Builder
		for _, tok := range got {
			joined.WriteString(tok.Text)
		}
		if joined.String() != tt.in {
			t.Errorf("Linkify(%q) loses text: joined %q", tt.in, joined.String())
		}
	}
}

func equalTokens(a, b []Token) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestMessageLinks renders a message the way every viewer gets it: web
// addresses become safe links, everything else stays text, and the text
// reads back exactly as typed, line breaks included.
func TestMessageLinks(t *testing.T) {
	content := "look: https://example.com/a?b=1&c=<2>\nand javascript:alert(1) <b>not bold</b> http://x.org."
	doc := render(t, Message(MessageView{ID: 7, AuthorID: 3, Author: "ann", Content: content, At: time.Now()}))

	p := doc.Find("[data-testid=message-content]")
	if got := p.Text(); got != content {
		t.Errorf("content reads %q, want %q", got, content)
	}
	if p.Find("b").Length() != 0 {
		t.Error("user markup became an element")
	}
	var hrefs []string
	p.Find("a").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		hrefs = append(hrefs, href)
		if rel, _ := a.Attr("rel"); rel != "noopener nofollow ugc" {
			t.Errorf("link %s has rel %q", href, rel)
		}
		if target, _ := a.Attr("target"); target != "_blank" {
			t.Errorf("link %s has target %q", href, target)
		}
	})
	want := []string{"https://example.com/a?b=1&c=", "http://x.org"}
	if strings.Join(hrefs, " ") != strings.Join(want, " ") {
		t.Errorf("links %q, want %q", hrefs, want)
	}
	if doc.Find("#msg-7[data-author='3'] time[datetime]").Length() != 1 {
		t.Error("message lacks its id, author or machine-readable time")
	}
}

func TestEntriesGroupByAuthorAndDay(t *testing.T) {
	day := time.Date(2026, 11, 24, 10, 0, 0, 0, time.Local)
	msgs := []MessageView{
		{ID: 1, AuthorID: 1, At: day},
		{ID: 2, AuthorID: 1, At: day.Add(4 * time.Minute)},  // same author, close: grouped
		{ID: 3, AuthorID: 2, At: day.Add(5 * time.Minute)},  // other author
		{ID: 4, AuthorID: 2, At: day.Add(11 * time.Minute)}, // same author, 6 minutes later
		{ID: 5, AuthorID: 2, At: day.Add(24 * time.Hour)},   // next day
	}
	var got []string
	for _, e := range Entries(msgs) {
		s := "-"
		if e.DayBreak {
			s = "day"
		} else if e.Continued {
			s = "cont"
		}
		got = append(got, s)
	}
	if want := "day cont - - day"; strings.Join(got, " ") != want {
		t.Errorf("grouping %q, want %q", strings.Join(got, " "), want)
	}
}

func render(t *testing.T, c interface {
	Render(context.Context, io.Writer) error
}) *goquery.Document {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
