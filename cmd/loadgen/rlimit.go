package main

import (
	"fmt"
	"syscall"
)

// raiseFileLimit lets this process, and a server it spawns (which inherits
// the limit), hold at least need open files: every stream is a socket on
// both sides. Raising the hard limit needs root (CAP_SYS_RESOURCE); without
// it the soft limit goes up to the hard one.
func raiseFileLimit(need int) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	// Always set it, even unchanged: Go raises its own soft limit at start
	// but hands children the original one unless Setrlimit was called.
	want := max(uint64(need)+64, lim.Cur)
	if lim.Max < want {
		raised := syscall.Rlimit{Cur: want, Max: want}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised); err == nil {
			return nil
		}
	}
	lim.Cur = min(want, lim.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	if lim.Cur < want {
		return fmt.Errorf("open-file limit is %d, want %d", lim.Cur, want)
	}
	return nil
}
