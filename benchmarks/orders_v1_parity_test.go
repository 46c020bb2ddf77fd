package benchmarks_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/domain"

	"github.com/alidomain/alidomain"
)

// parityServer records the query of every request and answers as the
// order actions do.
type parityServer struct {
	*httptest.Server
	mu      sync.Mutex
	queries []url.Values
}

func newParityServer(t *testing.T) *parityServer {
	ps := &parityServer{}
	ps.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ps.mu.Lock()
		ps.queries = append(ps.queries, r.URL.Query())
		ps.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"RequestId":"R-1","TaskNo":"T-1"}`)
	}))
	t.Cleanup(ps.Close)
	return ps
}

func (ps *parityServer) last(t *testing.T) url.Values {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if len(ps.queries) == 0 {
		t.Fatal("no request received")
	}
	return ps.queries[len(ps.queries)-1]
}

// paritySigned are the parameters that change per attempt: only their
// presence is compared. v1Only are the common parameters the v1 SDK adds
// and alidomain does not send (docs/wire.md, Signature V2), with their values.
var (
	paritySigned = []string{"Signature", "SignatureNonce", "Timestamp"}
	v1Only       = map[string]string{"RegionId": "cn-hangzhou", "SignatureType": ""}
)

// compareWithV1 checks that alidomain sent exactly what v1 sent for the
// same input, masking only the signed per-attempt parameters, apart from
// v1's own RegionId and SignatureType.
func compareWithV1(t *testing.T, ours, v1 url.Values) {
	t.Helper()
	flat := func(q url.Values, drop map[string]string) map[string]string {
		m := map[string]string{}
		for k, vs := range q {
			if len(vs) != 1 {
				t.Errorf("%s sent %d times", k, len(vs))
			}
			if _, ok := drop[k]; ok {
				continue
			}
			m[k] = vs[0]
		}
		for _, k := range paritySigned {
			if m[k] == "" {
				t.Errorf("%s missing", k)
			}
			delete(m, k)
		}
		return m
	}
	for k, v := range v1Only {
		if got, ok := v1[k]; !ok || got[0] != v {
			t.Errorf("v1 did not send %s=%q (got %q): the expected difference changed", k, v, got)
		}
		if _, ok := ours[k]; ok {
			t.Errorf("alidomain sent %s", k)
		}
	}
	a, b := flat(ours, nil), flat(v1, v1Only)
	for k, v := range b {
		if a[k] != v {
			t.Errorf("%s: alidomain sent %q, v1 %q", k, a[k], v)
		}
	}
	for k, v := range a {
		if _, ok := b[k]; !ok {
			t.Errorf("%s=%q sent by alidomain only", k, v)
		}
	}
	if len(a) < 8 {
		t.Errorf("only %d parameters compared", len(a))
	}
}

// parityNames are 12 names (a list above 9 entries), some not ASCII.
func parityNames() []string {
	names := make([]string, 12)
	for i := range names {
		names[i] = fmt.Sprintf("p%d.example", i+1)
	}
	names[1], names[9], names[11] = "例子.中国", "bücher.de", "xn--bcher-kva.ch" // one already in punycode; not the same domain as another entry
	return names
}

func parityClients(t *testing.T) (*alidomain.Client, *domain.Client, *parityServer, string) {
	ps := newParityServer(t)
	// Params: the parameters where v1 puts them (the query), whatever the URL length.
	c, err := alidomain.New(alidomain.Options{Endpoint: ps.URL, Credentials: alidomain.StaticCredentials("testid", "testsecret"), Params: alidomain.ParamsQuery})
	if err != nil {
		t.Fatal(err)
	}
	v1, err := domain.NewClientWithAccessKey("cn-hangzhou", "testid", "testsecret")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(ps.URL)
	return c, v1, ps, u.Host
}

func v1Rpc(r *requests.RpcRequest, host string) {
	r.Scheme, r.Domain = "http", host
}

// For each of the six order actions of renew, transfer and register, the
// parameters alidomain sends equal those of the official v1 SDK for the
// same input, lists above 9 entries and non-ASCII names included.
func TestOrdersSendWhatV1Sends(t *testing.T) {
	ctx := context.Background()
	names := parityNames()
	exp := func(i int) time.Time { return time.UnixMilli(1700000000000 + int64(i)*86400000) }
	ms := func(i int) string { return strconv.FormatInt(exp(i).UnixMilli(), 10) }
	code := func(i int) string { return fmt.Sprintf("Ab1#x y+z&q=%d", i) }

	t.Run("SaveBatchTaskForCreatingOrderRenew", func(t *testing.T) {
		c, v1, ps, host := parityClients(t)
		req := &alidomain.BatchRenewRequest{UseCoupon: true, CouponNo: "C 1", UserClientIP: "127.0.0.1", Lang: "en"}
		var items []domain.SaveBatchTaskForCreatingOrderRenewOrderRenewParam
		for i, n := range names {
			req.Domains = append(req.Domains, alidomain.RenewDomain{DomainName: n, CurrentExpirationDate: exp(i), Years: i%10 + 1})
			items = append(items, domain.SaveBatchTaskForCreatingOrderRenewOrderRenewParam{DomainName: n, CurrentExpirationDate: ms(i), SubscriptionDuration: strconv.Itoa(i%10 + 1)})
		}
		if _, err := c.Renew.SubmitBatch(ctx, req); err != nil {
			t.Fatal(err)
		}
		ours := ps.last(t)
		r := domain.CreateSaveBatchTaskForCreatingOrderRenewRequest()
		v1Rpc(r.RpcRequest, host)
		r.OrderRenewParam = &items
		r.UseCoupon, r.CouponNo, r.UsePromotion, r.UserClientIp, r.Lang = requests.NewBoolean(true), "C 1", requests.NewBoolean(false), "127.0.0.1", "en"
		if _, err := v1.SaveBatchTaskForCreatingOrderRenew(r); err != nil {
			t.Fatal(err)
		}
		compareWithV1(t, ours, ps.last(t))
	})

	t.Run("SaveSingleTaskForCreatingOrderRenew", func(t *testing.T) {
		c, v1, ps, host := parityClients(t)
		if _, err := c.Renew.Submit(ctx, &alidomain.RenewRequest{DomainName: names[1], CurrentExpirationDate: exp(1), Years: 3, UsePromotion: true, PromotionNo: "P*1"}); err != nil {
			t.Fatal(err)
		}
		ours := ps.last(t)
		r := domain.CreateSaveSingleTaskForCreatingOrderRenewRequest()
		v1Rpc(r.RpcRequest, host)
		r.DomainName, r.CurrentExpirationDate, r.SubscriptionDuration = names[1], requests.Integer(ms(1)), requests.NewInteger(3)
		r.UseCoupon, r.UsePromotion, r.PromotionNo = requests.NewBoolean(false), requests.NewBoolean(true), "P*1"
		if _, err := v1.SaveSingleTaskForCreatingOrderRenew(r); err != nil {
			t.Fatal(err)
		}
		compareWithV1(t, ours, ps.last(t))
	})

	t.Run("SaveBatchTaskForCreatingOrderTransfer", func(t *testing.T) {
		c, v1, ps, host := parityClients(t)
		req := &alidomain.BatchTransferRequest{Lang: "zh"}
		var items []domain.SaveBatchTaskForCreatingOrderTransferOrderTransferParam
		for i, n := range names {
			req.Domains = append(req.Domains, alidomain.TransferDomain{DomainName: n, AuthorizationCode: code(i), RegistrantProfileID: 123456 + int64(i), PermitPremium: i == 4})
			it := domain.SaveBatchTaskForCreatingOrderTransferOrderTransferParam{DomainName: n, AuthorizationCode: code(i), RegistrantProfileId: strconv.Itoa(123456 + i)}
			if i == 4 {
				it.PermitPremiumTransfer = "true"
			}
			items = append(items, it)
		}
		if _, err := c.Transfer.SubmitBatch(ctx, req); err != nil {
			t.Fatal(err)
		}
		ours := ps.last(t)
		r := domain.CreateSaveBatchTaskForCreatingOrderTransferRequest()
		v1Rpc(r.RpcRequest, host)
		r.OrderTransferParam = &items
		r.UseCoupon, r.UsePromotion, r.Lang = requests.NewBoolean(false), requests.NewBoolean(false), "zh"
		if _, err := v1.SaveBatchTaskForCreatingOrderTransfer(r); err != nil {
			t.Fatal(err)
		}
		compareWithV1(t, ours, ps.last(t))
	})

	t.Run("SaveSingleTaskForCreatingOrderTransfer", func(t *testing.T) {
		c, v1, ps, host := parityClients(t)
		td := alidomain.TransferDomain{DomainName: names[9], AuthorizationCode: code(9), RegistrantProfileID: 9007199254740993, PermitPremium: true}
		if _, err := c.Transfer.Submit(ctx, &alidomain.TransferRequest{TransferDomain: td, UseCoupon: true, CouponNo: "C"}); err != nil {
			t.Fatal(err)
		}
		ours := ps.last(t)
		r := domain.CreateSaveSingleTaskForCreatingOrderTransferRequest()
		v1Rpc(r.RpcRequest, host)
		r.DomainName, r.AuthorizationCode, r.RegistrantProfileId, r.PermitPremiumTransfer = names[9], code(9), requests.Integer("9007199254740993"), requests.NewBoolean(true)
		r.UseCoupon, r.CouponNo, r.UsePromotion = requests.NewBoolean(true), "C", requests.NewBoolean(false)
		if _, err := v1.SaveSingleTaskForCreatingOrderTransfer(r); err != nil {
			t.Fatal(err)
		}
		compareWithV1(t, ours, ps.last(t))
	})

	full := alidomain.RegisterDomain{
		Years: 2, RegistrantProfileID: 8123456789, AliyunDNS: alidomain.Ptr(false), DNS1: "ns1.example.org", DNS2: "ns2.example.org",
		EnableDomainProxy: alidomain.Ptr(true), PermitPremium: true, TrademarkDomainActivation: true, ResourceGroupID: "rg-XX",
		RegistrantType: "2", RegistrantOrganization: "Org Ltd", RegistrantName: "zhang san", Country: "CN",
		Province: "bei jing", City: "bei jing shi", Address: "chao yang qu 1#", PostalCode: "102629",
		Email: "u+1@example.com", TelArea: "86", Telephone: "18200000000", TelExt: "1234",
		ZhRegistrantOrganization: "测试公司", ZhRegistrantName: "张三", ZhProvince: "北京", ZhCity: "北京市", ZhAddress: "朝阳区",
	}
	v1Full := func(name string) domain.SaveBatchTaskForCreatingOrderActivateOrderActivateParam {
		return domain.SaveBatchTaskForCreatingOrderActivateOrderActivateParam{
			DomainName: name, SubscriptionDuration: "2", RegistrantProfileId: "8123456789", AliyunDns: "false", Dns1: "ns1.example.org", Dns2: "ns2.example.org",
			EnableDomainProxy: "true", PermitPremiumActivation: "true", TrademarkDomainActivation: "true", ResourceGroupId: "rg-XX",
			RegistrantType: "2", RegistrantOrganization: "Org Ltd", RegistrantName: "zhang san", Country: "CN",
			Province: "bei jing", City: "bei jing shi", Address: "chao yang qu 1#", PostalCode: "102629",
			Email: "u+1@example.com", TelArea: "86", Telephone: "18200000000", TelExt: "1234",
			ZhRegistrantOrganization: "测试公司", ZhRegistrantName: "张三", ZhProvince: "北京", ZhCity: "北京市", ZhAddress: "朝阳区",
		}
	}

	t.Run("SaveBatchTaskForCreatingOrderActivate", func(t *testing.T) {
		c, v1, ps, host := parityClients(t)
		req := &alidomain.BatchRegisterRequest{UserClientIP: "::1"}
		var items []domain.SaveBatchTaskForCreatingOrderActivateOrderActivateParam
		for i, n := range names {
			if i%2 == 0 {
				d := full
				d.DomainName = n
				req.Domains = append(req.Domains, d)
				items = append(items, v1Full(n))
				continue
			}
			// The zero value sends what v1 sends unasked: neither AliyunDns nor EnableDomainProxy.
			req.Domains = append(req.Domains, alidomain.RegisterDomain{DomainName: n, Years: 1, RegistrantProfileID: 5})
			items = append(items, domain.SaveBatchTaskForCreatingOrderActivateOrderActivateParam{DomainName: n, SubscriptionDuration: "1", RegistrantProfileId: "5"})
		}
		if _, err := c.Register.SubmitBatch(ctx, req); err != nil {
			t.Fatal(err)
		}
		ours := ps.last(t)
		r := domain.CreateSaveBatchTaskForCreatingOrderActivateRequest()
		v1Rpc(r.RpcRequest, host)
		r.OrderActivateParam = &items
		r.UseCoupon, r.UsePromotion, r.UserClientIp = requests.NewBoolean(false), requests.NewBoolean(false), "::1"
		if _, err := v1.SaveBatchTaskForCreatingOrderActivate(r); err != nil {
			t.Fatal(err)
		}
		compareWithV1(t, ours, ps.last(t))
	})

	t.Run("SaveSingleTaskForCreatingOrderActivate", func(t *testing.T) {
		c, v1, ps, host := parityClients(t)
		d := full
		d.DomainName = names[1]
		if _, err := c.Register.Submit(ctx, &alidomain.RegisterRequest{RegisterDomain: d, Lang: "en"}); err != nil {
			t.Fatal(err)
		}
		ours := ps.last(t)
		r := domain.CreateSaveSingleTaskForCreatingOrderActivateRequest()
		v1Rpc(r.RpcRequest, host)
		p := v1Full(names[1])
		r.DomainName, r.SubscriptionDuration, r.RegistrantProfileId = p.DomainName, requests.NewInteger(2), requests.Integer(p.RegistrantProfileId)
		r.AliyunDns, r.Dns1, r.Dns2 = requests.NewBoolean(false), p.Dns1, p.Dns2
		r.EnableDomainProxy, r.PermitPremiumActivation, r.TrademarkDomainActivation = requests.NewBoolean(true), requests.NewBoolean(true), requests.NewBoolean(true)
		r.ResourceGroupId, r.RegistrantType, r.RegistrantOrganization, r.RegistrantName = p.ResourceGroupId, p.RegistrantType, p.RegistrantOrganization, p.RegistrantName
		r.Country, r.Province, r.City, r.Address, r.PostalCode = p.Country, p.Province, p.City, p.Address, p.PostalCode
		r.Email, r.TelArea, r.Telephone, r.TelExt = p.Email, p.TelArea, p.Telephone, p.TelExt
		r.ZhRegistrantOrganization, r.ZhRegistrantName, r.ZhProvince, r.ZhCity, r.ZhAddress = p.ZhRegistrantOrganization, p.ZhRegistrantName, p.ZhProvince, p.ZhCity, p.ZhAddress
		r.UseCoupon, r.UsePromotion, r.Lang = requests.NewBoolean(false), requests.NewBoolean(false), "en"
		if _, err := v1.SaveSingleTaskForCreatingOrderActivate(r); err != nil {
			t.Fatal(err)
		}
		compareWithV1(t, ours, ps.last(t))
	})
}
