package alidomain

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The classifier for every (idempotent?) × (written?) × (failure kind).
func TestClassifyTable(t *testing.T) {
	type row struct {
		idempotent, written bool
		kind                failureKind
		want                decision
	}
	var rows []row
	for _, idem := range []bool{true, false} {
		for _, written := range []bool{true, false} {
			add := func(k failureKind, d decision) { rows = append(rows, row{idem, written, k, d}) }
			add(failNone, decideDone)
			add(failRejected, decideDone)
			add(failThrottled, decideRetry)
			switch {
			case !written:
				add(failTransport, decideRetry)
				add(failServer, decideRetry)
				add(failDecode, decideRetry)
				add(failCanceled, decideDone)
			case idem:
				add(failTransport, decideRetry)
				add(failServer, decideRetry)
				add(failDecode, decideDone)
				add(failCanceled, decideDone)
			default: // a paid order that left
				add(failTransport, decideUnknown)
				add(failServer, decideUnknown)
				add(failDecode, decideUnknown)
				add(failCanceled, decideUnknown)
			}
		}
	}
	require.Len(t, rows, 28)
	for _, r := range rows {
		// Statuses and codes that leave the kind's meaning as it is.
		status, code := 0, ""
		switch r.kind {
		case failThrottled:
			status, code = 400, "Throttling.User"
		case failServer:
			status, code = 502, ""
		case failRejected:
			status, code = 400, "InvalidParameter"
		case failNone, failDecode:
			status = 200
		}
		got, reason := classify(r.idempotent, r.written, r.kind, status, code)
		assert.Equal(t, r.want, got, "idempotent=%v written=%v kind=%v", r.idempotent, r.written, r.kind)
		assert.NotEmpty(t, reason)
	}
}

// A paid order's error answers, by status and code (issue 9): throttling is
// retried only where the status says the request was not processed, and a
// server-side failure is an unknown outcome whatever the status.
func TestClassifyPaidAnswersByStatusAndCode(t *testing.T) {
	rows := []struct {
		kind   failureKind
		status int
		code   string
		paid   decision // a paid order that reached the server
		read   decision
	}{
		{failThrottled, 400, "Throttling.User", decideRetry, decideRetry},
		{failThrottled, 429, "Throttling", decideRetry, decideRetry},
		{failThrottled, 503, "Throttling.Api", decideRetry, decideRetry},
		{failThrottled, 500, "Throttling.User", decideUnknown, decideRetry},
		{failThrottled, 502, "Throttling", decideUnknown, decideRetry},
		{failThrottled, 504, "Throttling", decideUnknown, decideRetry},
		{failThrottled, 200, "Throttling", decideUnknown, decideRetry},
		{failRejected, 400, "InternalError", decideUnknown, decideDone},
		{failRejected, 400, "ServiceUnavailable", decideUnknown, decideDone},
		{failRejected, 404, "InternalError.Database", decideUnknown, decideDone},
		{failRejected, 403, "UnknownError", decideUnknown, decideDone},
		{failRejected, 408, "", decideUnknown, decideDone},
		{failRejected, 408, "RequestTimeout", decideUnknown, decideDone},
		{failRejected, 400, "InvalidParameter", decideDone, decideDone},
		{failRejected, 400, "InternalErrorX", decideDone, decideDone},
		{failRejected, 404, "InvalidDomainName.NoExist", decideDone, decideDone},
		{failServer, 500, "InternalError", decideUnknown, decideRetry},
		{failServer, 503, "", decideUnknown, decideRetry},
	}
	for _, r := range rows {
		got, reason := classify(false, true, r.kind, r.status, r.code)
		assert.Equal(t, r.paid, got, "paid: kind=%v status=%d code=%q (%s)", r.kind, r.status, r.code, reason)
		got, reason = classify(true, true, r.kind, r.status, r.code)
		assert.Equal(t, r.read, got, "read: kind=%v status=%d code=%q (%s)", r.kind, r.status, r.code, reason)
	}
}

