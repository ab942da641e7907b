package views

import (
	"bufio"
	"context"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/a-h/templ"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/minidiscord/minidiscord/models"
)

// Message text is the Markdown Discord has, and no more: **bold**,
// *italic* (or _italic_), ~~strikethrough~~, `inline code`, ``` fenced
// code blocks ```, "> " quotes (">>> " quotes the rest of the message) and
// ||spoilers||. Headings, lists, tables, images, links in [brackets],
// link references, raw HTML and indented code blocks are not parsed at all,
// so what looks like them stays the text that was typed. Web addresses are
// found by Linkify (and "www." ones), mentions by models.FindMentions, both
// over the whole text before the Markdown is read, so they mean the same
// here as everywhere else; inside code they stay text.
//
// goldmark parses; the renderer below writes every tag and attribute
// itself from a short list, and escapes all text, so nothing a person
// types can become markup (FuzzFormat checks that).
var (
	mdParser = parser.NewParser(
		parser.WithBlockParsers(
			util.Prioritized(parser.NewFencedCodeBlockParser(), 700),
			util.Prioritized(quoteParser{}, 800),
			util.Prioritized(paragraphParser{}, 1000),
		),
		parser.WithInlineParsers(
			util.Prioritized(parser.NewCodeSpanParser(), 100),
			util.Prioritized(spanParser{}, 200),
			util.Prioritized(parser.NewEmphasisParser(), 500),
			util.Prioritized(strikeParser, 500),
			util.Prioritized(spoilerParser, 500),
		),
		parser.WithASTTransformers(util.Prioritized(spanTransformer{}, 100)),
	)
	mdRenderer = renderer.NewRenderer(renderer.WithNodeRenderers(util.Prioritized(htmlWriter{}, 100)))
)

// Formatted is message text as HTML, for MessageContent. It is parsed
// and written straight into the page or event being rendered: once per
// message, whoever reads it. mentioned are the users the text mentions
// (models.Message.Mentioned); any other @name stays text.
func Formatted(content string, mentioned []Member) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		return formatTo(w, content, mentioned)
	})
}

// maxFormatted bounds the text that is read as Markdown: posts are at
// most 512 characters, but an imported message may be longer, and is
// shown as it was (with its links).
const maxFormatted = 4 * models.MaxMessage

func formatTo(w io.Writer, content string, mentioned []Member) error {
	if len(content) > maxFormatted {
		return plainTo(w, content)
	}
	src := []byte(content)
	pc := parser.NewContext()
	if sp := findSpans(content, mentioned); len(sp) > 0 {
		pc.Set(spansKey, sp)
	}
	doc := mdParser.Parse(text.NewReader(src), parser.WithContext(pc))
	// The renderer buffers into a bufio.Writer it is given, or makes one
	// (4 KB) per message.
	bw := bufWriters.Get().(*bufio.Writer)
	bw.Reset(w)
	defer func() {
		bw.Reset(nil)
		bufWriters.Put(bw)
	}()
	return mdRenderer.Render(bw, src, doc)
}

var bufWriters = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 1024) }}

// plainTo writes text as one paragraph with its web addresses linked.
func plainTo(w io.Writer, content string) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(`<div class="para">`)
	for _, t := range Linkify(content) {
		if t.URL != "" {
			writeLinkHTML(bw, t.URL, t.Text)
		} else {
			escape(bw, []byte(t.Text))
		}
	}
	bw.WriteString("</div>")
	return bw.Flush()
}

// --- Links and mentions ---------------------------------------------------

// span is a web address or a mention at [start, end) of the text.
type span struct {
	start, end int
	url        string  // a link to this address
	who        *Member // or a mention of this user
}

type spanList []span

var spansKey = parser.NewContextKey()

// from is the index of the first span starting at pos or later.
func (l spanList) from(pos int) int {
	return sort.Search(len(l), func(i int) bool { return l[i].start >= pos })
}

func (l spanList) at(pos int) (span, bool) {
	if i := l.from(pos); i < len(l) && l[i].start == pos {
		return l[i], true
	}
	return span{}, false
}

