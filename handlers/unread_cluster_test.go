package handlers_test

import (
	"net/url"
	"testing"
)

// TestClusterSidebarAcrossInstances: bob's stream is on instance B; ann
// talks to him on A. The mention, the rooms' activity, ann's typing and
// bob's own read made through A all reach his stream on B.
func TestClusterSidebarAcrossInstances(t *testing.T) {
	cl := newCluster(t)
	a, b := cl.start(withQuickSidebar()), cl.start(withQuickSidebar())
	ann := a.user("ann")
	bob := b.user("bob")
	a.createRoom(ann, "general")
	a.createRoom(ann, "random")
	general := a.roomID("general")
	b.get(bob, "/chat/general/")
	onB := b.openStream(bob, "random", "", "")
	onB.next("unread")

	a.say(ann, "general", "@bob over here")
	var mentioned, posted bool
	for !mentioned || !posted {
		ev := onB.nextOf("mention", "rooms")
		if ev.Name == "mention" {
			m := decode[struct {
				Room int64 `json:"room"`
			}](t, ev)
			mentioned = m.Room == general
			continue
		}
		n := decode[struct {
			Rooms []struct {
				ID    int64      `json:"id"`
				Posts [][2]int64 `json:"posts"`
			} `json:"rooms"`
		}](t, ev)
		for _, r := range n.Rooms {
			posted = posted || r.ID == general && len(r.Posts) == 1
		}
	}

	a.postForm(ann, "/chat/random/typing", nil, true)
	for {
		ty := decode[typingSet](t, onB.next("typing"))
		if ty.N == 1 && ty.Typing[0].Name == "ann" {
			break
		}
	}

	a.postForm(bob, "/chat/general/read", url.Values{"last": {"999"}}, true)
	for {
		st := decode[unreadState](t, onB.next("unread"))
		if len(st.Rooms) == 1 && st.Rooms[0].ID == general && st.Rooms[0].Mentions == 0 && st.Rooms[0].Unread == 0 {
			break
		}
	}
}
