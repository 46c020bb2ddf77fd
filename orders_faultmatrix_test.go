package alidomain_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

const orderMatrixGolden = "testdata/faultmatrix-orders.golden.md"

// orderColumn is one write the order fault matrix drives: a paid order of
// the renew, transfer and register family, a task write or an other write
// (neither repeat-safe). The simulator is prepared so that the write
// succeeds when no fault intervenes.
type orderColumn struct {
	name, action string
	prepare      func(*alidomaintest.Server)
	// submit sends the write once and returns its answer (a
	// *SubmitResult, or the typed answer of client.API).
	submit func(context.Context, *alidomain.Client) (any, error)
	// lookup finds out, after an unknown outcome, whether the write took
	// effect.
	lookup func(*alidomain.Client) lookup
	// unit names what the write creates, counted in the cells.
	unit string
}

// lookup is how the caller of one column finds out what became of a write
// whose outcome is unknown.
type lookup struct {
	name string // as the matrix shows it, such as "`Reconcile`"
	// find says whether the write took effect since about since, and
	// returns what it read.
	find func(ctx context.Context, since time.Time) (found bool, read any, err error)
}

// reconciler is the lookup of an order kind: its Reconcile (which r
// picks from a client, once the lookup runs) for matrixDomain.
func reconciler(r func(*alidomain.Client) reconcileFunc) func(*alidomain.Client) lookup {
	return func(c *alidomain.Client) lookup {
		return lookup{"`Reconcile`", func(ctx context.Context, since time.Time) (bool, any, error) {
			found, err := r(c)(ctx, since, []string{matrixDomain})
			return found[matrixDomain] != nil, found, err
		}}
	}
}

var (
	reconcileRenew    = reconciler(func(c *alidomain.Client) reconcileFunc { return c.Renew.Reconcile })
	reconcileTransfer = reconciler(func(c *alidomain.Client) reconcileFunc { return c.Transfer.Reconcile })
	reconcileRegister = reconciler(func(c *alidomain.Client) reconcileFunc { return c.Register.Reconcile })
)

// order adapts a paid order's call to a column's submit.
func order(f func(context.Context, *alidomain.Client) (*alidomain.SubmitResult, error)) func(context.Context, *alidomain.Client) (any, error) {
	return func(ctx context.Context, c *alidomain.Client) (any, error) { return f(ctx, c) }
}

const matrixProfile = 4242

var orderColumns = []orderColumn{
	{"Renew.SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew, prepareRenew,
		order(func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Renew.SubmitBatch(ctx, &alidomain.BatchRenewRequest{Domains: []alidomain.RenewDomain{{DomainName: matrixDomain, CurrentExpirationDate: matrixExpires, Years: 2}}})
		}), reconcileRenew, "order"},
	{"Renew.Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderRenew, prepareRenew,
		order(func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Renew.Submit(ctx, &alidomain.RenewRequest{DomainName: matrixDomain, CurrentExpirationDate: matrixExpires})
		}), reconcileRenew, "order"},
	{"Transfer.SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderTransfer, prepareTransfer,
		order(func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Transfer.SubmitBatch(ctx, &alidomain.BatchTransferRequest{Domains: []alidomain.TransferDomain{matrixTransfer}})
		}), reconcileTransfer, "order"},
	{"Transfer.Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderTransfer, prepareTransfer,
		order(func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Transfer.Submit(ctx, &alidomain.TransferRequest{TransferDomain: matrixTransfer})
		}), reconcileTransfer, "order"},
	{"Register.SubmitBatch", alidomaintest.ActionSaveBatchTaskForCreatingOrderActivate, prepareRegister,
		order(func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Register.SubmitBatch(ctx, &alidomain.BatchRegisterRequest{Domains: []alidomain.RegisterDomain{matrixRegister}})
		}), reconcileRegister, "order"},
	{"Register.Submit", alidomaintest.ActionSaveSingleTaskForCreatingOrderActivate, prepareRegister,
		order(func(ctx context.Context, c *alidomain.Client) (*alidomain.SubmitResult, error) {
			return c.Register.Submit(ctx, &alidomain.RegisterRequest{RegisterDomain: matrixRegister})
		}), reconcileRegister, "order"},
	// A task write: each performance creates a name-server task.
	{"API.SaveBatchTaskForModifyingDomainDns (task write)", "SaveBatchTaskForModifyingDomainDns", prepareRenew,
		func(ctx context.Context, c *alidomain.Client) (any, error) {
			return c.API.SaveBatchTaskForModifyingDomainDns(ctx, &alidomain.SaveBatchTaskForModifyingDomainDnsRequest{DomainName: []string{matrixDomain}, AliyunDNS: true})
		}, findDNSTask, "task"},
	// An other write: each performance creates a domain group.
	{"API.SaveDomainGroup (other write)", "SaveDomainGroup", func(*alidomaintest.Server) {},
		func(ctx context.Context, c *alidomain.Client) (any, error) {
			return c.API.SaveDomainGroup(ctx, &alidomain.SaveDomainGroupRequest{DomainGroupName: matrixGroup})
		}, findGroup, "group"},
}

// matrixGroup is the name of the group the other-write column creates.
const matrixGroup = "fault matrix"

// dnsTaskType is the TaskType of SaveBatchTaskForModifyingDomainDns's tasks.
const dnsTaskType = "CHG_DNS"

