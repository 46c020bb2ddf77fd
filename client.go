// Package alidomain is a typed client for the Alibaba Cloud Domain API
// (version 2018-01-29, RPC style), built for batch redemption of expired
// domain names: find them (DomainService), redeem them (RedeemService),
// follow the task (TaskService).
//
// Requests are validated before anything is sent, signed with RPC signature
// v1 (HMAC-SHA1) and sent as POST with every parameter in the URL query.
// Reads are retried on transport errors, 5xx and throttling; a paid order is
// re-sent only when it provably did not take effect, and otherwise fails with
// an *OutcomeUnknownError that says how to find out what happened.
//
// Package alidomaintest provides a local simulator of the service for tests
// and demos.
package alidomain

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/go-querystring/query"
)

// DefaultEndpoint is the Domain API's public endpoint.
const DefaultEndpoint = "https://domain.aliyuncs.com/"

// APIVersion is the version of the Domain API this package speaks.
const APIVersion = "2018-01-29"

// Version is the version of this SDK, sent in the User-Agent.
const Version = "0.1.0"

// maxBodyBytes bounds how much of a response is read; a larger body is an
// error, so a hostile or broken server cannot make the client buffer it.
const maxBodyBytes = 8 << 20

// HTTPDoer sends an HTTP request; *http.Client satisfies it.
//
// The guarantee that a paid order is only re-sent when it provably did not
// take effect relies on net/http/httptrace events, which http.Transport
// reports. A doer that does not use an http.Transport gives no such proof, so
// with it every failure of a paid order is an OutcomeUnknownError.
type HTTPDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// Options configures a Client. Methods take functions that change a copy of
// them for one call only.
type Options struct {
	// Endpoint is the API's base URL; http:// is allowed for tests and the
	// simulator. Default DefaultEndpoint.
	Endpoint string
	// Credentials supplies the AccessKey; required.
	Credentials CredentialsProvider
	// HTTPClient sends requests. Default: a shared *http.Client with
	// DefaultAttemptTimeout per attempt (body included), DefaultDialTimeout
	// for dialing and the TLS handshake, and no redirects.
	HTTPClient HTTPDoer
	// Logger receives one Debug record per attempt. Default: discard.
	Logger *slog.Logger
	// Retry sets attempts and backoff. Zero fields take DefaultRetryPolicy's.
	Retry RetryPolicy
	// Format is the response format asked for, "JSON" (default) or "XML";
	// both decode.
	Format string
	// Lang is the language of the service's messages, "en" or "zh"; empty
	// sends none, and the service answers in English.
	Lang string
	// UserAgent is added to the SDK's User-Agent.
	UserAgent string
}

// Client calls the Domain API. It is safe for concurrent use; create one and
// share it.
type Client struct {
	// Redeem submits redemption orders.
	Redeem *RedeemService
	// Tasks reads tasks and waits for them.
	Tasks *TaskService
	// Domains lists the account's domains.
	Domains *DomainService

	opts    Options
	derived derived

	// now and nonce are replaced by tests that need fixed signatures.
	now   func() time.Time
	nonce func() string
}

// derived holds what resolveOptions computes from Options once.
type derived struct {
	endpoint  string
	url       *url.URL // endpoint, parsed; copied by each attempt
	host      string   // the request Host for endpoint
	userAgent string
	format    string // already escaped
	retry     RetryPolicy
	traced    bool // HTTPClient is known to report httptrace events
}

// service is the common part of every service.
type service struct{ client *Client }

// Meta is embedded in every result: the request's ID and how many attempts
// the call took.
type Meta struct {
	// RequestID is the service's ID of the request that succeeded.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
}

// Default timeouts of the HTTP client used when Options.HTTPClient is nil.
const (
	// DefaultAttemptTimeout bounds one attempt, from dialing to the last
	// byte of the body, so a server that trickles its answer is cut off.
	DefaultAttemptTimeout = 30 * time.Second
	// DefaultDialTimeout bounds connecting, and the TLS handshake.
	DefaultDialTimeout = 10 * time.Second
)

// defaultHTTPClient is shared so that all Clients made without an
// HTTPClient share one connection pool.
var defaultHTTPClient = newHTTPClient(DefaultAttemptTimeout, DefaultDialTimeout)

// newHTTPClient returns the default kind of HTTP client with the given
// per-attempt and dial timeouts (transport.go; paid orders use its
// HTTP/1.1-only twin).
func newHTTPClient(attempt, dial time.Duration) *http.Client {
	return newSDKHTTPClient(attempt, dial, nil)
}

