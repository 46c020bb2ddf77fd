package alidomaintest

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"
)

// famDomains adds domains expiring in a year to srv.
func famDomains(srv *Server, names ...string) {
	exp := srv.now().AddDate(1, 0, 0)
	for _, n := range names {
		srv.AddDomain(n, exp)
	}
}

// details returns the details of the task c's write answered, by domain.
func (c *caller) details(taskNo string) map[string]map[string]any {
	c.t.Helper()
	m := c.ok("QueryTaskDetailList", map[string]string{"TaskNo": taskNo})
	out := map[string]map[string]any{}
	for _, d := range items(c.t, m, "TaskDetail") {
		out[d["DomainName"].(string)] = d
	}
	return out
}

// domainInfo is QueryDomainByDomainName's answer for name.
func (c *caller) domainInfo(name string) map[string]any {
	c.t.Helper()
	return c.ok("QueryDomainByDomainName", map[string]string{"DomainName": name})
}

// listed returns QueryDomainList's items for the filter, by domain.
func (c *caller) listed(filter map[string]string) map[string]map[string]any {
	c.t.Helper()
	p := map[string]string{"PageSize": "100"}
	for k, v := range filter {
		p[k] = v
	}
	out := map[string]map[string]any{}
	for _, d := range items(c.t, c.ok("QueryDomainList", p), "Domain") {
		out[d["DomainName"].(string)] = d
	}
	return out
}

func sortedKeys[V any](m map[string]V) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

// A name server change succeeds for a domain in the account, fails for one
// the account lacks or whose update lock is on, and takes effect only when
// its detail is final.
func TestFamilyNameServers(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithTaskDuration(time.Minute))
	famDomains(srv, "a.com", "b.com")
	srv.AddDomain("c.com", clock.Now().AddDate(1, 0, 0), UpdateLocked())
	c := newCaller(t, srv)

	m := c.ok("SaveBatchTaskForModifyingDomainDns", map[string]string{
		"DomainName.1": "a.com", "DomainName.2": "c.com", "DomainName.3": "missing.com",
		"AliyunDns": "false", "DomainNameServer.1": "ns1.example.net", "DomainNameServer.2": "NS2.example.net",
	})
	taskNo := m["TaskNo"].(string)
	if got := fmt.Sprint(c.domainInfo("a.com")["DnsList"]); got != "map[Dns:[dns1.hichina.com dns2.hichina.com]]" {
		t.Errorf("before the detail is final: DnsList = %s", got)
	}
	clock.Advance(time.Minute)
	ds := c.details(taskNo)
	if ds["a.com"]["TaskStatus"] != "EXECUTE_SUCCESS" ||
		ds["c.com"]["ErrorMsg"] != MsgUpdateProhibited || ds["missing.com"]["ErrorMsg"] != MsgDomainNotFound {
		t.Errorf("details %v", ds)
	}
	if got := fmt.Sprint(c.domainInfo("a.com")["DnsList"]); got != "map[Dns:[ns1.example.net ns2.example.net]]" {
		t.Errorf("DnsList = %s", got)
	}
	if got := fmt.Sprint(c.domainInfo("c.com")["DnsList"]); got != "map[Dns:[dns1.hichina.com dns2.hichina.com]]" {
		t.Errorf("locked domain: DnsList = %s", got)
	}
	l := c.listed(nil)
	if got := fmt.Sprint(l["a.com"]["DnsList"]); got != "map[DnsList:[ns1.example.net ns2.example.net]]" {
		t.Errorf("QueryDomainList DnsList = %s", got)
	}
	if got := fmt.Sprint(l["b.com"]["DnsList"]); got != "map[DnsList:[dns1.hichina.com dns2.hichina.com]]" {
		t.Errorf("untouched domain: DnsList = %s", got)
	}
	if got := sortedKeys(c.listed(map[string]string{"Dns": "NS1.example.net"})); got != "a.com" {
		t.Errorf("QueryDomainList Dns filter: %s", got)
	}

	// Back to Alibaba Cloud's name servers.
	m = c.ok("SaveBatchTaskForModifyingDomainDns", map[string]string{"DomainName.1": "a.com", "AliyunDns": "true"})
	clock.Advance(time.Minute)
	if ds := c.details(m["TaskNo"].(string)); ds["a.com"]["TaskStatus"] != "EXECUTE_SUCCESS" {
		t.Errorf("details %v", ds)
	}
	if got := fmt.Sprint(c.domainInfo("a.com")["DnsList"]); got != "map[Dns:[dns1.hichina.com dns2.hichina.com]]" {
		t.Errorf("DnsList = %s", got)
	}

	// Refused as a whole: no name server, a malformed one, a domain twice.
	before := len(srv.tasks)
	c.apiErr("SaveBatchTaskForModifyingDomainDns", call{params: map[string]string{"DomainName.1": "a.com", "AliyunDns": "false"}},
		http.StatusBadRequest, "MissingParameter")
	c.apiErr("SaveBatchTaskForModifyingDomainDns", call{params: map[string]string{"DomainName.1": "a.com", "AliyunDns": "false", "DomainNameServer.1": "not a host"}},
		http.StatusBadRequest, "InvalidParameter")
	c.apiErr("SaveBatchTaskForModifyingDomainDns", call{params: map[string]string{"DomainName.1": "a.com", "DomainName.2": "A.com", "AliyunDns": "true"}},
		http.StatusBadRequest, "InvalidParameter")
	srv.mu.Lock()
	after := len(srv.tasks)
	srv.mu.Unlock()
	if after != before {
		t.Errorf("refused writes created %d tasks", after-before)
	}
}

