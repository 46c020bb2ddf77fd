package alidomaintest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// onlyDetail returns the single detail of a task for name.
func onlyDetail(t *testing.T, c *caller, taskNo, name string) map[string]any {
	t.Helper()
	got := detailsOf(t, c, taskNo)
	if len(got[name]) != 1 {
		t.Fatalf("%s: %d details in %v", name, len(got[name]), got)
	}
	return got[name][0]
}

func wantDetail(t *testing.T, d map[string]any, code int64, msg, typ string) {
	t.Helper()
	if num(t, d["TaskStatusCode"]) != code || d["ErrorMsg"] != msg || d["TaskType"] != typ {
		t.Errorf("%v: code %v msg %q type %v, want %d %q %s", d["DomainName"], d["TaskStatusCode"], d["ErrorMsg"], d["TaskType"], code, msg, typ)
	}
}

func TestRenewOrders(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now))
	c := newCaller(t, srv)
	exp := clock.Now().Add(30 * 24 * time.Hour)
	srv.AddDomain("ok.com", exp, Normal())
	srv.AddDomain("stale.com", exp, Normal())
	srv.AddDomain("redeem-me.com", exp, NeedsRedemption())
	srv.AddDomain("refused.com", exp, NeedsRenewal(), FailRenew("registry says no"))
	srv.AddDomain("premium.com", exp, Normal(), Premium())
	p := map[string]string{}
	for i, it := range []struct{ name, date, years, permit string }{
		{"ok.com", ms(exp), "2", ""},
		{"stale.com", ms(exp.Add(-time.Hour)), "1", ""},
		{"redeem-me.com", ms(exp), "1", ""},
		{"refused.com", ms(exp), "1", ""},
		{"premium.com", ms(exp), "1", "false"},
		{"nothere.com", ms(exp), "1", ""},
	} {
		base := "OrderRenewParam." + strconv.Itoa(i+1) + "."
		p[base+"DomainName"], p[base+"CurrentExpirationDate"] = it.name, it.date
		if it.years != "" {
			p[base+"SubscriptionDuration"] = it.years
		}
		if it.permit != "" {
			p[base+"PermitPremiumRenew"] = it.permit
		}
	}
	taskNo := c.ok(ActionSaveBatchTaskForCreatingOrderRenew, p)["TaskNo"].(string)
	wantDetail(t, onlyDetail(t, c, taskNo, "ok.com"), 2, MsgSuccess, "ORDER_RENEW")
	wantDetail(t, onlyDetail(t, c, taskNo, "stale.com"), 3, MsgExpirationMismatch, "ORDER_RENEW")
	wantDetail(t, onlyDetail(t, c, taskNo, "redeem-me.com"), 3, MsgNotRenewable, "ORDER_RENEW")
	wantDetail(t, onlyDetail(t, c, taskNo, "refused.com"), 3, "registry says no", "ORDER_RENEW")
	wantDetail(t, onlyDetail(t, c, taskNo, "premium.com"), 3, MsgPremiumNotPermitted, "ORDER_RENEW")
	wantDetail(t, onlyDetail(t, c, taskNo, "nothere.com"), 3, MsgDomainNotFound, "ORDER_RENEW")
	if info, _ := srv.Domain("ok.com"); !info.Expires.Equal(truncMS(exp).AddDate(2, 0, 0)) {
		t.Errorf("ok.com expires %v, want two years later", info.Expires)
	}
	if info, _ := srv.Domain("stale.com"); !info.Expires.Equal(truncMS(exp)) {
		t.Errorf("stale.com moved to %v", info.Expires)
	}
	for name, want := range map[string][2]int{"ok.com": {1, 1}, "stale.com": {0, 1}, "nothere.com": {0, 1}} {
		if srv.OrdersOf(KindRenew, name) != want[0] || srv.SubmissionsOf(KindRenew, name) != want[1] ||
			srv.OrdersOf(KindRedeem, name) != 0 || srv.Orders(name) != want[0] {
			t.Errorf("%s: renew orders %d submissions %d", name, srv.OrdersOf(KindRenew, name), srv.SubmissionsOf(KindRenew, name))
		}
	}
	ti := items(t, c.ok(ActionQueryTaskList, map[string]string{"Lang": "en"}), "TaskInfo")
	if len(ti) != 1 || ti[0]["TaskType"] != "ORDER_RENEW" || ti[0]["TaskTypeDescription"] != "Renew" || num(t, ti[0]["TaskNum"]) != 6 {
		t.Errorf("task list %v", ti)
	}

	// The stale one again with the right date, as a single renew, in XML.
	resp, body := c.do(ActionSaveSingleTaskForCreatingOrderRenew, call{params: map[string]string{"Format": "XML",
		"DomainName": "stale.com", "CurrentExpirationDate": ms(exp), "SubscriptionDuration": "3"}})
	var x struct {
		XMLName xml.Name
		TaskNo  string
	}
	if resp.StatusCode != 200 || xml.Unmarshal(body, &x) != nil || x.XMLName.Local != "SaveSingleTaskForCreatingOrderRenewResponse" || x.TaskNo == "" {
		t.Fatalf("single renew XML: %d %s", resp.StatusCode, body)
	}
	wantDetail(t, onlyDetail(t, c, x.TaskNo, "stale.com"), 2, MsgSuccess, "ORDER_RENEW")
	if info, _ := srv.Domain("stale.com"); !info.Expires.Equal(truncMS(exp).AddDate(3, 0, 0)) {
		t.Errorf("stale.com expires %v, want three years later", info.Expires)
	}
	// One paid order, two submissions: the stale date paid nothing.
	if srv.Orders("stale.com") != 1 || srv.Submissions("stale.com") != 2 {
		t.Errorf("stale.com: Orders %d Submissions %d", srv.Orders("stale.com"), srv.Submissions("stale.com"))
	}

	// Parameter errors reject the whole request.
	single := map[string]string{"DomainName": "ok.com", "CurrentExpirationDate": ms(exp)}
	c.apiErr(ActionSaveSingleTaskForCreatingOrderRenew, call{params: single}, 400, "MissingParameter")
	single["SubscriptionDuration"] = "11"
	c.apiErr(ActionSaveSingleTaskForCreatingOrderRenew, call{params: single}, 400, "InvalidParameter")
	single["SubscriptionDuration"], single["PermitPremiumRenew"] = "1", "maybe"
	c.apiErr(ActionSaveSingleTaskForCreatingOrderRenew, call{params: single}, 400, "InvalidParameter")
	c.apiErr(ActionSaveBatchTaskForCreatingOrderRenew, call{params: map[string]string{"OrderRenewParam.1.DomainName": "ok.com"}}, 400, "MissingParameter")
	if srv.SubmissionsOf(KindRenew, "ok.com") != 1 {
		t.Errorf("rejected requests were booked: %d", srv.SubmissionsOf(KindRenew, "ok.com"))
	}
}