// findDNSTask looks for a name-server task naming matrixDomain created
// since since minus 20 minutes (the service's clock may be 15 behind), as
// Reconcile does for orders: Tasks.List, then the task's details.
func findDNSTask(c *alidomain.Client) lookup {
	return lookup{"`Tasks.List`", func(ctx context.Context, since time.Time) (bool, any, error) {
		var read []alidomain.TaskInfo
		for task, err := range c.Tasks.ListIter(ctx, &alidomain.ListTasksRequest{BeginCreateTime: since.Add(-20 * time.Minute)}) {
			if err != nil {
				return false, read, err
			}
			read = append(read, task)
			if task.TaskType != dnsTaskType {
				continue
			}
			page, err := c.Tasks.ListDetails(ctx, &alidomain.ListTaskDetailsRequest{TaskNo: task.TaskNo, DomainName: matrixDomain})
			if err != nil {
				return false, read, err
			}
			if len(page.Items) > 0 {
				return true, read, nil
			}
		}
		return false, read, nil
	}}
}

// findGroup looks for the group by its name: QueryDomainGroupList.
func findGroup(c *alidomain.Client) lookup {
	return lookup{"`QueryDomainGroupList`", func(ctx context.Context, _ time.Time) (bool, any, error) {
		res, err := c.API.QueryDomainGroupList(ctx, &alidomain.QueryDomainGroupListRequest{DomainGroupName: matrixGroup})
		if err != nil {
			return false, res, err
		}
		for _, g := range res.Data.DomainGroup {
			if g.DomainGroupName == matrixGroup {
				return true, res, nil
			}
		}
		return false, res, nil
	}}
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
// transfer and register orders, batch and single, a task write and an
// other write through client.API, under both signature versions and both
// parameter placements: each must behave as redemption's SubmitBatch does
// (the same expectations; a column without Reconcile finds out with its
// own lookup), taking effect never more than once for one call, every
// order of the column's kind. The golden table is the V2, query run's; the
// other three must give exactly its cells.
func TestFaultMatrixOrders(t *testing.T) {
	all := runOrderMatrix(t, matrixConfig{}, wireModes, orderColumns)
	for m, mode := range wireModes {
		for i, c := range faultMatrix {
			for j, col := range orderColumns {
				want := c.want[opSubmitBatch]
				want.sees = strings.ReplaceAll(want.sees, "`Reconcile`", col.lookup(nil).name)
				got := all[m][i][j]
				if got.sees != want.sees || got.attempts != want.attempts || got.orders != want.orders {
					t.Errorf("%s: %s / %s: got %s, %d attempts, %d orders (err: %v); want %s, %d attempts, %d orders",
						mode, c.name, col.name, got.sees, got.attempts, got.orders, got.err, want.sees, want.attempts, want.orders)
				}
				if got.orders > 1 {
					t.Errorf("%s: %s / %s: %d %ss for one call", mode, c.name, col.name, got.orders, col.unit)
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

// runOrderCell sends one column's write under one fault against a fresh simulator,
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
		res.res, res.err = col.submit(ctx, client)
		res.metaN = checkAnswer(t, res.res)
	}()
	if res.panicked != nil {
		t.Errorf("the call panicked: %v", res.panicked)
	}
	reconciled := reconcileCell(t, cfg, c, res.err, col.lookup(client))
	if cfg.observe != nil {
		cfg.observe(col.name, res.res, res.err)
	}
	srv.Close() // waits for the handlers, so that the counts are final
	checkWire(t, cfg, c, cc)
	res.sees = callerSees(res.err) + reconciled
	// How many times the write took effect on the server: for an order,
	// each submission (also one the service then refused), which is one
	// performance of the action; for the others, each performance.
	res.orders = srv.Performed(col.action)
	if kind := orderKinds[col.name]; kind != "" {
		if n := srv.Submissions(matrixDomain); n != res.orders || srv.SubmissionsOf(kind, matrixDomain) != n {
			t.Errorf("%s: performed %d times, %d submissions, %d of them %s", col.name, res.orders, n, srv.SubmissionsOf(kind, matrixDomain), kind)
		}
	}
	switch {
	case c.client != clientOK:
		res.attempts = int(cc.dials.Load())
	case front != nil:
		// The front took each complete request: each took effect.
		res.attempts = front.Requests(col.action)
		res.orders = res.attempts
	default:
		res.attempts = srv.Requests(col.action)
	}
	return res
}

// renderOrderMatrix renders the results as a markdown table, one column
// per write.
func renderOrderMatrix(results [][]cellResult) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Each cell: what the caller sees · attempts · what took effect on the server (paid orders;\n")
	fmt.Fprintf(&b, "tasks of the task write; groups of the other write), as in the redeem matrix. Neither of the\n")
	fmt.Fprintf(&b, "last two has a `Reconcile`: after an unknown outcome the caller looks with the call named.\n")
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
			fmt.Fprintf(&b, " %s · %s · %s |", got.sees, plural(got.attempts, "attempt"), plural(got.orders, orderColumns[j].unit))
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

// checkAnswer checks that a successful answer of a column names what it
// created, and returns its Meta.Attempts (0 for no answer).
func checkAnswer(t *testing.T, res any) int {
	switch v := res.(type) {
	case *alidomain.SubmitResult:
		if v != nil {
			if v.TaskNo == "" {
				t.Errorf("success without TaskNo: %+v", v)
			}
			return v.Attempts
		}
	case *alidomain.SaveBatchTaskForModifyingDomainDnsResponse:
		if v != nil {
			if v.TaskNo == "" {
				t.Errorf("success without TaskNo: %+v", v)
			}
			return v.Attempts
		}
	case *alidomain.SaveDomainGroupResponse:
		if v != nil {
			if v.DomainGroupID == 0 || v.DomainGroupName != matrixGroup {
				t.Errorf("success without the group: %+v", v)
			}
			return v.Attempts
		}
	default:
		t.Errorf("unexpected answer %T", res)
	}
	return 0
}
