package alidomain

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/wire"
)

const (
	actionBatchTransfer  = "SaveBatchTaskForCreatingOrderTransfer"
	actionSingleTransfer = "SaveSingleTaskForCreatingOrderTransfer"
	// testAuthCode has the characters docs/wire.md (Transfer codes) says codes may hold.
	testAuthCode = "Ab1#x y+z&q=1"
)

func TestTransferBatchSendsExactParameters(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionBatchTransfer, 200, okBatch)
	req := &BatchTransferRequest{UsePromotion: true, PromotionNo: "P", Lang: "en"}
	want := map[string]string{"UseCoupon": "false", "UsePromotion": "true", "PromotionNo": "P", "Lang": "en"}
	for i := 1; i <= 11; i++ {
		name := fmt.Sprintf("t%d.example", i)
		if i == 10 {
			name = "bücher.example"
		}
		code := fmt.Sprintf("%s-%d", testAuthCode, i)
		req.Domains = append(req.Domains, TransferDomain{DomainName: name, AuthorizationCode: code, RegistrantProfileID: 123456 + int64(i), PermitPremium: i == 2})
		p := fmt.Sprintf("OrderTransferParam.%d.", i)
		want[p+"DomainName"] = name
		want[p+"AuthorizationCode"] = code
		want[p+"RegistrantProfileId"] = fmt.Sprint(123456 + int64(i))
		if i == 2 {
			want[p+"PermitPremiumTransfer"] = "true"
		}
	}
	res, err := c.Transfer.SubmitBatch(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "TASK-1", res.TaskNo)
	reqs := ts.requests()
	require.Len(t, reqs, 1)
	assertParams(t, commonParams(actionBatchTransfer, want), reqs[0].Query)
}

// The code travels percent-encoded: '+' is %2B, never a '+' that the
// service would read as a space.
func TestTransferCodeWireEncoding(t *testing.T) {
	c, ts := setup(t)
	raw := make(chan string, 1)
	ts.handle(actionSingleTransfer, func(w http.ResponseWriter, r *http.Request) {
		raw <- r.URL.RawQuery
		io.WriteString(w, okBatch)
	})
	_, err := c.Transfer.Submit(context.Background(), &TransferRequest{TransferDomain: TransferDomain{DomainName: "a.com", AuthorizationCode: testAuthCode, RegistrantProfileID: 1}})
	require.NoError(t, err)
	assert.Contains(t, <-raw, "AuthorizationCode=Ab1%23x%20y%2Bz%26q%3D1&")
}

func TestTransferSingleSendsExactParameters(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionSingleTransfer, 200, okBatch)
	_, err := c.Transfer.Submit(context.Background(), &TransferRequest{
		TransferDomain: TransferDomain{DomainName: "例子.中国", AuthorizationCode: testAuthCode, RegistrantProfileID: 9007199254740993},
		UseCoupon:      true, CouponNo: "C", UserClientIP: "127.0.0.1",
	})
	require.NoError(t, err)
	assertParams(t, commonParams(actionSingleTransfer, map[string]string{
		"DomainName": "例子.中国", "AuthorizationCode": testAuthCode, "RegistrantProfileId": "9007199254740993",
		"UseCoupon": "true", "CouponNo": "C", "UsePromotion": "false", "UserClientIp": "127.0.0.1",
	}), ts.requests()[0].Query)
}

func TestTransferValidation(t *testing.T) {
	ok := func(name string) TransferDomain {
		return TransferDomain{DomainName: name, AuthorizationCode: testAuthCode, RegistrantProfileID: 1}
	}
	noCode, blankCode, noProfile := ok("a.com"), ok("a.com"), ok("a.com")
	noCode.AuthorizationCode, blankCode.AuthorizationCode, noProfile.RegistrantProfileID = "", " \t", -4
	tests := []struct {
		name  string
		req   *BatchTransferRequest
		field string
	}{
		{"nil", nil, "BatchTransferRequest"},
		{"no domains", &BatchTransferRequest{}, "Domains"},
		{"bad name", &BatchTransferRequest{Domains: []TransferDomain{ok("b.com"), ok("x_y.com")}}, "Domains[1].DomainName"},
		{"no code", &BatchTransferRequest{Domains: []TransferDomain{noCode}}, "Domains[0].AuthorizationCode"},
		{"blank code", &BatchTransferRequest{Domains: []TransferDomain{ok("b.com"), blankCode}}, "Domains[1].AuthorizationCode"},
		{"no profile", &BatchTransferRequest{Domains: []TransferDomain{noProfile}}, "Domains[0].RegistrantProfileID"},
		{"duplicate", &BatchTransferRequest{Domains: []TransferDomain{ok("a.com"), ok("A.com")}}, "Domains[1].DomainName"},
		{"promotion without flag", &BatchTransferRequest{Domains: []TransferDomain{ok("a.com")}, PromotionNo: "P"}, "PromotionNo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ts := setup(t)
			ts.reply(actionBatchTransfer, 200, okBatch)
			err := tt.req.Validate()
			requireValidationField(t, err, tt.field)
			assert.NotContains(t, err.Error(), testAuthCode, "a ValidationError quotes the code")
			_, err = c.Transfer.SubmitBatch(context.Background(), tt.req)
			requireValidationField(t, err, tt.field)
			assert.Empty(t, ts.requests(), "an invalid request was sent")
		})
	}

	c, ts := setup(t)
	var nilReq *TransferRequest
	requireValidationField(t, nilReq.Validate(), "TransferRequest")
	_, err := c.Transfer.Submit(context.Background(), &TransferRequest{TransferDomain: noCode})
	requireValidationField(t, err, "AuthorizationCode")
	_, err = c.Transfer.Submit(context.Background(), &TransferRequest{TransferDomain: noProfile})
	requireValidationField(t, err, "RegistrantProfileID")
	_, err = c.Transfer.Submit(context.Background(), &TransferRequest{TransferDomain: ok("a.com"), UserClientIP: "300.1.1.1"})
	requireValidationField(t, err, "UserClientIP")
	assert.Empty(t, ts.requests())
}

