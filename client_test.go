package alidomain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/sign/signtest"
	"github.com/alidomain/alidomain/internal/wire"
)

const (
	actionBatch  = "SaveBatchTaskForCreatingOrderRedeem"
	actionSingle = "SaveSingleTaskForCreatingOrderRedeem"
	okBatch      = `{"RequestId":"REQ-1","TaskNo":"TASK-1"}`
)

var (
	exp1 = time.UnixMilli(1700000000000)
	exp2 = time.UnixMilli(1700086400000)
)

func twoDomains() *BatchRedeemRequest {
	return &BatchRedeemRequest{Domains: []RedeemDomain{
		{DomainName: "example.com", CurrentExpirationDate: exp1},
		{DomainName: "example.net", CurrentExpirationDate: exp2},
	}}
}

func TestNewRejectsBadOptions(t *testing.T) {
	creds := StaticCredentials("id", "secret")
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no credentials", Options{}, "Credentials is required"},
		{"relative endpoint", Options{Credentials: creds, Endpoint: "domain.aliyuncs.com"}, "not an absolute http(s) URL"},
		{"ftp endpoint", Options{Credentials: creds, Endpoint: "ftp://domain.aliyuncs.com/"}, "not an absolute http(s) URL"},
		{"no host", Options{Credentials: creds, Endpoint: "https:///x"}, "not an absolute http(s) URL"},
		{"endpoint with query", Options{Credentials: creds, Endpoint: "https://h/?a=b"}, "must not have a query"},
		{"bad format", Options{Credentials: creds, Format: "YAML"}, "Format"},
		{"bad lang", Options{Credentials: creds, Lang: "fr"}, "Lang"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.opts)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	c, err := New(Options{Credentials: creds})
	require.NoError(t, err)
	assert.Equal(t, DefaultEndpoint, c.Options().Endpoint)
	assert.Equal(t, "JSON", c.Options().Format)
	assert.Equal(t, DefaultRetryPolicy(), c.Options().Retry)
	assert.NotNil(t, c.Redeem)
	assert.NotNil(t, c.Tasks)
	assert.NotNil(t, c.Domains)

	// optFns given to New change the options.
	c, err = New(Options{Credentials: creds}, func(o *Options) { o.Format = "xml" })
	require.NoError(t, err)
	assert.Equal(t, "XML", c.Options().Format)
}

func TestSubmitBatchSendsExactParameters(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionBatch, 200, okBatch)
	req := twoDomains()
	req.UseCoupon, req.CouponNo = true, "C-1"
	req.UsePromotion, req.PromotionNo = true, "P 2*~"
	req.UserClientIP = "203.0.113.7"
	req.Lang = "zh"
	res, err := c.Redeem.SubmitBatch(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "TASK-1", res.TaskNo)
	assert.Equal(t, "REQ-1", res.RequestID)
	assert.Equal(t, 1, res.Attempts)

	reqs := ts.requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Empty(t, r.Body, "every parameter goes in the query; the body is empty")
	assert.Empty(t, r.Header.Get("Idempotency-Key"))
	assert.Empty(t, r.Header.Get("X-Idempotency-Key"))
	assert.Contains(t, r.Header.Get("User-Agent"), "alidomain-go/")
	assertParams(t, commonParams(actionBatch, map[string]string{
		"OrderRedeemParam.1.DomainName":            "example.com",
		"OrderRedeemParam.1.CurrentExpirationDate": "1700000000000",
		"OrderRedeemParam.2.DomainName":            "example.net",
		"OrderRedeemParam.2.CurrentExpirationDate": "1700086400000",
		"UseCoupon":    "true",
		"CouponNo":     "C-1",
		"UsePromotion": "true",
		"PromotionNo":  "P 2*~",
		"UserClientIp": "203.0.113.7",
		"Lang":         "zh",
	}), r.Query)
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, r.Query.Get("Timestamp"))
	assert.Regexp(t, `^[0-9a-f]{32}$`, r.Query.Get("SignatureNonce"))
}

