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
	loadWorkers       = 64
	loadCallsMax      = 20000 // without -race, and with -race on 8 or more CPUs
	loadCallsRacePerP = 2500  // with -race, calls per GOMAXPROCS
	loadSeed          = 20240601
	loadDeadline      = 5 * time.Minute // a hang bound for the whole run; every call gets it as its ctx deadline
	loadFaultP        = 0.08            // probability that a call first injects a fault on its action
	loadShortP        = 0.01            // probability that a call has a 5 ms deadline of its own
	loadMaxHeap       = 96 << 20        // HeapInuse after GC, client and simulator together
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

// nonceKeys introduce a nonce on the wire, V2's in the query and V3's in a
// header, each with the bytes that can end it.
var nonceKeys = []struct{ key, end string }{
	{"SignatureNonce=", "& "},
	{"x-acs-signature-nonce: ", "\r"},
}

func (c *countedConn) Write(p []byte) (int, error) {
	for _, nk := range nonceKeys {
		for rest := p; ; {
			i := bytes.Index(rest, []byte(nk.key))
			if i < 0 {
				break
			}
			rest = rest[i+len(nk.key):]
			j := bytes.IndexAny(rest, nk.end)
			if j < 0 {
				break // split across writes: not counted
			}
			c.lc.seen.Add(1)
			c.lc.mu.Lock()
			c.lc.nonces[string(rest[:j])]++
			c.lc.mu.Unlock()
		}
	}
	return c.Conn.Write(p)
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.lc.live.Add(-1) })
	return c.Conn.Close()
}

// submission is the order kind and outcome of a domain's only submission.
type submission struct {
	kind alidomaintest.OrderKind
	sees string
}

// loadKinds are the order kinds the load test mixes, in the order it logs
// them.
var loadKinds = []alidomaintest.OrderKind{alidomaintest.KindRedeem, alidomaintest.KindRenew, alidomaintest.KindTransfer, alidomaintest.KindRegister}

// loadCode and loadProfile are every load transfer's authorization code
// and every transfer's and registration's registrant profile.
const (
	loadCode    = "Load#Code+1"
	loadProfile = 77
)

// loadTally counts what the calls saw.
type loadTally struct {
	mu         sync.Mutex
	kinds      map[string]int // by operation and outcome
	faults     map[string]int
	modes      map[string]int // calls by signature version and placement
	latencies  []time.Duration
	submitted  map[string]submission // domain -> its only submission
	unexpected []string
}

func (lt *loadTally) add(op, sees string, d time.Duration) {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	lt.kinds[op+" "+sees]++
	lt.latencies = append(lt.latencies, d)
}

// loadSize sizes the run to the machine: 20,000 calls, or under -race
// (about ten times the cost per call) 2,500 per GOMAXPROCS up to 20,000.
func loadSize() int {
	if raceEnabled {
		return min(loadCallsMax, loadCallsRacePerP*runtime.GOMAXPROCS(0))
	}
	return loadCallsMax
}

