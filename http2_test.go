package alidomain

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/alidomain/alidomain/internal/retry"
	"github.com/alidomain/alidomain/internal/transport"
)

// h2Trigger is how the test server makes Go's HTTP/2 client replay a
// request inside one RoundTrip.
type h2Trigger int

const (
	trigProtocolError h2Trigger = iota // RST_STREAM PROTOCOL_ERROR
	trigRefusedStream                  // RST_STREAM REFUSED_STREAM
	trigGoAway                         // GOAWAY with last stream 0, then the connection ends
)

var h2Triggers = []struct {
	name string
	trig h2Trigger
}{
	{"RST_STREAM PROTOCOL_ERROR", trigProtocolError},
	{"RST_STREAM REFUSED_STREAM", trigRefusedStream},
	{"GOAWAY", trigGoAway},
}

// h2Server is a TLS loopback server that speaks HTTP/2 at the frame level
// (and HTTP/1.1 to clients that do not offer h2). Every complete request
// counts; the first `fail` complete HTTP/2 requests are answered with the
// trigger instead of a response, as a server would after committing.
type h2Server struct {
	t       *testing.T
	ln      net.Listener
	pool    *x509.CertPool
	trig    h2Trigger
	fail    int
	mu      sync.Mutex
	reqs    []h2Request
	h2fails int
	conns   []net.Conn
	wg      sync.WaitGroup
	// upstream, when set, answers the requests that are not triggered:
	// they are forwarded to it over HTTP/1.1 and its answer relayed.
	upstream string
}

// h2Request is one complete request the server received.
type h2Request struct {
	proto  string // "h2" or "HTTP/1.1"
	action string
}

func newH2Server(t *testing.T, trig h2Trigger, fail int) *h2Server {
	t.Helper()
	cert, pool := testCert(t)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{cert},
		NextProtos:   []string{"h2", "http/1.1"},
	})
	require.NoError(t, err)
	s := &h2Server{t: t, ln: ln, pool: pool, trig: trig, fail: fail}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *h2Server) url() string { return "https://" + s.ln.Addr().String() + "/" }

func (s *h2Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			tc := c.(*tls.Conn)
			if tc.Handshake() != nil {
				return
			}
			if tc.ConnectionState().NegotiatedProtocol == "h2" {
				s.serveH2(tc)
			} else {
				s.serveH1(tc)
			}
		}()
	}
}

// record counts a complete request, and says whether to answer it with the
// trigger.
func (s *h2Server) record(proto, rawPath string, h http.Header) (trigger bool) {
	action := h.Get("x-acs-action") // signature V3
	if u, err := url.Parse(rawPath); err == nil && action == "" {
		action = u.Query().Get("Action")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, h2Request{proto: proto, action: action})
	if proto == "h2" && s.h2fails < s.fail {
		s.h2fails++
		return true
	}
	return false
}

// requests returns the complete requests for action.
func (s *h2Server) requests(action string) []h2Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []h2Request
	for _, r := range s.reqs {
		if r.action == action {
			out = append(out, r)
		}
	}
	return out
}

// answer is the body of a successful answer to action.
func answer(action string) string {
	if action == "QueryTaskList" {
		return `{"RequestId":"R-READ","TotalItemNum":0,"CurrentPageNum":1,"PageSize":10,"TotalPageNum":0,"PrePage":false,"NextPage":false,"Data":{"TaskInfo":[]}}`
	}
	return `{"RequestId":"R-ORDER","TaskNo":"TASK-1"}`
}

