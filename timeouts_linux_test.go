package alidomain

import (
	"context"
	"errors"
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// blackholeAddr returns a loopback address whose listener's accept queue is
// full, so that a new connection attempt gets no answer to its SYN and hangs
// until the dialer gives up. It skips the test where the kernel does not
// behave so.
func blackholeAddr(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Skipf("socket: %v", err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Skipf("bind: %v", err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Skipf("listen: %v", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Skipf("getsockname: %v", err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
	// Fill the accept queue (never accepted) until a dial hangs.
	for range 8 {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return addr
			}
			t.Skipf("filling the accept queue: %v", err)
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Skip("the accept queue never filled up")
	return ""
}

// TestDialTimeout checks, by behaviour, that newHTTPClient's dialer gives up
// after the dial timeout, and that a Client reports such a failure as not
// written: even a paid order is retried, and then fails with a transport
// error, not ErrOutcomeUnknown.
func TestDialTimeout(t *testing.T) {
	t.Parallel()
	addr := blackholeAddr(t)
	const dial = 300 * time.Millisecond
	hc := newHTTPClient(10*time.Second, dial)

	c, err := New(Options{
		Endpoint:    "http://" + addr + "/",
		Credentials: StaticCredentials("id", "secret"),
		HTTPClient:  hc,
		Retry:       RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.Redeem.Submit(context.Background(), &RedeemRequest{DomainName: "example.com", CurrentExpirationDate: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	took := time.Since(start)
	var ne net.Error
	if err == nil || errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("got %v, want a dial timeout that is not outcome-unknown", err)
	}
	// Two attempts, each cut off at the dial timeout.
	if took < 2*dial-50*time.Millisecond || took > 2*dial+time.Second {
		t.Errorf("returned after %v, want about %v (2 attempts of %v)", took, 2*dial, dial)
	}
}