// findSpans finds the links and the mentions of real users in the text,
// in order, none overlapping: Linkify's addresses, then "www." addresses
// outside them, then mentions outside both.
func findSpans(s string, mentioned []Member) spanList {
	var out spanList
	pos := 0
	for _, t := range Linkify(s) {
		if t.URL != "" {
			out = append(out, span{start: pos, end: pos + len(t.Text), url: t.URL})
		}
		pos += len(t.Text)
	}
	if containsFold(s, "www.") {
		out = addSpans(out, wwwSpans(s, out))
	}
	if len(mentioned) > 0 && strings.Contains(s, "@") {
		var ms spanList
		for _, m := range models.FindMentions(s) {
			if who := findMember(mentioned, m.Name); who != nil && !out.covers(m.Start) {
				ms = append(ms, span{start: m.Start, end: m.End, who: who})
			}
		}
		out = addSpans(out, ms)
	}
	return out
}

// covers reports whether a span holds pos; l is in order.
func (l spanList) covers(pos int) bool {
	i := l.from(pos + 1) // the first span starting after pos
	return i > 0 && pos < l[i-1].end
}

func addSpans(l, more spanList) spanList {
	if len(more) == 0 {
		return l
	}
	l = append(l, more...)
	sort.Slice(l, func(i, j int) bool { return l[i].start < l[j].start })
	return l
}

func findMember(ms []Member, name string) *Member {
	key := models.FoldKey(name)
	for i := range ms {
		if models.FoldKey(ms[i].Name) == key {
			return &ms[i]
		}
	}
	return nil
}

// wwwSpans finds addresses typed without a scheme, "www.example.com/x":
// where one ends is Linkify's decision, as if it began with https://.
func wwwSpans(s string, taken spanList) spanList {
	const scheme = "https://"
	var out spanList
	for i := 0; i+4 <= len(s); i++ {
		if !strings.EqualFold(s[i:i+4], "www.") || taken.covers(i) || (i > 0 && gluedBefore(s[i-1])) {
			continue
		}
		// An address ends at a space at the latest.
		word := s[i:]
		if j := strings.IndexFunc(word, unicode.IsSpace); j >= 0 {
			word = word[:j]
		}
		toks := Linkify(scheme + word)
		if len(toks) == 0 || toks[0].URL == "" {
			continue
		}
		n := len(toks[0].Text) - len(scheme)
		if n <= 4 || !wwwHost(s[i:i+n]) {
			continue
		}
		out = append(out, span{start: i, end: i + n, url: scheme + s[i:i+n]})
		i += n - 1
	}
	return out
}

// gluedBefore: "www." after a letter, digit or one of these is part of
// another word or address, not the start of one.
func gluedBefore(c byte) bool {
	return c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-/@:+", c) >= 0
}

// wwwHost wants "www." plus a name with a dot and a top-level domain of
// two letters or more: "www.go.dev", not "www.x" or "www.".
func wwwHost(addr string) bool {
	host := addr[4:]
	if i := strings.IndexAny(host, "/?#:"); i >= 0 {
		host = host[:i]
	}
	dot := strings.LastIndexByte(host, '.')
	if dot <= 0 || len(host)-dot-1 < 2 {
		return false
	}
	for _, c := range host[dot+1:] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

var (
	kindLink    = ast.NewNodeKind("MessageLink")
	kindMention = ast.NewNodeKind("Mention")
	kindStrike  = ast.NewNodeKind("Strike")
	kindSpoiler = ast.NewNodeKind("Spoiler")
)

// spanNode is a link or a mention: text that is one piece.
type spanNode struct {
	ast.BaseInline
	span
	text string
}

func (n *spanNode) Kind() ast.NodeKind {
	if n.who != nil {
		return kindMention
	}
	return kindLink
}

func (n *spanNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

func newSpanNode(src []byte, s span) *spanNode {
	return &spanNode{span: s, text: string(src[s.start:s.end])}
}

// spanParser takes a link or mention as one piece where it starts, before
// the emphasis parser sees the _ or * inside an address or a name. goldmark
// asks inline parsers only at punctuation, spaces and the start of a line
// or after another inline, so it is asked at the character before a span,
// or at the span's own first character; spanTransformer links what it
// misses (an address after "«", say).
type spanParser struct{}

// spanTriggers are a space and the ASCII punctuation that no other inline
// parser uses (those may start a delimiter run, which must not be eaten).
var spanTriggers = []byte(" !\"#$%&'()+,-./:;<=>?@[]^{}")

func (spanParser) Trigger() []byte { return spanTriggers }

func (spanParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	sp, _ := pc.Get(spansKey).(spanList)
	if sp == nil {
		return nil
	}
	line, seg := block.PeekLine()
	if len(line) == 0 || seg.Padding != 0 {
		return nil
	}
	lead := 0
	s, ok := sp.at(seg.Start)
	if !ok {
		if s, ok = sp.at(seg.Start + 1); !ok {
			return nil
		}
		lead = 1 // the space or punctuation before it stays text
	}
	if s.end > seg.Stop {
		return nil
	}
	if lead > 0 {
		ast.MergeOrAppendTextSegment(parent, seg.WithStop(seg.Start+lead))
	}
	block.Advance(s.end - seg.Start)
	return newSpanNode(block.Source(), s)
}

// spanTransformer links the spans that spanParser was not asked about
// and that lie whole in one run of text.
type spanTransformer struct{}

func (spanTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	sp, _ := pc.Get(spansKey).(spanList)
	if sp == nil {
		return
	}
	var texts []*ast.Text
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.Kind() {
		case ast.KindCodeSpan, ast.KindFencedCodeBlock:
			return ast.WalkSkipChildren, nil
		case ast.KindText:
			if entering {
				texts = append(texts, n.(*ast.Text))
			}
		}
		return ast.WalkContinue, nil
	})
	src := reader.Source()
	for _, t := range texts {
		if t.Parent() == nil {
			continue // merged into the one before
		}
		joinText(t)
		for i := sp.from(t.Segment.Start); i < len(sp) && sp[i].start < t.Segment.Stop; i++ {
			s, seg := sp[i], t.Segment
			if s.start < seg.Start || s.end > seg.Stop || seg.Padding != 0 {
				continue
			}
			// Before, the span, and t keeps the rest and its line break.
			parent := t.Parent()
			if s.start > seg.Start {
				parent.InsertBefore(parent, t, ast.NewTextSegment(seg.WithStop(s.start)))
			}
			parent.InsertBefore(parent, t, newSpanNode(src, s))
			t.Segment = seg.WithStart(s.end)
		}
	}
}

