package alidomain_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// Load test parameters. The figures it logs go in the README.
const (
	loadWorkers  = 64
	loadCalls    = 20000
	loadSeed     = 20240601
	loadDeadline = 60 * time.Second // for the whole run; every call gets it as its ctx deadline
	loadFaultP   = 0.08             // probability that a call first injects a fault on its action
	loadShortP   = 0.01             // probability that a call has a 5 ms deadline of its own
	loadMaxHeap  = 96 << 20         // HeapInuse after GC, client and simulator together
)

// loadFaults are the faults that are safe to mix: each is consumed by one
// request (or two), whichever request of the action comes next.
var loadFaults = []struct {
	name  string
	fault func() alidomaintest.Fault
}{
	{"Throttle(1)", func() alidomaintest.Fault { return alidomaintest.Throttle(1) }},
	{"Throttle(2)", func() alidomaintest.Fault { return alidomaintest.Throttle(2) }},
	{"ServiceUnavailable", alidomaintest.ServiceUnavailable},
	{"ResetBeforeCommit", alidomaintest.ResetBeforeCommit},
	{"CommitThenDrop", alidomaintest.CommitThenDrop},
	{"ServerErrorAfterCommit", alidomaintest.ServerErrorAfterCommit},
	{"MalformedBody", alidomaintest.MalformedBody},
	{"TruncatedBody", alidomaintest.TruncatedBody},
	{"EmptyBody", alidomaintest.EmptyBody},
	{"XMLBody", alidomaintest.XMLBody},
	{"WrongContentType", alidomaintest.WrongContentType},
	{"Delay(20ms)", func() alidomaintest.Fault { return alidomaintest.Delay(20 * time.Millisecond) }},
	{"DelayAfterCommit(20ms)", func() alidomaintest.Fault { return alidomaintest.DelayAfterCommit(20 * time.Millisecond) }},
}

// liveConns counts the client's open connections.
type liveConns struct {
	dialed, live atomic.Int64
	mu           sync.Mutex
	nonces       map[string]int
	seen         atomic.Int64
}

// countedConn decrements live once when closed, and records the
// SignatureNonce of every request it writes.
type countedConn struct {
	net.Conn
	lc   *liveConns
	once sync.Once
}

var nonceKey = []byte("SignatureNonce=")

func (c *countedConn) Write(p []byte) (int, error) {
	for rest := p; ; {
		i := bytes.Index(rest, nonceKey)
		if i < 0 {
			break
		}
		rest = rest[i+len(nonceKey):]
		j := bytes.IndexAny(rest, "& ")
		if j < 0 {
			break // split across writes: not counted
		}
		c.lc.seen.Add(1)
		c.lc.mu.Lock()
		c.lc.nonces[string(rest[:j])]++
		c.lc.mu.Unlock()
	}
	return c.Conn.Write(p)
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.lc.live.Add(-1) })
	return c.Conn.Close()
}

// loadTally counts what the calls saw.
type loadTally struct {
	mu         sync.Mutex
	kinds      map[string]int // by operation and outcome
	faults     map[string]int
	latencies  []time.Duration
	submitted  map[string]string // domain -> outcome of its only submission
	unexpected []string
}

func (lt *loadTally) add(op, sees string, d time.Duration) {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	lt.kinds[op+" "+sees]++
	lt.latencies = append(lt.latencies, d)
}