// respond returns the status, content type and body of the answer to a
// request for rawPath with headers h, body reqBody and Host host: the
// upstream's (which gets the same headers, body and Host, as V3 signs
// them), or answer's.
func (s *h2Server) respond(rawPath string, h http.Header, reqBody []byte, host string) (int, string, []byte) {
	u, err := url.Parse(rawPath)
	if err != nil {
		return 400, "text/plain", []byte("bad path")
	}
	if s.upstream == "" {
		return 200, "application/json", []byte(answer(u.Query().Get("Action")))
	}
	req, err := http.NewRequest(http.MethodPost, strings.TrimSuffix(s.upstream, "/")+u.RequestURI(), bytes.NewReader(reqBody))
	if err != nil {
		return 400, "text/plain", []byte("bad path")
	}
	for k, vs := range h {
		if k != "Content-Length" && k != "Transfer-Encoding" && k != "Connection" {
			req.Header[k] = vs
		}
	}
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 502, "text/plain", []byte("upstream: " + err.Error())
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

func (s *h2Server) serveH1(c net.Conn) {
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		reqBody, err := io.ReadAll(req.Body)
		if err != nil {
			return
		}
		s.record("HTTP/1.1", req.URL.RequestURI(), req.Header)
		status, ctype, body := s.respond(req.URL.RequestURI(), req.Header, reqBody, req.Host)
		if _, err := fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s", status, http.StatusText(status), ctype, len(body), body); err != nil {
			return
		}
	}
}

func (s *h2Server) serveH2(c net.Conn) {
	preface := make([]byte, len(http2.ClientPreface))
	if _, err := io.ReadFull(c, preface); err != nil || string(preface) != http2.ClientPreface {
		return
	}
	fr := http2.NewFramer(c, c)
	fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	if fr.WriteSettings() != nil {
		return
	}
	paths := map[uint32]string{}
	hosts := map[uint32]string{}
	headers := map[uint32]http.Header{}
	bodies := map[uint32][]byte{}
	var hbuf bytes.Buffer
	enc := hpack.NewEncoder(&hbuf)
	complete := func(id uint32) error {
		path, host, h, reqBody := paths[id], hosts[id], headers[id], bodies[id]
		delete(paths, id)
		delete(hosts, id)
		delete(headers, id)
		delete(bodies, id)
		if s.record("h2", path, h) {
			switch s.trig {
			case trigProtocolError:
				return fr.WriteRSTStream(id, http2.ErrCodeProtocol)
			case trigRefusedStream:
				return fr.WriteRSTStream(id, http2.ErrCodeRefusedStream)
			default:
				return fr.WriteGoAway(0, http2.ErrCodeNo, nil)
			}
		}
		status, ctype, body := s.respond(path, h, reqBody, host)
		hbuf.Reset()
		enc.WriteField(hpack.HeaderField{Name: ":status", Value: strconv.Itoa(status)})
		enc.WriteField(hpack.HeaderField{Name: "content-type", Value: ctype})
		enc.WriteField(hpack.HeaderField{Name: "content-length", Value: strconv.Itoa(len(body))})
		if err := fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: hbuf.Bytes(), EndHeaders: true}); err != nil {
			return err
		}
		return fr.WriteData(id, true, body)
	}
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return
		}
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				err = fr.WriteSettingsAck()
			}
		case *http2.PingFrame:
			if !f.IsAck() {
				err = fr.WritePing(true, f.Data)
			}
		case *http2.MetaHeadersFrame:
			paths[f.StreamID] = f.PseudoValue("path")
			hosts[f.StreamID] = f.PseudoValue("authority")
			h := http.Header{}
			for _, hf := range f.RegularFields() {
				h.Add(hf.Name, hf.Value)
			}
			headers[f.StreamID] = h
			if f.StreamEnded() {
				err = complete(f.StreamID)
			}
		case *http2.DataFrame:
			bodies[f.StreamID] = append(bodies[f.StreamID], f.Data()...)
			if f.StreamEnded() {
				err = complete(f.StreamID)
			}
		case *http2.GoAwayFrame:
			return
		}
		if err != nil {
			return
		}
	}
}