const transferCode = "Ab1#x y+z&q=1"

func TestTransferOrders(t *testing.T) {
	srv := newTestServer(t, WithTransferTaskType("TRANSFER_IN_GUESS"))
	c := newCaller(t, srv)
	exp := time.Now().Add(100 * 24 * time.Hour)
	srv.AddTransferable("in.com", transferCode, exp)
	srv.AddTransferable("例子.cn", transferCode, exp, FailTransfer("losing registrar refused"))
	srv.AddRegistrantProfile(123456)
	const typ = "TRANSFER_IN_GUESS"

	var bodies []string
	ok := func(action string, p map[string]string) map[string]any {
		t.Helper()
		resp, body := c.do(action, call{params: p})
		bodies = append(bodies, string(body))
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", action, resp.StatusCode, body)
		}
		return decodeJSON(t, body)
	}
	single := func(name, code, profile string) string {
		return ok(ActionSaveSingleTaskForCreatingOrderTransfer, map[string]string{
			"DomainName": name, "AuthorizationCode": code, "RegistrantProfileId": profile})["TaskNo"].(string)
	}
	wrong := single("in.com", "Ab1#x y+z&q=2", "123456")
	wantDetail(t, onlyDetail(t, c, wrong, "in.com"), 3, MsgAuthCodeMismatch, typ)
	// An unknown or negative profile refuses the request: nothing submitted.
	for _, profile := range []string{"999", "-123456"} {
		m := c.apiErr(ActionSaveSingleTaskForCreatingOrderTransfer, call{params: map[string]string{
			"DomainName": "in.com", "AuthorizationCode": transferCode, "RegistrantProfileId": profile}}, 400, "InvalidParameter")
		bodies = append(bodies, fmt.Sprint(m))
		if !strings.Contains(m["Message"].(string), `"RegistrantProfileId"`) {
			t.Errorf("profile %s: Message %v", profile, m["Message"])
		}
	}
	if _, held := srv.Domain("in.com"); held {
		t.Fatal("a failed transfer brought the domain in")
	}
	good := single("IN.com", transferCode, "123456")
	wantDetail(t, onlyDetail(t, c, good, "IN.com"), 2, MsgSuccess, typ)
	info, held := srv.Domain("in.com")
	if !held || info.Status != StatusNormal || !info.Expires.Equal(truncMS(exp).AddDate(1, 0, 0)) {
		t.Errorf("after the transfer: %+v %v", info, held)
	}
	again := single("in.com", transferCode, "123456")
	wantDetail(t, onlyDetail(t, c, again, "in.com"), 3, MsgAlreadyInAccount, typ)

	batch := ok(ActionSaveBatchTaskForCreatingOrderTransfer, map[string]string{
		"OrderTransferParam.1.DomainName": "xn--fsqu00a.cn", "OrderTransferParam.1.AuthorizationCode": transferCode,
		"OrderTransferParam.1.RegistrantProfileId": "123456", "OrderTransferParam.1.PermitPremiumTransfer": "false",
		"OrderTransferParam.2.DomainName": "unknown.com", "OrderTransferParam.2.AuthorizationCode": transferCode,
		"OrderTransferParam.2.RegistrantProfileId": "123456",
	})["TaskNo"].(string)
	wantDetail(t, onlyDetail(t, c, batch, "xn--fsqu00a.cn"), 3, "losing registrar refused", typ)
	wantDetail(t, onlyDetail(t, c, batch, "unknown.com"), 3, MsgNotTransferable, typ)
	ti := items(t, ok(ActionQueryTaskList, nil), "TaskInfo")
	for _, task := range ti {
		bodies = append(bodies, task["TaskNo"].(string))
		if task["TaskType"] != typ {
			t.Errorf("task type %v", task["TaskType"])
		}
	}
	for _, no := range []string{wrong, good, again, batch} {
		resp, body := c.do(ActionQueryTaskDetailList, call{params: map[string]string{"TaskNo": no, "Format": "XML"}})
		if resp.StatusCode != 200 {
			t.Errorf("details XML: %d", resp.StatusCode)
		}
		bodies = append(bodies, string(body))
	}
	if srv.OrdersOf(KindTransfer, "in.com") != 1 || srv.SubmissionsOf(KindTransfer, "in.com") != 3 || srv.SubmissionsOf(KindTransfer, "例子.cn") != 1 {
		t.Errorf("books: %d %d %d", srv.OrdersOf(KindTransfer, "in.com"), srv.SubmissionsOf(KindTransfer, "in.com"), srv.SubmissionsOf(KindTransfer, "例子.cn"))
	}

	// Missing code: the request is refused, naming the parameter only.
	m := c.apiErr(ActionSaveBatchTaskForCreatingOrderTransfer, call{params: map[string]string{
		"OrderTransferParam.1.DomainName": "in.com", "OrderTransferParam.1.RegistrantProfileId": "1"}}, 400, "MissingParameter")
	if !strings.Contains(m["Message"].(string), "OrderTransferParam.1.AuthorizationCode") {
		t.Errorf("Message %v", m["Message"])
	}
	// A wrong signature: the echoed string to sign hides the code.
	resp, body := c.do(ActionSaveSingleTaskForCreatingOrderTransfer, call{secret: "wrong", params: map[string]string{
		"DomainName": "in.com", "AuthorizationCode": transferCode, "RegistrantProfileId": "1"}})
	if resp.StatusCode != 400 || !strings.Contains(string(body), "SignatureDoesNotMatch") || !strings.Contains(string(body), "AuthorizationCode%3D%252A%252A%252A%252A%252A%252A") {
		t.Errorf("wrong signature: %d %s", resp.StatusCode, body)
	}
	bodies = append(bodies, string(body))
	for _, b := range bodies {
		for _, form := range []string{transferCode, url.QueryEscape(transferCode), percentEncode(transferCode),
			percentEncode(percentEncode(transferCode)), "Ab1#x", "Ab1%23x", "y+z"} {
			if strings.Contains(b, form) {
				t.Errorf("the authorization code (%q) appears in an answer: %s", form, b)
			}
		}
	}
}

