package main

import (
	"bytes"
	"testing"
	"time"
)

func TestProgressBar(t *testing.T) {
	for _, tc := range []struct {
		done, total int64
		want        string
	}{
		{0, 1000, "messages [>                             ]   0%  0/1000  3s"},
		{450, 1000, "messages [=============>                ]  45%  450/1000  3s"},
		{1000, 1000, "messages [==============================] 100%  1000/1000  3s"},
	} {
		if got := renderBar("messages", tc.done, tc.total, 3*time.Second); got != tc.want {
			t.Errorf("%d/%d:\n got %q\nwant %q", tc.done, tc.total, got, tc.want)
		}
	}
	// Not a terminal (a pipe, a log file): nothing is drawn.
	var buf bytes.Buffer
	bar := newProgressBar(&buf, "messages")
	bar.set(1, 2)
	bar.set(2, 2)
	bar.done()
	if buf.Len() != 0 {
		t.Errorf("drew %q on a non-terminal", buf.String())
	}
}
