package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alidomain/alidomain/alidomaintest"
	"github.com/alidomain/alidomain/internal/catalog"
)

// totalRequests is every request the simulator answered, over every
// action of the catalog.
func totalRequests(sim *alidomaintest.Server) int {
	n := 0
	for _, act := range theCatalog().Actions {
		n += sim.Requests(act.Name)
	}
	return n
}

func TestActionsTableJSONCSV(t *testing.T) {
	cat := catalog.MustLoad()
	paid := 0
	for _, act := range cat.Actions {
		if act.Kind == catalog.PaidOrder {
			paid++
		}
	}
	r := runBin(t, nil, "", "actions")
	expectCode(t, r, exitOK)
	if !strings.HasSuffix(r.stdout, fmt.Sprintf("\n%d actions\n", len(cat.Actions))) {
		t.Errorf("table does not end with the count of %d actions:\n%s", len(cat.Actions), r.stdout[max(0, len(r.stdout)-200):])
	}
	if !regexp.MustCompile(`(?m)^SaveBatchTaskForCreatingOrderRenew +paid order +Starts a task`).MatchString(r.stdout) ||
		!regexp.MustCompile(`(?m)^QueryDomainList +list +`).MatchString(r.stdout) ||
		!regexp.MustCompile(`(?m)^SaveBatchTaskForModifyingDomainDns +task write +`).MatchString(r.stdout) {
		t.Errorf("table rows lack their kinds:\n%s", r.stdout)
	}

	doc := decode(t, runBin(t, nil, "", "actions", "--json"))
	list := doc["actions"].([]any)
	if len(list) != len(cat.Actions) || int(doc["count"].(float64)) != len(cat.Actions) {
		t.Fatalf("JSON: %d actions, want %d", len(list), len(cat.Actions))
	}
	kinds := map[string]int{}
	for _, x := range list {
		m := x.(map[string]any)
		kinds[m["kind"].(string)]++
		if m["summary"] == "" {
			t.Errorf("%v has no summary", m["action"])
		}
	}
	if kinds["paid_order"] != paid || kinds["list"] != 15 || kinds["page_list"] != 0 {
		t.Errorf("kinds %v, want %d paid orders and 15 lists", kinds, paid)
	}

	recs := records(t, runBin(t, nil, "", "actions", "--kind", "paid", "-o", "csv"))
	if len(recs) != 1+paid || recs[0][1] != "KIND" {
		t.Fatalf("--kind paid CSV: %d records, want %d", len(recs), 1+paid)
	}
	for _, rec := range recs[1:] {
		if rec[1] != "paid order" {
			t.Errorf("--kind paid: %v", rec)
		}
	}
	doc = decode(t, runBin(t, nil, "", "actions", "--kind", "task,write", "--json"))
	for _, x := range doc["actions"].([]any) {
		if k := x.(map[string]any)["kind"]; k != "task_write" && k != "write" {
			t.Errorf("--kind task,write: %v", x)
		}
	}
	r = runBin(t, nil, "", "actions", "--kind", "cheap")
	expectCode(t, r, exitUsage)
}

func TestCallRead(t *testing.T) {
	r := runBin(t, nil, "", "--simulate", "call", "QueryDomainByDomainName", "DomainName=acme-shop.com")
	expectCode(t, r, exitOK)
	var ans map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &ans); err != nil || ans["DomainName"] != "acme-shop.com" {
		t.Fatalf("answer %v (%v):\n%s", ans, err, r.stdout)
	}
	doc := decode(t, runBin(t, nil, "", "--simulate", "call", "QueryDomainByDomainName", "DomainName=acme-shop.com", "--json"))
	if a := doc["answer"].(map[string]any); a["DomainName"] != "acme-shop.com" || doc["kind"] != "read" {
		t.Errorf("JSON: %v", doc)
	}
	if calls(doc, "QueryDomainByDomainName") != 1 {
		t.Errorf("calls %v", doc["api_calls"])
	}
	// A page list, with integer parameters.
	doc = decode(t, runBin(t, nil, "", "--simulate", "call", "QueryDomainList", "PageNum=1", "PageSize=5", "--json"))
	a := doc["answer"].(map[string]any)
	if n := len(a["Data"].(map[string]any)["Domain"].([]any)); n != 5 {
		t.Errorf("QueryDomainList PageSize=5: %d domains", n)
	}
	// The service's refusal: exit 1, its code in the report.
	r = runBin(t, nil, "", "--simulate", "call", "QueryDomainByDomainName", "DomainName=nosuch-acme.com", "--json")
	expectCode(t, r, exitFailed)
	if doc := decode(t, r); doc["api_error"] == nil || doc["error"] == "" {
		t.Errorf("refused read: %v", doc)
	}
}

