package alidomain_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// update rewrites the golden files: go test -run TestFaultMatrix -update
var update = flag.Bool("update", false, "rewrite testdata/faultmatrix.golden.md")

const matrixGolden = "testdata/faultmatrix.golden.md"

// matrixRetry is the fast retry policy every cell of the matrix uses.
var matrixRetry = alidomain.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

// matrixOp is one of the operations the matrix drives.
type matrixOp int

const (
	opSubmitBatch matrixOp = iota
	opSubmit
	opListDetails
	numMatrixOps
)

var matrixOps = [numMatrixOps]struct {
	name, action string
	write        bool
}{
	{"SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, true},
	{"Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderRedeem, true},
	{"ListDetails", alidomaintest.ActionQueryTaskDetailList, false},
}

// What the caller sees, as the matrix names it.
const (
	seesSuccess   = "success"
	seesUnknown   = "`ErrOutcomeUnknown`"
	seesThrottled = "`ErrThrottled`"
	seesTransport = "transport error"
	seesDeadline  = "ctx deadline"
	seesDecode    = "decode error"
)

// clientFault is a fault on the client's side of the connection, before
// the simulator sees anything.
type clientFault int

const (
	clientOK         clientFault = iota
	clientRefused                // the endpoint is a closed loopback port
	clientTLSReset               // the endpoint accepts, then resets during the TLS handshake
	clientWriteReset             // the connection is up but its first write fails: no byte of the request leaves
)

// want is the expected result of one cell.
type want struct {
	sees     string
	attempts int // requests that reached the simulator, or dials for client faults
	orders   int // paid orders on the simulator; for a read, the setup's one order, unchanged
}

// matrixCase is one row of the matrix.
type matrixCase struct {
	name     string
	client   clientFault
	faults   func() []alidomaintest.Fault // injected on the operation's action
	deadline time.Duration                // the call's ctx deadline; 0 = generous
	// h2 puts an HTTP/2 front (alidomain.HTTP2Front) before the simulator;
	// its first two complete HTTP/2 requests get the trigger, and each
	// complete paid request it takes counts as an order.
	h2 *h2Row
	// skew sets the simulator's clock this far behind the client's; with
	// reconcile, a write whose outcome is unknown is then reconciled from
	// its SentAt, and the cell says whether Reconcile found the order.
	skew      time.Duration
	reconcile bool
	want      [numMatrixOps]want
}

// h2Row is the HTTP/2 part of a row: the trigger (0 PROTOCOL_ERROR,
// 1 REFUSED_STREAM, 2 GOAWAY) and whose client sends.
type h2Row struct {
	trigger    int
	user       bool // a user's client with HTTP/2; else the SDK's own client
	middleware bool // a user's buffering middleware over x/net's HTTP/2 transport
}

// What a reconciled cell adds to what the caller sees.
const (
	reconcileFound   = " → `Reconcile` finds it"
	reconcileMissing = " → `Reconcile` finds nothing"
)

func faults(f ...alidomaintest.Fault) func() []alidomaintest.Fault {
	return func() []alidomaintest.Fault { return f }
}

// w and r build the expectations of the write columns and the read column.
func w(sees string, attempts, orders int) want { return want{sees, attempts, orders} }
func r(sees string, attempts int) want         { return want{sees, attempts, 1} }

// writes is the same expectation for SubmitBatch and Submit, then ListDetails.
func writes(wr want, rd want) [numMatrixOps]want { return [numMatrixOps]want{wr, wr, rd} }

// faultMatrix is the case list: the rows of the README's table.
var faultMatrix = []matrixCase{
	{name: "connection refused (closed loopback port)", client: clientRefused,
		want: writes(w(seesTransport, 3, 0), r(seesTransport, 3))},
	{name: "reset while connecting (RST during the TLS handshake)", client: clientTLSReset,
		want: writes(w(seesTransport, 3, 0), r(seesTransport, 3))},
	// httptrace reports a request written once it is buffered, before the
	// flush fails, so the SDK cannot prove this paid order unsent.
	{name: "reset when the request is flushed (first write fails, 0 bytes sent)", client: clientWriteReset,
		want: writes(w(seesUnknown, 1, 0), r(seesTransport, 3))},
	{name: "reset after the request is written (`ResetBeforeCommit`)", faults: faults(alidomaintest.ResetBeforeCommit()),
		want: writes(w(seesUnknown, 1, 0), r(seesSuccess, 2))},
	{name: "closed without an answer after committing (`CommitThenDrop`)", faults: faults(alidomaintest.CommitThenDrop()),
		want: writes(w(seesUnknown, 1, 1), r(seesSuccess, 2))},
	{name: "ctx deadline while the server holds the request (`Delay`)", faults: faults(alidomaintest.Delay(time.Minute)), deadline: 500 * time.Millisecond,
		want: writes(w(seesUnknown, 1, 0), r(seesDeadline, 1))},
	{name: "ctx deadline after the server committed (`DelayAfterCommit`)", faults: faults(alidomaintest.DelayAfterCommit(time.Minute)), deadline: 500 * time.Millisecond,
		want: writes(w(seesUnknown, 1, 1), r(seesDeadline, 1))},
	{name: "500 InternalError after committing (`ServerErrorAfterCommit`)", faults: faults(alidomaintest.ServerErrorAfterCommit()),
		want: writes(w(seesUnknown, 1, 1), r(seesSuccess, 2))},
	// A proxy that re-sent the request after a reset: the gateway refuses
	// the second delivery's nonce, which says nothing of the first.
	{name: "400 SignatureNonceUsed after committing (a proxy's re-send; `NonceUsedAfterCommit`)", faults: faults(alidomaintest.NonceUsedAfterCommit()),
		want: writes(w(seesUnknown, 1, 1), r(seesSuccess, 2))},
	{name: "503 ServiceUnavailable (`ServiceUnavailable`)", faults: faults(alidomaintest.ServiceUnavailable()),
		want: writes(w(seesUnknown, 1, 0), r(seesSuccess, 2))},
	{name: "Throttling.User twice, then success (`Throttle(2)`)", faults: faults(alidomaintest.Throttle(2)),
		want: writes(w(seesSuccess, 3, 1), r(seesSuccess, 3))},
	{name: "Throttling.User forever (`ThrottleForever`)", faults: faults(alidomaintest.ThrottleForever()),
		want: writes(w(seesThrottled, 3, 0), r(seesThrottled, 3))},
	{name: "malformed JSON (`MalformedBody`)", faults: faults(alidomaintest.MalformedBody()),
		want: writes(w(seesUnknown, 1, 1), r(seesDecode, 1))},
	{name: "truncated body (`TruncatedBody`)", faults: faults(alidomaintest.TruncatedBody()),
		want: writes(w(seesUnknown, 1, 1), r(seesSuccess, 2))},
	{name: "empty 200 (`EmptyBody`)", faults: faults(alidomaintest.EmptyBody()),
		want: writes(w(seesUnknown, 1, 1), r(seesDecode, 1))},
	{name: "50 MiB body (`HugeBody(50<<20)`)", faults: faults(alidomaintest.HugeBody(50 << 20)),
		want: writes(w(seesUnknown, 1, 1), r(seesSuccess, 2))},
	{name: "XML body when JSON was asked (`XMLBody`)", faults: faults(alidomaintest.XMLBody()),
		want: writes(w(seesSuccess, 1, 1), r(seesSuccess, 1))},
	{name: "wrong Content-Type (`WrongContentType`)", faults: faults(alidomaintest.WrongContentType()),
		want: writes(w(seesSuccess, 1, 1), r(seesSuccess, 1))},
	// HTTP/2: the front takes each request, then makes Go's HTTP/2 client
	// replay it (twice), as a server that committed could. The SDK's client
	// sends paid orders over HTTP/1.1, which the front answers; a user's
	// client sends them over HTTP/2 with a body that cannot be replayed.
	// Reads may be replayed inside one attempt (2 triggers, then the answer).
	{name: "HTTP/2 RST_STREAM PROTOCOL_ERROR after taking the request, SDK's client", h2: &h2Row{trigger: 0},
		want: writes(w(seesSuccess, 1, 1), r(seesSuccess, 3))},
	{name: "HTTP/2 RST_STREAM REFUSED_STREAM after taking the request, SDK's client", h2: &h2Row{trigger: 1},
		want: writes(w(seesSuccess, 1, 1), r(seesSuccess, 3))},
	{name: "HTTP/2 GOAWAY (last stream 0) after taking the request, SDK's client", h2: &h2Row{trigger: 2},
		want: writes(w(seesSuccess, 1, 1), r(seesSuccess, 3))},
	{name: "HTTP/2 RST_STREAM PROTOCOL_ERROR after taking the request, user's HTTP/2 client", h2: &h2Row{trigger: 0, user: true},
		want: writes(w(seesUnknown, 1, 1), r(seesSuccess, 3))},
	{name: "HTTP/2 RST_STREAM REFUSED_STREAM after taking the request, user's HTTP/2 client", h2: &h2Row{trigger: 1, user: true},
		want: writes(w(seesUnknown, 1, 1), r(seesSuccess, 3))},
	{name: "HTTP/2 GOAWAY (last stream 0) after taking the request, user's HTTP/2 client", h2: &h2Row{trigger: 2, user: true},
		want: writes(w(seesUnknown, 1, 1), r(seesSuccess, 3))},
	// A user's middleware that buffers the body and sets GetBody, in front
	// of x/net's HTTP/2 transport, would let it replay: the SDK cancels the
	// re-send before it is written.
	{name: "HTTP/2 RST_STREAM PROTOCOL_ERROR after taking the request, user's buffering middleware over x/net HTTP/2", h2: &h2Row{trigger: 0, middleware: true},
		want: writes(w(seesUnknown, 1, 1), r(seesSuccess, 3))},
	{name: "HTTP/2 RST_STREAM REFUSED_STREAM after taking the request, user's buffering middleware over x/net HTTP/2", h2: &h2Row{trigger: 1, middleware: true},
		want: writes(w(seesUnknown, 1, 1), r(seesSuccess, 3))},
	{name: "HTTP/2 GOAWAY (last stream 0) after taking the request, user's buffering middleware over x/net HTTP/2", h2: &h2Row{trigger: 2, middleware: true},
		want: writes(w(seesUnknown, 1, 1), r(seesSuccess, 3))},
	// Clock skew: the service accepts timestamps within 15 minutes, so its
	// clock may be that far behind; Reconcile from SentAt must still find
	// the order.
	{name: "service clock 6 min behind, `CommitThenDrop`, then `Reconcile(SentAt)`", skew: 6 * time.Minute, reconcile: true, faults: faults(alidomaintest.CommitThenDrop()),
		want: writes(w(seesUnknown+reconcileFound, 1, 1), r(seesSuccess, 2))},
	{name: "service clock 10 min behind, `CommitThenDrop`, then `Reconcile(SentAt)`", skew: 10 * time.Minute, reconcile: true, faults: faults(alidomaintest.CommitThenDrop()),
		want: writes(w(seesUnknown+reconcileFound, 1, 1), r(seesSuccess, 2))},
	{name: "service clock 14 min behind, `CommitThenDrop`, then `Reconcile(SentAt)`", skew: 14 * time.Minute, reconcile: true, faults: faults(alidomaintest.CommitThenDrop()),
		want: writes(w(seesUnknown+reconcileFound, 1, 1), r(seesSuccess, 2))},
}

// wireMode is a signature version and a parameter placement the matrices
// run under.
type wireMode struct {
	sig    alidomain.SignatureVersion
	params alidomain.ParamPlacement
}

func (m wireMode) String() string { return string(m.sig) + "-" + string(m.params) }

// wireModes are every signature version by every forced placement; the
// golden tables are those of the first, and the others must give the same
// cells.
var wireModes = []wireMode{
	{alidomain.SignatureV2, alidomain.ParamsQuery},
	{alidomain.SignatureV2, alidomain.ParamsBody},
	{alidomain.SignatureV3, alidomain.ParamsQuery},
	{alidomain.SignatureV3, alidomain.ParamsBody},
}

// matrixConfig varies how the matrix is run; the zero value is the plain run.
type matrixConfig struct {
	// mode is the client's Options.Signature and Options.Params.
	mode       wireMode
	serverOpts []alidomaintest.Option
	// creds returns the credentials the client signs with; default the
	// server's pair (and token).
	creds func(*alidomaintest.Server) alidomain.CredentialsProvider
	// logger is the client's logger.
	logger *slog.Logger
	// wrapConn wraps every connection the client dials.
	wrapConn func(net.Conn) net.Conn
	// observe sees every value and error a call returns.
	observe func(op string, res any, err error)
}

// cellResult is what one cell observed.
type cellResult struct {
	sees     string
	attempts int
	orders   int
	metaN    int // Meta.Attempts on success
	err      error
	res      any
	panicked any
}

const (
	matrixDomain = "fault-matrix.com"
	matrixID     = "LTAImatrix0000000001"
)

var matrixExpires = time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)

// runMatrix runs every cell of faultMatrix under each mode, all in
// parallel, and returns the results by mode, row and operation.
func runMatrix(t *testing.T, cfg matrixConfig, modes []wireMode) [][][numMatrixOps]cellResult {
	results := make([][][numMatrixOps]cellResult, len(modes))
	var cells []cell
	for m, mode := range modes {
		results[m] = make([][numMatrixOps]cellResult, len(faultMatrix))
		cfg := cfg
		cfg.mode = mode
		for i, c := range faultMatrix {
			for op := range numMatrixOps {
				cells = append(cells, cell{fmt.Sprintf("%s/%02d-%s", mode, i, matrixOps[op].name), func(t *testing.T) {
					results[m][i][op] = runCell(t, cfg, c, op)
				}})
			}
		}
	}
	runCells(t, cells)
	return results
}

// cell is one subtest of a matrix.
type cell struct {
	name string
	run  func(*testing.T)
}

// cellWorkers is how many cells run at once. Most of a cell's time is
// spent waiting (a held request, a deadline, HTTP/2's own retry pause), so
// this is not GOMAXPROCS, the most t.Parallel would allow.
const cellWorkers = 16

// runCells runs each cell as a subtest of a "cells" subtest, cellWorkers
// at a time (t.Run may be called from several goroutines at once).
func runCells(t *testing.T, cells []cell) {
	t.Run("cells", func(t *testing.T) {
		next := make(chan cell)
		var wg sync.WaitGroup
		for range min(cellWorkers, len(cells)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for c := range next {
					t.Run(c.name, c.run)
				}
			}()
		}
		for _, c := range cells {
			next <- c
		}
		close(next)
		wg.Wait()
	})
}

