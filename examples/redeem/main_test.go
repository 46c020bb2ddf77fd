package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
)

// runWith runs the program with seed and returns its exit code, stdout,
// stderr and the simulator it ran on.
func runWith(t *testing.T, seed func(*alidomaintest.Server), args ...string) (int, string, string, *alidomaintest.Server) {
	t.Helper()
	var sim *alidomaintest.Server
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, append([]string{"-poll", "20ms", "-sim-delay", "150ms"}, args...), &out, &errOut, func(s *alidomaintest.Server) {
		sim = s
		seed(s)
	})
	return code, out.String(), errOut.String(), sim
}

// tableRow finds the table row of domain and returns its columns.
func tableRow(t *testing.T, table, domain string) []string {
	t.Helper()
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, domain+" ") {
			return regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1)
		}
	}
	t.Fatalf("no row for %s in:\n%s", domain, table)
	return nil
}

func TestDemoSucceeds(t *testing.T) {
	code, out, errOut, sim := runWith(t, seedDemo)
	require.Equal(t, exitOK, code, "stderr:\n%s", errOut)
	for _, d := range []string{"acme-shop.com", "acme-blog.net", "例子-acme.cn"} {
		assert.Equal(t, "succeeded", tableRow(t, out, d)[2])
		assert.Equal(t, 1, sim.Orders(d))
	}
	assert.NotContains(t, out, "acme.io", "a domain not in redemption was submitted")
	assert.Equal(t, 0, sim.Orders("acme.io"))
	assert.Contains(t, out, "3 succeeded, 0 failed, 0 other")
	assert.Contains(t, errOut, "succeeded")
}

func TestFailingDomainGivesNonZeroExitAndReason(t *testing.T) {
	seed := func(s *alidomaintest.Server) {
		seedDemo(s)
		s.AddDomain("acme-bad.com", time.Now().AddDate(0, 0, -40), alidomaintest.FailRedeem("registry refused the redemption"))
	}
	code, out, errOut, sim := runWith(t, seed)
	require.Equal(t, exitFailed, code, "stderr:\n%s", errOut)
	row := tableRow(t, out, "acme-bad.com")
	assert.Equal(t, "failed", row[2])
	assert.Equal(t, "registry refused the redemption", row[3])
	assert.Equal(t, "succeeded", tableRow(t, out, "acme-shop.com")[2])
	assert.Contains(t, out, "3 succeeded, 1 failed, 0 other")
	assert.Equal(t, 1, sim.Submissions("acme-bad.com"), "submitted once; a failed detail is not a paid order")
	assert.Equal(t, 0, sim.Orders("acme-bad.com"))
}

func TestJSONOutput(t *testing.T) {
	code, out, _, _ := runWith(t, seedDemo, "-json", "-domains", "acme-shop.com,acme.io")
	require.Equal(t, exitFailed, code, "acme.io was skipped, so not everything was redeemed")
	var rep report
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	assert.Equal(t, "simulator", rep.Mode)
	assert.NotEmpty(t, rep.TaskNo)
	require.Len(t, rep.Results, 2)
	byName := map[string]result{}
	for _, r := range rep.Results {
		byName[r.Domain] = r
	}
	assert.Equal(t, "succeeded", byName["acme-shop.com"].Status)
	assert.Equal(t, "skipped", byName["acme.io"].Status)
	assert.Contains(t, byName["acme.io"].Reason, "not in its redemption period")
	assert.Equal(t, 1, rep.Counts.Succeeded)
}

func TestDryRunSubmitsNothing(t *testing.T) {
	code, out, _, sim := runWith(t, seedDemo, "-dry-run")
	require.Equal(t, exitOK, code)
	assert.Equal(t, "would submit", tableRow(t, out, "acme-shop.com")[2])
	assert.Equal(t, 0, sim.Orders("acme-shop.com"))
	assert.Equal(t, 0, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem))
}

func TestDomainFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "list.txt")
	require.NoError(t, os.WriteFile(path, []byte("# to redeem\nacme-blog.net\n\n  acme-shop.com # main shop\n"), 0o600))
	code, out, errOut, sim := runWith(t, seedDemo, "-file", path)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "succeeded", tableRow(t, out, "acme-blog.net")[2])
	assert.Equal(t, 0, sim.Orders("例子-acme.cn"), "only the listed domains are submitted")
}

func TestBadUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-bogus"}, "flag provided but not defined"},
		{[]string{"stray"}, "unexpected argument"},
		{[]string{"-yes"}, "-yes only makes sense with -live"},
		{[]string{"-domains", " , "}, "-domains is empty"},
		{[]string{"-file", "/nonexistent/list.txt"}, "-file"},
		{[]string{"-timeout", "0s"}, "-timeout must be positive"},
		{[]string{"-domains", "missing.com"}, "not found in the account: missing.com"},
		{[]string{"-domains", "bad domain.com"}, "bad domain.com"},
	}
	for _, tt := range tests {
		code, out, errOut, _ := runWith(t, seedDemo, tt.args...)
		assert.Equal(t, exitUsage, code, "%v", tt.args)
		assert.Contains(t, errOut, tt.want, "%v", tt.args)
		assert.NotContains(t, out, "succeeded", "%v: something was submitted", tt.args)
	}
}

func TestUnknownOutcomeIsReconciled(t *testing.T) {
	seed := func(s *alidomaintest.Server) {
		seedDemo(s)
		s.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.CommitThenDrop())
	}
	code, _, errOut, sim := runWith(t, seed)
	require.Equal(t, exitUnknown, code, errOut)
	assert.Contains(t, errOut, "outcome unknown")
	assert.Contains(t, errOut, "acme-shop.com: order placed")
	assert.Equal(t, 1, sim.Orders("acme-shop.com"), "the order was placed once and never re-sent")
}
