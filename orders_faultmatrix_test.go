package alidomain_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

const orderMatrixGolden = "testdata/faultmatrix-orders.golden.md"

// orderColumn is one paid order of the renew, transfer and register family
// that the fault matrix drives: the simulator is prepared so that the order
// succeeds when no fault intervenes.
type orderColumn struct {
	name, action string
	prepare      func(*alidomaintest.Server)
	submit       func(context.Context, *alidomain.Client) (*alidomain.SubmitResult, error)
}

const matrixProfile = 4242

var orderColumns = []orderColumn{
	{"Renew.SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew, prepareRenew,
		func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Renew.SubmitBatch(ctx, &alidomain.BatchRenewRequest{Domains: []alidomain.RenewDomain{{DomainName: matrixDomain, CurrentExpirationDate: matrixExpires, Years: 2}}})
		}},
	{"Renew.Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderRenew, prepareRenew,
		func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Renew.Submit(ctx, &alidomain.RenewRequest{DomainName: matrixDomain, CurrentExpirationDate: matrixExpires})
		}},
	{"Transfer.SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderTransfer, prepareTransfer,
		func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Transfer.SubmitBatch(ctx, &alidomain.BatchTransferRequest{Domains: []alidomain.TransferDomain{matrixTransfer}})
		}},
	{"Transfer.Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderTransfer, prepareTransfer,
		func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Transfer.Submit(ctx, &alidomain.TransferRequest{TransferDomain: matrixTransfer})
		}},
	{"Register.SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderActivate, prepareRegister,
		func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Register.SubmitBatch(ctx, &alidomain.BatchRegisterRequest{Domains: []alidomain.RegisterDomain{matrixRegister}})
		}},
	{"Register.Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderActivate, prepareRegister,
		func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Register.Submit(ctx, &alidomain.RegisterRequest{RegisterDomain: matrixRegister})
		}},
}

var (
	matrixTransfer = alidomain.TransferDomain{DomainName: matrixDomain, AuthorizationCode: "Matrix#Code+1 x", RegistrantProfileID: matrixProfile}
	matrixRegister = alidomain.RegisterDomain{DomainName: matrixDomain, Years: 1, RegistrantProfileID: matrixProfile, AliyunDNS: true}
)

func prepareRenew(s *alidomaintest.Server) {
	s.AddDomain(matrixDomain, matrixExpires, alidomaintest.Normal())
}

func prepareTransfer(s *alidomaintest.Server) {
	s.AddTransferable(matrixDomain, matrixTransfer.AuthorizationCode, matrixExpires)
	s.AddRegistrantProfile(matrixProfile)
}

func prepareRegister(s *alidomaintest.Server) {
	s.AddAvailable(matrixDomain)
	s.AddRegistrantProfile(matrixProfile)
}

