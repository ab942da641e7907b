package realtime

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// Member is a user as the online list shows them.
type Member struct {
	UserID int64
	Name   string
	// Avatar is the version of their picture (0: none).
	Avatar int64
	// Bot marks a bot account, tagged in the list.
	Bot bool
}

// Renderer turns presence into events. It is called with the room's lock
// held, so that a subscriber's snapshot and the deltas after it line up
// exactly; it must be quick and must not call back into the hub.
type Renderer interface {
	// Snapshot is the full online list, sent once to each new subscriber.
	Snapshot(room int64, online []Member) Event
	// Delta adds and removes single entries and sets the count, so its size
	// depends on how many changed, not on how many are online.
	Delta(room int64, joined, left []Member, count int) Event
}

// presence is a room's online list. Every field is under the room's lock.
type presence struct {
	// members are online here now; announced is what subscribers were last
	// told. Snapshots come from announced, so a snapshot plus the deltas
	// after it is always exactly the truth.
	members   map[int64]*member
	announced map[int64]Member
	// others are online on other instances (Relay.Others); the online list
	// is members and others together.
	others map[int64]Member
	flush  *time.Timer
	// snapshot caches the rendered announced list until it next changes:
	// a burst of joins would otherwise render it once per new stream.
	snapshot *Event
}

type member struct {
	Member
	conns int
	leave *time.Timer
}

func newPresence() presence {
	return presence{members: make(map[int64]*member), announced: make(map[int64]Member)}
}

// setOthersUntold sets the others of a room nobody has been told of yet:
// they go straight into its first snapshot.
func (p *presence) setOthersUntold(others map[int64]Member) {
	p.others = others
	maps.Copy(p.announced, others)
}

// snapshot is the event a new subscriber starts with. r.mu is held.
func (h *Hub) snapshot(roomID int64, r *room) (*Event, bool) {
	if h.opts.Renderer == nil {
		return nil, false
	}
	if r.snapshot == nil {
		r.snapshot = h.seal(h.opts.Renderer.Snapshot(roomID, sortedMembers(r.announced)))
	}
	return r.snapshot, true
}

// arrive counts a new stream of m: the first puts m online, and one within
// the leave grace keeps m there. r.mu is held.
func (h *Hub) arrive(roomID int64, r *room, m Member) {
	mem := r.members[m.UserID]
	if mem == nil {
		mem = &member{Member: m}
		r.members[m.UserID] = mem
		h.scheduleFlush(roomID, r)
		if h.relay != nil {
			h.relay.Present(roomID, m)
		}
	}
	if mem.leave != nil {
		mem.leave.Stop()
		mem.leave = nil
	}
	mem.conns++
}

// depart counts a closed stream of user: the last one takes them offline,
// after the leave grace. r.mu is held.
func (h *Hub) depart(roomID int64, r *room, userID int64) {
	mem := r.members[userID]
	if mem == nil {
		return
	}
	mem.conns--
	if mem.conns > 0 {
		return
	}
	if h.opts.LeaveGrace == 0 {
		h.leave(roomID, r, mem)
		return
	}
	mem.leave = time.AfterFunc(h.opts.LeaveGrace, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if mem.conns == 0 && r.members[mem.UserID] == mem {
			h.leave(roomID, r, mem)
		}
	})
}

// leave takes mem off the room's online list. r.mu is held.
func (h *Hub) leave(roomID int64, r *room, mem *member) {
	mem.leave = nil
	delete(r.members, mem.UserID)
	h.scheduleFlush(roomID, r)
	if h.relay != nil {
		h.relay.Absent(roomID, mem.Member)
	}
}

