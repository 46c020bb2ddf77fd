package alidomaintest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Orders the gateway refuses are refused as a whole by the Server: a 400
// with a Code naming the parameter, no task, nothing submitted or ordered.
func TestOrdersRefusedAsTheGatewayDoes(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now))
	c := newCaller(t, srv)
	exp := clock.Now().Add(-40 * 24 * time.Hour) // in redemption
	soon := clock.Now().Add(10 * 24 * time.Hour) // needs renewal
	srv.AddDomain("a.com", exp)
	srv.AddDomain("例子.cn", soon)
	srv.AddDomain("r.com", soon)
	srv.AddTransferable("t.com", "code", soon)
	srv.AddAvailable("n.com")
	srv.AddRegistrantProfile(7)
	const (
		renewBatch    = ActionSaveBatchTaskForCreatingOrderRenew
		renewSingle   = ActionSaveSingleTaskForCreatingOrderRenew
		transferBatch = ActionSaveBatchTaskForCreatingOrderTransfer
		transfer      = ActionSaveSingleTaskForCreatingOrderTransfer
		registerBatch = ActionSaveBatchTaskForCreatingOrderActivate
		register      = ActionSaveSingleTaskForCreatingOrderActivate
	)
	redeem := func(names ...string) map[string]string {
		p := map[string]string{}
		for i, n := range names {
			base := "OrderRedeemParam." + strconv.Itoa(i+1) + "."
			p[base+"DomainName"], p[base+"CurrentExpirationDate"] = n, ms(exp)
		}
		return p
	}
	renew := func(years string) map[string]string {
		p := map[string]string{"OrderRenewParam.1.DomainName": "r.com", "OrderRenewParam.1.CurrentExpirationDate": ms(soon)}
		if years != "" {
			p["OrderRenewParam.1.SubscriptionDuration"] = years
		}
		return p
	}
	with := func(p map[string]string, kv ...string) map[string]string {
		for i := 0; i < len(kv); i += 2 {
			p[kv[i]] = kv[i+1]
		}
		return p
	}
	transferTo := func(profile string) map[string]string {
		return map[string]string{"DomainName": "t.com", "AuthorizationCode": "code", "RegistrantProfileId": profile}
	}
	registerAs := func(profile string) map[string]string {
		return map[string]string{"OrderActivateParam.1.DomainName": "n.com", "OrderActivateParam.1.RegistrantProfileId": profile}
	}

	tests := []struct {
		name, action string
		params       map[string]string
		code, field  string
	}{
		// A domain twice in one batch, in any spelling of its canonical form.
		{"twice", batch, redeem("a.com", "a.com"), "InvalidParameter", "OrderRedeemParam.2.DomainName"},
		{"twice, case and dot", batch, redeem("a.com", "r.com", "A.COM."), "InvalidParameter", "OrderRedeemParam.3.DomainName"},
		{"twice, IDN forms", renewBatch, with(renew("1"), "OrderRenewParam.2.DomainName", "XN--FSQU00A.cn",
			"OrderRenewParam.2.CurrentExpirationDate", ms(soon), "OrderRenewParam.2.SubscriptionDuration", "1",
			"OrderRenewParam.3.DomainName", "例子.cn", "OrderRenewParam.3.CurrentExpirationDate", ms(soon),
			"OrderRenewParam.3.SubscriptionDuration", "1"), "InvalidParameter", "OrderRenewParam.3.DomainName"},
		{"twice, transfer", transferBatch, map[string]string{
			"OrderTransferParam.1.DomainName": "t.com", "OrderTransferParam.1.AuthorizationCode": "code", "OrderTransferParam.1.RegistrantProfileId": "7",
			"OrderTransferParam.2.DomainName": "T.com", "OrderTransferParam.2.AuthorizationCode": "code", "OrderTransferParam.2.RegistrantProfileId": "7",
		}, "InvalidParameter", "OrderTransferParam.2.DomainName"},

		// An expiration date in seconds, or not a plain decimal.
		{"date in seconds", batch, with(redeem("a.com"), "OrderRedeemParam.1.CurrentExpirationDate", strconv.FormatInt(exp.Unix(), 10)),
			"InvalidParameter", "OrderRedeemParam.1.CurrentExpirationDate"},
		{"single date in seconds", renewSingle, map[string]string{"DomainName": "r.com", "CurrentExpirationDate": strconv.FormatInt(soon.Unix(), 10), "SubscriptionDuration": "1"},
			"InvalidParameter", "CurrentExpirationDate"},
		{"negative date", batch, with(redeem("a.com"), "OrderRedeemParam.1.CurrentExpirationDate", "-"+ms(exp)),
			"InvalidParameter", "OrderRedeemParam.1.CurrentExpirationDate"},
		{"date with a plus", batch, with(redeem("a.com"), "OrderRedeemParam.1.CurrentExpirationDate", "+"+ms(exp)),
			"InvalidParameter", "OrderRedeemParam.1.CurrentExpirationDate"},

		// Booleans other than true and false.
		{"UseCoupon True", batch, with(redeem("a.com"), "UseCoupon", "True"), "InvalidParameter", "UseCoupon"},
		{"UsePromotion T", batch, with(redeem("a.com"), "UsePromotion", "T"), "InvalidParameter", "UsePromotion"},
		{"PermitPremiumRenew 1", renewBatch, with(renew("1"), "OrderRenewParam.1.PermitPremiumRenew", "1"), "InvalidParameter", "OrderRenewParam.1.PermitPremiumRenew"},
		{"PermitPremiumTransfer TRUE", transfer, with(transferTo("7"), "PermitPremiumTransfer", "TRUE"), "InvalidParameter", "PermitPremiumTransfer"},
		{"AliyunDns 0", registerBatch, with(registerAs("7"), "OrderActivateParam.1.AliyunDns", "0"), "InvalidParameter", "OrderActivateParam.1.AliyunDns"},
		{"EnableDomainProxy F", register, map[string]string{"DomainName": "n.com", "RegistrantProfileId": "7", "EnableDomainProxy": "F"}, "InvalidParameter", "EnableDomainProxy"},

		// A negative, unknown or oddly written registrant profile.
		{"negative profile", transfer, transferTo("-7"), "InvalidParameter", "RegistrantProfileId"},
		{"unknown profile", transfer, transferTo("8"), "InvalidParameter", "RegistrantProfileId"},
		{"zero profile", registerBatch, registerAs("0"), "InvalidParameter", "OrderActivateParam.1.RegistrantProfileId"},
		{"profile with a plus", registerBatch, registerAs("+7"), "InvalidParameter", "OrderActivateParam.1.RegistrantProfileId"},
		{"profile with a zero", register, map[string]string{"DomainName": "n.com", "RegistrantProfileId": "07"}, "InvalidParameter", "RegistrantProfileId"},

		// A malformed domain name.
		{"not a name", batch, redeem("not a name!"), "InvalidParameter", "OrderRedeemParam.1.DomainName"},
		{"empty label", renewBatch, with(renew("1"), "OrderRenewParam.1.DomainName", "a..com"), "InvalidParameter", "OrderRenewParam.1.DomainName"},
		{"one label", register, map[string]string{"DomainName": "com", "RegistrantProfileId": "7"}, "InvalidParameter", "DomainName"},
		{"an address", transfer, with(transferTo("7"), "DomainName", "10.0.0.1"), "InvalidParameter", "DomainName"},
		{"space around", batch, redeem(" a.com"), "InvalidParameter", "OrderRedeemParam.1.DomainName"},

		// A batch renew's SubscriptionDuration: required, 1 to 10, plain decimal.
		{"renew without years", renewBatch, renew(""), "MissingParameter", "OrderRenewParam.1.SubscriptionDuration"},
		{"renew +1 years", renewBatch, renew("+1"), "InvalidParameter", "OrderRenewParam.1.SubscriptionDuration"},
		{"renew 1.5 years", renewBatch, renew("1.5"), "InvalidParameter", "OrderRenewParam.1.SubscriptionDuration"},
		{"renew 01 years", renewBatch, renew("01"), "InvalidParameter", "OrderRenewParam.1.SubscriptionDuration"},
		{"renew 0 years", renewBatch, renew("0"), "InvalidParameter", "OrderRenewParam.1.SubscriptionDuration"},
		{"renew 11 years", renewBatch, renew("11"), "InvalidParameter", "OrderRenewParam.1.SubscriptionDuration"},
		{"renew -1 years", renewBatch, renew("-1"), "InvalidParameter", "OrderRenewParam.1.SubscriptionDuration"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c.t = t
			m := c.apiErr(tc.action, call{params: tc.params}, http.StatusBadRequest, tc.code)
			if msg, _ := m["Message"].(string); !strings.Contains(msg, `"`+tc.field+`"`) {
				t.Errorf("Message %q does not name %s", msg, tc.field)
			}
		})
	}
	c.t = t
	for _, name := range []string{"a.com", "例子.cn", "r.com", "t.com", "n.com"} {
		if srv.Orders(name) != 0 || srv.Submissions(name) != 0 {
			t.Errorf("%s: Orders %d Submissions %d after refused requests", name, srv.Orders(name), srv.Submissions(name))
		}
	}
	if n := num(t, c.ok(tasks, nil)["TotalItemNum"]); n != 0 {
		t.Errorf("%d tasks after refused requests", n)
	}

	// The same requests, well formed, are accepted: the refusals above were
	// for what each case changed.
	for action, p := range map[string]map[string]string{
		batch:         redeem("a.com"),
		renewBatch:    renew("2"),
		transfer:      with(transferTo("7"), "PermitPremiumTransfer", "false"),
		registerBatch: with(registerAs("7"), "OrderActivateParam.1.AliyunDns", "true"),
	} {
		c.ok(action, p)
	}
	for _, name := range []string{"a.com", "r.com", "t.com", "n.com"} {
		if srv.Orders(name) != 1 {
			t.Errorf("%s: Orders %d after a well-formed order", name, srv.Orders(name))
		}
	}
}

