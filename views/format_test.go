package views

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// people are the users the test messages may mention.
var people = []Member{{UserID: 3, Name: "bob"}, {UserID: 4, Name: "ann_b"}}

// shape writes the content of a formatted message as a short outline:
// elements as tag.class{...} (a link as a[href]{...}, a mention as
// mention[id]{...}), text quoted. Attributes left out here are checked by
// TestFormatAttributes and FuzzFormat.
func shape(s *goquery.Selection) string {
	var b strings.Builder
	s.Contents().Each(func(_ int, c *goquery.Selection) {
		n := c.Get(0)
		if n.Type == html.TextNode {
			fmt.Fprintf(&b, "%q", n.Data)
			return
		}
		switch {
		case c.Is("a"):
			href, _ := c.Attr("href")
			fmt.Fprintf(&b, "a[%s]", href)
		case c.Is("span.mention"):
			id, _ := c.Attr("data-user-id")
			fmt.Fprintf(&b, "mention[%s]", id)
		case c.Is("details.spoiler"):
			b.WriteString("spoiler")
			// Closed, it shows a label; what it hides is in .spoiler-text.
			if c.ChildrenFiltered("summary").Text() != "Spoiler" || c.ChildrenFiltered("span.spoiler-text").Length() != 1 {
				b.WriteString("(malformed)")
			}
			c = c.ChildrenFiltered("span.spoiler-text")
		default:
			b.WriteString(n.Data)
			if class, ok := c.Attr("class"); ok {
				b.WriteString("." + class)
			}
		}
		b.WriteString("{" + shape(c) + "}")
	})
	return b.String()
}

func formatShape(t *testing.T, content string) string {
	t.Helper()
	doc := render(t, MessageContent(content, people))
	return shape(doc.Find("div.content[data-testid=message-content]"))
}