// The lock writes turn the locks on and off; a detail FailTasks fails
// changes nothing.
func TestFamilyLocks(t *testing.T) {
	srv := newTestServer(t)
	famDomains(srv, "a.com", "b.com")
	c := newCaller(t, srv)
	srv.FailTasks("SaveBatchTaskForTransferProhibitionLock", "b.com", "registry refused")

	m := c.ok("SaveBatchTaskForTransferProhibitionLock", map[string]string{"DomainName.1": "a.com", "DomainName.2": "b.com", "Status": "true"})
	if ds := c.details(m["TaskNo"].(string)); ds["a.com"]["TaskStatus"] != "EXECUTE_SUCCESS" || ds["b.com"]["FailReason"] != "registry refused" ||
		ds["a.com"]["TaskType"] != "SET_TRANSFER_PROHIBITED" {
		t.Errorf("details %v", ds)
	}
	c.ok("SaveSingleTaskForUpdateProhibitionLock", map[string]string{"DomainName": "b.com", "Status": "true"})
	a, b := c.domainInfo("a.com"), c.domainInfo("b.com")
	if a["TransferProhibitionLock"] != "OPEN" || a["UpdateProhibitionLock"] != "CLOSE" ||
		b["TransferProhibitionLock"] != "CLOSE" || b["UpdateProhibitionLock"] != "OPEN" {
		t.Errorf("locks: a %v/%v, b %v/%v", a["TransferProhibitionLock"], a["UpdateProhibitionLock"], b["TransferProhibitionLock"], b["UpdateProhibitionLock"])
	}
	c.ok("SaveSingleTaskForTransferProhibitionLock", map[string]string{"DomainName": "a.com", "Status": "false"})
	c.ok("SaveBatchTaskForUpdateProhibitionLock", map[string]string{"DomainName.1": "b.com", "Status": "false"})
	a, b = c.domainInfo("a.com"), c.domainInfo("b.com")
	if a["TransferProhibitionLock"] != "CLOSE" || b["UpdateProhibitionLock"] != "CLOSE" {
		t.Errorf("locks after turning off: a %v, b %v", a["TransferProhibitionLock"], b["UpdateProhibitionLock"])
	}
	c.apiErr("SaveSingleTaskForUpdateProhibitionLock", call{params: map[string]string{"DomainName": "a.com", "Status": "yes"}},
		http.StatusBadRequest, "InvalidParameter")
}