func TestCallTaskWriteWait(t *testing.T) {
	r := runBin(t, nil, "", "--simulate", "call", "SaveBatchTaskForTransferProhibitionLock",
		"DomainName=acme-01.com", "DomainName=acme-02.com", "Status=true", "--wait", "--json")
	expectCode(t, r, exitOK)
	doc := decode(t, r)
	if doc["task"] == "" || doc["task"] != doc["answer"].(map[string]any)["TaskNo"] {
		t.Errorf("task %v, answer %v", doc["task"], doc["answer"])
	}
	details := doc["details"].([]any)
	if len(details) != 2 {
		t.Fatalf("details %v", details)
	}
	for _, d := range details {
		if m := d.(map[string]any); m["status"] != "succeeded" {
			t.Errorf("detail %v", m)
		}
	}
	if calls(doc, "SaveBatchTaskForTransferProhibitionLock") != 1 || calls(doc, "QueryTaskDetailList") < 1 {
		t.Errorf("calls %v", doc["api_calls"])
	}
	// Explicit indices; the table shows the answer, then each domain.
	r = runBin(t, nil, "", "--simulate", "call", "SaveBatchTaskForDomainNameProxyService",
		"DomainName.1=acme-01.com", "DomainName.2=例子.cn", "Status=false", "--wait")
	expectCode(t, r, exitOK)
	if !strings.Contains(r.stdout, `"TaskNo"`) || !strings.Contains(r.stdout, "2 domains, 2 succeeded, 0 failed, 0 pending") {
		t.Errorf("table:\n%s", r.stdout)
	}
	// A detail that fails: exit 1.
	r = runBin(t, nil, "", "--simulate", "call", "SaveSingleTaskForQueryingTransferAuthorizationCode", "DomainName=nosuch-acme.com", "--wait", "--json")
	expectCode(t, r, exitFailed)
	if doc := decode(t, r); doc["details"].([]any)[0].(map[string]any)["status"] != "failed" {
		t.Errorf("failed detail: %v", doc["details"])
	}
	// --wait on an action without a task: usage.
	expectCode(t, runBin(t, nil, "", "--simulate", "call", "QueryDomainByDomainName", "DomainName=acme-shop.com", "--wait"), exitUsage)
}

