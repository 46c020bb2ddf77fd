package alidomain

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says how often and how patiently a call is attempted. Whether
// a failure may be retried at all is decided per operation: reads are
// retried on transport errors, 5xx and throttling; paid orders only when the
// request provably did not take effect (see OutcomeUnknownError).
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included; 1
	// disables retries. Zero means the default.
	MaxAttempts int
	// BaseDelay is the backoff ceiling after the first attempt; it doubles
	// after each attempt. Zero means the default.
	BaseDelay time.Duration
	// MaxDelay caps the backoff ceiling. Zero means the default.
	MaxDelay time.Duration
}

// DefaultRetryPolicy returns 3 attempts with full-jitter exponential backoff
// from 250ms up to 5s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, BaseDelay: 250 * time.Millisecond, MaxDelay: 5 * time.Second}
}

// withDefaults fills the zero fields of p from DefaultRetryPolicy.
func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
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

// backoff returns the full-jitter delay before attempt+1, given that attempt
// attempts (1-based) have been made: uniform in [0, min(MaxDelay,
// BaseDelay*2^(attempt-1))].
func (p RetryPolicy) backoff(attempt int) time.Duration {
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

// sleepCtx waits for d or until ctx ends, whichever is first.
func sleepCtx(ctx context.Context, d time.Duration) error {
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

// failureKind is what went wrong in one attempt, as far as retrying cares.
type failureKind int

const (
	failNone      failureKind = iota // a 2xx that decoded
	failTransport                    // no response, or its body could not be read
	failThrottled                    // an error answer with a Throttling* code
	failServer                       // another 5xx answer
	failRejected                     // another error answer (4xx, 3xx)
	failDecode                       // a 2xx whose body could not be decoded
	failCanceled                     // the caller's context ended
	failReplayed                     // the transport may have sent a paid request twice
)

var failureNames = [...]string{"none", "transport", "throttled", "server", "rejected", "decode", "canceled", "replayed"}

// String names the kind, for logs.
func (k failureKind) String() string { return failureNames[k] }

// decision is what the client does after an attempt.
type decision int

const (
	decideDone    decision = iota // return the result or the error as it is
	decideRetry                   // attempt again, if attempts remain
	decideUnknown                 // a write that may have taken effect: OutcomeUnknownError, never re-sent
)

var decisionNames = [...]string{"done", "retry", "outcome-unknown"}

// String names the decision, for logs.
func (d decision) String() string { return decisionNames[d] }

// classify decides what to do after an attempt of an idempotent or
// non-idempotent operation that failed with kind, where written says whether
// the request may have reached the server, status is the HTTP status of the
// answer (0 without one) and code the service's error code. It returns the
// reason, for logs.
func classify(idempotent, written bool, kind failureKind, status int, code string) (decision, string) {
	if !idempotent && written {
		if d, reason, ok := classifyPaidAnswer(kind, status, code); ok {
			return d, reason
		}
	}
	if idempotent && secondDelivery(code) {
		// The answer to the first delivery was lost; a fresh nonce makes a new request.
		return decideRetry, code + ": the request reached the service twice (a proxy re-sent it); a read is safe to repeat"
	}
	switch kind {
	case failReplayed:
		if !idempotent {
			return decideUnknown, "the transport may have sent a paid request more than once"
		}
	case failNone:
		return decideDone, "success"
	case failRejected:
		return decideDone, "rejected by the service"
	case failThrottled:
		return decideRetry, "throttled: the service did not perform the request"
	case failCanceled:
		if written && !idempotent {
			return decideUnknown, "context ended after a paid request was sent"
		}
		return decideDone, "context ended"
	}
	if !written {
		// Nothing reached the server, so even a paid order is safe to send again.
		return decideRetry, "failed before the request was written"
	}
	if !idempotent {
		return decideUnknown, "a paid request was sent and no definite answer came back"
	}
	if kind == failDecode {
		return decideDone, "the response body could not be decoded"
	}
	return decideRetry, "a read is safe to repeat"
}

// classifyPaidAnswer decides about an error answer to a paid order that
// reached the server, where the status and code alone do not make it safe:
// a throttling code is proof that nothing was done only with a status that
// says the request was not processed, and a server-side failure code (or 408)
// is an unknown outcome whatever the status. ok is false for other answers.
func classifyPaidAnswer(kind failureKind, status int, code string) (d decision, reason string, ok bool) {
	if secondDelivery(code) {
		return decideUnknown, code + " on a paid request: it reached the service more than once (a proxy re-sent it), and the first delivery may have been performed", true
	}
	switch kind {
	case failThrottled:
		if throttleNotProcessed(status) {
			return decideRetry, "throttled with HTTP " + statusText(status) + ": the service did not perform the request", true
		}
		return decideUnknown, "a throttling code on HTTP " + statusText(status) + " does not prove that a paid request was not performed", true
	case failRejected, failServer:
		if status == 408 {
			return decideUnknown, "HTTP 408 on a paid request: the server may have performed it", true
		}
		if isServerFailureCode(code) {
			return decideUnknown, "a server-side failure (" + code + ") on a paid request: it may have been performed", true
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

// statusText returns the status as digits, or "none" for 0.
func statusText(status int) string {
	if status == 0 {
		return "none"
	}
	return strconv.Itoa(status)
}
