package alidomain

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/alidomain/alidomain/alidomaintest"
)

// TestDefaultHTTPClientSettings checks the timeouts of the HTTP client a
// Client gets when Options.HTTPClient is nil.
func TestDefaultHTTPClientSettings(t *testing.T) {
	c, err := New(Options{Credentials: StaticCredentials("id", "secret")})
	if err != nil {
		t.Fatal(err)
	}
	hc, ok := c.Options().HTTPClient.(*http.Client)
	if !ok {
		t.Fatalf("HTTPClient is %T, want an *http.Client", c.Options().HTTPClient)
	}
	if hc.Transport != defaultTransport {
		t.Fatalf("Transport is %T, want the shared default transport (one connection pool)", hc.Transport)
	}
	if !c.derived.traced {
		t.Error("the default client is not known to report httptrace events")
	}
	if hc.Timeout != DefaultAttemptTimeout {
		t.Errorf("Timeout %v, want DefaultAttemptTimeout %v", hc.Timeout, DefaultAttemptTimeout)
	}
	tr, ok := hc.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("Transport is %T, want *http.Transport (the write-proof needs it)", hc.Transport)
	}
	if tr.TLSHandshakeTimeout != DefaultDialTimeout {
		t.Errorf("TLSHandshakeTimeout %v, want DefaultDialTimeout %v", tr.TLSHandshakeTimeout, DefaultDialTimeout)
	}
	if tr.ResponseHeaderTimeout != DefaultAttemptTimeout {
		t.Errorf("ResponseHeaderTimeout %v, want DefaultAttemptTimeout %v", tr.ResponseHeaderTimeout, DefaultAttemptTimeout)
	}
	if tr.DialContext == nil {
		t.Error("no DialContext: the dial timeout is not applied")
	}
	if tr.Proxy == nil {
		t.Error("the environment's proxy settings are ignored")
	}
	if hc.CheckRedirect == nil || hc.CheckRedirect(nil, nil) != http.ErrUseLastResponse {
		t.Error("redirects are followed: a POST would be replayed elsewhere")
	}
	if DefaultAttemptTimeout <= 0 || DefaultDialTimeout <= 0 || DefaultDialTimeout > DefaultAttemptTimeout {
		t.Errorf("DefaultAttemptTimeout %v, DefaultDialTimeout %v", DefaultAttemptTimeout, DefaultDialTimeout)
	}
}

// timeoutFixture is a simulator with a task to read, and a Client that
// uses newHTTPClient with the given timeouts and makes one attempt.
func timeoutFixture(t *testing.T, attempt, dial time.Duration) (*Client, *alidomaintest.Server, string, *http.Transport) {
	t.Helper()
	srv := alidomaintest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddDomain(timeoutDomain, timeoutExpires, alidomaintest.NeedsRedemption())
	hc := newHTTPClient(attempt, dial)
	tr := hc.Transport.(*http.Transport)
	t.Cleanup(tr.CloseIdleConnections)
	c, err := New(Options{
		Endpoint:    srv.URL,
		Credentials: StaticCredentials(srv.AccessKeyID, srv.AccessKeySecret),
		HTTPClient:  hc,
		Retry:       RetryPolicy{MaxAttempts: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Redeem.Submit(context.Background(), &RedeemRequest{DomainName: timeoutDomain, CurrentExpirationDate: timeoutExpires})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv, res.TaskNo, tr
}

const timeoutDomain = "slow-loris.com"

var timeoutExpires = time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)

// TestAttemptTimeoutCutsOffSlowBody: a server that trickles its answer one
// byte a second is cut off at the attempt timeout (2 s here), for a read
// (a transport error, not retried with MaxAttempts 1) and for a paid order
// (outcome unknown; the simulator did place it).
func TestAttemptTimeoutCutsOffSlowBody(t *testing.T) {
	t.Parallel()
	c, srv, taskNo, _ := timeoutFixture(t, 2*time.Second, time.Second)
	srv.Inject(alidomaintest.ActionQueryTaskDetailList, alidomaintest.SlowBody(time.Second))
	srv.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.SlowBody(time.Second))

	var wg sync.WaitGroup
	var readErr, writeErr error
	var readTook, writeTook time.Duration
	wg.Add(2)
	go func() {
		defer wg.Done()
		start := time.Now()
		_, readErr = c.Tasks.ListDetails(context.Background(), &ListTaskDetailsRequest{TaskNo: taskNo})
		readTook = time.Since(start)
	}()
	go func() {
		defer wg.Done()
		start := time.Now()
		_, writeErr = c.Redeem.SubmitBatch(context.Background(), &BatchRedeemRequest{Domains: []RedeemDomain{{DomainName: timeoutDomain, CurrentExpirationDate: timeoutExpires}}})
		writeTook = time.Since(start)
	}()
	wg.Wait()

	var netErr net.Error
	if !errors.As(readErr, &netErr) || !netErr.Timeout() {
		t.Errorf("read: got %v, want a timeout", readErr)
	}
	if errors.Is(readErr, ErrOutcomeUnknown) {
		t.Errorf("read: %v is outcome-unknown", readErr)
	}
	if !errors.Is(writeErr, ErrOutcomeUnknown) {
		t.Errorf("write: got %v, want ErrOutcomeUnknown", writeErr)
	}
	for name, took := range map[string]time.Duration{"read": readTook, "write": writeTook} {
		if took < 1900*time.Millisecond || took > 3*time.Second {
			t.Errorf("%s returned after %v, want about 2s (the attempt timeout)", name, took)
		}
	}
	srv.Close()
	if got := srv.Requests(alidomaintest.ActionQueryTaskDetailList); got != 1 {
		t.Errorf("the read was sent %d times, want 1", got)
	}
	if got := srv.Submissions(timeoutDomain); got != 2 {
		t.Errorf("%d orders submitted, want 2 (the setup's and the slow one's)", got)
	}
}

// TestAttemptTimeoutCutsOffHeldRequest: a server that holds the request
// without answering is cut off at the attempt timeout.
func TestAttemptTimeoutCutsOffHeldRequest(t *testing.T) {
	t.Parallel()
	c, srv, _, _ := timeoutFixture(t, time.Second, time.Second)
	srv.Inject(alidomaintest.ActionSaveSingleTaskForCreatingOrderRedeem, alidomaintest.Delay(time.Minute))
	start := time.Now()
	_, err := c.Redeem.Submit(context.Background(), &RedeemRequest{DomainName: timeoutDomain, CurrentExpirationDate: timeoutExpires})
	took := time.Since(start)
	var netErr net.Error
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Errorf("got %v, want ErrOutcomeUnknown wrapping a timeout", err)
	}
	if took < 900*time.Millisecond || took > 2*time.Second {
		t.Errorf("returned after %v, want about 1s", took)
	}
	srv.Close()
	if got := srv.Orders(timeoutDomain); got != 1 {
		t.Errorf("%d orders, want 1 (the setup's; the held one was abandoned)", got)
	}
}
