//go:build unix

package benchmarks_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system, all threads) the
// process has used: with it a benchmark reports its cost in CPU time too,
// garbage collection on other threads included, which another busy process
// on the machine does not inflate the way it inflates wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