// End to end: the answers a server that committed could give are never
// retried for a paid order, and never reported as "nothing was ordered".
func TestPaidOrderServerFailureAnswersAreUnknown(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"Throttling on 500", 500, `{"Code":"Throttling.User","Message":"flow control","RequestId":"R1"}`},
		{"Throttling on 502", 502, `{"Code":"Throttling","Message":"flow control","RequestId":"R1"}`},
		{"InternalError on 400", 400, `{"Code":"InternalError","Message":"oops","RequestId":"R1"}`},
		{"ServiceUnavailable on 400", 400, `{"Code":"ServiceUnavailable","Message":"busy","RequestId":"R1"}`},
		{"408", 408, `<html>Request Timeout</html>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ts := setup(t)
			ts.reply(actionBatch, tt.status, tt.body)
			_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.Len(t, ts.requests(), 1, "a paid order was sent again")
		})
	}
}

func TestBackoffIsFullJitterAndCapped(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: 10 * time.Millisecond, MaxDelay: 40 * time.Millisecond}
	for attempt, ceil := range map[int]time.Duration{1: 10 * time.Millisecond, 2: 20 * time.Millisecond, 3: 40 * time.Millisecond, 9: 40 * time.Millisecond} {
		var maxSeen time.Duration
		var minSeen = ceil
		for i := 0; i < 2000; i++ {
			d := p.backoff(attempt)
			require.GreaterOrEqual(t, d, time.Duration(0))
			require.LessOrEqual(t, d, ceil, "attempt %d", attempt)
			maxSeen, minSeen = max(maxSeen, d), min(minSeen, d)
		}
		assert.Greater(t, maxSeen, ceil/2, "attempt %d never waited long: not jittered over the full range", attempt)
		assert.Less(t, minSeen, ceil/2, "attempt %d never waited briefly: not full jitter", attempt)
	}
	d := RetryPolicy{}.withDefaults()
	assert.Equal(t, DefaultRetryPolicy(), d)
	assert.Equal(t, 3, d.MaxAttempts)
}

func TestSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	require.ErrorIs(t, sleepCtx(ctx, time.Hour), context.Canceled)
	assert.Less(t, time.Since(start), time.Second)
	require.NoError(t, sleepCtx(context.Background(), time.Millisecond))
}

func TestPaidOrderRetriesThrottlingThenSucceeds(t *testing.T) {
	c, ts := setup(t)
	throttle := [2]any{400, `{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"R-T"}`}
	ts.script(actionBatch, throttle, throttle, [2]any{200, okBatch})
	res, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.NoError(t, err)
	assert.Equal(t, 3, res.Attempts)
	reqs := ts.requests()
	require.Len(t, reqs, 3)
	assert.NotEqual(t, reqs[0].Query.Get("SignatureNonce"), reqs[1].Query.Get("SignatureNonce"), "each attempt is signed anew")
	assert.NotEqual(t, reqs[1].Query.Get("Signature"), reqs[2].Query.Get("Signature"))
}

func TestThrottledForeverEndsWithThrottledError(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionBatch, 400, `{"Code":"Throttling.User","Message":"slow","RequestId":"R-T"}`)
	_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.ErrorIs(t, err, ErrThrottled)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a throttled order was not performed")
	assert.Len(t, ts.requests(), 3)
}

// Every failure after a paid order left: one attempt, OutcomeUnknownError.
func TestPaidOrderIsNeverResentAfterItLeft(t *testing.T) {
	hijackClose := func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		isAPI   bool
	}{
		{"500 InternalError", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			io.WriteString(w, `{"Code":"InternalError","Message":"oops","RequestId":"R-500"}`)
		}, true},
		{"503 not JSON", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(503)
			io.WriteString(w, `<html>Service Unavailable</html>`)
		}, true},
		{"connection closed without answer", hijackClose, false},
		{"malformed 200", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"RequestId":`) }, false},
		{"empty 200", func(w http.ResponseWriter, r *http.Request) {}, false},
		{"200 without TaskNo", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"RequestId":"R"}`) }, false},
		{"truncated body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			io.WriteString(w, `{"RequestId":"R",`)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ts := setup(t)
			ts.handle(actionBatch, tt.handler)
			before := time.Now()
			_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.Len(t, ts.requests(), 1, "a paid order was sent again")
			var ou *OutcomeUnknownError
			require.ErrorAs(t, err, &ou)
			assert.Equal(t, actionBatch, ou.Action)
			assert.False(t, ou.SentAt.Before(before.Add(-time.Second)))
			assert.NotNil(t, ou.Unwrap())
			var ae *APIError
			assert.Equal(t, tt.isAPI, errors.As(err, &ae))
			assert.Contains(t, err.Error(), "reconcile")
		})
	}
}

func TestReadsRetryTransientFailures(t *testing.T) {
	tests := []struct {
		name     string
		answers  [][2]any
		attempts int
		wantErr  bool
	}{
		{"500 then ok", [][2]any{{500, `{"Code":"InternalError","RequestId":"A"}`}, {200, `{"RequestId":"B","TotalItemNum":1}`}}, 2, false},
		{"throttled twice then ok", [][2]any{{400, `{"Code":"Throttling.User"}`}, {400, `{"Code":"Throttling"}`}, {200, `{"RequestId":"B"}`}}, 3, false},
		{"503 forever", [][2]any{{503, `{"Code":"ServiceUnavailable"}`}}, 3, true},
		{"400 not retried", [][2]any{{400, `{"Code":"InvalidParameter"}`}}, 1, true},
		{"malformed 200 not retried", [][2]any{{200, `{"RequestId":`}}, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ts := setup(t)
			ts.script("QueryTaskList", tt.answers...)
			m, _, err := invokeRead(c, context.Background())
			assert.Equal(t, tt.wantErr, err != nil, "err=%v", err)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "reads never have an unknown outcome")
			assert.Len(t, ts.requests(), tt.attempts)
			if !tt.wantErr {
				assert.Equal(t, tt.attempts, m.Attempts)
				assert.Equal(t, "B", m.RequestID)
			}
		})
	}
}

func TestReadRetriesDroppedConnection(t *testing.T) {
	c, ts := setup(t)
	n := 0
	ts.handle("QueryTaskList", func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		io.WriteString(w, `{"RequestId":"OK"}`)
	})
	m, _, err := invokeRead(c, context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, m.Attempts)
}

func TestDeadlineWhileServerHoldsPaidOrder(t *testing.T) {
	c, ts := setup(t)
	release := make(chan struct{})
	defer close(release)
	ts.handle(actionBatch, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Redeem.SubmitBatch(ctx, twoDomains())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, ts.requests(), 1)
}

func TestDeadlineWhileServerHoldsRead(t *testing.T) {
	c, ts := setup(t)
	release := make(chan struct{})
	defer close(release)
	ts.handle("QueryTaskList", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, _, err := invokeRead(c, ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Len(t, ts.requests(), 1, "no retry once the context has ended")
}

// doerFunc is an HTTPDoer that is not an http.Client with an http.Transport,
// so it gives no proof of whether a request was written.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

func TestUntracedDoerNeverProvesAPaidOrderUnsent(t *testing.T) {
	calls := 0
	c, _ := setup(t, func(o *Options) {
		o.HTTPClient = doerFunc(func(*http.Request) (*http.Response, error) {
			calls++
			return nil, errors.New("custom doer failed")
		})
	})
	_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 1, calls)

	calls = 0
	_, _, err = invokeRead(c, context.Background())
	require.Error(t, err)
	assert.Equal(t, 3, calls, "reads are retried whatever the doer")
}