func TestRegisterOrders(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now))
	c := newCaller(t, srv)
	srv.AddAvailable("fresh.com")
	srv.AddAvailable("doomed.net", FailRegister(""))
	srv.AddAvailable("gold.com", Premium())
	srv.AddRegistrantProfile(7)
	srv.AddDomain("mine.com", clock.Now().AddDate(0, 3, 0), Normal())

	avail := func(name string) string {
		return c.ok(ActionCheckDomain, map[string]string{"DomainName": name})["Avail"].(string)
	}
	if avail("fresh.com") != "1" || avail("mine.com") != "0" || avail("never.org") != "0" {
		t.Errorf("Avail: %s %s %s", avail("fresh.com"), avail("mine.com"), avail("never.org"))
	}
	p := map[string]string{}
	for i, it := range []struct{ name, profile string }{
		{"fresh.com", "7"}, {"doomed.net", "7"}, {"gold.com", "7"}, {"mine.com", "7"}, {"never.org", "7"},
	} {
		base := "OrderActivateParam." + strconv.Itoa(i+1) + "."
		p[base+"DomainName"], p[base+"RegistrantProfileId"] = it.name, it.profile
	}
	p["OrderActivateParam.1.SubscriptionDuration"] = "2"
	p["OrderActivateParam.1.AliyunDns"] = "false"
	p["OrderActivateParam.1.Dns1"], p["OrderActivateParam.1.Dns2"] = "ns1.example.org", "ns2.example.org"
	taskNo := c.ok(ActionSaveBatchTaskForCreatingOrderActivate, p)["TaskNo"].(string)
	wantDetail(t, onlyDetail(t, c, taskNo, "fresh.com"), 2, MsgSuccess, "ORDER_ACTIVATE")
	wantDetail(t, onlyDetail(t, c, taskNo, "doomed.net"), 3, "the registration order failed", "ORDER_ACTIVATE")
	wantDetail(t, onlyDetail(t, c, taskNo, "gold.com"), 3, MsgPremiumNotPermitted, "ORDER_ACTIVATE")
	wantDetail(t, onlyDetail(t, c, taskNo, "mine.com"), 3, MsgAlreadyInAccount, "ORDER_ACTIVATE")
	wantDetail(t, onlyDetail(t, c, taskNo, "never.org"), 3, MsgNotAvailable, "ORDER_ACTIVATE")
	info, held := srv.Domain("fresh.com")
	if !held || info.Status != StatusNormal || !info.Expires.Equal(truncMS(clock.Now()).AddDate(2, 0, 0)) || !info.Registered.Equal(truncMS(clock.Now())) {
		t.Errorf("registered domain: %+v %v", info, held)
	}
	if avail("fresh.com") != "0" {
		t.Error("a registered name is still available")
	}
	if srv.OrdersOf(KindRegister, "fresh.com") != 1 || srv.Orders("doomed.net") != 0 || srv.Submissions("doomed.net") != 1 {
		t.Error("books wrong")
	}

	// Single registration: an unknown or missing profile, or AliyunDns=false
	// without Dns2, refuses the request.
	srv.AddAvailable("second.com")
	c.apiErr(ActionSaveSingleTaskForCreatingOrderActivate, call{params: map[string]string{"DomainName": "second.com", "RegistrantProfileId": "8"}}, 400, "InvalidParameter")
	c.apiErr(ActionSaveSingleTaskForCreatingOrderActivate, call{params: map[string]string{"DomainName": "second.com"}}, 400, "MissingParameter")
	m := c.apiErr(ActionSaveSingleTaskForCreatingOrderActivate, call{params: map[string]string{"DomainName": "second.com",
		"RegistrantProfileId": "7", "AliyunDns": "false", "Dns1": "ns1.example.org"}}, 400, "MissingParameter")
	if !strings.Contains(m["Message"].(string), `"Dns2"`) {
		t.Errorf("Message %v", m["Message"])
	}
	c.apiErr(ActionSaveSingleTaskForCreatingOrderActivate, call{params: map[string]string{"DomainName": "second.com",
		"RegistrantProfileId": "7", "SubscriptionDuration": "0"}}, 400, "InvalidParameter")
	if srv.SubmissionsOf(KindRegister, "second.com") != 0 {
		t.Errorf("refused registrations were booked: %d", srv.SubmissionsOf(KindRegister, "second.com"))
	}
}