func TestWireScalars(t *testing.T) {
	for v, want := range map[string]int64{"0": 0, "7": 7, "-7": -7, "1700000000000": 1700000000000} {
		if n, ok := wireInt(v); !ok || n != want {
			t.Errorf("wireInt(%q) = %d, %v", v, n, ok)
		}
	}
	for _, v := range []string{"", "-", "+1", "01", "-0", "1.5", " 1", "1 ", "1e3", "0x10", "99999999999999999999"} {
		if n, ok := wireInt(v); ok {
			t.Errorf("wireInt(%q) = %d, accepted", v, n)
		}
	}
	for v, want := range map[string]bool{"true": true, "false": false} {
		if b, ok := wireBool(v); !ok || b != want {
			t.Errorf("wireBool(%q) = %v, %v", v, b, ok)
		}
	}
	for _, v := range []string{"", "True", "FALSE", "T", "f", "1", "0", "yes", " true"} {
		if _, ok := wireBool(v); ok {
			t.Errorf("wireBool(%q) accepted", v)
		}
	}
}

func TestWellFormedName(t *testing.T) {
	for _, n := range []string{"a.com", "Example.COM", "例子.cn", "xn--fsqu00a.cn", "a-b.co.uk", "example.com.", "1.com", strings.Repeat("a", 63) + ".com"} {
		if !wellFormedName(n) {
			t.Errorf("%q refused", n)
		}
	}
	for _, n := range []string{"", "not a name!", "com", "a..com", ".a.com", "-a.com", "a-.com", "under_score.com", "1.2.3.4",
		" a.com", "a.com ", strings.Repeat("a", 64) + ".com", strings.Repeat("a.", 127) + "com"} {
		if wellFormedName(n) {
			t.Errorf("%q accepted", n)
		}
	}
}

