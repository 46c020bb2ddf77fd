package alidomaintest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func bigBatch(n int, exp time.Time) map[string]string {
	p := make(map[string]string, 2*n)
	for i := 1; i <= n; i++ {
		base := "OrderRedeemParam." + strconv.Itoa(i) + "."
		p[base+"DomainName"] = "d" + strconv.Itoa(i) + ".com"
		p[base+"CurrentExpirationDate"] = ms(exp)
	}
	return p
}

// A batch whose query is beyond 8 KiB is answered 414 before anything is
// performed; the same batch in a form body goes through, up to the
// documented 1,000 domains.
func TestURLLimit(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	exp := time.Now().Add(-40 * 24 * time.Hour)
	srv.AddDomain("d1.com", exp)

	p := bigBatch(200, exp) // about 21 KB of query
	resp, body := c.do(batch, call{params: p})
	if resp.StatusCode != http.StatusRequestURITooLong || !strings.Contains(string(body), "414 Request-URI Too Large") {
		t.Fatalf("long query: %d %s", resp.StatusCode, body)
	}
	if srv.Requests(batch) != 0 || srv.Submissions("d1.com") != 0 {
		t.Fatalf("a refused URL reached the action")
	}
	for _, cl := range []call{{params: p, form: true}, {params: p, split: true}} {
		resp, body = c.do(batch, cl)
		if resp.StatusCode != 200 {
			t.Fatalf("in a body: %d %s", resp.StatusCode, body)
		}
	}
	if srv.Orders("d1.com") != 1 || srv.Submissions("d200.com") != 2 {
		t.Errorf("books: %d %d", srv.Orders("d1.com"), srv.Submissions("d200.com"))
	}

	// Ten thousand domains: refused in the query before anything else.
	p = bigBatch(10000, exp)
	if resp, _ := c.do(batch, call{params: p}); resp.StatusCode != http.StatusRequestURITooLong {
		t.Errorf("10,000 in the query: %d", resp.StatusCode)
	}
}

func TestURLLimitConfigurable(t *testing.T) {
	srv := newTestServer(t, WithMaxURLLength(64<<10))
	c := newCaller(t, srv)
	exp := time.Now().Add(-40 * 24 * time.Hour)
	if resp, body := c.do(batch, call{params: bigBatch(200, exp)}); resp.StatusCode != 200 {
		t.Errorf("200 domains under a 64 KiB limit: %d %s", resp.StatusCode, body)
	}
	if resp, _ := c.do(batch, call{params: bigBatch(1000, exp)}); resp.StatusCode != http.StatusRequestURITooLong {
		t.Errorf("1000 domains over a 64 KiB limit: %d", resp.StatusCode)
	}
}

// A body carries the documented maximum of a batch (1,000 domains); one
// more is refused as a whole, InvalidParameter naming the list.
func TestThousandInABody(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	exp := time.Now().Add(-40 * 24 * time.Hour)
	srv.AddDomain("d1000.com", exp)
	srv.AddDomain("d1001.com", exp)
	resp, body := c.do(batch, call{params: bigBatch(1000, exp), form: true})
	if resp.StatusCode != 200 {
		t.Fatalf("%d %.300s", resp.StatusCode, body)
	}
	taskNo := decodeJSON(t, body)["TaskNo"].(string)
	m := c.ok(details, map[string]string{"TaskNo": taskNo, "PageSize": "1"})
	if num(t, m["TotalItemNum"]) != 1000 || srv.Orders("d1000.com") != 1 {
		t.Errorf("TotalItemNum %v, orders %d", m["TotalItemNum"], srv.Orders("d1000.com"))
	}
	m = c.apiErr(batch, call{params: bigBatch(1001, exp), form: true}, 400, "InvalidParameter")
	if msg, _ := m["Message"].(string); !strings.Contains(msg, `"OrderRedeemParam"`) || srv.Submissions("d1001.com") != 0 {
		t.Errorf("1001 domains: %v, submissions %d", m, srv.Submissions("d1001.com"))
	}
}

func TestRateLimit(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithRateLimit(2, 3))
	c := newCaller(t, srv)
	for i := 0; i < 3; i++ {
		c.ok(listDomains, nil)
	}
	resp, body := c.do(listDomains, call{})
	checkErr(t, resp, body, 400, "Throttling.User")
	if h := resp.Header.Get("x-ratelimit-user-api"); h != "Limit:2,Remain:0,TimeLeft:500" {
		t.Errorf("hint %q", h)
	}
	// A queued fault waits for a request that gets through.
	srv.Inject(listDomains, ServiceUnavailable())
	c.apiErr(listDomains, call{}, 400, "Throttling.User")
	clock.Advance(400 * time.Millisecond)
	resp, _ = c.do(listDomains, call{})
	if resp.StatusCode != 400 || resp.Header.Get("x-ratelimit-user-api") != "Limit:2,Remain:0,TimeLeft:100" {
		t.Errorf("after 400ms: %d %q", resp.StatusCode, resp.Header.Get("x-ratelimit-user-api"))
	}
	clock.Advance(100 * time.Millisecond)
	c.apiErr(listDomains, call{}, 503, "ServiceUnavailable")
	c.apiErr(listDomains, call{}, 400, "Throttling.User")
	clock.Advance(10 * time.Second) // refills to the burst, not beyond
	for i := 0; i < 3; i++ {
		c.ok(listDomains, nil)
	}
	c.apiErr(listDomains, call{}, 400, "Throttling.User")
	if srv.Throttled() != 5 || srv.Requests(listDomains) != 12 {
		t.Errorf("Throttled %d Requests %d, want 5 12", srv.Throttled(), srv.Requests(listDomains))
	}
	// Orders are throttled before they are performed.
	srv.AddDomain("a.com", clock.Now().Add(-40*24*time.Hour))
	c.apiErr(single, call{params: map[string]string{"DomainName": "a.com", "CurrentExpirationDate": ms(clock.Now().Add(-40 * 24 * time.Hour))}}, 400, "Throttling.User")
	if srv.Submissions("a.com") != 0 {
		t.Error("a throttled order was performed")
	}
}
