package alidomain

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A 2xx answer carrying a Code is an *APIError classified like that code:
// for a read, ServiceUnavailable is retried; for a paid order it is an
// unknown outcome, never "no order".
func TestCodeOn2xxIsAPIError(t *testing.T) {
	const unavailable = `{"Code":"ServiceUnavailable","Message":"try later","RequestId":"R-SU"}`
	c, ts := setup(t)
	ts.reply("QueryTaskList", 200, unavailable)
	_, err := c.Tasks.List(context.Background(), nil)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Equal(t, "ServiceUnavailable", apiErr.Code)
	assert.Equal(t, 200, apiErr.HTTPStatus)
	assert.Len(t, ts.requests(), 3, "a read is retried on a server-side code")

	ts.reply(actionBatch, 200, unavailable)
	_, err = c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Len(t, ts.requests(), 4, "a paid order is sent once")

	ts.reply("QueryTaskList", 200, `{"Code":"Throttling.User","Message":"slow down","RequestId":"R-T"}`)
	_, err = c.Tasks.List(context.Background(), nil)
	require.ErrorIs(t, err, ErrThrottled)

	ts.reply("QueryTaskList", 200, `{"Code":"InvalidParameter","Message":"no","RequestId":"R-I"}`)
	n := len(ts.requests())
	_, err = c.Tasks.List(context.Background(), nil)
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Len(t, ts.requests(), n+1, "a refusal is not retried")
}

// Answers a list cannot be checked with are errors, never an empty page.
func TestUncheckableListAnswersAreErrors(t *testing.T) {
	for name, body := range map[string]string{
		"empty object":     `{}`,
		"no paging fields": `{"RequestId":"R","TotalItemNum":250,"Data":{"TaskInfo":[]}}`,
		"no page size":     `{"RequestId":"R","TotalItemNum":0,"CurrentPageNum":1,"TotalPageNum":0,"Data":{"TaskInfo":[]}}`,
		"no data":          `{"RequestId":"R","TotalItemNum":3,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20}`,
		"no items":         `{"RequestId":"R","TotalItemNum":3,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,"Data":{"TaskInfo":[]}}`,
	} {
		c, ts := setup(t)
		ts.reply("QueryTaskList", 200, body)
		p, err := c.Tasks.List(context.Background(), nil)
		require.Error(t, err, name)
		require.Nil(t, p, name)
		for d, err := range c.Tasks.ListIter(context.Background(), nil) {
			require.Error(t, err, "%s: the iterator yields the error, not an empty list (got %+v)", name, d)
		}
	}
}

