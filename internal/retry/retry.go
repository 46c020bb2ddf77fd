// Package retry decides, after each attempt of a call, whether to attempt
// again and how long to wait first: the classification of a failure by
// idempotence, whether the request may have left, status and code; full-jitter
// Backoff; and the wait a throttled answer asks for.
package retry

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Policy says how often and how patiently a call is attempted; the root
// package's Policy converts to it (same fields).
type Policy struct {
	MaxAttempts int           // attempts in all, the first included
	BaseDelay   time.Duration // the Backoff ceiling after the first attempt; doubles after each
	MaxDelay    time.Duration // caps the Backoff ceiling
}

// DefaultPolicy is 3 attempts with full-jitter exponential Backoff from
// 250ms up to 5s.
func DefaultPolicy() Policy {
	return Policy{MaxAttempts: 3, BaseDelay: 250 * time.Millisecond, MaxDelay: 5 * time.Second}
}

// WithDefaults fills the zero fields of p from DefaultPolicy.
func (p Policy) WithDefaults() Policy {
	d := DefaultPolicy()
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = d.MaxDelay
	}
	return p
}

// Backoff returns the full-jitter delay before attempt+1, given that attempt
// attempts (1-based) have been made: uniform in [0, min(MaxDelay,
// BaseDelay*2^(attempt-1))].
func (p Policy) Backoff(attempt int) time.Duration {
	ceil := p.BaseDelay
	for i := 1; i < attempt && ceil < p.MaxDelay; i++ {
		ceil *= 2
	}
	if ceil > p.MaxDelay {
		ceil = p.MaxDelay
	}
	if ceil <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

// Sleep waits for d or until ctx ends, whichever is first.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Failure is what went wrong in one attempt, as far as retrying cares.
type Failure int

const (
	None      Failure = iota // a 2xx that decoded
	Transport                // no response, or its body could not be read
	Throttled                // an error answer with a Throttling* code
	Server                   // another 5xx answer
	Rejected                 // another error answer (4xx, 3xx)
	Decode                   // a 2xx whose body could not be decoded
	Canceled                 // the caller's context ended
	Replayed                 // the transport may have sent a paid request twice
)

var failureNames = [...]string{"none", "transport", "throttled", "server", "rejected", "decode", "canceled", "replayed"}

// String names the kind, for logs.
func (k Failure) String() string { return failureNames[k] }

// Decision is what the client does after an attempt.
type Decision int

const (
	Done    Decision = iota // return the result or the error as it is
	Again                   // attempt again, if attempts remain
	Unknown                 // a write that may have taken effect: OutcomeUnknownError, never re-sent
)

var decisionNames = [...]string{"done", "retry", "outcome-unknown"}

// String names the Decision, for logs.
func (d Decision) String() string { return decisionNames[d] }

// Classify decides what to do after an attempt of an idempotent or
// non-idempotent operation that failed with kind, where written says whether
// the request may have reached the server, status is the HTTP status of the
// answer (0 without one) and code the service's error code. It returns the
// reason, for logs.
func Classify(idempotent, written bool, kind Failure, status int, code string) (Decision, string) {
	if !idempotent && written {
		if d, reason, ok := classifyPaidAnswer(kind, status, code); ok {
			return d, reason
		}
	}
	if idempotent && secondDelivery(code) {
		// The answer to the first delivery was lost; a fresh nonce makes a new request.
		return Again, code + ": the request reached the service twice (a proxy re-sent it); a read is safe to repeat"
	}
	switch kind {
	case Replayed:
		if !idempotent {
			return Unknown, "the transport may have sent a paid request more than once"
		}
	case None:
		return Done, "success"
	case Rejected:
		return Done, "rejected by the service"
	case Throttled:
		return Again, "throttled: the service did not perform the request"
	case Canceled:
		if written && !idempotent {
			return Unknown, "context ended after a paid request was sent"
		}
		return Done, "context ended"
	}
	if !written {
		// Nothing reached the server, so even a paid order is safe to send again.
		return Again, "failed before the request was written"
	}
	if !idempotent {
		return Unknown, "a paid request was sent and no definite answer came back"
	}
	if kind == Decode {
		return Done, "the response body could not be decoded"
	}
	return Again, "a read is safe to repeat"
}

// classifyPaidAnswer decides about an error answer to a paid order that
// reached the server, where the status and code alone do not make it safe:
// a throttling code is proof that nothing was done only with a status that
// says the request was not processed, and a server-side failure code (or 408)
// is an unknown outcome whatever the status. ok is false for other answers.
func classifyPaidAnswer(kind Failure, status int, code string) (d Decision, reason string, ok bool) {
	if secondDelivery(code) {
		return Unknown, code + " on a paid request: it reached the service more than once (a proxy re-sent it), and the first delivery may have been performed", true
	}
	switch kind {
	case Throttled:
		if throttleNotProcessed(status) {
			return Again, "throttled with HTTP " + StatusText(status) + ": the service did not perform the request", true
		}
		return Unknown, "a throttling code on HTTP " + StatusText(status) + " does not prove that a paid request was not performed", true
	case Rejected, Server:
		if status == 408 {
			return Unknown, "HTTP 408 on a paid request: the server may have performed it", true
		}
		if isServerFailureCode(code) {
			return Unknown, "a server-side failure (" + code + ") on a paid request: it may have been performed", true
		}
	}
	return 0, "", false
}

// secondDeliveryCodes are the codes (or prefixes, ending in '.') by which
// the gateway refuses a request it has already received: the same nonce
// signed under V2 (SignatureNonce) and V3 (x-acs-signature-nonce). Such an
// answer is to a second delivery of one attempt (the SDK signs every
// attempt with a fresh nonce), so it says nothing of the first.
var secondDeliveryCodes = []string{"SignatureNonceUsed", "SignatureNonceUsed."}

// secondDelivery reports whether code proves that the attempt reached the
// service more than once.
func secondDelivery(code string) bool { return matchCode(code, secondDeliveryCodes) }

// throttleNotProcessed reports whether a throttling answer with status says
// the request was refused before it was processed.
func throttleNotProcessed(status int) bool {
	switch status {
	case 400, 429, 503:
		return true
	}
	return false
}

// serverFailureCodes are codes (or prefixes, ending in '.') by which a server
// says it failed while handling a request, so it may have acted on it.
var serverFailureCodes = []string{
	"InternalError", "InternalError.", "ServiceUnavailable", "ServiceUnavailable.",
	"UnknownError", "UnknownError.", "ServiceTimeout", "ServiceTimeout.",
	"Timeout", "Timeout.", "InternalServerError", "InternalServerError.", "SystemError", "SystemError.",
}

// isServerFailureCode reports whether code is a server-side failure code.
func isServerFailureCode(code string) bool { return matchCode(code, serverFailureCodes) }

// matchCode reports whether code is one of codes, in any case, or starts
// with one of those ending in '.'.
func matchCode(code string, codes []string) bool {
	for _, c := range codes {
		if strings.EqualFold(code, c) || strings.HasSuffix(c, ".") && len(code) > len(c) && strings.EqualFold(code[:len(c)], c) {
			return true
		}
	}
	return false
}

// StatusText returns the status as digits, or "none" for 0.
func StatusText(status int) string {
	if status == 0 {
		return "none"
	}
	return strconv.Itoa(status)
}

// MaxThrottleHint bounds the wait a service's hint can ask for; the retry
// policy's MaxDelay bounds it further.
const MaxThrottleHint = time.Hour

// ThrottleHint returns how long a Throttling answer asks the client to
// wait, read as the official runtime reads it: the headers
// x-ratelimit-user-api and x-ratelimit-user hold comma-separated Key:Value
// pairs ("Limit:1,Remain:0,TimeLeft:2000,Reset:1234"), TimeLeft in
// milliseconds, and the longer of the two applies. ok is false when neither
// header has a usable TimeLeft.
func ThrottleHint(h http.Header) (d time.Duration, ok bool) {
	for _, name := range [...]string{"X-Ratelimit-User-Api", "X-Ratelimit-User"} {
		for _, v := range h.Values(name) {
			if t, tok := parseTimeLeft(v); tok {
				d, ok = max(d, t), true
			}
		}
	}
	return d, ok
}

// parseTimeLeft returns the first TimeLeft of a rate-limit header value, in
// milliseconds, capped at MaxThrottleHint; ok is false when there is none,
// or it is not a non-negative decimal integer.
func parseTimeLeft(v string) (time.Duration, bool) {
	for v != "" {
		var pair string
		pair, v, _ = strings.Cut(v, ",")
		key, val, found := strings.Cut(pair, ":")
		if !found || !strings.EqualFold(strings.TrimSpace(key), "TimeLeft") {
			continue
		}
		val = strings.TrimSpace(val)
		if val == "" || val[0] == '+' || val[0] == '-' {
			return 0, false
		}
		ms, err := strconv.ParseUint(val, 10, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, false
		}
		if err != nil || ms > uint64(MaxThrottleHint/time.Millisecond) {
			return MaxThrottleHint, true
		}
		return time.Duration(ms) * time.Millisecond, true
	}
	return 0, false
}

// ThrottleDelay returns how long to wait before attempt+1 after attempt
// attempts, the last one answered with a Throttling code and the hint
// (see ThrottleHint; hinted reports whether there was one). Without a hint
// it is the policy's Backoff. With one, never less than the hint: the hint
// plus a jitter of up to BaseDelay that spreads callers told the same time,
// within MaxDelay; and retry is false when the hint is beyond MaxDelay, since
// an earlier attempt would only be throttled again.
func ThrottleDelay(p Policy, attempt int, hint time.Duration, hinted bool) (d time.Duration, retry bool) {
	if !hinted {
		return p.Backoff(attempt), true
	}
	if hint > p.MaxDelay {
		return 0, false
	}
	spread := min(p.BaseDelay, p.MaxDelay-hint)
	if spread <= 0 {
		return hint, true
	}
	return hint + time.Duration(rand.Int64N(int64(spread)+1)), true
}
