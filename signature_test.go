package alidomain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
	"github.com/alidomain/alidomain/internal/pace/pacetest"
	"github.com/alidomain/alidomain/internal/sign/signtest"
	"github.com/alidomain/alidomain/internal/wire"
)

// captured is one request as a capturing doer saw it.
type captured struct {
	method, url string
	host        string
	header      http.Header
	body        []byte
}

// captureDoer records requests without sending them and answers each with
// a submit answer; it dials nothing.
type captureDoer struct {
	mu   sync.Mutex
	reqs []captured
}

func (d *captureDoer) Do(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
	}
	d.mu.Lock()
	d.reqs = append(d.reqs, captured{method: r.Method, url: r.URL.String(), host: r.Host, header: r.Header.Clone(), body: body})
	d.mu.Unlock()
	return &http.Response{
		StatusCode: 200, ContentLength: -1,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   io.NopCloser(strings.NewReader(`{"RequestId":"R-1","TaskNo":"T-1"}`)),
	}, nil
}

func (d *captureDoer) requests() []captured {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]captured(nil), d.reqs...)
}

// fixedClient returns a Client for the public endpoint whose requests the
// doer captures, with the date and nonce of docs/wire.md's V3 worked example.
func fixedClient(t *testing.T, o Options) (*Client, *captureDoer) {
	t.Helper()
	doer := &captureDoer{}
	o.Endpoint = DefaultEndpoint
	o.Credentials = StaticCredentials("testid", "testsecret")
	o.HTTPClient = doer
	c, err := New(o)
	require.NoError(t, err)
	c.now = func() time.Time { return time.Date(2023, 3, 13, 8, 34, 30, 0, time.UTC) }
	c.nonce = func() string { return "edb2b34af0af9a6d14deaf7c1a5315eb" }
	return c, doer
}

// invokeRedeem sends the two-domain redeem parameters of docs/wire.md's worked example as they are.
func invokeRedeem(t *testing.T, c *Client, optFns ...func(*Options)) (Meta, error) {
	t.Helper()
	cl := &encodedCall{action: "SaveBatchTaskForCreatingOrderRedeem", params: wire.EncodeValues(signtest.RedeemParams())}
	return c.invoke(context.Background(), cl, &typed[submitResponse]{checkFn: (*submitResponse).check}, optFns)
}

// The exact wire of a V3 call equals docs/wire.md's V3 worked example, cases A1 (query) and
// B1 (body): URL, signed headers, Authorization, body; nothing else signed,
// no Idempotency-Key, POST.
func TestV3WireEqualsCapture(t *testing.T) {
	const (
		a1Auth = "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=e1ce0a967c87ce1b24cea4f909558d43ae61da66bcedc7902a2a100d0fc0339c"
		b1Auth = "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=57a780dc17770603319fe8b86c7f0e5d6ef28413be1e6d791f021a3089735908"
	)
	common := map[string]string{
		"x-acs-action":          "SaveBatchTaskForCreatingOrderRedeem",
		"x-acs-date":            "2023-03-13T08:34:30Z",
		"x-acs-signature-nonce": "edb2b34af0af9a6d14deaf7c1a5315eb",
		"x-acs-version":         "2018-01-29",
	}
	for _, tt := range []struct {
		placement ParamPlacement
		url, auth string
		body      string
	}{
		{ParamsAuto, "https://domain.aliyuncs.com/?" + signtest.RedeemBody, a1Auth, ""},
		{ParamsQuery, "https://domain.aliyuncs.com/?" + signtest.RedeemBody, a1Auth, ""},
		{ParamsBody, "https://domain.aliyuncs.com/", b1Auth, signtest.RedeemBody},
	} {
		t.Run(string("placement "+tt.placement), func(t *testing.T) {
			c, doer := fixedClient(t, Options{Signature: SignatureV3, Params: tt.placement})
			meta, err := invokeRedeem(t, c)
			require.NoError(t, err)
			assert.Equal(t, 1, meta.Attempts)
			reqs := doer.requests()
			require.Len(t, reqs, 1)
			r := reqs[0]
			assert.Equal(t, "POST", r.method)
			assert.Equal(t, tt.url, r.url)
			assert.Equal(t, "domain.aliyuncs.com", r.host)
			assert.Equal(t, tt.body, string(r.body))
			assert.Equal(t, []string{tt.auth}, r.header["Authorization"])
			for k, v := range common {
				assert.Equal(t, []string{v}, r.header[k], k) // lower case, as the official runtime writes them
			}
			sha := signtest.EmptySHA256
			if tt.body != "" {
				sha = "36262171c710a550e7dbda83fd608bb39ff236329131b35c5ba8ca0cc89839d4"
				assert.Equal(t, "application/x-www-form-urlencoded", r.header.Get("Content-Type"))
			} else {
				assert.Empty(t, r.header.Values("Content-Type"))
			}
			assert.Equal(t, []string{sha}, r.header["x-acs-content-sha256"])
			assert.Empty(t, r.header.Values("Idempotency-Key"))
			assert.Empty(t, r.header.Values("X-Idempotency-Key"))
			for k := range r.header {
				if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-acs-") {
					assert.Contains(t, tt.auth, lk, "every x-acs- header sent is signed")
				}
			}
			// V2's common parameters are not sent under V3.
			u, err := url.Parse(r.url)
			require.NoError(t, err)
			for _, k := range []string{"Action", "Version", "Format", "AccessKeyId", "Signature", "SignatureNonce", "Timestamp"} {
				assert.NotContains(t, u.Query(), k)
			}
		})
	}
}

