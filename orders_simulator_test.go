package alidomain

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
)

// waitTask waits for a task on the simulator and returns its details by
// domain name.
func waitTask(t *testing.T, c *Client, taskNo string) map[string]TaskDetail {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := c.Tasks.Wait(ctx, taskNo, &WaitOptions{PollInterval: time.Millisecond})
	require.NoError(t, err)
	out := map[string]TaskDetail{}
	for _, d := range rep.Details {
		out[d.DomainName] = d
	}
	return out
}

// Renewal end to end: the dates come from the domain list, renewing moves
// the expiration date by the years ordered, a stale date is refused.
func TestSimulatorRenew(t *testing.T) {
	c, sim := simClient(t, nil)
	ctx := context.Background()
	sim.AddDomain("renew.com", simExpiry, alidomaintest.NeedsRenewal())
	sim.AddDomain("例子.中国", simExpiry.AddDate(0, 1, 0), alidomaintest.Normal())
	sim.AddDomain("stale.net", simExpiry, alidomaintest.Normal())

	var req BatchRenewRequest
	for d, err := range c.Domains.ListIter(ctx, &ListDomainsRequest{PageSize: 1}) {
		require.NoError(t, err)
		rd := d.RenewDomain(2)
		if d.DomainName == "stale.net" {
			rd.CurrentExpirationDate = rd.CurrentExpirationDate.Add(-time.Hour)
		}
		req.Domains = append(req.Domains, rd)
	}
	require.Len(t, req.Domains, 3)
	res, err := c.Renew.SubmitBatch(ctx, &req)
	require.NoError(t, err)
	details := waitTask(t, c, res.TaskNo)
	require.Len(t, details, 3)
	assert.Equal(t, TaskSucceeded, details["renew.com"].Status)
	assert.Equal(t, "ORDER_RENEW", details["renew.com"].TaskType)
	assert.Equal(t, TaskFailed, details["stale.net"].Status, "a stale CurrentExpirationDate is refused")
	assert.Equal(t, alidomaintest.MsgExpirationMismatch, details["stale.net"].ErrorMsg)

	got := map[string]time.Time{}
	for d, err := range c.Domains.ListIter(ctx, nil) {
		require.NoError(t, err)
		got[d.DomainName] = d.ExpirationDate
	}
	assert.True(t, got["renew.com"].Equal(simExpiry.AddDate(2, 0, 0)), "renew.com expires %v", got["renew.com"])
	assert.True(t, got["stale.net"].Equal(simExpiry), "a refused renewal moved the date")
	assert.Equal(t, 1, sim.OrdersOf(alidomaintest.KindRenew, "renew.com"))
	assert.Equal(t, 1, sim.OrdersOf(alidomaintest.KindRenew, "xn--fsqu00a.xn--fiqs8s"))
	assert.Equal(t, 0, sim.OrdersOf(alidomaintest.KindRenew, "stale.net"))

	// One domain, the default of one year.
	info, ok := sim.Domain("renew.com")
	require.True(t, ok)
	res, err = c.Renew.Submit(ctx, &RenewRequest{DomainName: "renew.com", CurrentExpirationDate: info.Expires})
	require.NoError(t, err)
	assert.Equal(t, TaskSucceeded, waitTask(t, c, res.TaskNo)["renew.com"].Status)
	info, _ = sim.Domain("renew.com")
	assert.True(t, info.Expires.Equal(simExpiry.AddDate(3, 0, 0)), "expires %v", info.Expires)
	assert.Equal(t, 2, sim.OrdersOf(alidomaintest.KindRenew, "renew.com"))
}

// Transfer end to end: the code given to the simulator brings the domain
// into the account; a wrong code fails; an unknown profile refuses the
// order (the gateway's InvalidParameter, nothing submitted); Reconcile
// finds the task whatever type the simulator gives it.
func TestSimulatorTransfer(t *testing.T) {
	for _, typ := range []string{"", "SOME_UNDOCUMENTED_TYPE"} {
		t.Run("type "+typ, func(t *testing.T) {
			c, sim := simClient(t, []alidomaintest.Option{alidomaintest.WithTransferTaskType(typ)})
			ctx := context.Background()
			sim.AddTransferable("moving.com", testAuthCode, simExpiry)
			sim.AddTransferable("wrongcode.com", "the-right-code", simExpiry)
			sim.AddTransferable("noprofile.com", testAuthCode, simExpiry)
			sim.AddRegistrantProfile(77)
			since := time.Now()
			res, err := c.Transfer.SubmitBatch(ctx, &BatchTransferRequest{Domains: []TransferDomain{
				{DomainName: "moving.com", AuthorizationCode: testAuthCode, RegistrantProfileID: 77},
				{DomainName: "wrongcode.com", AuthorizationCode: testAuthCode, RegistrantProfileID: 77},
			}})
			require.NoError(t, err)
			_, err = c.Transfer.SubmitBatch(ctx, &BatchTransferRequest{Domains: []TransferDomain{
				{DomainName: "noprofile.com", AuthorizationCode: testAuthCode, RegistrantProfileID: 78},
			}})
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "InvalidParameter", apiErr.Code)
			assert.Equal(t, 0, sim.Submissions("noprofile.com"))
			details := waitTask(t, c, res.TaskNo)
			assert.Equal(t, TaskSucceeded, details["moving.com"].Status)
			assert.Equal(t, TaskFailed, details["wrongcode.com"].Status)
			assert.Equal(t, alidomaintest.MsgAuthCodeMismatch, details["wrongcode.com"].ErrorMsg)
			_, held := sim.Domain("moving.com")
			assert.True(t, held, "the transfer brought the domain into the account")
			_, held = sim.Domain("wrongcode.com")
			assert.False(t, held)
			assert.Equal(t, 1, sim.OrdersOf(alidomaintest.KindTransfer, "moving.com"))

			found, err := c.Transfer.Reconcile(ctx, since, []string{"moving.com", "never.com"})
			require.NoError(t, err)
			require.NotNil(t, found["moving.com"])
			assert.Equal(t, res.TaskNo, found["moving.com"].TaskNo)
			assert.Nil(t, found["never.com"])
		})
	}
}