// cellClient is a cell's client and what it observes of its requests.
type cellClient struct {
	client *alidomain.Client
	dials  *atomic.Int64
	front  *alidomain.HTTP2Front // nil unless the row has an HTTP/2 front
	wire   *wireRecorder         // every connection the client dialed itself
}

// newCellClient builds the client of one cell of row c against srv (the
// fault c.faults injected on action), under cfg.
func newCellClient(t *testing.T, cfg matrixConfig, c matrixCase, srv *alidomaintest.Server, action string, creds alidomain.CredentialsProvider) cellClient {
	cc := cellClient{dials: new(atomic.Int64), wire: new(wireRecorder)}
	endpoint := srv.URL
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			cc.dials.Add(1)
			conn, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			if c.client == clientWriteReset {
				conn = resetOnWriteConn{conn}
			}
			conn = cc.wire.wrap(conn)
			if cfg.wrapConn != nil {
				conn = cfg.wrapConn(conn)
			}
			return conn, nil
		},
		MaxIdleConnsPerHost: 4,
	}
	t.Cleanup(tr.CloseIdleConnections)
	switch c.client {
	case clientRefused:
		endpoint = "http://" + closedPort(t) + "/"
	case clientTLSReset:
		endpoint = "https://" + resetListener(t) + "/"
	}
	if c.faults != nil {
		srv.Inject(action, c.faults()...)
	}
	var hc alidomain.HTTPDoer = &http.Client{Transport: tr}
	if c.h2 != nil {
		cc.front = alidomain.NewHTTP2Front(t, c.h2.trigger, 2, srv.URL)
		endpoint, hc = cc.front.URL, cc.front.SDKClient
		switch {
		case c.h2.user:
			hc = cc.front.UserClient
		case c.h2.middleware:
			hc = cc.front.MiddlewareClient
		}
	}
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    endpoint,
		Credentials: creds,
		HTTPClient:  hc,
		Logger:      cfg.logger,
		Retry:       matrixRetry,
		Signature:   cfg.mode.sig,
		Params:      cfg.mode.params,
	})
	if err != nil {
		t.Fatal(err)
	}
	cc.client = client
	return cc
}