// New returns a Client configured by opts, changed by each optFn in order.
// It fails when no credentials provider is given, when the endpoint is not an
// absolute http(s) URL, or when Format or Lang has an unknown value.
func New(opts Options, optFns ...func(*Options)) (*Client, error) {
	for _, fn := range optFns {
		fn(&opts)
	}
	d, err := resolveOptions(&opts)
	if err != nil {
		return nil, err
	}
	c := &Client{opts: opts, derived: d, now: time.Now, nonce: newNonce}
	common := &service{client: c}
	c.Redeem = (*RedeemService)(common)
	c.Tasks = (*TaskService)(common)
	c.Domains = (*DomainService)(common)
	return c, nil
}

// String describes the client without its credentials.
func (c *Client) String() string {
	return "alidomain.Client{Endpoint: " + c.derived.endpoint + "}"
}

// resolveOptions fills defaults into o and checks it.
func resolveOptions(o *Options) (derived, error) {
	var d derived
	if o.Credentials == nil {
		return d, errors.New("alidomain: Options.Credentials is required (for example alidomain.DefaultCredentials())")
	}
	if o.Endpoint == "" {
		o.Endpoint = DefaultEndpoint
	}
	u, err := url.Parse(o.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return d, fmt.Errorf("alidomain: Options.Endpoint %q is not an absolute http(s) URL", o.Endpoint)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return d, fmt.Errorf("alidomain: Options.Endpoint %q must not have a query, fragment or user info", u.Redacted())
	}
	if u.Path == "" {
		u.Path = "/"
	}
	d.endpoint = u.String()
	tmpl, err := http.NewRequest(http.MethodPost, d.endpoint, nil)
	if err != nil {
		return d, fmt.Errorf("alidomain: Options.Endpoint %q: %w", o.Endpoint, err)
	}
	d.url, d.host = tmpl.URL, tmpl.Host
	if o.HTTPClient == nil {
		o.HTTPClient = defaultHTTPClient
	}
	if hc, ok := o.HTTPClient.(*http.Client); ok {
		switch hc.Transport.(type) {
		case nil, *http.Transport:
			d.traced = true
		}
	}
	o.Retry = o.Retry.withDefaults()
	d.retry = o.Retry
	switch strings.ToUpper(o.Format) {
	case "", "JSON":
		o.Format = "JSON"
	case "XML":
		o.Format = "XML"
	default:
		return d, fmt.Errorf("alidomain: Options.Format %q is not JSON or XML", o.Format)
	}
	d.format = o.Format
	if err := checkLang("Options.Lang", o.Lang); err != nil {
		return d, err
	}
	d.userAgent = "alidomain-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if o.UserAgent != "" {
		d.userAgent += " " + o.UserAgent
	}
	return d, nil
}

func checkLang(field, lang string) error {
	switch lang {
	case "", "en", "zh":
		return nil
	}
	return &ValidationError{Field: field, Reason: fmt.Sprintf("%q is not en or zh", lang)}
}

// Options returns a copy of the client's options, defaults filled in.
func (c *Client) Options() Options { return c.opts }

// operation declares one API action and whether repeating it is harmless.
type operation struct {
	action     string
	idempotent bool // reads are; orders that cost money are not
}

// callOptions returns the options for one call: the client's, or a copy
// changed by optFns. Changes never reach the Client.
func (c *Client) callOptions(optFns []func(*Options)) (*Options, *derived, error) {
	if len(optFns) == 0 {
		return &c.opts, &c.derived, nil
	}
	o := c.opts
	for _, fn := range optFns {
		fn(&o)
	}
	d, err := resolveOptions(&o)
	if err != nil {
		return nil, nil, err
	}
	return &o, &d, nil
}

// encodeRequest flattens a request struct (url tags, go-querystring) into
// encoded, sorted parameters, once per call.
func encodeRequest(v any) (params, error) {
	vals, err := query.Values(v)
	if err != nil {
		return nil, fmt.Errorf("alidomain: encoding request: %w", err)
	}
	return encodeValues(vals), nil
}

// response is implemented by the wire types that responses decode into.
type response interface{ requestID() string }

// wireMeta is embedded in every wire response.
type wireMeta struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
}

func (m *wireMeta) requestID() string { return m.RequestID }

// attempt is what one send produced.
type attempt struct {
	status    int
	requestID string
	code      string // the service's error code, for classify
	kind      failureKind
	written   bool  // the request may have reached the server
	err       error // the failure, already safe to show
}

