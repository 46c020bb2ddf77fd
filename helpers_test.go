package alidomain

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/sign/signtest"
)

const (
	testKeyID  = "testid"
	testSecret = "testsecret"
)

// recorded is one request the test server received.
type recorded struct {
	Method string
	Action string
	Query  url.Values
	Body   string
	Header http.Header
}

// testServer is an httptest server that routes on the Action parameter,
// records every request and checks every signature with signtest.Sign, an
// implementation independent of the client's signer.
type testServer struct {
	*httptest.Server
	t        *testing.T
	mu       sync.Mutex
	handlers map[string]http.HandlerFunc
	reqs     []recorded
	secret   string
}

// setup starts a test server and a Client pointed at it, with fast retries.
func setup(t *testing.T, optFns ...func(*Options)) (*Client, *testServer) {
	t.Helper()
	ts := &testServer{t: t, handlers: map[string]http.HandlerFunc{}, secret: testSecret}
	ts.Server = httptest.NewServer(http.HandlerFunc(ts.serve))
	t.Cleanup(ts.Close)
	opts := Options{
		Endpoint:    ts.URL,
		Credentials: StaticCredentials(testKeyID, testSecret),
		HTTPClient:  &http.Client{Timeout: 10 * time.Second},
		Retry:       RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond},
	}
	c, err := New(opts, optFns...)
	require.NoError(t, err)
	return c, ts
}

func (ts *testServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	q := r.URL.Query()
	rec := recorded{Method: r.Method, Action: q.Get("Action"), Query: q, Body: string(body), Header: r.Header.Clone()}
	ts.mu.Lock()
	ts.reqs = append(ts.reqs, rec)
	h := ts.handlers[rec.Action]
	ts.mu.Unlock()
	if want := signtest.Sign(r.Method, ts.secret, q); q.Get("Signature") != want {
		ts.t.Errorf("request %s: Signature %q, independent computation gives %q", rec.Action, q.Get("Signature"), want)
	}
	if h == nil {
		w.WriteHeader(404)
		io.WriteString(w, `{"Code":"InvalidAction.NotFound","Message":"no handler in test","RequestId":"R-404"}`)
		return
	}
	h(w, r)
}

// handle routes an action to h.
func (ts *testServer) handle(action string, h http.HandlerFunc) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.handlers[action] = h
}

// reply makes action answer status with body, always.
func (ts *testServer) reply(action string, status int, body string) {
	ts.handle(action, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	})
}

// script makes action answer each (status, body) in turn, then the last one.
func (ts *testServer) script(action string, answers ...[2]any) {
	var mu sync.Mutex
	i := 0
	ts.handle(action, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		a := answers[min(i, len(answers)-1)]
		i++
		mu.Unlock()
		w.WriteHeader(a[0].(int))
		io.WriteString(w, a[1].(string))
	})
}

// requests returns what the server received so far.
func (ts *testServer) requests() []recorded {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]recorded(nil), ts.reqs...)
}

// masked are the parameters whose values change per attempt; assertParams
// checks that they are present but not their values.
var masked = map[string]bool{"Signature": true, "SignatureNonce": true, "Timestamp": true}

// assertParams checks that got holds exactly want (one value per key), plus
// the masked parameters with non-empty values.
func assertParams(t *testing.T, want map[string]string, got url.Values) {
	t.Helper()
	g := map[string]string{}
	for k, vs := range got {
		require.Len(t, vs, 1, "parameter %s sent %d times", k, len(vs))
		if masked[k] {
			require.NotEmpty(t, vs[0], "masked parameter %s is empty", k)
			continue
		}
		g[k] = vs[0]
	}
	for k := range masked {
		require.Contains(t, got, k)
	}
	require.Equal(t, want, g)
}

// commonParams returns the parameters every request carries, for action.
func commonParams(action string, extra map[string]string) map[string]string {
	m := map[string]string{
		"AccessKeyId":      testKeyID,
		"Action":           action,
		"Format":           "JSON",
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureVersion": "1.0",
		"Version":          "2018-01-29",
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}
