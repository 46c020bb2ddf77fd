package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alidomain/alidomain/alidomaintest"
	"github.com/mattn/go-runewidth"
)

// binary is the alidomain binary the end-to-end tests run, built once by
// TestMain into a temporary directory.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.list"); f != nil && f.Value.String() != "" {
		os.Exit(m.Run()) // only listing: no binary needed
	}
	dir, err := os.MkdirTemp("", "alidomain-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "alidomain")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building alidomain:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the binary.
type result struct {
	code           int
	stdout, stderr string
}

// runBin runs the built binary with args, stdin and extra environment
// (tasks final at once unless env says otherwise); stdout and stderr are
// pipes, never terminals.
func runBin(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), envSimTaskDuration+"=0", "NO_COLOR=", "ALIBABA_CLOUD_ACCESS_KEY_ID=", "ALIBABA_CLOUD_ACCESS_KEY_SECRET=")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running alidomain %v: %v", args, err)
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// decode parses stdout as exactly one JSON document.
func decode(t *testing.T, r result) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("stdout is not a JSON document: %v\n%s\nstderr: %s", err, r.stdout, r.stderr)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON document:\n%s", r.stdout)
	}
	if got := int(doc["exit_code"].(float64)); got != r.code {
		t.Errorf("exit_code %d in JSON, exit status %d", got, r.code)
	}
	return doc
}

// records parses stdout as CSV.
func records(t *testing.T, r result) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatalf("stdout is not CSV: %v\n%s", err, r.stdout)
	}
	return recs
}

// calls is the JSON document's count of calls of action.
func calls(doc map[string]any, action string) int {
	m, _ := doc["api_calls"].(map[string]any)
	n, _ := m[action].(float64)
	return int(n)
}

// domainsOf returns the JSON document's domains by name.
func domainsOf(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	list, ok := doc["domains"].([]any)
	if !ok {
		t.Fatalf("no domains in %v", doc)
	}
	out := map[string]map[string]any{}
	for _, d := range list {
		m := d.(map[string]any)
		out[m["domain"].(string)] = m
	}
	return out
}

func expectCode(t *testing.T, r result, want int) {
	t.Helper()
	if r.code != want {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, want, r.stdout, r.stderr)
	}
}

func TestHelpPrintsExitCodes(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"renew", "--help"}, {"tasks", "wait", "--help"}} {
		r := runBin(t, nil, "", args...)
		expectCode(t, r, exitOK)
		for _, e := range exitCodes {
			if !strings.Contains(r.stdout, fmt.Sprintf("  %d  %s\n", e.code, e.meaning)) {
				t.Errorf("%v: help lacks exit code %d", args, e.code)
			}
		}
	}
}

// TestREADMEExitCodes keeps README's exit-code table equal to exitCodes.
func TestREADMEExitCodes(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, tbl, ok := strings.Cut(string(readme), "\n| exit code | meaning |\n|---|---|\n")
	if !ok {
		t.Fatal("README has no exit-code table")
	}
	tbl, _, _ = strings.Cut(tbl, "\n\n")
	rows := regexp.MustCompile(`(?m)^\| (\d) \| (.*) \|$`).FindAllStringSubmatch(tbl, -1)
	if len(rows) != len(exitCodes) {
		t.Fatalf("README's table has %d rows, want %d", len(rows), len(exitCodes))
	}
	for i, e := range exitCodes {
		if rows[i][1] != fmt.Sprint(e.code) || rows[i][2] != e.meaning {
			t.Errorf("README row %d = %q %q, want %d %q", i, rows[i][1], rows[i][2], e.code, e.meaning)
		}
	}
}

