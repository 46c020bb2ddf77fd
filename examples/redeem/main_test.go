package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// testTimeout bounds each run of the program: a hang fails the test, a
// slow machine does not.
const testTimeout = 60 * time.Second

// syncBuffer is a bytes.Buffer safe for the program's writes, that calls
// cancel the first time its content contains trigger.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	trigger string
	cancel  context.CancelFunc
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if b.trigger != "" && strings.Contains(b.buf.String(), b.trigger) {
		b.trigger = ""
		b.cancel()
	}
	return n, err
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runWith runs the program on its built-in simulator, seeded with seed, and
// returns its exit code, stdout, stderr and the simulator it ran on (nil
// if the program never started one).
func runWith(t *testing.T, seed func(*alidomaintest.Server), args ...string) (int, string, string, *alidomaintest.Server) {
	t.Helper()
	return runCancel(t, "", seed, append([]string{"-poll", "20ms", "-sim-delay", "150ms"}, args...)...)
}

// runCancel is runWith without default flags, that cancels the program's
// context (as Ctrl-C does) once its stderr shows trigger, if not "".
func runCancel(t *testing.T, trigger string, seed func(*alidomaintest.Server), args ...string) (int, string, string, *alidomaintest.Server) {
	t.Helper()
	var sim *alidomaintest.Server
	bound, cancelBound := context.WithTimeout(context.Background(), testTimeout)
	defer cancelBound()
	ctx, cancel := context.WithCancel(bound)
	defer cancel()
	var out bytes.Buffer
	errOut := &syncBuffer{trigger: trigger, cancel: cancel}
	code := run(ctx, args, &out, errOut, func(s *alidomaintest.Server) {
		sim = s
		seed(s)
	})
	require.NoError(t, bound.Err(), "the run hit the test's %v bound; stderr:\n%s", testTimeout, errOut)
	return code, out.String(), errOut.String(), sim
}

// newLiveSim starts a simulator for -live runs (through -endpoint and the
// environment credentials that DefaultCredentials reads).
func newLiveSim(t *testing.T, seed func(*alidomaintest.Server), opts ...alidomaintest.Option) *alidomaintest.Server {
	t.Helper()
	sim := alidomaintest.NewServer(append([]alidomaintest.Option{alidomaintest.WithTaskDuration(150 * time.Millisecond)}, opts...)...)
	t.Cleanup(sim.Close)
	seed(sim)
	t.Setenv(alidomain.EnvAccessKeyID, sim.AccessKeyID)
	t.Setenv(alidomain.EnvAccessKeySecret, sim.AccessKeySecret)
	t.Setenv(alidomain.EnvSecurityToken, "")
	return sim
}

// runLive runs the program with -live against sim.
func runLive(t *testing.T, sim *alidomaintest.Server, trigger string, args ...string) (int, string, string) {
	t.Helper()
	code, out, errOut, started := runCancel(t, trigger, func(*alidomaintest.Server) { t.Fatal("-live started the simulator") },
		append([]string{"-live", "-endpoint", sim.URL, "-poll", "20ms"}, args...)...)
	require.Nil(t, started)
	return code, out, errOut
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

// decodeReport parses -json output.
func decodeReport(t *testing.T, out string) (report, map[string]result) {
	t.Helper()
	var rep report
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	byName := map[string]result{}
	for _, r := range rep.Results {
		byName[r.Domain] = r
	}
	return rep, byName
}

var demoRedeemable = []string{"acme-shop.com", "acme-blog.net", "例子-acme.cn"}

func seedNothing(*alidomaintest.Server) {}

func TestDemoSucceeds(t *testing.T) {
	code, out, errOut, sim := runWith(t, seedDemo)
	require.Equal(t, exitOK, code, "stderr:\n%s", errOut)
	for _, d := range demoRedeemable {
		assert.Equal(t, "succeeded", tableRow(t, out, d)[2])
		assert.Equal(t, 1, sim.Orders(d))
	}
	assert.NotContains(t, out, "acme.io", "a domain not in redemption was submitted")
	assert.Equal(t, 0, sim.Orders("acme.io"))
	assert.Regexp(t, `task \S+: 3 succeeded, 0 failed, 0 other`, out)
	assert.Contains(t, errOut, "submitting 3 domain(s)")
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
	assert.Equal(t, 1, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem), "one batch, submitted once")
	assert.Equal(t, 1, sim.Submissions("acme-bad.com"), "submitted once; a failed detail is not a paid order")
	assert.Equal(t, 0, sim.Orders("acme-bad.com"))
}

