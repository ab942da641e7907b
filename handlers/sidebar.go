package handlers

import (
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/minidiscord/minidiscord/models"
	"github.com/minidiscord/minidiscord/realtime"
	"github.com/minidiscord/minidiscord/views"
)

// The live sidebar. Every page with a stream keeps its rooms list current
// from three kinds of event, all on the stream it already has:
//
//   - "rooms", broadcast to every stream at most once per ActivityEvery: for
//     each room that changed, its online count and the ids and authors of
//     the messages posted or deleted since. The page counts the ones that
//     are not its reader's; one broadcast a second carries every room, so a
//     busy room costs each stream one event a second, not one per message.
//   - "unread", to one user's streams: a room's state for them as stored
//     (read up to, newest id, unread and mention counts). A full one, for
//     every room, opens each stream, so a page that reconnects ends with
//     what a reload would show; a read sends the one room at once to the
//     reader's other tabs and devices.
//   - "mention" and "unmention", to the user mentioned, at once.
//
// An "unread" state covers every message up to its "last" id; the page adds
// the posts above it that it hears of, so a state and the posts it already
// counts never add up twice, whatever order they arrive in.
//
// A private room's or DM's activity goes to its members only (PublishUser),
// not in the broadcast (broadcastActivity).

// SSE event names of the sidebar and the typing indicator.
const (
	eventRooms     = "rooms"
	eventUnread    = "unread"
	eventMention   = "mention"
	eventUnmention = "unmention"
	eventTyping    = "typing"
)

// roomNews is what one room did since the last broadcast.
type roomNews struct {
	ID     int64      `json:"id"`
	Online *int       `json:"online,omitempty"`
	Posts  [][2]int64 `json:"posts,omitempty"` // [message id, author id]
	More   int        `json:"more,omitempty"`  // posts beyond those listed
	Gone   [][2]int64 `json:"gone,omitempty"`  // deleted: [message id, author id]
}

// unreadRoom is one room as one user's sidebar shows it.
type unreadRoom struct {
	ID       int64 `json:"id"`
	Opened   bool  `json:"opened"`
	Read     int64 `json:"read"`
	Last     int64 `json:"last"`
	Unread   int   `json:"unread"`
	Mentions int   `json:"mentions"`
	Online   *int  `json:"online,omitempty"`
}

type unreadEvent struct {
	// Full says every room the user may see is listed.
	Full  bool         `json:"full,omitempty"`
	Rooms []unreadRoom `json:"rooms"`
}

type mentionEvent struct {
	Room   int64  `json:"room"`
	ID     int64  `json:"id"`
	Author string `json:"author,omitempty"`
	Text   string `json:"text,omitempty"` // the start of the message, for a notification
	Edited bool   `json:"edited,omitempty"`
}

// activity gathers the rooms' news and broadcasts it at most once per
// every: the first news after a quiet spell goes out after a short gather,
// the rest at most once per every.
type activity struct {
	every  time.Duration
	gather time.Duration
	send   func(rooms []*roomNews)

	mu     sync.Mutex
	news   map[int64]*roomNews
	timer  *time.Timer
	sent   time.Time
	closed bool
	taken  uint64 // flushes that took their news

	// Sending may read the database (who is in a private room), so two
	// flushes can overlap: each waits its turn, in the order they took
	// their news (sendMu, turn).
	sendMu   sync.Mutex
	sendCond *sync.Cond
	turn     uint64
}

func newActivity(every time.Duration, send func(rooms []*roomNews)) *activity {
	a := &activity{every: every, gather: min(every/10, 100*time.Millisecond), send: send, news: make(map[int64]*roomNews)}
	a.sendCond = sync.NewCond(&a.sendMu)
	return a
}

// room returns the news of a room being gathered, and makes sure it will
// be sent. a.mu is held.
func (a *activity) room(id int64) *roomNews {
	n := a.news[id]
	if n == nil {
		n = &roomNews{ID: id}
		a.news[id] = n
	}
	if a.timer == nil && !a.closed {
		wait := max(a.gather, time.Until(a.sent.Add(a.every)))
		a.timer = time.AfterFunc(wait, a.flush)
	}
	return n
}

// posted notes a new message.
func (a *activity) posted(roomID, id, author int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := a.room(roomID)
	if len(n.Posts) < models.UnreadCap {
		n.Posts = append(n.Posts, [2]int64{id, author})
	} else {
		n.More++
	}
}

// deleted notes a deleted message.
func (a *activity) deleted(roomID, id, author int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := a.room(roomID)
	if len(n.Gone) < models.UnreadCap {
		n.Gone = append(n.Gone, [2]int64{id, author})
	}
}

