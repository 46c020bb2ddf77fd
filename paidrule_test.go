package alidomain

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/retry"
)

// paidActions are the paid orders the SDK knows: the typed ones and those
// not typed yet.
var paidActions = []string{
	"SaveBatchTaskForCreatingOrderRedeem", "SaveSingleTaskForCreatingOrderRedeem",
	"SaveBatchTaskForCreatingOrderRenew", "SaveSingleTaskForCreatingOrderRenew",
	"SaveBatchTaskForCreatingOrderTransfer", "SaveSingleTaskForCreatingOrderTransfer",
	"SaveBatchTaskForCreatingOrderActivate", "SaveSingleTaskForCreatingOrderActivate",
	"SaveBatchTaskForReserveDropListDomain", "SaveSingleTaskForReserveDropListDomain",
	"CreateIntlFixedPriceDomainOrder",
}

// Every typed order is a known paid action, and reads are not.
func TestKnownWrites(t *testing.T) {
	for _, op := range []string{opSaveBatchRedeem.action, opSaveSingleRedeem.action, opSaveBatchRenew.action, opSaveSingleRenew.action,
		opSaveBatchTransfer.action, opSaveSingleTransfer.action, opSaveBatchRegister.action, opSaveSingleRegister.action} {
		assert.True(t, knownWrite(op), op)
	}
	for _, a := range paidActions {
		assert.True(t, knownWrite(a), a)
		assert.True(t, knownWrite(strings.ToLower(a)), "%s in lower case", a)
	}
	for _, a := range []string{"QueryDomainList", "QueryTaskList", "SetupDomainAutoRenew", "", "SaveBatchTaskForCreatingOrderRedeemX"} {
		assert.False(t, knownWrite(a), a)
	}
	paid := 0
	for _, a := range knownActions {
		if a.kind == actionPaidOrder {
			paid++
		}
	}
	assert.Equal(t, len(paidActions), paid, "no other action is known to be paid")
}

// Call refuses Idempotent for a paid order the SDK knows, before sending,
// whatever the case of its name (issue 17, 1): re-sent after a 500 that
// followed the commit, it would be ordered twice.
func TestCallRefusesIdempotentPaidAction(t *testing.T) {
	c, ts := setup(t)
	for _, a := range paidActions {
		ts.script(a, [2]any{500, `{"Code":"InternalError","RequestId":"R-500"}`}, [2]any{200, `{"RequestId":"R-2","TaskNo":"T-2"}`})
		for _, name := range []string{a, strings.ToUpper(a)} {
			_, err := c.Call(context.Background(), &CallRequest{Action: name, Params: url.Values{"DomainName": {"a.com"}}, Idempotent: true}, nil)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve, name)
			assert.Equal(t, "Idempotent", ve.Field)
			assert.Contains(t, ve.Reason, "paid order", name)
		}
	}
	require.Empty(t, ts.requests(), "nothing was sent")

	// Without Idempotent, the 500 after the commit is an unknown outcome,
	// never re-sent.
	_, err := c.Call(context.Background(), &CallRequest{Action: "SaveBatchTaskForCreatingOrderRenew", Params: url.Values{"OrderRenewParam.1.DomainName": {"a.com"}}}, nil)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	require.Len(t, ts.requests(), 1)
}

// A known paid order's 200 without a TaskNo is an unknown outcome through
// Call, as through the typed Submit, with the RequestId in Meta (issue 17,
// 1 and 5); an action the SDK does not know as paid needs no TaskNo.
func TestCallPaidAnswerWithoutTaskNoIsUnknown(t *testing.T) {
	for _, format := range []string{"JSON", "XML"} {
		c, ts := setup(t, func(o *Options) { o.Format = format })
		body := `{"RequestId":"R-NOTASK"}`
		if format == "XML" {
			body = `<?xml version="1.0"?><Response><RequestId>R-NOTASK</RequestId></Response>`
		}
		for _, a := range paidActions {
			ts.reply(a, 200, body)
		}
		ts.reply("QueryDomainList", 200, body)
		for _, a := range paidActions {
			var m map[string]any
			meta, err := c.Call(context.Background(), &CallRequest{Action: a, Params: url.Values{"DomainName": {"a.com"}}}, &m)
			require.ErrorIs(t, err, ErrOutcomeUnknown, "%s %s", format, a)
			if a == "CreateIntlFixedPriceDomainOrder" {
				assert.Contains(t, err.Error(), "no Module.OrderNo", "the fixed-price order answers with an order, not a task")
			} else {
				assert.Contains(t, err.Error(), "no TaskNo")
			}
			assert.Equal(t, Meta{RequestID: "R-NOTASK", Attempts: 1}, meta, a)
		}
		_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
		require.ErrorIs(t, err, ErrOutcomeUnknown, "the typed order says the same")
		require.Len(t, ts.requests(), len(paidActions)+1, "never re-sent")

		meta, err := c.Call(context.Background(), &CallRequest{Action: "QueryDomainList"}, nil)
		require.NoError(t, err, format)
		assert.Equal(t, "R-NOTASK", meta.RequestID)
	}
}