func TestPrices(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	srv.AddDomain("a.com", time.Now().AddDate(0, 1, 0), Normal())
	srv.AddAvailable("gold.com", Premium())
	srv.SetPrice("a.com", PriceRenew, 12.5, "USD")
	srv.SetPrice("a.com", PriceTransfer, 9, "usd")
	srv.SetPrice("gold.com", PriceCreate, 1286, "USD")

	m := c.ok(ActionCheckDomain, map[string]string{"DomainName": "a.com", "FeePeriod": "2"})
	var pi []map[string]any
	for _, v := range m["StaticPriceInfo"].(map[string]any)["PriceInfo"].([]any) {
		pi = append(pi, v.(map[string]any))
	}
	if len(pi) != 2 || pi[0]["action"] != "renew" || fnum(t, pi[0]["money"]) != 25 || num(t, pi[0]["period"]) != 2 || pi[1]["action"] != "transfer" || fnum(t, pi[1]["money"]) != 18 {
		t.Errorf("price info %v", pi)
	}
	m = c.ok(ActionCheckDomain, map[string]string{"DomainName": "gold.com", "FeeCommand": "create"})
	if m["Avail"] != "1" || m["Premium"] != "true" || num(t, m["Price"]) != 1286 {
		t.Errorf("premium check %v", m)
	}
	c.apiErr(ActionCheckDomain, call{params: map[string]string{"DomainName": "a.com", "FeeCommand": "steal"}}, 400, "InvalidParameter")

	m = c.ok(ActionQueryDomainRealTimePrice, map[string]string{"Currency": "USD",
		"DomainItem": `[{"Action":"renew","DomainName":"a.com","Period":3,"Suffix":"com"},{"Action":"renew","DomainName":"b.com"}]`})
	if m["Success"] != true || num(t, m["HttpStatusCode"]) != 200 {
		t.Fatalf("real-time price %v", m)
	}
	dp := m["Module"].(map[string]any)["DomainPrices"].([]any)
	first, second := dp[0].(map[string]any), dp[1].(map[string]any)
	if len(dp) != 2 || first["DomainName"] != "a.com" || fnum(t, first["Price"]) != 37.5 || num(t, first["Avail"]) != 1 || num(t, first["Period"]) != 3 ||
		num(t, second["Avail"]) != 0 || second["Reason"] == "" || fnum(t, second["Price"]) != 0 {
		t.Errorf("DomainPrices %v", dp)
	}
	// Bad items: a business error inside HTTP 200, never a price.
	for _, raw := range []string{`not json`, `[]`, `[{"Action":"steal","DomainName":"a.com"}]`, `[{"Action":"renew"}]`, `[{"Action":"renew","DomainName":"a.com","Period":11}]`} {
		m = c.ok(ActionQueryDomainRealTimePrice, map[string]string{"Currency": "USD", "DomainItem": raw})
		if m["Success"] != false || m["ErrorCode"] != "3002" || m["Module"] != nil {
			t.Errorf("%s: %v", raw, m)
		}
	}
	c.apiErr(ActionQueryDomainRealTimePrice, call{params: map[string]string{"DomainItem": "[]"}}, 400, "MissingParameter")

	// An injected business error, in JSON then XML.
	srv.Inject(ActionQueryDomainRealTimePrice, InBodyError("5001", "system busy"), InBodyError("5002", "later"))
	good := map[string]string{"Currency": "USD", "DomainItem": `[{"Action":"renew","DomainName":"a.com"}]`}
	m = c.ok(ActionQueryDomainRealTimePrice, good)
	if m["Success"] != false || m["ErrorCode"] != "5001" || m["ErrorMsg"] != "system busy" || num(t, m["HttpStatusCode"]) != 400 || m["Module"] != nil {
		t.Errorf("injected: %v", m)
	}
	good["Format"] = "XML"
	resp, body := c.do(ActionQueryDomainRealTimePrice, call{params: good})
	var x struct {
		XMLName   xml.Name
		Success   bool
		ErrorCode string
	}
	if resp.StatusCode != 200 || xml.Unmarshal(body, &x) != nil || x.XMLName.Local != "QueryDomainRealTimePriceResponse" || x.Success || x.ErrorCode != "5002" {
		t.Errorf("injected XML: %d %s", resp.StatusCode, body)
	}
	resp, body = c.do(ActionQueryDomainRealTimePrice, call{params: good})
	var ok struct {
		Success bool
		Module  struct {
			DomainPrices []struct{ Price float64 }
		}
	}
	if resp.StatusCode != 200 || xml.Unmarshal(body, &ok) != nil || !ok.Success || len(ok.Module.DomainPrices) != 1 || ok.Module.DomainPrices[0].Price != 12.5 {
		t.Errorf("XML price: %s", body)
	}
	// Elsewhere the in-body error has Code and no data.
	srv.Inject(ActionQueryDomainList, InBodyError("ServiceUnavailable", "busy"))
	m = c.ok(ActionQueryDomainList, nil)
	if m["Code"] != "ServiceUnavailable" || m["Data"] != nil || m["TotalItemNum"] != nil {
		t.Errorf("in-body error on a list: %v", m)
	}
}