// bodyPool holds buffers for response bodies, queryPool for signed queries.
var (
	bodyPool  = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	queryPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}
)

// maxPooled keeps buffers grown by unusually large messages out of the pools.
const maxPooled = 1 << 20

// invoke sends op with the encoded request parameters ps, retrying as op and
// the options allow, and decodes the answer into out.
func (c *Client) invoke(ctx context.Context, op *operation, ps params, out response, optFns []func(*Options)) (Meta, error) {
	var meta Meta
	o, d, err := c.callOptions(optFns)
	if err != nil {
		return meta, err
	}
	if err := ctx.Err(); err != nil {
		return meta, err
	}
	creds, err := o.Credentials.Credentials(ctx)
	if err != nil {
		return meta, err
	}
	if !creds.valid() {
		return meta, errors.New("alidomain: the credentials provider returned an empty AccessKey ID or secret")
	}
	s := signing{op: op, creds: creds, idEsc: escape(creds.AccessKeyID), tokenEsc: escape(creds.SecurityToken)}
	if o.Lang != "" && !ps.has("Lang") {
		s.lang = o.Lang
	}
	logger := o.Logger
	if logger != nil && !logger.Enabled(ctx, slog.LevelDebug) {
		logger = nil
	}
	for {
		meta.Attempts++
		start := time.Now()
		a := c.send(ctx, o, d, &s, ps, out)
		dec, reason := classify(op.idempotent, a.written, a.kind, a.status, a.code)
		last := meta.Attempts >= d.retry.MaxAttempts
		if dec == decideRetry && last {
			dec, reason = decideDone, reason+"; no attempts left"
		}
		if logger != nil {
			logger.LogAttrs(ctx, slog.LevelDebug, "alidomain: attempt",
				slog.String("action", op.action),
				slog.Int("attempt", meta.Attempts),
				slog.Int("status", a.status),
				slog.String("request_id", a.requestID),
				slog.Duration("elapsed", time.Since(start)),
				slog.String("failure", a.kind.String()),
				slog.String("decision", dec.String()),
				slog.String("reason", reason),
			)
		}
		switch dec {
		case decideUnknown:
			return meta, &OutcomeUnknownError{Action: op.action, SentAt: start, Err: a.err}
		case decideDone:
			meta.RequestID = a.requestID
			return meta, a.err
		}
		if err := sleepCtx(ctx, d.retry.backoff(meta.Attempts)); err != nil {
			// The last attempt did not take effect (else it would not be retried).
			return meta, fmt.Errorf("alidomain: %s: %w (while waiting to retry after: %v)", op.action, err, a.err)
		}
	}
}

// signing holds what every attempt of one call signs with.
type signing struct {
	op       *operation
	creds    Credentials
	idEsc    string
	tokenEsc string
	lang     string // Options.Lang, when the request has none
}

// signedQuery returns the query of one attempt: the request's parameters
// ps and the common ones, with this attempt's nonce and time, in canonical
// order, then the Signature.
func (s *signing) signedQuery(ps params, format string, now time.Time, nonce string) string {
	var common [10]param
	n := 0
	add := func(k, v string) { common[n] = param{key: k, value: v}; n++ }
	var tsBuf [32]byte
	ts := now.UTC().AppendFormat(tsBuf[:0], "2006-01-02T15:04:05Z")
	add("AccessKeyId", s.idEsc)
	add("Action", s.op.action)
	add("Format", format)
	if s.lang != "" {
		add("Lang", s.lang)
	}
	if s.tokenEsc != "" {
		add("SecurityToken", s.tokenEsc)
	}
	add("SignatureMethod", "HMAC-SHA1")
	add("SignatureNonce", nonce)
	add("SignatureVersion", "1.0")
	var tsEsc [64]byte
	add("Timestamp", string(appendEscape(tsEsc[:0], ts))) // one allocation
	add("Version", APIVersion)

	qp := queryPool.Get().(*[]byte)
	q := appendCanonical((*qp)[:0], ps, common[:n])
	sig := signCanonical("POST", s.creds.AccessKeySecret, q)
	q = append(q, "&Signature="...)
	q = appendEscape(q, sig)
	query := string(q)
	if cap(q) <= maxPooled {
		*qp = q
		queryPool.Put(qp)
	}
	return query
}

// attemptTrace records the httptrace events of one attempt; one allocation
// holds the flags and the hooks' struct.
type attemptTrace struct {
	wrote, gotConn atomic.Bool
	sends          sendCounter // transport.go: replays within the attempt
	trace          httptrace.ClientTrace
}