// testCert returns a self-signed certificate for 127.0.0.1 and a pool that
// trusts it.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "alidomain test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// h2Clients are the HTTP clients a paid order must not be replayed by: the
// SDK's own kind (its constructor, trusting the test certificate) and a
// user's client with HTTP/2 enabled.
func h2Clients(pool *x509.CertPool) []struct {
	name string
	hc   *http.Client
} {
	return []struct {
		name string
		hc   *http.Client
	}{
		{"SDK default client", transport.NewHTTPClient(20*time.Second, 10*time.Second, &tls.Config{RootCAs: pool})},
		{"user client with HTTP/2", &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true,
		}}},
	}
}

// One SubmitBatch call is at most one order on an HTTP/2 server that makes
// Go's HTTP/2 client replay requests, for each of the three triggers, with
// the SDK's client and with a user's (issue 9).
func TestHTTP2PaidOrderIsNotReplayed(t *testing.T) {
	for _, tr := range h2Triggers {
		for i := range h2Clients(nil) {
			t.Run(tr.name+"/"+h2Clients(nil)[i].name, func(t *testing.T) {
				s := newH2Server(t, tr.trig, 2)
				hc := h2Clients(s.pool)[i].hc
				c, err := New(Options{
					Endpoint: s.url(), Credentials: StaticCredentials(testKeyID, testSecret), HTTPClient: hc,
					Retry: RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond},
				})
				require.NoError(t, err)
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				res, err := c.Redeem.SubmitBatch(ctx, twoDomains())
				orders := s.requests(actionBatch)
				require.Len(t, orders, 1, "one SubmitBatch call placed %d orders (err %v)", len(orders), err)
				if err != nil {
					require.ErrorIs(t, err, ErrOutcomeUnknown, "the order reached the server: its outcome is unknown")
				} else {
					assert.Equal(t, "TASK-1", res.TaskNo)
					assert.Equal(t, 1, res.Attempts)
				}
				if i == 0 {
					assert.Equal(t, "HTTP/1.1", orders[0].proto, "the SDK's client sends paid orders over HTTP/1.1")
					require.NoError(t, err)
				} else {
					assert.Equal(t, "h2", orders[0].proto, "the user's client spoke HTTP/2")
				}
			})
		}
	}
}

// Reads keep HTTP/2 with the SDK's client, and may be replayed by it.
func TestHTTP2ReadsKeepHTTP2AndMayBeReplayed(t *testing.T) {
	for _, tr := range h2Triggers {
		t.Run(tr.name, func(t *testing.T) {
			s := newH2Server(t, tr.trig, 2)
			c, err := New(Options{
				Endpoint: s.url(), Credentials: StaticCredentials(testKeyID, testSecret),
				HTTPClient: h2Clients(s.pool)[0].hc,
				Retry:      RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond},
			})
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err = c.Tasks.List(ctx, nil)
			require.NoError(t, err)
			reads := s.requests("QueryTaskList")
			require.Len(t, reads, 3, "two triggers, then the answer")
			for _, r := range reads {
				assert.Equal(t, "h2", r.proto)
			}
		})
	}
}

// The SDK's HTTP/1 wire for paid orders is unchanged: no body, and
// Content-Length: 0, not chunked.
func TestPaidOrderHTTP1WireUnchanged(t *testing.T) {
	var mu sync.Mutex
	var te []string
	var cl int64 = -2
	ts := newH1Recorder(t, func(r *http.Request) { mu.Lock(); te, cl = r.TransferEncoding, r.ContentLength; mu.Unlock() })
	seen := func() ([]string, int64) { mu.Lock(); defer mu.Unlock(); return te, cl }
	c, err := New(Options{Endpoint: ts, Credentials: StaticCredentials(testKeyID, testSecret), HTTPClient: transport.NewHTTPClient(10*time.Second, 10*time.Second, nil)})
	require.NoError(t, err)
	_, err = c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.NoError(t, err)
	gotTE, gotCL := seen()
	assert.Empty(t, gotTE)
	assert.EqualValues(t, 0, gotCL)

	// Through a user's client the body is one that cannot be replayed:
	// over HTTP/1 it goes chunked and empty.
	c, err = New(Options{Endpoint: ts, Credentials: StaticCredentials(testKeyID, testSecret), HTTPClient: &http.Client{}})
	require.NoError(t, err)
	_, err = c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.NoError(t, err)
	gotTE, gotCL = seen()
	assert.Equal(t, []string{"chunked"}, gotTE)
	assert.EqualValues(t, -1, gotCL)
	// Reads keep their body-less wire.
	_, err = c.Tasks.List(context.Background(), nil)
	require.NoError(t, err)
	gotTE, gotCL = seen()
	assert.Empty(t, gotTE)
	assert.EqualValues(t, 0, gotCL)
}