func TestDomainsTableJSONCSV(t *testing.T) {
	r := runBin(t, nil, "", "--simulate", "domains")
	expectCode(t, r, exitOK)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if !strings.HasSuffix(lines[len(lines)-1], "30 domains") {
		t.Errorf("last line %q", lines[len(lines)-1])
	}
	// Columns align by display width, CJK names included.
	col := runewidth.StringWidth(lines[0][:strings.Index(lines[0], "STATUS")])
	sawCJK := false
	for _, l := range lines[1 : len(lines)-1] {
		name, rest, _ := strings.Cut(l, "  ")
		pad := len(rest) - len(strings.TrimLeft(rest, " "))
		if w := runewidth.StringWidth(name) + 2 + pad; w != col {
			t.Errorf("row %q: status at column %d, header at %d", l, w, col)
		}
		sawCJK = sawCJK || strings.Contains(name, "例子")
	}
	if !sawCJK {
		t.Error("the IDN 例子.cn is not shown in Unicode")
	}
	if strings.Contains(r.stdout, "\x1b[") {
		t.Error("colour in a pipe")
	}

	doc := decode(t, runBin(t, nil, "", "--simulate", "domains", "--expiring", "30d", "--json"))
	if n := int(doc["count"].(float64)); n != 13 { // 8 expiring + 5 already expired (in redemption)
		t.Errorf("--expiring 30d: %d domains, want 13", n)
	}
	if calls(doc, "QueryDomainList") != 1 {
		t.Errorf("QueryDomainList calls %d, want 1", calls(doc, "QueryDomainList"))
	}
	doc = decode(t, runBin(t, nil, "", "--simulate", "domains", "--needs-redemption", "-o", "json"))
	if n := int(doc["count"].(float64)); n != 5 {
		t.Errorf("--needs-redemption: %d, want 5", n)
	}

	recs := records(t, runBin(t, nil, "", "--simulate", "domains", "--group", "1002", "-o", "csv"))
	if recs[0][0] != "DOMAIN" || len(recs) != 1+7 { // acme-mail.com, acme-cdn.net, 5 of acme-NN.com
		t.Errorf("--group 1002 CSV: %v", recs)
	}
}

func TestPriceUnpricedNeverCounted(t *testing.T) {
	r := runBin(t, nil, "", "--simulate", "price", "renew", "--expiring", "60d", "--json")
	expectCode(t, r, exitFailed) // one domain has no price
	doc := decode(t, r)
	ds := domainsOf(t, doc)
	legacy := ds["acme-legacy.xyz"]
	if legacy == nil || legacy["price"] != nil || legacy["status"] != "no-price" {
		t.Fatalf("acme-legacy.xyz: %v", legacy)
	}
	var sum float64
	for _, d := range ds {
		if p, ok := d["price"].(float64); ok {
			sum += p
		}
	}
	if total := doc["total"].(float64); total != sum || int(doc["unpriced"].(float64)) != 1 {
		t.Errorf("total %v unpriced %v; the priced domains sum to %v", total, doc["unpriced"], sum)
	}
	if calls(doc, "QueryDomainRealTimePrice") != 1 {
		t.Errorf("price calls %d, want 1", calls(doc, "QueryDomainRealTimePrice"))
	}

	r = runBin(t, nil, "", "--simulate", "price", "register", "acme-new.com", "新域名.cn", "--years", "2")
	expectCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "CNY 110.00") || !strings.Contains(r.stdout, "Total to register 2 domains: CNY 220.00") {
		t.Errorf("register prices:\n%s", r.stdout)
	}
	r = runBin(t, nil, "", "--simulate", "price", "renew", "acme-legacy.xyz", "acme-shop.com", "-o", "csv")
	expectCode(t, r, exitFailed)
	recs := records(t, r)
	// The note gives the service's reason, without repeating the price column.
	if len(recs) != 3 || recs[1][2] != "no price" || recs[1][3] != "no price for this action" || recs[2][2] != "CNY 69.00" {
		t.Errorf("CSV: %v", recs)
	}
}

