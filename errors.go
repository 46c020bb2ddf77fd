package alidomain

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alidomain/alidomain/internal/redact"
)

// ErrThrottled matches, with errors.Is, an *APIError whose code starts with
// "Throttling" (the service's flow control). Such a request was not performed.
var ErrThrottled = errors.New("alidomain: throttled by the service")

// ErrAuth matches, with errors.Is, an *APIError about the signature, the
// AccessKey or the security token: retrying will not help until the
// credentials are fixed.
var ErrAuth = errors.New("alidomain: authentication failed")

// ErrOutcomeUnknown matches, with errors.Is, an *OutcomeUnknownError: a
// request that is not safe to repeat (a paid order) left this process and no
// definite answer came back.
var ErrOutcomeUnknown = errors.New("alidomain: outcome unknown")

// APIError is an error answered by the Domain API (or by a server in front of
// it), with every field of its error body. Use errors.As to get it.
type APIError struct {
	// Action is the API operation, such as SaveBatchTaskForCreatingOrderRedeem.
	Action string
	// Code is the service's error code, such as Throttling.User; it is empty
	// when the body was not an error document.
	Code string
	// Message is the service's message, or a short excerpt of an unparseable body.
	Message string
	// Recommend is the troubleshooting link the service sends, if any.
	Recommend string
	// RequestID identifies the request for Alibaba Cloud support.
	RequestID string
	// HostID is the host that answered, as the service reports it.
	HostID string
	// HTTPStatus is the HTTP status code of the response.
	HTTPStatus int
}

// Error returns a one-line description with the Action, status, Code,
// Message and RequestId.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("alidomain: ")
	b.WriteString(oneLine(boundField(e.Action)))
	fmt.Fprintf(&b, ": HTTP %d", e.HTTPStatus)
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(oneLine(boundField(e.Code)))
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(oneLine(boundField(e.Message)))
	}
	if e.RequestID != "" {
		b.WriteString(" (RequestId ")
		b.WriteString(oneLine(boundField(e.RequestID)))
		b.WriteString(")")
	}
	return b.String()
}

// ErrorCode returns the service's error code, as smithy.APIError does.
func (e *APIError) ErrorCode() string { return e.Code }

// ErrorMessage returns the service's error message, as smithy.APIError does.
func (e *APIError) ErrorMessage() string { return e.Message }

// Is reports whether e belongs to ErrThrottled or ErrAuth.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrThrottled:
		return e.throttled()
	case ErrAuth:
		return isAuthCode(e.Code)
	}
	return false
}

func (e *APIError) throttled() bool { return strings.HasPrefix(e.Code, "Throttling") }

// authCodes are the codes (or code prefixes, ending in '.') that mean the
// credentials or the signature were refused.
var authCodes = []string{
	"SignatureDoesNotMatch", "IncompleteSignature", "InvalidAccessKeyId",
	"InvalidAccessKeySecret", "InvalidSecurityToken", "MissingSecurityToken",
	"Forbidden.AccessKeyDisabled", "InvalidAccessKeyId.",
	"InvalidSecurityToken.",
}

func isAuthCode(code string) bool {
	for _, c := range authCodes {
		if code == c || strings.HasSuffix(c, ".") && strings.HasPrefix(code, c) {
			return true
		}
	}
	return false
}

