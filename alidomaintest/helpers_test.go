package alidomaintest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// testSign is a tiny signer written independently of signature.go: it
// leans on url.Values.Encode / url.QueryEscape and fixes up the differences
// from RFC 3986 (space is "+" there).
func testSign(method, secret string, p url.Values) string {
	fix := strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~")
	q := url.Values{}
	for k, v := range p {
		if k != "Signature" {
			q[k] = v
		}
	}
	canon := fix.Replace(q.Encode())
	sts := method + "&%2F&" + fix.Replace(url.QueryEscape(canon))
	m := hmac.New(sha1.New, []byte(secret+"&"))
	io.WriteString(m, sts)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 3, 10, 4, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// caller sends raw, signed requests to a Server.
type caller struct {
	t     *testing.T
	srv   *Server
	hc    *http.Client
	clock func() time.Time
}

func newCaller(t *testing.T, srv *Server) *caller {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &caller{t: t, srv: srv, hc: &http.Client{Transport: tr, Timeout: 10 * time.Second}, clock: srv.now}
}

type call struct {
	method string            // default POST
	form   bool              // all parameters in a form body instead of the query
	split  bool              // common parameters in the query, the others in a form body
	params map[string]string // action parameters
	pre    func(url.Values)  // edits before signing
	post   func(url.Values)  // edits after signing
	secret string            // signing secret, default the server's
	ctx    context.Context
}

var commonNames = map[string]bool{
	"Format": true, "Version": true, "AccessKeyId": true, "SignatureMethod": true,
	"SignatureVersion": true, "SignatureNonce": true, "Timestamp": true,
	"Signature": true, "Action": true, "SecurityToken": true,
}

func nonce() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// build returns the signed parameters of a call.
func (c *caller) build(action string, cl call) url.Values {
	v := url.Values{}
	v.Set("Format", "JSON")
	v.Set("Version", "2018-01-29")
	v.Set("AccessKeyId", c.srv.AccessKeyID)
	v.Set("SignatureMethod", "HMAC-SHA1")
	v.Set("SignatureVersion", "1.0")
	v.Set("SignatureNonce", nonce())
	v.Set("Timestamp", c.clock().UTC().Format("2006-01-02T15:04:05Z"))
	v.Set("Action", action)
	if c.srv.SecurityToken != "" {
		v.Set("SecurityToken", c.srv.SecurityToken)
	}
	// Like the SDKs, which always send a page list's paging parameters.
	if a := catalogAction(action); a != nil && a.Paging != nil {
		v.Set(a.Paging.PageNum, "1")
		v.Set(a.Paging.PageSize, "20")
	}
	for k, x := range cl.params {
		v.Set(k, x)
	}
	if cl.pre != nil {
		cl.pre(v)
	}
	method := cl.method
	if method == "" {
		method = http.MethodPost
	}
	secret := cl.secret
	if secret == "" {
		secret = c.srv.AccessKeySecret
	}
	v.Set("Signature", testSign(method, secret, v))
	if cl.post != nil {
		cl.post(v)
	}
	return v
}

// send sends already built parameters.
func (c *caller) send(cl call, v url.Values) (*http.Response, []byte, error) {
	method := cl.method
	if method == "" {
		method = http.MethodPost
	}
	u := strings.TrimSuffix(c.srv.URL, "/") + "/"
	var body io.Reader
	switch {
	case cl.form:
		body = strings.NewReader(v.Encode())
	case cl.split:
		q, b := url.Values{}, url.Values{}
		for k, x := range v {
			if commonNames[k] {
				q[k] = x
			} else {
				b[k] = x
			}
		}
		u += "?" + q.Encode()
		body = strings.NewReader(b.Encode())
	default:
		u += "?" + v.Encode()
	}
	ctx := cl.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// do builds and sends a call; it fails the test on a transport error.
func (c *caller) do(action string, cl call) (*http.Response, []byte) {
	c.t.Helper()
	resp, body, err := c.send(cl, c.build(action, cl))
	if err != nil {
		c.t.Fatalf("%s: %v", action, err)
	}
	return resp, body
}

// ok calls action and returns the decoded JSON of a 200 answer.
func (c *caller) ok(action string, params map[string]string) map[string]any {
	c.t.Helper()
	resp, body := c.do(action, call{params: params})
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("%s: status %d: %s", action, resp.StatusCode, body)
	}
	return decodeJSON(c.t, body)
}

// apiErr calls action and checks it fails with status and code; it returns
// the decoded error body.
func (c *caller) apiErr(action string, cl call, status int, code string) map[string]any {
	c.t.Helper()
	resp, body := c.do(action, cl)
	return checkErr(c.t, resp, body, status, code)
}

func checkErr(t *testing.T, resp *http.Response, body []byte, status int, code string) map[string]any {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("status = %d, want %d (%s)", resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json;charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	m := decodeJSON(t, body)
	if m["Code"] != code {
		t.Errorf("Code = %v, want %s (%s)", m["Code"], code, body)
	}
	if m["HostId"] != "domain.aliyuncs.com" {
		t.Errorf("HostId = %v", m["HostId"])
	}
	if m["Recommend"] != "https://api.aliyun.com/troubleshoot?q="+code+"&product=Domain" {
		t.Errorf("Recommend = %v", m["Recommend"])
	}
	checkRequestID(t, resp, m["RequestId"])
	return m
}

func checkRequestID(t *testing.T, resp *http.Response, id any) {
	t.Helper()
	s, _ := id.(string)
	if len(s) != 36 || strings.ToUpper(s) != s || strings.Count(s, "-") != 4 {
		t.Errorf("RequestId = %q, want an upper-case UUID", s)
	}
	if h := resp.Header.Get("X-Acs-Request-Id"); h != s {
		t.Errorf("x-acs-request-id = %q, body RequestId %q", h, s)
	}
}

func decodeJSON(t *testing.T, b []byte) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("decoding %q: %v", b, err)
	}
	return m
}

// num returns a JSON number as int64.
func num(t *testing.T, v any) int64 {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%v (%T) is not a number", v, v)
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// items returns Data.<name> of a list answer.
func items(t *testing.T, m map[string]any, name string) []map[string]any {
	t.Helper()
	data, ok := m["Data"].(map[string]any)
	if !ok {
		t.Fatalf("no Data object in %v", m)
	}
	raw, ok := data[name].([]any)
	if !ok {
		t.Fatalf("Data.%s is %T, want an array", name, data[name])
	}
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		out[i] = x.(map[string]any)
	}
	return out
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
