package alidomain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/wire"
)

func TestCallSendsParamsAndDecodesStructAndMap(t *testing.T) {
	c, ts := setup(t, func(o *Options) { o.Lang = "en" })
	ts.reply("QueryDomainByDomainName", 200, `{"RequestId":"R-C","DomainName":"a.com","Nested":{"N":[1,2]}}`)
	var out struct {
		RequestID  string `json:"RequestId"`
		DomainName string
	}
	meta, err := c.Call(context.Background(), &CallRequest{
		Action: "QueryDomainByDomainName",
		Params: url.Values{"DomainName": {"a.com"}, "Odd Key*": {"v w"}, "Lang": {"zh"}},
	}, &out)
	require.NoError(t, err)
	assert.Equal(t, Meta{RequestID: "R-C", Attempts: 1}, meta)
	assert.Equal(t, "a.com", out.DomainName)
	assert.Equal(t, "R-C", out.RequestID)
	assertParams(t, commonParams("QueryDomainByDomainName", map[string]string{
		"DomainName": "a.com", "Odd Key*": "v w", "Lang": "zh",
	}), ts.requests()[0].Query)

	var m map[string]any
	_, err = c.Call(context.Background(), &CallRequest{Action: "QueryDomainByDomainName", Idempotent: true}, &m)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"RequestId": "R-C", "DomainName": "a.com", "Nested": map[string]any{"N": []any{1.0, 2.0}}}, m)
	assert.Equal(t, "en", ts.requests()[1].Query.Get("Lang"), "without a Lang parameter, Options.Lang")

	_, err = c.Call(context.Background(), &CallRequest{Action: "QueryDomainByDomainName"}, nil)
	require.NoError(t, err, "a nil out discards the answer")
}

func TestCallXMLIntoMap(t *testing.T) {
	c, ts := setup(t, func(o *Options) { o.Format = "XML" })
	ts.handle("QueryDomainList", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<?xml version="1.0"?><QueryDomainListResponse><RequestId>R-X</RequestId><TotalItemNum>2</TotalItemNum>`+
			`<Data><Domain><DomainName>a.com</DomainName></Domain><Domain><DomainName>b.com</DomainName></Domain></Data></QueryDomainListResponse>`)
	})
	var m map[string]any
	meta, err := c.Call(context.Background(), &CallRequest{Action: "QueryDomainList", Idempotent: true}, &m)
	require.NoError(t, err)
	assert.Equal(t, "R-X", meta.RequestID)
	assert.Equal(t, map[string]any{
		"RequestId":    "R-X",
		"TotalItemNum": "2",
		"Data":         map[string]any{"Domain": []any{map[string]any{"DomainName": "a.com"}, map[string]any{"DomainName": "b.com"}}},
	}, m)
}

// An action the SDK does not know may cost money: unless declared
// idempotent, it gets the rule for paid orders.
func TestCallPaidRuleByDefault(t *testing.T) {
	c, ts := setup(t)
	ts.reply("SaveBatchTaskForCreatingOrderRenew", 500, `{"Code":"InternalError","RequestId":"R-500"}`)
	_, err := c.Call(context.Background(), &CallRequest{Action: "SaveBatchTaskForCreatingOrderRenew", Params: url.Values{"OrderRenewParam.1.DomainName": {"a.com"}}}, nil)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	require.Len(t, ts.requests(), 1, "never re-sent")

	c, ts = setup(t)
	ts.reply("QueryDomainList", 500, `{"Code":"InternalError","RequestId":"R-500"}`)
	meta, err := c.Call(context.Background(), &CallRequest{Action: "QueryDomainList", Idempotent: true}, nil)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	require.Equal(t, 3, meta.Attempts, "a read is retried")
	require.Len(t, ts.requests(), 3)
}

func TestCallCodeOn200IsAPIError(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryDomainList", 200, `{"Code":"InvalidParameter","Message":"bad","RequestId":"R-P"}`)
	var m map[string]any
	_, err := c.Call(context.Background(), &CallRequest{Action: "QueryDomainList", Idempotent: true}, &m)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Equal(t, "InvalidParameter", apiErr.Code)
	assert.Equal(t, 200, apiErr.HTTPStatus)
	assert.Equal(t, "R-P", apiErr.RequestID)
	require.Len(t, ts.requests(), 1)
}

func TestCallRefusesBeforeSending(t *testing.T) {
	c, ts := setup(t)
	ctx := context.Background()
	for name, req := range map[string]*CallRequest{
		"nil":        nil,
		"no action":  {},
		"bad action": {Action: "Query&X=1"},
		"reserved":   {Action: "QueryDomainList", Params: url.Values{"Signature": {"x"}}},
		"lang":       {Action: "QueryDomainList", Params: url.Values{"Lang": {"fr"}}},
	} {
		_, err := c.Call(ctx, req, nil)
		var ve *ValidationError
		require.True(t, errors.As(err, &ve), "%s: %v", name, err)
	}
	var notPtr struct{}
	_, err := c.Call(ctx, &CallRequest{Action: "QueryDomainList"}, notPtr)
	require.ErrorContains(t, err, "pointer to a struct")
	var sl []string
	_, err = c.Call(ctx, &CallRequest{Action: "QueryDomainList"}, &sl)
	require.ErrorContains(t, err, "pointer to a struct")
	require.Empty(t, ts.requests())
}

// A transfer code passed untyped, at the top level or in a flattened list
// (any parameter whose name ends in AuthorizationCode), is scrubbed from an
// error answer that echoes it, in any of its encodings, and from the Debug
// log; the wire still carries it.
func TestCallDoesNotShowAuthorizationCode(t *testing.T) {
	for _, key := range []string{"AuthorizationCode", "OrderTransferParam.1.AuthorizationCode", "OrderTransferParam.12.authorizationcode"} {
		for _, form := range []string{testAuthCode, wire.Escape(testAuthCode), wire.Escape(wire.Escape(testAuthCode)), strings.ReplaceAll(wire.Escape(testAuthCode), "%20", "+")} {
			var logs strings.Builder
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, ts := setup(t, func(o *Options) { o.Logger = logger })
			ts.reply("SaveSingleTaskForCreatingOrderTransfer", 400, fmt.Sprintf(
				`{"Code":"InvalidAuthCode","Message":"code %s is wrong","Recommend":"see %s","RequestId":"R"}`, jsonEscape(form), jsonEscape(form)))
			_, err := c.Call(context.Background(), &CallRequest{
				Action: "SaveSingleTaskForCreatingOrderTransfer",
				Params: url.Values{"DomainName": {"a.com"}, key: {testAuthCode}, "RegistrantProfileId": {"1"}},
			}, nil)
			var ae *APIError
			require.ErrorAs(t, err, &ae, "%s %q", key, form)
			assert.Equal(t, "code [REDACTED] is wrong", ae.Message, "%s %q", key, form)
			assert.Equal(t, "see [REDACTED]", ae.Recommend)
			shown := fmt.Sprintf("%v %+v %#v %#v", err, err, ae, *ae) + logs.String()
			assert.NotContains(t, shown, form, key)
			assert.Contains(t, logs.String(), "InvalidAuthCode", "the attempt was logged with its error")
			require.Equal(t, testAuthCode, ts.requests()[0].Query.Get(key), "the code was sent")
		}
	}
}
