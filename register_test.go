package alidomain

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	actionBatchRegister  = "SaveBatchTaskForCreatingOrderActivate"
	actionSingleRegister = "SaveSingleTaskForCreatingOrderActivate"
)

// fullRegisterDomain sets every one of the 27 fields, each to a distinct
// value, and returns the wire parameters it must produce under prefix.
func fullRegisterDomain(name, prefix string) (RegisterDomain, map[string]string) {
	d := RegisterDomain{
		DomainName: name, Years: 7, RegistrantProfileID: 8123456789, AliyunDNS: Ptr(false),
		DNS1: "ns1.example.org", DNS2: "ns2.example.org", EnableDomainProxy: Ptr(true), PermitPremium: true,
		TrademarkDomainActivation: true, ResourceGroupID: "rg-XX",
		RegistrantType: "2", RegistrantOrganization: "Org Ltd", RegistrantName: "zhang san", Country: "CN",
		Province: "bei jing", City: "bei jing shi", Address: "chao yang qu 1#", PostalCode: "102629",
		Email: "u+1@example.com", TelArea: "86", Telephone: "18200000000", TelExt: "1234",
		ZhRegistrantOrganization: "测试公司", ZhRegistrantName: "张三", ZhProvince: "北京", ZhCity: "北京市", ZhAddress: "朝阳区",
	}
	want := map[string]string{
		"DomainName": name, "SubscriptionDuration": "7", "RegistrantProfileId": "8123456789", "AliyunDns": "false",
		"Dns1": "ns1.example.org", "Dns2": "ns2.example.org", "EnableDomainProxy": "true", "PermitPremiumActivation": "true",
		"TrademarkDomainActivation": "true", "ResourceGroupId": "rg-XX",
		"RegistrantType": "2", "RegistrantOrganization": "Org Ltd", "RegistrantName": "zhang san", "Country": "CN",
		"Province": "bei jing", "City": "bei jing shi", "Address": "chao yang qu 1#", "PostalCode": "102629",
		"Email": "u+1@example.com", "TelArea": "86", "Telephone": "18200000000", "TelExt": "1234",
		"ZhRegistrantOrganization": "测试公司", "ZhRegistrantName": "张三", "ZhProvince": "北京", "ZhCity": "北京市", "ZhAddress": "朝阳区",
	}
	out := make(map[string]string, len(want))
	for k, v := range want {
		out[prefix+k] = v
	}
	return d, out
}

func TestRegisterBatchSendsExactParameters(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionBatchRegister, 200, okBatch)
	req := &BatchRegisterRequest{UserClientIP: "::1"}
	want := map[string]string{"UseCoupon": "false", "UsePromotion": "false", "UserClientIp": "::1"}
	for i := 1; i <= 10; i++ {
		p := fmt.Sprintf("OrderActivateParam.%d.", i)
		name := fmt.Sprintf("r%d.example", i)
		switch i {
		case 1: // every field
			d, w := fullRegisterDomain("新しい.jp", p)
			require.Len(t, w, 27, "all 27 OrderActivateParam fields")
			req.Domains = append(req.Domains, d)
			for k, v := range w {
				want[k] = v
			}
			continue
		case 2: // defaults: AliyunDns and EnableDomainProxy not sent (the API's true), 0 years sent as 1
			req.Domains = append(req.Domains, RegisterDomain{DomainName: name, RegistrantProfileID: 5})
			want[p+"SubscriptionDuration"] = "1"
		case 3: // privacy off, asked for explicitly
			req.Domains = append(req.Domains, RegisterDomain{DomainName: name, Years: i, RegistrantProfileID: 5, EnableDomainProxy: Ptr(false)})
			want[p+"EnableDomainProxy"] = "false"
			want[p+"SubscriptionDuration"] = fmt.Sprint(i)
		default:
			req.Domains = append(req.Domains, RegisterDomain{DomainName: name, Years: i, RegistrantProfileID: 5, AliyunDNS: Ptr(true), EnableDomainProxy: Ptr(true)})
			want[p+"AliyunDns"], want[p+"EnableDomainProxy"] = "true", "true"
			want[p+"SubscriptionDuration"] = fmt.Sprint(i)
		}
		want[p+"DomainName"] = name
		want[p+"RegistrantProfileId"] = "5"
	}
	_, err := c.Register.SubmitBatch(context.Background(), req)
	require.NoError(t, err)
	require.Len(t, ts.requests(), 1)
	assertParams(t, commonParams(actionBatchRegister, want), ts.requests()[0].Query)
}