// An error answer that echoes the code (as SignatureDoesNotMatch echoes the
// string to sign) does not show it, in any of its encodings.
func TestTransferErrorsDoNotShowTheCode(t *testing.T) {
	for _, form := range []string{testAuthCode, wire.Escape(testAuthCode), wire.Escape(wire.Escape(testAuthCode)), strings.ReplaceAll(wire.Escape(testAuthCode), "%20", "+")} {
		c, ts := setup(t)
		ts.reply(actionSingleTransfer, 400, fmt.Sprintf(`{"Code":"InvalidAuthCode","Message":"code %s is wrong","Recommend":"see %s","RequestId":"R"}`, jsonEscape(form), jsonEscape(form)))
		_, err := c.Transfer.Submit(context.Background(), &TransferRequest{TransferDomain: TransferDomain{DomainName: "a.com", AuthorizationCode: testAuthCode, RegistrantProfileID: 1}})
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "code [REDACTED] is wrong", ae.Message, "form %q", form)
		assert.Equal(t, "see [REDACTED]", ae.Recommend)
		assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, ae), form)

		// The same inside HTTP 200.
		c, ts = setup(t)
		ts.reply(actionBatchTransfer, 200, fmt.Sprintf(`{"Code":"Forbidden","Message":"%s","RequestId":"R"}`, jsonEscape(form)))
		_, err = c.Transfer.SubmitBatch(context.Background(), &BatchTransferRequest{Domains: []TransferDomain{{DomainName: "a.com", AuthorizationCode: testAuthCode, RegistrantProfileID: 1}}})
		require.ErrorAs(t, err, &ae)
		assert.NotContains(t, err.Error(), form)
		assert.Contains(t, err.Error(), redacted)
	}
}

// jsonEscape returns s escaped for a JSON string literal.
func jsonEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

// Every way of printing or encoding a transfer shows no code and keeps the
// other fields.
func TestTransferRedaction(t *testing.T) {
	d := TransferDomain{DomainName: "a.com", AuthorizationCode: testAuthCode, RegistrantProfileID: 42, PermitPremium: true}
	r := TransferRequest{TransferDomain: d, UseCoupon: true, CouponNo: "C-9", Lang: "zh"}
	b := BatchTransferRequest{Domains: []TransferDomain{d, d}, PromotionNo: "P-7"}
	for _, v := range []any{d, &d, r, &r, b, &b, []TransferDomain{d}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10v", "%T %v"} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, "Ab1", "%s of %T: %s", verb, v, out)
		}
		plain := fmt.Sprintf("%+v", v)
		assert.Contains(t, plain, "a.com", "%T", v)
		assert.Contains(t, plain, "42")
		assert.Contains(t, plain, redacted)
	}
	assert.Contains(t, fmt.Sprintf("%+v", r), "C-9")
	assert.Contains(t, fmt.Sprintf("%#v", r), "alidomain.TransferRequest{")
	assert.Contains(t, fmt.Sprintf("%#v", d), "alidomain.TransferDomain{")
	assert.Contains(t, fmt.Sprintf("%+v", b), "P-7")
	assert.Equal(t, fmt.Sprintf("%+v", d), d.String())
	assert.Equal(t, fmt.Sprintf("%+v", r), r.String())

	// No code at all: nothing to redact, and nothing claims one.
	assert.NotContains(t, TransferDomain{DomainName: "x.com"}.String(), redacted)
	// The field itself stays readable.
	assert.Equal(t, testAuthCode, d.AuthorizationCode)
	assert.Equal(t, testAuthCode, r.AuthorizationCode)
}