// TestCallRefusedBeforeSending: usage errors and a paid order without
// --yes send nothing (the simulator's counters stay at 0).
func TestCallRefusedBeforeSending(t *testing.T) {
	sim := demoSim(t)
	cases := []struct {
		args []string
		want string // in the error
	}{
		{[]string{"call", "QueryDomainByName", "DomainName=a.com"}, "no action"},
		{[]string{"call", "querydomainbydomainname", "DomainName=a.com"}, "did you mean QueryDomainByDomainName"},
		{[]string{"call", "QueryDomainByDomainName"}, "missing required parameter DomainName"},
		{[]string{"call", "QueryDomainByDomainName", "DomainName=a.com", "Color=blue"}, "no parameter Color"},
		{[]string{"call", "QueryDomainByDomainName", "DomainName=a.com", "DomainName=b.com"}, "given twice"},
		{[]string{"call", "QueryDomainByDomainName", "a.com"}, "not Name=value"},
		{[]string{"call", "QueryDomainList", "PageNum=one", "PageSize=10"}, "not an integer"},
		{[]string{"call", "QueryDomainList", "PageNum=1", "PageSize=10", "PageNum=2"}, "given twice"},
		{[]string{"call", "SaveBatchTaskForTransferProhibitionLock", "DomainName=a.com", "Status=yes"}, "not true or false"},
		{[]string{"call", "SaveBatchTaskForTransferProhibitionLock", "DomainName=a.com"}, "missing required parameter Status"},
		{[]string{"call", "SaveBatchTaskForTransferProhibitionLock", "DomainName.2=a.com", "Status=true"}, "DomainName.1 is missing"},
		{[]string{"call", "SaveBatchTaskForTransferProhibitionLock", "DomainName=a.com", "DomainName.2=b.com", "Status=true"}, "not both"},
		{[]string{"call", "SaveBatchTaskForTransferProhibitionLock", "DomainName.1001=a.com", "Status=true"}, "at most 1000"},
		{[]string{"call", "SaveBatchTaskForModifyingDomainDns", "DomainName=a.com", "AliyunDns=false",
			"DomainNameServer=1", "DomainNameServer=2", "DomainNameServer=3", "DomainNameServer=4", "DomainNameServer=5",
			"DomainNameServer=6", "DomainNameServer=7", "DomainNameServer=8", "DomainNameServer=9", "DomainNameServer=10",
			"DomainNameServer=11", "DomainNameServer=12", "DomainNameServer=13", "DomainNameServer=14"}, "14 items: at most 13"},
		{[]string{"call", "SaveBatchTaskForCreatingOrderRenew", "OrderRenewParam=acme-shop.com"}, "OrderRenewParam.N.Field=value"},
		{[]string{"call", "SaveBatchTaskForCreatingOrderRenew", "OrderRenewParam.1.Domain=acme-shop.com"}, "has no field Domain"},
		{[]string{"call", "QueryDomainRealTimePrice", "Currency=CNY", "DomainItem=acme-shop.com"}, "not a JSON array"},
		{[]string{"call", "QueryDomainRealTimePrice", "Currency=CNY", `DomainItem=[{"DomainName":"a.com","Years":1}]`}, "has no field Years"},
	}
	for _, c := range cases {
		for _, format := range []string{"table", "json"} {
			r := runIn(t, sim, false, append(c.args, "-o", format)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
				t.Errorf("%v -o %s: exit %d, stderr %q, want exit 2 and %q", c.args, format, r.code, r.stderr, c.want)
			}
			if format == "table" && r.stdout != "" {
				t.Errorf("%v: stdout %q", c.args, r.stdout)
			}
			if format == "json" {
				if doc := decode(t, r); !strings.Contains(doc["error"].(string), c.want) {
					t.Errorf("%v --json: %v", c.args, doc)
				}
			}
		}
	}
	r := runIn(t, sim, false, "call", "QueryDomainByDomainName", "DomainName=a.com", "-o", "csv")
	if r.code != exitUsage || !strings.Contains(r.stderr, "JSON") || r.stdout != "" {
		t.Errorf("call -o csv: exit %d, stderr %q", r.code, r.stderr)
	}
	// The usage error lists the action's parameters.
	r = runIn(t, sim, false, "call", "SaveBatchTaskForTransferProhibitionLock", "DomainName=a.com")
	if !strings.Contains(r.stderr, "Parameters of SaveBatchTaskForTransferProhibitionLock") || !regexp.MustCompile(`(?m)^Status +boolean +yes`).MatchString(r.stderr) {
		t.Errorf("the error does not list the parameters:\n%s", r.stderr)
	}

	// A paid order without --yes: shown, not sent (exit 4).
	dom, _ := sim.Domain("acme-shop.com")
	renew := []string{"call", "SaveBatchTaskForCreatingOrderRenew", "OrderRenewParam.1.DomainName=acme-shop.com",
		"OrderRenewParam.1.SubscriptionDuration=1", fmt.Sprintf("OrderRenewParam.1.CurrentExpirationDate=%d", dom.Expires.UnixMilli())}
	r = runIn(t, sim, false, renew...)
	expectCode(t, r, exitNothing)
	if !strings.Contains(r.stdout, "OrderRenewParam.1.DomainName=acme-shop.com") || !strings.Contains(r.stdout, "nothing was sent; add --yes") {
		t.Errorf("paid order without --yes:\n%s", r.stdout)
	}
	r = runIn(t, sim, false, append(renew, "--json")...)
	expectCode(t, r, exitNothing)
	if doc := decode(t, r); doc["submitted"] != false || len(doc["api_calls"].(map[string]any)) != 0 {
		t.Errorf("paid order without --yes, JSON: %v", doc)
	}
	if n := totalRequests(sim); n != 0 || sim.Orders("acme-shop.com") != 0 {
		t.Fatalf("the refused calls sent %d requests, %d orders", n, sim.Orders("acme-shop.com"))
	}
	// With --yes: one order, followed.
	r = runIn(t, sim, false, append(renew, "--yes", "--wait", "--json")...)
	expectCode(t, r, exitOK)
	if sim.Requests("SaveBatchTaskForCreatingOrderRenew") != 1 || sim.Orders("acme-shop.com") != 1 {
		t.Errorf("--yes: %d requests, %d orders", sim.Requests("SaveBatchTaskForCreatingOrderRenew"), sim.Orders("acme-shop.com"))
	}
}