func TestJSONOutput(t *testing.T) {
	code, out, _, _ := runWith(t, seedDemo, "-json", "-domains", "acme-shop.com,acme.io")
	require.Equal(t, exitFailed, code, "acme.io was skipped, so not everything was redeemed")
	rep, byName := decodeReport(t, out)
	assert.Equal(t, "simulator", rep.Mode)
	assert.NotEmpty(t, rep.TaskNo)
	assert.Equal(t, exitFailed, rep.ExitCode)
	require.Len(t, rep.Results, 2)
	assert.Equal(t, "succeeded", byName["acme-shop.com"].Status)
	assert.Equal(t, rep.TaskNo, byName["acme-shop.com"].TaskNo)
	require.NotNil(t, byName["acme-shop.com"].ExpirationDate)
	assert.Equal(t, "skipped", byName["acme.io"].Status)
	assert.Contains(t, byName["acme.io"].Reason, "not in its redemption period")
	assert.Equal(t, 1, rep.Counts.Succeeded)
}

func TestResultsAreNeverNull(t *testing.T) {
	code, out, errOut, _ := runWith(t, seedNothing, "-json", "-all")
	require.Equal(t, exitNothing, code, errOut)
	assert.Contains(t, out, `"results": []`)
	rep, _ := decodeReport(t, out)
	assert.Equal(t, exitNothing, rep.ExitCode)
}

func TestDryRunSubmitsNothing(t *testing.T) {
	code, out, _, sim := runWith(t, seedDemo, "-dry-run")
	require.Equal(t, exitNothing, code)
	assert.Equal(t, "would submit", tableRow(t, out, "acme-shop.com")[2])
	assert.Equal(t, 0, sim.Orders("acme-shop.com"))
	assert.Equal(t, 0, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem))
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "list.txt")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestDomainFile(t *testing.T) {
	path := writeFile(t, "# to redeem\nacme-blog.net\n\n  acme-shop.com # main shop\n")
	code, out, errOut, sim := runWith(t, seedDemo, "-file", path)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "succeeded", tableRow(t, out, "acme-blog.net")[2])
	assert.Equal(t, "succeeded", tableRow(t, out, "acme-shop.com")[2])
	assert.Equal(t, 0, sim.Orders("例子-acme.cn"), "only the listed domains are submitted")
}

func TestDomainFileWithBOMAndCRLF(t *testing.T) {
	path := writeFile(t, "\ufeffacme-blog.net\r\n# comment\r\nACME-SHOP.com\r\n\r\n")
	code, out, errOut, sim := runWith(t, seedDemo, "-file", path)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "succeeded", tableRow(t, out, "acme-blog.net")[2])
	assert.Equal(t, 1, sim.Orders("acme-shop.com"))
}