// The exact wire of a V2 call with its parameters in a body: the URL
// carries the common parameters and the signature of docs/wire.md (Signature V2, the set without RegionId),
// the body is §9.3 B1's 209 bytes.
func TestV2BodyWireEqualsWorkedExample(t *testing.T) {
	c, doer := fixedClient(t, Options{Params: ParamsBody})
	_, err := invokeRedeem(t, c)
	require.NoError(t, err)
	reqs := doer.requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, "POST", r.method)
	assert.Equal(t, signtest.RedeemBody, string(r.body))
	assert.Equal(t, "application/x-www-form-urlencoded", r.header.Get("Content-Type"))
	u, err := url.Parse(r.url)
	require.NoError(t, err)
	assert.Equal(t, "AccessKeyId=testid&Action=SaveBatchTaskForCreatingOrderRedeem&Format=JSON&SignatureMethod=HMAC-SHA1&SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2018-01-29&Signature=ESpNAS8xX9tyNR%2F6LtN8lwHb8sc%3D", u.RawQuery)
	assert.Empty(t, r.header.Values("Authorization"))

	// In the query, the same signature (position does not matter).
	c, doer = fixedClient(t, Options{Params: ParamsQuery})
	_, err = invokeRedeem(t, c)
	require.NoError(t, err)
	r = doer.requests()[0]
	assert.Empty(t, r.body)
	q, err := url.ParseQuery(strings.TrimPrefix(r.url, "https://domain.aliyuncs.com/?"))
	require.NoError(t, err)
	assert.Equal(t, "ESpNAS8xX9tyNR/6LtN8lwHb8sc=", q.Get("Signature"))
	assert.Equal(t, "example.net", q.Get("OrderRedeemParam.2.DomainName"))
}

// Large batches go in a body by default, small ones in the query; forcing
// ParamsQuery keeps even a large one in the URL.
func TestAutoPlacementBatches(t *testing.T) {
	domains := func(n int) *BatchRedeemRequest {
		req := &BatchRedeemRequest{}
		for i := range n {
			req.Domains = append(req.Domains, RedeemDomain{DomainName: fmt.Sprintf("domain-%d.com", i), CurrentExpirationDate: time.UnixMilli(1700000000000)})
		}
		return req
	}
	for _, version := range []SignatureVersion{SignatureV2, SignatureV3} {
		c, doer := fixedClient(t, Options{Signature: version})
		_, err := c.Redeem.SubmitBatch(context.Background(), domains(1))
		require.NoError(t, err)
		_, err = c.Redeem.SubmitBatch(context.Background(), domains(1000))
		require.NoError(t, err)
		_, err = c.Redeem.SubmitBatch(context.Background(), domains(1000), func(o *Options) { o.Params = ParamsQuery })
		require.NoError(t, err)
		reqs := doer.requests()
		require.Len(t, reqs, 3)
		assert.Empty(t, reqs[0].body, version)
		assert.Contains(t, reqs[0].url, "OrderRedeemParam.1.DomainName=domain-0.com", version)
		assert.Less(t, len(reqs[1].url), 1024, version)
		assert.Contains(t, string(reqs[1].body), "OrderRedeemParam.1000.DomainName=domain-999.com", version)
		assert.Empty(t, reqs[2].body, version)
		assert.Greater(t, len(reqs[2].url), 50000, version)
	}
}