// UpdateMember changes how a user online here shows (a new display name or
// picture) in every room they are online in here, on every instance: each
// room's subscribers get it as part of one coalesced delta. A user with no
// stream here is left alone.
func (h *Hub) UpdateMember(m Member) {
	h.mu.Lock()
	var rooms []int64
	for s := range h.users[m.UserID] {
		if !slices.Contains(rooms, s.room) {
			rooms = append(rooms, s.room)
		}
	}
	h.mu.Unlock()
	for _, id := range rooms {
		r := h.lockRoom(id)
		if r == nil {
			continue
		}
		if mem := r.members[m.UserID]; mem != nil && mem.Member != m {
			mem.Member = m
			h.scheduleFlush(id, r)
			if h.relay != nil {
				h.relay.Present(id, m)
			}
		}
		r.mu.Unlock()
	}
}

// UserHere reports whether the user has a stream on this instance.
func (h *Hub) UserHere(userID int64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.users[userID]) > 0
}

// SetOthers replaces who is online in room on other instances (a Relay
// calls it); the difference reaches the room's subscribers as one
// coalesced delta.
func (h *Hub) SetOthers(roomID int64, others map[int64]Member) {
	r := h.lockRoom(roomID)
	if r == nil {
		return
	}
	defer r.mu.Unlock()
	if maps.Equal(r.others, others) {
		return
	}
	r.others = others
	h.scheduleFlush(roomID, r)
}

// scheduleFlush arranges one delta for the changes gathering now. r.mu is held.
func (h *Hub) scheduleFlush(roomID int64, r *room) {
	if r.flush != nil {
		return
	}
	r.flush = time.AfterFunc(h.opts.Coalesce, func() { h.flushPresence(roomID, r) })
}

func (h *Hub) flushPresence(roomID int64, r *room) {
	r.mu.Lock()
	r.flush = nil
	var joined, left []Member
	// One online here shows as here (with their picture); one changed
	// (UpdateMember, or renamed elsewhere) leaves and joins again in the
	// same delta, which redraws their entry.
	tell := func(id int64, m Member) {
		was, ok := r.announced[id]
		if ok && was == m {
			return
		}
		if ok {
			left = append(left, was)
		}
		joined = append(joined, m)
		r.announced[id] = m
	}
	for id, m := range r.members {
		tell(id, m.Member)
	}
	for id, m := range r.others {
		if _, here := r.members[id]; !here {
			tell(id, m)
		}
	}
	for id, m := range r.announced {
		_, here := r.members[id]
		_, elsewhere := r.others[id]
		if !here && !elsewhere {
			left = append(left, m)
			delete(r.announced, id)
		}
	}
	if (len(joined) > 0 || len(left) > 0) && h.opts.Renderer != nil {
		sortMembers(joined)
		sortMembers(left)
		r.snapshot = nil
		h.deliver(r, h.seal(h.opts.Renderer.Delta(roomID, joined, left, len(r.announced))))
	}
	empty := r.empty()
	r.mu.Unlock()
	if empty {
		h.removeIfEmpty(roomID, r)
	}
}

// empty says nobody listens to the room or is listed in it. r.mu is held.
func (r *room) empty() bool {
	return len(r.subs) == 0 && len(r.members) == 0 && len(r.announced) == 0
}

func (h *Hub) removeIfEmpty(roomID int64, r *room) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if h.rooms[roomID] == r && r.empty() && r.flush == nil {
		delete(h.rooms, roomID)
	}
}

// Online returns who the room's subscribers have been told is online.
func (h *Hub) Online(roomID int64) []Member {
	r := h.lockRoom(roomID)
	if r == nil {
		return nil
	}
	defer r.mu.Unlock()
	return sortedMembers(r.announced)
}

// OnlineCounts returns the number online in every room that has anyone, by
// room id.
func (h *Hub) OnlineCounts() map[int64]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	counts := make(map[int64]int, len(h.rooms))
	for id, r := range h.rooms {
		r.mu.Lock()
		if n := len(r.announced); n > 0 {
			counts[id] = n
		}
		r.mu.Unlock()
	}
	return counts
}

func sortedMembers(m map[int64]Member) []Member {
	out := make([]Member, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sortMembers(out)
	return out
}

func sortMembers(ms []Member) {
	slices.SortFunc(ms, func(a, b Member) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return int(a.UserID - b.UserID)
	})
}
