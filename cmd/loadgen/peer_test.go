package main

import (
	"testing"
	"time"
)

// The original's frames, as its ChatConsumer sends them (json.dumps).
func TestParsePeerEvent(t *testing.T) {
	rs := &runState{tag: "lgab12"}
	text := rs.messageText(7, time.Unix(0, 1700000000123456789))
	cases := []struct {
		frame string
		want  peerEvent
	}{
		{`{"type": "new_message", "message": "` + text + `", "user_name": "lg3"}`,
			peerEvent{kind: "new_message", user: "lg3", seq: 7, sent: 1700000000123456789, ok: true}},
		{`{"type": "new_message", "message": "hello there", "user_name": "alice"}`,
			peerEvent{kind: "new_message", user: "alice"}},
		{`{"type": "new_message", "message": "lgother 7 1700000000123456789", "user_name": "lg3"}`,
			peerEvent{kind: "new_message", user: "lg3"}},
		{`{"type": "user_list", "users": ["lg0", "lg1", ""]}`, peerEvent{kind: "user_list", users: 3}},
		{`{"type": "user_list", "users": []}`, peerEvent{kind: "user_list"}},
		{`{"type": "forbidden_access"}`, peerEvent{kind: "forbidden_access"}},
	}
	for _, c := range cases {
		got, err := parsePeerEvent([]byte(c.frame), rs.tag)
		if err != nil || got != c.want {
			t.Errorf("parsePeerEvent(%s) = %+v, %v; want %+v", c.frame, got, err, c.want)
		}
	}
	if _, err := parsePeerEvent([]byte("not json"), rs.tag); err == nil {
		t.Error("a frame that is not JSON parsed")
	}
}