// send makes one attempt: fresh nonce and timestamp, sign, POST, read and
// decode.
func (c *Client) send(ctx context.Context, o *Options, d *derived, s *signing, ps params, out response) attempt {
	var a attempt
	query := s.signedQuery(ps, d.format, c.now(), c.nonce())

	rctx := ctx
	var tr *attemptTrace
	if d.traced {
		tr = new(attemptTrace)
		tr.trace = httptrace.ClientTrace{
			GetConn:      func(string) { tr.gotConn.Store(true) },
			WroteHeaders: func() { tr.wrote.Store(true); tr.sends.wrote() },
			WroteRequest: func(httptrace.WroteRequestInfo) { tr.wrote.Store(true) },
		}
		tr.sends.hook(&tr.trace)
		rctx = httptrace.WithClientTrace(ctx, &tr.trace)
	}
	// The request http.NewRequestWithContext would make, from the endpoint
	// parsed once (not per attempt); one backing array for both header values.
	u := *d.url
	u.RawQuery = query
	hv := [...]string{d.userAgent, "application/json, application/xml"}
	hs := hv[:]
	req := (&http.Request{
		Method:     http.MethodPost,
		URL:        &u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     http.Header{"User-Agent": hs[0:1:1], "Accept": hs[1:2:2]},
		Host:       d.host,
	}).WithContext(rctx)

	doer := o.HTTPClient
	if !s.op.idempotent {
		doer = preparePaid(doer, req) // transport.go: no replay by HTTP/2
	}
	resp, err := doer.Do(req)
	if tr != nil && !s.op.idempotent && tr.sends.replayed() {
		return replayedAttempt(s.op.action, resp, &tr.sends) // transport.go
	}
	// Only an http.Transport that reported the start of the attempt but no
	// write proves that nothing reached the server. It reports the write once
	// the request is buffered, so a flush that then fails counts as written:
	// the safe side (its own replay of stale idle connections is safe).
	a.written = tr == nil || tr.wrote.Load() || !tr.gotConn.Load()
	if err != nil {
		a.kind, a.err = failTransport, transportError(ctx, d.endpoint, s.op.action, err, newScrubber(&s.creds, query))
		if ctx.Err() != nil {
			a.kind = failCanceled
		}
		return a
	}
	a.written = true
	a.status = resp.StatusCode
	defer resp.Body.Close()
	buf := bodyPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooled {
			bodyPool.Put(buf)
		}
	}()
	_, err = buf.ReadFrom(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err == nil && buf.Len() > maxBodyBytes {
		err = fmt.Errorf("response body larger than %d bytes", maxBodyBytes)
	}
	if err != nil {
		a.kind, a.err = failTransport, fmt.Errorf("alidomain: %s: reading response (HTTP %d): %w", s.op.action, resp.StatusCode, transportError(ctx, d.endpoint, s.op.action, err, newScrubber(&s.creds, query)))
		if ctx.Err() != nil {
			a.kind = failCanceled
		}
		return a
	}
	body := buf.Bytes()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := parseAPIErrorScrubbed(s.op.action, resp.StatusCode, body, newScrubber(&s.creds, query)) // errors.go
		a.requestID, a.code, a.err = e.RequestID, e.Code, e
		switch {
		case e.throttled():
			a.kind = failThrottled
		case resp.StatusCode >= 500:
			a.kind = failServer
		default:
			a.kind = failRejected
		}
		return a
	}
	if err := decodeBody(body, out); err != nil {
		a.kind = failDecode
		a.err = fmt.Errorf("alidomain: %s: decoding the response (HTTP %d, %d bytes): %w", s.op.action, resp.StatusCode, len(body), scrubError(err, newScrubber(&s.creds, query))) // errors.go: bounded
		return a
	}
	a.requestID = oneLine(boundField(out.requestID())) // errors.go: a hostile RequestId stays small
	if ck, ok := out.(interface{ check() error }); ok {
		if err := ck.check(); err != nil {
			a.kind = failDecode
			a.err = fmt.Errorf("alidomain: %s: unusable response (HTTP %d, RequestId %s): %w", s.op.action, resp.StatusCode, a.requestID, err)
		}
	}
	return a
}

// decodeBody decodes a JSON or XML body, whichever it is, into out.
func decodeBody(body []byte, out any) error {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return errors.New("empty body")
	}
	if trimmed[0] == '<' {
		return xml.Unmarshal(trimmed, out)
	}
	return json.Unmarshal(trimmed, out)
}

// newNonce returns 32 random hex digits.
func newNonce() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