// AddDomain derives a domain's status from its expiration date; an option
// forces it. A domain in redemption is refused a renewal consistently: its
// renewal quote is not orderable and a renewal order's detail fails.
func TestAddDomainDefaultStatus(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now))
	c := newCaller(t, srv)
	now := clock.Now()
	day := 24 * time.Hour
	for name, tc := range map[string]struct {
		expires time.Time
		opts    []DomainOption
		want    int
	}{
		"long-gone.com":   {now.Add(-RenewalGracePeriod - time.Minute), nil, StatusNeedsRedemption},
		"gone.com":        {now.Add(-45 * day), nil, StatusNeedsRedemption},
		"grace.com":       {now.Add(-RenewalGracePeriod + time.Minute), nil, StatusNeedsRenewal},
		"yesterday.com":   {now.Add(-day), nil, StatusNeedsRenewal},
		"soon.com":        {now.Add(10 * day), nil, StatusNeedsRenewal},
		"edge.com":        {now.Add(RenewalNotice), nil, StatusNeedsRenewal},
		"later.com":       {now.Add(RenewalNotice + time.Minute), nil, StatusNormal},
		"next-year.com":   {now.AddDate(1, 0, 0), nil, StatusNormal},
		"forced-norm.com": {now.Add(-45 * day), []DomainOption{Normal()}, StatusNormal},
		"forced-redm.com": {now.AddDate(1, 0, 0), []DomainOption{NeedsRedemption()}, StatusNeedsRedemption},
		"forced-renw.com": {now.AddDate(1, 0, 0), []DomainOption{NeedsRenewal()}, StatusNeedsRenewal},
	} {
		srv.AddDomain(name, tc.expires, tc.opts...)
		if info, _ := srv.Domain(name); info.Status != tc.want {
			t.Errorf("%s: status %d, want %d", name, info.Status, tc.want)
		}
		got := c.ok(ActionQueryDomainByDomainName, map[string]string{"DomainName": name})["DomainStatus"]
		if got != strconv.Itoa(tc.want) {
			t.Errorf("%s: DomainStatus %v, want %d", name, got, tc.want)
		}
	}

	// gone.com is in redemption: no renewal quote, a failed renewal detail,
	// a redemption quote; soon.com the other way round.
	for _, n := range []string{"gone.com", "soon.com"} {
		srv.SetPrice(n, PriceRenew, 10, "USD")
		srv.SetPrice(n, PriceRestore, 80, "USD")
	}
	quote := func(action, name string) map[string]any {
		m := c.ok(ActionQueryDomainRealTimePrice, map[string]string{"Currency": "USD",
			"DomainItem": `[{"Action":"` + action + `","DomainName":"` + name + `","Period":1}]`})
		return m["Module"].(map[string]any)["DomainPrices"].([]any)[0].(map[string]any)
	}
	for _, tc := range []struct {
		action, name string
		avail        int64
		reason       string
	}{
		{PriceRenew, "gone.com", 0, MsgNotRenewable},
		{PriceRestore, "gone.com", 1, ""},
		{PriceRenew, "soon.com", 1, ""},
		{PriceRestore, "soon.com", 0, MsgNotInRedemption},
	} {
		q := quote(tc.action, tc.name)
		if num(t, q["Avail"]) != tc.avail || q["Reason"] != tc.reason || (tc.avail == 0) != (fnum(t, q["Price"]) == 0) {
			t.Errorf("%s %s: %v, want Avail %d Reason %q", tc.action, tc.name, q, tc.avail, tc.reason)
		}
	}
	exp := func(n string) string { info, _ := srv.Domain(n); return ms(info.Expires) }
	no := c.ok(ActionSaveBatchTaskForCreatingOrderRenew, map[string]string{
		"OrderRenewParam.1.DomainName": "gone.com", "OrderRenewParam.1.CurrentExpirationDate": exp("gone.com"), "OrderRenewParam.1.SubscriptionDuration": "1",
		"OrderRenewParam.2.DomainName": "soon.com", "OrderRenewParam.2.CurrentExpirationDate": exp("soon.com"), "OrderRenewParam.2.SubscriptionDuration": "1",
	})["TaskNo"].(string)
	wantDetail(t, onlyDetail(t, c, no, "gone.com"), 3, MsgNotRenewable, "ORDER_RENEW")
	wantDetail(t, onlyDetail(t, c, no, "soon.com"), 2, MsgSuccess, "ORDER_RENEW")
	if srv.OrdersOf(KindRenew, "gone.com") != 0 || srv.OrdersOf(KindRenew, "soon.com") != 1 {
		t.Errorf("renew orders: gone.com %d soon.com %d", srv.OrdersOf(KindRenew, "gone.com"), srv.OrdersOf(KindRenew, "soon.com"))
	}
	// Renewed, soon.com is normal now.
	if info, _ := srv.Domain("soon.com"); info.Status != StatusNormal {
		t.Errorf("soon.com after the renewal: status %d", info.Status)
	}
}
