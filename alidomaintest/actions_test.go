package alidomaintest

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	batch   = ActionSaveBatchTaskForCreatingOrderRedeem
	single  = ActionSaveSingleTaskForCreatingOrderRedeem
	tasks   = ActionQueryTaskList
	details = ActionQueryTaskDetailList
)

func keys(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

// detailsOf returns the task's details, by domain name.
func detailsOf(t *testing.T, c *caller, taskNo string) map[string][]map[string]any {
	t.Helper()
	m := c.ok(details, map[string]string{"TaskNo": taskNo, "PageSize": "1000"})
	out := map[string][]map[string]any{}
	for _, d := range items(t, m, "TaskDetail") {
		out[d["DomainName"].(string)] = append(out[d["DomainName"].(string)], d)
	}
	return out
}

func TestRedeemBatchOutcomes(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now))
	c := newCaller(t, srv)
	exp := time.Date(2024, 2, 1, 8, 30, 0, 123_000_000, time.UTC)
	srv.AddDomain("a.com", exp)
	srv.AddDomain("b.net", exp, NeedsRenewal())
	srv.AddDomain("c.org", exp, FailRedeem("registry refused"))
	srv.AddDomain("d.com", exp)
	srv.AddDomain("e.com", exp, Normal())

	names := []string{"a.com", "b.net", "c.org", "d.com", "zzz.com", "e.com"}
	p := map[string]string{"UseCoupon": "false", "Lang": "en", "UserClientIp": "10.1.2.3"}
	for i, n := range names {
		p[fmt.Sprintf("OrderRedeemParam.%d.DomainName", i+1)] = n
		date := ms(exp)
		if n == "d.com" {
			date = ms(exp.Add(24 * time.Hour))
		}
		p[fmt.Sprintf("OrderRedeemParam.%d.CurrentExpirationDate", i+1)] = date
	}
	m := c.ok(batch, p)
	if keys(m) != "RequestId,TaskNo" {
		t.Errorf("answer keys = %s", keys(m))
	}
	taskNo, _ := m["TaskNo"].(string)
	if len(taskNo) != 36 {
		t.Errorf("TaskNo = %q", taskNo)
	}

	want := map[string]struct {
		code int64
		msg  string
	}{
		"a.com":   {2, MsgSuccess},
		"b.net":   {3, MsgNotInRedemption},
		"c.org":   {3, "registry refused"},
		"d.com":   {3, MsgExpirationMismatch},
		"zzz.com": {3, MsgDomainNotFound},
		"e.com":   {3, MsgNotInRedemption},
	}
	got := detailsOf(t, c, taskNo)
	for name, w := range want {
		if len(got[name]) != 1 {
			t.Errorf("%s: %d details", name, len(got[name]))
			continue
		}
		d := got[name][0]
		if num(t, d["TaskStatusCode"]) != w.code || d["ErrorMsg"] != w.msg {
			t.Errorf("%s: code %v msg %q, want %d %q", name, d["TaskStatusCode"], d["ErrorMsg"], w.code, w.msg)
		}
		if w.code == 3 && d["FailReason"] != w.msg {
			t.Errorf("%s: FailReason %q", name, d["FailReason"])
		}
	}

	// a.com's detail took effect; every detail was a submission.
	for name, n := range map[string][2]int{"a.com": {1, 1}, "A.com": {1, 1}, "b.net": {0, 1}, "zzz.com": {0, 1}, "nothere.com": {0, 0}} {
		if got := srv.Orders(name); got != n[0] {
			t.Errorf("Orders(%s) = %d, want %d", name, got, n[0])
		}
		if got := srv.Submissions(name); got != n[1] {
			t.Errorf("Submissions(%s) = %d, want %d", name, got, n[1])
		}
		if got := srv.OrdersOf(KindRedeem, name); got != n[0] {
			t.Errorf("OrdersOf(redeem, %s) = %d, want %d", name, got, n[0])
		}
	}
	info, _ := srv.Domain("a.com")
	if info.Status != StatusNormal || !info.Expires.Equal(truncMS(exp).AddDate(1, 0, 0)) {
		t.Errorf("a.com after redeem: %+v", info)
	}
	for _, n := range []string{"b.net", "c.org", "d.com"} {
		info, _ := srv.Domain(n)
		if !info.Expires.Equal(truncMS(exp)) {
			t.Errorf("%s changed: %+v", n, info)
		}
	}

	// The task list shows it, with the client IP given.
	tl := items(t, c.ok(tasks, nil), "TaskInfo")
	if len(tl) != 1 || tl[0]["TaskNo"] != taskNo || num(t, tl[0]["TaskNum"]) != int64(len(names)) ||
		tl[0]["Clientip"] != "10.1.2.3" || tl[0]["TaskStatus"] != "COMPLETE" || tl[0]["TaskType"] != "ORDER_REDEEM" {
		t.Errorf("task list: %v", tl)
	}

	// a.com again, spelled A.COM, in a later batch: it was already redeemed.
	again := c.ok(batch, map[string]string{"OrderRedeemParam.1.DomainName": "A.COM", "OrderRedeemParam.1.CurrentExpirationDate": ms(exp)})
	wantDetail(t, onlyDetail(t, c, again["TaskNo"].(string), "A.COM"), 3, MsgNotInRedemption, "ORDER_REDEEM")
	if srv.Orders("a.com") != 1 || srv.Submissions("A.com") != 2 {
		t.Errorf("a.com: Orders %d Submissions %d, want 1 and 2", srv.Orders("a.com"), srv.Submissions("A.com"))
	}
}