// online notes a room's new online count.
func (a *activity) online(roomID int64, count int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.room(roomID).Online = &count
}

// flush broadcasts what was gathered. Only the timer calls it, and the next
// timer is set by news arriving after this one took its own, at least
// every later; broadcasts leave in the order they were taken.
func (a *activity) flush() {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return
	}
	rooms := make([]*roomNews, 0, len(a.news))
	for _, n := range a.news {
		rooms = append(rooms, n)
	}
	a.news = make(map[int64]*roomNews)
	a.timer = nil
	a.sent = time.Now()
	mine := a.taken
	a.taken++
	a.mu.Unlock()

	slices.SortFunc(rooms, func(x, y *roomNews) int { return int(x.ID - y.ID) })
	a.sendMu.Lock()
	for a.turn != mine {
		a.sendCond.Wait()
	}
	a.sendMu.Unlock()
	a.send(rooms)
	a.sendMu.Lock()
	a.turn++
	a.sendCond.Broadcast()
	a.sendMu.Unlock()
}

// roomsEvent is the data of a "rooms" event.
type roomsEvent struct {
	Rooms []*roomNews `json:"rooms"`
}

// Close stops the broadcasts.
func (a *activity) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	if a.timer != nil {
		a.timer.Stop()
	}
}

// broadcastActivity sends the public rooms' news to every stream, and a
// private room's or DM's to its members only: nobody else learns it
// exists, who is in it, or that it is busy.
func (h *Handler) broadcastActivity(rooms []*roomNews) {
	ids := make([]int64, len(rooms))
	for i, n := range rooms {
		ids[i] = n.ID
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	members, err := h.store.MemberIDs(ctx, ids)
	if err != nil {
		// Not knowing who may hear of which room, tell nobody of any.
		h.log.Error("rooms' activity", "err", err)
		return
	}
	private, err := h.store.PrivateRoomIDs(ctx, ids)
	if err != nil {
		h.log.Error("rooms' activity", "err", err)
		return
	}
	var public []*roomNews
	perUser := make(map[int64][]*roomNews)
	for _, n := range rooms {
		if !private[n.ID] {
			public = append(public, n)
			continue
		}
		for _, u := range members[n.ID] {
			perUser[u] = append(perUser[u], n)
		}
	}
	if len(public) > 0 {
		if data, err := json.Marshal(roomsEvent{public}); err == nil {
			h.hub.Broadcast(realtime.Event{Name: eventRooms, Data: string(data)})
		}
	}
	for u, news := range perUser {
		h.publishUser(u, eventRooms, roomsEvent{news})
	}
}

// noteAttention runs on the writer after each commit, beside
// publishMessages: the rooms' news for every sidebar, a mention at once
// to the person mentioned, and the end of the author's typing.
func (h *Handler) noteAttention(msgs []*models.Message) {
	for _, m := range msgs {
		switch {
		case m.Deleted():
			h.activity.deleted(m.RoomID, m.ID, m.UserID)
		case m.Posted:
			h.activity.posted(m.RoomID, m.ID, m.UserID)
			h.typing.Stop(m.RoomID, m.UserID)
		}
		for _, u := range m.NewlyMentioned {
			ev := mentionEvent{Room: m.RoomID, ID: m.ID, Author: m.Author(), Text: views.Gist(m.Content, 140), Edited: !m.Posted}
			h.publishUser(u, eventMention, ev)
		}
		for _, u := range m.Unmentioned {
			h.publishUser(u, eventUnmention, mentionEvent{Room: m.RoomID, ID: m.ID})
		}
	}
}

// publishUser sends v, as JSON, to every stream of one user.
func (h *Handler) publishUser(userID int64, name string, v any) {
	if ev, ok := h.jsonEvent(name, v); ok {
		h.hub.PublishUser(userID, ev)
	}
}

// broadcast sends v as a JSON event to every stream of every user.
func (h *Handler) broadcast(name string, v any) {
	if ev, ok := h.jsonEvent(name, v); ok {
		h.hub.Broadcast(ev)
	}
}

func (h *Handler) jsonEvent(name string, v any) (realtime.Event, bool) {
	data, err := json.Marshal(v)
	if err != nil {
		h.renderFailed(0, 0, err)
		return realtime.Event{}, false
	}
	return realtime.Event{Name: name, Data: string(data)}, true
}

// markRead stores that u has read room up to lastID and tells u's other
// pages, returning the room's state for u now.
func (h *Handler) markRead(ctx context.Context, userID, roomID, lastID int64) (models.RoomState, error) {
	if err := h.reads.Mark(ctx, userID, roomID, lastID); err != nil {
		return models.RoomState{}, err
	}
	st, err := h.store.RoomStateOf(ctx, userID, roomID)
	if err != nil {
		return models.RoomState{}, err
	}
	h.publishUser(userID, eventUnread, unreadEvent{Rooms: []unreadRoom{unreadOf(st, nil)}})
	return st, nil
}

func unreadOf(st models.RoomState, online *int) unreadRoom {
	return unreadRoom{ID: st.ID, Opened: st.Opened, Read: st.Read, Last: st.Last, Unread: st.Unread, Mentions: st.Mentions, Online: online}
}

// writeSidebar starts a stream with the user's whole sidebar as stored now,
// and, in a room, who is typing there: what a reconnecting page has missed
// of either is made good here.
func (h *Handler) writeSidebar(ctx context.Context, w io.Writer, userID, roomID int64) {
	states, err := h.store.RoomStates(ctx, userID)
	if err != nil {
		if ctx.Err() == nil {
			h.log.Error("sidebar snapshot", "user_id", userID, "err", err)
		}
		return
	}
	counts := h.hub.OnlineCounts()
	ev := unreadEvent{Full: true, Rooms: make([]unreadRoom, len(states))}
	for i, st := range states {
		n := counts[st.ID]
		ev.Rooms[i] = unreadOf(st, &n)
	}
	if data, err := json.Marshal(ev); err == nil {
		writeEvent(w, realtime.Event{Name: eventUnread, Data: string(data)})
	}
	if roomID != 0 {
		writeEvent(w, h.typingEvent(h.typing.Typists(roomID)))
	}
}

// roomItems lists the rooms userID may see (0: not logged in) for a
// sidebar or the rooms page, with who is online and the user's unread
// state.
func (h *Handler) roomItems(ctx context.Context, userID int64) ([]views.RoomItem, error) {
	states, err := h.store.RoomStates(ctx, userID)
	if err != nil {
		return nil, err
	}
	var peers map[int64]string
	if userID != 0 {
		if peers, err = h.store.DMPeers(ctx, userID); err != nil {
			return nil, err
		}
	}
	counts := h.hub.OnlineCounts()
	items := make([]views.RoomItem, len(states))
	for i, st := range states {
		items[i] = roomItem(st, counts[st.ID], peers)
	}
	return items, nil
}

func roomItem(st models.RoomState, online int, peers map[int64]string) views.RoomItem {
	return views.RoomItem{ID: st.ID, Name: st.Name, Online: online, Unread: st.Unread, Mentions: st.Mentions, New: st.New(), Kind: st.Kind, Label: peers[st.ID]}
}

// roomAdded puts a room userID may now see (a new DM, an invitation, a
// lifted ban) in the sidebars and room lists of their open pages: the
// items as a reload would draw them, then the room's unread state.
func (h *Handler) roomAdded(ctx context.Context, userID, roomID int64) {
	st, err := h.store.RoomStateOf(ctx, userID, roomID)
	if err != nil {
		h.log.Error("room added", "room", roomID, "err", err)
		return
	}
	peers, err := h.store.DMPeers(ctx, userID)
	if err != nil {
		h.log.Error("room added", "room", roomID, "err", err)
		return
	}
	ev, err := roomAddedOf(ctx, roomItem(st, h.hub.OnlineCounts()[roomID], peers))
	if err != nil {
		h.renderFailed(roomID, 0, err)
		return
	}
	h.publishUser(userID, eventRoomAdded, ev)
	h.publishUser(userID, eventUnread, unreadEvent{Rooms: []unreadRoom{unreadOf(st, nil)}})
}

// roomAddedOf is the event that puts it in sidebars and rooms lists: its
// items as a reload would draw them.
func roomAddedOf(ctx context.Context, it views.RoomItem) (roomAddedEvent, error) {
	var nav, card strings.Builder
	if err := views.RoomNavItem(it, "").Render(ctx, &nav); err != nil {
		return roomAddedEvent{}, err
	}
	if err := views.RoomCard(it).Render(ctx, &card); err != nil {
		return roomAddedEvent{}, err
	}
	return roomAddedEvent{Room: it.ID, DM: it.IsDM(), Nav: nav.String(), Card: card.String()}, nil
}

type roomAddedEvent struct {
	Room int64  `json:"room"`
	DM   bool   `json:"dm,omitempty"`
	Nav  string `json:"nav"`  // the sidebar's item
	Card string `json:"card"` // the rooms page's
}