// verifyServer checks every request's signature with the tests' own
// implementations (V2: signtest.Sign over the union of query and form body; V3:
// signtest.V3 over the raw request and its body's hash), refuses a reused nonce,
// and answers every action with a submit answer in the asked format.
type verifyServer struct {
	*httptest.Server
	t      *testing.T
	secret string
	token  string

	mu       sync.Mutex
	nonces   map[string]bool
	requests int
	bodies   int
	throttle int    // answer this many requests with Throttling.User
	hint     string // x-ratelimit-user-api of a throttled answer
}

func newVerifyServer(t *testing.T, token string) *verifyServer {
	vs := &verifyServer{t: t, secret: "vs-secret", token: token, nonces: map[string]bool{}}
	vs.Server = httptest.NewServer(http.HandlerFunc(vs.serve))
	t.Cleanup(vs.Close)
	return vs
}

func (vs *verifyServer) serve(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		vs.t.Errorf("reading body: %v", err)
		return
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	require.NoError(vs.t, err)
	form, err := url.ParseQuery(string(raw))
	require.NoError(vs.t, err)
	if len(raw) > 0 {
		assert.Equal(vs.t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	}
	union := url.Values{}
	for _, v := range []url.Values{query, form} {
		for k, vals := range v {
			union[k] = append(union[k], vals...)
		}
	}
	var action, nonce, format string
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "ACS3-HMAC-SHA256 ") {
		in := signtest.V3Input{Method: r.Method, Query: query, Headers: map[string]string{"Host": r.Host}, Body: raw,
			ID: r.Header.Get("x-acs-accesskey-id"), Key: vs.secret}
		if in.ID == "" {
			in.ID = "vs-id"
		}
		for k := range r.Header {
			in.Headers[k] = r.Header.Get(k)
		}
		_, _, want := signtest.V3(in)
		assert.Equal(vs.t, want, auth, "V3 signature")
		sum := sha256.Sum256(raw)
		assert.Equal(vs.t, hex.EncodeToString(sum[:]), r.Header.Get("x-acs-content-sha256"))
		assert.Equal(vs.t, vs.token, r.Header.Get("x-acs-security-token"))
		assert.Empty(vs.t, union.Get("SecurityToken"))
		assert.Empty(vs.t, union.Get("Signature"))
		action, nonce, format = r.Header.Get("x-acs-action"), r.Header.Get("x-acs-signature-nonce"), union.Get("Format")
		date, err := time.Parse("2006-01-02T15:04:05Z", r.Header.Get("x-acs-date"))
		assert.NoError(vs.t, err)
		assert.WithinDuration(vs.t, time.Now(), date, time.Hour)
	} else {
		assert.Equal(vs.t, signtest.Sign(r.Method, vs.secret, union), union.Get("Signature"), "V2 signature")
		assert.Equal(vs.t, vs.token, union.Get("SecurityToken"))
		action, nonce, format = union.Get("Action"), union.Get("SignatureNonce"), union.Get("Format")
	}
	for k, v := range union {
		assert.Len(vs.t, v, 1, "parameter %s sent %d times", k, len(v))
	}
	vs.mu.Lock()
	reused := vs.nonces[nonce]
	vs.nonces[nonce] = true
	vs.requests++
	if len(raw) > 0 {
		vs.bodies++
	}
	throttled := vs.throttle > 0
	if throttled {
		vs.throttle--
	}
	hint := vs.hint
	vs.mu.Unlock()
	assert.False(vs.t, reused, "nonce %q reused", nonce)
	assert.Equal(vs.t, "SaveBatchTaskForCreatingOrderRedeem", action)
	assert.Equal(vs.t, "example.net", union.Get("OrderRedeemParam.2.DomainName"))

	xml := strings.EqualFold(format, "XML")
	if throttled {
		if hint != "" {
			w.Header().Set("x-ratelimit-user-api", hint)
		}
		w.WriteHeader(400)
		if xml {
			io.WriteString(w, `<?xml version="1.0"?><Error><Code>Throttling.User</Code><Message>Request was denied due to user flow control.</Message><RequestId>R-T</RequestId></Error>`)
		} else {
			io.WriteString(w, `{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"R-T"}`)
		}
		return
	}
	if xml {
		w.Header().Set("Content-Type", "text/xml;charset=utf-8")
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><SaveBatchTaskForCreatingOrderRedeemResponse><RequestId>R-X</RequestId><TaskNo>T-X</TaskNo></SaveBatchTaskForCreatingOrderRedeemResponse>`)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	io.WriteString(w, `{"RequestId":"R-J","TaskNo":"T-J"}`)
}

// Both versions, both placements, JSON and XML, with and without an STS
// token: the service's independent check accepts every request, and a
// throttled first attempt is retried with a fresh nonce.
func TestSignedCallsVerifiedIndependently(t *testing.T) {
	for _, version := range []SignatureVersion{SignatureV2, SignatureV3} {
		for _, placement := range []ParamPlacement{ParamsQuery, ParamsBody} {
			for _, format := range []string{"JSON", "XML"} {
				for _, token := range []string{"", "sts/token+=="} {
					name := fmt.Sprintf("%s/%s/%s/token=%v", version, placement, format, token != "")
					t.Run(name, func(t *testing.T) {
						vs := newVerifyServer(t, token)
						vs.throttle, vs.hint = 1, "Limit:1,Remain:0,TimeLeft:5,Reset:1"
						c, err := New(Options{
							Endpoint:    vs.URL,
							Credentials: credentialsFunc(Credentials{AccessKeyID: "vs-id", AccessKeySecret: vs.secret, SecurityToken: token}),
							HTTPClient:  &http.Client{Timeout: 20 * time.Second},
							Retry:       RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Second},
							Signature:   version, Params: placement, Format: format,
						})
						require.NoError(t, err)
						meta, err := invokeRedeem(t, c)
						require.NoError(t, err)
						assert.Equal(t, 2, meta.Attempts)
						assert.Equal(t, map[string]string{"JSON": "R-J", "XML": "R-X"}[format], meta.RequestID)
						vs.mu.Lock()
						defer vs.mu.Unlock()
						assert.Equal(t, 2, vs.requests)
						assert.Len(t, vs.nonces, 2, "every attempt a fresh nonce")
						if placement == ParamsBody {
							assert.Equal(t, 2, vs.bodies)
						} else {
							assert.Equal(t, 0, vs.bodies)
						}
					})
				}
			}
		}
	}
}

// credentialsFunc is a provider of fixed credentials, token included.
type credentialsFunc Credentials

func (c credentialsFunc) Credentials(context.Context) (Credentials, error) {
	return Credentials(c), nil
}

// A hint longer than Retry.MaxDelay ends the call at once: retrying earlier
// would only be throttled again.
func TestThrottleHintBeyondMaxDelay(t *testing.T) {
	vs := newVerifyServer(t, "")
	vs.throttle, vs.hint = 5, "Limit:1,Remain:0,TimeLeft:60000"
	c, err := New(Options{
		Endpoint:    vs.URL,
		Credentials: StaticCredentials("vs-id", vs.secret),
		HTTPClient:  &http.Client{Timeout: 20 * time.Second},
		Retry:       RetryPolicy{MaxAttempts: 5, BaseDelay: time.Millisecond, MaxDelay: time.Second},
		Signature:   SignatureV3,
	})
	require.NoError(t, err)
	meta, err := invokeRedeem(t, c)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrThrottled)
	assert.Equal(t, 1, meta.Attempts)
	vs.mu.Lock()
	assert.Equal(t, 1, vs.requests)
	vs.mu.Unlock()
}

// A paid order whose parameters travel in a body is sent once when the
// connection drops after the server has read it: OutcomeUnknown, no retry,
// neither by the client nor by Go's transport.
func TestBodyOrderSentOnceOnDrop(t *testing.T) {
	for _, version := range []SignatureVersion{SignatureV2, SignatureV3} {
		t.Run(string(version), func(t *testing.T) {
			var mu sync.Mutex
			seen, bodyBytes := 0, 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				seen++
				bodyBytes = len(b)
				mu.Unlock()
				conn, _, err := w.(http.Hijacker).Hijack()
				if err != nil {
					t.Errorf("hijack: %v", err)
					return
				}
				conn.Close()
			}))
			defer srv.Close()
			c, err := New(Options{
				Endpoint:    srv.URL,
				Credentials: StaticCredentials("id", "secret"),
				HTTPClient:  &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{}},
				Retry:       RetryPolicy{MaxAttempts: 5, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond},
				Signature:   version, Params: ParamsBody,
			})
			require.NoError(t, err)
			_, err = c.Redeem.SubmitBatch(context.Background(), &BatchRedeemRequest{Domains: []RedeemDomain{
				{DomainName: "example.com", CurrentExpirationDate: time.UnixMilli(1700000000000)},
				{DomainName: "example.net", CurrentExpirationDate: time.UnixMilli(1700086400000)},
			}})
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			var ou *OutcomeUnknownError
			require.True(t, errors.As(err, &ou))
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, 1, seen, "sent once")
			assert.Greater(t, bodyBytes, 100, "the parameters were in the body")
			assert.NotContains(t, err.Error(), "example.net", "the body stays out of the error")
		})
	}
}

// N calls through a Client with a rate limit take N tokens from one limiter
// (a throttled retry one more), per-call options included; waiting for a
// token ends when the context is cancelled, and nothing is sent.
func TestRateLimitThroughClient(t *testing.T) {
	c, doer := fixedClient(t, Options{RateLimit: RateLimit{PerSecond: 10, Burst: 2}})
	c.nonce = newNonce
	require.NotNil(t, c.limiter)
	clock := &pacetest.Clock{T: time.Now()}
	c.limiter.UseClock(clock.Now, clock.Sleep)
	for i := range 12 {
		var fns []func(*Options)
		if i%2 == 1 {
			// A per-call change neither makes a limiter of its own nor escapes this one.
			fns = append(fns, func(o *Options) { o.RateLimit = RateLimit{PerSecond: 1e6, Burst: 1000}; o.Lang = "zh" })
		}
		_, err := invokeRedeem(t, c, fns...)
		require.NoError(t, err)
	}
	assert.Len(t, doer.requests(), 12)
	require.Len(t, clock.Slept, 10, "12 calls, a burst of 2: 10 waited")
	for _, d := range clock.Slept {
		assert.InDelta(t, float64(100*time.Millisecond), float64(d), float64(time.Microsecond))
	}

	clock.Block = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Redeem.SubmitBatch(ctx, &BatchRedeemRequest{Domains: []RedeemDomain{{DomainName: "example.com", CurrentExpirationDate: time.UnixMilli(1700000000000)}}})
		done <- err
	}()
	select {
	case <-clock.Block:
	case <-time.After(20 * time.Second):
		t.Fatal("the call never waited for the limiter")
	}
	cancel()
	select {
	case err := <-done:
		require.Error(t, err)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "nothing was sent")
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	case <-time.After(20 * time.Second):
		t.Fatal("the call did not end after cancel")
	}
	assert.Len(t, doer.requests(), 12, "the cancelled call sent nothing")
}

// A throttled attempt's retry takes a token too.
func TestRateLimitCountsRetries(t *testing.T) {
	vs := newVerifyServer(t, "")
	vs.throttle = 2
	c, err := New(Options{
		Endpoint:    vs.URL,
		Credentials: StaticCredentials("vs-id", vs.secret),
		HTTPClient:  &http.Client{Timeout: 20 * time.Second},
		Retry:       RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond},
		RateLimit:   RateLimit{PerSecond: 4, Burst: 1},
	})
	require.NoError(t, err)
	clock := &pacetest.Clock{T: time.Now()}
	c.limiter.UseClock(clock.Now, clock.Sleep)
	meta, err := invokeRedeem(t, c)
	require.NoError(t, err)
	assert.Equal(t, 3, meta.Attempts)
	assert.Len(t, clock.Slept, 2, "three attempts, one burst token: two waits")
}

func TestNewRejectsBadWireOptions(t *testing.T) {
	for name, o := range map[string]Options{
		"signature": {Signature: "v4"},
		"params":    {Params: "header"},
		"rate":      {RateLimit: RateLimit{PerSecond: -1}},
		"burst":     {RateLimit: RateLimit{PerSecond: 1, Burst: -2}},
	} {
		o.Credentials = StaticCredentials("a", "b")
		_, err := New(o)
		assert.Error(t, err, name)
	}
	for _, o := range []Options{{Signature: SignatureV2}, {Signature: SignatureV3, Params: ParamsBody}, {Params: ParamsQuery, RateLimit: RateLimit{PerSecond: 20}}} {
		o.Credentials = StaticCredentials("a", "b")
		c, err := New(o)
		require.NoError(t, err)
		assert.Equal(t, o.Signature, c.Options().Signature)
		assert.Equal(t, o.Params, c.Options().Params)
	}
	// A per-call option with a bad value fails that call, before sending.
	c, doer := fixedClient(t, Options{})
	_, err := invokeRedeem(t, c, func(o *Options) { o.Signature = "v1" })
	assert.Error(t, err)
	assert.Empty(t, doer.requests())
}

// A batch of the documented maximum, 1,000 domains, goes through the
// simulator: by default its parameters go in a body (the URL would be about
// 100 KB), the simulator verifies the signature over query and body, and
// every domain is ordered once.
func TestThousandDomainBatchThroughSimulator(t *testing.T) {
	c, sim := simClient(t, nil)
	req := &BatchRedeemRequest{}
	for i := range 1000 {
		name := fmt.Sprintf("batch-%05d.com", i)
		sim.AddDomain(name, simExpiry, alidomaintest.NeedsRedemption())
		req.Domains = append(req.Domains, RedeemDomain{DomainName: name, CurrentExpirationDate: simExpiry})
	}
	res, err := c.Redeem.SubmitBatch(context.Background(), req)
	require.NoError(t, err)
	assert.NotEmpty(t, res.TaskNo)
	assert.Equal(t, 1, res.Attempts)
	for _, i := range []int{0, 1, 499, 999} {
		assert.Equal(t, 1, sim.Orders(fmt.Sprintf("batch-%05d.com", i)), "domain %d", i)
	}
}

// End to end against the simulator's rate enforcement: 64 goroutines share
// a Client limited to 18 requests per second, the simulator allows 20 (with
// a burst of 20, as a gateway counting per second would): no request is
// throttled and every call succeeds, with either signature version.
func TestRateLimitAgainstSimulator(t *testing.T) {
	for _, version := range []SignatureVersion{SignatureV3, SignatureV2} {
		t.Run(string(version), func(t *testing.T) {
			// The service's burst absorbs requests that a loaded machine delivers
			// bunched together; 64 unpaced requests would still overrun it.
			c, sim := simClient(t, []alidomaintest.Option{alidomaintest.WithRateLimit(20, 40)}, func(o *Options) {
				o.Signature = version
				o.RateLimit = RateLimit{PerSecond: 18}
				o.Retry = RetryPolicy{MaxAttempts: 1}
			})
			const workers = 64
			start := time.Now()
			var wg sync.WaitGroup
			errs := make(chan error, workers)
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
					defer cancel()
					_, err := c.Tasks.List(ctx, &ListTasksRequest{})
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				assert.NoError(t, err)
			}
			assert.Equal(t, 0, sim.Throttled(), "no request was throttled")
			assert.Equal(t, workers, sim.Requests("QueryTaskList"))
			// A lower bound only: a slow machine makes it longer, never shorter.
			assert.GreaterOrEqual(t, time.Since(start), time.Duration(workers-1)*time.Second/18, "the client paced its requests")
		})
	}
}

// Every combination of signature version, placement and format, with an
// STS token, through the simulator's gateway (which verifies V3 on its own):
// an order, its details and the domain list; a wrong secret is refused as
// an authentication error under both versions.
func TestVersionsAndPlacementsThroughSimulator(t *testing.T) {
	for _, version := range []SignatureVersion{SignatureV2, SignatureV3} {
		for _, placement := range []ParamPlacement{ParamsQuery, ParamsBody} {
			for _, format := range []string{"JSON", "XML"} {
				t.Run(fmt.Sprintf("%s/%s/%s", version, placement, format), func(t *testing.T) {
					sim := alidomaintest.NewServer(alidomaintest.WithSecurityToken("sts-token/+="))
					t.Cleanup(sim.Close)
					opts := Options{
						Endpoint:    sim.URL,
						Credentials: StaticSTSCredentials(sim.AccessKeyID, sim.AccessKeySecret, "sts-token/+="),
						Retry:       RetryPolicy{MaxAttempts: 1},
						Signature:   version, Params: placement, Format: format, Lang: "en",
					}
					c, err := New(opts)
					require.NoError(t, err)
					sim.AddDomain("example.com", simExpiry, alidomaintest.NeedsRedemption())
					sim.AddDomain("例子.中国", simExpiry, alidomaintest.NeedsRedemption())
					res, err := c.Redeem.SubmitBatch(context.Background(), &BatchRedeemRequest{Domains: []RedeemDomain{
						{DomainName: "example.com", CurrentExpirationDate: simExpiry},
						{DomainName: "例子.中国", CurrentExpirationDate: simExpiry},
					}})
					require.NoError(t, err)
					page, err := c.Tasks.ListDetails(context.Background(), &ListTaskDetailsRequest{TaskNo: res.TaskNo})
					require.NoError(t, err)
					assert.Len(t, page.Items, 2)
					domains, err := c.Domains.List(context.Background(), &ListDomainsRequest{})
					require.NoError(t, err)
					assert.Len(t, domains.Items, 2)
					assert.Equal(t, 1, sim.Orders("example.com"))

					opts.Credentials = StaticSTSCredentials(sim.AccessKeyID, "wrong-secret", "sts-token/+=")
					bad, err := New(opts)
					require.NoError(t, err)
					_, err = bad.Tasks.List(context.Background(), &ListTasksRequest{})
					require.Error(t, err)
					assert.ErrorIs(t, err, ErrAuth)
					var ae *APIError
					require.True(t, errors.As(err, &ae))
					assert.Equal(t, "SignatureDoesNotMatch", ae.Code)
					assert.NotContains(t, err.Error(), "wrong-secret")
					assert.NotContains(t, err.Error(), "sts-token")
				})
			}
		}
	}
}

// recordingTransport records what the client sends: the signature values
// (V3 Authorization, V2 Signature) and the bodies.
type recordingTransport struct {
	mu     sync.Mutex
	sigs   []string
	bodies []string
}

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
	}
	rt.mu.Lock()
	if a := r.Header.Get("Authorization"); a != "" {
		rt.sigs = append(rt.sigs, a[strings.LastIndex(a, "=")+1:])
	}
	if s := r.URL.Query().Get("Signature"); s != "" {
		rt.sigs = append(rt.sigs, s, url.QueryEscape(s), wire.Escape(s))
	}
	if len(body) > 0 {
		rt.bodies = append(rt.bodies, string(body))
	}
	rt.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// lockedWriter is a log sink safe for concurrent writes.
type lockedWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// Under both versions and both placements, with an STS token, through
// faults and a wrong secret: no secret, token, signature, request body or
// body parameter reaches an error or a Debug log record.
func TestSecretsStayOutOfErrorsAndLogs(t *testing.T) {
	const (
		secret = "V3/Audit+Secret=abcdefXYZ0123456789"
		token  = "STS.V3/Audit+Token==CAISzAJ1q6Ft5B2yfSjIr5bNI"
		coupon = "AUDIT-COUPON-7788"
	)
	for _, version := range []SignatureVersion{SignatureV2, SignatureV3} {
		for _, placement := range []ParamPlacement{ParamsQuery, ParamsBody} {
			t.Run(string(version)+"/"+string(placement), func(t *testing.T) {
				sim := alidomaintest.NewServer(alidomaintest.WithCredentials("audit-id", secret), alidomaintest.WithSecurityToken(token))
				t.Cleanup(sim.Close)
				sim.AddDomain("example.com", simExpiry, alidomaintest.NeedsRedemption())
				rt := &recordingTransport{}
				logs := &lockedWriter{}
				opts := Options{
					Endpoint:    sim.URL,
					Credentials: StaticSTSCredentials("audit-id", secret, token),
					HTTPClient:  &http.Client{Timeout: 20 * time.Second, Transport: rt},
					Logger:      slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
					Retry:       RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond},
					Signature:   version, Params: placement,
				}
				c, err := New(opts)
				require.NoError(t, err)
				sim.Inject("SaveBatchTaskForCreatingOrderRedeem",
					alidomaintest.Throttle(1), alidomaintest.CommitThenDrop(), alidomaintest.ServerErrorAfterCommit(),
					alidomaintest.MalformedBody(), alidomaintest.TruncatedBody(),
					alidomaintest.InBodyError("InternalError", "echo "+token+" "+secret))
				req := &BatchRedeemRequest{Domains: []RedeemDomain{{DomainName: "example.com", CurrentExpirationDate: simExpiry}}, UseCoupon: true, CouponNo: coupon}
				var errs []error
				for range 6 {
					_, err := c.Redeem.SubmitBatch(context.Background(), req)
					errs = append(errs, err)
				}
				require.NotContains(t, logs.String(), coupon)
				// The wrong secret's error is checked for secrets, not parameters.
				opts.Credentials = StaticSTSCredentials("audit-id", "Wrong/"+secret, token)
				bad, err := New(opts)
				require.NoError(t, err)
				_, err = bad.Redeem.SubmitBatch(context.Background(), req)
				require.ErrorIs(t, err, ErrAuth)
				errs = append(errs, err)

				rt.mu.Lock()
				forbidden := append([]string{secret, wire.Escape(secret), url.QueryEscape(secret), token, wire.Escape(token), url.QueryEscape(token)}, rt.sigs...)
				forbidden = append(forbidden, rt.bodies...)
				if placement == ParamsBody {
					require.NotEmpty(t, rt.bodies)
				}
				require.NotEmpty(t, rt.sigs)
				rt.mu.Unlock()
				var texts []string
				for i, err := range errs {
					if err == nil {
						continue
					}
					for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
						texts = append(texts, text)
						if i < len(errs)-1 {
							// Only the service's SignatureDoesNotMatch message quotes
							// the parameters (its string to sign), in either placement.
							require.NotContains(t, text, coupon)
						}
					}
				}
				require.GreaterOrEqual(t, len(texts), 15, "the faults produced errors")
				texts = append(texts, logs.String())
				for _, text := range texts {
					for _, f := range forbidden {
						require.NotContains(t, text, f)
					}
				}
			})
		}
	}
}

// okDoer answers every request with a submit answer, keeping nothing.
type okDoer struct{}

func (okDoer) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
	}
	return &http.Response{StatusCode: 200, ContentLength: -1, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"RequestId":"R-1","TaskNo":"T-1"}`))}, nil
}

