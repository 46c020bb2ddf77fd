package alidomaintest

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const listDomains = ActionQueryDomainList

func TestGatewayMissingParameters(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	for _, name := range []string{"Version", "AccessKeyId", "SignatureMethod", "SignatureVersion",
		"SignatureNonce", "Timestamp", "Signature", "Action"} {
		t.Run(name, func(t *testing.T) {
			c.t = t
			edit := func(v url.Values) { v.Del(name) }
			cl := call{pre: edit}
			if name == "Signature" {
				cl = call{post: edit}
			}
			m := c.apiErr(listDomains, cl, http.StatusBadRequest, "MissingParameter")
			want := `The input parameter "` + name + `" that is mandatory for processing this request is not supplied.`
			if m["Message"] != want {
				t.Errorf("Message = %q, want %q", m["Message"], want)
			}
		})
	}
	// Format is optional.
	c.t = t
	resp, body := c.do(listDomains, call{pre: func(v url.Values) { v.Del("Format") }})
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("without Format: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

func TestGatewayErrors(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now))
	c := newCaller(t, srv)
	set := func(k, v string) func(url.Values) { return func(q url.Values) { q.Set(k, v) } }
	tests := []struct {
		name   string
		action string
		cl     call
		status int
		code   string
		msg    string
	}{
		{"version", listDomains, call{pre: set("Version", "2014-05-26")}, 400, "InvalidVersion", "Specified parameter Version is not valid."},
		{"signature method", listDomains, call{pre: set("SignatureMethod", "HMAC-SHA256")}, 400, "InvalidParameter", `The specified parameter "SignatureMethod" is not valid.`},
		{"signature version", listDomains, call{pre: set("SignatureVersion", "2.0")}, 400, "InvalidParameter", `The specified parameter "SignatureVersion" is not valid.`},
		{"unknown key", listDomains, call{pre: set("AccessKeyId", "LTAInobody")}, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."},
		{"wrong secret", listDomains, call{secret: "wrong"}, 400, "SignatureDoesNotMatch", ""},
		{"signed as GET sent as POST", listDomains, call{post: func(v url.Values) {
			v.Set("Signature", testSign("GET", srv.AccessKeySecret, v))
		}}, 400, "SignatureDoesNotMatch", ""},
		{"param changed after signing", listDomains, call{post: set("PageSize", "5")}, 400, "SignatureDoesNotMatch", ""},
		{"token sent, none expected", listDomains, call{pre: set("SecurityToken", "tok")}, 400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired."},
		{"timestamp format", listDomains, call{pre: set("Timestamp", "2024-03-10 04:00:00")}, 400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."},
		{"timestamp with fraction", listDomains, call{pre: set("Timestamp", "2024-03-10T04:00:00.000Z")}, 400, "InvalidTimeStamp.Format", ""},
		{"timestamp old", listDomains, call{pre: set("Timestamp", clock.Now().Add(-16*time.Minute).Format("2006-01-02T15:04:05Z"))}, 400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."},
		{"timestamp future", listDomains, call{pre: set("Timestamp", clock.Now().Add(16*time.Minute).Format("2006-01-02T15:04:05Z"))}, 400, "InvalidTimeStamp.Expired", ""},
		{"unknown action", "DeleteEverything", call{}, 404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."},
		{"PUT", listDomains, call{method: http.MethodPut}, 400, "UnsupportedHTTPMethod", ""},
		{"format YAML", listDomains, call{pre: set("Format", "YAML")}, 400, "InvalidParameter.Format", "Specified parameter Format is not valid."},
		{"format empty value", listDomains, call{pre: set("Format", "json ")}, 400, "InvalidParameter.Format", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c.t = t
			m := c.apiErr(tc.action, tc.cl, tc.status, tc.code)
			if tc.msg != "" && m["Message"] != tc.msg {
				t.Errorf("Message = %q, want %q", m["Message"], tc.msg)
			}
		})
	}
	if n := srv.Requests(listDomains); n != 0 {
		t.Errorf("Requests = %d after only rejected requests, want 0", n)
	}

	// The SignatureDoesNotMatch message carries the server's string to sign.
	c.t = t
	var sent url.Values
	cl := call{secret: "wrong", post: func(v url.Values) { sent = v }}
	resp, body, err := c.send(cl, c.build(listDomains, cl))
	if err != nil {
		t.Fatal(err)
	}
	m := checkErr(t, resp, body, 400, "SignatureDoesNotMatch")
	p := map[string]string{}
	for k := range sent {
		p[k] = sent.Get(k)
	}
	want := "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign("POST", p)
	if m["Message"] != want {
		t.Errorf("Message = %q, want %q", m["Message"], want)
	}

	// Within the window is fine.
	resp, body = c.do(listDomains, call{pre: set("Timestamp", clock.Now().Add(-14*time.Minute).Format("2006-01-02T15:04:05Z"))})
	if resp.StatusCode != 200 {
		t.Errorf("14 minutes old: %d %s", resp.StatusCode, body)
	}
}

func TestGatewayNonceReplay(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now))
	c := newCaller(t, srv)
	cl := call{}
	v := c.build(listDomains, cl)
	resp, body, err := c.send(cl, v)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("first: %v %s", err, body)
	}
	resp, body, err = c.send(cl, v)
	if err != nil {
		t.Fatal(err)
	}
	m := checkErr(t, resp, body, 400, "SignatureNonceUsed")
	if m["Message"] != "Specified signature nonce was used already." {
		t.Errorf("Message = %q", m["Message"])
	}
	// After the window the timestamp check rejects the replay, and the nonce
	// is forgotten.
	clock.Advance(16 * time.Minute)
	resp, body, _ = c.send(cl, v)
	checkErr(t, resp, body, 400, "InvalidTimeStamp.Expired")
	c.ok(listDomains, nil) // triggers expiry
	srv.mu.Lock()
	n := len(srv.nonces.seen)
	srv.mu.Unlock()
	if n != 1 {
		t.Errorf("%d nonces remembered, want 1 (only the last)", n)
	}
}

func TestNonceStoreBounded(t *testing.T) {
	ns := nonceStore{seen: map[string]time.Time{}}
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1000 {
		now := t0.Add(time.Duration(i) * time.Second)
		if !ns.use(nonce(), now, now) {
			t.Fatal("fresh nonce rejected")
		}
	}
	if !ns.use("x", t0, t0.Add(2*time.Hour)) {
		t.Fatal("fresh nonce rejected")
	}
	if len(ns.seen) != 1 || len(ns.h) != 1 {
		t.Errorf("seen %d, heap %d; want 1, 1", len(ns.seen), len(ns.h))
	}
	if ns.use("x", t0, t0.Add(2*time.Hour)) {
		t.Error("replayed nonce accepted")
	}
}

func TestGatewaySecurityToken(t *testing.T) {
	srv := newTestServer(t, WithSecurityToken("sts-token"), WithCredentials("STS.id", "sec"))
	if srv.AccessKeyID != "STS.id" || srv.AccessKeySecret != "sec" || srv.SecurityToken != "sts-token" {
		t.Fatalf("fields: %q %q %q", srv.AccessKeyID, srv.AccessKeySecret, srv.SecurityToken)
	}
	c := newCaller(t, srv)
	c.ok(listDomains, nil)
	c.apiErr(listDomains, call{pre: func(v url.Values) { v.Del("SecurityToken") }}, 400, "MissingSecurityToken")
	c.apiErr(listDomains, call{pre: func(v url.Values) { v.Set("SecurityToken", "other") }}, 400, "InvalidSecurityToken.MismatchWithAccessKey")
}

func TestGatewayDefaultCredentialsRandom(t *testing.T) {
	a, b := newTestServer(t), newTestServer(t)
	if a.AccessKeyID == "" || a.AccessKeySecret == "" || a.AccessKeyID == b.AccessKeyID || a.AccessKeySecret == b.AccessKeySecret {
		t.Errorf("credentials not random: %q/%q vs %q/%q", a.AccessKeyID, a.AccessKeySecret, b.AccessKeyID, b.AccessKeySecret)
	}
	if !strings.HasPrefix(a.URL, "http://127.0.0.1:") || !strings.HasSuffix(a.URL, "/") {
		t.Errorf("URL = %q", a.URL)
	}
}

func TestGatewayTransports(t *testing.T) {
	srv := newTestServer(t)
	srv.AddDomain("example.com", time.Now().Add(-40*24*time.Hour))
	c := newCaller(t, srv)
	for _, tc := range []struct {
		name string
		cl   call
	}{
		{"GET query", call{method: http.MethodGet}},
		{"POST query", call{}},
		{"POST form body", call{form: true}},
		{"POST query and body", call{split: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.t = t
			tc.cl.params = map[string]string{"DomainName": "example", "PageSize": "10"}
			resp, body := c.do(listDomains, tc.cl)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			m := decodeJSON(t, body)
			if got := items(t, m, "Domain"); len(got) != 1 {
				t.Errorf("got %d domains", len(got))
			}
			if num(t, m["PageSize"]) != 10 {
				t.Errorf("PageSize = %v; body parameters were not read", m["PageSize"])
			}
		})
	}
	c.t = t
	// The same parameter in query and body with different values is refused.
	cl := call{split: true, params: map[string]string{"PageSize": "10"}}
	v := c.build(listDomains, cl)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"?"+v.Encode(), strings.NewReader("PageSize=11"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	checkErr(t, resp, body, 400, "InvalidParameter")
}

func TestGatewayXMLError(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	resp, body := c.do(listDomains, call{params: map[string]string{"Format": "XML"}, secret: "bad"})
	if resp.StatusCode != 400 || resp.Header.Get("Content-Type") != "text/xml;charset=utf-8" {
		t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := string(body)
	if !strings.HasPrefix(s, "<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>") {
		t.Errorf("body = %s", s)
	}
	var e struct {
		XMLName                  xml.Name
		RequestID                string `xml:"RequestId"`
		HostID                   string `xml:"HostId"`
		Code, Message, Recommend string
	}
	if err := xml.Unmarshal(body, &e); err != nil {
		t.Fatal(err)
	}
	if e.XMLName.Local != "Error" || e.Code != "SignatureDoesNotMatch" || e.HostID != "domain.aliyuncs.com" ||
		!strings.HasPrefix(e.Message, "Specified signature is not matched") ||
		e.Recommend != "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=Domain" {
		t.Errorf("decoded %+v", e)
	}
	checkRequestID(t, resp, e.RequestID)
}

func TestFreshRequestIDs(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	seen := map[any]bool{}
	for range 5 {
		id := c.ok(listDomains, nil)["RequestId"]
		if seen[id] {
			t.Fatalf("RequestId %v repeated", id)
		}
		seen[id] = true
	}
}

func TestAddCredentials(t *testing.T) {
	srv := newTestServer(t, WithSecurityToken("main-token"))
	c := newCaller(t, srv)
	srv.AddCredentials("STS.extra", "extra-secret", "extra-token")
	srv.AddCredentials("LTAIplain", "plain-secret", "")
	as := func(id, tok string) func(url.Values) {
		return func(v url.Values) {
			v.Set("AccessKeyId", id)
			if tok == "" {
				v.Del("SecurityToken")
			} else {
				v.Set("SecurityToken", tok)
			}
		}
	}
	// The configured pair still works.
	if resp, body := c.do(listDomains, call{}); resp.StatusCode != 200 {
		t.Fatalf("configured key: %d %s", resp.StatusCode, body)
	}
	if resp, body := c.do(listDomains, call{pre: as("STS.extra", "extra-token"), secret: "extra-secret"}); resp.StatusCode != 200 {
		t.Fatalf("added STS key: %d %s", resp.StatusCode, body)
	}
	if resp, body := c.do(listDomains, call{pre: as("LTAIplain", ""), secret: "plain-secret"}); resp.StatusCode != 200 {
		t.Fatalf("added plain key: %d %s", resp.StatusCode, body)
	}
	c.apiErr(listDomains, call{pre: as("STS.extra", "extra-token"), secret: srv.AccessKeySecret}, 400, "SignatureDoesNotMatch")
	c.apiErr(listDomains, call{pre: as("STS.extra", "main-token"), secret: "extra-secret"}, 400, "InvalidSecurityToken.MismatchWithAccessKey")
	c.apiErr(listDomains, call{pre: as("STS.extra", ""), secret: "extra-secret"}, 400, "MissingSecurityToken")
	c.apiErr(listDomains, call{pre: as("LTAIplain", "main-token"), secret: "plain-secret"}, 400, "InvalidSecurityToken.Expired")
	c.apiErr(listDomains, call{pre: as("LTAIunknown", ""), secret: "x"}, 404, "InvalidAccessKeyId.NotFound")
	// Adding again replaces the secret.
	srv.AddCredentials("LTAIplain", "rotated", "")
	c.apiErr(listDomains, call{pre: as("LTAIplain", ""), secret: "plain-secret"}, 400, "SignatureDoesNotMatch")
	if resp, body := c.do(listDomains, call{pre: as("LTAIplain", ""), secret: "rotated"}); resp.StatusCode != 200 {
		t.Fatalf("rotated key: %d %s", resp.StatusCode, body)
	}
	if n := srv.Requests(listDomains); n != 4 {
		t.Errorf("Requests = %d, want 4", n)
	}
}

// Every action of the table is known to the gateway and to Inject: a
// throttle injected for it is what its next request gets.
func TestActionTableDrivesGatewayAndInject(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	if len(actions) < 5 {
		t.Fatalf("only %d actions in the table", len(actions))
	}
	for name := range actions {
		srv.Inject(name, Throttle(1))
		c.apiErr(name, call{}, 400, "Throttling.User")
		if n := srv.Requests(name); n != 1 {
			t.Errorf("%s: Requests = %d, want 1", name, n)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Inject accepted an action that is not in the table")
		}
	}()
	srv.Inject("SaveBatchTaskForCreatingOrderEverything", Throttle(1))
}

// Format is case-insensitive (the official v2 runtime sends "json").
func TestGatewayFormatCase(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	for format, ctype := range map[string]string{"json": "application/json", "xml": "text/xml", "Xml": "text/xml"} {
		resp, body := c.do(listDomains, call{params: map[string]string{"Format": format}})
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) {
			t.Errorf("Format %s: %d %s %s", format, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
}
