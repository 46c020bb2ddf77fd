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
