package models

import (
	"slices"
	"testing"
)

func TestFindMentions(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"hi @ann", []string{"ann"}},
		{"@ann and @Bo_2, see you", []string{"ann", "Bo_2"}},
		{"thanks @ann.", []string{"ann"}},
		{"mail ann@example.com", nil},
		{"@", nil},
		{"(@ann)", []string{"ann"}},
		{"@j.doe-x+y done", []string{"j.doe-x+y"}},
		{"@café ☕", []string{"café"}},
		{"x@@ann", nil},
	} {
		var got []string
		for _, m := range FindMentions(tc.text) {
			got = append(got, m.Name)
			if tc.text[m.Start] != '@' || tc.text[m.Start+1:m.End] != m.Name {
				t.Errorf("%q: offsets %d..%d do not hold @%s", tc.text, m.Start, m.End, m.Name)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: mentions %q, want %q", tc.text, got, tc.want)
		}
	}
	if got := MentionedKeys("@Ann, @ann and @bo"); !slices.Equal(got, []string{"ann", "bo"}) {
		t.Errorf("mentioned keys %q, want each name once, folded", got)
	}
}