// checkWire checks, for a cell whose requests went over connections the
// client dialed itself, that at least one request was sent and that every
// one was signed and placed as cfg.mode says: the positive control that the
// mode really ran.
func checkWire(t *testing.T, cfg matrixConfig, c matrixCase, cc cellClient) {
	if c.client != clientOK || cc.front != nil {
		return // nothing complete left the client, or it went through the front
	}
	reqs := cc.wire.requests()
	if len(reqs) == 0 {
		t.Errorf("%s: no request seen on the wire", cfg.mode)
	}
	for _, r := range reqs {
		if err := r.checkMode(cfg.mode); err != nil {
			t.Errorf("%s: %v: %s", cfg.mode, err, r.line)
		}
	}
}

// runCell runs one operation under one fault against a fresh simulator.
// newCellServer starts a cell's simulator, its clock behind by the case's
// skew, and returns it with the credentials it accepts.
func newCellServer(cfg matrixConfig, c matrixCase) (*alidomaintest.Server, alidomain.CredentialsProvider) {
	srvOpts := cfg.serverOpts
	if c.skew != 0 {
		srvOpts = append(srvOpts[:len(srvOpts):len(srvOpts)], alidomaintest.WithClock(func() time.Time { return time.Now().Add(-c.skew) }))
	}
	srv := alidomaintest.NewServer(srvOpts...)
	if srv.SecurityToken == "" {
		return srv, alidomain.StaticCredentials(srv.AccessKeyID, srv.AccessKeySecret)
	}
	return srv, alidomain.StaticSTSCredentials(srv.AccessKeyID, srv.AccessKeySecret, srv.SecurityToken)
}

