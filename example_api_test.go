package alidomain_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// A generated typed call: set the name servers of two domains in one task,
// follow the task, read the name servers back.
func ExampleAPI_SaveBatchTaskForModifyingDomainDns() {
	sim := alidomaintest.NewServer()
	defer sim.Close()
	sim.AddDemoAccount()
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    sim.URL,
		Credentials: alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret),
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	domains := []string{"acme-01.com", "acme-02.com"}
	res, err := client.API.SaveBatchTaskForModifyingDomainDns(ctx, &alidomain.SaveBatchTaskForModifyingDomainDnsRequest{
		DomainName:       domains,
		DomainNameServer: []string{"ns1.example.net", "ns2.example.net"},
	})
	if err != nil {
		log.Fatal(err) // a *ValidationError sent nothing; an *OutcomeUnknownError may have been done
	}
	report, err := client.Tasks.Wait(ctx, res.TaskNo, &alidomain.WaitOptions{PollInterval: 10 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(report.Counts.Succeeded, "succeeded,", report.Counts.Failed, "failed")
	for _, d := range domains {
		got, err := client.API.QueryDomainByDomainName(ctx, &alidomain.QueryDomainByDomainNameRequest{DomainName: d})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(got.DomainName, got.DNSList.DNS)
	}

	// Too many name servers: refused before anything is sent.
	_, err = client.API.SaveBatchTaskForModifyingDomainDns(ctx, &alidomain.SaveBatchTaskForModifyingDomainDnsRequest{
		DomainName:       domains,
		DomainNameServer: make([]string, 14),
	})
	fmt.Println(err)
	// Output:
	// 2 succeeded, 0 failed
	// acme-01.com [ns1.example.net ns2.example.net]
	// acme-02.com [ns1.example.net ns2.example.net]
	// alidomain: invalid DomainNameServer: has 14 items; DomainNameServer takes at most 13
}
