package main

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// histogram records durations in microseconds in log-linear buckets (32 per
// power of two, so within about 3%), safe for concurrent use without a
// lock: a million samples cost a few kilobytes, not megabytes.
type histogram struct {
	counts [36 * subBuckets]atomic.Uint64
	n      atomic.Uint64
	max    atomic.Int64
}

const (
	subBits    = 5
	subBuckets = 1 << subBits
)

func bucketOf(us uint64) int {
	if us < 2*subBuckets {
		return int(us)
	}
	shift := bits.Len64(us) - subBits - 1
	i := shift*subBuckets + int(us>>shift)
	if i >= len(histogram{}.counts) {
		i = len(histogram{}.counts) - 1
	}
	return i
}

// bucketMid is the middle of bucket i, in microseconds.
func bucketMid(i int) uint64 {
	if i < 2*subBuckets {
		return uint64(i)
	}
	shift := i/subBuckets - 1
	mant := uint64(i - shift*subBuckets)
	lo := mant << shift
	return lo + (uint64(1)<<shift)/2
}

func (h *histogram) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d/time.Microsecond))].Add(1)
	h.n.Add(1)
	for {
		m := h.max.Load()
		if int64(d) <= m || h.max.CompareAndSwap(m, int64(d)) {
			return
		}
	}
}

// quantile returns the q-th quantile (0 < q ≤ 1); 0 if empty.
func (h *histogram) quantile(q float64) time.Duration {
	n := h.n.Load()
	if n == 0 {
		return 0
	}
	rank := uint64(q*float64(n) + 0.999999)
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen >= rank {
			d := time.Duration(bucketMid(i)) * time.Microsecond
			return min(d, time.Duration(h.max.Load()))
		}
	}
	return time.Duration(h.max.Load())
}

// bitset marks which sequence numbers of a room a stream has seen.
type bitset []uint64

func (b *bitset) set(i int64) (was bool) {
	w := int(i / 64)
	if w >= len(*b) {
		grown := make([]uint64, max(w+1, 2*len(*b)))
		copy(grown, *b)
		*b = grown
	}
	m := uint64(1) << (i % 64)
	was = (*b)[w]&m != 0
	(*b)[w] |= m
	return was
}

// missing counts bits set in want and not in b; extra counts the reverse.
func (b bitset) diff(want bitset) (missing, extra int) {
	for i := range max(len(b), len(want)) {
		var g, w uint64
		if i < len(b) {
			g = b[i]
		}
		if i < len(want) {
			w = want[i]
		}
		missing += bits.OnesCount64(w &^ g)
		extra += bits.OnesCount64(g &^ w)
	}
	return missing, extra
}
