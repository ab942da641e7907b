package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is the process under test, spawned or given by -url and -pid.
type server struct {
	url  string
	pid  int
	cmd  *exec.Cmd
	dirs []string // the binary and log; the database, if elsewhere
	log  *os.File
}

func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return fmt.Errorf("-url %q: want http://HOST:PORT", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-url %q: loopback addresses only", raw)
	}
	return nil
}

// spawnServer builds the server into a temporary directory and starts it on
// a free loopback port with a fresh database. It inherits this process's
// raised file limit.
func spawnServer(ctx context.Context, cfg config) (*server, error) {
	// The binary stays out of -db-dir: mapped from tmpfs it would count
	// in the server's resident memory.
	dir, err := os.MkdirTemp("", "loadgen-")
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "minidiscord")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, cfg.pkg)
	if out, err := build.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("go build %s: %w\n%s", cfg.pkg, err, out)
	}
	dbDir := dir
	if cfg.dbDir != "" {
		if dbDir, err = os.MkdirTemp(cfg.dbDir, "loadgen-"); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()

	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		os.RemoveAll(dir)
		os.RemoveAll(dbDir)
		return nil, err
	}
	args := []string{"-addr", addr, "-db", filepath.Join(dbDir, "bench.db"), "-bcrypt-cost", "4"}
	args = append(args, strings.Fields(cfg.sargs)...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "MINIDISCORD_RATE_LIMITS=off", "MINIDISCORD_BCRYPT_COST=4")
	cmd.Stdout = logf
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		os.RemoveAll(dir)
		os.RemoveAll(dbDir)
		return nil, err
	}
	s := &server{url: "http://" + addr, pid: cmd.Process.Pid, cmd: cmd, dirs: []string{dir, dbDir}, log: logf}
	if err := s.waitReady(ctx, 20*time.Second); err != nil {
		s.stop(cfg.keep)
		return nil, err
	}
	return s, nil
}

func (s *server) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	c := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if resp, err := c.Get(s.url + "/"); err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("server at %s not answering after %s; see %s", s.url, limit, s.log.Name())
}

// stop sends SIGTERM and reports how long the server took to exit. A
// server still running after 15 s is killed.
func (s *server) stop(keep bool) (time.Duration, error) {
	if s.cmd == nil {
		return 0, nil
	}
	start := time.Now()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		err = errors.Join(errors.New("server did not exit within 15 s of SIGTERM; killed"), <-done)
	}
	took := time.Since(start)
	s.log.Close()
	for _, d := range slices.Compact(s.dirs) {
		if keep {
			fmt.Fprintf(os.Stderr, "loadgen: kept %s\n", d)
		} else {
			os.RemoveAll(d)
		}
	}
	return took, err
}

// rssKB reads a process's resident memory (VmRSS) and its peak (VmHWM).
func rssKB(pid int) (rss, hwm int64) {
	if pid <= 0 {
		return 0, 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = n
		case "VmHWM:":
			hwm = n
		}
	}
	return rss, hwm
}

// cpuTime is the user+system CPU a process has used so far.
func cpuTime(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name may hold spaces; fields are counted after its ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ is 100 on Linux
}
