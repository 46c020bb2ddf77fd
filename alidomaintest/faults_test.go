package alidomaintest

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// redeemSetup returns a server with example.com in redemption and a caller.
func redeemSetup(t *testing.T, opts ...Option) (*Server, *caller, call) {
	srv := newTestServer(t, opts...)
	exp := time.Now().Add(-40 * 24 * time.Hour)
	srv.AddDomain("example.com", exp)
	cl := call{params: map[string]string{"DomainName": "example.com", "CurrentExpirationDate": ms(exp)}}
	return srv, newCaller(t, srv), cl
}

// waitFor polls cond until it holds (or fails the test after 5s).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func committed(t *testing.T, srv *Server, want int) {
	t.Helper()
	if got := srv.Orders("example.com"); got != want {
		t.Errorf("Orders = %d, want %d", got, want)
	}
	info, _ := srv.Domain("example.com")
	if (info.Status == StatusNormal) != (want > 0) {
		t.Errorf("domain status %d with %d orders", info.Status, want)
	}
}

func TestFaultThrottle(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	srv.Inject(single, Throttle(2))
	for range 2 {
		m := c.apiErr(single, cl, 400, "Throttling.User")
		if m["Message"] != "Request was denied due to user flow control." {
			t.Errorf("Message %v", m["Message"])
		}
	}
	committed(t, srv, 0)
	c.ok(single, cl.params)
	committed(t, srv, 1)
	if srv.Requests(single) != 3 {
		t.Errorf("Requests = %d", srv.Requests(single))
	}
}

func TestFaultThrottleForeverAndClear(t *testing.T) {
	srv, c, _ := redeemSetup(t)
	srv.Inject(listDomains, Throttle(0), ThrottleForever(), Pass())
	for range 5 {
		c.apiErr(listDomains, call{}, 400, "Throttling.User")
	}
	srv.ClearFaults(listDomains)
	c.ok(listDomains, nil)
}

func TestFaultOnlyAfterGateway(t *testing.T) {
	srv, c, _ := redeemSetup(t)
	srv.Inject(listDomains, Throttle(1))
	c.apiErr(listDomains, call{secret: "bad"}, 400, "SignatureDoesNotMatch")
	c.apiErr(listDomains, call{}, 400, "Throttling.User")
	c.ok(listDomains, nil)
}

func TestFaultPassThenServiceUnavailable(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	srv.Inject(listDomains, Pass(), ServiceUnavailable())
	srv.Inject(single, ServiceUnavailable())
	c.ok(listDomains, nil)
	c.apiErr(listDomains, call{}, 503, "ServiceUnavailable")
	c.apiErr(single, cl, 503, "ServiceUnavailable")
	committed(t, srv, 0)
}

func TestFaultResetBeforeCommit(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	srv.Inject(single, ResetBeforeCommit())
	resp, _, err := c.send(cl, c.build(single, cl))
	if err == nil {
		t.Fatalf("got a response: %d", resp.StatusCode)
	}
	committed(t, srv, 0)
	if srv.Requests(single) != 1 {
		t.Errorf("Requests = %d", srv.Requests(single))
	}
	c.ok(single, cl.params)
	committed(t, srv, 1)
}

func TestFaultCommitThenDrop(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	srv.Inject(single, CommitThenDrop())
	resp, _, err := c.send(cl, c.build(single, cl))
	if err == nil || resp != nil {
		t.Fatalf("want a connection error and no response, got %v %v", resp, err)
	}
	committed(t, srv, 1)
	tl := items(t, c.ok(tasks, nil), "TaskInfo")
	if len(tl) != 1 || tl[0]["TaskStatus"] != "COMPLETE" {
		t.Errorf("task list %v", tl)
	}
}

func TestFaultServerErrorAfterCommit(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	srv.Inject(single, ServerErrorAfterCommit())
	m := c.apiErr(single, cl, 500, "InternalError")
	if !strings.Contains(m["Message"].(string), "unknown error") {
		t.Errorf("Message %v", m["Message"])
	}
	committed(t, srv, 1)
}

func TestFaultNonceUsedAfterCommit(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	srv.Inject(single, NonceUsedAfterCommit())
	m := c.apiErr(single, cl, 400, "SignatureNonceUsed")
	if m["Message"] != "Specified signature nonce was used already." {
		t.Errorf("Message %v", m["Message"])
	}
	committed(t, srv, 1)
	if srv.Requests(single) != 1 {
		t.Errorf("Requests = %d", srv.Requests(single))
	}
}