// A file that is not a domain list (here shaped like /etc/shadow) must not
// be echoed back, not even partly, and nothing is looked up.
func TestFileContentIsNeverEchoed(t *testing.T) {
	secrets := []string{"root", "s3cretHash", "daemon", "bin/bash", "my secret notes"}
	path := writeFile(t, "root:$6$s3cretHash$xyz:19000:0:99999:7:::\n"+
		"daemon:*:19000:0:99999:7:::\n"+
		"acme-shop.com\n"+
		"Acme-Shop.com\n"+
		"my secret notes\n"+
		"x/bin/bash.com\n"+
		"-daemon.com\n"+
		"acme-blog.net\n")
	code, out, errOut, sim := runWith(t, seedDemo, "-file", path)
	require.Equal(t, exitUsage, code, errOut)
	assert.Nil(t, sim, "the simulator was started: something could have been looked up")
	for _, want := range []string{
		"line 1: contains a character that a domain name cannot hold",
		"line 2: contains a character that a domain name cannot hold",
		"line 4: repeats line 3",
		"line 5: contains white space",
		"line 6: contains a character",
		"line 7: has a label that starts or ends with a hyphen",
		"6 bad name(s); nothing was looked up or submitted",
	} {
		assert.Contains(t, errOut, want)
	}
	assert.NotContains(t, errOut, "line 3:")
	assert.NotContains(t, errOut, "line 8:")
	for _, s := range secrets {
		assert.NotContains(t, errOut+out, s, "file content echoed")
	}
}

func TestManyBadLinesAreCapped(t *testing.T) {
	path := writeFile(t, strings.Repeat("not a domain\n", 30))
	code, _, errOut, _ := runWith(t, seedDemo, "-file", path)
	require.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "line 20: contains white space")
	assert.NotContains(t, errOut, "line 21:")
	assert.Contains(t, errOut, "... and 10 more")
	assert.Contains(t, errOut, "30 bad name(s)")
	assert.NotContains(t, errOut, "not a domain")
}

func TestFileTooLongLineIsNotEchoed(t *testing.T) {
	path := writeFile(t, "acme-shop.com\n"+strings.Repeat("k", 10000)+"\n")
	code, _, errOut, sim := runWith(t, seedDemo, "-file", path)
	require.Equal(t, exitUsage, code)
	assert.Nil(t, sim)
	assert.Contains(t, errOut, "line 2 is longer than")
	assert.NotContains(t, errOut, "kkkk")
}

func TestNamesNotInTheAccountAreNamed(t *testing.T) {
	path := writeFile(t, "acme-shop.com\nghost.com\n")
	code, out, errOut, sim := runWith(t, seedDemo, "-file", path)
	require.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "not found in the account: ghost.com; nothing was submitted")
	assert.NotContains(t, out, "succeeded")
	assert.Equal(t, 0, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem))
}

func TestLookupsShowProgress(t *testing.T) {
	code, _, errOut, _ := runWith(t, seedDemo, "-domains", "acme-shop.com,acme.io,acme-old.org")
	require.Equal(t, exitFailed, code, errOut)
	assert.Contains(t, errOut, "3 domain(s) in their redemption period")
	assert.Contains(t, errOut, "looking up the 2 named domain(s) not in their redemption period")
	assert.Contains(t, errOut, "looked up 2/2")
}

// An empty selection, such as an unset shell variable, selects nothing: it
// is refused before anything is looked up.
func TestEmptySelectionIsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"-domains", ""},
		{"-domains", " , "},
		{"-file", ""},
		{"-all", "-domains", "acme-shop.com"},
		{"-file", "x", "-domains", "acme-shop.com"},
		{"-all=false"},
	} {
		code, out, errOut, sim := runWith(t, seedDemo, args...)
		assert.Equal(t, exitUsage, code, "%q: %s", args, errOut)
		assert.Nil(t, sim, "%q: the simulator was started", args)
		assert.NotContains(t, out, "succeeded", "%q", args)
	}
	sim := newLiveSim(t, seedDemo)
	for _, args := range [][]string{
		{"-yes"},
		{"-yes", "-domains", ""},
		{"-yes", "-file", ""},
		{},
	} {
		code, _, errOut := runLive(t, sim, "", args...)
		assert.Equal(t, exitUsage, code, "%q: %s", args, errOut)
	}
	assert.Equal(t, 0, sim.Requests(alidomaintest.ActionQueryDomainList), "a refused selection looked domains up")
	assert.Equal(t, 0, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem))
}

