package alidomain_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

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
	reconcile    func(*alidomain.Client) reconcileFunc
}

func reconcileRenew(c *alidomain.Client) reconcileFunc { return c.Renew.Reconcile }

func reconcileTransfer(c *alidomain.Client) reconcileFunc { return c.Transfer.Reconcile }

func reconcileRegister(c *alidomain.Client) reconcileFunc { return c.Register.Reconcile }

const matrixProfile = 4242

var orderColumns = []orderColumn{
	{"Renew.SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew, prepareRenew,
		func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Renew.SubmitBatch(ctx, &alidomain.BatchRenewRequest{Domains: []alidomain.RenewDomain{{DomainName: matrixDomain, CurrentExpirationDate: matrixExpires, Years: 2}}})
		}, reconcileRenew},
	{"Renew.Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderRenew, prepareRenew,
		func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Renew.Submit(ctx, &alidomain.RenewRequest{DomainName: matrixDomain, CurrentExpirationDate: matrixExpires})
		}, reconcileRenew},
	{"Transfer.SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderTransfer, prepareTransfer,
		func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Transfer.SubmitBatch(ctx, &alidomain.BatchTransferRequest{Domains: []alidomain.TransferDomain{matrixTransfer}})
		}, reconcileTransfer},
	{"Transfer.Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderTransfer, prepareTransfer,
		func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Transfer.Submit(ctx, &alidomain.TransferRequest{TransferDomain: matrixTransfer})
		}, reconcileTransfer},
	{"Register.SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderActivate, prepareRegister,
		func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Register.SubmitBatch(ctx, &alidomain.BatchRegisterRequest{Domains: []alidomain.RegisterDomain{matrixRegister}})
		}, reconcileRegister},
	{"Register.Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderActivate, prepareRegister,
		func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Register.Submit(ctx, &alidomain.RegisterRequest{RegisterDomain: matrixRegister})
		}, reconcileRegister},
}

var (
	matrixTransfer = alidomain.TransferDomain{DomainName: matrixDomain, AuthorizationCode: "Matrix#Code+1 x", RegistrantProfileID: matrixProfile}
	matrixRegister = alidomain.RegisterDomain{DomainName: matrixDomain, Years: 1, RegistrantProfileID: matrixProfile}
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

// orderKinds maps each order column to the simulator's kind.
var orderKinds = map[string]alidomaintest.OrderKind{
	"Renew.SubmitBatch": alidomaintest.KindRenew, "Renew.Submit": alidomaintest.KindRenew,
	"Transfer.SubmitBatch": alidomaintest.KindTransfer, "Transfer.Submit": alidomaintest.KindTransfer,
	"Register.SubmitBatch": alidomaintest.KindRegister, "Register.Submit": alidomaintest.KindRegister,
}

// runOrderMatrix runs every fault of faultMatrix against the columns cols
// under each mode, all in parallel, and returns the results by mode, row
// and column.
func runOrderMatrix(t *testing.T, cfg matrixConfig, modes []wireMode, cols []orderColumn) [][][]cellResult {
	all := make([][][]cellResult, len(modes))
	var cells []cell
	for m, mode := range modes {
		all[m] = make([][]cellResult, len(faultMatrix))
		cfg := cfg
		cfg.mode = mode
		for i, c := range faultMatrix {
			all[m][i] = make([]cellResult, len(cols))
			for j, col := range cols {
				cells = append(cells, cell{fmt.Sprintf("%s/%02d-%s", mode, i, col.name), func(t *testing.T) {
					all[m][i][j] = runOrderCell(t, cfg, c, col)
				}})
			}
		}
	}
	runCells(t, cells)
	return all
}

// TestFaultMatrixOrders runs every fault of faultMatrix against the renew,
// transfer and register orders, batch and single, under both signature
// versions and both parameter placements: each must behave as redemption's
// SubmitBatch does (the same expectations), with never more than one order
// for one submission and every order of the column's kind. The golden table
// is the V2, query run's; the other three must give exactly its cells.
func TestFaultMatrixOrders(t *testing.T) {
	all := runOrderMatrix(t, matrixConfig{}, wireModes, orderColumns)
	for m, mode := range wireModes {
		for i, c := range faultMatrix {
			want := c.want[opSubmitBatch]
			for j, col := range orderColumns {
				got := all[m][i][j]
				if got.sees != want.sees || got.attempts != want.attempts || got.orders != want.orders {
					t.Errorf("%s: %s / %s: got %s, %d attempts, %d orders (err: %v); want %s, %d attempts, %d orders",
						mode, c.name, col.name, got.sees, got.attempts, got.orders, got.err, want.sees, want.attempts, want.orders)
				}
				if got.orders > 1 {
					t.Errorf("%s: %s / %s: %d orders for one submission", mode, c.name, col.name, got.orders)
				}
				if got.sees == seesSuccess && got.metaN != got.attempts {
					t.Errorf("%s: %s / %s: Meta.Attempts %d, the server saw %d", mode, c.name, col.name, got.metaN, got.attempts)
				}
			}
		}
	}
	for m := 1; m < len(wireModes); m++ {
		var diffs []string
		for i, c := range faultMatrix {
			for j, col := range orderColumns {
				if d := cellDiff(all[0][i][j], all[m][i][j]); d != "" {
					diffs = append(diffs, fmt.Sprintf("  %s / %s: %s", c.name, col.name, d))
				}
			}
		}
		if len(diffs) > 0 {
			t.Errorf("%s gives %d cells unlike %s's:\n%s", wireModes[m], len(diffs), wireModes[0], strings.Join(diffs, "\n"))
		}
	}
	results := all[0]
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
	srv, creds := newCellServer(cfg, c)
	defer srv.Close()
	col.prepare(srv)
	if cfg.creds != nil {
		creds = cfg.creds(srv)
	}

	cc := newCellClient(t, cfg, c, srv, col.action, creds)
	client, front := cc.client, cc.front
	ctx, cancel := cellContext(c)
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
	reconciled := reconcileCell(t, cfg, c, res.err, col.reconcile(client))
	if cfg.observe != nil {
		cfg.observe(col.name, res.res, res.err)
	}
	srv.Close() // waits for the handlers, so that the counts are final
	checkWire(t, cfg, c, cc)
	res.sees = callerSees(res.err) + reconciled
	res.orders = srv.Submissions(matrixDomain)
	if kind := orderKinds[col.name]; srv.SubmissionsOf(kind, matrixDomain) != res.orders {
		t.Errorf("%s: %d submissions, %d of them %s", col.name, res.orders, srv.SubmissionsOf(kind, matrixDomain), kind)
	}
	switch {
	case c.client != clientOK:
		res.attempts = int(cc.dials.Load())
	case front != nil:
		// The front took each complete request: each is an order.
		res.attempts = front.Requests(col.action)
		res.orders = res.attempts
	default:
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