// An HTML page (a proxy's) when JSON was asked is an error, and is not
// decoded as XML even though it is markup.
func TestHTMLWhenJSONAskedIsAnError(t *testing.T) {
	c, ts := setup(t)
	ts.handle("QueryTaskList", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<html><body><RequestId>R</RequestId><CurrentPageNum>1</CurrentPageNum><TotalItemNum>0</TotalItemNum>`+
			`<TotalPageNum>0</TotalPageNum><PageSize>20</PageSize><Data></Data></body></html>`)
	})
	_, err := c.Tasks.List(context.Background(), nil)
	require.ErrorContains(t, err, "not the JSON asked for")

	// The same document labelled XML is XML.
	ts.handle("QueryTaskList", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		io.WriteString(w, `<R><RequestId>R</RequestId><CurrentPageNum>1</CurrentPageNum><TotalItemNum>0</TotalItemNum>`+
			`<TotalPageNum>0</TotalPageNum><PageSize>20</PageSize><Data></Data></R>`)
	})
	p, err := c.Tasks.List(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, "R", p.RequestID)
}

// allocatedDuring returns the bytes allocated while f ran.
func allocatedDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// An 8 MiB body of nested elements costs bounded memory, whether JSON was
// asked (it is not XML then), XML was asked (the depth is bounded) or it
// came as an error answer.
func TestXMLBombIsBounded(t *testing.T) {
	bomb := bytes.Repeat([]byte("<a>"), (8<<20)/3)
	const bound = 80 << 20 // reading the body takes about 2x its size; decoding it took 321 MB
	for _, tc := range []struct {
		name   string
		status int
		format string
		ct     string
	}{
		{"json asked", 200, "JSON", "text/html"},
		{"json asked, labelled xml", 200, "JSON", "text/xml"},
		{"xml asked", 200, "XML", ""},
		{"error answer", 500, "JSON", "text/xml"},
	} {
		c, ts := setup(t, func(o *Options) { o.Format = tc.format; o.Retry.MaxAttempts = 1 })
		ts.handle("QueryTaskList", func(w http.ResponseWriter, r *http.Request) {
			if tc.ct != "" {
				w.Header().Set("Content-Type", tc.ct)
			}
			w.WriteHeader(tc.status)
			w.Write(bomb)
		})
		var err error
		n := allocatedDuring(func() { _, err = c.Tasks.List(context.Background(), nil) })
		require.Error(t, err, tc.name)
		require.Less(t, n, uint64(bound), "%s: %d MB allocated", tc.name, n>>20)
	}
}

// Each Client has an *http.Client of its own: changing one's Timeout does
// not change another's.
func TestDefaultHTTPClientIsNotShared(t *testing.T) {
	a, err := New(Options{Credentials: StaticCredentials("id", "secret")})
	require.NoError(t, err)
	b, err := New(Options{Credentials: StaticCredentials("id", "secret")})
	require.NoError(t, err)
	ha := a.Options().HTTPClient.(*http.Client)
	hb := b.Options().HTTPClient.(*http.Client)
	require.NotSame(t, ha, hb)
	ha.Timeout = time.Nanosecond
	require.Equal(t, DefaultAttemptTimeout, hb.Timeout)
	require.Same(t, ha.Transport, hb.Transport, "they share one connection pool")
}

func TestNilContextAndZeroClientAreErrors(t *testing.T) {
	c, ts := setup(t)
	var nilCtx context.Context
	var zero Client
	for _, cl := range []*Client{c, &zero, nil} {
		for _, ctx := range []context.Context{nilCtx, context.Background()} {
			if cl == c && ctx != nil {
				continue
			}
			want := "not initialised"
			if ctx == nil {
				want = "nil Context"
			}
			var redeem *RedeemService
			var tasks *TaskService
			var domains *DomainService
			if cl != nil {
				redeem, tasks, domains = cl.Redeem, cl.Tasks, cl.Domains
			}
			_, err := redeem.SubmitBatch(ctx, twoDomains())
			require.ErrorContains(t, err, want)
			_, err = redeem.Submit(ctx, &RedeemRequest{DomainName: "a.com", CurrentExpirationDate: time.UnixMilli(1700000000000)})
			require.ErrorContains(t, err, want)
			_, err = redeem.Reconcile(ctx, time.Now(), []string{"a.com"})
			require.ErrorContains(t, err, want)
			_, err = domains.List(ctx, nil)
			require.ErrorContains(t, err, want)
			for _, err := range domains.ListIter(ctx, nil) {
				require.ErrorContains(t, err, want)
			}
			_, err = tasks.List(ctx, nil)
			require.ErrorContains(t, err, want)
			for _, err := range tasks.ListIter(ctx, nil) {
				require.ErrorContains(t, err, want)
			}
			_, err = tasks.ListDetails(ctx, &ListTaskDetailsRequest{TaskNo: "T"})
			require.ErrorContains(t, err, want)
			for _, err := range tasks.ListDetailsIter(ctx, &ListTaskDetailsRequest{TaskNo: "T"}) {
				require.ErrorContains(t, err, want)
			}
			_, err = tasks.Wait(ctx, "T", nil)
			require.ErrorContains(t, err, want)
			_, err = cl.Call(ctx, &CallRequest{Action: "QueryTaskList"}, nil)
			require.ErrorContains(t, err, want)
		}
	}
	require.Contains(t, zero.String(), "not initialised")
	require.Empty(t, ts.requests())
}

func TestNegativeRetryIsRefused(t *testing.T) {
	_, err := New(Options{Credentials: StaticCredentials("id", "secret"), Retry: RetryPolicy{MaxAttempts: -1}})
	require.ErrorContains(t, err, "negative")
	_, err = New(Options{Credentials: StaticCredentials("id", "secret"), Retry: RetryPolicy{BaseDelay: -time.Second}})
	require.ErrorContains(t, err, "negative")
	c, ts := setup(t)
	_, err = c.Tasks.List(context.Background(), nil, func(o *Options) { o.Retry.MaxAttempts = -1 })
	require.ErrorContains(t, err, "negative")
	require.Empty(t, ts.requests())
}

// The Debug record of each attempt carries the error, and a transport
// failure is one line naming the action and the attempts, and for a paid
// order never written, that nothing was ordered.
func TestTransportErrorsAndDebugRecords(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := setup(t, func(o *Options) { o.Logger = logger })
	url := listenClosed(t)
	_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains(), func(o *Options) { o.Endpoint = url })
	require.Error(t, err)
	msg := err.Error()
	require.True(t, strings.HasPrefix(msg, "alidomain: "+actionBatch+": 3 attempts, nothing was ordered: "), msg)
	require.NotContains(t, msg, "\n")
	require.Contains(t, msg, "refused")
	require.NotContains(t, msg, "Signature=")

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 3)
	for _, l := range lines {
		require.Contains(t, l, "failure=transport")
		require.Contains(t, l, "error=")
		require.Contains(t, l, "refused")
		require.NotContains(t, l, "Signature=")
	}

	_, err = c.Tasks.List(context.Background(), nil, func(o *Options) { o.Endpoint = url })
	require.Error(t, err)
	require.True(t, strings.HasPrefix(err.Error(), "alidomain: QueryTaskList: 3 attempts: "), err.Error())
	require.NotContains(t, err.Error(), "nothing was ordered", "a read orders nothing either way")
}