func TestCallHelpShowsParameters(t *testing.T) {
	r := runBin(t, nil, "", "call", "SaveBatchTaskForModifyingDomainDns", "--help")
	expectCode(t, r, exitOK)
	for _, want := range []string{
		"SaveBatchTaskForModifyingDomainDns (task write): Starts a task that sets the name servers",
		"--wait",
		"Parameters of SaveBatchTaskForModifyingDomainDns",
		"  0  " + exitCodes[0].meaning,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("help lacks %q:\n%s", want, r.stdout)
		}
	}
	if !regexp.MustCompile(`(?m)^DomainNameServer +string +no +list: DomainNameServer=v repeated, or DomainNameServer.N=v +at most 13 items$`).MatchString(r.stdout) ||
		!regexp.MustCompile(`(?m)^AliyunDns +boolean +yes +-`).MatchString(r.stdout) {
		t.Errorf("parameter rows:\n%s", r.stdout)
	}
	r = runBin(t, nil, "", "call", "SaveBatchTaskForCreatingOrderTransfer", "--help")
	if !regexp.MustCompile(`(?m)^  OrderTransferParam.N.AuthorizationCode +string .*secret`).MatchString(r.stdout) || !strings.Contains(r.stdout, "paid order") {
		t.Errorf("struct list help:\n%s", r.stdout)
	}
	// call --help without an action: the command's own help.
	r = runBin(t, nil, "", "call", "--help")
	if !strings.Contains(r.stdout, "call ACTION [Name=value ...]") {
		t.Errorf("call --help:\n%s", r.stdout)
	}
}

// TestCallSecretsNeverEchoed: a secret parameter's value appears in no
// output: usage errors, a paid order's plan, the service's errors, --debug.
func TestCallSecretsNeverEchoed(t *testing.T) {
	const code = "EPP-S3CRET-Q7W9Z"
	for _, args := range [][]string{
		{"--simulate", "--debug", "call", "CheckTransferInFeasibility", "TransferAuthorizationCode=" + code},
		{"--simulate", "--debug", "call", "CheckTransferInFeasibility", "TransferAuthorizationCode=" + code, "DomainName=x", "Lang=fr"},
		{"--simulate", "--debug", "call", "SaveSingleTaskForCreatingOrderTransfer", "DomainName=acme-transfer.com", "AuthorizationCode=" + code, "RegistrantProfileId=20001"},
		{"--simulate", "--debug", "call", "SaveSingleTaskForCreatingOrderTransfer", "DomainName=acme-transfer.com", "AuthorizationCode=" + code, "RegistrantProfileId=x"},
		{"--simulate", "--debug", "call", "SaveBatchTaskForCreatingOrderTransfer", "OrderTransferParam.1.DomainName=acme-transfer.com",
			"OrderTransferParam.1.AuthorizationCode=" + code, "OrderTransferParam.1.RegistrantProfileId=20001", "--yes", "--wait"},
		{"--simulate", "--debug", "call", "TransferInCheckMailToken", "Token=" + code},
		{"--simulate", "--debug", "call", "SaveRegistrantProfileRealNameVerification", "IdentityCredentialNo=" + code},
		{"--simulate", "--debug", "call", "SaveRegistrantProfileRealNameVerification", "IdentityCredentialNo=" + code, "IdentityCredentialNo=x"},
		{"--simulate", "--debug", "call", "CheckTransferInFeasibility", "DomainName=acme-transfer.com", "TransferAuthorizationCode=" + code},
	} {
		for _, format := range []string{"table", "json"} {
			r := runBin(t, nil, "", append(args, "-o", format)...)
			if strings.Contains(r.stdout, code) || strings.Contains(r.stderr, code) || strings.Contains(r.stdout, "S3CRET") {
				t.Errorf("%v -o %s: the secret is in the output\nstdout:\n%s\nstderr:\n%s", args, format, r.stdout, r.stderr)
			}
			if r.stdout+r.stderr == "" {
				t.Errorf("%v: no output", args)
			}
		}
	}
}