// ValidationError reports a request field that failed validation; nothing
// was sent.
type ValidationError struct {
	// Field names the field, such as Domains[2].DomainName.
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error returns "alidomain: invalid <Field>: <Reason>".
func (e *ValidationError) Error() string {
	return "alidomain: invalid " + e.Field + ": " + e.Reason
}

// OutcomeUnknownError means a request that is not safe to repeat (a paid
// order) was written to the network, and no definite answer came back: a
// timeout, a reset connection, a 5xx, or a body that could not be read. The
// order may or may not have been placed, so the SDK never re-sends it.
//
// Do not simply submit again: that may pay twice. Find out first with the
// Reconcile of the service that submitted it: RedeemService.Reconcile,
// RenewService.Reconcile, TransferService.Reconcile or
// RegisterService.Reconcile. Each reads the task list (QueryTaskList and
// QueryTaskDetailList) for its kind's tasks (ORDER_REDEEM, ORDER_RENEW,
// ORDER_ACTIVATE; for transfers, any task not of a documented other kind)
// created since SentAt minus 20 minutes, which covers the service's clock
// being off by up to the 15 minutes it accepts. Submit again only the
// domains it reports as not found. For an action sent with Client.Call,
// which has no Reconcile, read the tasks yourself.
type OutcomeUnknownError struct {
	// Action is the operation whose outcome is unknown.
	Action string
	// SentAt is when the last attempt was sent, by this process's clock;
	// pass it to Reconcile, which itself looks 20 minutes further back.
	SentAt time.Time
	// Err is the failure that left the outcome unknown.
	Err error
}

// Error describes the failure and says that the order may have been placed.
func (e *OutcomeUnknownError) Error() string {
	return "alidomain: " + e.Action + ": outcome unknown (the request was sent at " +
		e.SentAt.UTC().Format(time.RFC3339) + " and may have taken effect; reconcile before retrying): " +
		errString(e.Err)
}

// Unwrap returns the underlying failure.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// Is reports whether target is ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

func errString(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

// errorBody is the error document of the RPC gateway, in JSON or XML.
type errorBody struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
	HostID    string `json:"HostId" xml:"HostId"`
	Code      string `json:"Code" xml:"Code"`
	Message   string `json:"Message" xml:"Message"`
	Recommend string `json:"Recommend" xml:"Recommend"`
}

// envelopeErrorBody returns the error fields of a 2xx answer's envelope.
func envelopeErrorBody(m wireMeta) errorBody {
	return errorBody{RequestID: m.RequestID, HostID: m.HostID, Code: m.Code, Message: m.Message, Recommend: m.Recommend}
}

// maxExcerpt bounds how much of an unparseable body an error carries.
const maxExcerpt = 256

// parseAPIError builds an *APIError from a non-2xx response body. A body that
// is not an error document still gives an *APIError with the status and a
// short excerpt of the body. Secret parameters' values are redacted by name.
func parseAPIError(action string, status int, body []byte) *APIError {
	return parseAPIErrorScrubbed(action, status, body, nil)
}

// parseAPIErrorScrubbed is parseAPIError with every field scrubbed by sc
// (before an excerpt is cut) and bounded to maxField bytes.
func parseAPIErrorScrubbed(action string, status int, body []byte, sc *scrubber) *APIError {
	e := &APIError{Action: boundField(action), HTTPStatus: status}
	var eb errorBody
	var err error
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) > 0 && trimmed[0] == '<':
		err = xml.Unmarshal(trimmed, &eb)
	case len(trimmed) > 0 && trimmed[0] == '{':
		err = json.Unmarshal(trimmed, &eb)
	default:
		err = errors.New("not an error document")
	}
	if err != nil || eb.Code == "" {
		e.Message = excerpt([]byte(sc.scrub(string(trimmed[:min(len(trimmed), 2*maxScrubbed)]))))
		if err == nil {
			e.RequestID = boundField(sc.scrub(eb.RequestID))
		}
		return e
	}
	return scrubbedAPIError(action, status, eb, sc)
}

// scrubbedAPIError returns the *APIError of an error answer's fields (of
// any status, a 200 that carries a Code included), each scrubbed by sc
// before it is cut to maxField bytes.
func scrubbedAPIError(action string, status int, eb errorBody, sc *scrubber) *APIError {
	field := func(s string) string { return boundField(sc.scrub(s)) }
	return &APIError{Action: boundField(action), HTTPStatus: status, Code: field(eb.Code), Message: field(eb.Message),
		Recommend: field(eb.Recommend), RequestID: field(eb.RequestID), HostID: field(eb.HostID)}
}

