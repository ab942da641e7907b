package models_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/models"
)

// searchFixture is a few rooms of messages, some edited or deleted, that
// every engine must search alike.
type searchFixture struct {
	s     *models.Store
	users map[string]*models.User
	rooms map[string]*models.Room
	ids   map[string]int64 // message key: id
}

// day0 is the fixture's first day; message i is posted on day0 + i days.
var day0 = time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)

func newSearchFixture(t *testing.T, s *models.Store) *searchFixture {
	t.Helper()
	ctx := context.Background()
	f := &searchFixture{s: s, users: map[string]*models.User{}, rooms: map[string]*models.Room{}, ids: map[string]int64{}}
	for _, name := range []string{"ann", "bob", "chen"} {
		u, err := s.CreateUser(ctx, name, "hash", false)
		if err != nil {
			t.Fatal(err)
		}
		f.users[name] = u
	}
	for _, name := range []string{"general", "random"} {
		r, err := s.GetOrCreateRoom(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		f.rooms[name] = r
	}
	w := s.NewWriter(func([]*models.Message) {})
	t.Cleanup(w.Close)
	posts := []struct{ key, who, room, text string }{
		{"menu", "ann", "general", "Deploy the café menu at noon"},
		{"naive", "bob", "general", "The naïve cafe approach works"},
		{"tokyo", "ann", "random", "東京タワーに行きました"},
		{"coffee", "chen", "random", "Meet at the coffee shop, then deploy"},
		{"gone", "bob", "general", "this deployment message will be deleted"},
		{"edited", "ann", "general", "original text zebra"},
		{"mail", "chen", "general", "e-mail me at ann@example.com"},
		{"seoul", "bob", "random", "서울에 갔어요"},
		{"chinese", "ann", "general", "中文搜索测试 with Latin"},
		{"phrase", "bob", "general", `Quote: "exact phrase here" and more`},
		{"reversed", "chen", "general", "phrase exact here"},
		{"markup", "ann", "general", `<script>alert("x")</script> & friends`},
	}
	for i, p := range posts {
		u := f.users[p.who]
		m := &models.Message{RoomID: f.rooms[p.room].ID, UserID: u.ID, Content: p.text, CreatedAt: day0.AddDate(0, 0, i), User: u}
		if err := w.Post(ctx, m); err != nil {
			t.Fatal(err)
		}
		f.ids[p.key] = m.ID
	}
	if err := w.Delete(ctx, f.rooms["general"].ID, f.ids["gone"]); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Edit(ctx, f.rooms["general"].ID, f.ids["edited"], f.users["ann"].ID, "edited text giraffe"); err != nil {
		t.Fatal(err)
	}
	return f
}

// search runs text as ann and returns the keys of what it finds, newest first.
func (f *searchFixture) search(t *testing.T, text string) ([]string, error) {
	t.Helper()
	q, err := models.ParseSearch(text, time.UTC)
	if err != nil {
		return nil, err
	}
	res, err := f.s.Search(context.Background(), f.users["ann"].ID, q, 0, 50)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(res.Messages))
	for i, m := range res.Messages {
		keys[i] = fmt.Sprint(m.ID)
		for k, id := range f.ids {
			if id == m.ID {
				keys[i] = k
			}
		}
		if m.User == nil || m.Room == nil {
			t.Errorf("%q: result %s without its author or room", text, keys[i])
		}
	}
	return keys, nil
}

