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

// run runs the example on client and returns its output.
func run(t *testing.T, client *alidomain.Client) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	err := renew(ctx, client, &out, 10*time.Millisecond)
	return out.String(), err
}

// expiring are the demo account's domains that expire within 30 days.
var expiring = []string{"acme-shop.com", "acme-blog.net", "acme-mail.com", "例子.cn", "acme-api.io", "acme-docs.org", "中文网站.com", "acme-status.dev"}

// TestRenewsWhatExpires: the 8 domains that expire within 30 days are
// priced, their total printed, and renewed once in one order; a domain
// expiring later is not.
func TestRenewsWhatExpires(t *testing.T) {
	client, sim := demoClient(t, alidomaintest.WithTaskDuration(200*time.Millisecond))
	out, err := run(t, client)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"acme-shop.com: expires ", "例子.cn: expires ", "ordering 8 renewals, ", "8 renewed, 0 failed\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	for _, name := range expiring {
		if n := sim.OrdersOf(alidomaintest.KindRenew, name); n != 1 {
			t.Errorf("%s renewed %d times", name, n)
		}
	}
	if n := sim.SubmissionsOf(alidomaintest.KindRenew, "acme-cdn.net"); n != 0 {
		t.Errorf("acme-cdn.net (52 days) submitted %d times", n)
	}
	if n := sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew); n != 1 {
		t.Errorf("%d orders, want 1", n)
	}
}

// TestDomainWithoutPriceIsNotOrdered: a domain the service gives no price
// is said so, left out of the total and of the order.
func TestDomainWithoutPriceIsNotOrdered(t *testing.T) {
	client, sim := demoClient(t)
	sim.AddDomain("acme-noprice.com", time.Now().AddDate(0, 0, 10))
	out, err := run(t, client)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "acme-noprice.com: no price, not ordered\n") || !strings.Contains(out, "ordering 8 renewals") {
		t.Errorf("output:\n%s", out)
	}
	if n := sim.SubmissionsOf(alidomaintest.KindRenew, "acme-noprice.com"); n != 0 {
		t.Errorf("acme-noprice.com submitted %d times", n)
	}
}

// TestUnknownOutcomeIsReconciled: the order is placed but its answer is
// lost; the program finds it with Reconcile and follows it, and never
// orders again.
func TestUnknownOutcomeIsReconciled(t *testing.T) {
	client, sim := demoClient(t)
	sim.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew, alidomaintest.CommitThenDrop())
	out, err := run(t, client)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "outcome unknown; Reconcile found the order: task ") || !strings.Contains(out, "8 renewed, 0 failed") {
		t.Errorf("output:\n%s", out)
	}
	for _, name := range expiring {
		if n := sim.SubmissionsOf(alidomaintest.KindRenew, name); n != 1 {
			t.Errorf("%s submitted %d times", name, n)
		}
	}
}

// TestUnknownOutcomeNotFoundOrdersNothingAgain: the order is lost before
// it takes effect; Reconcile finds nothing, and the program returns the
// unknown outcome instead of ordering again.
func TestUnknownOutcomeNotFoundOrdersNothingAgain(t *testing.T) {
	client, sim := demoClient(t)
	sim.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew, alidomaintest.ResetBeforeCommit())
	out, err := run(t, client)
	var unknown *alidomain.OutcomeUnknownError
	if !errors.As(err, &unknown) || strings.Contains(out, "renewed") {
		t.Fatalf("err %v\n%s", err, out)
	}
	if n := sim.SubmissionsOf(alidomaintest.KindRenew, "acme-shop.com"); n != 0 {
		t.Errorf("acme-shop.com submitted %d times", n)
	}
	if n := sim.Requests(alidomaintest.ActionQueryTaskList); n == 0 {
		t.Error("Reconcile did not look at the tasks")
	}
}
