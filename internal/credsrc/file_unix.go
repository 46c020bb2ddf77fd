//go:build unix

package credsrc

import "syscall"

// openNonblock makes opening a file that was swapped for a FIFO after it was
// checked return at once instead of waiting for a writer.
const openNonblock = syscall.O_NONBLOCK