// TestSearchEngines: the same searches find the same messages on SQLite and
// on PostgreSQL, newest first.
func TestSearchEngines(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		f := newSearchFixture(t, s)
		for _, tc := range []struct {
			name, q string
			want    []string
		}{
			{"word", "coffee", []string{"coffee"}},
			{"case", "COFFEE", []string{"coffee"}},
			{"words are and-ed", "deploy coffee", []string{"coffee"}},
			{"prefix of four letters or more", "depl", []string{"coffee", "menu"}},
			{"three letters are a whole word", "dep", nil},
			{"short words are whole", "at", []string{"mail", "coffee", "menu"}},
			{"short words are whole (no prefix)", "ap", nil},
			{"accents folded in the query", "café", []string{"naive", "menu"}},
			{"accents folded in the text", "cafe", []string{"naive", "menu"}},
			{"diaeresis", "NAIVE", []string{"naive"}},
			{"phrase", `"exact phrase"`, []string{"phrase"}},
			{"phrase in order", `"phrase exact"`, []string{"reversed"}},
			{"words in any order", "exact phrase", []string{"reversed", "phrase"}},
			{"phrase words are whole", `"exac phrase"`, nil},
			{"open quote runs to the end", `"phrase here`, []string{"phrase"}},
			{"phrase and word", `"exact phrase" more`, []string{"phrase"}},
			{"CJK, two characters", "東京", []string{"tokyo"}},
			{"CJK, one character", "中", []string{"chinese"}},
			{"CJK, inside a run", "タワー", []string{"tokyo"}},
			{"CJK, long", "東京タワーに行き", []string{"tokyo"}},
			{"CJK, not there", "京都", nil},
			{"CJK and Latin", "搜索 latin", []string{"chinese"}},
			{"two CJK runs", "中文 測試", nil},
			{"two CJK runs, both there", "中文 测试", []string{"chinese"}},
			{"Hangul", "서울", []string{"seoul"}},
			{"punctuation splits words", "e-mail", []string{"mail"}},
			{"host name", "example.com", []string{"mail"}},
			{"part of a host name", "example", []string{"mail"}},
			{"markup is text", "<script>", []string{"markup"}},
			{"deleted messages are not found", "deployment", nil},
			{"an edit's old words are gone", "zebra", nil},
			{"an edit's new words are found", "giraffe", []string{"edited"}},
			{"in:", "in:#random", []string{"seoul", "coffee", "tokyo"}},
			{"in: without #, any case", "deploy in:GENERAL", []string{"menu"}},
			{"from:", "from:chen", []string{"reversed", "mail", "coffee"}},
			{"from: with @", "from:@chen deploy", []string{"coffee"}},
			{"before: excludes its day", "before:2026-10-02", []string{"menu"}},
			{"after: excludes its day", "after:2026-10-10", []string{"markup", "reversed"}},
			{"a day", "after:2026-10-02 before:2026-10-04", []string{"tokyo"}},
			{"CJK in a room", "東京 in:#random", []string{"tokyo"}},
			{"CJK in another room", "東京 in:#general", nil},
			{"CJK from someone", "서울 from:bob", []string{"seoul"}},
			{"CJK and a day", "中 after:2026-10-08", []string{"chinese"}},
			{"CJK before the day", "中 before:2026-10-09", nil},
			{"words, room, person and days", "exact in:#general from:chen after:2026-10-01", []string{"reversed"}},
			{"operators are words", "coffee OR deploy", nil},
			{"FTS syntax is words", `coffee* -shop ^meet deploy:`, []string{"coffee"}},
			{"NEAR is a word", "NEAR(coffee deploy)", nil},
			{"column filter is a word", "content:coffee", nil},
			{"SQL is words", `'; DROP TABLE messages; --`, nil},
			{"only punctuation", `" * ( ) -`, nil},
		} {
			got, err := f.search(t, tc.q)
			if err != nil {
				t.Errorf("%s: search %q: %v", tc.name, tc.q, err)
				continue
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s: search %q found %q, want %q", tc.name, tc.q, got, tc.want)
			}
		}
		// Rooms and authors are in the index too, but never as text.
		for _, q := range []string{fmt.Sprintf("r%d", f.rooms["general"].ID), fmt.Sprintf("u%d", f.users["ann"].ID)} {
			if got, err := f.search(t, q); err != nil || len(got) != 0 {
				t.Errorf("search %q: %q, %v; want nothing", q, got, err)
			}
		}
		// The messages table is intact after the SQL-looking search.
		if got, _ := f.search(t, "coffee"); len(got) != 1 {
			t.Errorf("coffee after the hostile searches: %q", got)
		}
	})
}

// TestSearchFilterProblems: a filter naming no room or no one is told
// plainly, as an invalid search.
func TestSearchFilterProblems(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		f := newSearchFixture(t, s)
		for q, want := range map[string]string{
			"in:#nowhere coffee":               "There is no room called #nowhere.",
			"in:#bad/name":                     "There is no room called #bad/name.",
			"from:zed":                         "There is no one called zed.",
			"from:" + strings.Repeat("z", 300): "There is no one called " + strings.Repeat("z", 40) + "….",
		} {
			_, err := f.search(t, q)
			var inv *models.InvalidError
			if !errors.As(err, &inv) || inv.Field != "q" || inv.Message != want {
				t.Errorf("search %q: %v, want an invalid q: %s", q, err, want)
			}
		}
	})
}

// TestSearchPages: results come newest first, a page at a time, each page
// starting below the last id of the one before.
func TestSearchPages(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		f := newSearchFixture(t, s)
		w := s.NewWriter(func([]*models.Message) {})
		defer w.Close()
		var want []int64
		for i := range 25 {
			u := f.users["bob"]
			m := &models.Message{RoomID: f.rooms["general"].ID, UserID: u.ID, Content: fmt.Sprintf("paging test %d", i), CreatedAt: day0, User: u}
			if err := w.Post(ctx, m); err != nil {
				t.Fatal(err)
			}
			want = append([]int64{m.ID}, want...)
		}
		q, _ := models.ParseSearch("paging", time.UTC)
		var got []int64
		var before int64
		for page := 0; ; page++ {
			res, err := s.Search(ctx, f.users["ann"].ID, q, before, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range res.Messages {
				got = append(got, m.ID)
			}
			if wantMore := page < 2; res.More != wantMore {
				t.Fatalf("page %d: more = %v, want %v", page, res.More, wantMore)
			}
			if !res.More {
				break
			}
			before = res.Messages[len(res.Messages)-1].ID
		}
		if !slices.Equal(got, want) {
			t.Errorf("pages gave %v, want %v", got, want)
		}
	})
}