func TestAutoRenewAndDomainLookup(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	exp := time.Now().AddDate(0, 2, 0)
	srv.AddDomain("例子.cn", exp, Normal(), InstanceID("S2019TEST1"), Group("42", "shop"), Remark("r"))
	srv.AddDomain("b.com", exp, Normal(), AutoRenew())

	autoOf := func(filter string) map[string]bool {
		out := map[string]bool{}
		p := map[string]string{}
		if filter != "" {
			p["AutoRenewEnabled"] = filter
		}
		for _, d := range items(t, c.ok(listDomains, p), "Domain") {
			out[d["DomainName"].(string)] = d["AutoRenewEnabled"].(bool)
		}
		return out
	}
	if got := autoOf(""); len(got) != 2 || got["例子.cn"] || !got["b.com"] {
		t.Errorf("before: %v", got)
	}
	m := c.ok(ActionSetupDomainAutoRenew, map[string]string{"InstanceId": "S2019TEST1", "Operation": "SET"})
	if m["Result"] != true {
		t.Errorf("SetupDomainAutoRenew %v", m)
	}
	if got := autoOf("true"); len(got) != 2 || !got["例子.cn"] {
		t.Errorf("after SET: %v", got)
	}
	if info, _ := srv.Domain("xn--fsqu00a.cn"); !info.AutoRenew {
		t.Error("Domain().AutoRenew false after SET")
	}
	c.ok(ActionSetupDomainAutoRenew, map[string]string{"InstanceId": "S2019TEST1", "Operation": "CANCEL"})
	if got := autoOf("false"); len(got) != 1 || got["例子.cn"] {
		t.Errorf("after CANCEL: %v", got)
	}
	c.apiErr(ActionSetupDomainAutoRenew, call{params: map[string]string{"InstanceId": "S2019TEST1", "Operation": "ON"}}, 400, "InvalidParameter")
	c.apiErr(ActionSetupDomainAutoRenew, call{params: map[string]string{"InstanceId": "nope", "Operation": "SET"}}, 400, "InvalidParameter")
	c.apiErr(ActionSetupDomainAutoRenew, call{params: map[string]string{"Operation": "SET"}}, 400, "MissingParameter")
	c.apiErr(listDomains, call{params: map[string]string{"AutoRenewEnabled": "yes please"}}, 400, "InvalidParameter")

	d := c.ok(ActionQueryDomainByDomainName, map[string]string{"DomainName": "XN--FSQU00A.cn"})
	if d["DomainName"] != "例子.cn" || d["InstanceId"] != "S2019TEST1" || d["DomainStatus"] != "3" || num(t, d["ExpirationDateLong"]) != truncMS(exp).UnixMilli() ||
		num(t, d["DomainGroupId"]) != 42 || d["Remark"] != "r" || d["ExpirationDateStatus"] != "1" {
		t.Errorf("QueryDomainByDomainName %v", d)
	}
	if _, has := d["AutoRenewEnabled"]; has {
		t.Error("QueryDomainByDomainName has AutoRenewEnabled, the real answer has none")
	}
	if len(d) != 37 {
		t.Errorf("%d keys, want the 37 of docs/wire.md (QueryDomainByDomainName's answer): %s", len(d), keys(d))
	}
	dns := d["DnsList"].(map[string]any)["Dns"].([]any)
	if len(dns) != 2 {
		t.Errorf("DnsList %v", d["DnsList"])
	}
	c.apiErr(ActionQueryDomainByDomainName, call{params: map[string]string{"DomainName": "nothere.com"}}, 400, "InvalidParameter")
	c.apiErr(ActionQueryDomainByDomainName, call{}, 400, "MissingParameter")
}