// TestFaultMatrixOrders runs every fault of faultMatrix against the renew,
// transfer and register orders, batch and single: each must behave as
// redemption's SubmitBatch does (the same expectations), with never more
// than one order for one submission.
func TestFaultMatrixOrders(t *testing.T) {
	results := make([][]cellResult, len(faultMatrix))
	t.Run("cells", func(t *testing.T) {
		for i, c := range faultMatrix {
			results[i] = make([]cellResult, len(orderColumns))
			for j, col := range orderColumns {
				t.Run(fmt.Sprintf("%02d-%s", i, col.name), func(t *testing.T) {
					t.Parallel()
					results[i][j] = runOrderCell(t, matrixConfig{}, c, col)
				})
			}
		}
	})
	for i, c := range faultMatrix {
		want := c.want[opSubmitBatch]
		for j, col := range orderColumns {
			got := results[i][j]
			if got.sees != want.sees || got.attempts != want.attempts || got.orders != want.orders {
				t.Errorf("%s / %s: got %s, %d attempts, %d orders (err: %v); want %s, %d attempts, %d orders",
					c.name, col.name, got.sees, got.attempts, got.orders, got.err, want.sees, want.attempts, want.orders)
			}
			if got.orders > 1 {
				t.Errorf("%s / %s: %d orders for one submission", c.name, col.name, got.orders)
			}
			if got.sees == seesSuccess && got.metaN != got.attempts {
				t.Errorf("%s / %s: Meta.Attempts %d, the server saw %d", c.name, col.name, got.metaN, got.attempts)
			}
		}
	}
	table := renderOrderMatrix(results)
	if *update {
		if err := os.WriteFile(orderMatrixGolden, table, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	golden, err := os.ReadFile(orderMatrixGolden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestFaultMatrixOrders -update)", err)
	}
	if !bytes.Equal(golden, table) {
		t.Errorf("the order fault matrix differs from %s (rerun with -update if intended):\n%s", orderMatrixGolden, table)
	}
}

// runOrderCell submits one order under one fault against a fresh simulator,
// configured by cfg as the redeem matrix is.
func runOrderCell(t *testing.T, cfg matrixConfig, c matrixCase, col orderColumn) (res cellResult) {
	srv := alidomaintest.NewServer(cfg.serverOpts...)
	defer srv.Close()
	col.prepare(srv)
	creds := alidomain.StaticSTSCredentials(srv.AccessKeyID, srv.AccessKeySecret, srv.SecurityToken)
	if srv.SecurityToken == "" {
		creds = alidomain.StaticCredentials(srv.AccessKeyID, srv.AccessKeySecret)
	}
	if cfg.creds != nil {
		creds = cfg.creds(srv)
	}

	endpoint := srv.URL
	var dials atomic.Int64
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			conn, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			if c.client == clientWriteReset {
				conn = resetOnWriteConn{conn}
			}
			if cfg.wrapConn != nil {
				conn = cfg.wrapConn(conn)
			}
			return conn, nil
		},
		MaxIdleConnsPerHost: 4,
	}
	defer tr.CloseIdleConnections()
	switch c.client {
	case clientRefused:
		endpoint = "http://" + closedPort(t) + "/"
	case clientTLSReset:
		endpoint = "https://" + resetListener(t) + "/"
	}
	if c.faults != nil {
		srv.Inject(col.action, c.faults()...)
	}
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    endpoint,
		Credentials: creds,
		HTTPClient:  &http.Client{Transport: tr},
		Logger:      cfg.logger,
		Retry:       matrixRetry,
	})
	if err != nil {
		t.Fatal(err)
	}
	deadline := c.deadline
	if deadline == 0 {
		deadline = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	func() {
		defer func() { res.panicked = recover() }()
		sr, err := col.submit(ctx, client)
		res.res, res.err = sr, err
		if sr != nil {
			res.metaN = sr.Attempts
			if sr.TaskNo == "" {
				t.Errorf("success without TaskNo: %+v", sr)
			}
		}
	}()
	if res.panicked != nil {
		t.Errorf("the call panicked: %v", res.panicked)
	}
	if cfg.observe != nil {
		cfg.observe(col.name, res.res, res.err)
	}
	srv.Close() // waits for the handlers, so that the counts are final
	res.sees = callerSees(res.err)
	res.orders = srv.Submissions(matrixDomain)
	if c.client != clientOK {
		res.attempts = int(dials.Load())
	} else {
		res.attempts = srv.Requests(col.action)
	}
	return res
}

// renderOrderMatrix renders the results as a markdown table, one column
// per order action.
func renderOrderMatrix(results [][]cellResult) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Each cell: what the caller sees · attempts · paid orders on the server, as in the redeem matrix.\n")
	fmt.Fprintf(&b, "Generated by `go test -run TestFaultMatrixOrders -update`.\n\n")
	b.WriteString("| fault |")
	for _, col := range orderColumns {
		b.WriteString(" " + col.name + " |")
	}
	b.WriteString("\n|---|")
	for range orderColumns {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for i, c := range faultMatrix {
		fmt.Fprintf(&b, "| %s |", c.name)
		for j := range orderColumns {
			got := results[i][j]
			fmt.Fprintf(&b, " %s · %s · %s |", got.sees, plural(got.attempts, "attempt"), plural(got.orders, "order"))
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}
