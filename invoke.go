package alidomain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/alidomain/alidomain/internal/sign"
	"github.com/alidomain/alidomain/internal/wire"

	"github.com/alidomain/alidomain/internal/retry"

	"github.com/alidomain/alidomain/internal/transport"
)

// maxBodyBytes bounds how much of a response is read; a larger body is an
// error, so a hostile or broken server cannot make the client buffer it.
const maxBodyBytes = 8 << 20

// encodedCall is one call of an action, encoded: what every attempt sends.
type encodedCall struct {
	action     string
	idempotent bool        // reads are; orders that cost money are not
	params     wire.Params // the request's parameters, sorted and escaped
	lang       string      // the request's Lang; empty: Options.Lang
	noLang     bool        // send no Lang at all, not even Options.Lang
	secrets    []string    // request values never shown in an error
}

// target is what a 2xx answer decodes into: reset before each attempt,
// then decoded (see wire.DecodeBody), then its envelope and check consulted.
type target interface {
	reset()
	decode(body []byte, xmlOK bool) error
	Folded() wireMeta
	check() error
}

// attempt is what one send produced.
type attempt struct {
	status    int
	requestID string
	code      string // the service's error code, for classify
	kind      retry.Failure
	written   bool          // the request may have reached the server
	err       error         // the failure, already safe to show
	hint      time.Duration // a throttled answer's wait (throttleHint)
	hinted    bool
}

// invoke sends cl, retrying as its idempotence and the options allow, and
// decodes the answer into out.
func (c *Client) invoke(ctx context.Context, cl *encodedCall, out target, optFns []func(*Options)) (Meta, error) {
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
	lang := cl.lang
	if lang == "" && !cl.noLang {
		lang = o.Lang
	}
	in := sign.Input{Method: http.MethodPost, Action: cl.action, Version: APIVersion, Format: d.format, Lang: lang, Credentials: signCredentials(&creds), Params: cl.params}
	logger := o.Logger
	if logger != nil && !logger.Enabled(ctx, slog.LevelDebug) {
		logger = nil
	}
	if err := c.limiter.Wait(ctx); err != nil {
		return meta, fmt.Errorf("alidomain: %s: %w (waiting for Options.RateLimit; nothing was sent)", cl.action, err)
	}
	for {
		meta.Attempts++
		start := time.Now()
		in.Now, in.Nonce = c.now(), c.nonce()
		a := c.send(ctx, o, d, &in, cl.secrets, cl.idempotent, out)
		dec, reason := retry.Classify(cl.idempotent, a.written, a.kind, a.status, a.code)
		last := meta.Attempts >= d.retry.MaxAttempts
		if dec == retry.Again && last {
			dec, reason = retry.Done, reason+"; no attempts left"
		}
		var delay time.Duration
		if dec == retry.Again {
			var again bool
			if delay, again = retry.ThrottleDelay(d.retry, meta.Attempts, a.hint, a.hinted && a.kind == retry.Throttled); !again {
				dec, reason = retry.Done, reason+"; the service asks to wait "+a.hint.String()+", longer than Retry.MaxDelay"
			}
		}
		if logger != nil {
			attrs := []slog.Attr{
				slog.String("action", cl.action),
				slog.Int("attempt", meta.Attempts),
				slog.Int("status", a.status),
				slog.String("request_id", a.requestID),
				slog.Duration("elapsed", time.Since(start)),
				slog.String("failure", a.kind.String()),
				slog.String("decision", dec.String()),
				slog.String("reason", reason),
			}
			if a.err != nil {
				attrs = append(attrs, slog.String("error", a.err.Error()))
			}
			logger.LogAttrs(ctx, slog.LevelDebug, "alidomain: attempt", attrs...)
		}
		switch dec {
		case retry.Unknown:
			meta.RequestID = a.requestID // what is known of an order that may exist
			return meta, &OutcomeUnknownError{Action: cl.action, SentAt: start, Err: &attemptsError{n: meta.Attempts, err: a.err}}
		case retry.Done:
			meta.RequestID = a.requestID
			if a.kind == retry.Transport || a.kind == retry.Canceled {
				return meta, &attemptsError{action: cl.action, n: meta.Attempts, unsent: !cl.idempotent && !a.written, err: a.err}
			}
			return meta, a.err
		}
		err := retry.Sleep(ctx, delay)
		if err == nil {
			err = c.limiter.Wait(ctx)
		}
		if err != nil {
			// The last attempt did not take effect (else it would not be retried).
			return meta, fmt.Errorf("alidomain: %s: %w (while waiting to retry after %s: %v)", cl.action, err, plural(meta.Attempts, "attempt"), a.err)
		}
	}
}