func TestRenewGates(t *testing.T) {
	const order = "SaveBatchTaskForCreatingOrderRenew"
	// No --yes: the plan, nothing ordered.
	r := runBin(t, nil, "", "--simulate", "renew", "--expiring", "30d", "--json")
	expectCode(t, r, exitNothing)
	doc := decode(t, r)
	if calls(doc, order) != 0 || doc["submitted"] != false || doc["total"].(float64) != 832 {
		t.Errorf("without --yes: %d orders, submitted %v, total %v", calls(doc, order), doc["submitted"], doc["total"])
	}
	// Above --max-total: nothing ordered.
	r = runBin(t, nil, "", "--simulate", "renew", "--expiring", "30d", "--yes", "--max-total", "831.99", "--json")
	expectCode(t, r, exitNothing)
	if doc = decode(t, r); calls(doc, order) != 0 {
		t.Errorf("above --max-total: %d orders", calls(doc, order))
	}
	// Table output says why.
	r = runBin(t, nil, "", "--simulate", "renew", "--expiring", "30d", "--yes", "--max-total", "800")
	expectCode(t, r, exitNothing)
	if !strings.Contains(r.stdout, "above --max-total CNY 800.00") {
		t.Errorf("table:\n%s", r.stdout)
	}
	// At the limit: ordered, in one batch, every domain succeeded.
	r = runBin(t, nil, "", "--simulate", "renew", "--expiring", "30d", "--yes", "--max-total", "832", "--json")
	expectCode(t, r, exitOK)
	doc = decode(t, r)
	if calls(doc, order) != 1 || len(doc["tasks"].([]any)) != 1 {
		t.Errorf("orders %d, tasks %v", calls(doc, order), doc["tasks"])
	}
	for name, d := range domainsOf(t, doc) {
		if d["status"] != stSucceeded {
			t.Errorf("%s: %v", name, d["status"])
		}
	}
	// CSV of the outcome.
	r = runBin(t, nil, "", "--simulate", "renew", "acme-shop.com", "例子.cn", "--yes", "-o", "csv")
	expectCode(t, r, exitOK)
	recs := records(t, r)
	if len(recs) != 3 || recs[0][4] != "STATUS" || recs[1][4] != stSucceeded || recs[2][0] != "例子.cn" {
		t.Errorf("CSV: %v", recs)
	}
	// A premium domain is left out without --permit-premium (exit 1: not
	// every domain named was renewed), ordered with it.
	r = runBin(t, nil, "", "--simulate", "renew", "acme.vip", "acme-shop.com", "--yes", "--json")
	expectCode(t, r, exitFailed)
	if d := domainsOf(t, decode(t, r))["acme.vip"]; d["status"] != stSkipped {
		t.Errorf("premium without --permit-premium: %v", d)
	}
	r = runBin(t, nil, "", "--simulate", "renew", "acme.vip", "--permit-premium", "--yes", "--json")
	expectCode(t, r, exitOK)
}

