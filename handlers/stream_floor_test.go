package handlers

import (
	"io"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"
)

// BenchmarkLoopbackWriteFloor measures what one write of an event costs
// with nothing of ours around it: one goroutine writes a 700-byte frame
// (about a chat message's) to each of 2,000 loopback TCP connections in
// turn, each read by a goroutine of its own, as a stream's client would.
// write-µs/op is the time spent inside Write per event: on loopback it
// includes the receiving side's TCP work, done in the sender's system
// call. cpu-µs/op is the whole process's CPU (both ends) per event. A
// stream that writes each event as it comes pays at least the first.
func BenchmarkLoopbackWriteFloor(b *testing.B) {
	servers, frame := loopbackConns(b, 2000)
	var inWrite time.Duration
	cpu0 := processCPU()
	b.ResetTimer()
	for i := range b.N {
		t := time.Now()
		if _, err := servers[i%len(servers)].Write(frame); err != nil {
			b.Fatal(err)
		}
		inWrite += time.Since(t)
	}
	b.StopTimer()
	cpu := processCPU() - cpu0
	b.ReportMetric(float64(inWrite.Microseconds())/float64(b.N), "write-µs/op")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
}

// BenchmarkLoopbackWriteFromGoroutines is the floor's setup written the
// way streams are: each connection has its own writer goroutine, woken by
// a channel for every event, and each event goes to all 2,000 at once.
// Its cpu-µs/op against the floor's says what one goroutine per stream
// costs over writing from a single loop (on this box: nothing; see
// docs/benchmarks.md).
func BenchmarkLoopbackWriteFromGoroutines(b *testing.B) {
	servers, frame := loopbackConns(b, 2000)
	chs := make([]chan []byte, len(servers))
	var writers, written sync.WaitGroup
	for i := range chs {
		chs[i] = make(chan []byte, 64)
		writers.Go(func() {
			for f := range chs[i] {
				if _, err := servers[i].Write(f); err != nil {
					panic(err)
				}
				written.Done()
			}
		})
	}
	cpu0 := processCPU()
	b.ResetTimer()
	n := 0
	for n < b.N {
		written.Add(len(chs))
		for _, ch := range chs {
			ch <- frame
		}
		n += len(chs)
		written.Wait()
	}
	b.StopTimer()
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(n), "cpu-µs/op")
	for _, ch := range chs {
		close(ch)
	}
	writers.Wait()
}

// loopbackConns opens n loopback TCP connections, each read to the end by
// a goroutine of its own, as a stream's client would, and returns their
// server ends (closed after b) and a 700-byte frame, about a chat
// message's.
func loopbackConns(b *testing.B, n int) ([]net.Conn, []byte) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	servers := make([]net.Conn, 0, n)
	var readers sync.WaitGroup
	b.Cleanup(func() {
		for _, s := range servers {
			s.Close()
		}
		readers.Wait()
		ln.Close()
	})
	for range n {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			b.Skipf("cannot open %d connections: %v", n, err)
		}
		s, err := ln.Accept()
		if err != nil {
			b.Fatal(err)
		}
		servers = append(servers, s)
		readers.Go(func() {
			_, _ = io.Copy(io.Discard, c)
			c.Close()
		})
	}
	frame := make([]byte, 700)
	for i := range frame {
		frame[i] = 'x'
	}
	return servers, frame
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