// fnum returns a JSON number as float64.
func fnum(t *testing.T, v any) float64 {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%v (%T) is not a number", v, v)
	}
	f, err := n.Float64()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// With a task duration, an order takes effect only once final, and a second
// order of the same kind meanwhile fails as in progress.
func TestOrdersTakeEffectWhenFinal(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithTaskDuration(30*time.Second))
	c := newCaller(t, srv)
	exp := clock.Now().AddDate(0, 1, 0)
	srv.AddDomain("r.com", exp, Normal())
	srv.AddTransferable("t.com", "code", exp)
	srv.AddAvailable("n.com")
	srv.AddRegistrantProfile(1)

	renew := map[string]string{"DomainName": "r.com", "CurrentExpirationDate": ms(exp), "SubscriptionDuration": "1"}
	transfer := map[string]string{"DomainName": "t.com", "AuthorizationCode": "code", "RegistrantProfileId": "1"}
	register := map[string]string{"DomainName": "n.com", "RegistrantProfileId": "1"}
	first, second := map[string]string{}, map[string]string{}
	for action, p := range map[string]map[string]string{
		ActionSaveSingleTaskForCreatingOrderRenew:    renew,
		ActionSaveSingleTaskForCreatingOrderTransfer: transfer,
		ActionSaveSingleTaskForCreatingOrderActivate: register,
	} {
		first[action] = c.ok(action, p)["TaskNo"].(string)
		second[action] = c.ok(action, p)["TaskNo"].(string)
		wantDetail(t, onlyDetail(t, c, first[action], p["DomainName"]), 0, "", srv.taskType(actions[action].order))
	}
	if info, _ := srv.Domain("r.com"); !info.Expires.Equal(truncMS(exp)) {
		t.Error("the renewal took effect before it was final")
	}
	for _, name := range []string{"t.com", "n.com"} {
		if _, held := srv.Domain(name); held {
			t.Errorf("%s arrived before its order was final", name)
		}
		if srv.Orders(name) != 1 || srv.Submissions(name) != 2 {
			t.Errorf("%s: Orders %d Submissions %d, want 1 2 (a pending success is booked)", name, srv.Orders(name), srv.Submissions(name))
		}
	}
	clock.Advance(30 * time.Second)
	if info, _ := srv.Domain("r.com"); !info.Expires.Equal(truncMS(exp).AddDate(1, 0, 0)) {
		t.Errorf("r.com expires %v after the renewal", info.Expires)
	}
	if info, held := srv.Domain("t.com"); !held || !info.Expires.Equal(truncMS(exp).AddDate(1, 0, 0)) {
		t.Errorf("t.com after the transfer: %+v %v", info, held)
	}
	if info, held := srv.Domain("n.com"); !held || !info.Registered.Equal(truncMS(clock.Now())) {
		t.Errorf("n.com after the registration: %+v %v", info, held)
	}
	for action, no := range first {
		name := map[string]string{ActionSaveSingleTaskForCreatingOrderRenew: "r.com",
			ActionSaveSingleTaskForCreatingOrderTransfer: "t.com", ActionSaveSingleTaskForCreatingOrderActivate: "n.com"}[action]
		wantDetail(t, onlyDetail(t, c, no, name), 2, MsgSuccess, srv.taskType(actions[action].order))
		wantDetail(t, onlyDetail(t, c, second[action], name), 3, MsgOrderInProgress, srv.taskType(actions[action].order))
	}
}

