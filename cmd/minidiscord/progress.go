package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// progressBar draws "messages [=====>    ]  45%  450000/1000000" on a
// terminal, redrawn in place at most ten times a second. Anywhere else
// (a pipe, a log file, a test) it draws nothing.
type progressBar struct {
	w     io.Writer
	label string
	on    bool
	last  time.Time
	drawn bool
	start time.Time
}

func newProgressBar(w io.Writer, label string) *progressBar {
	f, ok := w.(*os.File)
	return &progressBar{w: w, label: label, on: ok && term.IsTerminal(int(f.Fd())), start: time.Now()}
}

func (p *progressBar) set(done, total int64) {
	if !p.on || total <= 0 || (done < total && time.Since(p.last) < 100*time.Millisecond) {
		return
	}
	p.last = time.Now()
	fmt.Fprint(p.w, "\r"+renderBar(p.label, done, total, time.Since(p.start)))
	p.drawn = true
}

// done ends the bar's line.
func (p *progressBar) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

func renderBar(label string, done, total int64, elapsed time.Duration) string {
	const width = 30
	frac := float64(done) / float64(total)
	frac = min(max(frac, 0), 1)
	fill := int(frac * width)
	bar := strings.Repeat("=", fill)
	if fill < width {
		bar += ">" + strings.Repeat(" ", width-fill-1)
	}
	return fmt.Sprintf("%s [%s] %3.0f%%  %d/%d  %s", label, bar, frac*100, done, total, elapsed.Round(time.Second))
}