// cellContext bounds a cell's call by the case's deadline (30 s if none).
func cellContext(c matrixCase) (context.Context, context.CancelFunc) {
	deadline := c.deadline
	if deadline == 0 {
		deadline = 30 * time.Second
	}
	return context.WithTimeout(context.Background(), deadline)
}

// reconcileFunc is one order kind's Reconcile.
type reconcileFunc func(ctx context.Context, since time.Time, domains []string, optFns ...func(*alidomain.Options)) (map[string]*alidomain.TaskDetail, error)

// reconcileCell runs lk after an unknown outcome, in the cases that ask
// for it, and returns what the matrix shows of its answer.
func reconcileCell(t *testing.T, cfg matrixConfig, c matrixCase, callErr error, lk lookup) string {
	var unknown *alidomain.OutcomeUnknownError
	if !c.reconcile || !errors.As(callErr, &unknown) {
		return ""
	}
	found, read, err := lk.find(context.Background(), unknown.SentAt)
	if cfg.observe != nil {
		cfg.observe("Reconcile", read, err)
	}
	show := func(s string) string { return strings.ReplaceAll(s, "`Reconcile`", lk.name) }
	switch {
	case err != nil:
		t.Errorf("%s: %v", lk.name, err)
		return show(" → `Reconcile` error")
	case found:
		return show(reconcileFound)
	}
	return show(reconcileMissing)
}