// joinText makes t one with the pieces of text that follow it on its line
// (goldmark cuts text wherever it asked a parser in vain).
func joinText(t *ast.Text) {
	for {
		next, ok := t.NextSibling().(*ast.Text)
		if !ok || t.SoftLineBreak() || t.HardLineBreak() || t.IsRaw() || next.IsRaw() ||
			t.Segment.Stop != next.Segment.Start || next.Segment.Padding != 0 {
			return
		}
		t.Segment = t.Segment.WithStop(next.Segment.Stop)
		t.SetSoftLineBreak(next.SoftLineBreak())
		t.SetHardLineBreak(next.HardLineBreak())
		t.Parent().RemoveChild(t.Parent(), next)
	}
}

// --- ~~strikethrough~~ and ||spoilers|| -------------------------------------

// pairParser reads a run of exactly two of one character as a delimiter,
// as ~~ and || are in Discord. Emphasis rules decide where ~~ may open
// and close; || opens and closes anywhere ("|| no spoilers ||" works).
type pairParser struct {
	char    byte
	relaxed bool
	kind    ast.NodeKind
}

var (
	strikeParser  = &pairParser{char: '~', kind: kindStrike}
	spoilerParser = &pairParser{char: '|', relaxed: true, kind: kindSpoiler}
)

// pairNode is what a pair of delimiters encloses.
type pairNode struct {
	ast.BaseInline
	kind ast.NodeKind
}

func (n *pairNode) Kind() ast.NodeKind                          { return n.kind }
func (n *pairNode) Dump(source []byte, level int)               { ast.DumpHelper(n, source, level, nil, nil) }
func (p *pairParser) Trigger() []byte                           { return []byte{p.char} }
func (p *pairParser) IsDelimiter(b byte) bool                   { return b == p.char }
func (p *pairParser) CanOpenCloser(o, c *parser.Delimiter) bool { return o.Char == c.Char }
func (p *pairParser) OnMatch(consumes int) ast.Node             { return &pairNode{kind: p.kind} }

func (p *pairParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	before := block.PrecendingCharacter()
	line, seg := block.PeekLine()
	d := parser.ScanDelimiter(line, before, 2, p)
	if d == nil || d.OriginalLength != 2 || before == rune(p.char) {
		return nil
	}
	if p.relaxed {
		d.CanOpen, d.CanClose = true, true
	}
	d.Segment = seg.WithStop(seg.Start + 2)
	block.Advance(2)
	pc.PushDelimiter(d)
	return d
}

// --- Blocks -----------------------------------------------------------------

// quoteParser reads quotes as Discord has them: "> " quotes its line (a
// line without it ends the quote, so a reply below a quote is not
// swallowed by it), ">>> " quotes the rest of the message, and quotes do
// not nest. ">:(" is not a quote.
type quoteParser struct{}