func TestRedeemSingle(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	exp := time.Now().Add(-40 * 24 * time.Hour)
	srv.AddDomain("example.com", exp)
	m := c.ok(single, map[string]string{"DomainName": "example.com", "CurrentExpirationDate": ms(exp)})
	if keys(m) != "RequestId,TaskNo" {
		t.Errorf("answer keys = %s", keys(m))
	}
	d := detailsOf(t, c, m["TaskNo"].(string))["example.com"]
	if len(d) != 1 || d[0]["TaskStatus"] != "EXECUTE_SUCCESS" || srv.Orders("example.com") != 1 {
		t.Errorf("details %v, orders %d", d, srv.Orders("example.com"))
	}

	// XML shape.
	srv.AddDomain("example.net", exp)
	resp, body := c.do(single, call{params: map[string]string{"Format": "XML", "DomainName": "example.net", "CurrentExpirationDate": ms(exp)}})
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/xml;charset=utf-8" {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if !strings.HasPrefix(string(body), "<?xml version='1.0' encoding='UTF-8'?><SaveSingleTaskForCreatingOrderRedeemResponse><RequestId>") {
		t.Errorf("body = %s", body)
	}
	var x struct {
		XMLName   xml.Name `xml:"SaveSingleTaskForCreatingOrderRedeemResponse"`
		RequestID string   `xml:"RequestId"`
		TaskNo    string
	}
	if err := xml.Unmarshal(body, &x); err != nil || x.TaskNo == "" {
		t.Errorf("%v %+v", err, x)
	}
	checkRequestID(t, resp, x.RequestID)
}