// WHOIS privacy follows the batch and single writes.
func TestFamilyWhoisPrivacy(t *testing.T) {
	srv := newTestServer(t)
	famDomains(srv, "a.com", "b.com")
	srv.AddDomain("c.com", srv.now().AddDate(1, 0, 0), WhoisPrivacy())
	c := newCaller(t, srv)
	if c.domainInfo("a.com")["DomainNameProxyService"] != false || c.domainInfo("c.com")["DomainNameProxyService"] != true {
		t.Fatal("initial WHOIS privacy")
	}
	m := c.ok("SaveBatchTaskForDomainNameProxyService", map[string]string{"DomainName.1": "a.com", "DomainName.2": "b.com", "Status": "true"})
	if ds := c.details(m["TaskNo"].(string)); ds["b.com"]["TaskType"] != "SET_WHOIS_PROTECT" || ds["b.com"]["TaskStatus"] != "EXECUTE_SUCCESS" {
		t.Errorf("details %v", ds)
	}
	c.ok("SaveSingleTaskForDomainNameProxyService", map[string]string{"DomainName": "b.com", "Status": "false"})
	c.ok("SaveSingleTaskForDomainNameProxyService", map[string]string{"DomainName": "c.com", "Status": "false"})
	if c.domainInfo("a.com")["DomainNameProxyService"] != true || c.domainInfo("b.com")["DomainNameProxyService"] != false ||
		c.domainInfo("c.com")["DomainNameProxyService"] != false {
		t.Error("WHOIS privacy after the writes")
	}
}

// SaveBatchDomainRemark sets the remark by instance id, all or nothing.
func TestFamilyRemarks(t *testing.T) {
	srv := newTestServer(t)
	exp := srv.now().AddDate(1, 0, 0)
	srv.AddDomain("a.com", exp, InstanceID("S1"))
	srv.AddDomain("b.com", exp, InstanceID("S2"), Remark("old"))
	srv.AddDomain("c.com", exp, InstanceID("S3"), Remark("keep"))
	c := newCaller(t, srv)
	c.ok("SaveBatchDomainRemark", map[string]string{"InstanceIds": "S1, S2", "Remark": "billing team"})
	if c.domainInfo("a.com")["Remark"] != "billing team" || c.domainInfo("c.com")["Remark"] != "keep" {
		t.Error("remarks after the write")
	}
	if l := c.listed(nil); l["b.com"]["Remark"] != "billing team" {
		t.Errorf("QueryDomainList Remark = %v", l["b.com"]["Remark"])
	}
	c.apiErr("SaveBatchDomainRemark", call{params: map[string]string{"InstanceIds": "S3,S404", "Remark": "x"}}, http.StatusBadRequest, "InvalidParameter")
	if c.domainInfo("c.com")["Remark"] != "keep" {
		t.Error("a refused call changed a remark")
	}
	c.ok("SaveBatchDomainRemark", map[string]string{"InstanceIds": "S1"})
	if c.domainInfo("a.com")["Remark"] != "" {
		t.Error("an empty Remark does not clear it")
	}
}

