package alidomain_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// newExampleClient starts a simulator seeded with three expired domains, one
// of which the simulated registry will refuse, and a client pointed at it.
func newExampleClient() (*alidomain.Client, *alidomaintest.Server) {
	sim := alidomaintest.NewServer()
	expired := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	sim.AddDomain("example.com", expired, alidomaintest.NeedsRedemption())
	sim.AddDomain("example.net", expired.AddDate(0, 0, 3), alidomaintest.NeedsRedemption())
	sim.AddDomain("example.org", expired.AddDate(0, 0, 5), alidomaintest.FailRedeem("the registry refused the redemption"), alidomaintest.NeedsRedemption())
	sim.AddDomain("example.io", expired.AddDate(1, 0, 0), alidomaintest.Normal())
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    sim.URL,
		Credentials: alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret),
	})
	if err != nil {
		log.Fatal(err)
	}
	return client, sim
}

// New with the real endpoint and the usual credential chain.
func ExampleNew() {
	client, err := alidomain.New(alidomain.Options{
		Credentials: alidomain.DefaultCredentials(),
		Logger:      nil, // a *slog.Logger gets one Debug record per attempt
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.Options().Endpoint)
	// Output: https://domain.aliyuncs.com/
}

// The whole redemption workflow: find the domains in their redemption
// period, submit them as one batch, wait for the task.
func ExampleRedeemService_SubmitBatch() {
	client, sim := newExampleClient()
	defer sim.Close()
	ctx := context.Background()

	req := &alidomain.BatchRedeemRequest{}
	for d, err := range client.Domains.ListIter(ctx, &alidomain.ListDomainsRequest{QueryType: alidomain.QueryNeedsRedemption}) {
		if err != nil {
			log.Fatal(err)
		}
		req.Domains = append(req.Domains, d.RedeemDomain()) // the exact expiration date
	}
	res, err := client.Redeem.SubmitBatch(ctx, req)
	var unknown *alidomain.OutcomeUnknownError
	if errors.As(err, &unknown) {
		// Never submit again blindly: see ExampleRedeemService_Reconcile.
		log.Fatal(err)
	}
	if err != nil {
		log.Fatal(err) // nothing was ordered
	}
	fmt.Println("submitted", len(req.Domains), "domains in one task:", res.TaskNo != "")

	report, err := client.Tasks.Wait(ctx, res.TaskNo, &alidomain.WaitOptions{PollInterval: 10 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range report.Details {
		fmt.Println(d.DomainName, d.Status)
	}
	for _, d := range report.Failed() {
		fmt.Println("failed:", d.DomainName, "-", d.ErrorMsg)
	}
	// Output:
	// submitted 3 domains in one task: true
	// example.com succeeded
	// example.net succeeded
	// example.org failed
	// failed: example.org - the registry refused the redemption
}

// Waiting for a task, with progress reports.
func ExampleTaskService_Wait() {
	client, sim := newExampleClient()
	defer sim.Close()
	ctx := context.Background()

	res, err := client.Redeem.Submit(ctx, &alidomain.RedeemRequest{
		DomainName:            "example.com",
		CurrentExpirationDate: time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	report, err := client.Tasks.Wait(ctx, res.TaskNo, &alidomain.WaitOptions{
		PollInterval: 10 * time.Millisecond,
		Progress:     func(c alidomain.TaskCounts) { fmt.Println("progress:", c) },
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(report.Counts.Succeeded, "of", report.Counts.Total, "succeeded")
	// Output:
	// progress: 1 details: 0 waiting, 0 executing, 1 succeeded, 0 failed
	// 1 of 1 succeeded
}

// Listing every domain that needs redemption, page by page.
func ExampleDomainService_ListIter() {
	client, sim := newExampleClient()
	defer sim.Close()

	req := &alidomain.ListDomainsRequest{QueryType: alidomain.QueryNeedsRedemption, PageSize: 2}
	for d, err := range client.Domains.ListIter(context.Background(), req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(d.DomainName, d.DomainStatus, d.ExpirationDate.Format(time.DateOnly))
	}
	// Output:
	// example.com needs redemption 2026-10-01
	// example.net needs redemption 2026-10-04
	// example.org needs redemption 2026-10-06
}

// After an outcome-unknown failure (here, the connection dropped after the
// service placed the order), Reconcile says which domains were ordered, so
// that only the others are submitted again.
func ExampleRedeemService_Reconcile() {
	client, sim := newExampleClient()
	defer sim.Close()
	ctx := context.Background()
	sim.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.CommitThenDrop())

	req := &alidomain.BatchRedeemRequest{Domains: []alidomain.RedeemDomain{
		{DomainName: "example.com", CurrentExpirationDate: time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)},
	}}
	_, err := client.Redeem.SubmitBatch(ctx, req)
	var unknown *alidomain.OutcomeUnknownError
	if !errors.As(err, &unknown) {
		log.Fatal("expected an unknown outcome, got ", err)
	}
	fmt.Println("outcome unknown:", errors.Is(err, alidomain.ErrOutcomeUnknown))

	found, err := client.Redeem.Reconcile(ctx, unknown.SentAt.Add(-5*time.Minute), []string{"example.com", "example.net"})
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"example.com", "example.net"} {
		if d := found[name]; d != nil {
			fmt.Println(name, "was ordered:", d.Status)
		} else {
			fmt.Println(name, "was not ordered: safe to submit")
		}
	}
	fmt.Println("orders placed for example.com:", sim.Orders("example.com"))
	// Output:
	// outcome unknown: true
	// example.com was ordered: succeeded
	// example.net was not ordered: safe to submit
	// orders placed for example.com: 1
}

// Errors carry the service's code; errors.Is sorts them into kinds.
func ExampleAPIError() {
	client, sim := newExampleClient()
	defer sim.Close()
	sim.Inject(alidomaintest.ActionQueryDomainList, alidomaintest.ThrottleForever())

	_, err := client.Domains.List(context.Background(), &alidomain.ListDomainsRequest{},
		func(o *alidomain.Options) {
			o.Retry = alidomain.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}
		})
	var apiErr *alidomain.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.HTTPStatus, apiErr.ErrorCode(), errors.Is(err, alidomain.ErrThrottled))
	}
	// Output: 400 Throttling.User true
}

// redeemExpired is README's Quick start, verbatim (TestReadmeQuickStart
// keeps the two identical).
func redeemExpired(ctx context.Context, opts alidomain.Options) error {
	client, err := alidomain.New(opts)
	if err != nil {
		return err
	}

	// 1. Find the domains in their redemption period, with their exact expiration dates.
	req := &alidomain.BatchRedeemRequest{}
	var names []string
	for d, err := range client.Domains.ListIter(ctx, &alidomain.ListDomainsRequest{
		QueryType: alidomain.QueryNeedsRedemption,
	}) {
		if err != nil {
			return err
		}
		req.Domains = append(req.Domains, d.RedeemDomain())
		names = append(names, d.DomainName)
	}
	if len(req.Domains) == 0 {
		return nil // nothing to redeem
	}

	// 2. Redeem them in one task (SaveBatchTaskForCreatingOrderRedeem). This costs money.
	res, err := client.Redeem.SubmitBatch(ctx, req)
	var unknown *alidomain.OutcomeUnknownError
	if errors.As(err, &unknown) {
		// The order may or may not have been placed: reconcile, never resubmit blindly.
		found, rerr := client.Redeem.Reconcile(ctx, unknown.SentAt.Add(-5*time.Minute), names)
		if rerr != nil {
			return rerr
		}
		for name, d := range found {
			if d == nil {
				log.Printf("%s: no order was placed; safe to submit it again", name)
			} else {
				log.Printf("%s: ordered in task %s (%s)", name, d.TaskNo, d.Status)
			}
		}
		return err
	}
	if err != nil {
		return err // nothing was ordered
	}

	// 3. Follow the task until every domain has a result (QueryTaskDetailList).
	report, err := client.Tasks.Wait(ctx, res.TaskNo, &alidomain.WaitOptions{
		Progress: func(c alidomain.TaskCounts) { log.Println(c) },
	})
	if err != nil {
		return err
	}
	for _, d := range report.Details {
		fmt.Println(d.DomainName, d.Status)
	}
	for _, d := range report.Failed() {
		log.Printf("%s failed: %s", d.DomainName, d.ErrorMsg)
	}
	return nil
}

// README's Quick start, run against the simulator. For the real service:
// alidomain.Options{Credentials: alidomain.DefaultCredentials()}.
func Example_quickStart() {
	sim := alidomaintest.NewServer()
	defer sim.Close()
	expired := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	sim.AddDomain("example.com", expired, alidomaintest.NeedsRedemption())
	sim.AddDomain("example.net", expired.AddDate(0, 0, 3), alidomaintest.NeedsRedemption())
	log.SetOutput(io.Discard)
	defer log.SetOutput(os.Stderr)

	err := redeemExpired(context.Background(), alidomain.Options{
		Endpoint:    sim.URL,
		Credentials: alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret),
	})
	fmt.Println("error:", err)
	// Output:
	// example.com succeeded
	// example.net succeeded
	// error: <nil>
}

// An action the SDK does not type yet, through Client.Call: the same
// signing, retries and errors, the answer in a map (or a struct of yours).
func ExampleClient_Call() {
	client, sim := newExampleClient()
	defer sim.Close()

	var out map[string]any
	meta, err := client.Call(context.Background(), &alidomain.CallRequest{
		Action:     "QueryDomainList",
		Params:     url.Values{"QueryType": {"2"}, "PageNum": {"1"}, "PageSize": {"20"}},
		Idempotent: true, // a read: safe to retry
	}, &out)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("attempts:", meta.Attempts, "total:", out["TotalItemNum"])
	for _, d := range out["Data"].(map[string]any)["Domain"].([]any) {
		fmt.Println(d.(map[string]any)["DomainName"])
	}
	// Output:
	// attempts: 1 total: 3
	// example.com
	// example.net
	// example.org
}