func TestRedeemValidation(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	srv.AddDomain("a.com", time.Now())
	tests := []struct {
		name   string
		action string
		params map[string]string
		code   string
		field  string
	}{
		{"no list", batch, map[string]string{"UseCoupon": "false"}, "MissingParameter", "OrderRedeemParam"},
		{"bad date", batch, map[string]string{"OrderRedeemParam.1.DomainName": "a.com", "OrderRedeemParam.1.CurrentExpirationDate": "2024-01-01"}, "InvalidParameter", "OrderRedeemParam.1.CurrentExpirationDate"},
		{"no date", batch, map[string]string{"OrderRedeemParam.1.DomainName": "a.com"}, "MissingParameter", "OrderRedeemParam.1.CurrentExpirationDate"},
		{"gap", batch, map[string]string{
			"OrderRedeemParam.1.DomainName": "a.com", "OrderRedeemParam.1.CurrentExpirationDate": "1700000000000",
			"OrderRedeemParam.3.DomainName": "a.com", "OrderRedeemParam.3.CurrentExpirationDate": "1700000000000",
		}, "MissingParameter", "OrderRedeemParam.2.DomainName"},
		{"zero index", batch, map[string]string{"OrderRedeemParam.0.DomainName": "a.com"}, "InvalidParameter", "OrderRedeemParam.0.DomainName"},
		{"bad coupon flag", batch, map[string]string{"OrderRedeemParam.1.DomainName": "a.com", "OrderRedeemParam.1.CurrentExpirationDate": "1700000000000", "UseCoupon": "maybe"}, "InvalidParameter", "UseCoupon"},
		{"single no name", single, map[string]string{"CurrentExpirationDate": "1700000000000"}, "MissingParameter", "DomainName"},
		{"single no date", single, map[string]string{"DomainName": "a.com"}, "MissingParameter", "CurrentExpirationDate"},
		{"single bad date", single, map[string]string{"DomainName": "a.com", "CurrentExpirationDate": "x"}, "InvalidParameter", "CurrentExpirationDate"},
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
	if srv.Orders("a.com") != 0 {
		t.Errorf("Orders = %d after rejected requests", srv.Orders("a.com"))
	}
	if srv.Requests(batch) != 6 || srv.Requests(single) != 3 {
		t.Errorf("Requests = %d, %d; want 6, 3", srv.Requests(batch), srv.Requests(single))
	}
}

func TestQueryDomainListShape(t *testing.T) {
	clock := newFakeClock() // 2024-03-10 04:00 UTC = 12:00 CST
	srv := newTestServer(t, WithClock(clock.Now))
	c := newCaller(t, srv)
	exp := time.Date(2024, 3, 1, 17, 0, 0, 0, time.UTC) // 2024-03-02 01:00 CST
	reg := time.Date(2020, 3, 1, 17, 0, 0, 0, time.UTC)
	srv.AddDomain("example.com", exp, NeedsRedemption(), RegisteredAt(reg), InstanceID("S2020TEST"), Premium(), Remark("mine"), Group("7", "shop"))
	m := c.ok(listDomains, nil)
	if keys(m) != "CurrentPageNum,Data,NextPage,PageSize,PrePage,RequestId,TotalItemNum,TotalPageNum" {
		t.Errorf("keys %s", keys(m))
	}
	ds := items(t, m, "Domain")
	if len(ds) != 1 {
		t.Fatalf("%d domains", len(ds))
	}
	d := ds[0]
	want := map[string]any{
		"DomainName":           "example.com",
		"InstanceId":           "S2020TEST",
		"ExpirationDate":       "2024-03-02 01:00:00",
		"ExpirationDateLong":   exp.UnixMilli(),
		"RegistrationDate":     "2020-03-02 01:00:00",
		"RegistrationDateLong": reg.UnixMilli(),
		"DomainType":           "gTLD",
		"DomainStatus":         "2",
		"ProductId":            "2",
		"Premium":              true,
		// 2024-03-10 (CST) - 2024-03-02 (CST)
		"ExpirationCurrDateDiff": int64(-8),
		"Remark":                 "mine",
		"DomainGroupId":          "7",
		"DomainGroupName":        "shop",
		"DomainAuditStatus":      "SUCCEED",
		"ExpirationDateStatus":   "2",
		"RegistrantType":         "1",
		"AutoRenewEnabled":       false,
		"ResourceGroupId":        DefaultResourceGroupID,
	}
	if dns := fmt.Sprint(d["DnsList"]); dns != "map[DnsList:[dns1.hichina.com dns2.hichina.com]]" {
		t.Errorf("DnsList = %s", dns)
	}
	delete(d, "DnsList")
	if len(d) != len(want) {
		t.Errorf("item keys %s", keys(d))
	}
	for k, w := range want {
		g := d[k]
		if _, isInt := w.(int64); isInt {
			g = num(t, g)
		}
		if g != w {
			t.Errorf("%s = %#v, want %#v", k, d[k], w)
		}
	}
	if num(t, m["TotalItemNum"]) != 1 || num(t, m["CurrentPageNum"]) != 1 || num(t, m["TotalPageNum"]) != 1 ||
		num(t, m["PageSize"]) != 20 || m["PrePage"] != false || m["NextPage"] != false {
		t.Errorf("paging %v", m)
	}

	// XML: items are repeated <Domain> elements in <Data>.
	srv.AddDomain("example.cn", exp.AddDate(1, 0, 0), NeedsRenewal())
	resp, body := c.do(listDomains, call{params: map[string]string{"Format": "XML"}})
	s := string(body)
	if resp.StatusCode != 200 || !strings.HasPrefix(s, "<?xml version='1.0' encoding='UTF-8'?><QueryDomainListResponse><RequestId>") ||
		!strings.Contains(s, "<Data><Domain><DomainName>example.cn</DomainName>") ||
		!strings.Contains(s, "</Domain><Domain><DomainName>example.com</DomainName>") {
		t.Errorf("XML body: %s", s)
	}
	var x struct {
		XMLName      xml.Name `xml:"QueryDomainListResponse"`
		TotalItemNum int
		NextPage     bool
		Data         struct {
			Domain []struct {
				DomainName, DomainStatus, DomainType string
				ExpirationDateLong                   int64
				Premium                              bool
				ExpirationCurrDateDiff               int
			}
		}
	}
	if err := xml.Unmarshal(body, &x); err != nil {
		t.Fatal(err)
	}
	if x.TotalItemNum != 2 || len(x.Data.Domain) != 2 || x.Data.Domain[0].DomainType != "ccTLD" ||
		x.Data.Domain[0].DomainStatus != "1" || x.Data.Domain[0].ExpirationCurrDateDiff != 357 ||
		x.Data.Domain[1].ExpirationDateLong != exp.UnixMilli() || !x.Data.Domain[1].Premium {
		t.Errorf("decoded %+v", x)
	}
}

func TestQueryDomainListPagingAndFilters(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithPageSizeLimit(50))
	c := newCaller(t, srv)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 45 {
		opts := []DomainOption{NeedsRedemption()}
		if i%3 == 0 {
			opts = append(opts, NeedsRenewal())
		}
		if i%5 == 0 {
			opts = append(opts, Group("g5", "fives"))
		}
		// expirations in reverse order of names
		srv.AddDomain(fmt.Sprintf("d%02d.com", i), base.Add(time.Duration(45-i)*24*time.Hour), opts...)
	}
	names := func(m map[string]any) []string {
		var out []string
		for _, d := range items(t, m, "Domain") {
			out = append(out, d["DomainName"].(string))
		}
		return out
	}
	page := func(p map[string]string) map[string]any { return c.ok(listDomains, p) }

	var all []string
	for n := 1; n <= 3; n++ {
		m := page(map[string]string{"PageNum": strconv.Itoa(n)})
		if num(t, m["TotalItemNum"]) != 45 || num(t, m["TotalPageNum"]) != 3 || num(t, m["CurrentPageNum"]) != int64(n) ||
			m["PrePage"] != (n > 1) || m["NextPage"] != (n < 3) {
			t.Errorf("page %d: %v", n, m)
		}
		all = append(all, names(m)...)
	}
	if len(all) != 45 || !sort.StringsAreSorted(all) || all[0] != "d00.com" {
		t.Errorf("default order by name: %v", all)
	}
	if m := page(map[string]string{"PageNum": "4"}); len(items(t, m, "Domain")) != 0 || m["NextPage"] != false || m["PrePage"] != true {
		t.Errorf("page 4: %v", m)
	}
	if m := page(map[string]string{"PageNum": "2147483647"}); len(items(t, m, "Domain")) != 0 {
		t.Errorf("huge page: %v", m)
	}
	// PageNum is an int32: beyond it the gateway refuses the value.
	c.apiErr(listDomains, call{params: map[string]string{"PageNum": "2147483648"}}, 400, "InvalidParameter")
	if got := names(page(map[string]string{"PageSize": "50"})); len(got) != 45 {
		t.Errorf("PageSize 50: %d", len(got))
	}
	for _, bad := range []map[string]string{
		{"PageSize": "51"}, {"PageSize": "0"}, {"PageSize": "x"}, {"PageNum": "0"}, {"QueryType": "3"},
		{"OrderKeyType": "Name"}, {"OrderByType": "UP"}, {"StartExpirationDate": "yesterday"},
	} {
		m := c.apiErr(listDomains, call{params: bad}, 400, "InvalidParameter")
		for k := range bad {
			if !strings.Contains(m["Message"].(string), `"`+k+`"`) {
				t.Errorf("%v: message %v", bad, m["Message"])
			}
		}
	}

	// Ordering by expiration: DESC by default when a key is given.
	got := names(page(map[string]string{"OrderKeyType": "ExpirationDate", "PageSize": "3"}))
	if strings.Join(got, " ") != "d00.com d01.com d02.com" {
		t.Errorf("ExpirationDate DESC: %v", got)
	}
	got = names(page(map[string]string{"OrderKeyType": "ExpirationDate", "OrderByType": "ASC", "PageSize": "3"}))
	if strings.Join(got, " ") != "d44.com d43.com d42.com" {
		t.Errorf("ExpirationDate ASC: %v", got)
	}
	got = names(page(map[string]string{"OrderByType": "DESC", "PageSize": "2"}))
	if strings.Join(got, " ") != "d44.com d43.com" {
		t.Errorf("name DESC: %v", got)
	}

	// Filters.
	count := func(p map[string]string) int64 { return num(t, page(p)["TotalItemNum"]) }
	if n := count(map[string]string{"QueryType": "1"}); n != 15 {
		t.Errorf("QueryType 1: %d", n)
	}
	if n := count(map[string]string{"QueryType": "2"}); n != 30 {
		t.Errorf("QueryType 2: %d", n)
	}
	if n := count(map[string]string{"DomainName": "D1"}); n != 10 {
		t.Errorf("DomainName substring: %d", n)
	}
	if n := count(map[string]string{"DomainName": "d07.com"}); n != 1 {
		t.Errorf("DomainName exact: %d", n)
	}
	if n := count(map[string]string{"DomainGroupId": "g5"}); n != 9 {
		t.Errorf("DomainGroupId: %d", n)
	}
	// d40..d44 expire on base+5d..base+1d
	if n := count(map[string]string{"StartExpirationDate": ms(base.Add(24 * time.Hour)), "EndExpirationDate": ms(base.Add(5 * 24 * time.Hour))}); n != 5 {
		t.Errorf("expiration range: %d", n)
	}
	if n := count(map[string]string{"ProductDomainType": "ccTLD"}); n != 0 {
		t.Errorf("ProductDomainType: %d", n)
	}
}

