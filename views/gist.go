package views

import (
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// SpoilerMask stands for a spoiler's text wherever a message is shown as
// one line (reply quotes, notifications): the spoiler is only opened in the
// message itself.
const SpoilerMask = "▒▒▒▒"

// Gist is a message as one line of plain text, at most limit characters
// (then cut with "…"): its words without the Markdown marks, blocks parted by
// a space, spoilers masked. Reply quotes and mention notifications show it.
func Gist(content string, limit int) string {
	if len(content) > maxFormatted {
		content = content[:maxFormatted]
	}
	src := []byte(content)
	pc := parser.NewContext()
	if sp := findSpans(content, nil); len(sp) > 0 {
		pc.Set(spansKey, sp) // addresses stay whole, as in the message
	}
	doc := mdParser.Parse(text.NewReader(src), parser.WithContext(pc))
	var b strings.Builder
	put := func(s string) {
		for _, r := range s {
			if unicode.IsSpace(r) {
				r = ' '
			}
			if r == ' ' && (b.Len() == 0 || strings.HasSuffix(b.String(), " ")) {
				continue
			}
			b.WriteRune(r)
		}
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				put(" ")
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			put(string(n.Segment.Value(src)))
			if n.SoftLineBreak() || n.HardLineBreak() {
				put(" ")
			}
		case *ast.String:
			put(string(n.Value))
		case *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := range lines.Len() {
				line := lines.At(i)
				put(string(line.Value(src)))
			}
			return ast.WalkSkipChildren, nil
		case *spanNode:
			put(n.text)
			return ast.WalkSkipChildren, nil
		default:
			if n.Kind() == kindSpoiler {
				put(SpoilerMask)
				return ast.WalkSkipChildren, nil
			}
		}
		return ast.WalkContinue, nil
	})
	s := strings.TrimSpace(b.String())
	if limit > 0 {
		for i := range s {
			if limit == 0 {
				return strings.TrimRightFunc(s[:i], unicode.IsSpace) + "…"
			}
			limit--
		}
	}
	return s
}
