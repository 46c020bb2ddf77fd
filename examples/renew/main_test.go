package main

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
)

// runWith runs the program with seed and returns its exit code, stdout,
// stderr and the simulator it ran on.
func runWith(t *testing.T, seed func(*alidomaintest.Server), args ...string) (int, string, string, *alidomaintest.Server) {
	t.Helper()
	var sim *alidomaintest.Server
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, append([]string{"-poll", "20ms", "-sim-delay", "150ms"}, args...), &out, &errOut, func(s *alidomaintest.Server) {
		sim = s
		seed(s)
	})
	return code, out.String(), errOut.String(), sim
}

// tableRow finds the table row of domain and returns its columns.
func tableRow(t *testing.T, table, domain string) []string {
	t.Helper()
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, domain+" ") {
			return regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1)
		}
	}
	t.Fatalf("no row for %s in:\n%s", domain, table)
	return nil
}

// Columns of the result table.
const (
	colExpires = 1
	colYears   = 2
	colPrice   = 3
	colStatus  = 4
	colNew     = 5 // then the reason, when there is one
)

var renewed = []string{"acme-shop.com", "acme-blog.net", "例子-acme.cn"}

func TestDemoRenewsWithQuoteAndProgress(t *testing.T) {
	var before map[string]time.Time
	code, out, errOut, sim := runWith(t, func(s *alidomaintest.Server) {
		seedDemo(s)
		before = map[string]time.Time{}
		for _, d := range append(renewed, "acme.io", "acme-old.org") {
			info, _ := s.Domain(d)
			before[d] = info.Expires
		}
	})
	require.Equal(t, exitOK, code, "stderr:\n%s", errOut)
	prices := map[string]string{"acme-shop.com": "12.99 USD", "acme-blog.net": "10.50 USD", "例子-acme.cn": "5.25 USD"}
	for _, d := range renewed {
		row := tableRow(t, out, d)
		assert.Equal(t, "succeeded", row[colStatus], d)
		assert.Equal(t, prices[d], row[colPrice], d)
		assert.Equal(t, "1", row[colYears], d)
		assert.Equal(t, 1, sim.OrdersOf(alidomaintest.KindRenew, d), d)
		info, _ := sim.Domain(d)
		want := before[d].AddDate(1, 0, 0)
		assert.Equal(t, want, info.Expires, "%s renewed by one year", d)
		assert.Equal(t, want.Format("2006-01-02"), row[colNew], "%s: the table shows the new expiry", d)
		assert.Equal(t, before[d].Format("2006-01-02"), row[colExpires], d)
	}
	assert.Contains(t, out, "total 28.74 USD; 3 succeeded, 0 failed, 0 other")
	for _, d := range []string{"acme.io", "acme-old.org"} {
		assert.NotContains(t, out, d)
		assert.Equal(t, 0, sim.Orders(d), d)
		info, _ := sim.Domain(d)
		assert.Equal(t, before[d], info.Expires, d)
	}
	assert.Equal(t, 1, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew), "one batch")

	// The quote with every price and the total comes before the order, then
	// the task's progress.
	quote := strings.Index(errOut, "total 28.74 USD")
	submit := strings.Index(errOut, "submitting 3 domain(s)")
	done := strings.Index(errOut, "0 waiting, 0 executing, 3 succeeded, 0 failed")
	require.True(t, quote >= 0 && submit > quote && done > submit, "stderr:\n%s", errOut)
	for d, p := range prices {
		assert.Regexp(t, regexp.QuoteMeta(d)+`\s+\d{4}-\d\d-\d\d\s+1 y\s+`+regexp.QuoteMeta(p), errOut[:submit])
	}
	assert.Contains(t, errOut, "acme-old.org is in its redemption period")

	// 例子-acme.cn expired three days ago: it is renewable, and the quote
	// says it expired instead of counting it as expiring within 30 days.
	assert.Contains(t, errOut, "expire within 30 days, and 1 that already expired but can still be renewed:")
	assert.Regexp(t, regexp.QuoteMeta("例子-acme.cn")+`\s+\d{4}-\d\d-\d\d\s+1 y\s+5\.25 USD\s+expired 3 days ago\n`, errOut[:submit])
	for _, d := range []string{"acme-shop.com", "acme-blog.net"} {
		assert.Regexp(t, regexp.QuoteMeta(d)+`\s+\d{4}-\d\d-\d\d\s+1 y\s+[0-9.]+ USD\n`, errOut[:submit], "%s has not expired", d)
	}
}