func TestQueryTaskList(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now))
	c := newCaller(t, srv)
	var nos []string
	var times []time.Time
	for i := range 3 {
		times = append(times, clock.Now())
		m := c.ok(single, map[string]string{"DomainName": fmt.Sprintf("x%d.com", i), "CurrentExpirationDate": "1700000000000"})
		nos = append(nos, m["TaskNo"].(string))
		clock.Advance(time.Hour)
	}
	m := c.ok(tasks, map[string]string{"Lang": "zh"})
	tl := items(t, m, "TaskInfo")
	if len(tl) != 3 || tl[0]["TaskNo"] != nos[2] || tl[2]["TaskNo"] != nos[0] {
		t.Fatalf("not newest first: %v", tl)
	}
	ti := tl[2]
	want := map[string]any{
		"TaskNo": nos[0], "TaskType": "ORDER_REDEEM", "TaskTypeDescription": "赎回",
		"TaskStatus": "COMPLETE", "TaskStatusCode": int64(2), "TaskNum": int64(1),
		"CreateTime":       times[0].In(cst).Format("2006-01-02 15:04:05"),
		"TaskCancelStatus": "NOT_CANCEL", "TaskCancelStatusCode": int64(0), "Clientip": "127.0.0.1",
	}
	if len(ti) != len(want) {
		t.Errorf("keys %s", keys(ti))
	}
	for k, w := range want {
		g := ti[k]
		if _, isInt := w.(int64); isInt {
			g = num(t, g)
		}
		if g != w {
			t.Errorf("%s = %#v, want %#v", k, ti[k], w)
		}
	}
	if ti["CreateTime"] != "2024-03-10 12:00:00" {
		t.Errorf("CreateTime %v", ti["CreateTime"])
	}
	m = c.ok(tasks, map[string]string{"BeginCreateTime": ms(times[1]), "EndCreateTime": ms(times[1])})
	if tl := items(t, m, "TaskInfo"); len(tl) != 1 || tl[0]["TaskNo"] != nos[1] || tl[0]["TaskTypeDescription"] != "Redeem" {
		t.Errorf("range: %v", tl)
	}
	m = c.ok(tasks, map[string]string{"PageSize": "2", "PageNum": "2"})
	if tl := items(t, m, "TaskInfo"); len(tl) != 1 || tl[0]["TaskNo"] != nos[0] || m["PrePage"] != true || m["NextPage"] != false {
		t.Errorf("page 2: %v", m)
	}
	c.apiErr(tasks, call{params: map[string]string{"BeginCreateTime": "today"}}, 400, "InvalidParameter")

	resp, body := c.do(tasks, call{params: map[string]string{"Format": "XML"}})
	var x struct {
		XMLName xml.Name `xml:"QueryTaskListResponse"`
		Data    struct {
			TaskInfo []struct {
				TaskNo         string
				TaskStatusCode int
				TaskNum        int
			}
		}
	}
	if err := xml.Unmarshal(body, &x); err != nil || resp.StatusCode != 200 || len(x.Data.TaskInfo) != 3 || x.Data.TaskInfo[0].TaskNo != nos[2] {
		t.Errorf("XML: %v %s", err, body)
	}
}

