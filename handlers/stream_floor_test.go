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
	const conns = 2000
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	servers := make([]net.Conn, 0, conns)
	var readers sync.WaitGroup
	for range conns {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			b.Skipf("cannot open %d connections: %v", conns, err)
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
	var inWrite time.Duration
	cpu0 := processCPU()
	b.ResetTimer()
	for i := range b.N {
		t := time.Now()
		if _, err := servers[i%conns].Write(frame); err != nil {
			b.Fatal(err)
		}
		inWrite += time.Since(t)
	}
	b.StopTimer()
	cpu := processCPU() - cpu0
	b.ReportMetric(float64(inWrite.Microseconds())/float64(b.N), "write-µs/op")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
	for _, s := range servers {
		s.Close()
	}
	readers.Wait()
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
