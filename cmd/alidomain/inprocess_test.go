package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// runIn runs the command in process on sim (kept between runs, so that
// tasks and reconcile see earlier orders), with fast polling.
func runIn(t *testing.T, sim *alidomaintest.Server, tty bool, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, sim: sim, tty: &tty,
		poll: alidomain.WaitOptions{PollInterval: 5 * time.Millisecond, MaxInterval: 20 * time.Millisecond}}
	code := run(context.Background(), append([]string{"--simulate"}, args...), a)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// demoSim is a simulator with the demo account.
func demoSim(t *testing.T, opts ...alidomaintest.Option) *alidomaintest.Server {
	sim := alidomaintest.NewServer(opts...)
	t.Cleanup(sim.Close)
	seedDemo(sim)
	return sim
}

func TestTasksShowWaitReconcile(t *testing.T) {
	sim := demoSim(t)
	r := runIn(t, sim, false, "renew", "acme-shop.com", "acme-mail.com", "--yes", "--json")
	expectCode(t, r, exitOK)
	var doc struct{ Tasks []string }
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Tasks) != 1 {
		t.Fatalf("%v %s", err, r.stdout)
	}
	task := doc.Tasks[0]

	r = runIn(t, sim, false, "tasks", "--since", "1d")
	expectCode(t, r, exitOK)
	if !strings.Contains(r.stdout, task) || !strings.Contains(r.stdout, "ORDER_RENEW") || !strings.Contains(r.stdout, "1 tasks") {
		t.Errorf("tasks:\n%s", r.stdout)
	}
	tasks := decode(t, runIn(t, sim, false, "tasks", "--json"))
	if int(tasks["count"].(float64)) != 1 {
		t.Errorf("tasks --json: %v", tasks)
	}
	recs := records(t, runIn(t, sim, false, "tasks", "-o", "csv"))
	if len(recs) != 2 || recs[1][0] != task || recs[1][2] != "complete" {
		t.Errorf("tasks CSV: %v", recs)
	}

	for _, sub := range []string{"show", "wait"} {
		r = runIn(t, sim, false, "tasks", sub, task)
		expectCode(t, r, exitOK)
		if !strings.Contains(r.stdout, "acme-shop.com") || !strings.Contains(r.stdout, "2 succeeded, 0 failed, 0 pending") {
			t.Errorf("tasks %s:\n%s", sub, r.stdout)
		}
		d := decode(t, runIn(t, sim, false, "tasks", sub, task, "--json"))
		if int(d["succeeded"].(float64)) != 2 || len(d["details"].([]any)) != 2 {
			t.Errorf("tasks %s --json: %v", sub, d)
		}
		recs := records(t, runIn(t, sim, false, "tasks", sub, task, "-o", "csv"))
		if len(recs) != 3 || recs[0][2] != "STATUS" {
			t.Errorf("tasks %s CSV: %v", sub, recs)
		}
	}
	// A failed detail: exit 1.
	r = runIn(t, sim, false, "redeem", "acme-expired.info", "--yes", "--json")
	expectCode(t, r, exitFailed)
	json.Unmarshal([]byte(r.stdout), &doc)
	expectCode(t, runIn(t, sim, false, "tasks", "show", doc.Tasks[0]), exitFailed)
	// A task that never finishes within --timeout: exit 3, how to resume.
	expectCode(t, runIn(t, sim, false, "tasks", "wait", "no-such-task", "--timeout", "100ms"), exitUnknown)
	r = runIn(t, sim, false, "tasks", "wait", "no-such-task", "--timeout", "100ms", "--json")
	expectCode(t, r, exitUnknown)
	if !strings.Contains(decode(t, r)["message"].(string), "resume with: alidomain tasks wait no-such-task") {
		t.Errorf("wait --timeout: %s", r.stdout)
	}

	// Reconcile: the order is found, another domain has none.
	r = runIn(t, sim, false, "reconcile", "--kind", "renew", "--since", "1h", "acme-shop.com", "acme-blog.net")
	expectCode(t, r, exitOK)
	if !strings.Contains(r.stdout, task) || !strings.Contains(r.stdout, "safe to order again") {
		t.Errorf("reconcile:\n%s", r.stdout)
	}
	rd := decode(t, runIn(t, sim, false, "reconcile", "--kind", "renew", "--since", time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), "acme-shop.com", "acme-blog.net", "--json"))
	ds := domainsOf(t, rd)
	if ds["acme-shop.com"]["found"] != true || ds["acme-blog.net"]["found"] != false {
		t.Errorf("reconcile --json: %v", ds)
	}
	recs = records(t, runIn(t, sim, false, "reconcile", "--kind", "redeem", "--since", "1h", "acme-shop.com", "-o", "csv"))
	if len(recs) != 2 || recs[1][1] != "no" {
		t.Errorf("reconcile CSV: %v", recs)
	}
}