func TestBulkDNSLockPrivacy(t *testing.T) {
	r := runBin(t, nil, "", "--simulate", "dns", "set", "--ns", "ns1.example.net,ns2.example.net", "acme-01.com", "acme-02.com", "例子.cn", "--json")
	expectCode(t, r, exitOK)
	doc := decode(t, r)
	ds := domainsOf(t, doc)
	if len(ds) != 3 {
		t.Fatalf("domains %v", ds)
	}
	for name, d := range ds {
		if d["status"] != stSucceeded || d["task"] == "" || !strings.Contains(d["message"].(string), "ns1.example.net") {
			t.Errorf("%s: %v", name, d)
		}
	}
	if calls(doc, actModifyDNS) != 1 || len(doc["tasks"].([]any)) != 1 {
		t.Errorf("3 domains in %d calls, %v tasks", calls(doc, actModifyDNS), doc["tasks"])
	}
	r = runBin(t, nil, "", "--simulate", "dns", "set", "--aliyun", "acme-01.com")
	expectCode(t, r, exitOK)
	if !regexp.MustCompile(`(?m)^acme-01.com +succeeded +\S+ +name servers set to Alibaba Cloud DNS$`).MatchString(r.stdout) ||
		!strings.HasSuffix(r.stdout, "1 domain: 1 succeeded, 0 failed\n") {
		t.Errorf("dns set --aliyun:\n%s", r.stdout)
	}
	for _, args := range [][]string{
		{"dns", "set", "acme-01.com"},
		{"dns", "set", "--aliyun", "--ns", "a.net,b.net", "acme-01.com"},
		{"dns", "set", "--ns", "a.net,b.net"},
		{"dns"},
		{"lock", "acme-01.com"},
		{"lock", "maybe", "acme-01.com"},
		{"lock", "on"},
		{"privacy", "on"},
		{"transfer-out", "code"},
	} {
		r := runBin(t, nil, "", append([]string{"--simulate"}, args...)...)
		if r.code != exitUsage || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q", args, r.code, r.stdout)
		}
	}

	// Locks: the transfer lock, or the update lock with --update; 1001
	// domains take two tasks (the list holds 1000).
	var b strings.Builder
	for i := 0; i < 1001; i++ {
		fmt.Fprintf(&b, "bulk-%04d.com\n", i)
	}
	r = runBin(t, nil, b.String(), "--simulate", "lock", "on", "--file", "-", "--json")
	doc = decode(t, r)
	if calls(doc, actTransferLock) != 2 || calls(doc, actUpdateLock) != 0 || len(doc["domains"].([]any)) != 1001 {
		t.Errorf("lock on 1001 domains: %v calls, %d domains", doc["api_calls"], len(doc["domains"].([]any)))
	}
	r = runBin(t, nil, "", "--simulate", "lock", "off", "--update", "acme-01.com", "acme-02.com", "-o", "csv")
	expectCode(t, r, exitOK)
	recs := records(t, r)
	if len(recs) != 3 || recs[0][1] != "STATUS" || recs[1][1] != stSucceeded || recs[2][3] != "update lock off" {
		t.Errorf("lock off --update CSV: %v", recs)
	}
	doc = decode(t, runBin(t, nil, "", "--simulate", "lock", "off", "--update", "acme-01.com", "--json"))
	if calls(doc, actUpdateLock) != 1 || calls(doc, actTransferLock) != 0 {
		t.Errorf("--update: %v", doc["api_calls"])
	}

	r = runBin(t, []string{envSimTaskDuration + "=300ms"}, "", "--simulate", "privacy", "on", "acme-01.com", "acme-02.com")
	expectCode(t, r, exitOK)
	if r.stderr != "" {
		t.Errorf("stderr in a pipe: %q", r.stderr)
	}
	if n := len(regexp.MustCompile(`(?m)^acme-0[12].com +succeeded +\S+ +WHOIS privacy on$`).FindAllString(r.stdout, -1)); n != 2 {
		t.Errorf("privacy on:\n%s", r.stdout)
	}
}