// TestFormat: the Markdown Discord has becomes markup, everything else
// stays the text that was typed; addresses and mentions are found as
// everywhere else, but not inside code.
func TestFormat(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"hello", `div.para{"hello"}`},
		{"**bold** *it* _it_ ~~gone~~ `x < y`", `div.para{strong{"bold"}" "em{"it"}" "em{"it"}" "s{"gone"}" "code{"x < y"}}`},
		{"***both***", `div.para{em{strong{"both"}}}`},
		{"||secret **plot**||, then || spaced ||", `div.para{spoiler{"secret "strong{"plot"}}", then "spoiler{" spaced "}}`},
		// Discord's strike needs two tildes; three pipes are no spoiler.
		{"~5 min~ and |||x|||", `div.para{"~5 min~ and |||x|||"}`},
		// Lines and paragraphs as typed (pre-wrap shows the newlines);
		// indentation after the first line is kept.
		{"one\ntwo\n\nthree", `div.para{"one\ntwo"}"\n\n"div.para{"three"}`},
		{"if x:\n    return", `div.para{"if x:\n    return"}`},
		{"```\nfunc f() {\n\treturn <nil>\n}\n```\nafter", `pre{code{"func f() {\n\treturn <nil>\n}"}}"\n\n"div.para{"after"}`},
		{"```go\nx := 1\n```", `pre{code{"x := 1"}}`},
		{"> quoted\nreply", `blockquote{div.para{"quoted"}}"\n\n"div.para{"reply"}`},
		{"> a\n> b", `blockquote{div.para{"a\nb"}}`},
		{">>> all\n\nof it", `blockquote{div.para{"all"}"\n\n"div.para{"of it"}}`},
		{">:( no quote", `div.para{">:( no quote"}`},
		{"> > not nested", `blockquote{div.para{"> not nested"}}`},
		// Not parsed, as in Discord: headings, lists, rules, links,
		// images, references, HTML; entities stay as typed.
		{"# h\n- item\n1. item\n---", `div.para{"# h\n- item\n1. item\n---"}`},
		{"[x](javascript:alert(1)) ![i](y.png) [r]: z <b>b</b>", `div.para{"[x](javascript:alert(1)) ![i](y.png) [r]: z <b>b</b>"}`},
		{"&amp; &#60; \\*not italic\\*", `div.para{"&amp; &#60; *not italic*"}`},
		// Addresses: Linkify's rules, "www." too, not glued to a word.
		{"see https://go.dev/a_b_c and www.example.com/x.", `div.para{"see "a[https://go.dev/a_b_c]{"https://go.dev/a_b_c"}" and "a[https://www.example.com/x]{"www.example.com/x"}"."}`},
		{"**https://go.dev**", `div.para{strong{a[https://go.dev]{"https://go.dev"}}}`},
		{"→https://go.dev done", `div.para{"→"a[https://go.dev]{"https://go.dev"}" done"}`},
		{"www.x notwww.example.com javascript:alert(1)", `div.para{"www.x notwww.example.com javascript:alert(1)"}`},
		// Mentions: only of people who exist, drawn with their name.
		{"hi @Bob, @nobody and @ann_b.", `div.para{"hi "mention[3]{"@bob"}", @nobody and "mention[4]{"@ann_b"}"."}`},
		{"mail bob@example.com", `div.para{"mail bob@example.com"}`},
		{"https://x.io/@bob", `div.para{a[https://x.io/@bob]{"https://x.io/@bob"}}`},
		{"`@bob https://go.dev` @bob", `div.para{code{"@bob https://go.dev"}" "mention[3]{"@bob"}}`},
		{"```\n@bob\n```", `pre{code{"@bob"}}`},
		{"||@bob||", `div.para{spoiler{mention[3]{"@bob"}}}`},
	} {
		if got := formatShape(t, tc.in); got != tc.want {
			t.Errorf("%q\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// TestFormatAttributes: links open apart and tell search engines nothing;
// a message with nothing to format is one paragraph of text.
func TestFormatAttributes(t *testing.T) {
	doc := render(t, MessageContent("go to https://go.dev", nil))
	a := doc.Find("a")
	if rel, _ := a.Attr("rel"); rel != "noopener nofollow ugc" {
		t.Errorf("link rel %q", rel)
	}
	if target, _ := a.Attr("target"); target != "_blank" {
		t.Errorf("link target %q", target)
	}
	var b strings.Builder
	if err := MessageContent("just words", nil).Render(t.Context(), &b); err != nil {
		t.Fatal(err)
	}
	if want := `<div class="content" data-testid="message-content" data-gist="just words"><div class="para">just words</div></div>`; b.String() != want {
		t.Errorf("plain message:\n got %s\nwant %s", b.String(), want)
	}
}

// allowedAttrs is every tag and attribute formatting may write, with the
// values an attribute may take ("" any: checked on its own).
var allowedAttrs = map[string]map[string][]string{
	"div":        {"class": {"content", "para"}, "data-testid": {"message-content"}, "data-gist": {""}},
	"blockquote": {},
	"pre":        {},
	"code":       {},
	"em":         {},
	"strong":     {},
	"s":          {},
	"details":    {"class": {"spoiler"}, "data-testid": {"spoiler"}},
	"summary":    {},
	"span":       {"class": {"mention", "spoiler-text"}, "data-user-id": {"3", "4"}},
	"a":          {"href": {""}, "rel": {"noopener nofollow ugc"}, "target": {"_blank"}},
}

// checkMarkup fails unless out holds only the tags and attributes
// formatting writes, and links only to http(s) addresses with a host.
func checkMarkup(t *testing.T, in, out string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(out))
	depth := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if depth != 0 {
				t.Fatalf("%q: unbalanced markup (depth %d):\n%s", in, depth, out)
			}
			return
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			attrs, ok := allowedAttrs[tok.Data]
			if !ok || tt == html.SelfClosingTagToken {
				t.Fatalf("%q: wrote <%s>:\n%s", in, tok.Data, out)
			}
			if tt == html.StartTagToken {
				depth++
			} else {
				depth--
			}
			for _, a := range tok.Attr {
				vals, ok := attrs[a.Key]
				if !ok || !(slices.Contains(vals, a.Val) || slices.Equal(vals, []string{""})) {
					t.Fatalf("%q: <%s %s=%q>:\n%s", in, tok.Data, a.Key, a.Val, out)
				}
				if a.Key == "href" {
					u, err := url.Parse(a.Val)
					scheme := strings.ToLower(a.Val[:min(len(a.Val), 8)])
					if err != nil || u.Host == "" || !(strings.HasPrefix(scheme, "http://") || strings.HasPrefix(scheme, "https://")) {
						t.Fatalf("%q: links to %q:\n%s", in, a.Val, out)
					}
				}
			}
		case html.CommentToken, html.DoctypeToken:
			t.Fatalf("%q: wrote a %v:\n%s", in, tt, out)
		}
	}
}