var stdQuote = parser.NewBlockquoteParser()

func (quoteParser) Trigger() []byte { return []byte{'>'} }

// quoteMark reports whether the line starts with a quote mark, and whether
// that mark is ">>>".
func quoteMark(reader text.Reader) (ok, rest bool) {
	line, _ := reader.PeekLine()
	w, pos := util.IndentWidth(line, reader.LineOffset())
	if w > 3 || pos >= len(line) || line[pos] != '>' {
		return false, false
	}
	spaceAt := func(i int) bool {
		return i >= len(line) || line[i] == ' ' || line[i] == '\t' || line[i] == '\n' || line[i] == '\r'
	}
	if strings.HasPrefix(string(line[pos:min(len(line), pos+3)]), ">>>") && spaceAt(pos+3) {
		return true, true
	}
	return spaceAt(pos + 1), false
}

func (quoteParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if parent.Kind() == ast.KindBlockquote {
		return nil, parser.NoChildren
	}
	ok, rest := quoteMark(reader)
	if !ok {
		return nil, parser.NoChildren
	}
	if !rest {
		return stdQuote.Open(parent, reader, pc)
	}
	line, _ := reader.PeekLine()
	_, pos := util.IndentWidth(line, reader.LineOffset())
	pos += 3
	if pos < len(line) && (line[pos] == ' ' || line[pos] == '\t') {
		pos++
	}
	reader.Advance(pos)
	n := ast.NewBlockquote()
	n.SetAttributeString("rest", true)
	return n, parser.HasChildren
}

func (quoteParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	if _, rest := node.AttributeString("rest"); rest {
		return parser.Continue | parser.HasChildren
	}
	if ok, _ := quoteMark(reader); !ok {
		return parser.Close
	}
	return stdQuote.Continue(node, reader, pc)
}

func (quoteParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}
func (quoteParser) CanInterruptParagraph() bool                                { return true }
func (quoteParser) CanAcceptIndentedLine() bool                                { return false }

// paragraphParser is CommonMark's paragraph with two Discord habits: a
// line that is not part of a quote is not pulled into it ("lazy
// continuation"), and the indentation of lines after the first is kept.
// It takes indented lines too, as there are no indented code blocks.
type paragraphParser struct{}

var stdParagraph = parser.NewParagraphParser()

func (paragraphParser) Trigger() []byte { return nil }

func (paragraphParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	// Asked while a paragraph is open: that paragraph goes on, unless it
	// is in a quote this line is not part of.
	if last := pc.LastOpenedBlock().Node; last != nil && ast.IsParagraph(last) && last.Parent() == parent {
		return nil, parser.NoChildren
	}
	return stdParagraph.Open(parent, reader, pc)
}

func (paragraphParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	return stdParagraph.Continue(node, reader, pc)
}

func (paragraphParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	if lines.Len() == 0 {
		node.Parent().RemoveChild(node.Parent(), node)
		return
	}
	first := lines.At(0)
	lines.Set(0, first.TrimLeftSpace(reader.Source()))
	last := lines.At(lines.Len() - 1)
	lines.Set(lines.Len()-1, last.TrimRightSpace(reader.Source()))
}

func (paragraphParser) CanInterruptParagraph() bool { return true }
func (paragraphParser) CanAcceptIndentedLine() bool { return true }

// --- HTML ---------------------------------------------------------------------

// htmlWriter writes the nodes above as HTML. Nodes of any other kind
// (there should be none) write only their children's text.
type htmlWriter struct{}

func (htmlWriter) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindParagraph, block(`<div class="para">`, `</div>`))
	reg.Register(ast.KindBlockquote, block(`<blockquote>`, `</blockquote>`))
	reg.Register(kindStrike, tags(`<s>`, `</s>`))
	reg.Register(kindSpoiler, tags(`<details class="spoiler" data-testid="spoiler"><summary>Spoiler</summary><span class="spoiler-text">`, `</span></details>`))
	reg.Register(ast.KindEmphasis, writeEmphasis)
	reg.Register(ast.KindText, writeText)
	reg.Register(ast.KindString, writeString)
	reg.Register(ast.KindCodeSpan, writeCodeSpan)
	reg.Register(ast.KindFencedCodeBlock, writeCodeBlock)
	reg.Register(kindLink, writeLink)
	reg.Register(kindMention, writeMention)
}