// Every new action answers in XML too, rooted at <ActionResponse>, with the
// same fields as in JSON.
func TestNewActionsInXML(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	exp := time.Now().AddDate(0, 1, 0)
	srv.AddDomain("a.com", exp, Normal(), InstanceID("S1"))
	srv.AddTransferable("t.com", "code", exp)
	srv.AddAvailable("n.com")
	srv.AddRegistrantProfile(1)
	srv.SetPrice("a.com", PriceRenew, 10, "USD")
	for action, p := range map[string]map[string]string{
		ActionSaveBatchTaskForCreatingOrderRenew:     {"OrderRenewParam.1.DomainName": "a.com", "OrderRenewParam.1.CurrentExpirationDate": ms(exp), "OrderRenewParam.1.SubscriptionDuration": "1"},
		ActionSaveSingleTaskForCreatingOrderTransfer: {"DomainName": "t.com", "AuthorizationCode": "code", "RegistrantProfileId": "1"},
		ActionSaveBatchTaskForCreatingOrderTransfer:  {"OrderTransferParam.1.DomainName": "x.com", "OrderTransferParam.1.AuthorizationCode": "c", "OrderTransferParam.1.RegistrantProfileId": "1"},
		ActionSaveSingleTaskForCreatingOrderActivate: {"DomainName": "n.com", "RegistrantProfileId": "1"},
		ActionSaveBatchTaskForCreatingOrderActivate:  {"OrderActivateParam.1.DomainName": "m.com", "OrderActivateParam.1.RegistrantProfileId": "1"},
		ActionQueryDomainByDomainName:                {"DomainName": "a.com"},
		ActionCheckDomain:                            {"DomainName": "a.com"},
		ActionQueryDomainRealTimePrice:               {"Currency": "USD", "DomainItem": `[{"Action":"renew","DomainName":"a.com"}]`},
		ActionSetupDomainAutoRenew:                   {"InstanceId": "S1", "Operation": "SET"},
	} {
		p["Format"] = "XML"
		resp, body := c.do(action, call{params: p})
		var doc struct {
			XMLName         xml.Name
			RequestID       string `xml:"RequestId"`
			TaskNo          string
			InstanceID      string `xml:"InstanceId"`
			Avail           string
			Result          bool
			StaticPriceInfo struct {
				PriceInfo []struct {
					Action string  `xml:"action"`
					Money  float64 `xml:"money"`
				}
			}
			Module struct {
				DomainPrices []struct{ Price float64 }
			}
		}
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") || xml.Unmarshal(body, &doc) != nil ||
			doc.XMLName.Local != action+"Response" || doc.RequestID == "" {
			t.Errorf("%s: %d %s", action, resp.StatusCode, body)
			continue
		}
		var ok bool
		switch action {
		case ActionQueryDomainByDomainName:
			ok = doc.InstanceID == "S1"
		case ActionCheckDomain:
			ok = doc.Avail == "0" && len(doc.StaticPriceInfo.PriceInfo) == 1 && doc.StaticPriceInfo.PriceInfo[0].Money == 10
		case ActionQueryDomainRealTimePrice:
			ok = len(doc.Module.DomainPrices) == 1 && doc.Module.DomainPrices[0].Price == 10
		case ActionSetupDomainAutoRenew:
			ok = doc.Result
		default:
			ok = doc.TaskNo != ""
		}
		if !ok {
			t.Errorf("%s: fields missing in %s", action, body)
		}
	}
	if srv.Orders("t.com") != 1 || srv.Orders("n.com") != 1 || srv.Orders("a.com") != 1 {
		t.Error("XML orders were not booked")
	}
}
