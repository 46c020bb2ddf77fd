// Package transport holds the HTTP side of an attempt: the SDK's own HTTP
// client, and the guard that keeps a paid order from reaching the network
// more than once per attempt the SDK counts.
package transport

import (
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alidomain/alidomain/internal/retry"
)

// A paid order must reach the network at most once per attempt the SDK
// counts. Go's HTTP/2 client re-sends a request inside one RoundTrip when
// the server resets its stream (PROTOCOL_ERROR), refuses it (REFUSED_STREAM)
// or sends GOAWAY, if the request has no body (nil or http.NoBody) or a
// GetBody (net/http h2_bundle.go, http2shouldRetryRequest). HTTP/1 never
// re-sends a POST that was written. So:
//
//   - the SDK's own client sends paid orders over an HTTP/1.1-only twin of
//     its transport (reads keep HTTP/2), and the wire stays as it was;
//   - through any other Doer a paid order carries a non-nil, empty body
//     without GetBody, which HTTP/2 refuses to replay once the request has
//     started (over HTTP/1 that body is sent chunked, as "0\r\n\r\n");
//   - a RoundTripper the user puts in front (logging, metrics) may buffer
//     the body and set GetBody again, so every paid attempt is traced,
//     through the request's context, whatever the doer: a connection got
//     after a write is a re-send starting, and its context is cancelled
//     before the headers go out again;
//   - the trace counts connections and writes: a second write, or a
//     connection got after a write, makes the attempt's outcome unknown,
//     whatever the answer, and it is never retried. No events is no proof
//     that nothing was sent.

// h1Twins maps each transport the SDK made to its HTTP/1.1-only twin.
var h1Twins sync.Map // *http.Transport -> *http.Transport

// NewHTTPClient returns the SDK's kind of HTTP client, with the given
// per-attempt and dial timeouts and TLS configuration (nil for the
// default). Its transport may speak HTTP/2; paid orders sent through it use
// an HTTP/1.1-only twin of the transport (see PaidDoer).
func NewHTTPClient(attempt, dial time.Duration, tlsConf *tls.Config) *http.Client {
	rt := newSDKTransport(attempt, dial, tlsConf, true)
	h1Twins.Store(rt, newSDKTransport(attempt, dial, tlsConf, false))
	return &http.Client{
		Timeout:   attempt,
		Transport: rt,
		// A POST redirected by the client would become a GET elsewhere; an
		// RPC endpoint never redirects, so a 3xx is returned as an error.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// newSDKTransport returns the SDK's transport; with h2 false it never
// negotiates HTTP/2.
func newSDKTransport(attempt, dial time.Duration, tlsConf *tls.Config, h2 bool) *http.Transport {
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: dial, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   dial,
		ResponseHeaderTimeout: attempt,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     h2,
	}
	if tlsConf != nil {
		t.TLSClientConfig = tlsConf.Clone()
	}
	if !h2 {
		// An empty, non-nil map is how net/http is told not to use HTTP/2.
		t.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
		if t.TLSClientConfig != nil {
			t.TLSClientConfig.NextProtos = nil
		}
	}
	return t
}

// PaidDoer returns the doer a paid order is sent with, and whether it
// cannot replay the request by itself: for a client the SDK made, a copy of
// it on the HTTP/1.1-only twin of its transport.
func PaidDoer(doer Doer) (Doer, bool) {
	hc, ok := doer.(*http.Client)
	if !ok {
		return doer, false
	}
	rt, ok := hc.Transport.(*http.Transport)
	if !ok {
		return doer, false
	}
	twin, ok := h1Twins.Load(rt)
	if !ok {
		return doer, false
	}
	cp := *hc
	cp.Transport = twin.(*http.Transport)
	return &cp, true
}

// Unreplayable makes req, a paid order sent through a doer that may replay
// it, un-replayable by the transport: an empty body without GetBody where
// there is none, and no GetBody for its own. A RoundTripper in between may
// still buffer the body and set GetBody; the attempt's trace stops that
// re-send (SendCounter).
func Unreplayable(req *http.Request) {
	if req.Body == nil || req.Body == http.NoBody {
		req.Body, req.ContentLength = emptyBody{}, 0
	}
	// Without GetBody, net/http cannot rewind the body to send it again.
	req.GetBody = nil
}

// emptyBody is an empty request body that net/http cannot rewind: it is
// neither nil nor http.NoBody, and requests carrying it have no GetBody.
type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }

// SendCounter counts, within one attempt, the connections the transport got
// and the times it wrote the request's headers, and notes a replay: a
// second write, or a connection got after a write. A connection got after
// a write is the start of a re-send (Go's HTTP/2 client gets one before
// each try); Stop, when set, cancels the request's context there, and the
// HTTP/2 client checks that context before it writes the headers again.
type SendCounter struct {
	conns, writes atomic.Int32
	again         atomic.Bool
	Stop          func() // nil: a re-send is only noted
}

// Hook adds the counter's GotConn hook to trace.
func (c *SendCounter) Hook(trace *httptrace.ClientTrace) {
	trace.GotConn = func(httptrace.GotConnInfo) {
		if c.writes.Load() > 0 {
			c.replay()
		}
		c.conns.Add(1)
	}
}

// Wrote records one write of the headers.
func (c *SendCounter) Wrote() {
	if c.writes.Add(1) > 1 {
		c.replay()
	}
}

// replay notes a re-send, and stops it if it can.
func (c *SendCounter) replay() {
	c.again.Store(true)
	if c.Stop != nil {
		c.Stop()
	}
}

// Replayed reports whether the transport may have sent the request more
// than once. A new connection before any write (a connection found unusable
// first) is no replay.
func (c *SendCounter) Replayed() bool { return c.again.Load() }

// Doer sends an HTTP request (the root package's Doer).
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// ReplayError describes a paid order's attempt that the transport may have
// sent more than once: its outcome is unknown whatever the answer, and it is
// never retried. It closes resp's body, and returns its status (0 without
// an answer).
func (c *SendCounter) ReplayError(action string, resp *http.Response) (status int, err error) {
	what := "no answer"
	if resp != nil {
		status = resp.StatusCode
		what = "HTTP " + retry.StatusText(resp.StatusCode)
		resp.Body.Close()
	}
	sent := "may have sent the request more than once in one attempt"
	if c.Stop != nil && c.writes.Load() <= 1 {
		sent = "began to send the request again in one attempt, after writing it once (the SDK cancelled the second send)"
	}
	return status, fmt.Errorf("alidomain: %s: the HTTP transport %s (%d writes, %d connections; last: %s)",
		action, sent, c.writes.Load(), c.conns.Load(), what)
}