// FuzzFormat: whatever is typed, the formatted message holds only the
// tags and attributes formatting writes itself, balanced, and links only
// to web addresses (no javascript:).
func FuzzFormat(f *testing.F) {
	for _, s := range []string{
		"hello", "**b** *i* _i_ ~~s~~ `c` ||x||", "```\n<script>\n```", "> q\n>>> r",
		"<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "https://a.io/\"><b>", "www.a.io/'\"<",
		"@bob @ann_b @<b>", "||`||`||", "*_~|`\\<&>\"'", "&lt;script&gt;", "javascript:alert(1)//https://x.io",
		"https://a.io/_x_ **www.b.co** ||@bob||", "\x00<\x00b>", "> ```\n> <i>\n```",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var b strings.Builder
		if err := MessageContent(in, people).Render(t.Context(), &b); err != nil {
			t.Fatal(err)
		}
		checkMarkup(t, in, b.String())
	})
}

// benchTexts are messages as people write them, and the worst a 512
// character message can be.
var benchTexts = map[string]string{
	"plain":     "On it. Reconnecting works too: I pulled the cable and nothing was lost.",
	"plain512":  strings.Repeat("lorem ipsum dolor sit amet, ", 19)[:512],
	"formatted": "**Heads up** @bob: the _new_ build is at https://example.com/builds/42 — ~~old~~ `make test` first, ||it fails||.",
	"codeblock": "Try this:\n```\nfunc main() {\n\tfmt.Println(\"hello, world\")\n}\n```\n> and tell me",
	"worst512":  strings.Repeat("*_~|`@b<&www.x.io ", 29)[:512],
}

// BenchmarkFormat is what formatting costs per message: it runs once per
// message for a history page and once per live event, whoever reads it.
// "linkify" is what the text cost before formatting (links only).
func BenchmarkFormat(b *testing.B) {
	for _, name := range []string{"plain", "plain512", "formatted", "codeblock", "worst512"} {
		in := benchTexts[name]
		var mentioned []Member // as the store finds them
		if strings.Contains(in, "@bob") {
			mentioned = people[:1]
		}
		b.Run(name, func(b *testing.B) {
			var w strings.Builder
			for b.Loop() {
				w.Reset()
				if err := formatTo(&w, in, mentioned); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/linkify", func(b *testing.B) {
			for b.Loop() {
				Linkify(in)
			}
		})
	}
	// A whole message as one SSE event carries it.
	m := MessageView{ID: 7, AuthorID: 3, Author: "ann", Content: benchTexts["formatted"], At: time.Now(), Mentioned: people[:1]}
	b.Run("message-event", func(b *testing.B) {
		var w strings.Builder
		for b.Loop() {
			w.Reset()
			if err := Message(m).Render(b.Context(), &w); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMessageContent is the whole content element, comparable with
// what it cost before formatting (MessageContent with Linkify alone).
func BenchmarkMessageContent(b *testing.B) {
	for _, name := range []string{"plain", "plain512", "formatted", "codeblock", "worst512"} {
		in := benchTexts[name]
		var mentioned []Member
		if strings.Contains(in, "@bob") {
			mentioned = people[:1]
		}
		b.Run(name, func(b *testing.B) {
			var w strings.Builder
			for b.Loop() {
				w.Reset()
				if err := MessageContent(in, mentioned).Render(b.Context(), &w); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
