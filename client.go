// Package alidomain is a typed client for the Alibaba Cloud Domain API
// (version 2018-01-29, RPC style), built for paid orders on many domains at
// once without losing a domain and without paying twice.
//
// The Client's services:
//
//   - RedeemService, RenewService, TransferService and RegisterService place
//     the paid orders, batch and single (the SaveBatchTaskForCreatingOrder*
//     and SaveSingleTaskForCreatingOrder* actions), each with Reconcile to
//     find out what became of an order whose outcome is unknown;
//   - DomainService reads the account's domains (List, ListIter, Get),
//     quotes prices (Price) and availability (Check), and turns auto-renewal
//     on or off;
//   - TaskService follows the tasks orders create (ListDetails, Wait, List);
//   - Client.Call sends any other action of the API, untyped, with the same
//     signing, retries, errors and logs.
//
// Requests are validated before anything is sent, signed with the RPC
// signature (HMAC-SHA1) or, with Options.Signature, ACS3-HMAC-SHA256, and
// sent as POST with the parameters in the URL query, or in a form body when
// the URL would be long.
// Reads are retried on transport errors, 5xx and throttling; a paid order is
// re-sent only when it provably did not take effect, and otherwise fails with
// an *OutcomeUnknownError that says how to find out what happened.
//
// # Batch and page sizes
//
// One batch order carries at most 1000 domains: the API's metadata gives
// each order list (OrderRedeemParam, OrderRenewParam, OrderTransferParam,
// OrderActivateParam) maxItems 1000, and the documentation states no other
// limit except, for registrations, 100,000 names per week. The SDK does not
// split a longer batch; split it yourself. Nothing is known of a limit on
// the items of one price request (DomainService.Price), which travel as one
// JSON parameter; alidomain price and renew ask for 1000 at a time.
//
// List and ListIter send PageSize 20 when the request leaves it at zero, so
// ListIter makes one request per 20 items; set PageSize for fewer requests.
// QueryTaskDetailList accepts up to 1000 per page (TaskService.Wait asks for
// 1000); the service documents no maximum for QueryDomainList and
// QueryTaskList.
//
// Package alidomaintest provides a local simulator of the service for tests
// and demos.
package alidomain

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/sign"

	"github.com/alidomain/alidomain/internal/retry"

	"github.com/alidomain/alidomain/internal/pace"

	"github.com/alidomain/alidomain/internal/transport"
)

// DefaultEndpoint is the Domain API's public endpoint for China-site
// (aliyun.com) accounts.
const DefaultEndpoint = "https://domain.aliyuncs.com/"

// IntlEndpoint is the Domain API's endpoint for international-site
// (alibabacloud.com) accounts: the same API version, served from
// domain-intl.aliyuncs.com.
const IntlEndpoint = "https://domain-intl.aliyuncs.com/"

// APIVersion is the version of the Domain API this package speaks.
const APIVersion = "2018-01-29"

// Version is the version of this SDK, sent in the User-Agent.
const Version = "0.1.0"

// HTTPDoer sends an HTTP request; *http.Client satisfies it.
//
// The guarantee that a paid order is only re-sent when it provably did not
// take effect relies on net/http/httptrace events, which http.Transport
// reports. A doer that does not use an http.Transport gives no such proof, so
// with it every failure of a paid order is an OutcomeUnknownError.
type HTTPDoer interface {
	// Do sends one request and returns its response, as http.Client.Do.
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
	// HTTPClient sends requests. Default: an *http.Client of the Client's
	// own (all of them share one connection pool) with DefaultAttemptTimeout
	// per attempt (body included), DefaultDialTimeout for dialing and the
	// TLS handshake, and no redirects.
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
	// Signature is how requests are signed: SignatureV2 (the default, RPC
	// HMAC-SHA1) or SignatureV3 (ACS3-HMAC-SHA256).
	Signature SignatureVersion
	// Params is where the request parameters travel: ParamsAuto (the
	// default: the URL query while the URL stays under 8 KiB, else a form
	// body), ParamsQuery or ParamsBody.
	Params ParamPlacement
	// RateLimit paces the Client: every attempt of every goroutine takes a
	// token; zero means no pacing. New reads it; per-call changes are
	// ignored, so all calls share one limiter.
	RateLimit RateLimit
}

// Client calls the Domain API. It is safe for concurrent use; create one and
// share it.
type Client struct {
	// Redeem submits redemption orders.
	Redeem *RedeemService
	// Renew submits renewal orders.
	Renew *RenewService
	// Transfer submits transfer-in orders.
	Transfer *TransferService
	// Register submits registration orders.
	Register *RegisterService
	// Tasks reads tasks and waits for them.
	Tasks *TaskService
	// Domains lists the account's domains, prices orders, checks
	// availability, reads one domain and sets its auto-renewal.
	Domains *DomainService
	// API has a typed method for every action of the Domain API.
	API *API

	opts    Options
	derived derived

	// now and nonce are replaced by tests that need fixed signatures.
	now   func() time.Time
	nonce func() string

	limiter *pace.Limiter // nil: no pacing
}