// newH1Recorder serves HTTP/1.1 on loopback, calling seen for each request.
func newH1Recorder(t *testing.T, seen func(*http.Request)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen(r)
		io.WriteString(w, answer(r.URL.Query().Get("Action")))
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}

// The defence: a second write, or a second connection after a write, in
// one attempt makes a paid order's outcome unknown, never retried.
func TestSendCounterReplayed(t *testing.T) {
	var trace httptrace.ClientTrace
	count := func(events string) *transport.SendCounter {
		c := new(transport.SendCounter)
		c.Hook(&trace)
		for _, e := range events {
			switch e {
			case 'c':
				trace.GotConn(httptrace.GotConnInfo{})
			case 'w':
				c.Wrote()
			}
		}
		return c
	}
	for events, want := range map[string]bool{
		"":    false,
		"cw":  false, // one connection, one write
		"ccw": false, // a connection found unusable before anything was written
		"cwc": true,  // a connection after a write
		"cww": true,  // two writes
		"cc":  false,
	} {
		assert.Equal(t, want, count(events).Replayed(), "events %q", events)
	}

	// With stop set, a re-send is stopped where it starts: at the
	// connection got after the write.
	for events, want := range map[string]int{"cw": 0, "ccw": 0, "cwc": 1, "cww": 1} {
		stops := 0
		c := &transport.SendCounter{Stop: func() { stops++ }}
		c.Hook(&trace)
		for _, e := range events {
			if e == 'c' {
				trace.GotConn(httptrace.GotConnInfo{})
			} else {
				c.Wrote()
			}
		}
		assert.Equal(t, want, stops, "events %q", events)
	}

	a := replayedAttempt(actionBatch, nil, count("cwcw"))
	got, _ := retry.Classify(false, a.written, a.kind, a.status, a.code)
	assert.Equal(t, retry.Unknown, got)
	assert.Contains(t, a.err.Error(), "more than once")
	assert.Contains(t, a.err.Error(), "2 writes, 2 connections")
}

// bufferingMiddleware is a user's RoundTripper (logging, metrics) in front
// of a transport: it reads the request's body into memory and sets GetBody,
// as such middleware does to log or re-read the body, which lets the
// transport behind it replay the request.
type bufferingMiddleware struct {
	next  http.RoundTripper
	calls atomic.Int32
}

func (m *bufferingMiddleware) RoundTrip(req *http.Request) (*http.Response, error) {
	m.calls.Add(1)
	r := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		r.ContentLength = int64(len(b))
	}
	return m.next.RoundTrip(r)
}

