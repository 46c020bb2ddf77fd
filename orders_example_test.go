package alidomain_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// Renew every domain that needs renewal for two years, as one batch, and
// wait for the task.
func ExampleRenewService_SubmitBatch() {
	sim := alidomaintest.NewServer()
	defer sim.Close()
	expires := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	sim.AddDomain("example.com", expires, alidomaintest.NeedsRenewal())
	sim.AddDomain("example.net", expires.AddDate(0, 2, 0), alidomaintest.NeedsRenewal())
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    sim.URL,
		Credentials: alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret),
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	req := &alidomain.BatchRenewRequest{}
	for d, err := range client.Domains.ListIter(ctx, &alidomain.ListDomainsRequest{QueryType: alidomain.QueryNeedsRenewal}) {
		if err != nil {
			log.Fatal(err)
		}
		req.Domains = append(req.Domains, d.RenewDomain(2)) // the exact expiration date
	}
	res, err := client.Renew.SubmitBatch(ctx, req)
	if errors.Is(err, alidomain.ErrOutcomeUnknown) {
		log.Fatal(err) // never submit again blindly: Reconcile first
	}
	if err != nil {
		log.Fatal(err) // nothing was ordered
	}
	report, err := client.Tasks.Wait(ctx, res.TaskNo, &alidomain.WaitOptions{PollInterval: 10 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("renewed:", report.Counts.Succeeded, "of", report.Counts.Total)
	info, _ := sim.Domain("example.com")
	fmt.Println("example.com now expires", info.Expires.Format(time.DateOnly))
	// Output:
	// renewed: 2 of 2
	// example.com now expires 2028-10-01
}

// A transfer whose answer was lost: Reconcile finds the order that was
// placed, whatever task type the service gave it, so it is not paid twice.
// The authorization code never shows when the request is printed.
func ExampleTransferService_Reconcile() {
	sim := alidomaintest.NewServer()
	defer sim.Close()
	sim.AddTransferable("example.org", "Ab1#secret", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	sim.AddRegistrantProfile(123456)
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    sim.URL,
		Credentials: alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret),
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	req := &alidomain.TransferRequest{TransferDomain: alidomain.TransferDomain{
		DomainName: "example.org", AuthorizationCode: "Ab1#secret", RegistrantProfileID: 123456,
	}}
	fmt.Printf("%+v\n", req.TransferDomain)

	sim.Inject("SaveSingleTaskForCreatingOrderTransfer", alidomaintest.CommitThenDrop())
	_, err = client.Transfer.Submit(ctx, req)
	var unknown *alidomain.OutcomeUnknownError
	if !errors.As(err, &unknown) {
		log.Fatal(err)
	}
	found, err := client.Transfer.Reconcile(ctx, unknown.SentAt.Add(-5*time.Minute), []string{"example.org"})
	if err != nil {
		log.Fatal(err) // still unknown: do not submit again
	}
	if d := found["example.org"]; d != nil {
		fmt.Println("already ordered in task", d.TaskNo != "", "- do not submit again")
	} else {
		fmt.Println("not ordered: safe to submit again")
	}
	// Output:
	// {DomainName:example.org AuthorizationCode:[REDACTED] RegistrantProfileID:123456 PermitPremium:false}
	// already ordered in task true - do not submit again
}