// TestDropAfterCommitOneOrder checks on the simulator's books that a lost
// answer leads to exactly one order per domain, and a report of it.
func TestDropAfterCommitOneOrder(t *testing.T) {
	sim := demoSim(t)
	sim.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.CommitThenDrop())
	r := runIn(t, sim, false, "redeem", "--all", "--yes", "--json")
	expectCode(t, r, exitUnknown)
	doc := decode(t, r)
	for _, name := range []string{"acme-old.com", "acme-old.net", "acme-archive.org", "旧域名.com", "acme-expired.info"} {
		if n := sim.SubmissionsOf(alidomaintest.KindRedeem, name); n != 1 {
			t.Errorf("%s: %d submissions, want 1", name, n)
		}
	}
	ds := domainsOf(t, doc)
	if ds["acme-old.com"]["status"] != stSucceeded || ds["acme-expired.info"]["status"] != stFailed {
		t.Errorf("reconciled report: %v", ds)
	}
	if sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem) != 1 {
		t.Error("the order was sent again")
	}
	// An answer lost when nothing was placed: reconciled as not ordered.
	sim2 := demoSim(t)
	sim2.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRenew, alidomaintest.Delay(time.Hour))
	r = runIn(t, sim2, false, "renew", "acme-shop.com", "--yes", "--json", "--timeout", "500ms")
	expectCode(t, r, exitUnknown)
	if d := domainsOf(t, decode(t, r))["acme-shop.com"]; d["status"] != stNotOrdered {
		t.Errorf("not placed: %v", d)
	}
	if n := sim2.OrdersOf(alidomaintest.KindRenew, "acme-shop.com"); n != 0 {
		t.Errorf("%d orders", n)
	}
}

// TestProgressOnlyOnATerminal: the same run draws progress on a terminal
// and nothing in a pipe or with JSON.
func TestProgressOnlyOnATerminal(t *testing.T) {
	sim := demoSim(t, alidomaintest.WithTaskDuration(50*time.Millisecond))
	r := runIn(t, sim, true, "renew", "acme-shop.com", "--yes")
	expectCode(t, r, exitOK)
	if !strings.Contains(r.stderr, "following 1 task(s)") || !strings.Contains(r.stderr, "\r\x1b[K") {
		t.Errorf("no progress on a terminal: %q", r.stderr)
	}
	if !strings.Contains(r.stdout, "\x1b[32msucceeded") {
		t.Errorf("no colour on a terminal:\n%q", r.stdout)
	}
	r = runIn(t, sim, true, "renew", "acme-mail.com", "--yes", "--json")
	expectCode(t, r, exitOK)
	if r.stderr != "" || strings.Contains(r.stdout, "\x1b") {
		t.Errorf("JSON on a terminal: stderr %q", r.stderr)
	}
	r = runIn(t, sim, false, "renew", "acme-blog.net", "--yes")
	expectCode(t, r, exitOK)
	if r.stderr != "" {
		t.Errorf("pipe: stderr %q", r.stderr)
	}
}

// TestBigAccount measures "renew --expiring 30d --yes" on an account of
// 20,000 domains of which 5,000 expire within 30 days, with the client
// paced at the simulated service's rate limit: the API calls against the
// lower bound for the page and batch sizes used, none throttled, and the
// wall time (logged; README quotes it).
func TestBigAccount(t *testing.T) {
	const total, expiring, rate = 20000, 5000, 20
	sim := alidomaintest.NewServer(alidomaintest.WithRateLimit(rate, 5))
	defer sim.Close()
	seedBig(sim, time.Now(), total, expiring)
	start := time.Now()
	r := runIn(t, sim, false, "--rate", fmt.Sprint(rate), "renew", "--expiring", "30d", "--yes", "--json")
	wall := time.Since(start)
	expectCode(t, r, exitOK)
	doc := decode(t, r)
	if c := doc["counts"].(map[string]any); int(c[stSucceeded].(float64)) != expiring {
		t.Fatalf("counts %v", c)
	}
	pages := (expiring + listPageSize - 1) / listPageSize
	quotes := (expiring + maxQuote - 1) / maxQuote
	batches := (expiring + maxBatch - 1) / maxBatch
	polls := batches * ((maxBatch + 999) / 1000) // one poll of each task at least, 1000 details a page
	bound := pages + quotes + batches + polls
	got := totalRequests(sim)
	t.Logf("big account: %d domains, %d expiring: %d API calls (QueryDomainList %d, QueryDomainRealTimePrice %d, SaveBatchTaskForCreatingOrderRenew %d, QueryTaskDetailList %d); lower bound %d; throttled %d; wall %v at --rate %d",
		total, expiring, got, sim.Requests("QueryDomainList"), sim.Requests("QueryDomainRealTimePrice"),
		sim.Requests("SaveBatchTaskForCreatingOrderRenew"), sim.Requests("QueryTaskDetailList"), bound, sim.Throttled(), wall.Round(10*time.Millisecond), rate)
	if got != bound {
		t.Errorf("%d API calls, lower bound %d", got, bound)
	}
	if sim.Throttled() != 0 {
		t.Errorf("%d requests throttled at --rate %d", sim.Throttled(), rate)
	}
}
