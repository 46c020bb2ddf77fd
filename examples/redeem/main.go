// Command redeem shows the SDK's redemption workflow on the simulator's
// demo account (no account, no network, no cost): list the domains in
// their redemption period, redeem them in one paid order, follow the task.
// For real work use the tool: go run ./cmd/alidomain --simulate redeem --all.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

func main() {
	sim := alidomaintest.NewServer(alidomaintest.WithTaskDuration(time.Second))
	sim.AddDemoAccount()
	// On the real service: alidomain.Options{Credentials: alidomain.DefaultCredentials()}.
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    sim.URL,
		Credentials: alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret),
	})
	if err == nil {
		err = redeem(context.Background(), client, os.Stdout, 250*time.Millisecond)
	}
	if sim.Close(); err != nil {
		log.Fatal(err)
	}
}

// redeem redeems every domain in its redemption period in one order and
// prints each domain's result; poll is the first pause between polls.
func redeem(ctx context.Context, client *alidomain.Client, w io.Writer, poll time.Duration) error {
	// 1. The domains in their redemption period, with the exact expiration
	// dates a redemption order must state (QueryDomainList, every page).
	req := &alidomain.BatchRedeemRequest{}
	for d, err := range client.Domains.ListIter(ctx, &alidomain.ListDomainsRequest{
		QueryType: alidomain.QueryNeedsRedemption,
	}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "in redemption: %s, expired %s\n", d.DomainName, d.ExpirationDate.Format(time.DateOnly))
		req.Domains = append(req.Domains, d.RedeemDomain())
	}
	if len(req.Domains) == 0 {
		fmt.Fprintln(w, "nothing to redeem")
		return nil
	}

	// 2. One paid order for all of them (SaveBatchTaskForCreatingOrderRedeem).
	// An *alidomain.OutcomeUnknownError means it may have been placed:
	// never submit it again blindly, reconcile (see examples/renew).
	res, err := client.Redeem.SubmitBatch(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "ordered %d domains in task %s\n", len(req.Domains), res.TaskNo)

	// 3. Follow the task until every domain has its result.
	var last alidomain.TaskCounts
	report, err := client.Tasks.Wait(ctx, res.TaskNo, &alidomain.WaitOptions{
		PollInterval: poll,
		Progress: func(c alidomain.TaskCounts) {
			if c != last {
				fmt.Fprintln(w, "  ", c)
				last = c
			}
		},
	})
	if err != nil {
		return err
	}
	for _, d := range report.Details {
		if d.Status == alidomain.TaskFailed {
			fmt.Fprintf(w, "%s: failed: %s\n", d.DomainName, d.ErrorMsg)
		} else {
			fmt.Fprintf(w, "%s: %s\n", d.DomainName, d.Status)
		}
	}
	fmt.Fprintf(w, "%d redeemed, %d failed\n", report.Counts.Succeeded, report.Counts.Failed)
	return nil
}