func TestLiveAllIsExplicitAndCounted(t *testing.T) {
	sim := newLiveSim(t, seedDemo)
	code, out, errOut := runLive(t, sim, "", "-all")
	require.Equal(t, exitNothing, code, errOut)
	assert.Contains(t, errOut, "3 domain(s) would be ordered; nothing was submitted")
	assert.Contains(t, errOut, "preview only; add -yes")
	assert.Equal(t, "would submit", tableRow(t, out, "acme-shop.com")[2])
	assert.Equal(t, 0, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem))

	code, out, errOut = runLive(t, sim, "", "-yes", "-all")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, errOut, "ordering the redemption of 3 domain(s) in one batch on your account (this costs money)")
	for _, d := range demoRedeemable {
		assert.Equal(t, "succeeded", tableRow(t, out, d)[2])
		assert.Equal(t, 1, sim.Orders(d))
	}
}

func TestHelpExitsZero(t *testing.T) {
	for _, arg := range []string{"-help", "-h"} {
		code, _, errOut, sim := runWith(t, seedDemo, arg)
		assert.Equal(t, exitOK, code, arg)
		assert.Nil(t, sim)
		assert.Contains(t, errOut, "usage: redeem")
		assert.Contains(t, errOut, "-timeout")
		assert.Contains(t, errOut, "  4  nothing was submitted")
	}
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
		{[]string{"-timeout", "-1m"}, "-timeout must be positive"},
		{[]string{"-poll", "-1s"}, "-poll must not be negative"},
		{[]string{"-sim-delay", "-1s"}, "-sim-delay must not be negative"},
		{[]string{"-live", "-dry-run", "-yes", "-all"}, "-dry-run and -yes contradict each other"},
		{[]string{"-live", "-sim-delay", "1s", "-all"}, "-sim-delay is for the simulator only"},
		{[]string{"-endpoint", "http://127.0.0.1:1/"}, "-endpoint needs -live"},
		{[]string{"-task", "T1"}, "-task needs -live"},
		{[]string{"-live", "-task", " "}, "-task is empty"},
		{[]string{"-live", "-task", "T1", "-all"}, "choose one of"},
		{[]string{"-domains", "bad domain.com"}, "-domains: item 1: contains white space"},
		{[]string{"-domains", "a.com,b..com,a.com"}, "-domains: item 3: repeats item 1"},
	}
	for _, tt := range tests {
		code, out, errOut, sim := runCancel(t, "", seedDemo, tt.args...)
		assert.Equal(t, exitUsage, code, "%v", tt.args)
		assert.Contains(t, errOut, tt.want, "%v", tt.args)
		assert.Nil(t, sim, "%v: the simulator was started", tt.args)
		assert.NotContains(t, out, "succeeded", "%v: something was submitted", tt.args)
	}
	code, _, errOut, _ := runWith(t, seedDemo, "-domains", "missing.com")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "not found in the account: missing.com")
}

// The order is placed and the connection dropped: Reconcile finds it and
// the program follows its task to the end instead of stopping.
func TestUnknownOutcomeFoundIsFollowed(t *testing.T) {
	seed := func(s *alidomaintest.Server) {
		seedDemo(s)
		s.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.CommitThenDrop())
	}
	code, out, errOut, sim := runWith(t, seed, "-json")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, errOut, "outcome unknown")
	assert.Contains(t, errOut, "acme-shop.com: order placed")
	rep, byName := decodeReport(t, out)
	assert.True(t, rep.Reconciled)
	assert.NotEmpty(t, rep.TaskNo)
	for _, d := range demoRedeemable {
		assert.Equal(t, "succeeded", byName[d].Status, d)
		assert.Equal(t, rep.TaskNo, byName[d].TaskNo, d)
		assert.Equal(t, 1, sim.Orders(d), "the order was placed once and never re-sent")
	}
	assert.Equal(t, 1, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem))
}

