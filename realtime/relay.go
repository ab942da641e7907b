package realtime

import "context"

// Relay links a hub with the hubs of other instances (package
// realtime/cluster). The hub tells it what happens here; it drives the hub
// back with Deliver, DeliverUser, DeliverAll, SetOthers and EndLocal.
// Its methods return quickly, except Join, which may wait on the network
// until ctx ends. The hub never closes its relay: the relay's owner does,
// after closing the hub and after the last Publish.
type Relay interface {
	// Start is called once, by NewHub, with the hub to drive.
	Start(h *Hub)
	// Join is called before a stream opens in room, and Leave after each
	// one closes (or failed to open after Join). An error from Join
	// refuses the stream.
	Join(ctx context.Context, room int64) error
	Leave(room int64)
	// Others is who is online in room on other instances, as last heard;
	// the hub reads it when it starts a room's online list.
	Others(room int64) map[int64]Member
	// Publish takes over an event published here: the relay delivers it
	// here (Hub.Deliver) in room order, and to the other instances.
	Publish(room int64, ev Event)
	// Present and Absent say a member came online, or went offline, here.
	Present(room int64, m Member)
	Absent(room int64, m Member)
	// PublishUser and Broadcast take events for one user's streams, or for
	// every stream, to the other instances (which DeliverUser, DeliverAll).
	PublishUser(user int64, ev Event)
	Broadcast(ev Event)
	// End ends the matching streams on the other instances (Hub.End).
	End(e Ending)
}
