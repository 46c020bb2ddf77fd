package alidomaintest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// The demo account, seen through the SDK: what expires within 30 days and
// what is in its redemption period.
func ExampleServer_AddDemoAccount() {
	srv := alidomaintest.NewServer()
	defer srv.Close()
	srv.AddDemoAccount()
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    srv.URL,
		Credentials: alidomain.StaticCredentials(srv.AccessKeyID, srv.AccessKeySecret),
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	count := func(req *alidomain.ListDomainsRequest) (n int) {
		for _, err := range client.Domains.ListIter(ctx, req) {
			if err != nil {
				log.Fatal(err)
			}
			n++
		}
		return n
	}
	now := time.Now()
	fmt.Println("domains:", count(&alidomain.ListDomainsRequest{}))
	fmt.Println("expiring within 30 days:", count(&alidomain.ListDomainsRequest{
		StartExpirationDate: now, EndExpirationDate: now.AddDate(0, 0, 30)}))
	fmt.Println("in redemption:", count(&alidomain.ListDomainsRequest{QueryType: alidomain.QueryNeedsRedemption}))
	fmt.Println("transferable:", alidomaintest.DemoTransfers()[0].DomainName)
	// Output:
	// domains: 30
	// expiring within 30 days: 8
	// in redemption: 5
	// transferable: acme-transfer.com
}