func TestRedeemSomeFailExit1(t *testing.T) {
	r := runBin(t, nil, "", "--simulate", "redeem", "--all", "--yes", "--json")
	expectCode(t, r, exitFailed)
	doc := decode(t, r)
	ds := domainsOf(t, doc)
	if ds["acme-expired.info"]["status"] != stFailed || ds["acme-old.com"]["status"] != stSucceeded {
		t.Errorf("redeem: %v", ds)
	}
	if !strings.Contains(ds["acme-expired.info"]["message"].(string), "refused") {
		t.Errorf("failure message: %v", ds["acme-expired.info"]["message"])
	}
	r = runBin(t, nil, "", "--simulate", "redeem", "--all", "--yes")
	expectCode(t, r, exitFailed)
	if !strings.Contains(r.stdout, "4 succeeded (CNY 2256.00), 1 failed") {
		t.Errorf("table:\n%s", r.stdout)
	}
	// Nothing to do.
	r = runBin(t, nil, "", "--simulate", "redeem", "acme-shop.com", "--yes", "--json")
	expectCode(t, r, exitNothing)
	if doc := decode(t, r); calls(doc, "SaveBatchTaskForCreatingOrderRedeem") != 0 {
		t.Error("ordered a domain that is not in redemption")
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	cases := [][]string{
		{"--simulate", "renew"},
		{"--simulate", "renew", "--expiring", "3x"},
		{"--simulate", "renew", "--all", "--expiring", "30d"},
		{"--simulate", "renew", "--all", "--years", "11"},
		{"--simulate", "renew", "--all", "--max-total", "ten"},
		{"--simulate", "domains", "-o", "yaml"},
		{"--simulate", "nosuchcommand"},
		{"--simulate", "--nosuchflag", "domains"},
		{"--simulate", "register", "acme-new.com"},
		{"--simulate", "price", "lease", "a.com"},
		{"--simulate", "reconcile", "--kind", "renew", "a.com"},
		{"--simulate", "--intl", "domains"},
		{"--simulate", "--signature", "v1", "domains"},
	}
	for _, args := range cases {
		r := runBin(t, nil, "", args...)
		if r.code != exitUsage || r.stdout != "" || r.stderr == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
		r = runBin(t, nil, "", append(args, "--json")...)
		expectCode(t, r, exitUsage)
		if doc := decode(t, r); doc["error"] == "" {
			t.Errorf("%v --json: %v", args, doc)
		}
	}
	// A service failure before anything is sent: exit 2, nothing ordered.
	r := runBin(t, []string{envSimFault + "=QueryDomainRealTimePrice=unavailable,QueryDomainRealTimePrice=unavailable,QueryDomainRealTimePrice=unavailable"}, "",
		"--simulate", "renew", "--expiring", "30d", "--yes", "--json")
	expectCode(t, r, exitUsage)
	if !strings.Contains(decode(t, r)["error"].(string), "nothing was ordered") {
		t.Errorf("error: %s", r.stdout)
	}
}

// TestDropAfterCommitExit3 loses the answer of the order after the service
// placed it: exit 3, the report says what Reconcile found, one order.
func TestDropAfterCommitExit3(t *testing.T) {
	env := []string{envSimFault + "=SaveBatchTaskForCreatingOrderRenew=drop-after-commit"}
	r := runBin(t, env, "", "--simulate", "renew", "--expiring", "30d", "--yes", "--json")
	expectCode(t, r, exitUnknown)
	doc := decode(t, r)
	if calls(doc, "SaveBatchTaskForCreatingOrderRenew") != 1 {
		t.Errorf("order sent %d times, want 1", calls(doc, "SaveBatchTaskForCreatingOrderRenew"))
	}
	u, _ := doc["outcome_unknown"].(map[string]any)
	if u == nil || u["reconciled"] != true || !strings.Contains(u["resume"].(string), "alidomain reconcile --kind renew") {
		t.Fatalf("outcome_unknown: %v", doc["outcome_unknown"])
	}
	ds := domainsOf(t, doc)
	if len(ds) != 8 {
		t.Errorf("%d domains", len(ds))
	}
	for name, d := range ds {
		if d["status"] != stSucceeded || !strings.HasPrefix(d["message"].(string), "reconciled") || d["task"] == "" {
			t.Errorf("%s: %v", name, d)
		}
	}
	r = runBin(t, env, "", "--simulate", "renew", "--expiring", "30d", "--yes")
	expectCode(t, r, exitUnknown)
	if !strings.Contains(r.stdout, "Outcome unknown") || !strings.Contains(r.stdout, "Reconciled: the task list was read") {
		t.Errorf("table:\n%s", r.stdout)
	}
	// A connection reset after the order was written: unknown to the SDK,
	// reconciled as not placed (exit 3, nothing ordered twice).
	r = runBin(t, []string{envSimFault + "=SaveBatchTaskForCreatingOrderRenew=reset-before-commit"}, "", "--simulate", "renew", "acme-shop.com", "--yes", "--json")
	expectCode(t, r, exitUnknown)
	doc = decode(t, r)
	if d := domainsOf(t, doc)["acme-shop.com"]; d["status"] != stNotOrdered || calls(doc, "SaveBatchTaskForCreatingOrderRenew") != 1 {
		t.Errorf("reset: %v, %d order calls", d, calls(doc, "SaveBatchTaskForCreatingOrderRenew"))
	}
	// Throttled: provably not performed, so the SDK sends it again itself.
	r = runBin(t, []string{envSimFault + "=SaveBatchTaskForCreatingOrderRenew=throttle"}, "", "--simulate", "renew", "acme-shop.com", "--yes", "--json")
	expectCode(t, r, exitOK)
	if n := calls(decode(t, r), "SaveBatchTaskForCreatingOrderRenew"); n != 2 {
		t.Errorf("throttled order: %d calls, want 2", n)
	}
}

func TestNoProgressInPipes(t *testing.T) {
	r := runBin(t, []string{envSimTaskDuration + "=300ms"}, "", "--simulate", "renew", "--expiring", "30d", "--yes")
	expectCode(t, r, exitOK)
	if strings.ContainsAny(r.stderr, "\r\x1b") || strings.Contains(r.stderr, "following") || strings.Contains(r.stderr, "[#") {
		t.Errorf("progress output in a pipe: %q", r.stderr)
	}
	if strings.ContainsAny(r.stdout, "\r\x1b") {
		t.Errorf("control characters on stdout: %q", r.stdout)
	}
}

func TestTransferCodesNeverShown(t *testing.T) {
	file := filepath.Join(t.TempDir(), "transfer.txt")
	var b strings.Builder
	b.WriteString("# domain code\n")
	for _, tr := range alidomaintest.DemoTransfers() {
		fmt.Fprintf(&b, "%s %s\n", tr.DomainName, tr.AuthorizationCode)
	}
	b.WriteString("acme-nope.com,WRONG-CODE-5F5F\n")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	secrets := []string{"WRONG-CODE-5F5F"}
	for _, tr := range alidomaintest.DemoTransfers() {
		secrets = append(secrets, tr.AuthorizationCode)
	}
	check := func(r result) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s) {
				t.Errorf("authorization code %s in the output", s)
			}
		}
	}
	for _, args := range [][]string{
		{"--simulate", "transfer", "--file", file, "--profile-id", "20001"},
		{"--simulate", "transfer", "--file", file, "--profile-id", "20001", "--yes", "--include-unpriced"},
		{"--simulate", "--debug", "transfer", "--file", file, "--profile-id", "20001", "--yes", "--include-unpriced", "--json"},
		{"--simulate", "transfer", "--file", file, "--profile-id", "20001", "--yes", "--include-unpriced", "-o", "csv"},
		{"--simulate", "transfer", "--file", "-", "--profile-id", "20001", "--yes"},
		{"--simulate", "price", "transfer", "--file", file},
	} {
		r := runBin(t, nil, b.String(), args...)
		check(r)
		if r.code != exitFailed && r.code != exitNothing {
			t.Errorf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	r := runBin(t, nil, b.String(), "--simulate", "transfer", "--file", "-", "--profile-id", "20001", "--yes", "--include-unpriced", "--json")
	check(r)
	ds := domainsOf(t, decode(t, r))
	if ds["acme-transfer.com"]["status"] != stSucceeded || ds["acme-nope.com"]["status"] != stFailed {
		t.Errorf("transfer: %v", ds)
	}
	// A malformed line is reported by number, never quoted.
	r = runBin(t, nil, "acme-transfer.com DEMO-EPP-7Q2X extra\n", "--simulate", "transfer", "--file", "-", "--profile-id", "20001")
	expectCode(t, r, exitUsage)
	if strings.Contains(r.stderr, "DEMO-EPP-7Q2X") || !strings.Contains(r.stderr, "line 1") {
		t.Errorf("stderr: %q", r.stderr)
	}
	// Codes are not accepted on the command line.
	r = runBin(t, nil, "", "--simulate", "transfer", "acme-transfer.com", "--profile-id", "20001")
	expectCode(t, r, exitUsage)
	// --debug logs every attempt on stderr.
	r = runBin(t, nil, b.String(), "--simulate", "--debug", "transfer", "--file", "-", "--profile-id", "20001", "--yes")
	check(r)
	if !strings.Contains(r.stderr, "SaveBatchTaskForCreatingOrderTransfer") {
		t.Errorf("--debug logged no order attempt:\n%s", r.stderr)
	}
}

func TestRegister(t *testing.T) {
	r := runBin(t, nil, "", "--simulate", "register", "acme-new.com", "新域名.cn", "--profile-id", "20001", "--years", "2", "--yes", "--json")
	expectCode(t, r, exitOK)
	doc := decode(t, r)
	if doc["total"].(float64) != 220 || calls(doc, "SaveBatchTaskForCreatingOrderActivate") != 1 {
		t.Errorf("register: total %v, orders %d", doc["total"], calls(doc, "SaveBatchTaskForCreatingOrderActivate"))
	}
	r = runBin(t, nil, "", "--simulate", "register", "acme-new.org", "--profile-id", "99", "--yes")
	expectCode(t, r, exitFailed)
	if !strings.Contains(r.stdout, "registrant profile does not exist") {
		t.Errorf("table:\n%s", r.stdout)
	}
	r = runBin(t, nil, "", "--simulate", "register", "acme-new.org", "--profile-id", "20001", "--dns", "ns1.example.com")
	expectCode(t, r, exitUsage)
}

func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		r := runBin(t, nil, "", "completion", sh)
		expectCode(t, r, exitOK)
		if !strings.Contains(r.stdout, "alidomain") || len(r.stdout) < 500 {
			t.Errorf("completion %s: %d bytes", sh, len(r.stdout))
		}
	}
	r := runBin(t, nil, "", "__complete", "re")
	if !strings.Contains(r.stdout, "renew") || !strings.Contains(r.stdout, "redeem") || !strings.Contains(r.stdout, "reconcile") {
		t.Errorf("completing re: %q", r.stdout)
	}
}