func TestRegisterSingleSendsExactParameters(t *testing.T) {
	c, ts := setup(t)
	ts.reply(actionSingleRegister, 200, okBatch)
	d, want := fullRegisterDomain("example.com", "")
	want["UseCoupon"], want["CouponNo"], want["UsePromotion"], want["Lang"] = "true", "C", "false", "zh"
	res, err := c.Register.Submit(context.Background(), &RegisterRequest{RegisterDomain: d, UseCoupon: true, CouponNo: "C", Lang: "zh"})
	require.NoError(t, err)
	assert.Equal(t, "TASK-1", res.TaskNo)
	assertParams(t, commonParams(actionSingleRegister, want), ts.requests()[0].Query)
}

func TestRegisterValidation(t *testing.T) {
	ok := func(name string) RegisterDomain {
		return RegisterDomain{DomainName: name, RegistrantProfileID: 1}
	}
	with := func(f func(*RegisterDomain)) RegisterDomain { d := ok("w.com"); f(&d); return d }
	tests := []struct {
		name  string
		d     RegisterDomain
		field string
	}{
		{"bad name", ok("a..com"), "DomainName"},
		{"11 years", with(func(d *RegisterDomain) { d.Years = 11 }), "Years"},
		{"no profile", with(func(d *RegisterDomain) { d.RegistrantProfileID = 0 }), "RegistrantProfileID"},
		{"own DNS without Dns1", with(func(d *RegisterDomain) { d.AliyunDNS = Ptr(false); d.DNS2 = "ns2.x.org" }), "DNS1"},
		{"own DNS without Dns2", with(func(d *RegisterDomain) { d.AliyunDNS = Ptr(false); d.DNS1 = "ns1.x.org" }), "DNS2"},
		{"bad Dns1", with(func(d *RegisterDomain) { d.AliyunDNS = Ptr(false); d.DNS1, d.DNS2 = "ns 1.x.org", "ns2.x.org" }), "DNS1"},
		{"same DNS twice", with(func(d *RegisterDomain) { d.AliyunDNS = Ptr(false); d.DNS1, d.DNS2 = "ns1.x.org", "NS1.x.org" }), "DNS2"},
		{"registrant type", with(func(d *RegisterDomain) { d.RegistrantType = "3" }), "RegistrantType"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ts := setup(t)
			ts.reply(actionBatchRegister, 200, okBatch)
			ts.reply(actionSingleRegister, 200, okBatch)
			batch := &BatchRegisterRequest{Domains: []RegisterDomain{ok("first.com"), tt.d}}
			requireValidationField(t, batch.Validate(), "Domains[1]."+tt.field)
			_, err := c.Register.SubmitBatch(context.Background(), batch)
			requireValidationField(t, err, "Domains[1]."+tt.field)
			_, err = c.Register.Submit(context.Background(), &RegisterRequest{RegisterDomain: tt.d})
			requireValidationField(t, err, tt.field)
			assert.Empty(t, ts.requests(), "an invalid request was sent")
		})
	}
	var nilBatch *BatchRegisterRequest
	requireValidationField(t, nilBatch.Validate(), "BatchRegisterRequest")
	var nilReq *RegisterRequest
	requireValidationField(t, nilReq.Validate(), "RegisterRequest")
	requireValidationField(t, (&BatchRegisterRequest{}).Validate(), "Domains")
	requireValidationField(t, (&BatchRegisterRequest{Domains: []RegisterDomain{ok("a.com"), ok("b.com"), ok("A.COM")}}).Validate(), "Domains[2].DomainName")
	requireValidationField(t, (&RegisterRequest{RegisterDomain: ok("a.com"), Lang: "jp"}).Validate(), "Lang")
	// Own name servers, given: valid; with AliyunDNS nil the service ignores them.
	assert.NoError(t, (&RegisterRequest{RegisterDomain: with(func(d *RegisterDomain) { d.AliyunDNS = Ptr(false); d.DNS1, d.DNS2 = "ns1.x.org", "ns2.x.org" })}).Validate())
	assert.NoError(t, (&RegisterRequest{RegisterDomain: with(func(d *RegisterDomain) { d.DNS1 = "not a name" })}).Validate())
}
