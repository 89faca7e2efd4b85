//go:build unix

package bench

import (
	"syscall"
	"time"
)

// cpuTime is the user and system CPU time the process has used, in
// seconds (0 where it cannot be read).
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
