package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

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

// TestRedeemsTheDemoAccount: the five domains in redemption are ordered
// once, in one task followed to the end; the one the registry refuses is
// reported with its reason.
func TestRedeemsTheDemoAccount(t *testing.T) {
	client, sim := demoClient(t, alidomaintest.WithTaskDuration(300*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := redeem(ctx, client, &out, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"ordered 5 domains in task ",
		"acme-old.com: succeeded\n", "acme-old.net: succeeded\n", "acme-archive.org: succeeded\n", "旧域名.com: succeeded\n",
		"acme-expired.info: failed: the registry refused the redemption\n",
		"4 redeemed, 1 failed\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in:\n%s", want, got)
		}
	}
	if strings.Count(got, "in redemption: ") != 5 || !strings.Contains(got, "details: ") {
		t.Errorf("listing or progress missing:\n%s", got)
	}
	for _, name := range []string{"acme-old.com", "旧域名.com", "acme-expired.info"} {
		if n := sim.SubmissionsOf(alidomaintest.KindRedeem, name); n != 1 {
			t.Errorf("%s submitted %d times", name, n)
		}
	}
	if n := sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem); n != 1 {
		t.Errorf("%d orders, want 1", n)
	}

	// Run again: nothing is left in redemption but the refused domain.
	out.Reset()
	if err := redeem(ctx, client, &out, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "0 redeemed, 1 failed") {
		t.Errorf("second run:\n%s", out.String())
	}
}

// TestRefusedOrderIsAnError: an order the service refuses is returned as
// the error, with nothing ordered.
func TestRefusedOrderIsAnError(t *testing.T) {
	client, sim := demoClient(t)
	sim.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.InBodyError("InvalidUser", "the account is frozen"))
	var out bytes.Buffer
	err := redeem(context.Background(), client, &out, 20*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "InvalidUser") || strings.Contains(out.String(), "ordered") {
		t.Errorf("err %v, output:\n%s", err, out.String())
	}
	if n := sim.Orders("acme-old.com"); n != 0 {
		t.Errorf("%d orders", n)
	}
}
