package alidomaintest

import (
	"testing"
	"time"
)

// 例子.cn and xn--fsqu00a.cn are one domain everywhere: the account, orders,
// the books, QueryDomainList's filter and QueryTaskDetailList's filter.
func TestIDNFormsAreOneDomain(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	exp := time.Now().Add(-40 * 24 * time.Hour)
	srv.AddDomain("例子.cn", exp)
	srv.AddDomain("other.cn", exp)

	info, ok := srv.Domain("XN--fsqu00a.cn")
	if !ok || info.Name != "例子.cn" {
		t.Fatalf("Domain(xn--) = %+v, %v", info, ok)
	}
	for _, filter := range []string{"xn--fsqu00a.cn", "例子.cn", "例子", "XN--FSQU00A"} {
		list := items(t, c.ok(listDomains, map[string]string{"DomainName": filter}), "Domain")
		if len(list) != 1 || list[0]["DomainName"] != "例子.cn" {
			t.Errorf("QueryDomainList DomainName=%s: %v", filter, list)
		}
	}

	// One batch naming the domain in both forms is refused: nothing ordered.
	both := map[string]string{
		"OrderRedeemParam.1.DomainName": "xn--fsqu00a.cn", "OrderRedeemParam.1.CurrentExpirationDate": ms(exp),
		"OrderRedeemParam.2.DomainName": "例子.cn", "OrderRedeemParam.2.CurrentExpirationDate": ms(exp),
	}
	c.apiErr(batch, call{params: both}, 400, "InvalidParameter")
	if srv.Orders("例子.cn") != 0 || srv.Submissions("xn--fsqu00a.cn") != 0 {
		t.Fatalf("a refused batch was booked: Orders %d Submissions %d", srv.Orders("例子.cn"), srv.Submissions("xn--fsqu00a.cn"))
	}

	// One form per batch: one order, the other detail fails.
	first := c.ok(batch, map[string]string{
		"OrderRedeemParam.1.DomainName": "xn--fsqu00a.cn", "OrderRedeemParam.1.CurrentExpirationDate": ms(exp)})["TaskNo"].(string)
	second := c.ok(batch, map[string]string{
		"OrderRedeemParam.1.DomainName": "例子.cn", "OrderRedeemParam.1.CurrentExpirationDate": ms(exp)})["TaskNo"].(string)
	if got := detailsOf(t, c, first)["xn--fsqu00a.cn"]; len(got) != 1 || num(t, got[0]["TaskStatusCode"]) != 2 {
		t.Errorf("xn-- detail: %v", got)
	}
	if got := detailsOf(t, c, second)["例子.cn"]; len(got) != 1 || num(t, got[0]["TaskStatusCode"]) != 3 {
		t.Errorf("unicode detail: %v", got)
	}
	for _, name := range []string{"例子.cn", "xn--fsqu00a.cn", "XN--FSQU00A.CN."} {
		if srv.Orders(name) != 1 || srv.Submissions(name) != 2 {
			t.Errorf("%s: Orders %d Submissions %d, want 1 2", name, srv.Orders(name), srv.Submissions(name))
		}
	}
	if info, _ := srv.Domain("例子.cn"); info.Status != StatusNormal {
		t.Errorf("status %d after the redeem", info.Status)
	}
	for _, taskNo := range []string{first, second} {
		for _, filter := range []string{"例子.cn", "xn--fsqu00a.cn"} {
			d := items(t, c.ok(details, map[string]string{"TaskNo": taskNo, "DomainName": filter}), "TaskDetail")
			if len(d) != 1 {
				t.Errorf("QueryTaskDetailList TaskNo=%s DomainName=%s: %d details, want 1", taskNo, filter, len(d))
			}
		}
	}

	// Adding the other form replaces the domain instead of adding one.
	srv.AddDomain("xn--fsqu00a.cn", exp)
	if n := len(items(t, c.ok(listDomains, nil), "Domain")); n != 2 {
		t.Errorf("%d domains after re-adding in xn-- form, want 2", n)
	}
}
