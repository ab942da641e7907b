package realtime_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/realtime"
)

// The registry's benchmarks: fan-out of one published event to many
// subscribers, subscribe/close churn, and a burst of joins into one room.
// docs/benchmarks.md records their output on the reference machine.

// htmlRenderer renders presence about as the room page does: one list
// entry per member, so snapshot sizes grow with the room as they really do.
type htmlRenderer struct{}

func (htmlRenderer) Snapshot(_ int64, online []realtime.Member) realtime.Event {
	var b strings.Builder
	b.WriteString(`<section id="online" hx-swap-oob="true"><span id="online-count">` + strconv.Itoa(len(online)) + `</span><ul id="online-list">`)
	for _, m := range online {
		b.WriteString(`<li id="online-` + strconv.FormatInt(m.UserID, 10) + `" data-testid="online-member">` + m.Name + `</li>`)
	}
	b.WriteString(`</ul></section>`)
	return realtime.Event{Name: "presence", Data: b.String()}
}

func (htmlRenderer) Delta(_ int64, joined, left []realtime.Member, count int) realtime.Event {
	var b strings.Builder
	for _, m := range left {
		b.WriteString(`<li id="online-` + strconv.FormatInt(m.UserID, 10) + `" hx-swap-oob="delete"></li>`)
	}
	if len(joined) > 0 {
		b.WriteString(`<ul hx-swap-oob="beforeend:#online-list">`)
		for _, m := range joined {
			b.WriteString(`<li id="online-` + strconv.FormatInt(m.UserID, 10) + `" data-testid="online-member">` + m.Name + `</li>`)
		}
		b.WriteString(`</ul>`)
	}
	b.WriteString(`<span id="online-count" hx-swap-oob="true">` + strconv.Itoa(count) + `</span>`)
	return realtime.Event{Name: "presence", Data: b.String()}
}

// The room every benchmark publishes into, and the context its streams
// subscribe with.
const room = 1

var ctx = context.Background()

// messageHTML is about the size of one rendered chat message.
var messageHTML = `<article id="msg-1" class="msg" data-id="1" data-author="7" data-testid="message"><header><span class="author" data-testid="message-author">someone</span><time datetime="2026-01-01T00:00:00Z" title="1 Jan 2026, 00:00:00 UTC">00:00</time></header><p class="content" data-testid="message-content">` + strings.Repeat("x", 64) + `</p></article>`

// BenchmarkPublish measures fan-out: one op is one Publish into a room of
// subs subscribers, each drained by its own goroutine as a stream handler
// would. Events go out in bursts smaller than the queue, each ended by a
// marker every subscriber acknowledges, so the figure is what the hub and
// its readers sustain together without dropping anyone.
func BenchmarkPublish(b *testing.B) {
	for _, subs := range []int{1, 100, 2000} {
		b.Run(fmt.Sprintf("subs=%d", subs), func(b *testing.B) {
			const burst = 64
			hub := realtime.NewHub(realtime.Options{QueueSize: 256})
			defer hub.Close()
			var marks sync.WaitGroup
			var readers sync.WaitGroup
			for i := range subs {
				sub, err := hub.Subscribe(ctx, room, realtime.Member{UserID: int64(i + 1), Name: "u" + strconv.Itoa(i)}, "s")
				if err != nil {
					b.Fatal(err)
				}
				readers.Go(func() {
					for ev := range sub.C() {
						if ev.Name == "mark" {
							marks.Done()
						}
					}
				})
			}
			ev := realtime.Event{Name: "message", Data: messageHTML}
			b.ResetTimer()
			for sent := 0; sent < b.N; {
				n := min(burst, b.N-sent)
				marks.Add(subs)
				for range n {
					ev.ID++
					hub.Publish(room, ev)
				}
				hub.Publish(room, realtime.Event{Name: "mark"})
				marks.Wait()
				sent += n
			}
			b.StopTimer()
			if d := hub.Stats().Dropped; d > 0 {
				b.Fatalf("%d subscribers dropped", d)
			}
			b.ReportMetric(float64(b.N)*float64(subs)/b.Elapsed().Seconds(), "deliveries/s")
			hub.Close()
			readers.Wait()
		})
	}
}