// TestLoad drives one Client from 64 goroutines through loadSize() calls
// (reads, and paid orders of every kind, redeem, renew, transfer and
// register, batch and single, each on domains of its own) against the
// simulator, signed with V2 or V3 and with the parameters in the query or
// a body at random, while faults are injected at random, then checks that
// every call returned before the run's generous deadline, no nonce was used
// twice, per order kind no paid order was duplicated, none is missing after
// a success and none exists for a submission that failed definitely, and
// that goroutines, connections and memory come back down.
// It asserts counts and outcomes only, never how long anything took; -short
// skips it.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped with -short")
	}
	loadCalls := loadSize()
	baseGoroutines := runtime.NumGoroutine()
	start := time.Now()

	srv := alidomaintest.NewServer()
	defer srv.Close()
	expires := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5 {
		srv.AddDomain(fmt.Sprintf("listed-%d.com", i), expires.AddDate(0, 0, i))
	}
	srv.AddRegistrantProfile(loadProfile)

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
		HTTPClient:  &http.Client{Transport: tr, Timeout: 60 * time.Second},
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
		modes:     map[string]int{},
		submitted: map[string]submission{},
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
				if i >= int64(loadCalls) {
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
				mode := wireModes[rng.IntN(len(wireModes))]
				opts = append(opts, func(o *alidomain.Options) { o.Signature, o.Params = mode.sig, mode.params })
				var op, action string
				var kind alidomaintest.OrderKind
				var domains []string
				var call func() error
				// domain names a new domain for an order of kind, which
				// the simulator is prepared to take.
				domain := func(k alidomaintest.OrderKind) string {
					d := fmt.Sprintf("load-%s-%06d.com", k, domainSeq.Add(1))
					switch k {
					case alidomaintest.KindRedeem:
						srv.AddDomain(d, expires, alidomaintest.NeedsRedemption())
					case alidomaintest.KindRenew:
						srv.AddDomain(d, expires, alidomaintest.Normal())
					case alidomaintest.KindTransfer:
						srv.AddTransferable(d, loadCode, expires)
					case alidomaintest.KindRegister:
						srv.AddAvailable(d)
					}
					kind = k
					domains = append(domains, d)
					return d
				}
				batch := 1 + rng.IntN(3)
				switch k := rng.IntN(100); {
				case k < 5:
					op, action = "Redeem.SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem
					req := &alidomain.BatchRedeemRequest{}
					for range batch {
						req.Domains = append(req.Domains, alidomain.RedeemDomain{DomainName: domain(alidomaintest.KindRedeem), CurrentExpirationDate: expires})
					}
					call = func() error { _, err := client.Redeem.SubmitBatch(callCtx, req, opts...); return err }
				case k < 10:
					op, action = "Redeem.Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderRedeem
					req := &alidomain.RedeemRequest{DomainName: domain(alidomaintest.KindRedeem), CurrentExpirationDate: expires}
					call = func() error { _, err := client.Redeem.Submit(callCtx, req, opts...); return err }
				case k < 15:
					op, action = "Renew.SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew
					req := &alidomain.BatchRenewRequest{}
					for range batch {
						req.Domains = append(req.Domains, alidomain.RenewDomain{DomainName: domain(alidomaintest.KindRenew), CurrentExpirationDate: expires, Years: 1 + rng.IntN(3)})
					}
					call = func() error { _, err := client.Renew.SubmitBatch(callCtx, req, opts...); return err }
				case k < 20:
					op, action = "Renew.Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderRenew
					req := &alidomain.RenewRequest{DomainName: domain(alidomaintest.KindRenew), CurrentExpirationDate: expires, Years: 2}
					call = func() error { _, err := client.Renew.Submit(callCtx, req, opts...); return err }
				case k < 25:
					op, action = "Transfer.SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderTransfer
					req := &alidomain.BatchTransferRequest{}
					for range batch {
						req.Domains = append(req.Domains, alidomain.TransferDomain{DomainName: domain(alidomaintest.KindTransfer), AuthorizationCode: loadCode, RegistrantProfileID: loadProfile})
					}
					call = func() error { _, err := client.Transfer.SubmitBatch(callCtx, req, opts...); return err }
				case k < 30:
					op, action = "Transfer.Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderTransfer
					req := &alidomain.TransferRequest{TransferDomain: alidomain.TransferDomain{DomainName: domain(alidomaintest.KindTransfer), AuthorizationCode: loadCode, RegistrantProfileID: loadProfile}}
					call = func() error { _, err := client.Transfer.Submit(callCtx, req, opts...); return err }
				case k < 35:
					op, action = "Register.SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderActivate
					req := &alidomain.BatchRegisterRequest{}
					for range batch {
						req.Domains = append(req.Domains, alidomain.RegisterDomain{DomainName: domain(alidomaintest.KindRegister), Years: 1, RegistrantProfileID: loadProfile})
					}
					call = func() error { _, err := client.Register.SubmitBatch(callCtx, req, opts...); return err }
				case k < 40:
					op, action = "Register.Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderActivate
					req := &alidomain.RegisterRequest{RegisterDomain: alidomain.RegisterDomain{DomainName: domain(alidomaintest.KindRegister), Years: 1, RegistrantProfileID: loadProfile}}
					call = func() error { _, err := client.Register.Submit(callCtx, req, opts...); return err }
				case k < 65:
					op, action = "Tasks.ListDetails", alidomaintest.ActionQueryTaskDetailList
					call = func() error {
						p, err := client.Tasks.ListDetails(callCtx, &alidomain.ListTaskDetailsRequest{TaskNo: setup.TaskNo}, opts...)
						if err == nil && len(p.Items) != 2 {
							return fmt.Errorf("ListDetails: %d items, want 2", len(p.Items))
						}
						return err
					}
				case k < 75:
					op, action = "Tasks.List", alidomaintest.ActionQueryTaskList
					call = func() error {
						_, err := client.Tasks.List(callCtx, &alidomain.ListTasksRequest{PageSize: 5}, opts...)
						return err
					}
				case k < 77:
					// Rarer than the other reads, and filtered: the simulator
					// scans (and sorts what matches of) its whole account,
					// which the orders grow, under its lock.
					op, action = "Domains.List", alidomaintest.ActionQueryDomainList
					call = func() error {
						p, err := client.Domains.List(callCtx, &alidomain.ListDomainsRequest{DomainName: "listed-", PageSize: 5}, opts...)
						if err == nil && len(p.Items) != 5 {
							return fmt.Errorf("Domains.List: %d items, want 5", len(p.Items))
						}
						return err
					}
				default:
					op, action = "Domains.Get", alidomaintest.ActionQueryDomainByDomainName
					call = func() error {
						d, err := client.Domains.Get(callCtx, &alidomain.GetDomainRequest{DomainName: "listed-3.com"}, opts...)
						if err == nil && d.DomainName != "listed-3.com" {
							return fmt.Errorf("Domains.Get: %q, want listed-3.com", d.DomainName)
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
				lt.modes[mode.String()]++
				for _, d := range domains {
					lt.submitted[d] = submission{kind, sees}
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

	// Paid orders, per kind: exactly one per successful submission, none
	// for a definite failure, at most one for an unknown outcome, and none
	// of another kind.
	type kindCounts struct{ domains, duplicates, lost, phantom, unknownPlaced int }
	byKind := map[alidomaintest.OrderKind]*kindCounts{}
	for _, k := range loadKinds {
		byKind[k] = &kindCounts{}
	}
	errorsShown := 0
	report := func(format string, args ...any) {
		if errorsShown++; errorsShown <= 10 {
			t.Errorf(format, args...)
		}
	}
	for d, sub := range lt.submitted {
		kc := byKind[sub.kind]
		kc.domains++
		n := srv.SubmissionsOf(sub.kind, d) // a duplicate may fail at the service, but was sent
		orders := srv.OrdersOf(sub.kind, d)
		if all := srv.Submissions(d); all != n {
			report("%s: %d submissions, %d of them %s", d, all, n, sub.kind)
		}
		switch {
		case n > 1:
			kc.duplicates++
			report("%s: %d %s orders for one submission (%s)", d, n, sub.kind, sub.sees)
		case sub.sees == "success" && (n != 1 || orders != 1):
			kc.lost++
			report("%s: success but %d %s submissions, %d orders", d, n, sub.kind, orders)
		case sub.sees == "outcome-unknown":
			kc.unknownPlaced += n
		case sub.sees != "success" && n != 0:
			kc.phantom++
			report("%s: the call failed definitely (%s) but %d %s order was placed", d, sub.sees, n, sub.kind)
		}
	}
	if errorsShown > 10 {
		t.Errorf("... and %d more order errors", errorsShown-10)
	}
	for _, m := range wireModes {
		if lt.modes[m.String()] < loadCalls/10 {
			t.Errorf("only %d of %d calls were %s", lt.modes[m.String()], loadCalls, m)
		}
	}
	for _, k := range loadKinds {
		if byKind[k].domains < loadCalls/100 {
			t.Errorf("only %d %s domains submitted in %d calls", byKind[k].domains, k, loadCalls)
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

	// Every call returned before the run's deadline, a bound on hangs only.
	slices.Sort(lt.latencies)
	pct := func(p float64) time.Duration { return lt.latencies[int(p*float64(len(lt.latencies)-1))] }
	if elapsed > loadDeadline || ctx.Err() != nil {
		t.Errorf("the run took %v, the deadline is %v", elapsed, loadDeadline)
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
		alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew, alidomaintest.ActionSaveSingleTaskForCreatingOrderRenew,
		alidomaintest.ActionSaveBatchTaskForCreatingOrderTransfer, alidomaintest.ActionSaveSingleTaskForCreatingOrderTransfer,
		alidomaintest.ActionSaveBatchTaskForCreatingOrderActivate, alidomaintest.ActionSaveSingleTaskForCreatingOrderActivate,
		alidomaintest.ActionQueryTaskDetailList, alidomaintest.ActionQueryTaskList, alidomaintest.ActionQueryDomainList,
		alidomaintest.ActionQueryDomainByDomainName} {
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
	t.Logf("load: calls by signature and placement: %v", fmtCounts(lt.modes))
	t.Logf("load: requests reaching the simulator %d (%.2f per call)", requests, float64(requests)/float64(loadCalls))
	for _, k := range loadKinds {
		kc := byKind[k]
		t.Logf("load: %-8s domains submitted %5d; duplicated orders %d, orders missing after success %d, orders after a definite failure %d, orders placed under an unknown outcome %d",
			k, kc.domains, kc.duplicates, kc.lost, kc.phantom, kc.unknownPlaced)
	}
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

// settle polls f for up to 30 s until it is at most want, and returns its
// last value.
func settle(f func() int64, want int64) int64 {
	deadline := time.Now().Add(30 * time.Second)
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
