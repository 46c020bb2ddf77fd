package alidomaintest

import (
	"time"
)

type faultKind int

const (
	faultPass faultKind = iota
	faultThrottle
	faultServiceUnavailable
	faultResetBeforeCommit
	faultDelay
	faultDelayAfterCommit
	faultCommitThenDrop
	faultServerErrorAfterCommit
	faultMalformedBody
	faultTruncatedBody
	faultEmptyBody
	faultHugeBody
	faultXMLBody
	faultWrongContentType
	faultSlowBody
	faultInBodyError
	faultNonceUsedAfterCommit
)

// forever is the span of a Fault that never runs out.
const forever = -1

// Fault is a scripted misbehaviour of the server for one or more requests of
// an action; see Server.Inject. Build one with the functions of this package
// (Throttle, CommitThenDrop, ...). The zero Fault is the same as Pass().
//
// Faults are consumed only by requests that pass the gateway checks
// (authentication, known action). A fault described as "performs the action"
// commits state exactly as a normal request would (a redeem creates its task
// and counts its orders) and only then misbehaves; the others answer or fail
// without performing anything.
type Fault struct {
	kind  faultKind
	span  int // number of requests; forever = never runs out
	d     time.Duration
	bytes int64
	code  string // InBodyError
	msg   string
}

// Pass returns a Fault that lets one request through untouched. Use it to aim
// later faults at a later request: Inject(a, Pass(), Throttle(1)) throttles
// the second request only.
func Pass() Fault { return Fault{kind: faultPass, span: 1} }

// Throttle returns a Fault that answers the next n requests with HTTP 400
// Throttling.User ("Request was denied due to user flow control.") without
// performing them. Throttle(0) (or a negative n) does nothing.
func Throttle(n int) Fault {
	if n < 0 {
		n = 0
	}
	return Fault{kind: faultThrottle, span: n}
}

// ThrottleForever returns a Fault that throttles (as Throttle does) every
// later request of the action, until Server.ClearFaults removes it. Faults
// queued after it are never reached.
func ThrottleForever() Fault { return Fault{kind: faultThrottle, span: forever} }

// ServiceUnavailable returns a Fault that answers one request with HTTP 503
// ServiceUnavailable without performing it.
func ServiceUnavailable() Fault { return Fault{kind: faultServiceUnavailable, span: 1} }

// ResetBeforeCommit returns a Fault that reads one request, then resets the
// connection (TCP RST) without performing the action or answering.
func ResetBeforeCommit() Fault { return Fault{kind: faultResetBeforeCommit, span: 1} }

// CommitThenDrop returns a Fault that performs the action of one request, then
// closes the connection without sending any response byte.
func CommitThenDrop() Fault { return Fault{kind: faultCommitThenDrop, span: 1} }

// ServerErrorAfterCommit returns a Fault that performs the action of one
// request, then answers HTTP 500 InternalError.
func ServerErrorAfterCommit() Fault { return Fault{kind: faultServerErrorAfterCommit, span: 1} }

// NonceUsedAfterCommit returns a Fault that performs the action of one
// request, then answers HTTP 400 SignatureNonceUsed. It models a proxy that
// re-sent the request after a reset (Envoy's retry_on: reset, nginx's
// proxy_next_upstream non_idempotent): the first delivery took effect, and
// the client gets the gateway's answer to the second, which refuses a nonce
// it has already seen.
func NonceUsedAfterCommit() Fault { return Fault{kind: faultNonceUsedAfterCommit, span: 1} }

// Delay returns a Fault that holds one request for d before performing it and
// answering normally. If the client goes away (its request context ends) or
// the server is closed during the wait, the action is not performed and the
// connection is closed without an answer.
func Delay(d time.Duration) Fault { return Fault{kind: faultDelay, span: 1, d: d} }

// DelayAfterCommit returns a Fault that performs the action of one request at
// once, then holds the answer for d (or until the client goes away or the
// server is closed, in which case the connection is closed without an
// answer). It models a client timeout on a request that did take effect.
func DelayAfterCommit(d time.Duration) Fault {
	return Fault{kind: faultDelayAfterCommit, span: 1, d: d}
}

// MalformedBody returns a Fault that performs the action of one request, then
// answers HTTP 200 with the usual Content-Type and a body that is neither
// valid JSON nor valid XML.
func MalformedBody() Fault { return Fault{kind: faultMalformedBody, span: 1} }

// TruncatedBody returns a Fault that performs the action of one request, then
// sends HTTP 200 with a Content-Length larger than the bytes that follow
// (half of the real body) and closes the connection.
func TruncatedBody() Fault { return Fault{kind: faultTruncatedBody, span: 1} }

// EmptyBody returns a Fault that performs the action of one request, then
// answers HTTP 200 with the usual Content-Type and an empty body.
func EmptyBody() Fault { return Fault{kind: faultEmptyBody, span: 1} }

// HugeBody returns a Fault that performs the action of one request, then
// answers HTTP 200 (Content-Type application/json, no Content-Length, chunked)
// streaming exactly n bytes of a JSON document that starts like a real answer
// and never closes. The body is generated as it is sent, never buffered;
// if the client goes away or the server is closed, streaming stops and the
// connection is closed (without the final chunk).
func HugeBody(n int64) Fault { return Fault{kind: faultHugeBody, span: 1, bytes: n} }

// XMLBody returns a Fault that performs the action of one request, then
// answers with the correct response encoded as XML (Content-Type text/xml)
// whatever Format was asked.
func XMLBody() Fault { return Fault{kind: faultXMLBody, span: 1} }

// WrongContentType returns a Fault that performs the action of one request,
// then answers the correct body (in the format asked) with Content-Type
// text/html;charset=utf-8.
func WrongContentType() Fault { return Fault{kind: faultWrongContentType, span: 1} }

// SlowBody returns a Fault that performs the action of one request, then sends
// the correct answer (with its Content-Length) one byte every perByte,
// flushing each byte; if the client goes away or the server is closed, it
// stops and closes the connection.
func SlowBody(perByte time.Duration) Fault {
	return Fault{kind: faultSlowBody, span: 1, d: perByte}
}

// InBodyError returns a Fault that answers one request with HTTP 200 whose
// body carries an error instead of a result, without performing the action.
// For QueryDomainRealTimePrice it is that action's documented envelope
// (Success false, HttpStatusCode 400, ErrorCode code, ErrorMsg msg, no
// Module); for the other actions a body with RequestId, Code and Message and
// no data. Either way a client must take it as an error, never as a result.
func InBodyError(code, msg string) Fault {
	return Fault{kind: faultInBodyError, span: 1, code: code, msg: msg}
}
