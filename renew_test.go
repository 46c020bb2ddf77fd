package alidomain

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	actionBatchRenew  = "SaveBatchTaskForCreatingOrderRenew"
	actionSingleRenew = "SaveSingleTaskForCreatingOrderRenew"
)

// A renewal batch above 9 domains, with IDN names, sends every parameter
// under OrderRenewParam.N, SubscriptionDuration 1 for 0 years, and
// PermitPremiumRenew only when true.
func TestRenewBatchSendsExactParameters(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionBatchRenew, 200, okBatch)
	req := &BatchRenewRequest{UseCoupon: true, CouponNo: "C 1", UserClientIP: "192.0.2.1", Lang: "zh"}
	want := map[string]string{"UseCoupon": "true", "CouponNo": "C 1", "UsePromotion": "false", "UserClientIp": "192.0.2.1", "Lang": "zh"}
	for i := 1; i <= 12; i++ {
		name := fmt.Sprintf("d%d.example", i)
		if i == 11 {
			name = "例子.中国"
		}
		exp := time.UnixMilli(1700000000000 + int64(i))
		years := i % 11 // 0 (sent as 1) up to 10
		req.Domains = append(req.Domains, RenewDomain{DomainName: name, CurrentExpirationDate: exp, Years: years, PermitPremium: i == 3})
		p := fmt.Sprintf("OrderRenewParam.%d.", i)
		want[p+"DomainName"] = name
		want[p+"CurrentExpirationDate"] = fmt.Sprint(1700000000000 + int64(i))
		want[p+"SubscriptionDuration"] = fmt.Sprint(max(years, 1))
		if i == 3 {
			want[p+"PermitPremiumRenew"] = "true"
		}
	}
	res, err := c.Renew.SubmitBatch(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "TASK-1", res.TaskNo)
	assert.Equal(t, "REQ-1", res.RequestID)
	reqs := ts.requests()
	require.Len(t, reqs, 1)
	assert.Empty(t, reqs[0].Body)
	assertParams(t, commonParams(actionBatchRenew, want), reqs[0].Query)
	assert.Equal(t, 0, req.Domains[10].Years, "the caller's request is not changed")
}

func TestRenewSingleSendsExactParameters(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionSingleRenew, 200, okBatch)
	res, err := c.Renew.Submit(context.Background(), &RenewRequest{
		DomainName: "münchen.de", CurrentExpirationDate: exp1, Years: 3, PermitPremium: true,
		UsePromotion: true, PromotionNo: "P*1",
	})
	require.NoError(t, err)
	assert.Equal(t, "TASK-1", res.TaskNo)
	assertParams(t, commonParams(actionSingleRenew, map[string]string{
		"DomainName": "münchen.de", "CurrentExpirationDate": "1700000000000", "SubscriptionDuration": "3",
		"PermitPremiumRenew": "true", "UseCoupon": "false", "UsePromotion": "true", "PromotionNo": "P*1",
	}), ts.requests()[0].Query)

	_, err = c.Renew.Submit(context.Background(), &RenewRequest{DomainName: "a.com", CurrentExpirationDate: exp2})
	require.NoError(t, err)
	assertParams(t, commonParams(actionSingleRenew, map[string]string{
		"DomainName": "a.com", "CurrentExpirationDate": "1700086400000", "SubscriptionDuration": "1",
		"UseCoupon": "false", "UsePromotion": "false",
	}), ts.requests()[1].Query)
}

func TestRenewValidation(t *testing.T) {
	ok := func(name string) RenewDomain {
		return RenewDomain{DomainName: name, CurrentExpirationDate: exp1, Years: 1}
	}
	withYears := func(y int) RenewDomain { d := ok("y.com"); d.Years = y; return d }
	tests := []struct {
		name  string
		req   *BatchRenewRequest
		field string
	}{
		{"nil", nil, "BatchRenewRequest"},
		{"no domains", &BatchRenewRequest{}, "Domains"},
		{"empty name", &BatchRenewRequest{Domains: []RenewDomain{ok("a.com"), ok("")}}, "Domains[1].DomainName"},
		{"bad name", &BatchRenewRequest{Domains: []RenewDomain{ok("a b.com")}}, "Domains[0].DomainName"},
		{"zero date", &BatchRenewRequest{Domains: []RenewDomain{ok("a.com"), {DomainName: "b.com", Years: 1}}}, "Domains[1].CurrentExpirationDate"},
		{"seconds as ms", &BatchRenewRequest{Domains: []RenewDomain{{DomainName: "b.com", CurrentExpirationDate: time.UnixMilli(1700000000)}}}, "Domains[0].CurrentExpirationDate"},
		{"11 years", &BatchRenewRequest{Domains: []RenewDomain{ok("a.com"), withYears(11)}}, "Domains[1].Years"},
		{"negative years", &BatchRenewRequest{Domains: []RenewDomain{withYears(-1)}}, "Domains[0].Years"},
		{"duplicate", &BatchRenewRequest{Domains: []RenewDomain{ok("a.com"), ok("b.com"), ok("B.COM")}}, "Domains[2].DomainName"},
		{"coupon without flag", &BatchRenewRequest{Domains: []RenewDomain{ok("a.com")}, CouponNo: "C"}, "CouponNo"},
		{"bad ip", &BatchRenewRequest{Domains: []RenewDomain{ok("a.com")}, UserClientIP: "x"}, "UserClientIP"},
		{"bad lang", &BatchRenewRequest{Domains: []RenewDomain{ok("a.com")}, Lang: "fr"}, "Lang"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ts := setup(t)
			ts.reply(actionBatchRenew, 200, okBatch)
			requireValidationField(t, tt.req.Validate(), tt.field)
			_, err := c.Renew.SubmitBatch(context.Background(), tt.req)
			requireValidationField(t, err, tt.field)
			assert.Empty(t, ts.requests(), "an invalid request was sent")
		})
	}
	for _, y := range []int{0, 1, 10} {
		assert.NoError(t, (&BatchRenewRequest{Domains: []RenewDomain{withYears(y)}}).Validate(), "years %d", y)
	}

	c, ts := setup(t)
	var nilReq *RenewRequest
	requireValidationField(t, nilReq.Validate(), "RenewRequest")
	for field, req := range map[string]*RenewRequest{
		"DomainName":            {DomainName: "nodot", CurrentExpirationDate: exp1},
		"CurrentExpirationDate": {DomainName: "a.com"},
		"Years":                 {DomainName: "a.com", CurrentExpirationDate: exp1, Years: 11},
		"PromotionNo":           {DomainName: "a.com", CurrentExpirationDate: exp1, PromotionNo: "P"},
	} {
		_, err := c.Renew.Submit(context.Background(), req)
		requireValidationField(t, err, field)
	}
	assert.Empty(t, ts.requests())
}

func TestDomainRenewDomain(t *testing.T) {
	d := Domain{DomainName: "a.com", ExpirationDate: exp1, Premium: true}
	assert.Equal(t, RenewDomain{DomainName: "a.com", CurrentExpirationDate: exp1, Years: 2}, d.RenewDomain(2), "premium prices are not permitted unasked")
}
