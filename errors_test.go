package alidomain

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/wire"
)

func TestParseAPIErrorJSONAndXML(t *testing.T) {
	want := &APIError{
		Action: actionBatch, Code: "InvalidParameter", Message: "The parameter is invalid.",
		Recommend: "https://api.aliyun.com/troubleshoot?q=InvalidParameter", RequestID: "R-1",
		HostID: "domain.aliyuncs.com", HTTPStatus: 400,
	}
	j := `{"RequestId":"R-1","HostId":"domain.aliyuncs.com","Code":"InvalidParameter","Message":"The parameter is invalid.","Recommend":"https://api.aliyun.com/troubleshoot?q=InvalidParameter"}`
	x := `<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>R-1</RequestId><HostId>domain.aliyuncs.com</HostId><Code>InvalidParameter</Code><Message>The parameter is invalid.</Message><Recommend>https://api.aliyun.com/troubleshoot?q=InvalidParameter</Recommend></Error>`
	assert.Equal(t, want, parseAPIError(actionBatch, 400, []byte(j)))
	assert.Equal(t, want, parseAPIError(actionBatch, 400, []byte("\n  "+x)))
}

func TestParseAPIErrorUnparseableBody(t *testing.T) {
	e := parseAPIError(actionBatch, 502, []byte("<html><body>Bad Gateway</body></html>"))
	assert.Equal(t, 502, e.HTTPStatus)
	assert.Empty(t, e.Code)
	assert.Contains(t, e.Message, "Bad Gateway")

	long := strings.Repeat("é", 1000)
	e = parseAPIError(actionBatch, 500, []byte(long))
	assert.LessOrEqual(t, len(e.Message), maxExcerpt+3)
	assert.True(t, strings.HasSuffix(e.Message, "..."))
	assert.NotContains(t, e.Message, "\uFFFD", "the excerpt was cut inside a character")

	e = parseAPIError(actionBatch, 500, nil)
	assert.Equal(t, 500, e.HTTPStatus)
	assert.Contains(t, e.Error(), "HTTP 500")
}

func TestAPIErrorMessageAndMatching(t *testing.T) {
	e := &APIError{Action: actionBatch, Code: "Throttling.User", Message: "Request was denied due to user flow control.", RequestID: "R-7", HTTPStatus: 400}
	msg := e.Error()
	for _, part := range []string{actionBatch, "Throttling.User", "user flow control", "R-7", "400"} {
		assert.Contains(t, msg, part)
	}
	assert.Equal(t, "Throttling.User", e.ErrorCode())
	assert.Equal(t, "Request was denied due to user flow control.", e.ErrorMessage())
	wrapped := fmt.Errorf("outer: %w", e)
	assert.ErrorIs(t, wrapped, ErrThrottled)
	assert.NotErrorIs(t, wrapped, ErrAuth)
	var got *APIError
	require.ErrorAs(t, wrapped, &got)
	assert.Same(t, e, got)

	// The smithy-style interface works through errors.As.
	var coded interface {
		ErrorCode() string
		ErrorMessage() string
	}
	require.ErrorAs(t, wrapped, &coded)

	for code, auth := range map[string]bool{
		"SignatureDoesNotMatch": true, "IncompleteSignature": true, "InvalidAccessKeyId.NotFound": true,
		"InvalidAccessKeyId.Inactive": true, "InvalidAccessKeyId": true, "InvalidSecurityToken.Expired": true,
		"InvalidSecurityToken.Mismatch": true, "InvalidParameter": false, "Throttling": false,
		"InvalidTimeStamp.Expired": false, "InternalError": false, "InvalidAccessKeyIdX": false,
	} {
		e := &APIError{Code: code}
		assert.Equal(t, auth, errors.Is(e, ErrAuth), code)
		assert.Equal(t, strings.HasPrefix(code, "Throttling"), errors.Is(e, ErrThrottled), code)
	}
}

func TestOutcomeUnknownError(t *testing.T) {
	inner := context.DeadlineExceeded
	e := &OutcomeUnknownError{Action: actionBatch, SentAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Err: inner}
	var err error = fmt.Errorf("wrapped: %w", e)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, inner, e.Unwrap())
	assert.Contains(t, e.Error(), actionBatch)
	assert.Contains(t, e.Error(), "2026-01-02T03:04:05Z")
	assert.NotErrorIs(t, &APIError{Code: "InternalError"}, ErrOutcomeUnknown)
}

func TestValidationErrorMessage(t *testing.T) {
	e := &ValidationError{Field: "Domains[2].DomainName", Reason: "is empty"}
	assert.Equal(t, "alidomain: invalid Domains[2].DomainName: is empty", e.Error())
}

func TestSignatureMismatchMessageIsScrubbed(t *testing.T) {
	const token = "STS/token+=="
	c, ts := setup(t, func(o *Options) { o.Credentials = StaticSTSCredentials(testKeyID, testSecret, token) })
	// The real gateway quotes its string to sign, which holds the token.
	sts := "POST&%2F&AccessKeyId%3Dtestid%26SecurityToken%3D" + wire.Escape(wire.Escape(token)) + "%26X%3D" + wire.Escape(token)
	ts.reply(actionBatch, 400, fmt.Sprintf(`{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:%s raw %s","RequestId":"R"}`, sts, token))
	_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
	require.ErrorIs(t, err, ErrAuth)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assertNoSecrets(t, err.Error(), token, testSecret)
	assert.Contains(t, err.Error(), "server string to sign is:POST&%2F&AccessKeyId%3Dtestid")
	assert.Len(t, ts.requests(), 1)
}