func TestJSONOutput(t *testing.T) {
	code, out, errOut, _ := runWith(t, seedDemo, "-json", "-years", "2", "-days", "400")
	require.Equal(t, exitOK, code, errOut)
	var rep report
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	assert.Equal(t, "simulator", rep.Mode)
	assert.NotEmpty(t, rep.TaskNo)
	assert.Equal(t, "USD", rep.Currency)
	// Two years each, acme.io (8 months out) now inside the window.
	assert.Equal(t, 2*(12.99+10.50+5.25+39), rep.Total)
	require.Len(t, rep.Results, 4)
	for _, r := range rep.Results {
		assert.Equal(t, "succeeded", r.Status, r.Domain)
		assert.Equal(t, 2, r.Years)
		require.NotNil(t, r.NewExpiration, r.Domain)
		assert.Equal(t, r.ExpirationDate.AddDate(2, 0, 0), *r.NewExpiration, r.Domain)
		assert.Equal(t, r.Domain == "例子-acme.cn", r.Expired, "%s: expired is set only for the domain that already expired", r.Domain)
	}
	assert.Equal(t, 4, rep.Counts.Succeeded)
}

func TestDryRunOrdersNothing(t *testing.T) {
	code, out, errOut, sim := runWith(t, seedDemo, "-dry-run")
	require.Equal(t, exitOK, code, errOut)
	for _, d := range renewed {
		assert.Equal(t, "would renew", tableRow(t, out, d)[colStatus])
		assert.Equal(t, 0, sim.Submissions(d))
	}
	assert.Equal(t, "12.99 USD", tableRow(t, out, "acme-shop.com")[colPrice])
	assert.Contains(t, out, "total 28.74 USD")
	assert.Equal(t, 0, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew))
	assert.Equal(t, 1, sim.Requests(alidomaintest.ActionQueryDomainRealTimePrice))
}

// A domain the service will not renew, or a premium name without -premium,
// is not ordered; the others are, and the exit status says not all were.
func TestUnrenewableDomainsAreSkipped(t *testing.T) {
	seed := func(s *alidomaintest.Server) {
		seedDemo(s)
		s.AddDomain("acme-unpriced.com", time.Now().AddDate(0, 0, 3), alidomaintest.NeedsRenewal())
		s.AddDomain("acme-gold.com", time.Now().AddDate(0, 0, 4), alidomaintest.NeedsRenewal(), alidomaintest.Premium())
		s.SetPrice("acme-gold.com", alidomaintest.PriceRenew, 900, "USD")
	}
	code, out, errOut, sim := runWith(t, seed)
	require.Equal(t, exitFailed, code, errOut)
	row := tableRow(t, out, "acme-unpriced.com")
	assert.Equal(t, "skipped", row[colStatus])
	assert.Equal(t, "-", row[colNew])
	assert.NotEqual(t, "skipped", row[len(row)-1], "a reason is shown")
	row = tableRow(t, out, "acme-gold.com")
	assert.Equal(t, "skipped", row[colStatus])
	assert.Contains(t, row[len(row)-1], "-premium")
	assert.Equal(t, 0, sim.Submissions("acme-unpriced.com"))
	assert.Equal(t, 0, sim.Submissions("acme-gold.com"))
	assert.Equal(t, "succeeded", tableRow(t, out, "acme-shop.com")[colStatus])
	assert.Contains(t, out, "total 28.74 USD; 3 succeeded, 0 failed, 2 other", "the total counts only what is ordered")

	// With -premium the premium name is renewed at its price.
	code, out, errOut, sim = runWith(t, seed, "-premium")
	require.Equal(t, exitFailed, code, errOut) // acme-unpriced.com still skipped
	assert.Equal(t, "succeeded", tableRow(t, out, "acme-gold.com")[colStatus])
	assert.Equal(t, 1, sim.OrdersOf(alidomaintest.KindRenew, "acme-gold.com"))
	assert.Contains(t, out, "total 928.74 USD")
}

func TestFailingRenewalGivesNonZeroExitAndReason(t *testing.T) {
	seed := func(s *alidomaintest.Server) {
		seedDemo(s)
		s.AddDomain("acme-bad.com", time.Now().AddDate(0, 0, 9), alidomaintest.NeedsRenewal(), alidomaintest.FailRenew("registry refused the renewal"))
		s.SetPrice("acme-bad.com", alidomaintest.PriceRenew, 1, "USD")
	}
	code, out, errOut, _ := runWith(t, seed)
	require.Equal(t, exitFailed, code, errOut)
	row := tableRow(t, out, "acme-bad.com")
	assert.Equal(t, "failed", row[colStatus])
	assert.Equal(t, "registry refused the renewal", row[len(row)-1])
	assert.Contains(t, out, "3 succeeded, 1 failed, 0 other")
}