// The request was sent but never taken: exit 3, and the JSON report says
// what Reconcile found.
func TestUnknownOutcomeNotFoundPrintsReport(t *testing.T) {
	seed := func(s *alidomaintest.Server) {
		seedDemo(s)
		s.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.ResetBeforeCommit())
	}
	code, out, errOut, sim := runWith(t, seed, "-json")
	require.Equal(t, exitUnknown, code, errOut)
	assert.Contains(t, errOut, "acme-shop.com: no order found; safe to submit again")
	rep, byName := decodeReport(t, out)
	assert.Equal(t, exitUnknown, rep.ExitCode)
	assert.True(t, rep.Reconciled)
	assert.Contains(t, rep.Note, "3 domain(s) have no order")
	require.Len(t, rep.Results, 3)
	for _, d := range demoRedeemable {
		assert.Equal(t, statusNoOrder, byName[d].Status, d)
		assert.Equal(t, 0, sim.Orders(d))
	}
	assert.Equal(t, 1, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem), "never re-sent")

	// The table form says the same on exit 3.
	code, out, _, _ = runWith(t, seed)
	require.Equal(t, exitUnknown, code)
	assert.Equal(t, statusNoOrder, tableRow(t, out, "acme-shop.com")[2])
}

// Reconcile finds the order but following it is interrupted: exit 3 with
// the task number to resume with.
func TestUnknownOutcomeFollowInterrupted(t *testing.T) {
	seed := func(s *alidomaintest.Server) {
		seedDemo(s)
		s.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.CommitThenDrop())
	}
	code, out, errOut, sim := runCancel(t, "following the order found", seed, "-json", "-poll", "20ms", "-sim-delay", "1h")
	require.Equal(t, exitUnknown, code, errOut)
	rep, byName := decodeReport(t, out)
	assert.True(t, rep.Reconciled)
	require.NotEmpty(t, rep.TaskNo)
	assert.Contains(t, rep.Note, "the order stands")
	for _, d := range demoRedeemable {
		assert.Equal(t, rep.TaskNo, byName[d].TaskNo, d)
		assert.NotEqual(t, "succeeded", byName[d].Status, d)
	}
	assert.Equal(t, 1, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem))
}

// Waiting interrupted after a live order (Ctrl-C): exit 3 with the task
// number, and -task follows it to the end.
func TestInterruptedWaitResumesWithTask(t *testing.T) {
	sim := newLiveSim(t, func(s *alidomaintest.Server) {
		seedDemo(s)
		s.AddDomain("acme-bad.com", time.Now().AddDate(0, 0, -40), alidomaintest.FailRedeem("registry refused the redemption"))
	})
	code, out, errOut := runLive(t, sim, "created (RequestId", "-yes", "-json", "-domains", "acme-shop.com,acme-bad.com")
	require.Equal(t, exitUnknown, code, errOut)
	rep, byName := decodeReport(t, out)
	require.NotEmpty(t, rep.TaskNo)
	assert.Contains(t, rep.Note, "-live -task "+rep.TaskNo)
	assert.Equal(t, rep.TaskNo, byName["acme-shop.com"].TaskNo)

	code, out, errOut = runLive(t, sim, "", "-task", rep.TaskNo)
	require.Equal(t, exitFailed, code, errOut)
	assert.Equal(t, "succeeded", tableRow(t, out, "acme-shop.com")[2])
	assert.Equal(t, "failed", tableRow(t, out, "acme-bad.com")[2])
	assert.Equal(t, 1, sim.Requests(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem), "-task submits nothing")

	// A task that never ends is bounded by -timeout: exit 3.
	code, _, errOut = runLive(t, sim, "", "-task", "no-such-task", "-timeout", "300ms")
	assert.Equal(t, exitUnknown, code, errOut)
	assert.Contains(t, errOut, "-task no-such-task")
}