// TestLoad drives one Client from 64 goroutines through 20,000 calls (reads
// and paid submissions on distinct domains) against the simulator while
// faults are injected at random, then checks that every call returned in
// bounded time, no nonce was used twice, no paid order was duplicated (and
// none exists for a submission that failed definitely), and that
// goroutines, connections and memory come back down.
//
// It takes about 1 s, or 8 s with -race, on 2 cores (so it runs the full
// 20,000 calls under -race too); -short skips it.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped with -short")
	}
	baseGoroutines := runtime.NumGoroutine()
	start := time.Now()

	srv := alidomaintest.NewServer()
	defer srv.Close()
	expires := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5 {
		srv.AddDomain(fmt.Sprintf("listed-%d.com", i), expires.AddDate(0, 0, i))
	}

	lc := &liveConns{nonces: make(map[string]int, loadCalls*2)}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			lc.dialed.Add(1)
			lc.live.Add(1)
			return &countedConn{Conn: conn, lc: lc}, nil
		},
		MaxIdleConnsPerHost: loadWorkers,
	}
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    srv.URL,
		Credentials: alidomain.StaticCredentials(srv.AccessKeyID, srv.AccessKeySecret),
		HTTPClient:  &http.Client{Transport: tr, Timeout: 10 * time.Second},
		Retry:       alidomain.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), loadDeadline)
	defer cancel()
	setup, err := client.Redeem.SubmitBatch(ctx, &alidomain.BatchRedeemRequest{Domains: []alidomain.RedeemDomain{
		{DomainName: "listed-0.com", CurrentExpirationDate: expires},
		{DomainName: "listed-1.com", CurrentExpirationDate: expires.AddDate(0, 0, 1)},
	}})
	if err != nil {
		t.Fatal(err)
	}

	lt := &loadTally{
		kinds:     map[string]int{},
		faults:    map[string]int{},
		submitted: map[string]string{},
		latencies: make([]time.Duration, 0, loadCalls),
	}
	var next, domainSeq atomic.Int64
	xml := func(o *alidomain.Options) { o.Format = "XML" }
	var wg sync.WaitGroup
	for range loadWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= loadCalls {
					return
				}
				rng := rand.New(rand.NewPCG(loadSeed, uint64(i)))
				callCtx, callCancel := ctx, context.CancelFunc(func() {})
				if rng.Float64() < loadShortP {
					callCtx, callCancel = context.WithTimeout(ctx, 5*time.Millisecond)
				}
				var opts []func(*alidomain.Options)
				if rng.IntN(10) == 0 {
					opts = append(opts, xml)
				}
				var op, action string
				var domains []string
				var call func() error
				switch k := rng.IntN(10); {
				case k < 2:
					op, action = "SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem
					req := &alidomain.BatchRedeemRequest{}
					for range 1 + rng.IntN(3) {
						d := fmt.Sprintf("load-%06d.com", domainSeq.Add(1))
						domains = append(domains, d)
						req.Domains = append(req.Domains, alidomain.RedeemDomain{DomainName: d, CurrentExpirationDate: expires})
					}
					call = func() error { _, err := client.Redeem.SubmitBatch(callCtx, req, opts...); return err }
				case k < 4:
					op, action = "Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderRedeem
					d := fmt.Sprintf("load-%06d.com", domainSeq.Add(1))
					domains = append(domains, d)
					req := &alidomain.RedeemRequest{DomainName: d, CurrentExpirationDate: expires}
					call = func() error { _, err := client.Redeem.Submit(callCtx, req, opts...); return err }
				case k < 7:
					op, action = "Tasks.ListDetails", alidomaintest.ActionQueryTaskDetailList
					call = func() error {
						p, err := client.Tasks.ListDetails(callCtx, &alidomain.ListTaskDetailsRequest{TaskNo: setup.TaskNo}, opts...)
						if err == nil && len(p.Items) != 2 {
							return fmt.Errorf("ListDetails: %d items, want 2", len(p.Items))
						}
						return err
					}
				case k < 8:
					op, action = "Tasks.List", alidomaintest.ActionQueryTaskList
					call = func() error {
						_, err := client.Tasks.List(callCtx, &alidomain.ListTasksRequest{PageSize: 5}, opts...)
						return err
					}
				default:
					op, action = "Domains.List", alidomaintest.ActionQueryDomainList
					call = func() error {
						p, err := client.Domains.List(callCtx, &alidomain.ListDomainsRequest{PageSize: 5}, opts...)
						if err == nil && len(p.Items) != 5 {
							return fmt.Errorf("Domains.List: %d items, want 5", len(p.Items))
						}
						return err
					}
				}
				if rng.Float64() < loadFaultP {
					f := loadFaults[rng.IntN(len(loadFaults))]
					srv.Inject(action, f.fault())
					lt.mu.Lock()
					lt.faults[f.name]++
					lt.mu.Unlock()
				}
				t0 := time.Now()
				var err error
				func() {
					defer func() {
						if p := recover(); p != nil {
							err = fmt.Errorf("panic: %v", p)
						}
					}()
					err = call()
				}()
				elapsed := time.Since(t0)
				callCancel()
				sees := loadSees(err)
				lt.add(op, sees, elapsed)
				lt.mu.Lock()
				for _, d := range domains {
					lt.submitted[d] = sees
				}
				if sees == "other" {
					lt.unexpected = append(lt.unexpected, op+": "+err.Error())
				}
				lt.mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	// Paid orders: exactly one per successful submission, none for a
	// definite failure, at most one for an unknown outcome.
	duplicates, lost, phantom, unknownPlaced := 0, 0, 0, 0
	for d, sees := range lt.submitted {
		n := srv.Submissions(d) // a duplicate of a redeem fails at the service, but was sent
		switch {
		case n > 1:
			duplicates++
			t.Errorf("%s: %d orders for one submission (%s)", d, n, sees)
		case sees == "success" && n != 1:
			lost++
			t.Errorf("%s: success but %d orders", d, n)
		case sees == "outcome-unknown":
			unknownPlaced += n
		case sees != "success" && n != 0:
			phantom++
			t.Errorf("%s: the call failed definitely (%s) but %d order was placed", d, sees, n)
		}
	}

	// Nonces: the simulator refuses a reused one (SignatureNonceUsed, which
	// loadSees reports as "other"); the wire recording double-checks.
	lc.mu.Lock()
	reused := 0
	for _, n := range lc.nonces {
		if n > 1 {
			reused++
		}
	}
	distinct := len(lc.nonces)
	lc.mu.Unlock()
	if reused > 0 {
		t.Errorf("%d nonces were sent more than once", reused)
	}
	for i, u := range lt.unexpected {
		if i == 10 {
			t.Errorf("... and %d more unexpected errors", len(lt.unexpected)-10)
			break
		}
		t.Errorf("unexpected error: %s", u)
	}

	// Bounded time.
	slices.Sort(lt.latencies)
	pct := func(p float64) time.Duration { return lt.latencies[int(p*float64(len(lt.latencies)-1))] }
	if elapsed > loadDeadline || ctx.Err() != nil {
		t.Errorf("the run took %v, the deadline is %v", elapsed, loadDeadline)
	}
	if slowest := pct(1); slowest > 15*time.Second {
		t.Errorf("the slowest call took %v", slowest)
	}

	// Memory, with the simulator's state still alive.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapInuse > loadMaxHeap {
		t.Errorf("heap in use after GC: %d MiB, bound %d MiB", ms.HeapInuse>>20, loadMaxHeap>>20)
	}

	// Connections and goroutines come back down.
	requests := 0
	for _, a := range []string{alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.ActionSaveSingleTaskForCreatingOrderRedeem,
		alidomaintest.ActionQueryTaskDetailList, alidomaintest.ActionQueryTaskList, alidomaintest.ActionQueryDomainList} {
		requests += srv.Requests(a)
	}
	tr.CloseIdleConnections()
	live := settle(func() int64 { return lc.live.Load() }, 0)
	if live != 0 {
		t.Errorf("%d connections still open after CloseIdleConnections", live)
	}
	srv.Close()
	goroutines := settle(func() int64 { return int64(runtime.NumGoroutine()) }, int64(baseGoroutines))
	if goroutines > int64(baseGoroutines) {
		t.Errorf("goroutines: %d before, %d after", baseGoroutines, goroutines)
	}

	// The figures, in a stable format for the README.
	t.Logf("load: %d calls from %d goroutines in %.1fs (race detector: %v, GOMAXPROCS %d)", loadCalls, loadWorkers, elapsed.Seconds(), raceEnabled, runtime.GOMAXPROCS(0))
	keys := make([]string, 0, len(lt.kinds))
	for k := range lt.kinds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("load: calls %-36s %6d", k, lt.kinds[k])
	}
	nf := 0
	for _, f := range loadFaults {
		nf += lt.faults[f.name]
	}
	t.Logf("load: faults injected %d: %v", nf, fmtCounts(lt.faults))
	t.Logf("load: requests reaching the simulator %d (%.2f per call)", requests, float64(requests)/loadCalls)
	t.Logf("load: domains submitted %d; duplicated orders %d, orders missing after success %d, orders after a definite failure %d, orders placed under an unknown outcome %d",
		len(lt.submitted), duplicates, lost, phantom, unknownPlaced)
	t.Logf("load: nonces seen on the wire %d, distinct %d, reused %d", lc.seen.Load(), distinct, reused)
	t.Logf("load: latency p50 %v, p99 %v, max %v", pct(0.5).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond))
	t.Logf("load: connections dialed %d, open after CloseIdleConnections %d; goroutines %d before, %d after; heap in use after GC %d MiB",
		lc.dialed.Load(), live, baseGoroutines, goroutines, ms.HeapInuse>>20)
}

// loadSees classifies a load call's result. Anything "other" is a failure of
// the test: a reused nonce, a signature refused, a panic, a wrong page.
func loadSees(err error) string {
	var apiErr *alidomain.APIError
	var netErr net.Error
	switch {
	case err == nil:
		return "success"
	case errors.Is(err, alidomain.ErrOutcomeUnknown):
		return "outcome-unknown"
	case errors.Is(err, alidomain.ErrThrottled):
		return "throttled"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline"
	case errors.As(err, &apiErr):
		if apiErr.HTTPStatus >= 500 {
			return "5xx"
		}
		return "other"
	case errors.As(err, &netErr), errors.Is(err, io.ErrUnexpectedEOF):
		// Random faults can hit every attempt of a read: a truncated body
		// three times running is a transport failure, not a test failure.
		return "transport"
	case bytes.Contains([]byte(err.Error()), []byte("decoding the response")):
		return "decode"
	}
	return "other"
}

// settle polls f for up to 5 s until it is at most want, and returns its
// last value.
func settle(f func() int64, want int64) int64 {
	deadline := time.Now().Add(5 * time.Second)
	for {
		v := f()
		if v <= want || time.Now().After(deadline) {
			return v
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func fmtCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", k, m[k])
	}
	return b.String()
}