func runCell(t *testing.T, cfg matrixConfig, c matrixCase, op matrixOp) (res cellResult) {
	srv, creds := newCellServer(cfg, c)
	defer srv.Close()
	srv.AddDomain(matrixDomain, matrixExpires, alidomaintest.NeedsRedemption())

	// A read needs a task to read: create it with a clean client first.
	var taskNo string
	if !matrixOps[op].write {
		setup, err := alidomain.New(alidomain.Options{Endpoint: srv.URL, Credentials: creds})
		if err != nil {
			t.Fatal(err)
		}
		sr, err := setup.Redeem.Submit(context.Background(), &alidomain.RedeemRequest{DomainName: matrixDomain, CurrentExpirationDate: matrixExpires})
		if err != nil {
			t.Fatalf("setup submission: %v", err)
		}
		taskNo = sr.TaskNo
	}

	if cfg.creds != nil {
		creds = cfg.creds(srv)
	}
	cc := newCellClient(t, cfg, c, srv, matrixOps[op].action, creds)
	client, front := cc.client, cc.front
	if cfg.observe != nil {
		cfg.observe("client", client, nil)
		cfg.observe("options", client.Options(), nil)
	}

	ctx, cancel := cellContext(c)
	defer cancel()
	func() {
		defer func() { res.panicked = recover() }()
		switch op {
		case opSubmitBatch:
			res.res, res.err = client.Redeem.SubmitBatch(ctx, &alidomain.BatchRedeemRequest{
				Domains: []alidomain.RedeemDomain{{DomainName: matrixDomain, CurrentExpirationDate: matrixExpires}},
			})
		case opSubmit:
			res.res, res.err = client.Redeem.Submit(ctx, &alidomain.RedeemRequest{DomainName: matrixDomain, CurrentExpirationDate: matrixExpires})
		case opListDetails:
			res.res, res.err = client.Tasks.ListDetails(ctx, &alidomain.ListTaskDetailsRequest{TaskNo: taskNo})
		}
	}()
	if res.panicked != nil {
		t.Errorf("the call panicked: %v", res.panicked)
	}
	reconciled := reconcileCell(t, cfg, c, res.err, reconciler(func(c *alidomain.Client) reconcileFunc { return c.Redeem.Reconcile })(client))
	if cfg.observe != nil {
		cfg.observe(matrixOps[op].name, res.res, res.err)
	}

	// Close waits for the handlers, so that the counts are final.
	srv.Close()
	checkWire(t, cfg, c, cc)
	res.sees = callerSees(res.err) + reconciled
	res.orders = srv.Submissions(matrixDomain) // every submission, also one the service then refused
	switch {
	case c.client != clientOK:
		res.attempts = int(cc.dials.Load())
	case front != nil:
		res.attempts = front.Requests(matrixOps[op].action)
		if matrixOps[op].write {
			// The front took each complete request: each is an order.
			res.orders = res.attempts
		}
	default:
		res.attempts = srv.Requests(matrixOps[op].action)
	}
	switch v := res.res.(type) {
	case *alidomain.SubmitResult:
		if v != nil {
			res.metaN = v.Attempts
			if v.TaskNo == "" {
				t.Errorf("success without TaskNo: %+v", v)
			}
		}
	case *alidomain.TaskDetailPage:
		if v != nil {
			res.metaN = v.Attempts
			if len(v.Items) != 1 || v.Items[0].DomainName != matrixDomain || v.Items[0].TaskNo != taskNo {
				t.Errorf("ListDetails gave %+v, want the one detail of task %s for %s", v.Items, taskNo, matrixDomain)
			}
		}
	}
	return res
}