// Domain groups: create, rename, move domains in (adding, replacing, from a
// file), list and filter, delete; resource groups: move and filter.
func TestFamilyGroups(t *testing.T) {
	srv := newTestServer(t)
	famDomains(srv, "a.com", "b.com", "c.com")
	srv.AddDomain("d.com", srv.now().AddDate(1, 0, 0), Group("900", "legacy"), InstanceID("S4"))
	c := newCaller(t, srv)

	g := c.ok("SaveDomainGroup", map[string]string{"DomainGroupName": "shop"})
	id := fmt.Sprint(g["DomainGroupId"])
	if g["DomainGroupName"] != "shop" || id == "900" || num(t, g["TotalNumber"]) != 0 {
		t.Fatalf("SaveDomainGroup = %v", g)
	}
	c.ok("UpdateDomainToDomainGroup", map[string]string{"DomainGroupId": id, "DataSource": "1", "Replace": "false", "DomainName.1": "a.com", "DomainName.2": "b.com"})
	c.ok("SaveDomainGroup", map[string]string{"DomainGroupId": id, "DomainGroupName": "store"})
	if got := sortedKeys(c.listed(map[string]string{"DomainGroupId": id})); got != "a.com,b.com" {
		t.Errorf("group %s holds %s", id, got)
	}
	if info := c.domainInfo("a.com"); fmt.Sprint(info["DomainGroupId"]) != id || info["DomainGroupName"] != "store" {
		t.Errorf("a.com group %v %v", info["DomainGroupId"], info["DomainGroupName"])
	}
	groups := func() map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, g := range items(t, c.ok("QueryDomainGroupList", nil), "DomainGroup") {
			out[g["DomainGroupName"].(string)] = g
		}
		return out
	}
	gl := groups()
	if sortedKeys(gl) != "legacy,store" || num(t, gl["store"]["TotalNumber"]) != 2 || gl["store"]["DomainGroupId"] != id ||
		num(t, gl["legacy"]["TotalNumber"]) != 1 {
		t.Errorf("QueryDomainGroupList = %v", gl)
	}

	// Replace: c.com (from a file) in, a.com and b.com out.
	file := base64.StdEncoding.EncodeToString([]byte("c.com\n"))
	c.ok("UpdateDomainToDomainGroup", map[string]string{"DomainGroupId": id, "DataSource": "2", "Replace": "true", "FileToUpload": file})
	if got := sortedKeys(c.listed(map[string]string{"DomainGroupId": id})); got != "c.com" {
		t.Errorf("after Replace the group holds %s", got)
	}
	if c.domainInfo("a.com")["DomainGroupName"] != "" {
		t.Error("a.com is still in a group")
	}
	c.apiErr("UpdateDomainToDomainGroup", call{params: map[string]string{"DomainGroupId": id, "DataSource": "1", "Replace": "false", "DomainName.1": "a.com", "DomainName.2": "nope.com"}},
		http.StatusBadRequest, "InvalidParameter")
	if c.domainInfo("a.com")["DomainGroupName"] != "" {
		t.Error("a refused move moved a.com")
	}

	c.ok("DeleteDomainGroup", map[string]string{"DomainGroupId": id})
	if gl := groups(); sortedKeys(gl) != "legacy" {
		t.Errorf("after delete: %v", gl)
	}
	if got := sortedKeys(c.listed(map[string]string{"DomainGroupId": id})); got != "" || c.domainInfo("c.com")["DomainGroupName"] != "" {
		t.Errorf("the deleted group still holds %s", got)
	}
	c.ok("DeleteDomainGroup", map[string]string{"DomainGroupId": id}) // again: nothing to delete
	if gl := groups(); sortedKeys(gl) != "legacy" {
		t.Errorf("after deleting again: %v", gl)
	}

	// A group the Group option named outlives its last domain's move.
	g2 := fmt.Sprint(c.ok("SaveDomainGroup", map[string]string{"DomainGroupName": "new"})["DomainGroupId"])
	c.ok("UpdateDomainToDomainGroup", map[string]string{"DomainGroupId": g2, "DataSource": "1", "Replace": "false", "DomainName.1": "d.com"})
	if gl := groups(); sortedKeys(gl) != "legacy,new" || num(t, gl["legacy"]["TotalNumber"]) != 0 || num(t, gl["new"]["TotalNumber"]) != 1 {
		t.Errorf("after moving d.com: %v", gl)
	}

	// Resource groups, by instance id or name.
	if c.domainInfo("a.com")["ResourceGroupId"] != DefaultResourceGroupID {
		t.Error("default resource group")
	}
	c.ok("ChangeResourceGroup", map[string]string{"ResourceId": "S4", "NewResourceGroupId": "rg-ops"})
	c.ok("ChangeResourceGroup", map[string]string{"ResourceId": "b.com", "NewResourceGroupId": "rg-ops", "ResourceType": "DOMAIN"})
	if c.domainInfo("d.com")["ResourceGroupId"] != "rg-ops" {
		t.Error("d.com resource group")
	}
	if got := sortedKeys(c.listed(map[string]string{"ResourceGroupId": "rg-ops"})); got != "b.com,d.com" {
		t.Errorf("resource group rg-ops holds %s", got)
	}
	c.apiErr("ChangeResourceGroup", call{params: map[string]string{"ResourceId": "S404", "NewResourceGroupId": "rg-ops"}}, http.StatusBadRequest, "InvalidParameter")
}