// derived holds what resolveOptions computes from Options once.
type derived struct {
	endpoint        string
	endpointURL     *url.URL // endpoint parsed once; each request copies it
	endpointHost    string   // the Request.Host that http.NewRequest derives
	userAgent       string
	userAgentHeader []string // {userAgent}, shared by every request
	format          string
	retry           retry.Policy
	traced          bool        // HTTPClient is known to report httptrace events
	sign            sign.Signer // the signature version's signer
}

// service is the common part of every service.
type service struct{ client *Client }

// errNotInitialised is returned by every method of a Client not made by New.
var errNotInitialised = errors.New("alidomain: Client not initialised; use alidomain.New")

// ready returns the client to call with, or why there is none: a nil
// context, or a Client (or service) not made by New.
func (s *service) ready(ctx context.Context) (*Client, error) {
	if ctx == nil {
		return nil, errors.New("alidomain: nil Context")
	}
	if s == nil || s.client == nil || s.client.derived.sign == nil {
		return nil, errNotInitialised
	}
	return s.client, nil
}

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

// defaultTransport is shared so that all Clients made without an
// HTTPClient share one connection pool; each gets its own *http.Client.
var defaultTransport = newHTTPClient(DefaultAttemptTimeout, DefaultDialTimeout).Transport

// newHTTPClient returns the default kind of HTTP client with the given
// per-attempt and dial timeouts (internal/transport; paid orders use its
// HTTP/1.1-only twin).
func newHTTPClient(attempt, dial time.Duration) *http.Client {
	return transport.NewHTTPClient(attempt, dial, nil)
}

// noRedirects returns a 3xx as it is: a POST redirected by the client would
// become a GET elsewhere, and an RPC endpoint never redirects.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// New returns a Client configured by opts, changed by each optFn in order.
// It fails when no credentials provider is given, when the endpoint is not an
// absolute http(s) URL, when Format, Lang, Signature or Params has an unknown
// value, when Retry has a negative field, or when RateLimit's rate is not
// finite or is below one call a day, or its Burst is outside 0..1,000,000.
func New(opts Options, optFns ...func(*Options)) (*Client, error) {
	for _, fn := range optFns {
		fn(&opts)
	}
	d, err := resolveOptions(&opts)
	if err != nil {
		return nil, err
	}
	c := &Client{opts: opts, derived: d, now: time.Now, nonce: newNonce, limiter: pace.New(opts.RateLimit.PerSecond, opts.RateLimit.Burst)}
	common := &service{client: c}
	c.Redeem = (*RedeemService)(common)
	c.Renew = (*RenewService)(common)
	c.Transfer = (*TransferService)(common)
	c.Register = (*RegisterService)(common)
	c.Tasks = (*TaskService)(common)
	c.Domains = (*DomainService)(common)
	c.API = (*API)(common)
	return c, nil
}

// String describes the client without its credentials.
func (c *Client) String() string {
	if c == nil || c.derived.sign == nil {
		return "alidomain.Client{not initialised}"
	}
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
	r, err := http.NewRequest(http.MethodPost, d.endpoint, nil)
	if err != nil {
		return d, fmt.Errorf("alidomain: Options.Endpoint %q: %w", o.Endpoint, err)
	}
	d.endpointURL, d.endpointHost = r.URL, r.Host
	if o.HTTPClient == nil {
		// A client of its own: changing its Timeout changes no other Client.
		o.HTTPClient = &http.Client{Timeout: DefaultAttemptTimeout, Transport: defaultTransport, CheckRedirect: noRedirects}
	}
	if hc, ok := o.HTTPClient.(*http.Client); ok {
		switch hc.Transport.(type) {
		case nil, *http.Transport:
			d.traced = true
		}
	}
	if r := o.Retry; r.MaxAttempts < 0 || r.BaseDelay < 0 || r.MaxDelay < 0 {
		return d, fmt.Errorf("alidomain: Options.Retry %+v has a negative field (MaxAttempts 1 disables retries; zero means the default)", r)
	}
	// The one place where the public options become the internal packages' values.
	d.retry = retry.Policy(o.Retry).WithDefaults()
	o.Retry = RetryPolicy(d.retry)
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
	d.userAgentHeader = []string{d.userAgent}
	if err := o.RateLimit.validate(); err != nil {
		return d, err
	}
	if d.sign, err = newSigner(o.Signature, o.Params, d.endpoint); err != nil {
		return d, err
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
func (c *Client) Options() Options {
	if c == nil {
		return Options{}
	}
	return c.opts
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

// newNonce returns 32 random hex digits.
func newNonce() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