// BenchmarkPublishOnly is Publish alone, with queues deep enough never to
// fill and nobody reading: the cost the poster's goroutine pays under the
// room lock, without the readers' wake-ups.
func BenchmarkPublishOnly(b *testing.B) {
	for _, subs := range []int{1, 100, 2000} {
		b.Run(fmt.Sprintf("subs=%d", subs), func(b *testing.B) {
			const rounds = 200
			ev := realtime.Event{Name: "message", Data: messageHTML}
			var elapsed time.Duration
			for done := 0; done < b.N; done += rounds {
				hub := realtime.NewHub(realtime.Options{QueueSize: rounds})
				for i := range subs {
					if _, err := hub.Subscribe(ctx, room, realtime.Member{UserID: int64(i + 1), Name: "u"}, "s"); err != nil {
						b.Fatal(err)
					}
				}
				n := min(rounds, b.N-done)
				start := time.Now()
				for range n {
					hub.Publish(room, ev)
				}
				elapsed += time.Since(start)
				hub.Close()
			}
			// Setting up and closing hubs is left out of the figures.
			b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N), "ns/op")
			b.ReportMetric(float64(b.N)*float64(subs)/elapsed.Seconds(), "deliveries/s")
		})
	}
}

// BenchmarkSubscribeClose is stream churn: one op opens and closes a
// stream (presence on, no leave grace) in a room that already has others
// subscribers, whose readers take the presence updates.
func BenchmarkSubscribeClose(b *testing.B) {
	for _, others := range []int{0, 2000} {
		b.Run(fmt.Sprintf("others=%d", others), func(b *testing.B) {
			hub := realtime.NewHub(realtime.Options{Renderer: htmlRenderer{}})
			var readers sync.WaitGroup
			for i := range others {
				sub, err := hub.Subscribe(ctx, room, realtime.Member{UserID: int64(i + 1), Name: "member" + strconv.Itoa(i)}, "s")
				if err != nil {
					b.Fatal(err)
				}
				readers.Go(func() {
					for range sub.C() {
					}
				})
			}
			var id atomic.Int64
			id.Store(1 << 20)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					uid := id.Add(1)
					sub, err := hub.Subscribe(ctx, room, realtime.Member{UserID: uid, Name: "churn"}, "c")
					if err != nil {
						b.Error(err)
						return
					}
					<-sub.C() // the snapshot
					sub.Close()
				}
			})
			b.StopTimer()
			hub.Close()
			readers.Wait()
		})
	}
}

// BenchmarkJoinBurst is 2,000 users opening a stream into one room at
// once, each with a reader, until the room's online list holds all of them.
// One op is the whole burst. It reports how many presence events and bytes
// that costs per join: each new stream gets one snapshot, and joins that
// arrive within the coalescing window share one delta.
func BenchmarkJoinBurst(b *testing.B) {
	const joins = 2000
	for _, coalesce := range []time.Duration{10 * time.Millisecond, 100 * time.Millisecond} {
		b.Run("coalesce="+coalesce.String(), func(b *testing.B) {
			var events, bytes atomic.Int64
			for range b.N {
				hub := realtime.NewHub(realtime.Options{Renderer: htmlRenderer{}, Coalesce: coalesce})
				var readers sync.WaitGroup
				for i := range joins {
					sub, err := hub.Subscribe(ctx, room, realtime.Member{UserID: int64(i + 1), Name: "member" + strconv.Itoa(i)}, "s")
					if err != nil {
						b.Fatal(err)
					}
					readers.Go(func() {
						var n, size int64
						for ev := range sub.C() {
							n++
							size += int64(len(ev.Data))
						}
						events.Add(n)
						bytes.Add(size)
					})
				}
				for len(hub.Online(room)) < joins {
					time.Sleep(time.Millisecond)
				}
				b.StopTimer()
				hub.Close()
				readers.Wait()
				b.StartTimer()
			}
			total := float64(b.N) * joins
			b.ReportMetric(b.Elapsed().Seconds()*1e9/total, "ns/join")
			b.ReportMetric(float64(events.Load())/total, "events/join")
			b.ReportMetric(float64(bytes.Load())/total, "bytes/join")
		})
	}
}