func TestNamedDomainsLookedUpOrListed(t *testing.T) {
	// A few names: read one by one; an IDN in either form; one not held.
	r := runBin(t, nil, "", "--simulate", "renew", "xn--fsqu00a.cn", "ACME-SHOP.com", "nosuch-acme.com", "--yes", "--json")
	expectCode(t, r, exitFailed)
	doc := decode(t, r)
	ds := domainsOf(t, doc)
	if ds["xn--fsqu00a.cn"]["status"] != stSucceeded || ds["ACME-SHOP.com"]["status"] != stSucceeded || ds["nosuch-acme.com"]["status"] != stSkipped {
		t.Errorf("named: %v", ds)
	}
	if calls(doc, "QueryDomainByDomainName") != 3 || calls(doc, "QueryDomainList") != 0 {
		t.Errorf("calls: %v", doc["api_calls"])
	}
	// Many names (a file): the account is listed once instead.
	var b strings.Builder
	for i := 0; i < maxLookups; i++ {
		fmt.Fprintf(&b, "nosuch-%03d.com\n", i)
	}
	b.WriteString("acme-shop.com\nacme-old.com\n")
	r = runBin(t, nil, b.String(), "--simulate", "renew", "--file", "-", "-o", "csv")
	expectCode(t, r, exitNothing)
	recs := records(t, r)
	if len(recs) != 1+maxLookups+2 {
		t.Fatalf("%d records", len(recs))
	}
	status := map[string]string{}
	for _, rec := range recs[1:] {
		status[rec[0]] = rec[4]
	}
	if status["acme-shop.com"] != stPlanned || status["acme-old.com"] != stSkipped || status["nosuch-000.com"] != stSkipped {
		t.Errorf("statuses: shop %s, old %s, nosuch %s", status["acme-shop.com"], status["acme-old.com"], status["nosuch-000.com"])
	}
	r = runBin(t, nil, b.String(), "--simulate", "renew", "--file", "-", "--json")
	if doc := decode(t, r); calls(doc, "QueryDomainByDomainName") != 0 || calls(doc, "QueryDomainList") != 1 {
		t.Errorf("calls: %v", doc["api_calls"])
	}
	// redeem and register as CSV.
	recs = records(t, runBin(t, nil, "", "--simulate", "redeem", "acme-old.com", "--yes", "-o", "csv"))
	if len(recs) != 2 || recs[0][3] != "STATUS" || recs[1][3] != stSucceeded {
		t.Errorf("redeem CSV: %v", recs)
	}
	recs = records(t, runBin(t, nil, "", "--simulate", "register", "acme-new.net", "--profile-id", "20001", "--yes", "-o", "csv"))
	if len(recs) != 2 || recs[1][2] != "CNY 55.00" || recs[1][3] != stSucceeded {
		t.Errorf("register CSV: %v", recs)
	}
}
