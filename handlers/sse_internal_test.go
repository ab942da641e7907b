package handlers

import (
	"bufio"
	"strings"
	"testing"

	"github.com/minidiscord/minidiscord/realtime"
)

// parseSSE reads a stream as the HTML standard's EventSource does: lines
// end at CRLF, LF or a lone CR; "field: value"; a blank line dispatches.
func parseSSE(stream string) []realtime.Event {
	var out []realtime.Event
	var ev realtime.Event
	var data []string
	stream = strings.ReplaceAll(stream, "\r\n", "\n")
	stream = strings.ReplaceAll(stream, "\r", "\n")
	for line := range strings.SplitSeq(stream, "\n") {
		if line == "" {
			if len(data) > 0 {
				ev.Data = strings.Join(data, "\n")
				out = append(out, ev)
			}
			ev, data = realtime.Event{}, nil
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			ev.Name = value
		case "data":
			data = append(data, value)
		case "id":
			ev.Name += "|id=" + value // any id line but the writer's own is an injection
		}
	}
	return out
}

// FuzzWriteEvent: whatever the data, including every kind of line break,
// writeEvent writes exactly one event whose data a browser reads back as
// the same text (line breaks made LF).
func FuzzWriteEvent(f *testing.F) {
	for _, s := range []string{"plain", "a\nb", "a\rid: 99", "a\r\n\r\nevent: x\r\ndata: y", "\n\n", "\r", "data: x\n\nevent: message", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var b strings.Builder
		bw := bufio.NewWriter(&b)
		writeEvent(bw, realtime.Event{Name: "message", Data: data})
		bw.Flush()
		events := parseSSE(b.String())
		if len(events) != 1 {
			t.Fatalf("data %q made %d events: %q", data, len(events), b.String())
		}
		want := strings.ReplaceAll(strings.ReplaceAll(data, "\r\n", "\n"), "\r", "\n")
		if events[0].Name != "message" || events[0].Data != want {
			t.Fatalf("data %q read back as %+v", data, events[0])
		}
	})
}

// TestRunAsideRaisesPanics: a replay that panics on its own goroutine
// panics on the request's, where the server recovers it, rather than
// taking the process down.
func TestRunAsideRaisesPanics(t *testing.T) {
	defer func() {
		if r := recover(); r != "boom" {
			t.Errorf("recovered %v, want boom", r)
		}
	}()
	runAside(func() bool { panic("boom") })
	t.Error("runAside returned")
}