// TestSearchFollowsDeletedRooms: a room's deletion takes its messages out
// of the results (and, on SQLite, out of the index: the index stays whole).
func TestSearchFollowsDeletedRooms(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		f := newSearchFixture(t, s)
		if err := s.DeleteRoom(context.Background(), f.rooms["random"].ID); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string][]string{"coffee": nil, "東京": nil, "deploy": {"menu"}} {
			if got, err := f.search(t, q); err != nil || !slices.Equal(got, want) {
				t.Errorf("search %q after deleting the room: %q, %v; want %q", q, got, err, want)
			}
		}
		checkSearchIndex(t, s)
	})
}

// checkSearchIndex asks SQLite whether the word index matches the
// messages it indexes, row for row (it does not on PostgreSQL, whose index
// is of a generated column).
func checkSearchIndex(t *testing.T, s *models.Store) {
	t.Helper()
	if s.DB().Dialect().Name().String() != "sqlite" {
		return
	}
	if _, err := s.DB().Exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)"); err != nil {
		t.Errorf("messages_fts integrity check: %v", err)
	}
	if _, err := s.DB().Exec("INSERT INTO messages_cjk (messages_cjk) VALUES ('integrity-check')"); err != nil {
		t.Errorf("messages_cjk integrity check: %v", err)
	}
}

// TestSearchIndexStaysWhole: after posts, edits and deletions the SQLite
// indexes hold exactly what the messages say.
func TestSearchIndexStaysWhole(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		newSearchFixture(t, s)
		checkSearchIndex(t, s)
	})
}

// TestSearchCJKRanges: a character from each CJK range is found on its
// own, between Latin letters, on every engine; SQLite's CJK index holds
// only the messages with CJK text.
func TestSearchCJKRanges(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		f := newSearchFixture(t, s)
		w := s.NewWriter(func([]*models.Message) {})
		defer w.Close()
		chars := []string{"々", "ぁ", "ヶ", "㐀", "一", "龥", "가", "힣", "豈", "ｦ", "ﾝ", "𠀀", "𪚲"}
		for _, c := range chars {
			u := f.users["bob"]
			m := &models.Message{RoomID: f.rooms["general"].ID, UserID: u.ID, Content: "x" + c + "y", CreatedAt: day0, User: u}
			if err := w.Post(ctx, m); err != nil {
				t.Fatal(err)
			}
			f.ids[c] = m.ID
		}
		for _, c := range chars {
			if got, err := f.search(t, c); err != nil || !slices.Equal(got, []string{c}) {
				t.Errorf("search %q (U+%04X): %q, %v", c, []rune(c)[0], got, err)
			}
		}
		if s.DB().Dialect().Name().String() == "sqlite" {
			var n int
			if err := s.DB().QueryRow("SELECT count(*) FROM messages_cjk").Scan(&n); err != nil || n != 3+len(chars) {
				t.Errorf("%d messages in the CJK index (%v), want %d", n, err, 3+len(chars))
			}
		}
		checkSearchIndex(t, s)
	})
}

// TestSearchDatesOutOfOrder: before: and after: go by when a message was
// posted, also for messages stored after newer ones (an import).
func TestSearchDatesOutOfOrder(t *testing.T) {
	eachStore(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		f := newSearchFixture(t, s)
		w := s.NewWriter(func([]*models.Message) {})
		defer w.Close()
		u := f.users["bob"]
		for i, at := range []time.Time{day0.AddDate(0, 0, -20), day0.AddDate(0, 0, 40), day0.AddDate(0, 0, -20).Add(time.Hour)} {
			m := &models.Message{RoomID: f.rooms["general"].ID, UserID: u.ID, Content: fmt.Sprintf("imported deploy %d", i), CreatedAt: at, User: u}
			if err := w.Post(ctx, m); err != nil {
				t.Fatal(err)
			}
			f.ids[fmt.Sprint("imported", i)] = m.ID
		}
		for q, want := range map[string][]string{
			"deploy before:2026-09-20":                    {"imported2", "imported0"},
			"before:2026-09-12":                           {"imported2", "imported0"},
			"deploy after:2026-11-01":                     {"imported1"},
			"deploy after:2026-09-01 before:2026-10-02":   {"imported2", "imported0", "menu"},
			"deploy after:2027-01-01":                     nil,
			"imported after:2026-09-10 before:2026-09-12": {"imported2", "imported0"},
		} {
			if got, err := f.search(t, q); err != nil || !slices.Equal(got, want) {
				t.Errorf("search %q: %q, %v; want %q", q, got, err, want)
			}
		}
	})
}