// middlewareClients are users' clients whose Transport is a buffering
// middleware in front of an HTTP/2 transport: x/net's, and net/http's with
// HTTP/2 enabled.
func middlewareClients(pool *x509.CertPool) []struct {
	name string
	hc   *http.Client
	mw   *bufferingMiddleware
} {
	xnet := &bufferingMiddleware{next: &http2.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	std := &bufferingMiddleware{next: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	return []struct {
		name string
		hc   *http.Client
		mw   *bufferingMiddleware
	}{
		{"middleware over x/net http2.Transport", &http.Client{Timeout: 20 * time.Second, Transport: xnet}, xnet},
		{"middleware over http.Transport with HTTP/2", &http.Client{Timeout: 20 * time.Second, Transport: std}, std},
	}
}

// A paid order through a user's middleware that re-buffers the body and
// sets GetBody, in front of an HTTP/2 transport, is one order whatever the
// trigger, and its outcome is unknown: the transport's re-send is stopped
// before it is written, and the attempt is never reported as a success
// (issue 17). The control shows that the same client replays a request of
// its own three times.
func TestHTTP2PaidOrderIsNotReplayedThroughMiddleware(t *testing.T) {
	for _, tr := range h2Triggers {
		for i := range middlewareClients(nil) {
			for _, params := range []ParamPlacement{ParamsQuery, ParamsBody} {
				t.Run(tr.name+"/"+middlewareClients(nil)[i].name+"/"+string(params), func(t *testing.T) {
					s := newH2Server(t, tr.trig, 2)
					mc := middlewareClients(s.pool)[i]
					c, err := New(Options{
						Endpoint: s.url(), Credentials: StaticCredentials(testKeyID, testSecret), HTTPClient: mc.hc, Params: params,
						Retry: RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond},
					})
					require.NoError(t, err)
					ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
					defer cancel()
					res, err := c.Redeem.SubmitBatch(ctx, twoDomains())
					orders := s.requests(actionBatch)
					require.Len(t, orders, 1, "one SubmitBatch call placed %d orders (result %+v, err %v)", len(orders), res, err)
					assert.Equal(t, "h2", orders[0].proto)
					require.ErrorIs(t, err, ErrOutcomeUnknown, "the order reached the server and no answer came: unknown, not a success")
					assert.Contains(t, err.Error(), "cancelled the second send")
					assert.EqualValues(t, 1, mc.mw.calls.Load(), "one attempt through the middleware")

					// Control: the same client replays a request of its own
					// (one trigger more: Go's HTTP/2 client waits before a
					// second replay).
					req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url()+"?Action=Control", strings.NewReader("x=1"))
					require.NoError(t, err)
					req.GetBody = nil // the middleware sets it again
					s.mu.Lock()
					s.h2fails = s.fail - 1
					s.mu.Unlock()
					resp, err := mc.hc.Do(req)
					require.NoError(t, err)
					resp.Body.Close()
					assert.Len(t, s.requests("Control"), 2, "a trigger replayed by the transport, then the answer")
				})
			}
		}
	}
}

// HTTP2Front is, for the fault matrix (an external test of this package), a
// loopback TLS front that speaks HTTP/2 (and HTTP/1.1 to clients that do not
// offer h2), answers the first complete HTTP/2 requests with a replay trigger
// after taking them, and forwards the others to an upstream (the simulator).
type HTTP2Front struct {
	// URL is the front's endpoint.
	URL string
	// SDKClient is built by the SDK's own constructor, trusting the front.
	SDKClient *http.Client
	// UserClient is a user's client with HTTP/2 enabled, trusting the front.
	UserClient *http.Client
	// MiddlewareClient is a user's client whose Transport is a middleware
	// that buffers the body and sets GetBody, in front of x/net's HTTP/2
	// transport, trusting the front.
	MiddlewareClient *http.Client
	s                *h2Server
}

// NewHTTP2Front starts a front whose first `fail` complete HTTP/2 requests
// get trigger (0 PROTOCOL_ERROR, 1 REFUSED_STREAM, 2 GOAWAY); the others go
// to upstream.
func NewHTTP2Front(t *testing.T, trigger, fail int, upstream string) *HTTP2Front {
	s := newH2Server(t, h2Trigger(trigger), fail)
	s.upstream = upstream
	cs := h2Clients(s.pool)
	return &HTTP2Front{URL: s.url(), SDKClient: cs[0].hc, UserClient: cs[1].hc, MiddlewareClient: middlewareClients(s.pool)[0].hc, s: s}
}

// Requests returns how many complete requests for action the front took,
// each one an order for a paid action.
func (f *HTTP2Front) Requests(action string) int { return len(f.s.requests(action)) }