// codeLine finds the transfer-out code table's line of domain and returns
// its code (the CODE column).
func codeLine(t *testing.T, stdout, domain string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(domain) + ` +succeeded +\S+ +(\S+)$`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no code line for %s:\n%s", domain, stdout)
	}
	return m[1]
}

// TestTransferOutCodeShownOnce: the code is in the one transfer-out code
// line of its domain (or its JSON object), never on stderr (--debug
// included), and no other command shows it.
func TestTransferOutCodeShownOnce(t *testing.T) {
	r := runBin(t, nil, "", "--simulate", "--debug", "transfer-out", "code", "acme-01.com", "acme-02.com", "nosuch-acme.com")
	expectCode(t, r, exitFailed)
	for _, d := range []string{"acme-01.com", "acme-02.com"} {
		code := codeLine(t, r.stdout, d)
		if len(code) < 8 || strings.Count(r.stdout, code) != 1 || strings.Contains(r.stderr, code) {
			t.Errorf("code of %s: %d times on stdout, on stderr %v", d, strings.Count(r.stdout, code), strings.Contains(r.stderr, code))
		}
	}
	if !strings.Contains(r.stderr, actTransferOutKey) {
		t.Errorf("--debug logged no attempt:\n%s", r.stderr)
	}

	r = runBin(t, nil, "", "--simulate", "--debug", "transfer-out", "code", "acme-01.com", "--json")
	expectCode(t, r, exitOK)
	d := domainsOf(t, decode(t, r))["acme-01.com"]
	code, _ := d["authorization_code"].(string)
	if len(code) < 8 || strings.Count(r.stdout, code) != 1 || strings.Contains(r.stderr, code) {
		t.Errorf("JSON: code %q, %d times on stdout", code, strings.Count(r.stdout, code))
	}

	// On one simulator: the code's task read back by every other command.
	sim := demoSim(t)
	r = runIn(t, sim, false, "transfer-out", "code", "acme-03.com", "--json")
	expectCode(t, r, exitOK)
	d = domainsOf(t, decode(t, r))["acme-03.com"]
	code, task := d["authorization_code"].(string), d["task"].(string)
	if len(code) < 8 || task == "" {
		t.Fatalf("transfer-out code: %v", d)
	}
	for _, args := range [][]string{
		{"tasks", "show", task},
		{"tasks", "show", task, "--json"},
		{"tasks", "wait", task, "-o", "csv"},
		{"tasks", "--json"},
		{"--debug", "call", "QueryTaskDetailList", "TaskNo=" + task, "PageNum=1", "PageSize=10"},
		{"call", "QueryTaskDetailList", "TaskNo=" + task, "PageNum=1", "PageSize=10", "--json"},
		{"call", "QueryTaskList", "PageNum=1", "PageSize=10", "--json"},
		{"call", "PollTaskResult", "PageNum=1", "PageSize=10", "--json"},
		{"call", "QueryTransferOutInfo", "DomainName=acme-03.com"},
	} {
		r := runIn(t, sim, false, args...)
		if strings.Contains(r.stdout, code) || strings.Contains(r.stderr, code) {
			t.Errorf("%v shows the code:\n%s%s", args, r.stdout, r.stderr)
		}
		if r.code != exitOK {
			t.Errorf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
	r = runIn(t, sim, false, "call", "QueryTaskDetailList", "TaskNo="+task, "PageNum=1", "PageSize=10")
	if !strings.Contains(r.stdout, `"TaskResult": "`+redactedMark+`"`) {
		t.Errorf("TaskResult not redacted:\n%s", r.stdout)
	}
}

func TestCompletionOfCallAndBulk(t *testing.T) {
	r := runBin(t, nil, "", "__complete", "call", "SaveBatchTaskForMod")
	if !strings.Contains(r.stdout, "SaveBatchTaskForModifyingDomainDns\ttask write: ") {
		t.Errorf("action names:\n%s", r.stdout)
	}
	r = runBin(t, nil, "", "__complete", "call", "SaveBatchTaskForModifyingDomainDns", "DomainName=a.com", "Dom")
	if !strings.Contains(r.stdout, "DomainName=\n") || !strings.Contains(r.stdout, "DomainNameServer=\n") || strings.Contains(r.stdout, "AliyunDns") {
		t.Errorf("parameter names:\n%s", r.stdout)
	}
	r = runBin(t, nil, "", "__complete", "call", "SaveBatchTaskForCreatingOrderRenew", "OrderRenewParam.1.DomainName=a.com", "")
	if !strings.Contains(r.stdout, "OrderRenewParam.2.DomainName=\n") {
		t.Errorf("struct list fields:\n%s", r.stdout)
	}
	r = runBin(t, nil, "", "__complete", "lock", "")
	if !strings.Contains(r.stdout, "on\n") || !strings.Contains(r.stdout, "off\n") {
		t.Errorf("lock:\n%s", r.stdout)
	}
	r = runBin(t, nil, "", "__complete", "")
	for _, c := range []string{"actions", "call", "dns", "lock", "privacy", "transfer-out"} {
		if !strings.Contains(r.stdout, c) {
			t.Errorf("commands lack %s:\n%s", c, r.stdout)
		}
	}
	// The bash script completes through __complete, so call's names too.
	r = runBin(t, nil, "", "completion", "bash")
	if !strings.Contains(r.stdout, "__complete") {
		t.Error("the bash script does not use __complete")
	}
}

// TestUnknownOutcomeOfWrites: a task write whose answer is lost after the
// service did it is sent once and reported unknown (exit 3); a throttled
// one provably was not done, so the SDK sends it again.
func TestUnknownOutcomeOfWrites(t *testing.T) {
	drop := []string{envSimFault + "=" + actModifyDNS + "=drop-after-commit"}
	r := runBin(t, drop, "", "--simulate", "dns", "set", "--ns", "ns1.example.net,ns2.example.net", "acme-01.com", "acme-02.com", "--json")
	expectCode(t, r, exitUnknown)
	doc := decode(t, r)
	if calls(doc, actModifyDNS) != 1 {
		t.Errorf("sent %d times, want 1", calls(doc, actModifyDNS))
	}
	for name, d := range domainsOf(t, doc) {
		if d["status"] != stUnknown || !strings.Contains(d["message"].(string), "alidomain tasks --since") {
			t.Errorf("%s: %v", name, d)
		}
	}
	r = runBin(t, drop, "", "--simulate", "call", actModifyDNS, "DomainName=acme-01.com", "AliyunDns=true", "--wait", "--json")
	expectCode(t, r, exitUnknown)
	if doc := decode(t, r); calls(doc, actModifyDNS) != 1 || !strings.Contains(doc["error"].(string), "may have done it") {
		t.Errorf("call: %v", doc)
	}
	throttle := []string{envSimFault + "=" + actPrivacy + "=throttle"}
	r = runBin(t, throttle, "", "--simulate", "privacy", "on", "acme-01.com", "--json")
	expectCode(t, r, exitOK)
	if n := calls(decode(t, r), actPrivacy); n != 2 {
		t.Errorf("throttled: %d calls, want 2", n)
	}
}

// TestBulkProgressOnATerminal: following a bulk command's task draws
// progress on stderr on a terminal (and TestBulkDNSLockPrivacy sees none
// in a pipe).
func TestBulkProgressOnATerminal(t *testing.T) {
	sim := demoSim(t, alidomaintest.WithTaskDuration(100*time.Millisecond))
	r := runIn(t, sim, true, "lock", "on", "acme-01.com", "acme-02.com")
	expectCode(t, r, exitOK)
	if !strings.Contains(r.stderr, "following 1 task(s)") || !strings.Contains(r.stderr, "\r\x1b[K") {
		t.Errorf("no progress on a terminal: %q", r.stderr)
	}
	r = runIn(t, sim, true, "call", actTransferLock, "DomainName=acme-03.com", "Status=false", "--wait")
	expectCode(t, r, exitOK)
	if !strings.Contains(r.stderr, "task ") {
		t.Errorf("call --wait: no progress on a terminal: %q", r.stderr)
	}
}