func TestFaultDelay(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	srv.Inject(listDomains, Delay(30*time.Millisecond))
	start := time.Now()
	c.ok(listDomains, nil)
	if el := time.Since(start); el < 30*time.Millisecond {
		t.Errorf("answered after %v", el)
	}

	// The client gives up during the delay: nothing is performed.
	srv.Inject(single, Delay(time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		waitFor(t, "the request to arrive", func() bool { return srv.Requests(single) == 1 })
		cancel()
	}()
	cl.ctx = ctx
	if _, _, err := c.send(cl, c.build(single, cl)); err == nil {
		t.Fatal("no error")
	}
	committed(t, srv, 0)
}

func TestFaultDelayAfterCommit(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	srv.Inject(single, DelayAfterCommit(time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		waitFor(t, "the order", func() bool { return srv.Orders("example.com") == 1 })
		cancel()
	}()
	cl.ctx = ctx
	if _, _, err := c.send(cl, c.build(single, cl)); err == nil {
		t.Fatal("no error")
	}
	committed(t, srv, 1)

	srv.Inject(listDomains, DelayAfterCommit(10*time.Millisecond))
	c.ok(listDomains, nil)
}

func TestFaultMalformedBody(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	srv.Inject(single, MalformedBody(), MalformedBody())
	for _, format := range []string{"JSON", "XML"} {
		cl.params["Format"] = format
		resp, body := c.do(single, cl)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != contentType(format) {
			t.Errorf("%s: %d %s", format, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var v any
		if json.Unmarshal(body, &v) == nil || xml.Unmarshal(body, &v) == nil {
			t.Errorf("%s: body parses: %q", format, body)
		}
	}
	// Both were performed; the second failed (the first redeemed the domain).
	if srv.Orders("example.com") != 1 || srv.Submissions("example.com") != 2 {
		t.Errorf("Orders %d Submissions %d, want 1 2", srv.Orders("example.com"), srv.Submissions("example.com"))
	}
}

func TestFaultTruncatedBody(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	srv.Inject(single, TruncatedBody())
	resp, body, err := c.send(cl, c.build(single, cl))
	if resp == nil || resp.StatusCode != 200 || err == nil {
		t.Fatalf("want a 200 whose body fails; got %v, %v", resp, err)
	}
	if err != io.ErrUnexpectedEOF || resp.ContentLength <= int64(len(body)) || !strings.HasPrefix(string(body), `{"RequestId":"`) {
		t.Errorf("err %v, Content-Length %d, got %q", err, resp.ContentLength, body)
	}
	committed(t, srv, 1)
}

func TestFaultEmptyBody(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	srv.Inject(single, EmptyBody())
	resp, body := c.do(single, cl)
	if resp.StatusCode != 200 || len(body) != 0 || resp.Header.Get("Content-Type") != "application/json;charset=utf-8" {
		t.Errorf("%d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	committed(t, srv, 1)
}

func TestFaultHugeBody(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	const n = 3 << 20
	srv.Inject(single, HugeBody(n))
	resp, body := c.do(single, cl)
	if resp.StatusCode != 200 || len(body) != n || resp.ContentLength != -1 || !strings.HasPrefix(string(body), `{"RequestId":"`) {
		t.Errorf("%d, %d bytes, Content-Length %d", resp.StatusCode, len(body), resp.ContentLength)
	}
	var v any
	if err := json.Unmarshal(body, &v); err == nil || !strings.Contains(err.Error(), "unexpected end") {
		t.Errorf("huge body: %v", err)
	}
	committed(t, srv, 1)

	// A practically endless body is streamed, and stops when the client leaves.
	srv.Inject(listDomains, HugeBody(1<<50))
	v2 := c.build(listDomains, call{})
	r, err := c.hc.Post(srv.URL+"?"+v2.Encode(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(io.Discard, r.Body, 1<<20); err != nil {
		t.Fatal(err)
	}
	r.Body.Close() // Close in Cleanup would hang if the handler did not stop
}

func TestFaultXMLBody(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	srv.Inject(single, XMLBody())
	resp, body := c.do(single, cl)
	var x struct {
		XMLName xml.Name `xml:"SaveSingleTaskForCreatingOrderRedeemResponse"`
		TaskNo  string
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/xml;charset=utf-8" || xml.Unmarshal(body, &x) != nil || x.TaskNo == "" {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	committed(t, srv, 1)
}

func TestFaultWrongContentType(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	srv.Inject(single, WrongContentType())
	resp, body := c.do(single, cl)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html;charset=utf-8" || decodeJSON(t, body)["TaskNo"] == "" {
		t.Errorf("%d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	committed(t, srv, 1)
}

func TestFaultSlowBody(t *testing.T) {
	srv, c, cl := redeemSetup(t)
	const per = 100 * time.Microsecond
	srv.Inject(single, SlowBody(per))
	start := time.Now()
	resp, body := c.do(single, cl)
	if resp.StatusCode != 200 || decodeJSON(t, body)["TaskNo"] == "" {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	if el := time.Since(start); el < time.Duration(len(body)-1)*per {
		t.Errorf("%d bytes in %v", len(body), el)
	}
	committed(t, srv, 1)

	// The client leaves after the first byte; the handler stops.
	srv.Inject(listDomains, SlowBody(time.Hour))
	v := c.build(listDomains, call{})
	r, err := c.hc.Post(srv.URL+"?"+v.Encode(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1)
	if _, err := io.ReadFull(r.Body, b); err != nil || b[0] != '{' {
		t.Fatalf("%q %v", b, err)
	}
	r.Body.Close()
}

func TestCloseReleasesHeldRequests(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	c := newCaller(t, srv)
	srv.Inject(listDomains, Delay(time.Hour))
	done := make(chan error, 1)
	go func() {
		_, _, err := c.send(call{}, c.build(listDomains, call{}))
		done <- err
	}()
	waitFor(t, "the request to arrive", func() bool { return srv.Requests(listDomains) == 1 })
	closed := make(chan struct{})
	go func() { srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close blocked on a delayed request")
	}
	if err := <-done; err == nil {
		t.Error("client got an answer")
	}
	srv.Close() // idempotent
}

func TestInjectUnknownActionPanics(t *testing.T) {
	srv := newTestServer(t)
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	srv.Inject("SaveBatchTaskForCreatingOrderRedeemm", Throttle(1))
}

func TestWrongMethodOnFault(t *testing.T) {
	// A fault is never consumed by a request the gateway rejects, whatever
	// the reason.
	srv := newTestServer(t)
	srv.Inject(listDomains, ServiceUnavailable())
	req, _ := http.NewRequest(http.MethodDelete, srv.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	readAll(t, resp)
	c := newCaller(t, srv)
	c.apiErr(listDomains, call{}, 503, "ServiceUnavailable")
}
