package models

import (
	"context"
	"errors"
	"sync"
)

// ErrWriterClosed is returned by Post once the server is shutting down.
var ErrWriterClosed = errors.New("models: message writer closed")

// maxBatch bounds how many posts share one commit.
const maxBatch = 256

// Writer is the single writer of messages. Posts queue to one goroutine that
// commits whatever has piled up in one transaction (one fsync for many
// posts), then hands the committed batch to onCommit in id order, then
// answers the posters. One writer means SQLite never reports "database is
// locked" to a poster, and ids reach subscribers in the order they were
// stored even under concurrent posters.
type Writer struct {
	store    *Store
	onCommit func([]*Message)
	reqs     chan *writeReq

	mu      sync.RWMutex
	closed  bool
	pending sync.WaitGroup
	done    chan struct{}
}

type writeReq struct {
	msg *Message
	err chan error
}

// NewWriter starts the writer. onCommit runs on the writer goroutine after
// each commit; it must not block (publishing to the hub does not).
func (s *Store) NewWriter(onCommit func([]*Message)) *Writer {
	w := &Writer{store: s, onCommit: onCommit, reqs: make(chan *writeReq, maxBatch), done: make(chan struct{})}
	go w.loop()
	return w
}

// Post stores m (setting its ID) and returns once it is committed and
// published. m.User should be set so onCommit can render the author.
func (w *Writer) Post(ctx context.Context, m *Message) error {
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return ErrWriterClosed
	}
	w.pending.Add(1)
	w.mu.RUnlock()
	defer w.pending.Done()

	req := &writeReq{msg: m, err: make(chan error, 1)}
	select {
	case w.reqs <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued the post is committed whatever the caller does, so wait
	// for the answer rather than the context: a success is never lost.
	return <-req.err
}

// Close stops taking posts, finishes the queued ones and stops the writer.
func (w *Writer) Close() {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		<-w.done
		return
	}
	w.closed = true
	w.mu.Unlock()
	w.pending.Wait()
	close(w.reqs)
	<-w.done
}

func (w *Writer) loop() {
	defer close(w.done)
	batch := make([]*writeReq, 0, maxBatch)
	for req := range w.reqs {
		batch = append(batch[:0], req)
	fill:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-w.reqs:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		w.commit(batch)
	}
}

func (w *Writer) commit(batch []*writeReq) {
	ctx := context.Background()
	msgs := make([]*Message, len(batch))
	for i, r := range batch {
		msgs[i] = r.msg
	}
	err := w.store.insertMessages(ctx, msgs)
	if err == nil {
		w.onCommit(msgs)
		for _, r := range batch {
			r.err <- nil
		}
		return
	}
	// The batch failed as a whole: try each on its own so one bad post
	// cannot fail the others.
	for _, r := range batch {
		r.msg.ID = 0
		if err := w.store.insertMessages(ctx, []*Message{r.msg}); err != nil {
			r.err <- err
			continue
		}
		w.onCommit([]*Message{r.msg})
		r.err <- nil
	}
}
