// Command renew shows the SDK's renewal workflow on the simulator's demo
// account (no account, no network, no cost): list what expires within 30
// days, price it, renew it in one order, follow the task; on an unknown
// outcome, reconcile instead of ordering again. For real work use the
// tool: go run ./cmd/alidomain --simulate renew --expiring 30d.
package main

import (
	"context"
	"errors"
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
		err = renew(context.Background(), client, os.Stdout, 250*time.Millisecond)
	}
	if sim.Close(); err != nil {
		log.Fatal(err)
	}
}

// renew renews for a year what expires within 30 days and has a price;
// poll is the first pause between polls.
func renew(ctx context.Context, client *alidomain.Client, w io.Writer, poll time.Duration) error {
	// 1. What expires within 30 days (the service applies the window), every page.
	var domains []alidomain.Domain
	quote := &alidomain.PriceRequest{Currency: "USD"}
	now := time.Now()
	for d, err := range client.Domains.ListIter(ctx, &alidomain.ListDomainsRequest{StartExpirationDate: now, EndExpirationDate: now.AddDate(0, 0, 30)}) {
		if err != nil {
			return err
		}
		domains = append(domains, d)
		quote.Items = append(quote.Items, alidomain.PriceItem{DomainName: d.DomainName, Action: alidomain.PriceRenew, Years: 1})
	}
	if len(domains) == 0 {
		return nil
	}
	// 2. Their prices, in one quote; a domain without a price is not ordered.
	prices, err := client.Domains.Price(ctx, quote)
	if err != nil {
		return err
	}
	order, total, names := &alidomain.BatchRenewRequest{}, 0.0, []string{}
	for i, p := range prices.Prices {
		if p.Avail != alidomain.AvailOrderable {
			fmt.Fprintf(w, "%s: no price, not ordered\n", p.DomainName)
			continue
		}
		fmt.Fprintf(w, "%s: expires %s, %.2f %s\n", p.DomainName, domains[i].ExpirationDate.Format(time.DateOnly), p.Price, p.Currency)
		order.Domains = append(order.Domains, domains[i].RenewDomain(1))
		names, total = append(names, p.DomainName), total+p.Price
	}
	fmt.Fprintf(w, "ordering %d renewals, %.2f USD\n", len(order.Domains), total)
	if len(order.Domains) == 0 {
		return nil
	}
	// 3. One paid order; an unknown outcome is reconciled, never resubmitted.
	res, err := client.Renew.SubmitBatch(ctx, order)
	var unknown *alidomain.OutcomeUnknownError
	if errors.As(err, &unknown) {
		found, rerr := client.Renew.Reconcile(ctx, unknown.SentAt, names)
		if d := found[names[0]]; rerr == nil && d != nil { // one batch: one task
			res, err = &alidomain.SubmitResult{TaskNo: d.TaskNo}, nil
			fmt.Fprintf(w, "outcome unknown; Reconcile found the order: task %s\n", res.TaskNo)
		}
	}
	if err != nil {
		return err // unknown and not found yet: order nothing again until Reconcile says so
	}
	// 4. Follow the task to the end.
	report, err := client.Tasks.Wait(ctx, res.TaskNo, &alidomain.WaitOptions{PollInterval: poll})
	if err != nil {
		return err
	}
	for _, d := range report.Failed() {
		fmt.Fprintf(w, "%s: failed: %s\n", d.DomainName, d.ErrorMsg)
	}
	fmt.Fprintf(w, "%d renewed, %d failed\n", report.Counts.Succeeded, report.Counts.Failed)
	return nil
}