func TestMaxTotalOrdersNothing(t *testing.T) {
	code, _, errOut, sim := runWith(t, seedDemo, "-max-total", "20")
	require.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "exceeds -max-total 20.00; nothing was ordered")
	assert.Equal(t, 0, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew))

	code, _, errOut, _ = runWith(t, seedDemo, "-max-total", "28.74")
	require.Equal(t, exitOK, code, errOut)
}

// A business error inside the price answer is an error: nothing is ordered.
func TestPriceErrorOrdersNothing(t *testing.T) {
	seed := func(s *alidomaintest.Server) {
		seedDemo(s)
		s.Inject(alidomaintest.ActionQueryDomainRealTimePrice, alidomaintest.InBodyError("3002", "illegal parameter"))
	}
	code, out, errOut, sim := runWith(t, seed)
	require.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "3002")
	assert.Contains(t, errOut, "illegal parameter")
	assert.Empty(t, out)
	assert.Equal(t, 0, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew))
}

func TestNothingToRenew(t *testing.T) {
	seed := func(s *alidomaintest.Server) {
		s.AddDomain("acme.io", time.Now().AddDate(0, 8, 0), alidomaintest.Normal())
	}
	code, out, errOut, sim := runWith(t, seed)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, errOut, "no domain expires within 30 days")
	assert.Contains(t, out, "0 succeeded, 0 failed, 0 other")
	assert.Equal(t, 0, sim.Requests(alidomaintest.ActionQueryDomainRealTimePrice))
}

func TestBadUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-bogus"}, "flag provided but not defined"},
		{[]string{"stray"}, "unexpected argument"},
		{[]string{"-yes"}, "-yes only makes sense with -live"},
		{[]string{"-days", "0"}, "-days must be at least 1"},
		{[]string{"-years", "11"}, "-years must be between 1 and 10"},
		{[]string{"-max-total", "-1"}, "-max-total must not be negative"},
		{[]string{"-timeout", "0s"}, "-timeout must be positive"},
		{[]string{"-currency", "dollars"}, "Currency"},
	}
	for _, tt := range tests {
		code, out, errOut, sim := runWith(t, seedDemo, tt.args...)
		assert.Equal(t, exitUsage, code, "%v", tt.args)
		assert.Contains(t, errOut, tt.want, "%v", tt.args)
		assert.NotContains(t, out, "succeeded,", "%v: a report was printed", tt.args)
		if sim != nil {
			assert.Equal(t, 0, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew), "%v", tt.args)
		}
	}
}

func TestUnknownOutcomeIsReconciled(t *testing.T) {
	seed := func(s *alidomaintest.Server) {
		seedDemo(s)
		s.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew, alidomaintest.CommitThenDrop())
	}
	code, _, errOut, sim := runWith(t, seed)
	require.Equal(t, exitUnknown, code, errOut)
	assert.Contains(t, errOut, "outcome unknown")
	assert.Contains(t, errOut, "acme-shop.com: order placed")
	assert.Equal(t, 1, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew), "the order was never re-sent")
	assert.Equal(t, 1, sim.Submissions("acme-shop.com"))
}

// A domain whose auto-renewal is on renews itself: it is left out unless
// -with-auto-renew.
func TestAutoRenewingDomainsAreLeftOut(t *testing.T) {
	seed := func(s *alidomaintest.Server) {
		seedDemo(s)
		s.AddDomain("acme-auto.com", time.Now().AddDate(0, 0, 7), alidomaintest.NeedsRenewal(), alidomaintest.AutoRenew())
		s.SetPrice("acme-auto.com", alidomaintest.PriceRenew, 20, "USD")
	}
	code, out, errOut, sim := runWith(t, seed)
	require.Equal(t, exitOK, code, errOut)
	assert.NotContains(t, out, "acme-auto.com")
	assert.Contains(t, errOut, "acme-auto.com renews itself")
	assert.Equal(t, 0, sim.Submissions("acme-auto.com"))

	code, out, errOut, sim = runWith(t, seed, "-with-auto-renew")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "succeeded", tableRow(t, out, "acme-auto.com")[colStatus])
	assert.Equal(t, 1, sim.OrdersOf(alidomaintest.KindRenew, "acme-auto.com"))
	assert.Contains(t, out, "total 48.74 USD")
}