func TestQueryTaskDetailList(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	exp := time.Now().Add(-40 * 24 * time.Hour)
	p := map[string]string{}
	for i := range 25 {
		name := fmt.Sprintf("n%02d.com", i)
		if i%2 == 0 {
			srv.AddDomain(name, exp, InstanceID(fmt.Sprintf("I%02d", i)))
		}
		p[fmt.Sprintf("OrderRedeemParam.%d.DomainName", i+1)] = name
		p[fmt.Sprintf("OrderRedeemParam.%d.CurrentExpirationDate", i+1)] = ms(exp)
	}
	taskNo := c.ok(batch, p)["TaskNo"].(string)

	// Unknown task: an empty page, with an empty array.
	resp, body := c.do(details, call{params: map[string]string{"TaskNo": "nope"}})
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"TotalItemNum":0,`) || !strings.Contains(string(body), `"Data":{"TaskDetail":[]}`) {
		t.Errorf("unknown task: %s", body)
	}
	c.apiErr(details, call{}, 400, "MissingParameter")
	c.apiErr(details, call{params: map[string]string{"TaskNo": taskNo, "PageSize": "1001"}}, 400, "InvalidParameter")
	c.apiErr(details, call{params: map[string]string{"TaskNo": taskNo, "TaskStatus": "4"}}, 400, "InvalidParameter")
	c.ok(details, map[string]string{"TaskNo": taskNo, "PageSize": "1000"})

	m := c.ok(details, map[string]string{"TaskNo": taskNo, "PageSize": "10", "PageNum": "3"})
	ds := items(t, m, "TaskDetail")
	if len(ds) != 5 || num(t, m["TotalItemNum"]) != 25 || num(t, m["TotalPageNum"]) != 3 || ds[0]["DomainName"] != "n20.com" {
		t.Errorf("page 3: %v", m)
	}
	d := ds[0]
	if keys(d) != "CreateTime,DomainName,ErrorMsg,FailReason,InstanceId,TaskDetailNo,TaskNo,TaskResult,TaskStatus,TaskStatusCode,TaskType,TaskTypeDescription,TryCount,UpdateTime" {
		t.Errorf("keys %s", keys(d))
	}
	if d["TaskNo"] != taskNo || d["InstanceId"] != "I20" || d["TaskStatus"] != "EXECUTE_SUCCESS" || num(t, d["TryCount"]) != 1 ||
		d["TaskType"] != "ORDER_REDEEM" || d["TaskTypeDescription"] != "Redeem" || d["CreateTime"] != d["UpdateTime"] {
		t.Errorf("detail %v", d)
	}
	if m := c.ok(details, map[string]string{"TaskNo": taskNo, "TaskStatus": "3"}); num(t, m["TotalItemNum"]) != 12 {
		t.Errorf("failed: %v", m["TotalItemNum"])
	}
	if m := c.ok(details, map[string]string{"TaskNo": taskNo, "TaskStatus": "2"}); num(t, m["TotalItemNum"]) != 13 {
		t.Errorf("succeeded: %v", m["TotalItemNum"])
	}
	if m := c.ok(details, map[string]string{"TaskNo": taskNo, "DomainName": "N03.com"}); len(items(t, m, "TaskDetail")) != 1 {
		t.Errorf("by name: %v", m)
	}
	if m := c.ok(details, map[string]string{"TaskNo": taskNo, "InstanceId": "I04"}); len(items(t, m, "TaskDetail")) != 1 {
		t.Errorf("by instance: %v", m)
	}

	resp, body = c.do(details, call{params: map[string]string{"Format": "XML", "TaskNo": taskNo, "PageSize": "2"}})
	s := string(body)
	if resp.StatusCode != 200 || !strings.Contains(s, "<QueryTaskDetailListResponse><RequestId>") ||
		!strings.Contains(s, "<Data><TaskDetail><TaskNo>") || !strings.Contains(s, "</TaskDetail><TaskDetail>") {
		t.Errorf("XML: %s", s)
	}
	resp, body = c.do(details, call{params: map[string]string{"Format": "XML", "TaskNo": "nope"}})
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<TotalItemNum>0</TotalItemNum>") {
		t.Errorf("XML empty: %s", body)
	}
}

func TestTaskLifecycle(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithTaskDuration(30*time.Second))
	c := newCaller(t, srv)
	exp := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	srv.AddDomain("a.com", exp)
	created := clock.Now()
	taskNo := c.ok(single, map[string]string{"DomainName": "a.com", "CurrentExpirationDate": ms(exp)})["TaskNo"].(string)

	check := func(detailStatus string, code int64, taskStatus string, domainStatus int, wantExp time.Time, updated time.Time) {
		t.Helper()
		d := detailsOf(t, c, taskNo)["a.com"][0]
		if d["TaskStatus"] != detailStatus || num(t, d["TaskStatusCode"]) != code {
			t.Errorf("detail %v %v, want %s", d["TaskStatus"], d["TaskStatusCode"], detailStatus)
		}
		if d["UpdateTime"] != formatCST(updated) || d["CreateTime"] != formatCST(created) {
			t.Errorf("times %v %v", d["CreateTime"], d["UpdateTime"])
		}
		wantTry := int64(1)
		if code == 0 {
			wantTry = 0
		}
		if num(t, d["TryCount"]) != wantTry {
			t.Errorf("TryCount %v", d["TryCount"])
		}
		var ti map[string]any
		for _, x := range items(t, c.ok(tasks, nil), "TaskInfo") {
			if x["TaskNo"] == taskNo {
				ti = x
			}
		}
		if ti["TaskStatus"] != taskStatus {
			t.Errorf("task %v, want %s", ti["TaskStatus"], taskStatus)
		}
		dm := items(t, c.ok(listDomains, nil), "Domain")[0]
		if dm["DomainStatus"] != strconv.Itoa(domainStatus) || num(t, dm["ExpirationDateLong"]) != wantExp.UnixMilli() {
			t.Errorf("domain %v %v", dm["DomainStatus"], dm["ExpirationDateLong"])
		}
		if info, _ := srv.Domain("a.com"); info.Status != domainStatus {
			t.Errorf("Domain().Status %d", info.Status)
		}
	}
	check("WAITING_EXECUTE", 0, "WAITING_EXECUTE", 2, exp, created)
	clock.Advance(10 * time.Second)
	check("EXECUTING", 1, "EXECUTING", 2, exp, created.Add(10*time.Second))

	// A second order while the first is running is created, and fails.
	second := c.ok(single, map[string]string{"DomainName": "a.com", "CurrentExpirationDate": ms(exp)})["TaskNo"].(string)
	if srv.Orders("a.com") != 1 || srv.Submissions("a.com") != 2 {
		t.Errorf("Orders %d Submissions %d, want 1 2", srv.Orders("a.com"), srv.Submissions("a.com"))
	}

	clock.Advance(20 * time.Second)
	check("EXECUTE_SUCCESS", 2, "COMPLETE", 3, exp.AddDate(1, 0, 0), created.Add(30*time.Second))
	if d := detailsOf(t, c, second)["a.com"][0]; d["TaskStatus"] != "EXECUTING" {
		t.Errorf("second at 20s: %v", d["TaskStatus"])
	}
	clock.Advance(30 * time.Second)
	if d := detailsOf(t, c, second)["a.com"][0]; d["TaskStatus"] != "EXECUTE_FAILURE" || d["ErrorMsg"] != MsgRedeemInProgress {
		t.Errorf("second: %v", d)
	}
	if info, _ := srv.Domain("a.com"); !info.Expires.Equal(exp.AddDate(1, 0, 0)) {
		t.Errorf("renewed twice: %v", info.Expires)
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := newTestServer(t)
	exp := time.Now().Add(-40 * 24 * time.Hour)
	const n = 16
	for i := range n {
		srv.AddDomain(fmt.Sprintf("c%d.com", i), exp)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*n)
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			c := newCaller(t, srv)
			resp, body, err := c.send(call{}, c.build(single, call{params: map[string]string{
				"DomainName": fmt.Sprintf("c%d.com", i), "CurrentExpirationDate": ms(exp)}}))
			if err != nil || resp.StatusCode != 200 {
				errs <- fmt.Sprintf("redeem %d: %v %s", i, err, body)
			}
		}()
		go func() {
			defer wg.Done()
			c := newCaller(t, srv)
			resp, body, err := c.send(call{}, c.build(tasks, call{}))
			if err != nil || resp.StatusCode != 200 {
				errs <- fmt.Sprintf("list %d: %v %s", i, err, body)
			}
			srv.Orders("c0.com")
			srv.Requests(single)
			srv.Inject(listDomains, Pass())
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	for i := range n {
		name := fmt.Sprintf("c%d.com", i)
		if info, _ := srv.Domain(name); srv.Orders(name) != 1 || info.Status != StatusNormal {
			t.Errorf("%s: orders %d status %d", name, srv.Orders(name), info.Status)
		}
	}
	if srv.Requests(single) != n || srv.Requests(tasks) != n {
		t.Errorf("Requests %d %d", srv.Requests(single), srv.Requests(tasks))
	}
}