// ScrollDomainList and QueryAdvancedDomainList search the account with
// their filters; the scroll's cursor ends.
func TestFamilySearches(t *testing.T) {
	srv := newTestServer(t)
	exp := srv.now().AddDate(1, 0, 0)
	for i, n := range []string{"shop1.com", "shop2.net", "blog.com", "12345.com", "myshop.cn", "zzz.com", "shoes.com"} {
		srv.AddDomain(n, exp.AddDate(0, 0, i))
	}
	srv.AddDomain("shopold.com", exp, NeedsRedemption(), Premium())
	c := newCaller(t, srv)

	adv := func(p map[string]string) (names []string, m map[string]any) {
		m = c.ok("QueryAdvancedDomainList", p)
		for _, d := range items(t, m, "Domain") {
			names = append(names, d["DomainName"].(string))
		}
		return names, m
	}
	for _, tc := range []struct {
		p    map[string]string
		want string
	}{
		{map[string]string{"KeyWord": "shop"}, "myshop.cn,shop1.com,shop2.net,shopold.com"},
		{map[string]string{"KeyWord": "shop", "KeyWordPrefix": "true"}, "shop1.com,shop2.net,shopold.com"},
		{map[string]string{"KeyWord": "shop", "Excluded": "old", "ExcludedSuffix": "true", "Suffixs": "com,cn"}, "myshop.cn,shop1.com"},
		{map[string]string{"Form": "2"}, "12345.com"},
		{map[string]string{"StartLength": "4", "EndLength": "4"}, "blog.com"},
		{map[string]string{"DomainStatus": "2"}, "shopold.com"},
		{map[string]string{"IsPremiumDomain": "true"}, "shopold.com"},
		{map[string]string{"ProductDomainType": "ccTLD"}, "myshop.cn"},
		{map[string]string{"KeyWord": "sho", "ExpirationDateSort": "false"}, "shoes.com,myshop.cn,shop2.net,shop1.com,shopold.com"},
	} {
		names, _ := adv(tc.p)
		if got := strings.Join(names, ","); got != tc.want {
			t.Errorf("QueryAdvancedDomainList %v = %s, want %s", tc.p, got, tc.want)
		}
	}
	names, m := adv(map[string]string{"PageNum": "2", "PageSize": "3"})
	if strings.Join(names, ",") != "shoes.com,shop1.com,shop2.net" || num(t, m["TotalItemNum"]) != 8 || num(t, m["TotalPageNum"]) != 3 || m["NextPage"] != true {
		t.Errorf("page 2 = %v (%v)", names, m)
	}

	// The scroll: the first call answers a ScrollId and no domains; then
	// pages until the ScrollId is empty; a ScrollId sent again answers the
	// same page; one the Server did not give is refused.
	first := c.ok("ScrollDomainList", map[string]string{"KeyWord": "s", "PageSize": "2"})
	id, _ := first["ScrollId"].(string)
	if id == "" || len(items(t, first, "Domain")) != 0 || num(t, first["TotalItemNum"]) != 5 {
		t.Fatalf("first scroll call = %v", first)
	}
	var got []string
	calls := 0
	for id != "" && calls < 10 {
		calls++
		m := c.ok("ScrollDomainList", map[string]string{"ScrollId": id, "PageSize": "2", "KeyWord": "ignored"})
		for _, d := range items(t, m, "Domain") {
			got = append(got, d["DomainName"].(string))
			if d["ResourceGroupId"] != DefaultResourceGroupID || fmt.Sprint(d["DnsList"]) != "map[Dns:[dns1.hichina.com dns2.hichina.com]]" {
				t.Errorf("scroll item %v", d)
			}
		}
		again := c.ok("ScrollDomainList", map[string]string{"ScrollId": id, "PageSize": "2"})
		if fmt.Sprint(again["Data"], again["ScrollId"]) != fmt.Sprint(m["Data"], m["ScrollId"]) {
			t.Errorf("ScrollId %s sent again: %v, first %v", id, again, m)
		}
		id = m["ScrollId"].(string)
	}
	c.apiErr("ScrollDomainList", call{params: map[string]string{"ScrollId": "scroll-unknown:0"}}, http.StatusBadRequest, "InvalidParameter")
	if strings.Join(got, ",") != "myshop.cn,shoes.com,shop1.com,shop2.net,shopold.com" || calls != 3 {
		t.Errorf("scrolled %v in %d calls", got, calls)
	}
	if m := c.ok("ScrollDomainList", map[string]string{"KeyWord": "nothing-matches"}); m["ScrollId"] != "" || num(t, m["TotalItemNum"]) != 0 {
		t.Errorf("empty scroll = %v", m)
	}
}