// attemptsError is a transport failure that ended a call: it says which
// action, after how many attempts, and for a paid order that was provably
// never written, that nothing was ordered.
type attemptsError struct {
	action string // empty inside an OutcomeUnknownError, which names it
	n      int
	unsent bool
	err    error
}

// Error returns the one-line message.
func (e *attemptsError) Error() string {
	var b strings.Builder
	if e.action != "" {
		b.WriteString("alidomain: " + e.action + ": ")
	}
	b.WriteString(plural(e.n, "attempt"))
	if e.unsent {
		b.WriteString(", nothing was ordered")
	}
	b.WriteString(": ")
	b.WriteString(oneLine(errString(e.err)))
	return b.String()
}

// Unwrap returns the failure of the last attempt.
func (e *attemptsError) Unwrap() error { return e.err }

// plural returns "1 attempt", "2 attempts".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// acceptHeader is the Accept header of every request.
var acceptHeader = []string{"application/json, application/xml"}

// attemptTrace records the httptrace events of one attempt.
type attemptTrace struct {
	wrote, gotConn atomic.Bool
	sends          transport.SendCounter // replays within the attempt
	trace          httptrace.ClientTrace
}

// send makes one attempt: sign, POST, read and decode. secrets are the
// request's secret values, scrubbed from errors as the credentials are.
func (c *Client) send(ctx context.Context, o *Options, d *derived, in *sign.Input, secrets []string, idempotent bool, out target) attempt {
	var a attempt
	sa := d.sign(*in)
	doer, replayable := o.HTTPClient, false
	if !idempotent {
		var safe bool
		doer, safe = transport.PaidDoer(doer) // no replay by HTTP/2
		replayable = !safe
	}
	rctx := ctx
	var tr *attemptTrace
	// A paid order is traced whatever the transport: the trace rides on the
	// request's context into every RoundTripper a user wraps around another.
	if d.traced || replayable {
		tr = new(attemptTrace)
		tr.trace.WroteHeaders = func() { tr.wrote.Store(true); tr.sends.Wrote() }
		if d.traced {
			// The write proof (a.written) is taken from an http.Transport only.
			tr.trace.GetConn = func(string) { tr.gotConn.Store(true) }
			tr.trace.WroteRequest = func(httptrace.WroteRequestInfo) { tr.wrote.Store(true) }
		}
		if replayable {
			// The transport's own re-send is stopped before it is written.
			var cancel context.CancelFunc
			rctx, cancel = context.WithCancel(ctx)
			defer cancel()
			tr.sends.Stop = cancel
		}
		tr.sends.Hook(&tr.trace)
		rctx = httptrace.WithClientTrace(rctx, &tr.trace)
	}
	var body io.Reader
	if sa.Body != nil {
		body = bytes.NewReader(sa.Body)
	}
	// The endpoint parsed once, not per attempt (BenchmarkInProcess/impl=alidomain/N=1).
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, "/", body)
	if err != nil {
		a.kind, a.err = retry.Transport, fmt.Errorf("alidomain: %s: %w", in.Action, err)
		return a
	}
	*req.URL = *d.endpointURL
	req.URL.RawQuery = sa.Query
	req.Host = d.endpointHost
	// Shared value slices (len == cap, so an Add by a middleware copies):
	// two allocations fewer per attempt (BenchmarkSubmitBatch).
	req.Header["User-Agent"] = d.userAgentHeader
	req.Header["Accept"] = acceptHeader
	for k, vs := range sa.Header {
		req.Header[k] = vs
	}

	if replayable {
		transport.Unreplayable(req)
	}
	resp, err := doer.Do(req)
	if tr != nil && !idempotent && tr.sends.Replayed() {
		return replayedAttempt(in.Action, resp, &tr.sends)
	}
	// Only an http.Transport that reported the start of the attempt but no
	// write proves that nothing reached the server; another RoundTripper's
	// silence proves nothing. It reports the write once the request is
	// buffered, so a flush that then fails counts as written: the safe side
	// (its own replay of stale idle connections is safe).
	a.written = !d.traced || tr == nil || tr.wrote.Load() || !tr.gotConn.Load()
	if err != nil {
		a.kind, a.err = retry.Transport, transportError(ctx, d.endpoint, in.Action, err, attemptScrubber(in, &sa, secrets))
		if ctx.Err() != nil {
			a.kind = retry.Canceled
		}
		return a
	}
	a.written = true
	a.status = resp.StatusCode
	defer resp.Body.Close()
	body2, err := readBody(resp)
	if err != nil {
		a.kind, a.err = retry.Transport, fmt.Errorf("alidomain: %s: reading response (HTTP %d): %w", in.Action, resp.StatusCode, transportError(ctx, d.endpoint, in.Action, err, attemptScrubber(in, &sa, secrets)))
		if ctx.Err() != nil {
			a.kind = retry.Canceled
		}
		return a
	}
	// XML only when asked for or labelled so: a proxy's HTML page is never
	// decoded as XML when JSON was asked.
	xmlOK := d.format == "XML" || wire.IsXMLContentType(resp.Header.Get("Content-Type"))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if t := bytes.TrimSpace(body2); len(t) > 0 && t[0] == '<' && wire.CheckXMLDepth(t) != nil {
			body2 = t[:min(len(t), 1024)] // too deep to decode: keep an excerpt
		}
		e := parseAPIErrorScrubbed(in.Action, resp.StatusCode, body2, attemptScrubber(in, &sa, secrets))
		a.requestID, a.code, a.err, a.kind = oneLine(e.RequestID), e.Code, e, apiErrorKind(e)
		if a.kind == retry.Throttled {
			a.hint, a.hinted = retry.ThrottleHint(resp.Header)
		}
		return a
	}
	out.reset()
	if err := out.decode(body2, xmlOK); err != nil {
		a.requestID = oneLine(boundField(out.Folded().RequestID)) // if the envelope decoded
		a.kind = retry.Decode
		a.err = fmt.Errorf("alidomain: %s: decoding the response (HTTP %d, %d bytes): %w", in.Action, resp.StatusCode, len(body2), scrubError(err, attemptScrubber(in, &sa, secrets)))
		return a
	}
	env := out.Folded()
	a.requestID = oneLine(boundField(env.RequestID)) // a hostile RequestId stays small
	if env.Code != "" {
		status := resp.StatusCode
		if env.Status != 0 {
			status = env.Status
		}
		e := scrubbedAPIError(in.Action, status, envelopeErrorBody(env), attemptScrubber(in, &sa, secrets))
		a.requestID, a.code, a.err, a.kind = oneLine(e.RequestID), e.Code, e, apiErrorKind(e)
		if a.kind == retry.Throttled {
			a.hint, a.hinted = retry.ThrottleHint(resp.Header)
		}
		return a
	}
	if env.Failed != "" {
		a.kind = retry.Decode
		a.err = fmt.Errorf("alidomain: %s: unusable response (HTTP %d, RequestId %s): %s", in.Action, resp.StatusCode, a.requestID, env.Failed)
		return a
	}
	if err := out.check(); err != nil {
		a.kind = retry.Decode
		a.err = fmt.Errorf("alidomain: %s: unusable response (HTTP %d, RequestId %s): %w", in.Action, resp.StatusCode, a.requestID, err)
	}
	return a
}