// A typed-nil out is refused before anything is sent (issue 17, 5): the
// order used to be placed, then Call panicked.
func TestCallRefusesNilOutBeforeSending(t *testing.T) {
	c, ts := setup(t)
	ts.reply("SaveBatchTaskForCreatingOrderRenew", 200, `{"RequestId":"R","TaskNo":"T"}`)
	for _, out := range []any{(*map[string]any)(nil), (*struct{ TaskNo string })(nil)} {
		var err error
		require.NotPanics(t, func() {
			_, err = c.Call(context.Background(), &CallRequest{Action: "SaveBatchTaskForCreatingOrderRenew"}, out)
		})
		require.ErrorContains(t, err, "nil")
		assert.ErrorContains(t, err, "nothing was sent")
	}
	require.Empty(t, ts.requests())
}

// panicOut panics when decoded, as a caller's broken UnmarshalJSON might.
type panicOut struct{}

func (*panicOut) UnmarshalJSON([]byte) error { panic("broken decoder") }

var _ json.Unmarshaler = (*panicOut)(nil)

// After a paid order was placed, Call returns what it knows, never panics:
// the RequestId and an unknown outcome.
func TestCallNoPanicAfterPaidOrder(t *testing.T) {
	c, ts := setup(t)
	ts.reply("SaveSingleTaskForCreatingOrderRenew", 200, `{"RequestId":"R-PLACED","TaskNo":"T-1"}`)
	var meta Meta
	var err error
	require.NotPanics(t, func() {
		meta, err = c.Call(context.Background(), &CallRequest{Action: "SaveSingleTaskForCreatingOrderRenew"}, &struct {
			TaskNo panicOut
		}{})
	})
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), "panicked")
	assert.Equal(t, Meta{RequestID: "R-PLACED", Attempts: 1}, meta)
	require.Len(t, ts.requests(), 1)
}

// SignatureNonceUsed answered to a paid attempt proves it reached the
// gateway twice (a proxy re-sent it): an unknown outcome, never re-sent and
// never a definite refusal, whatever the status (issue 17, 2). A read gets
// a fresh attempt.
func TestSignatureNonceUsedOnPaidOrderIsUnknown(t *testing.T) {
	for _, status := range []int{400, 403, 409, 500, 200} {
		for _, code := range []string{"SignatureNonceUsed", "signaturenonceused", "SignatureNonceUsed.Replay"} {
			c, ts := setup(t)
			ans := `{"Code":"` + code + `","Message":"Specified signature nonce was used already.","RequestId":"R-NONCE"}`
			ts.reply(actionBatch, status, ans)
			_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
			require.ErrorIs(t, err, ErrOutcomeUnknown, "%d %s", status, code)
			var ue *OutcomeUnknownError
			require.ErrorAs(t, err, &ue)

			meta, err := c.Call(context.Background(), &CallRequest{Action: actionBatch}, nil)
			require.ErrorIs(t, err, ErrOutcomeUnknown, "through Call: %d %s", status, code)
			assert.Equal(t, "R-NONCE", meta.RequestID)
			require.Len(t, ts.requests(), 2, "never re-sent")

			ts.script("QueryDomainList", [2]any{status, ans}, [2]any{200, `{"RequestId":"R-OK"}`})
			meta, err = c.Call(context.Background(), &CallRequest{Action: "QueryDomainList", Idempotent: true}, nil)
			require.NoError(t, err, "a read is sent again with a fresh nonce")
			assert.Equal(t, 2, meta.Attempts)
		}
	}
}

func TestClassifySecondDelivery(t *testing.T) {
	for _, kind := range []retry.Failure{retry.Rejected, retry.Server, retry.Throttled} {
		d, reason := retry.Classify(false, true, kind, http.StatusBadRequest, "SignatureNonceUsed")
		assert.Equal(t, retry.Unknown, d, "%v: %s", kind, reason)
		d, _ = retry.Classify(true, true, kind, http.StatusBadRequest, "SignatureNonceUsed")
		assert.Equal(t, retry.Again, d)
	}
	d, _ := retry.Classify(false, true, retry.Rejected, http.StatusBadRequest, "SignatureDoesNotMatch")
	assert.Equal(t, retry.Done, d, "another 400 is a refusal")
	d, _ = retry.Classify(true, true, retry.Rejected, http.StatusBadRequest, "SignatureNonceUsedX")
	assert.Equal(t, retry.Done, d, "a code that only starts with SignatureNonceUsed is no second delivery")
}