// Registration end to end: an available name and a known profile register;
// a taken name fails; an unknown profile refuses the order.
func TestSimulatorRegister(t *testing.T) {
	c, sim := simClient(t, nil)
	ctx := context.Background()
	sim.AddAvailable("fresh.com")
	sim.AddAvailable("noprofile.com")
	sim.AddDomain("taken.com", simExpiry, alidomaintest.Normal())
	sim.AddRegistrantProfile(5)
	res, err := c.Register.SubmitBatch(ctx, &BatchRegisterRequest{Domains: []RegisterDomain{
		{DomainName: "fresh.com", Years: 3, RegistrantProfileID: 5, EnableDomainProxy: Ptr(true)},
		{DomainName: "taken.com", RegistrantProfileID: 5, AliyunDNS: Ptr(false), DNS1: "ns1.example.org", DNS2: "ns2.example.org"},
	}})
	require.NoError(t, err)
	_, err = c.Register.SubmitBatch(ctx, &BatchRegisterRequest{Domains: []RegisterDomain{
		{DomainName: "noprofile.com", RegistrantProfileID: 6},
	}})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "InvalidParameter", apiErr.Code)
	assert.Equal(t, 0, sim.Submissions("noprofile.com"))
	details := waitTask(t, c, res.TaskNo)
	assert.Equal(t, TaskSucceeded, details["fresh.com"].Status)
	assert.Equal(t, "ORDER_ACTIVATE", details["fresh.com"].TaskType)
	assert.Equal(t, alidomaintest.MsgAlreadyInAccount, details["taken.com"].ErrorMsg)
	info, held := sim.Domain("fresh.com")
	require.True(t, held)
	assert.True(t, info.Expires.Equal(info.Registered.AddDate(3, 0, 0)), "registered %v expires %v", info.Registered, info.Expires)
	assert.Equal(t, 1, sim.OrdersOf(alidomaintest.KindRegister, "fresh.com"))
	assert.Equal(t, 0, sim.OrdersOf(alidomaintest.KindRegister, "taken.com"))
}

// After a commit-then-drop, each kind's Reconcile finds the order that was
// placed, so the caller does not pay twice; and only its own kind's.
func TestSimulatorReconcileAfterDrop(t *testing.T) {
	c, sim := simClient(t, nil)
	ctx := context.Background()
	sim.AddDomain("r.com", simExpiry, alidomaintest.Normal())
	sim.AddTransferable("t.com", testAuthCode, simExpiry)
	sim.AddAvailable("g.com")
	sim.AddRegistrantProfile(1)
	kinds := []struct {
		action    string
		submit    func() error
		reconcile func(context.Context, time.Time, []string, ...func(*Options)) (map[string]*TaskDetail, error)
		name      string
	}{
		{"SaveSingleTaskForCreatingOrderRenew", func() error {
			_, err := c.Renew.Submit(ctx, &RenewRequest{DomainName: "r.com", CurrentExpirationDate: simExpiry})
			return err
		}, c.Renew.Reconcile, "r.com"},
		{"SaveBatchTaskForCreatingOrderTransfer", func() error {
			_, err := c.Transfer.SubmitBatch(ctx, &BatchTransferRequest{Domains: []TransferDomain{{DomainName: "t.com", AuthorizationCode: testAuthCode, RegistrantProfileID: 1}}})
			return err
		}, c.Transfer.Reconcile, "t.com"},
		{"SaveSingleTaskForCreatingOrderActivate", func() error {
			_, err := c.Register.Submit(ctx, &RegisterRequest{RegisterDomain: RegisterDomain{DomainName: "g.com", RegistrantProfileID: 1}})
			return err
		}, c.Register.Reconcile, "g.com"},
	}
	since := time.Now()
	for _, k := range kinds {
		sim.Inject(k.action, alidomaintest.CommitThenDrop())
		err := k.submit()
		require.ErrorIs(t, err, ErrOutcomeUnknown, k.action)
		assert.Equal(t, 1, sim.Requests(k.action), "%s was sent again", k.action)
		assert.Equal(t, 1, sim.Orders(k.name))
	}
	for i, k := range kinds {
		found, err := k.reconcile(ctx, since, []string{k.name, kinds[(i+1)%len(kinds)].name})
		require.NoError(t, err)
		require.NotNil(t, found[k.name], "%s: the placed order was not found", k.action)
		// The other name has an order of another, documented kind only.
		assert.Nil(t, found[kinds[(i+1)%len(kinds)].name], "%s reported another kind's order", k.action)
	}
}
