package models_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/minidiscord/minidiscord/models"
)

func words(ws ...string) models.SearchTerm { return models.SearchTerm{Words: ws} }
func phrase(ws ...string) models.SearchTerm {
	return models.SearchTerm{Words: ws, Phrase: true}
}
func cjk(s string) models.SearchTerm { return models.SearchTerm{Words: []string{s}, CJK: true} }

func TestParseSearch(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, tc := range []struct {
		in   string
		want models.SearchQuery
	}{
		{"", models.SearchQuery{}},
		{"   ", models.SearchQuery{}},
		{"hello world", models.SearchQuery{Terms: []models.SearchTerm{words("hello"), words("world")}}},
		{"  Café\tnaïve\n", models.SearchQuery{Terms: []models.SearchTerm{words("Café"), words("naïve")}}},
		{`"exact phrase" word`, models.SearchQuery{Terms: []models.SearchTerm{phrase("exact", "phrase"), words("word")}}},
		{`"open quote to the end`, models.SearchQuery{Terms: []models.SearchTerm{phrase("open", "quote", "to", "the", "end")}}},
		{`a"b c"d`, models.SearchQuery{Terms: []models.SearchTerm{words("a"), phrase("b", "c"), words("d")}}},
		{`""`, models.SearchQuery{}},
		{"e-mail don't", models.SearchQuery{Terms: []models.SearchTerm{words("e", "mail"), words("don", "t")}}},
		{"東京タワー", models.SearchQuery{Terms: []models.SearchTerm{cjk("東京タワー")}}},
		{"東京tower", models.SearchQuery{Terms: []models.SearchTerm{cjk("東京"), words("tower")}}},
		{`"big 東京 tower now"`, models.SearchQuery{Terms: []models.SearchTerm{phrase("big"), {Words: []string{"東京"}, CJK: true, Phrase: true}, phrase("tower", "now")}}},
		{"서울에", models.SearchQuery{Terms: []models.SearchTerm{cjk("서울에")}}},
		{"in:#general from:ann hi", models.SearchQuery{Room: "general", From: "ann", Terms: []models.SearchTerm{words("hi")}}},
		{"IN:general FROM:@ann", models.SearchQuery{Room: "general", From: "@ann"}},
		{"before:2026-11-01", models.SearchQuery{Before: time.Date(2026, 11, 1, 0, 0, 0, 0, paris)}},
		{"after:2026-10-31", models.SearchQuery{After: time.Date(2026, 11, 1, 0, 0, 0, 0, paris)}},
		{"10:30 note:this", models.SearchQuery{Terms: []models.SearchTerm{words("10", "30"), words("note", "this")}}},
		{"https://example.com/x", models.SearchQuery{Terms: []models.SearchTerm{words("https", "example", "com", "x")}}},
		{"*** --- ()", models.SearchQuery{}},
		{"cafe\u0301", models.SearchQuery{Terms: []models.SearchTerm{words("cafe\u0301")}}},
		{"\u0301\u0301 x", models.SearchQuery{Terms: []models.SearchTerm{words("x")}}},
	} {
		got, err := models.ParseSearch(tc.in, paris)
		if err != nil {
			t.Errorf("ParseSearch(%q): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("ParseSearch(%q) =\n  %+v\nwant\n  %+v", tc.in, *got, tc.want)
		}
	}
}

func TestParseSearchProblems(t *testing.T) {
	for in, want := range map[string]string{
		"before:yesterday":                  `before: takes a date like 2026-11-01, not "yesterday".`,
		"after:2026-13-01":                  `after: takes a date like 2026-11-01, not "2026-13-01".`,
		"before:" + strings.Repeat("9", 30): `before: takes a date like 2026-11-01, not "` + strings.Repeat("9", 20) + `…".`,
		"in:":                               "Say which room after in:, like in:#general.",
		"in:#":                              "Say which room after in:, like in:#general.",
		"from:":                             "Say whose messages after from:, like from:ann.",
		"before:":                           "Give a date after before:, like before:2026-11-01.",
		"in:a in:b":                         "Use in: once.",
		"from:a FROM:b":                     "Use from: once.",
		"after:2026-01-01 after:2026-01-02": "Use after: once.",
		strings.Repeat("x ", 17):            "Search for at most 16 words at a time.",
		strings.Repeat("x", 501):            "Searches have at most 500 characters.",
		"bad \xff byte":                     "The search is not valid UTF-8 text.",
		"nul \x00 byte":                     "The search contains control characters.",
	} {
		_, err := models.ParseSearch(in, time.UTC)
		var inv *models.InvalidError
		if !errors.As(err, &inv) || inv.Field != "q" || inv.Message != want {
			t.Errorf("ParseSearch(%q): %v, want an invalid q: %s", in, err, want)
		}
	}
}

func TestSearchTermPrefix(t *testing.T) {
	for _, tc := range []struct {
		term models.SearchTerm
		want bool
	}{
		{words("depl"), true},
		{words("dep"), false},
		{words("don", "t"), false},
		{words("e", "mail"), true},
		{phrase("deploy"), false},
		{cjk("東京タワー"), false},
	} {
		if got := tc.term.Prefix(); got != tc.want {
			t.Errorf("%+v: prefix %v, want %v", tc.term, got, tc.want)
		}
	}
}

// parts writes highlighted parts as text with the hits in [brackets].
func parts(ps []models.TextPart) string {
	var b strings.Builder
	for _, p := range ps {
		if p.Hit {
			b.WriteString("[" + p.Text + "]")
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

func TestHighlight(t *testing.T) {
	for _, tc := range []struct{ q, text, want string }{
		{"hello", "Hello, hello world", "[Hello], [hello] world"},
		{"depl", "We deploy; Deployment done", "We [deploy]; [Deployment] done"},
		{"at", "at that attic at", "[at] that attic [at]"},
		{"cafe", "Le Café, CAFE and café\u0301", "Le [Café], [CAFE] and [café\u0301]"},
		{"café", "the cafe", "the [cafe]"},
		{`"exact phrase"`, "an exact phrase, not phrase exact", "an [exact phrase], not phrase exact"},
		{`"e mail"`, "my e-mail", "my [e-mail]"},
		{"e-mail", "e mail or e-mail", "[e mail] or [e-mail]"},
		{"東京", "東京タワーと東京駅", "[東京]タワーと[東京]駅"},
		{"tower 東京", "東京tower と tower", "[東京tower] と [tower]"},
		{"x", "<script>x</script>", "<script>[x]</script>"},
		{"in:#general from:ann", "nothing marked", "nothing marked"},
		{"a b", "a b", "[a] [b]"},
	} {
		q, err := models.ParseSearch(tc.q, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if got := parts(q.Highlight(tc.text)); got != tc.want {
			t.Errorf("highlight %q in %q: %s, want %s", tc.q, tc.text, got, tc.want)
		}
	}
}

// TestHighlightExcerpt: a long message shows the part around its first
// match, cut on characters, with … where it was cut.
func TestHighlightExcerpt(t *testing.T) {
	q, _ := models.ParseSearch("needle", time.UTC)
	text := strings.Repeat("é ", 500) + "needle" + strings.Repeat(" ü", 500)
	ps := q.Highlight(text)
	got := parts(ps)
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || !strings.Contains(got, "[needle]") {
		t.Fatalf("excerpt %q", got)
	}
	if n := utf8.RuneCountInString(strings.NewReplacer("[", "", "]", "").Replace(got)); n != 602 {
		t.Errorf("excerpt of %d characters, want 600 and two …", n)
	}
	for _, p := range ps {
		if !utf8.ValidString(p.Text) {
			t.Errorf("part %q cut inside a character", p.Text)
		}
	}
}

// FuzzSearch: whatever is typed, the search either refuses it as invalid
// or runs (no FTS5 syntax error, no SQL error, no panic), and highlighting
// gives back the text exactly, in parts.
func FuzzSearch(f *testing.F) {
	for _, seed := range []string{
		"hello", `"exact phrase"`, "in:#general from:ann", "before:2026-11-01", "東京", "中",
		`NEAR(a b)`, `a OR b`, `col:x`, `x*`, `"`, `"a""b"`, `'); DROP TABLE messages; --`,
		`^x`, `-x`, `a AND`, `(((`, "café", "\u0301", "e-mail", `\'`, "a:b:c", "from:@", `in:"x y"`,
	} {
		f.Add(seed)
	}
	s, err := models.Open(context.Background(), filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	u, err := s.CreateUser(ctx, "ann", "hash", false)
	if err != nil {
		f.Fatal(err)
	}
	r, err := s.GetOrCreateRoom(ctx, "general")
	if err != nil {
		f.Fatal(err)
	}
	w := s.NewWriter(func([]*models.Message) {})
	defer w.Close()
	for _, text := range []string{"hello world", "東京タワー", "e-mail café", `"quoted" (text) AND *stars*`} {
		if err := w.Post(ctx, &models.Message{RoomID: r.ID, UserID: u.ID, Content: text, CreatedAt: time.Now().UTC(), User: u}); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		q, err := models.ParseSearch(text, time.UTC)
		if err != nil {
			if !errors.Is(err, models.ErrInvalid) {
				t.Fatalf("ParseSearch(%q): %v", text, err)
			}
			return
		}
		if _, err := s.Search(ctx, u.ID, q, 0, 5); err != nil && !errors.Is(err, models.ErrInvalid) {
			t.Fatalf("Search(%q): %v", text, err)
		}
		if utf8.ValidString(text) && utf8.RuneCountInString(text) <= 600 {
			if got := q.Highlight(text); joined(got) != text {
				t.Fatalf("Highlight(%q) gave back %q", text, joined(got))
			}
		}
	})
}

func joined(ps []models.TextPart) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Text)
	}
	return b.String()
}
