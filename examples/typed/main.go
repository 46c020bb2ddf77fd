// Command typed shows client.API, the SDK's typed method for every action of
// the Domain API, on the simulator's demo account (no account, no network):
// set name servers in one task, follow it, read them back.
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
	sim := alidomaintest.NewServer()
	sim.AddDemoAccount()
	// On the real service: alidomain.Options{Credentials: alidomain.DefaultCredentials()}.
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    sim.URL,
		Credentials: alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret),
	})
	if err == nil {
		err = setNameServers(context.Background(), client, os.Stdout, 250*time.Millisecond)
	}
	if sim.Close(); err != nil {
		log.Fatal(err)
	}
}

// setNameServers sets three domains' name servers in one task (acme-08.com's
// update lock refuses it) and prints the results; poll is the first pause between polls.
func setNameServers(ctx context.Context, client *alidomain.Client, w io.Writer, poll time.Duration) error {
	domains := []string{"acme-01.com", "acme-02.com", "acme-08.com"}
	// Validated before it is sent: a *alidomain.ValidationError sends nothing.
	res, err := client.API.SaveBatchTaskForModifyingDomainDns(ctx, &alidomain.SaveBatchTaskForModifyingDomainDnsRequest{
		DomainName:       domains,
		DomainNameServer: []string{"ns1.example.net", "ns2.example.net"},
	})
	if err != nil {
		return err // an *alidomain.OutcomeUnknownError: look with QueryTaskList before sending again
	}
	report, err := client.Tasks.Wait(ctx, res.TaskNo, &alidomain.WaitOptions{PollInterval: poll})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "task %s: %d succeeded, %d failed\n", res.TaskNo, report.Counts.Succeeded, report.Counts.Failed)
	for _, d := range domains {
		got, err := client.API.QueryDomainByDomainName(ctx, &alidomain.QueryDomainByDomainNameRequest{DomainName: d})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %v\n", got.DomainName, got.DNSList.DNS)
	}
	return nil
}
