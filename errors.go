package alidomain

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrThrottled matches, with errors.Is, an *APIError whose code starts with
// "Throttling" (the service's flow control). Such a request was not performed.
var ErrThrottled = errors.New("alidomain: throttled by the service")

// ErrAuth matches, with errors.Is, an *APIError about the signature, the
// AccessKey or the security token: retrying will not help until the
// credentials are fixed.
var ErrAuth = errors.New("alidomain: authentication failed")

// ErrOutcomeUnknown matches, with errors.Is, an *OutcomeUnknownError: a
// request that costs money left this process and no definite answer came back.
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
	b.WriteString(e.Action)
	fmt.Fprintf(&b, ": HTTP %d", e.HTTPStatus)
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(oneLine(e.Message))
	}
	if e.RequestID != "" {
		b.WriteString(" (RequestId ")
		b.WriteString(e.RequestID)
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
// Do not simply submit again: that may pay twice. Find out first with
// RedeemService.Reconcile (it reads the task list, QueryTaskList and
// QueryTaskDetailList, for ORDER_REDEEM tasks created since SentAt minus 20
// minutes, which covers the service's clock being off by up to the 15
// minutes it accepts) and submit only the domains it reports as not found.
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

// maxExcerpt bounds how much of an unparseable body an error carries.
const maxExcerpt = 256

// parseAPIError builds an *APIError from a non-2xx response body. A body that
// is not an error document still gives an *APIError with the status and a
// short excerpt of the body.
func parseAPIError(action string, status int, body []byte) *APIError {
	e := &APIError{Action: action, HTTPStatus: status}
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
		e.Message = excerpt(trimmed)
		if err == nil {
			e.RequestID = eb.RequestID
		}
		return e
	}
	e.Code, e.Message, e.Recommend = eb.Code, eb.Message, eb.Recommend
	e.RequestID, e.HostID = eb.RequestID, eb.HostID
	return e
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
