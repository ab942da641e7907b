package models

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

// TestCJKRangesMatchMigrations: the migrations that build the search
// indexes name the same CJK ranges as the query parser, which decides
// which index a search goes to.
func TestCJKRangesMatchMigrations(t *testing.T) {
	var chars []string
	regex := "["
	for _, r := range cjkRanges {
		chars = append(chars, fmt.Sprintf("0x%x, 0x2d, 0x%x", r[0], r[1]))
		if r[0] > 0xFFFF {
			regex += fmt.Sprintf(`\U%08x-\U%08x`, r[0], r[1])
		} else {
			regex += fmt.Sprintf(`\u%04x-\u%04x`, r[0], r[1])
		}
	}
	glob := "GLOB '*[' || char(" + strings.Join(chars, ", ") + ") || ']*'"
	regex += "]"
	for dir, class := range map[string]string{"migrations/sqlite": glob, "migrations/postgres": regex} {
		sql, err := fs.ReadFile(migrationFiles, dir+"/20261202140001_search.up.sql")
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(sql), class); n != map[string]int{"migrations/sqlite": 3, "migrations/postgres": 1}[dir] {
			t.Errorf("%s names the ranges of cjkRanges as %s %d times", dir, class, n)
		}
	}
	for r, want := range map[rune]bool{'a': false, 'é': false, '。': false, '々': true, 'ー': true, '東': true, '가': true, 'ｱ': true, '𠀋': true, '🎉': false} {
		if IsCJK(r) != want {
			t.Errorf("IsCJK(%q) = %v", r, !want)
		}
	}
}

// TestEngineQueries: what reaches the engines is words in quotes, whatever
// was typed.
func TestEngineQueries(t *testing.T) {
	for _, tc := range []struct{ in, fts5, tsquery string }{
		{"hello wo", `"hello"* AND "wo"`, `('hello':*) & ('wo')`},
		{`"exact phrase" e-mail`, `"exact phrase" AND "e mail"*`, `('exact' <-> 'phrase') & ('e' <-> 'mail':*)`},
		{`NEAR(a b) OR "x"`, `"NEAR a" AND "b" AND "OR" AND "x"`, `('NEAR' <-> 'a') & ('b') & ('OR') & ('x')`},
		{"東京 tower", ``, `('東' <-> '京') & ('tower':*)`},
	} {
		q, err := ParseSearch(tc.in, nil)
		if err != nil {
			t.Fatal(err)
		}
		var phrases []string
		for _, term := range q.Terms {
			if !term.CJK {
				phrases = append(phrases, fts5Phrase(term.Words, term.Prefix()))
			}
		}
		if tc.fts5 != "" {
			if got := strings.Join(phrases, " AND "); got != tc.fts5 {
				t.Errorf("%q: FTS5 query %s, want %s", tc.in, got, tc.fts5)
			}
		}
		if got := tsQuery(q.Terms); got != tc.tsquery {
			t.Errorf("%q: tsquery %s, want %s", tc.in, got, tc.tsquery)
		}
	}
	if got := fts5Phrase([]string{`a"b`}, false); got != `"a""b"` {
		t.Errorf("quote in an FTS5 phrase: %s", got)
	}
	if got := tsLexeme(`a'b\c`); got != `'a''b\\c'` {
		t.Errorf("quote in a lexeme: %s", got)
	}
}