// replayedAttempt is the attempt of a paid order that the transport may have
// sent more than once: its outcome is unknown whatever the answer, and it is
// never retried.
func replayedAttempt(action string, resp *http.Response, c *transport.SendCounter) attempt {
	a := attempt{kind: retry.Replayed, written: true}
	a.status, a.err = c.ReplayError(action, resp)
	return a
}

// attemptScrubber returns the scrubber of the attempt sa signed from in.
// It is built only when an attempt fails: a success has nothing to scrub
// (BenchmarkSubmitBatch: a third of the allocations of a call at N=1).
func attemptScrubber(in *sign.Input, sa *sign.Attempt, secrets []string) *scrubber {
	creds := Credentials{AccessKeySecret: in.Credentials.AccessKeySecret, SecurityToken: in.Credentials.SecurityToken}
	return newScrubber(&creds, sa.Query, []string{string(sa.Body), sa.Signature}, secrets)
}

// readBody reads a response body of at most maxBodyBytes: in one read of
// its length when the length is known (BenchmarkSubmitBatch: two
// allocations fewer per attempt than a bytes.Buffer behind a LimitReader).
func readBody(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n >= 0 && n <= maxBodyBytes {
		b := make([]byte, n)
		_, err := io.ReadFull(resp.Body, b)
		return b, err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err == nil && len(b) > maxBodyBytes {
		err = fmt.Errorf("response body larger than %d bytes", maxBodyBytes)
	}
	return b, err
}

// apiErrorKind classifies an error answer by its code, then its status: a
// 2xx that carries a Code is classified like that code.
func apiErrorKind(e *APIError) retry.Failure {
	switch {
	case e.throttled():
		return retry.Throttled
	case e.HTTPStatus >= 500 || serverSideCode(e.Code):
		return retry.Server
	}
	return retry.Rejected
}

// serverSideCode reports whether a code says the service failed, rather
// than refused the request.
func serverSideCode(code string) bool {
	for _, c := range [...]string{"InternalError", "ServiceUnavailable", "UnknownError"} {
		if code == c || strings.HasPrefix(code, c+".") {
			return true
		}
	}
	return false
}