// The task history cursors, CancelTask, PollTaskResult and
// AcknowledgeTaskResult.
func TestFamilyTaskHistory(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithTaskDuration(time.Minute))
	famDomains(srv, "a.com", "b.com", "c.com")
	c := newCaller(t, srv)
	var tasks []string
	for _, n := range []string{"a.com", "b.com", "c.com"} {
		m := c.ok("SaveSingleTaskForTransferProhibitionLock", map[string]string{"DomainName": n, "Status": "true"})
		tasks = append(tasks, m["TaskNo"].(string))
		clock.Advance(time.Second)
	}
	// Three tasks, newest first, two a page.
	p1 := c.ok("QueryTaskInfoHistory", map[string]string{"PageSize": "2"})
	objs := p1["Objects"].([]any)
	next, ok := p1["NextPageCursor"].(map[string]any)
	if len(objs) != 2 || objs[0].(map[string]any)["TaskNo"] != tasks[2] || !ok || next["TaskNo"] != tasks[0] {
		t.Fatalf("first page %v", p1)
	}
	p2 := c.ok("QueryTaskInfoHistory", map[string]string{"PageSize": "2", "TaskNoCursor": next["TaskNo"].(string), "CreateTimeCursor": fmt.Sprint(next["CreateTimeLong"])})
	if objs := p2["Objects"].([]any); len(objs) != 1 || objs[0].(map[string]any)["TaskNo"] != tasks[0] {
		t.Errorf("second page %v", p2)
	}
	if _, more := p2["NextPageCursor"]; more {
		t.Errorf("the last page has a NextPageCursor: %v", p2)
	}

	// Cancel the last task while its detail is pending: it fails and
	// changes nothing.
	c.ok("CancelTask", map[string]string{"TaskNo": tasks[2]})
	clock.Advance(time.Minute)
	if c.domainInfo("c.com")["TransferProhibitionLock"] != "CLOSE" || c.domainInfo("a.com")["TransferProhibitionLock"] != "OPEN" {
		t.Error("locks after the cancel")
	}
	if ds := c.details(tasks[2]); ds["c.com"]["ErrorMsg"] != MsgTaskCancelled {
		t.Errorf("cancelled detail %v", ds)
	}
	for _, ti := range items(t, c.ok("QueryTaskList", nil), "TaskInfo") {
		want := TaskNotCancelled
		if ti["TaskNo"] == tasks[2] {
			want = TaskCancelled
		}
		if ti["TaskCancelStatus"] != want {
			t.Errorf("task %v TaskCancelStatus %v, want %s", ti["TaskNo"], ti["TaskCancelStatus"], want)
		}
	}
	// Cancelling a finished task changes nothing; an unknown one is refused.
	c.ok("CancelTask", map[string]string{"TaskNo": tasks[0]})
	if ds := c.details(tasks[0]); ds["a.com"]["TaskStatus"] != "EXECUTE_SUCCESS" {
		t.Errorf("finished task after a cancel: %v", ds)
	}
	for _, ti := range items(t, c.ok("QueryTaskList", nil), "TaskInfo") {
		if ti["TaskNo"] == tasks[0] && ti["TaskCancelStatus"] != TaskNotCancelled {
			t.Errorf("finished task after a cancel: %v", ti)
		}
	}
	c.apiErr("CancelTask", call{params: map[string]string{"TaskNo": "no-such-task"}}, http.StatusBadRequest, "InvalidParameter")

	// Detail history of a three-domain task, one a page.
	m := c.ok("SaveBatchTaskForUpdateProhibitionLock", map[string]string{"DomainName.1": "a.com", "DomainName.2": "b.com", "DomainName.3": "c.com", "Status": "true"})
	batch := m["TaskNo"].(string)
	clock.Advance(time.Minute)
	var seen []string
	cur := map[string]string{"TaskNo": batch, "PageSize": "1"}
	for i := 0; i < 5; i++ {
		h := c.ok("QueryTaskDetailHistory", cur)
		for _, o := range h["Objects"].([]any) {
			seen = append(seen, o.(map[string]any)["DomainName"].(string))
		}
		next, ok := h["NextPageCursor"].(map[string]any)
		if !ok {
			break
		}
		cur = map[string]string{"TaskNo": batch, "PageSize": "1", "TaskDetailNoCursor": next["TaskDetailNo"].(string), "DomainNameCursor": next["DomainName"].(string)}
	}
	if strings.Join(seen, ",") != "a.com,b.com,c.com" {
		t.Errorf("detail history %v", seen)
	}

	// Poll: the final details (1 + 1 + 1 + 3), the failed one alone, then
	// acknowledged ones leave.
	poll := func(p map[string]string) []map[string]any {
		return items(t, c.ok("PollTaskResult", p), "TaskDetail")
	}
	all := poll(nil)
	if len(all) != 6 {
		t.Fatalf("poll %v", all)
	}
	if failed := poll(map[string]string{"TaskResultStatus": "3"}); len(failed) != 1 || failed[0]["TaskNo"] != tasks[2] {
		t.Errorf("failed %v", failed)
	}
	ack := c.ok("AcknowledgeTaskResult", map[string]string{"TaskDetailNo.1": all[0]["TaskDetailNo"].(string), "TaskDetailNo.2": all[1]["TaskDetailNo"].(string), "TaskDetailNo.3": "404"})
	if num(t, ack["Result"]) != 2 {
		t.Errorf("acknowledged %v", ack)
	}
	if left := poll(nil); len(left) != 4 || left[0]["TaskDetailNo"] == all[0]["TaskDetailNo"] {
		t.Errorf("after acknowledging: %v", left)
	}
	if left := poll(map[string]string{"TaskNo": batch, "DomainName": "B.com"}); len(left) != 1 || left[0]["DomainName"] != "b.com" {
		t.Errorf("filtered poll %v", left)
	}
}

