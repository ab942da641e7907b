package views

import "testing"

func TestGist(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain words", "plain words"},
		{"the answer is ||42|| ok", "the answer is " + SpoilerMask + " ok"},
		{"**bold** and *it* and ~~gone~~ and `code`", "bold and it and gone and code"},
		{"line one\nline two", "line one line two"},
		{"> quoted\nreply", "quoted reply"},
		{"```\nfn()\n```\nafter", "fn() after"},
		{"||whole secret||", SpoilerMask},
		{"see https://example.com/x_y_z now", "see https://example.com/x_y_z now"},
		{"see https://example.com/_x_ now", "see https://example.com/_x_ now"},
		{"<b>not markup</b>", "<b>not markup</b>"},
	} {
		if got := Gist(c.in, 0); got != c.want {
			t.Errorf("Gist(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := Gist("one two three four", 7); got != "one two…" {
		t.Errorf("cut at 7: %q", got)
	}
}