// demoCall calls action on srv through the SDK and returns its answer as
// JSON text.
func demoCall(t *testing.T, client *alidomain.Client, action string, params ...string) string {
	t.Helper()
	v := url.Values{}
	for _, p := range params {
		k, val, _ := strings.Cut(p, "=")
		v.Add(k, val)
	}
	var out map[string]any
	if _, err := client.Call(context.Background(), &alidomain.CallRequest{Action: action, Params: v}, &out); err != nil {
		t.Fatalf("%s %v: %v", action, params, err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDemoAccountHoldsWhatItsDocSays checks each claim of AddDemoAccount's
// doc through the API, and that its task writes and orders behave as it
// says (the update lock refuses a name server change; the unverified
// profile refuses an order; the transfer codes and available names work).
func TestDemoAccountHoldsWhatItsDocSays(t *testing.T) {
	srv := alidomaintest.NewServer()
	defer srv.Close()
	srv.AddDemoAccount()
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    srv.URL,
		Credentials: alidomain.StaticCredentials(srv.AccessKeyID, srv.AccessKeySecret),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// Statuses.
	want := map[string]int{
		"acme-shop.com": alidomaintest.StatusNeedsRenewal, "例子.cn": alidomaintest.StatusNeedsRenewal,
		"acme-api.io": alidomaintest.StatusNormal, "acme-old.com": alidomaintest.StatusNeedsRedemption,
		"acme-expired.info": alidomaintest.StatusNeedsRedemption, "acme-14.com": alidomaintest.StatusNormal,
	}
	for name, st := range want {
		info, ok := srv.Domain(name)
		if !ok || info.Status != st {
			t.Errorf("%s: %+v %v, want status %d", name, info, ok, st)
		}
	}
	if info, _ := srv.Domain("acme.vip"); !info.Premium {
		t.Error("acme.vip is not premium")
	}
	if info, _ := srv.Domain("acme-12.com"); info.Remark == "" {
		t.Error("acme-12.com has no remark")
	}
	if info, _ := srv.Domain("acme-01.com"); !info.AutoRenew {
		t.Error("acme-01.com does not renew itself")
	}
	needRenewal := 0
	for _, err := range client.Domains.ListIter(ctx, &alidomain.ListDomainsRequest{QueryType: alidomain.QueryNeedsRenewal}) {
		if err != nil {
			t.Fatal(err)
		}
		needRenewal++
	}
	if needRenewal != 4 {
		t.Errorf("%d domains need renewal, want 4", needRenewal)
	}

	// Prices: every order kind, CNY and USD; none for acme-legacy.xyz.
	prices, err := client.Domains.Price(ctx, &alidomain.PriceRequest{Currency: "USD", Items: []alidomain.PriceItem{
		{DomainName: "acme-shop.com", Action: alidomain.PriceRenew, Years: 1},
		{DomainName: "acme-old.com", Action: alidomain.PriceRestore, Years: 1},
		{DomainName: "acme-legacy.xyz", Action: alidomain.PriceRenew, Years: 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(prices.Prices) != 3 || prices.Prices[0].Price <= 0 || prices.Prices[1].Price <= prices.Prices[0].Price ||
		prices.Prices[2].Avail == alidomain.AvailOrderable {
		t.Errorf("prices: %+v", prices.Prices)
	}

	// Name servers, locks, privacy, resource groups, glue and DS records,
	// transfer out, groups, profiles, mailboxes, as the answers show them.
	checks := []struct {
		action string
		params []string
		want   []string
	}{
		{"QueryDomainByDomainName", []string{"DomainName=acme-04.com"}, []string{`"ns1.example-dns.net"`, `"TransferProhibitionLock":"CLOSE"`}},
		{"QueryDomainByDomainName", []string{"DomainName=acme-06.com"}, []string{`"TransferProhibitionLock":"OPEN"`, `"UpdateProhibitionLock":"CLOSE"`}},
		{"QueryDomainByDomainName", []string{"DomainName=acme-08.com"}, []string{`"TransferProhibitionLock":"OPEN"`, `"UpdateProhibitionLock":"OPEN"`}},
		{"QueryDomainByDomainName", []string{"DomainName=acme-10.com"}, []string{`"DomainNameProxyService":true`}},
		{"QueryDomainByDomainName", []string{"DomainName=acme-13.com"}, []string{`"ResourceGroupId":"rg-acme-prod"`}},
		{"QueryDomainByDomainName", []string{"DomainName=acme-cdn.net"}, []string{`"ns2.acme-cdn.net"`, `"DomainGroupName":"mail"`}},
		{"QueryDnsHost", []string{"InstanceId=" + instanceID(t, client, "acme-cdn.net")}, []string{"ns1.acme-cdn.net", "192.0.2.53", "198.51.100.53"}},
		{"QueryDSRecord", []string{"DomainName=acme-cdn.net"}, []string{"12345"}},
		{"QueryTransferOutInfo", []string{"DomainName=acme-14.com"}, []string{`"Status":1`, "PendingRequestDate"}},
		{"QueryDomainGroupList", nil, []string{`"DomainGroupName":"web"`, `"DomainGroupName":"mail"`}},
		{"QueryRegistrantProfiles", []string{"RegistrantProfileId=20001"}, []string{`"RealNameStatus":"SUCCEED"`, `"DefaultRegistrantProfile":true`}},
		{"QueryRegistrantProfiles", []string{"RegistrantProfileId=20002"}, []string{`"RealNameStatus":"FAILED"`}},
		{"QueryFailReasonForRegistrantProfileRealNameVerification", []string{"UserClientIp=127.0.0.1", "RegistrantProfileID=20002"}, []string{"the identity document is unreadable"}},
		{"ListEmailVerification", []string{"PageNum=1", "PageSize=10"}, []string{"registrant@example.com", "hostmaster@acme-shop.com"}},
	}
	for _, c := range checks {
		got := demoCall(t, client, c.action, c.params...)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s %v: no %s in %s", c.action, c.params, w, got)
			}
		}
	}
	if _, ok := srv.EmailVerificationToken("hostmaster@acme-shop.com"); !ok {
		t.Error("hostmaster@acme-shop.com waits for no token")
	}

	// The update lock refuses a name server change of acme-08.com, not of
	// acme-07.com.
	var task struct{ TaskNo string }
	if _, err := client.Call(ctx, &alidomain.CallRequest{Action: "SaveBatchTaskForModifyingDomainDns", Params: url.Values{
		"DomainName.1": {"acme-07.com"}, "DomainName.2": {"acme-08.com"}, "AliyunDns": {"false"},
		"DomainNameServer.1": {"ns1.example.net"}, "DomainNameServer.2": {"ns2.example.net"},
	}}, &task); err != nil {
		t.Fatal(err)
	}
	report, err := client.Tasks.Wait(ctx, task.TaskNo, &alidomain.WaitOptions{PollInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if f := report.Failed(); len(report.Details) != 2 || len(f) != 1 || f[0].DomainName != "acme-08.com" {
		t.Errorf("name server change: %+v", report.Details)
	}

	// The transfer codes and available names order; the unverified
	// profile is refused.
	var transfer alidomain.BatchTransferRequest
	for _, tr := range alidomaintest.DemoTransfers() {
		transfer.Domains = append(transfer.Domains, alidomain.TransferDomain{DomainName: tr.DomainName,
			AuthorizationCode: tr.AuthorizationCode, RegistrantProfileID: alidomaintest.DemoRegistrantProfileID})
	}
	res, err := client.Transfer.SubmitBatch(ctx, &transfer)
	if err != nil {
		t.Fatal(err)
	}
	if report, err = client.Tasks.Wait(ctx, res.TaskNo, &alidomain.WaitOptions{PollInterval: 10 * time.Millisecond}); err != nil || len(report.Failed()) != 0 || len(report.Details) != 3 {
		t.Errorf("transfers: %v %+v", err, report)
	}
	register := func(profile int64) error {
		var req alidomain.BatchRegisterRequest
		for _, name := range alidomaintest.DemoAvailable() {
			req.Domains = append(req.Domains, alidomain.RegisterDomain{DomainName: name, Years: 1, RegistrantProfileID: profile})
		}
		res, err := client.Register.SubmitBatch(ctx, &req)
		if err != nil {
			return err
		}
		report, err := client.Tasks.Wait(ctx, res.TaskNo, &alidomain.WaitOptions{PollInterval: 10 * time.Millisecond})
		if err == nil && (len(report.Failed()) != 0 || len(report.Details) != 4) {
			err = fmt.Errorf("report %+v", report.Details)
		}
		return err
	}
	if err := register(alidomaintest.DemoUnverifiedProfileID); err == nil {
		t.Error("a registration naming the unverified profile was accepted")
	}
	if err := register(alidomaintest.DemoRegistrantProfileID); err != nil {
		t.Error(err)
	}
	if n := srv.OrdersOf(alidomaintest.KindRegister, "新域名.cn"); n != 1 {
		t.Errorf("新域名.cn registered %d times", n)
	}
}

// instanceID returns the domain's instance id, as QueryDnsHost takes it.
func instanceID(t *testing.T, client *alidomain.Client, name string) string {
	t.Helper()
	d, err := client.Domains.Get(context.Background(), &alidomain.GetDomainRequest{DomainName: name})
	if err != nil {
		t.Fatal(err)
	}
	return d.InstanceID
}