func TestSubmitBatchMinimalAndManyDomains(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionBatch, 200, okBatch)
	req := &BatchRedeemRequest{}
	want := map[string]string{"UseCoupon": "false", "UsePromotion": "false"}
	for i := 1; i <= 12; i++ {
		name := fmt.Sprintf("d%d.example", i)
		exp := time.UnixMilli(1700000000000 + int64(i))
		req.Domains = append(req.Domains, RedeemDomain{DomainName: name, CurrentExpirationDate: exp})
		want[fmt.Sprintf("OrderRedeemParam.%d.DomainName", i)] = name
		want[fmt.Sprintf("OrderRedeemParam.%d.CurrentExpirationDate", i)] = fmt.Sprint(1700000000000 + int64(i))
	}
	_, err := c.Redeem.SubmitBatch(context.Background(), req)
	require.NoError(t, err)
	assertParams(t, commonParams(actionBatch, want), ts.requests()[0].Query)
}

func TestSubmitSingleSendsExactParameters(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionSingle, 200, okBatch)
	res, err := c.Redeem.Submit(context.Background(), &RedeemRequest{
		DomainName: "例子.中国", CurrentExpirationDate: exp1, UseCoupon: true, CouponNo: "C",
	})
	require.NoError(t, err)
	assert.Equal(t, "TASK-1", res.TaskNo)
	assertParams(t, commonParams(actionSingle, map[string]string{
		"DomainName": "例子.中国", "CurrentExpirationDate": "1700000000000",
		"UseCoupon": "true", "CouponNo": "C", "UsePromotion": "false",
	}), ts.requests()[0].Query)
}

func TestXMLFormat(t *testing.T) {
	c, ts := setup(t, func(o *Options) { o.Format = "XML" })
	ts.reply(actionBatch, 200, `<?xml version='1.0' encoding='UTF-8'?><SaveBatchTaskForCreatingOrderRedeemResponse><RequestId>REQ-X</RequestId><TaskNo>TASK-X</TaskNo></SaveBatchTaskForCreatingOrderRedeemResponse>`)
	res, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.NoError(t, err)
	assert.Equal(t, "TASK-X", res.TaskNo)
	assert.Equal(t, "REQ-X", res.RequestID)
	assert.Equal(t, "XML", ts.requests()[0].Query.Get("Format"))
}

func TestPerCallOptionsDoNotLeak(t *testing.T) {
	c, ts := setup(t, func(o *Options) { o.Lang = "en" })
	ts.reply(actionBatch, 200, okBatch)
	ctx := context.Background()
	_, err := c.Redeem.SubmitBatch(ctx, twoDomains(), func(o *Options) { o.Format = "XML"; o.Lang = "zh" })
	require.NoError(t, err)
	_, err = c.Redeem.SubmitBatch(ctx, twoDomains())
	require.NoError(t, err)
	req := twoDomains()
	req.Lang = "zh"
	_, err = c.Redeem.SubmitBatch(ctx, req)
	require.NoError(t, err)

	reqs := ts.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "XML", reqs[0].Query.Get("Format"))
	assert.Equal(t, "zh", reqs[0].Query.Get("Lang"))
	assert.Equal(t, "JSON", reqs[1].Query.Get("Format"), "a per-call option leaked into the client")
	assert.Equal(t, "en", reqs[1].Query.Get("Lang"))
	assert.Equal(t, []string{"zh"}, reqs[2].Query["Lang"], "the request's Lang overrides Options.Lang")
	assert.Equal(t, "JSON", c.Options().Format)

	// A per-call option that is invalid fails the call, and nothing is sent.
	_, err = c.Redeem.SubmitBatch(ctx, twoDomains(), func(o *Options) { o.Endpoint = "nope" })
	require.Error(t, err)
	assert.Len(t, ts.requests(), 3)
}