// excerpt returns at most maxExcerpt bytes (plus "...") of b, as valid
// one-line UTF-8.
func excerpt(b []byte) string {
	const window = 4 * maxExcerpt // enough input for maxExcerpt bytes after folding
	s := oneLine(strings.ToValidUTF8(string(b[:min(len(b), window)]), "\uFFFD"))
	if len(s) <= maxExcerpt && len(b) <= window {
		return s
	}
	n := min(len(s), maxExcerpt)
	for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// oneLine folds line breaks so that an error stays on one line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// maxField bounds each text field that reaches an error (a RequestId,
// Message, Code, ...) so that a hostile answer cannot make a huge error.
const maxField = 1 << 10

// maxScrubbed bounds how much of a body or an error text is scrubbed and
// kept; the rest is cut (after scrubbing).
const maxScrubbed = 64 << 10

// truncatedMark ends a field cut to maxField.
const truncatedMark = "...[truncated]"

// boundField returns s cut to maxField bytes (at a character boundary, with
// truncatedMark).
func boundField(s string) string {
	if len(s) <= maxField {
		return s
	}
	n := maxField
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.ToValidUTF8(s[:n], "\uFFFD") + truncatedMark
}

// scrubber removes one attempt's secrets from text that reaches an error,
// with the one engine of internal/redact: the signed query and the form
// body whole; the AccessKeySecret, the SecurityToken, the Signature and the
// request's own secret values (a transfer's AuthorizationCode) with their
// prefixes; in every encoding; and any value of a secret parameter by
// name. A nil scrubber still redacts by name.
type scrubber struct{ set *redact.Set }

// newScrubber returns the scrubber for an attempt signed with creds whose
// signed query is query (empty when unknown); bodies are the texts the
// attempt sent besides (a form body), redacted whole, and secrets the
// request's own secret values, redacted with their prefixes as the
// credentials are.
func newScrubber(creds *Credentials, query string, bodies, secrets []string) *scrubber {
	set := redact.New(secrets...)
	if query != "" {
		set.AddWhole(query)
		if i := strings.LastIndex(query, "&Signature="); i >= 0 {
			sig, _, _ := strings.Cut(query[i+len("&Signature="):], "&")
			set.Add(sig) // its decoding too
		}
	}
	set.AddWhole(bodies...)
	if creds != nil {
		set.Add(creds.SecurityToken, creds.AccessKeySecret)
	}
	return &scrubber{set: set}
}

// scrub returns s without the secrets, cut to maxScrubbed bytes after
// scrubbing (the engine reads at most 2*maxScrubbed).
func (sc *scrubber) scrub(s string) string {
	var set *redact.Set
	if sc != nil {
		set = sc.set
	}
	s = set.Redact(s)
	if len(s) > maxScrubbed {
		n := maxScrubbed
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + truncatedMark
	}
	return s
}

// scrubbedError is a failure whose text has been scrubbed of secrets. It
// matches what the original matches with errors.Is and errors.As, except
// *url.Error, whose URL holds the signed query.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }

// Is reports whether the original failure matches target.
func (e *scrubbedError) Is(target error) bool { return errors.Is(e.err, target) }

// As finds target in the original failure, unless it asks for a *url.Error.
func (e *scrubbedError) As(target any) bool {
	if _, ok := target.(**url.Error); ok {
		return false
	}
	return errors.As(e.err, target)
}

// Timeout reports whether the original failure is a timeout, as net.Error does.
func (e *scrubbedError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.err, &t) && t.Timeout()
}

// maxErrorText bounds the text of a transport failure.
const maxErrorText = 4 << 10

// transportError returns err with its text scrubbed by sc (the signed query,
// the secrets, any Signature or SecurityToken value, in any *url.Error of
// the chain or in the text of a doer's own error) and bounded; an outermost
// *url.Error keeps its type, with the endpoint and action as its URL.
func transportError(ctx context.Context, endpoint, action string, err error, sc *scrubber) error {
	if ue, ok := err.(*url.Error); ok {
		err = &url.Error{Op: ue.Op, URL: endpoint + "?Action=" + action, Err: scrubError(ue.Err, sc)}
	} else {
		err = scrubError(err, sc)
	}
	if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		err = fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	return err
}

// scrubError returns err with its text scrubbed and bounded.
func scrubError(err error, sc *scrubber) error {
	if err == nil {
		return nil
	}
	msg := oneLine(sc.scrub(err.Error()))
	if len(msg) > maxErrorText {
		n := maxErrorText
		for n > 0 && !utf8.RuneStart(msg[n]) {
			n--
		}
		msg = msg[:n] + truncatedMark
	}
	return &scrubbedError{msg: msg, err: err}
}
