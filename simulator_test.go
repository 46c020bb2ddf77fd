package alidomain

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
)

// simClient returns a simulator and a client for it, with fast retries.
func simClient(t *testing.T, simOpts []alidomaintest.Option, optFns ...func(*Options)) (*Client, *alidomaintest.Server) {
	t.Helper()
	sim := alidomaintest.NewServer(simOpts...)
	t.Cleanup(sim.Close)
	opts := Options{
		Endpoint:    sim.URL,
		Credentials: StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret),
		Retry:       RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond},
	}
	c, err := New(opts, optFns...)
	require.NoError(t, err)
	return c, sim
}

var simExpiry = time.Date(2026, 10, 1, 8, 30, 15, 123e6, time.UTC)

// The whole workflow passes every gateway check of the simulator, in JSON
// and in XML, with and without an STS token.
func TestSimulatorWorkflow(t *testing.T) {
	for _, tc := range []struct {
		name    string
		format  string
		token   string
		simOpts []alidomaintest.Option
	}{
		{"json", "JSON", "", nil},
		{"xml", "XML", "", nil},
		{"sts", "JSON", "sts/token+=", []alidomaintest.Option{alidomaintest.WithSecurityToken("sts/token+=")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, sim := simClient(t, tc.simOpts, func(o *Options) { o.Format = tc.format })
			if tc.token != "" {
				c, _ = New(c.Options(), func(o *Options) {
					o.Credentials = StaticSTSCredentials(sim.AccessKeyID, sim.AccessKeySecret, tc.token)
				})
			}
			sim.AddDomain("example.com", simExpiry, alidomaintest.NeedsRedemption())
			sim.AddDomain("例子.中国", simExpiry.AddDate(0, 0, 1), alidomaintest.NeedsRedemption())
			sim.AddDomain("fine.net", simExpiry.AddDate(1, 0, 0), alidomaintest.Normal())
			ctx := context.Background()

			var req BatchRedeemRequest
			for d, err := range c.Domains.ListIter(ctx, &ListDomainsRequest{QueryType: QueryNeedsRedemption, PageSize: 1}) {
				require.NoError(t, err)
				req.Domains = append(req.Domains, d.RedeemDomain())
			}
			require.Len(t, req.Domains, 2)
			assert.True(t, req.Domains[0].CurrentExpirationDate.Equal(simExpiry), "expiration date not exact: %v", req.Domains[0].CurrentExpirationDate)

			res, err := c.Redeem.SubmitBatch(ctx, &req)
			require.NoError(t, err)
			report, err := c.Tasks.Wait(ctx, res.TaskNo, &WaitOptions{PollInterval: time.Millisecond})
			require.NoError(t, err)
			assert.Equal(t, TaskCounts{Succeeded: 2, Total: 2}, report.Counts)
			assert.Equal(t, 1, sim.Orders("example.com"))
			assert.Equal(t, 1, sim.Orders("例子.中国"))
			assert.Equal(t, 0, sim.Orders("fine.net"))

			tasks, err := c.Tasks.List(ctx, nil)
			require.NoError(t, err)
			require.Len(t, tasks.Items, 1)
			assert.Equal(t, res.TaskNo, tasks.Items[0].TaskNo)
		})
	}
}

func TestSimulatorRejectsWrongSignature(t *testing.T) {
	c, sim := simClient(t, nil)
	sim.AddDomain("example.com", simExpiry, alidomaintest.NeedsRedemption())
	_, err := c.Domains.List(context.Background(), nil, func(o *Options) {
		o.Credentials = StaticCredentials(sim.AccessKeyID, "not-the-secret")
	})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "SignatureDoesNotMatch", ae.Code)
	assert.Equal(t, 400, ae.HTTPStatus)
	assert.ErrorIs(t, err, ErrAuth)
	assert.NotContains(t, err.Error(), "not-the-secret")
}

func TestSimulatorRejectsUnknownKey(t *testing.T) {
	c, _ := simClient(t, nil, func(o *Options) { o.Credentials = StaticCredentials("LTAIunknown", "x") })
	_, err := c.Domains.List(context.Background(), nil)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "InvalidAccessKeyId.NotFound", ae.Code)
	assert.ErrorIs(t, err, ErrAuth)
}

func TestSimulatorRejectsOldTimestamp(t *testing.T) {
	c, sim := simClient(t, nil)
	c.now = func() time.Time { return time.Now().Add(-20 * time.Minute) }
	_, err := c.Redeem.Submit(context.Background(), &RedeemRequest{DomainName: "example.com", CurrentExpirationDate: simExpiry})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "InvalidTimeStamp.Expired", ae.Code)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a 4xx from the gateway means the order was refused")
	assert.Equal(t, 0, sim.Orders("example.com"))
}

func TestSimulatorRejectsReplayedNonce(t *testing.T) {
	c, _ := simClient(t, nil)
	c.nonce = func() string { return "0123456789abcdef0123456789abcdef" }
	_, err := c.Domains.List(context.Background(), nil)
	require.NoError(t, err)
	_, err = c.Domains.List(context.Background(), nil)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "SignatureNonceUsed", ae.Code)
}

// The promise end to end: a dropped connection after the order was placed is
// an unknown outcome, never re-sent, and Reconcile finds the order.
func TestSimulatorCommitThenDropIsReconciled(t *testing.T) {
	c, sim := simClient(t, nil)
	sim.AddDomain("example.com", simExpiry, alidomaintest.NeedsRedemption())
	sim.AddDomain("example.net", simExpiry, alidomaintest.NeedsRedemption())
	sim.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.CommitThenDrop())
	ctx := context.Background()

	_, err := c.Redeem.SubmitBatch(ctx, &BatchRedeemRequest{Domains: []RedeemDomain{{DomainName: "example.com", CurrentExpirationDate: simExpiry}}})
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	var ou *OutcomeUnknownError
	require.True(t, errors.As(err, &ou))
	assert.Equal(t, 1, sim.Orders("example.com"))
	assert.Equal(t, 1, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem))

	found, err := c.Redeem.Reconcile(ctx, ou.SentAt.Add(-5*time.Minute), []string{"EXAMPLE.com", "example.net"})
	require.NoError(t, err)
	require.Contains(t, found, "EXAMPLE.com")
	require.NotNil(t, found["EXAMPLE.com"])
	assert.Equal(t, TaskSucceeded, found["EXAMPLE.com"].Status)
	assert.Contains(t, found, "example.net")
	assert.Nil(t, found["example.net"])
	assert.Equal(t, 1, sim.Orders("example.com"), "reconciling placed no order")
}

// A failed redemption reports the service's reason.
func TestSimulatorFailedDetail(t *testing.T) {
	c, sim := simClient(t, nil)
	sim.AddDomain("example.com", simExpiry, alidomaintest.NeedsRedemption())
	ctx := context.Background()
	res, err := c.Redeem.Submit(ctx, &RedeemRequest{DomainName: "example.com", CurrentExpirationDate: simExpiry.Add(time.Millisecond)})
	require.NoError(t, err)
	report, err := c.Tasks.Wait(ctx, res.TaskNo, &WaitOptions{PollInterval: time.Millisecond})
	require.NoError(t, err)
	require.Len(t, report.Failed(), 1)
	assert.Contains(t, report.Failed()[0].ErrorMsg, "CurrentExpirationDate")
}
