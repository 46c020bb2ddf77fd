package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

const modifyDNS = "SaveBatchTaskForModifyingDomainDns"

// demoClient is a client on a simulator with the demo account.
func demoClient(t *testing.T, opts ...alidomaintest.Option) (*alidomain.Client, *alidomaintest.Server) {
	t.Helper()
	sim := alidomaintest.NewServer(opts...)
	t.Cleanup(sim.Close)
	sim.AddDemoAccount()
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    sim.URL,
		Credentials: alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret),
	})
	if err != nil {
		t.Fatal(err)
	}
	return client, sim
}

// TestSetsTheNameServers: one task for the three domains, followed to the
// end; the two it changed show the new name servers, the update-locked one
// keeps Alibaba Cloud DNS's.
func TestSetsTheNameServers(t *testing.T) {
	client, sim := demoClient(t, alidomaintest.WithTaskDuration(200*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := setNameServers(ctx, client, &out, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	aliyun := "[" + strings.Join(alidomaintest.DefaultNameServers, " ") + "]"
	for _, want := range []string{
		": 2 succeeded, 1 failed\n",
		"acme-01.com: [ns1.example.net ns2.example.net]\n",
		"acme-02.com: [ns1.example.net ns2.example.net]\n",
		"acme-08.com: " + aliyun + "\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in:\n%s", want, got)
		}
	}
	if n := sim.Requests(modifyDNS); n != 1 {
		t.Errorf("%d requests of %s, want 1", n, modifyDNS)
	}
}

// TestLostAnswerIsNotSentAgain: an answer lost after the service took the
// task is an *OutcomeUnknownError, returned with the request sent once.
func TestLostAnswerIsNotSentAgain(t *testing.T) {
	client, sim := demoClient(t)
	sim.Inject(modifyDNS, alidomaintest.CommitThenDrop())
	var out bytes.Buffer
	err := setNameServers(context.Background(), client, &out, 20*time.Millisecond)
	var unknown *alidomain.OutcomeUnknownError
	if !errors.As(err, &unknown) || out.Len() != 0 {
		t.Errorf("err %v, output %q", err, out.String())
	}
	if n := sim.Requests(modifyDNS); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}