// QueryChangeLogList lists the changes the families made, newest first,
// filtered by domain and date.
func TestFamilyChangeLog(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now))
	exp := clock.Now().AddDate(1, 0, 0)
	srv.AddDomain("a.com", exp, InstanceID("S1"))
	srv.AddDomain("b.com", exp)
	c := newCaller(t, srv)
	start := clock.Now()
	c.ok("SaveBatchTaskForModifyingDomainDns", map[string]string{"DomainName.1": "a.com", "DomainName.2": "b.com", "DomainName.3": "gone.com", "AliyunDns": "false", "DomainNameServer.1": "ns1.example.net", "UserClientIp": "203.0.113.7"})
	clock.Advance(time.Hour)
	mid := clock.Now()
	c.ok("SaveBatchDomainRemark", map[string]string{"InstanceIds": "S1", "Remark": "team"})
	clock.Advance(time.Hour)
	c.ok("SaveSingleTaskForDomainNameProxyService", map[string]string{"DomainName": "a.com", "Status": "true"})

	log := func(p map[string]string) []map[string]any {
		return items(t, c.ok("QueryChangeLogList", p), "ChangeLog")
	}
	all := log(map[string]string{"DomainName": "a.com"})
	var ops []string
	for _, e := range all {
		ops = append(ops, e["Operation"].(string))
		if e["Result"] != ChangeLogResultSuccess || e["DomainName"] != "a.com" {
			t.Errorf("entry %v", e)
		}
	}
	if strings.Join(ops, ",") != "SET_WHOIS_PROTECT,SaveBatchDomainRemark,CHG_DNS" {
		t.Errorf("a.com's log %v", ops)
	}
	if all[2]["OperationIPAddress"] != "203.0.113.7" || !strings.Contains(all[2]["Details"].(string), "ns1.example.net") ||
		all[2]["Time"] != formatCST(start) {
		t.Errorf("the DNS entry %v", all[2])
	}
	if n := len(log(nil)); n != 4 {
		t.Errorf("%d entries in all, want 4 (the failed detail logs nothing)", n)
	}
	if got := log(map[string]string{"StartDate": ms(mid), "EndDate": ms(mid)}); len(got) != 1 || got[0]["Operation"] != "SaveBatchDomainRemark" {
		t.Errorf("by date %v", got)
	}
}