// BenchmarkSubmitBatchSignature times a whole SubmitBatch (validate,
// encode, sign, build the request, decode) under each signature version,
// with the default placement (from 100 domains on, a body) and with every
// parameter in the query; no network.
func BenchmarkSubmitBatchSignature(b *testing.B) {
	for _, n := range benchSizes {
		req := benchBatch(n)
		for _, tc := range []struct {
			version   SignatureVersion
			placement ParamPlacement
		}{{SignatureV2, ParamsAuto}, {SignatureV3, ParamsAuto}, {SignatureV2, ParamsQuery}, {SignatureV3, ParamsQuery}} {
			c, err := New(Options{Credentials: StaticCredentials("LTAI5tBenchmarkKeyID", "bench/Secret+With*Odd~Chars"), HTTPClient: okDoer{}, Signature: tc.version, Params: tc.placement})
			if err != nil {
				b.Fatal(err)
			}
			name := "auto"
			if tc.placement != ParamsAuto {
				name = string(tc.placement)
			}
			b.Run(fmt.Sprintf("sig=%s/params=%s/N=%d", tc.version, name, n), func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					if _, err := c.Redeem.SubmitBatch(context.Background(), req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// Keys that need escaping, which only Client.Call can send, are signed as
// the official runtime signs them: the simulator's gateway, written from
// that runtime's rules, accepts them under both versions and placements.
func TestAwkwardKeysThroughSimulator(t *testing.T) {
	for _, version := range []SignatureVersion{SignatureV2, SignatureV3} {
		for _, placement := range []ParamPlacement{ParamsQuery, ParamsBody} {
			c, _ := simClient(t, nil, func(o *Options) { o.Signature, o.Params = version, placement })
			var out map[string]any
			_, err := c.Call(context.Background(), &CallRequest{Action: "QueryTaskList", Idempotent: true, Params: url.Values{
				"PageNum": {"1"}, "PageSize": {"10"}, "Odd Key*+~%7E中": {"v a*l+u~e"},
			}}, &out)
			require.NoError(t, err, "%s/%s", version, placement)
			assert.Contains(t, out, "RequestId")
		}
	}
}
