package models

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrWriterClosed is returned once the server is shutting down.
var ErrWriterClosed = errors.New("models: message writer closed")

// ErrNotAuthor is returned when someone edits a message that is not theirs.
var ErrNotAuthor = errors.New("models: not the author of that message")

// maxBatch bounds how many changes share one commit.
const maxBatch = 256

// Writer is the single writer of every change to rooms' messages: posts,
// edits, deletions and reactions. Changes queue to one goroutine that
// commits whatever has piled up in one transaction (one fsync for many),
// numbers each room's changes in order (Message.Seq), hands the changed
// messages to onCommit in that order, then answers the callers. One writer
// means SQLite never reports "database is locked" to a poster, and changes
// reach subscribers in the order they were stored. Changes to one message
// within a batch are published once, in their final state: fifty people
// clicking the same reaction at once send a handful of updates.
type Writer struct {
	store    *Store
	onCommit func([]*Message)
	reqs     chan *change

	mu      sync.RWMutex
	closed  bool
	pending sync.WaitGroup
	done    chan struct{}
}

// changeKind is what a change does.
type changeKind int

const (
	post changeKind = iota
	edit
	remove
	react
)

// change is one queued request.
type change struct {
	kind      changeKind
	roomID    int64
	msg       *Message // post: the new message; else filled with the result
	messageID int64
	userID    int64
	content   string
	emoji     string
	quota     int64 // post: the author's upload quota (0: none)
	err       chan error
}

// NewWriter starts the writer. onCommit runs on the writer goroutine after
// each commit with the changed messages in change order; it must not block
// (publishing to the hub does not).
func (s *Store) NewWriter(onCommit func([]*Message)) *Writer {
	w := &Writer{store: s, onCommit: onCommit, reqs: make(chan *change, maxBatch), done: make(chan struct{})}
	go w.loop()
	return w
}

// Post stores m (setting its ID and Seq) and returns once it is committed
// and published. m.User should be set so onCommit can render the author.
// A post to a room that no longer exists fails with ErrNotFound.
func (w *Writer) Post(ctx context.Context, m *Message) error {
	return w.PostFiles(ctx, m, 0)
}

// PostFiles is Post for a message with Attachments (bytes included), which
// are stored in the same transaction as the message, or not at all: if
// they would take the author's files past quota bytes (0: no quota), the
// post fails with a *TooLargeError and nothing is stored.
func (w *Writer) PostFiles(ctx context.Context, m *Message, quota int64) error {
	return w.do(ctx, &change{kind: post, roomID: m.RoomID, msg: m, messageID: m.ReplyToID, quota: quota})
}

// Edit replaces the text of a message of roomID that userID wrote, and
// returns it as it now is. ErrNotFound: no such message (or deleted);
// ErrNotAuthor: someone else's.
func (w *Writer) Edit(ctx context.Context, roomID, messageID, userID int64, content string) (*Message, error) {
	c := &change{kind: edit, roomID: roomID, messageID: messageID, userID: userID, content: content}
	err := w.do(ctx, c)
	return c.msg, err
}

// Delete turns a message of roomID into a tombstone and deletes its
// files. Who may delete it is
// the caller's to decide.
func (w *Writer) Delete(ctx context.Context, roomID, messageID int64) error {
	return w.do(ctx, &change{kind: remove, roomID: roomID, messageID: messageID})
}

// React toggles userID's emoji on a message of roomID, and returns the
// message as it now is.
func (w *Writer) React(ctx context.Context, roomID, messageID, userID int64, emoji string) (*Message, error) {
	c := &change{kind: react, roomID: roomID, messageID: messageID, userID: userID, emoji: emoji}
	err := w.do(ctx, c)
	return c.msg, err
}

func (w *Writer) do(ctx context.Context, c *change) error {
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return ErrWriterClosed
	}
	w.pending.Add(1)
	w.mu.RUnlock()
	defer w.pending.Done()

	c.err = make(chan error, 1)
	select {
	case w.reqs <- c:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued the change is committed whatever the caller does, so wait
	// for the answer rather than the context: a success is never lost.
	return <-c.err
}

// Close stops taking changes, finishes the queued ones and stops the writer.
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

// reactionLinger is how long a batch of nothing but reactions waits for
// more: a crowd clicking the same emoji arrives over some milliseconds,
// and every commit is one update to every reader. Posts never wait.
const reactionLinger = 30 * time.Millisecond

func (w *Writer) loop() {
	defer close(w.done)
	batch := make([]*change, 0, maxBatch)
	linger := time.NewTimer(time.Hour)
	linger.Stop()
	for c := range w.reqs {
		batch = append(batch[:0], c)
		waiting := false
	fill:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-w.reqs:
				if !ok {
					break fill
				}
				batch = append(batch, r)
				continue
			default:
			}
			if waiting || !onlyReactions(batch) {
				break
			}
			// Only reactions so far: give the crowd a moment.
			waiting = true
			linger.Reset(reactionLinger)
			for len(batch) < maxBatch {
				select {
				case r, ok := <-w.reqs:
					if !ok {
						break fill
					}
					batch = append(batch, r)
					if r.kind != react {
						break fill // a post does not wait
					}
					continue
				case <-linger.C:
				}
				break
			}
		}
		if waiting && !linger.Stop() {
			select {
			case <-linger.C:
			default:
			}
		}
		w.commit(batch)
	}
}

func onlyReactions(batch []*change) bool {
	for _, c := range batch {
		if c.kind != react {
			return false
		}
	}
	return true
}

func (w *Writer) commit(batch []*change) {
	ctx := context.Background()
	now := time.Now().UTC()
	changed, errs, err := w.store.applyChanges(ctx, batch, now)
	if err == nil {
		w.publish(changed)
		for i, c := range batch {
			c.err <- errs[i]
		}
		return
	}
	// The batch failed as a whole: try each on its own so one bad change
	// cannot fail the others.
	for _, c := range batch {
		if c.kind == post {
			c.msg.ID, c.msg.Seq = 0, 0
			for i := range c.msg.Attachments {
				c.msg.Attachments[i].ID = 0
			}
		}
		changed, errs, err := w.store.applyChanges(ctx, []*change{c}, now)
		if err != nil {
			c.err <- err
			continue
		}
		w.publish(changed)
		c.err <- errs[0]
	}
}

// publish hands what a commit changed to onCommit, if anything.
func (w *Writer) publish(changed []*Message) {
	if len(changed) > 0 {
		w.onCommit(changed)
	}
}