func TestPerCallEndpoint(t *testing.T) {
	c, ts := setup(t)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"RequestId":"OTHER","TaskNo":"T-OTHER"}`)
	}))
	defer other.Close()
	res, err := c.Redeem.SubmitBatch(context.Background(), twoDomains(), func(o *Options) { o.Endpoint = other.URL })
	require.NoError(t, err)
	assert.Equal(t, "T-OTHER", res.TaskNo)
	assert.Empty(t, ts.requests())
}

func TestSecurityTokenIsSentAndSigned(t *testing.T) {
	c, ts := setup(t, func(o *Options) { o.Credentials = StaticSTSCredentials(testKeyID, testSecret, "tok/en+=") })
	ts.reply(actionBatch, 200, okBatch)
	_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.NoError(t, err)
	// The harness verified the signature over all parameters, token included.
	q := ts.requests()[0].Query
	assert.Equal(t, "tok/en+=", q.Get("SecurityToken"))
}

func TestCanceledContextSendsNothing(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionBatch, 200, okBatch)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Redeem.SubmitBatch(ctx, twoDomains())
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Empty(t, ts.requests())
}

func TestFixedClockAndNonceGiveReproducibleSignature(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionBatch, 200, okBatch)
	c.now = func() time.Time { return time.Date(2023, 3, 13, 8, 34, 30, 0, time.UTC) }
	c.nonce = func() string { return "edb2b34af0af9a6d14deaf7c1a5315eb" }
	_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.NoError(t, err)
	q := ts.requests()[0].Query
	assert.Equal(t, "2023-03-13T08:34:30Z", q.Get("Timestamp"))
	assert.Equal(t, "edb2b34af0af9a6d14deaf7c1a5315eb", q.Get("SignatureNonce"))
	// The vector file's derived batch request plus UsePromotion=false, which
	// the SDK always states; recomputed independently.
	assert.Equal(t, signtest.Sign("POST", testSecret, q), q.Get("Signature"))
	assert.NotEqual(t, signtest.Sign("GET", testSecret, q), q.Get("Signature"), "the method must be part of the signature")
}

func TestConcurrentUseHasDistinctNonces(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionBatch, 200, okBatch)
	const workers, calls = 32, 10
	var wg sync.WaitGroup
	var failures atomic.Int32
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				res, err := c.Redeem.SubmitBatch(context.Background(), twoDomains(),
					func(o *Options) { o.Lang = []string{"en", "zh"}[i%2] })
				if err != nil || res.TaskNo != "TASK-1" {
					failures.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, failures.Load())
	reqs := ts.requests()
	require.Len(t, reqs, workers*calls)
	seen := map[string]bool{}
	for _, r := range reqs {
		n := r.Query.Get("SignatureNonce")
		assert.False(t, seen[n], "nonce %s reused", n)
		seen[n] = true
	}
}

// logRecords returns a Debug logger and a function that decodes what it wrote.
func logRecords() (*slog.Logger, *bytes.Buffer, func() []map[string]any) {
	var mu sync.Mutex
	buf := &bytes.Buffer{}
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return buf.Write(p) })
	l := slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return l, buf, func() []map[string]any {
		mu.Lock()
		defer mu.Unlock()
		var out []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
			if line == "" {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err == nil {
				out = append(out, m)
			}
		}
		return out
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestLoggingOneRecordPerAttemptWithoutSecrets(t *testing.T) {
	logger, raw, records := logRecords()
	c, ts := setup(t, func(o *Options) {
		o.Logger = logger
		o.Credentials = StaticSTSCredentials(testKeyID, testSecret, "the-sts-token")
	})
	ts.script(actionBatch,
		[2]any{400, `{"Code":"Throttling.User","Message":"slow down","RequestId":"R-T"}`},
		[2]any{200, okBatch})
	_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.NoError(t, err)

	recs := records()
	require.Len(t, recs, 2)
	assert.Equal(t, actionBatch, recs[0]["action"])
	assert.EqualValues(t, 1, recs[0]["attempt"])
	assert.EqualValues(t, 400, recs[0]["status"])
	assert.Equal(t, "R-T", recs[0]["request_id"])
	assert.Equal(t, "retry", recs[0]["decision"])
	assert.Contains(t, recs[0]["reason"], "throttled")
	assert.Contains(t, recs[0], "elapsed")
	assert.EqualValues(t, 2, recs[1]["attempt"])
	assert.Equal(t, "REQ-1", recs[1]["request_id"])
	assert.Equal(t, "done", recs[1]["decision"])
	assert.Equal(t, "DEBUG", recs[0]["level"])

	sigs := []string{}
	for _, r := range ts.requests() {
		sigs = append(sigs, r.Query.Get("Signature"))
	}
	assertNoSecrets(t, raw.String(), append(sigs, testSecret, "the-sts-token")...)
}

func TestLoggerBelowDebugGetsNothing(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c, ts := setup(t, func(o *Options) { o.Logger = logger })
	ts.reply(actionBatch, 200, okBatch)
	_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.NoError(t, err)
	assert.Empty(t, buf.String())
}

// assertNoSecrets fails if any secret (or its percent-encoded forms) is in s.
func assertNoSecrets(t *testing.T, s string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		for _, form := range []string{sec, wire.Escape(sec), wire.Escape(wire.Escape(sec))} {
			assert.NotContains(t, s, form)
		}
	}
}

func TestTransportErrorsCarryNoSecrets(t *testing.T) {
	c, ts := setup(t, func(o *Options) {
		o.Credentials = StaticSTSCredentials(testKeyID, testSecret, "the-sts-token")
	})
	ts.handle(actionBatch, func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.Error(t, err)
	var sigs []string
	for _, r := range ts.requests() {
		sigs = append(sigs, r.Query.Get("Signature"))
	}
	require.NotEmpty(t, sigs)
	for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		assertNoSecrets(t, s, append(sigs, testSecret, "the-sts-token")...)
		assert.NotContains(t, s, "Signature=")
	}
	assert.Contains(t, err.Error(), "Action="+actionBatch, "the redacted URL still says which call failed")
}

func TestClientAndOptionsPrintNoSecrets(t *testing.T) {
	c, err := New(Options{Credentials: StaticSTSCredentials("id", "the-secret", "the-token")})
	require.NoError(t, err)
	o := c.Options()
	for _, s := range []string{
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%s", c),
		fmt.Sprintf("%v", o), fmt.Sprintf("%+v", o), fmt.Sprintf("%#v", o),
	} {
		assert.NotContains(t, s, "the-secret")
		assert.NotContains(t, s, "the-token")
	}
}

func TestHostileBodyIsNotBuffered(t *testing.T) {
	c, ts := setup(t)
	var written atomic.Int64
	const huge = 50 << 20
	ts.handle(actionBatch, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(huge))
		w.WriteHeader(200)
		chunk := bytes.Repeat([]byte(" "), 64<<10)
		for written.Load() < huge {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.ErrorIs(t, err, ErrOutcomeUnknown, "a paid order whose answer was unreadable has an unknown outcome")
	assert.Contains(t, err.Error(), "larger than")
	assert.Less(t, written.Load(), int64(huge), "the client read the whole hostile body")
	assert.Len(t, ts.requests(), 1)
}

// A read (idempotent) operation, used to test the retry rules for reads
// independently of the services built on them.
type readRequest struct {
	PageNum int `url:"PageNum"`
}

type readResponse struct {
	wireMeta
	TotalItemNum wire.FlexInt `json:"TotalItemNum" xml:"TotalItemNum"`
}

func invokeRead(c *Client, ctx context.Context) (Meta, *readResponse, error) {
	ps, lang, err := wire.EncodeRequest(&readRequest{PageNum: 1})
	if err != nil {
		return Meta{}, nil, err
	}
	var out typed[readResponse]
	m, err := c.invoke(ctx, &encodedCall{action: "QueryTaskList", idempotent: true, params: ps, lang: lang}, &out, nil)
	return m, &out.r, err
}

func TestReadDecodesStringNumbers(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryTaskList", 200, `{"RequestId":"R","TotalItemNum":"42"}`)
	m, out, err := invokeRead(c, context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 42, out.TotalItemNum)
	assert.Equal(t, "R", m.RequestID)
}

// listenClosed returns the URL of a loopback port where nothing listens.
func listenClosed(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/"
}

func TestConnectionRefusedIsRetriedEvenForPaidOrders(t *testing.T) {
	var dials atomic.Int32
	dialer := &net.Dialer{}
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, n, a string) (net.Conn, error) {
		dials.Add(1)
		return dialer.DialContext(ctx, n, a)
	}}}
	c, _ := setup(t, func(o *Options) { o.HTTPClient = hc })
	url := listenClosed(t)
	_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains(), func(o *Options) { o.Endpoint = url })
	require.Error(t, err)
	assert.EqualValues(t, 3, dials.Load(), "every attempt should have been made")
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a refused connection provably sent nothing")
	var ne net.Error
	assert.True(t, errors.As(err, &ne), "want a net error, got %T %v", err, err)
}

func TestErrorsAreOneLine(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionBatch, 400, "{\"Code\":\"InvalidParameter\",\"Message\":\"line one\\nline two\",\"RequestId\":\"R-9\"}")
	_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\n")
	assert.Contains(t, err.Error(), "line one line two")
}