// block is tags for a block: one after another is parted by a blank
// line, which the page does not show (the blocks have margins) but which
// keeps the text of the message its text when read or copied without them
// (textContent, a reply's quote).
func block(open, close string) renderer.NodeRendererFunc {
	return func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			blockGap(w, n)
			w.WriteString(open)
		} else {
			w.WriteString(close)
		}
		return ast.WalkContinue, nil
	}
}

func blockGap(w util.BufWriter, n ast.Node) {
	if n.PreviousSibling() != nil {
		w.WriteString("\n\n")
	}
}

func tags(open, close string) renderer.NodeRendererFunc {
	return func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.WriteString(open)
		} else {
			w.WriteString(close)
		}
		return ast.WalkContinue, nil
	}
}

func writeEmphasis(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	tag := "em>"
	if n.(*ast.Emphasis).Level == 2 {
		tag = "strong>"
	}
	if entering {
		w.WriteByte('<')
	} else {
		w.WriteString("</")
	}
	w.WriteString(tag)
	return ast.WalkContinue, nil
}

// writeText writes text as typed: backslash escapes are undone, entities
// are not ("&amp;" reads "&amp;"), and a line break is a newline (the
// message keeps its line breaks by CSS, white-space: pre-wrap).
func writeText(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	t := n.(*ast.Text)
	v := t.Segment.Value(src)
	if !t.IsRaw() {
		v = util.UnescapePunctuations(v)
	}
	escape(w, v)
	if t.SoftLineBreak() || t.HardLineBreak() {
		w.WriteByte('\n')
	}
	return ast.WalkContinue, nil
}

func writeString(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		escape(w, n.(*ast.String).Value)
	}
	return ast.WalkContinue, nil
}

func writeCodeSpan(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	w.WriteString("<code>")
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		var v []byte
		switch c := c.(type) {
		case *ast.Text:
			v = c.Segment.Value(src)
		case *ast.String:
			v = c.Value
		}
		for _, b := range v {
			if b == '\n' {
				b = ' '
			}
			escapeByte(w, b)
		}
	}
	w.WriteString("</code>")
	return ast.WalkSkipChildren, nil
}

func writeCodeBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	blockGap(w, n)
	w.WriteString(`<pre><code>`)
	lines := n.Lines()
	for i := range lines.Len() {
		line := lines.At(i)
		v := line.Value(src)
		if i == lines.Len()-1 {
			v = trimNewline(v)
		}
		escape(w, v)
	}
	w.WriteString("</code></pre>")
	return ast.WalkSkipChildren, nil
}

func trimNewline(v []byte) []byte {
	for len(v) > 0 && (v[len(v)-1] == '\n' || v[len(v)-1] == '\r') {
		v = v[:len(v)-1]
	}
	return v
}

func writeLink(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		s := n.(*spanNode)
		writeLinkHTML(w, s.url, s.text)
	}
	return ast.WalkSkipChildren, nil
}

func writeLinkHTML(w util.BufWriter, url, text string) {
	w.WriteString(`<a href="`)
	escape(w, []byte(url))
	w.WriteString(`" rel="noopener nofollow ugc" target="_blank">`)
	escape(w, []byte(text))
	w.WriteString("</a>")
}

// writeMention marks a mention with the user's id; the page's script
// highlights the mentions of whoever is reading.
func writeMention(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		s := n.(*spanNode)
		w.WriteString(`<span class="mention" data-user-id="`)
		w.WriteString(strconv.FormatInt(s.who.UserID, 10))
		if s.who.Display != "" {
			// The display name is shown; the handle typed stays in the title.
			w.WriteString(`" title="@`)
			escape(w, []byte(s.who.Name))
			w.WriteString(`">@`)
			escape(w, []byte(s.who.Display))
		} else {
			w.WriteString(`">@`)
			escape(w, []byte(s.who.Name))
		}
		w.WriteString("</span>")
	}
	return ast.WalkSkipChildren, nil
}

func escape(w util.BufWriter, v []byte) {
	start := 0
	for i, b := range v {
		if r := escaped(b); r != "" {
			w.Write(v[start:i])
			w.WriteString(r)
			start = i + 1
		}
	}
	w.Write(v[start:])
}

func escapeByte(w util.BufWriter, b byte) {
	if r := escaped(b); r != "" {
		w.WriteString(r)
	} else {
		w.WriteByte(b)
	}
}

func escaped(b byte) string {
	switch b {
	case '&':
		return "&amp;"
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	case '"':
		return "&#34;"
	case '\'':
		return "&#39;"
	case 0:
		return "\uFFFD"
	}
	return ""
}