func TestTaskAllSucceeded(t *testing.T) {
	sim := newLiveSim(t, seedDemo)
	client, err := alidomain.New(alidomain.Options{Endpoint: sim.URL, Credentials: alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret)})
	require.NoError(t, err)
	info, ok := sim.Domain("acme-shop.com")
	require.True(t, ok)
	sub, err := client.Redeem.SubmitBatch(context.Background(), &alidomain.BatchRedeemRequest{
		Domains: []alidomain.RedeemDomain{{DomainName: "acme-shop.com", CurrentExpirationDate: info.Expires}}})
	require.NoError(t, err)
	code, out, errOut := runLive(t, sim, "", "-json", "-task", sub.TaskNo)
	require.Equal(t, exitOK, code, errOut)
	rep, byName := decodeReport(t, out)
	assert.Equal(t, sub.TaskNo, rep.TaskNo)
	assert.Equal(t, "succeeded", byName["acme-shop.com"].Status)
}

// exitScenarios produce each exit status; TestExitStatusTable runs them.
var exitScenarios = map[int][]struct {
	name string
	seed func(*alidomaintest.Server)
	args []string
}{
	exitOK:     {{"the demo", seedDemo, nil}},
	exitFailed: {{"one domain fails", seedWithFailure, nil}, {"one named domain skipped", seedDemo, []string{"-domains", "acme-shop.com,acme.io"}}},
	exitUsage: {{"bad usage", seedDemo, []string{"-domains", ""}}, {"not in the account", seedDemo, []string{"-domains", "ghost.com"}},
		{"order refused", seedRefused, nil}},
	exitUnknown: {{"outcome unknown, no order found", seedResetBeforeCommit, nil}},
	exitNothing: {{"empty account", seedNothing, nil}, {"-dry-run", seedDemo, []string{"-dry-run"}},
		{"every named domain skipped", seedDemo, []string{"-domains", "acme.io,acme-old.org"}}},
}

func seedWithFailure(s *alidomaintest.Server) {
	seedDemo(s)
	s.AddDomain("acme-bad.com", time.Now().AddDate(0, 0, -40), alidomaintest.FailRedeem(""))
}

func seedRefused(s *alidomaintest.Server) {
	seedDemo(s)
	s.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.ThrottleForever())
}

func seedResetBeforeCommit(s *alidomaintest.Server) {
	seedDemo(s)
	s.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.ResetBeforeCommit())
}

// TestExitStatusTable checks each row of README's exit-status table: the
// README holds exactly the program's table, and each status is what the
// program returns in the situations its row names.
func TestExitStatusTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, table, found := strings.Cut(string(readme), "\n| exit status | meaning |\n|---|---|\n")
	require.True(t, found, "README has no exit-status table")
	table, _, _ = strings.Cut(table, "\n\n")
	rows := regexp.MustCompile(`(?m)^\| (\d) \| (.*) \|$`).FindAllStringSubmatch(table, -1)
	require.Len(t, rows, len(exitStatuses), "README's exit-status table")
	for i, s := range exitStatuses {
		assert.Equal(t, fmt.Sprint(s.code), rows[i][1])
		assert.Equal(t, s.meaning, rows[i][2], "README's row for exit %d", s.code)
		require.NotEmpty(t, exitScenarios[s.code], "no scenario for exit %d", s.code)
		for _, sc := range exitScenarios[s.code] {
			code, _, errOut, _ := runWith(t, sc.seed, sc.args...)
			assert.Equal(t, s.code, code, "%s: %s", sc.name, errOut)
		}
	}
	// The -live preview is exit 4 too.
	sim := newLiveSim(t, seedDemo)
	code, _, errOut := runLive(t, sim, "", "-domains", "acme-shop.com")
	assert.Equal(t, exitNothing, code, errOut)
}

var _ io.Writer = (*syncBuffer)(nil)