// callerSees names the kind of error the caller got, as the matrix shows it.
func callerSees(err error) string {
	var apiErr *alidomain.APIError
	var netErr net.Error
	switch {
	case err == nil:
		return seesSuccess
	case errors.Is(err, alidomain.ErrOutcomeUnknown):
		return seesUnknown
	case errors.Is(err, alidomain.ErrThrottled):
		return seesThrottled
	case errors.Is(err, context.DeadlineExceeded):
		return seesDeadline
	case errors.As(err, &apiErr):
		return fmt.Sprintf("`*APIError` %d %s", apiErr.HTTPStatus, apiErr.Code)
	case errors.As(err, &netErr):
		return seesTransport
	case strings.Contains(err.Error(), "decoding the response"):
		return seesDecode
	}
	return "error: " + err.Error()
}

// resetOnWriteConn is a connection that the peer reset right after it was
// established: every write fails and sends nothing.
type resetOnWriteConn struct{ net.Conn }

func (c resetOnWriteConn) Write([]byte) (int, error) {
	return 0, &net.OpError{Op: "write", Net: "tcp", Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: syscall.ECONNRESET}
}

// resetListener returns the address of a listener that accepts every
// connection and resets it at once (SO_LINGER 0), before any request.
func resetListener(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_ = conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

// TestFaultMatrix drives SubmitBatch, Submit and ListDetails through every
// fault of faultMatrix, under both signature versions and both parameter
// placements, checks what the caller sees, how many attempts were made and
// how many paid orders exist, and renders the README's table from the V2,
// query run; the other three runs must give exactly the same cells.
func TestFaultMatrix(t *testing.T) {
	all := runMatrix(t, matrixConfig{}, wireModes)
	for m, mode := range wireModes {
		results := all[m]
		for i, c := range faultMatrix {
			for op := range numMatrixOps {
				got, want := results[i][op], c.want[op]
				if got.sees != want.sees || got.attempts != want.attempts || got.orders != want.orders {
					t.Errorf("%s: %s / %s: got %s, %d attempts, %d orders (err: %v); want %s, %d attempts, %d orders",
						mode, c.name, matrixOps[op].name, got.sees, got.attempts, got.orders, got.err, want.sees, want.attempts, want.orders)
				}
				// Reads over HTTP/2 may be replayed inside one attempt.
				replayedRead := c.h2 != nil && !matrixOps[op].write
				if got.sees == seesSuccess && got.metaN != got.attempts && !replayedRead {
					t.Errorf("%s: %s / %s: Meta.Attempts %d, the server saw %d", mode, c.name, matrixOps[op].name, got.metaN, got.attempts)
				}
				if matrixOps[op].write && got.orders > 1 {
					t.Errorf("%s: %s / %s: %d orders for one submission", mode, c.name, matrixOps[op].name, got.orders)
				}
			}
		}
	}
	for m := 1; m < len(wireModes); m++ {
		var diffs []string
		for i, c := range faultMatrix {
			for op := range numMatrixOps {
				if d := cellDiff(all[0][i][op], all[m][i][op]); d != "" {
					diffs = append(diffs, fmt.Sprintf("  %s / %s: %s", c.name, matrixOps[op].name, d))
				}
			}
		}
		if len(diffs) > 0 {
			t.Errorf("%s gives %d cells unlike %s's:\n%s", wireModes[m], len(diffs), wireModes[0], strings.Join(diffs, "\n"))
		}
	}
	results := all[0]
	table := renderMatrix(results)
	if *update {
		if err := os.MkdirAll(filepath.Dir(matrixGolden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(matrixGolden, table, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	golden, err := os.ReadFile(matrixGolden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestFaultMatrix -update)", err)
	}
	if !bytes.Equal(golden, table) {
		t.Errorf("the fault matrix differs from %s (rerun with -update if intended):\n%s", matrixGolden, table)
	}
}

// TestREADMEShowsFaultMatrix keeps the README's reliability tables equal to
// the golden files that TestFaultMatrix and TestFaultMatrixOrders check.
func TestREADMEShowsFaultMatrix(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{matrixGolden, orderMatrixGolden} {
		golden, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(readme, golden) {
			t.Errorf("README.md does not contain %s verbatim; paste it into the reliability section", name)
		}
	}
}

// renderMatrix renders the results as the README's markdown table.
func renderMatrix(results [][numMatrixOps]cellResult) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Each cell: what the caller sees · attempts · paid orders on the server.\n")
	fmt.Fprintf(&b, "Retry policy MaxAttempts %d; attempts are the requests that reached the\n", matrixRetry.MaxAttempts)
	fmt.Fprintf(&b, "simulator, or the dials for faults before the request is written. A read\n")
	fmt.Fprintf(&b, "never creates an order. Generated by `go test -run TestFaultMatrix -update`.\n\n")
	b.WriteString("| fault |")
	for _, op := range matrixOps {
		b.WriteString(" " + op.name + " |")
	}
	b.WriteString("\n|---|")
	for range matrixOps {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for i, c := range faultMatrix {
		fmt.Fprintf(&b, "| %s |", c.name)
		for op := range numMatrixOps {
			got := results[i][op]
			cell := got.sees + " · " + plural(got.attempts, "attempt")
			if matrixOps[op].write {
				cell += " · " + plural(got.orders, "order")
			}
			fmt.Fprintf(&b, " %s |", cell)
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

// cellDiff describes how cell b differs from cell a in what the caller
// sees, attempts or orders; "" when it does not.
func cellDiff(a, b cellResult) string {
	if a.sees == b.sees && a.attempts == b.attempts && a.orders == b.orders {
		return ""
	}
	return fmt.Sprintf("%s · %d attempts · %d orders, not %s · %d attempts · %d orders (err: %v)",
		b.sees, b.attempts, b.orders, a.sees, a.attempts, a.orders, b.err)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// lockedBuffer is a bytes.Buffer safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// wireRecorder keeps the bytes the client wrote on each connection it
// dialed, one buffer per connection, so that the requests can be parsed
// back.
type wireRecorder struct {
	mu    sync.Mutex
	conns []*bytes.Buffer
}

// wrap returns conn recording into a buffer of its own.
func (w *wireRecorder) wrap(conn net.Conn) net.Conn {
	b := new(bytes.Buffer)
	w.mu.Lock()
	w.conns = append(w.conns, b)
	w.mu.Unlock()
	return &recordedConn{Conn: conn, w: w, b: b}
}

// recordedConn copies what is written to it into b, under w.mu.
type recordedConn struct {
	net.Conn
	w *wireRecorder
	b *bytes.Buffer
}

// Write records p before writing it, so that a request is recorded once
// the peer can answer it, then forgets what was not written.
func (c *recordedConn) Write(p []byte) (int, error) {
	c.w.mu.Lock()
	c.b.Write(p)
	c.w.mu.Unlock()
	n, err := c.Conn.Write(p)
	if n < len(p) {
		c.w.mu.Lock()
		c.b.Truncate(c.b.Len() - (len(p) - n))
		c.w.mu.Unlock()
	}
	return n, err
}

// sentRequest is one complete request read back from the wire.
type sentRequest struct {
	line   string // the request line
	query  url.Values
	header http.Header
	body   string
}

// requests parses every complete request written so far.
func (w *wireRecorder) requests() []sentRequest {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []sentRequest
	for _, b := range w.conns {
		data := b.Bytes()
		br := bufio.NewReader(bytes.NewReader(data))
		for {
			req, err := http.ReadRequest(br)
			if err != nil {
				break
			}
			body, err := io.ReadAll(req.Body)
			if err != nil {
				break
			}
			out = append(out, sentRequest{
				line:   req.Method + " " + req.RequestURI + " " + req.Proto,
				query:  req.URL.Query(),
				header: req.Header,
				body:   string(body),
			})
		}
	}
	return out
}

// commonKeys are the parameters V2 adds to every request (and Signature).
var commonKeys = map[string]bool{
	"AccessKeyId": true, "Action": true, "Format": true, "Lang": true, "SecurityToken": true, "SignatureMethod": true,
	"SignatureNonce": true, "SignatureVersion": true, "Timestamp": true, "Version": true, "Signature": true,
}

// checkMode says how r differs from a request signed and placed by mode.
func (r sentRequest) checkMode(mode wireMode) error {
	requestKeys := 0
	for k := range r.query {
		if !commonKeys[k] {
			requestKeys++
		}
	}
	auth := r.header.Get("Authorization")
	switch mode.sig {
	case alidomain.SignatureV2:
		if r.query.Get("SignatureMethod") != "HMAC-SHA1" || r.query.Get("Signature") == "" || auth != "" {
			return errors.New("not signed with V2")
		}
	case alidomain.SignatureV3:
		if !strings.HasPrefix(auth, "ACS3-HMAC-SHA256 ") || r.header.Get("x-acs-action") == "" || r.query.Has("Signature") {
			return errors.New("not signed with V3")
		}
	}
	form, err := url.ParseQuery(r.body)
	switch mode.params {
	case alidomain.ParamsQuery:
		if r.body != "" || requestKeys == 0 {
			return fmt.Errorf("request parameters not in the query (%d in it, body %q)", requestKeys, r.body)
		}
	case alidomain.ParamsBody:
		if r.header.Get("Content-Type") != "application/x-www-form-urlencoded" || err != nil || len(form) == 0 || requestKeys != 0 {
			return fmt.Errorf("request parameters not in a form body (%d in the query, body %q)", requestKeys, r.body)
		}
	}
	return nil
}
