package alidomain

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBatchValidation(t *testing.T) {
	ok := func(name string) RedeemDomain { return RedeemDomain{DomainName: name, CurrentExpirationDate: exp1} }
	label63 := strings.Repeat("a", 63)
	long := strings.Repeat(label63+".", 4)[:254]
	tests := []struct {
		name  string
		req   *BatchRedeemRequest
		field string
	}{
		{"nil", nil, "BatchRedeemRequest"},
		{"no domains", &BatchRedeemRequest{}, "Domains"},
		{"empty name", &BatchRedeemRequest{Domains: []RedeemDomain{ok("a.com"), ok("")}}, "Domains[1].DomainName"},
		{"space", &BatchRedeemRequest{Domains: []RedeemDomain{ok("a b.com")}}, "Domains[0].DomainName"},
		{"empty label", &BatchRedeemRequest{Domains: []RedeemDomain{ok("a..com")}}, "Domains[0].DomainName"},
		{"leading dot", &BatchRedeemRequest{Domains: []RedeemDomain{ok(".a.com")}}, "Domains[0].DomainName"},
		{"trailing dot", &BatchRedeemRequest{Domains: []RedeemDomain{ok("a.com.")}}, "Domains[0].DomainName"},
		{"single label", &BatchRedeemRequest{Domains: []RedeemDomain{ok("localhost")}}, "Domains[0].DomainName"},
		{"too long", &BatchRedeemRequest{Domains: []RedeemDomain{ok(long)}}, "Domains[0].DomainName"},
		{"label too long", &BatchRedeemRequest{Domains: []RedeemDomain{ok(label63 + "a.com")}}, "Domains[0].DomainName"},
		{"hyphen edge", &BatchRedeemRequest{Domains: []RedeemDomain{ok("-a.com")}}, "Domains[0].DomainName"},
		{"underscore", &BatchRedeemRequest{Domains: []RedeemDomain{ok("a_b.com")}}, "Domains[0].DomainName"},
		{"invalid utf8", &BatchRedeemRequest{Domains: []RedeemDomain{ok("a\xff.com")}}, "Domains[0].DomainName"},
		{"zero date", &BatchRedeemRequest{Domains: []RedeemDomain{ok("a.com"), ok("b.com"), {DomainName: "c.com"}}}, "Domains[2].CurrentExpirationDate"},
		{"pre-1990 date", &BatchRedeemRequest{Domains: []RedeemDomain{{DomainName: "a.com", CurrentExpirationDate: time.Unix(1700000000, 0).Add(-time.Duration(1700000000-600000000) * time.Second)}}}, "Domains[0].CurrentExpirationDate"},
		{"seconds mistaken for ms", &BatchRedeemRequest{Domains: []RedeemDomain{{DomainName: "a.com", CurrentExpirationDate: time.UnixMilli(1700000000)}}}, "Domains[0].CurrentExpirationDate"},
		{"duplicate", &BatchRedeemRequest{Domains: []RedeemDomain{ok("a.com"), ok("b.com"), ok("A.com")}}, "Domains[2].DomainName"},
		{"coupon without flag", &BatchRedeemRequest{Domains: []RedeemDomain{ok("a.com")}, CouponNo: "C"}, "CouponNo"},
		{"promotion without flag", &BatchRedeemRequest{Domains: []RedeemDomain{ok("a.com")}, PromotionNo: "P"}, "PromotionNo"},
		{"bad ip", &BatchRedeemRequest{Domains: []RedeemDomain{ok("a.com")}, UserClientIP: "1.2.3"}, "UserClientIP"},
		{"bad lang", &BatchRedeemRequest{Domains: []RedeemDomain{ok("a.com")}, Lang: "de"}, "Lang"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ts := setup(t)
			ts.reply(actionBatch, 200, okBatch)
			err := tt.req.Validate()
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field, "reason: %s", ve.Reason)
			assert.NotEmpty(t, ve.Reason)
			_, err = c.Redeem.SubmitBatch(context.Background(), tt.req)
			require.ErrorAs(t, err, &ve)
			assert.Empty(t, ts.requests(), "an invalid request was sent")
		})
	}
}

func TestBatchValidationAccepts(t *testing.T) {
	for _, name := range []string{
		"example.com", "EXAMPLE.com", "a-b.example.co.uk", "例子.中国", "xn--fsqu00a.xn--fiqs8s",
		"münchen.de", "123.com", strings.Repeat("a", 63) + ".com",
	} {
		req := &BatchRedeemRequest{Domains: []RedeemDomain{{DomainName: name, CurrentExpirationDate: exp1}}, UseCoupon: true, CouponNo: "C", UserClientIP: "2001:db8::1", Lang: "en"}
		assert.NoError(t, req.Validate(), name)
	}
}

func TestSingleValidation(t *testing.T) {
	var nilReq *RedeemRequest
	var ve *ValidationError
	require.ErrorAs(t, nilReq.Validate(), &ve)
	assert.Equal(t, "RedeemRequest", ve.Field)
	require.ErrorAs(t, (&RedeemRequest{DomainName: "a.com"}).Validate(), &ve)
	assert.Equal(t, "CurrentExpirationDate", ve.Field)
	require.ErrorAs(t, (&RedeemRequest{DomainName: "a", CurrentExpirationDate: exp1}).Validate(), &ve)
	assert.Equal(t, "DomainName", ve.Field)
	require.ErrorAs(t, (&RedeemRequest{DomainName: "a.com", CurrentExpirationDate: exp1, PromotionNo: "P"}).Validate(), &ve)
	assert.Equal(t, "PromotionNo", ve.Field)
	assert.NoError(t, (&RedeemRequest{DomainName: "a.com", CurrentExpirationDate: exp1}).Validate())

	c, ts := setup(t)
	_, err := c.Redeem.Submit(context.Background(), &RedeemRequest{DomainName: "a.com"})
	require.ErrorAs(t, err, &ve)
	assert.Empty(t, ts.requests())
}

// The caller's request is not changed by submitting it.
func TestSubmitBatchDoesNotModifyRequest(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionBatch, 200, okBatch)
	req := twoDomains()
	before := *req
	before.Domains = append([]RedeemDomain(nil), req.Domains...)
	_, err := c.Redeem.SubmitBatch(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, before, *req)
}
