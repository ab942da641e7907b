package models

import (
	"context"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// ReadMarks stores how far people have read. Marks queue to one goroutine
// that commits whatever has piled up in one transaction, as the Writer does
// for messages, and at most every readCommitEvery: a room full of readers
// reaching the bottom at once costs one commit (one fsync), not one each,
// and never holds up the posts that share SQLite's one write connection
// for long.
type ReadMarks struct {
	store *Store
	reqs  chan *markReq

	mu      sync.RWMutex
	closed  bool
	pending sync.WaitGroup
	done    chan struct{}
}

type markReq struct {
	readMark
	err chan error
}

// NewReadMarks starts the goroutine that stores read marks.
func (s *Store) NewReadMarks() *ReadMarks {
	r := &ReadMarks{store: s, reqs: make(chan *markReq, maxBatch), done: make(chan struct{})}
	go r.loop()
	return r
}

// Mark records that userID has read roomID up to message lastID, and clears
// their mentions up to it. A mark never moves back. It returns once the
// mark is committed; a room that no longer exists is a failure.
func (r *ReadMarks) Mark(ctx context.Context, userID, roomID, lastID int64) error {
	r.mu.RLock()
	if r.closed {
		r.mu.RUnlock()
		return ErrWriterClosed
	}
	r.pending.Add(1)
	r.mu.RUnlock()
	defer r.pending.Done()

	req := &markReq{readMark: readMark{userID: userID, roomID: roomID, lastID: lastID}, err: make(chan error, 1)}
	select {
	case r.reqs <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-req.err
}

// Close stores the marks queued and stops.
func (r *ReadMarks) Close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		<-r.done
		return
	}
	r.closed = true
	r.mu.Unlock()
	r.pending.Wait()
	close(r.reqs)
	<-r.done
}

// readCommitEvery spaces the commits of read marks: a lone mark is stored
// at once, but a steady flow of them (2,000 readers of a busy room) makes
// at most 20 commits a second, each carrying all that arrived meanwhile,
// and leaves SQLite's one write connection to the posts in between.
const readCommitEvery = 50 * time.Millisecond

func (r *ReadMarks) loop() {
	defer close(r.done)
	batch := make([]*markReq, 0, maxBatch)
	var last time.Time
	for req := range r.reqs {
		batch = append(batch[:0], req)
		wait := time.NewTimer(time.Until(last.Add(readCommitEvery)))
	fill:
		for len(batch) < maxBatch {
			select {
			case more, ok := <-r.reqs:
				if !ok {
					break fill
				}
				batch = append(batch, more)
				continue
			default:
			}
			select {
			case more, ok := <-r.reqs:
				if !ok {
					break fill
				}
				batch = append(batch, more)
			case <-wait.C:
				break fill
			}
		}
		wait.Stop()
		r.commit(batch)
		last = time.Now()
	}
}

// commit stores a batch in one transaction; if that fails (one mark naming
// a room deleted meanwhile, say), each mark is tried on its own so the
// others still hold.
func (r *ReadMarks) commit(batch []*markReq) {
	ctx := context.Background()
	now := time.Now().UTC()
	save := func(reqs []*markReq) error {
		marks := make([]readMark, len(reqs))
		for i, q := range reqs {
			marks[i] = q.readMark
		}
		return r.store.w.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return r.store.saveReads(ctx, tx, marks, now)
		})
	}
	if err := save(batch); err == nil || len(batch) == 1 {
		for _, q := range batch {
			q.err <- err
		}
		return
	}
	for _, q := range batch {
		q.err <- save([]*markReq{q})
	}
}
