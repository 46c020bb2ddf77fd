package alidomain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
)

// reconcileServer answers QueryTaskList with tasks (one per page, in the
// given order) and QueryTaskDetailList with details[TaskNo].
func reconcileServer(ts *testServer, tasks []string, details map[string][]string) {
	servePagesOf(ts, "QueryTaskList", func(n int) string {
		return fmt.Sprintf(`{"RequestId":"R-L%d","TotalItemNum":%d,"CurrentPageNum":%d,"TotalPageNum":%d,"PageSize":1,"NextPage":%t,"Data":{"TaskInfo":[%s]}}`,
			n, len(tasks), n, len(tasks), n < len(tasks), tasks[n-1])
	})
	ts.handle("QueryTaskDetailList", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, detailsPage(details[r.URL.Query().Get("TaskNo")]...))
	})
}

func taskInfoJSON(no, typ, created string) string {
	return fmt.Sprintf(`{"TaskNo":%q,"TaskType":%q,"TaskStatus":"COMPLETE","TaskStatusCode":2,"TaskNum":2,"CreateTime":%q}`, no, typ, created)
}

func reconcileDetailJSON(taskNo, name string, st TaskStatus, created string) string {
	return fmt.Sprintf(`{"TaskNo":%q,"TaskDetailNo":"%s/%s","TaskType":"ORDER_REDEEM","DomainName":%q,"TaskStatusCode":%d,"CreateTime":%q,"UpdateTime":%q}`,
		taskNo, taskNo, name, name, int(st), created, created)
}

func TestReconcileFindsSubmittedAndReportsAbsent(t *testing.T) {
	older := taskInfoJSON("T1", "ORDER_REDEEM", "2024-03-05 10:00:00")
	renew := taskInfoJSON("T2", "ORDER_RENEW", "2024-03-05 11:00:00")
	newer := taskInfoJSON("T3", "ORDER_REDEEM", "2024-03-05 12:00:00")
	details := map[string][]string{
		"T1": {
			reconcileDetailJSON("T1", "a.com", TaskFailed, "2024-03-05 10:00:00"),
			reconcileDetailJSON("T1", "b.com", TaskExecuting, "2024-03-05 10:00:00"),
		},
		"T2": {reconcileDetailJSON("T2", "absent.com", TaskSucceeded, "2024-03-05 11:00:00")},
		"T3": {
			reconcileDetailJSON("T3", "A.COM", TaskSucceeded, "2024-03-05 12:00:00"),
			reconcileDetailJSON("T3", "other.com", TaskSucceeded, "2024-03-05 12:00:00"),
		},
	}
	// The newest detail wins whichever order the tasks come in.
	for _, order := range [][]string{{older, renew, newer}, {newer, renew, older}} {
		c, ts := setup(t)
		reconcileServer(ts, order, details)
		since := time.UnixMilli(1709600000123)
		domains := []string{"a.com", "B.com", "absent.com"}
		got, err := c.Redeem.Reconcile(context.Background(), since, domains)
		require.NoError(t, err)
		require.Equal(t, []string{"a.com", "B.com", "absent.com"}, domains, "the caller's slice is not modified")

		require.Len(t, got, 3)
		require.Contains(t, got, "absent.com", "every requested domain is a key")
		require.Nil(t, got["absent.com"], "only ORDER_REDEEM tasks count")
		require.NotNil(t, got["a.com"])
		require.Equal(t, "T3", got["a.com"].TaskNo, "the newest detail, matched without regard to case")
		require.Equal(t, "A.COM", got["a.com"].DomainName)
		require.Equal(t, TaskSucceeded, got["a.com"].Status)
		require.NotNil(t, got["B.com"])
		require.Equal(t, "T1", got["B.com"].TaskNo)
		require.Equal(t, TaskExecuting, got["B.com"].Status)

		var detailTasks []string
		var listPages []string
		for _, r := range ts.requests() {
			switch r.Action {
			case "QueryTaskList":
				listPages = append(listPages, r.Query.Get("PageNum"))
				assertParams(t, commonParams("QueryTaskList", map[string]string{
					"BeginCreateTime": "1709598800123", // since minus reconcileSkew (20 minutes)
					"PageNum":         r.Query.Get("PageNum"),
					"PageSize":        strconv.Itoa(reconcileTaskPageSize),
				}), r.Query)
			case "QueryTaskDetailList":
				detailTasks = append(detailTasks, r.Query.Get("TaskNo"))
				assertParams(t, commonParams("QueryTaskDetailList", map[string]string{
					"TaskNo": r.Query.Get("TaskNo"), "PageNum": "1", "PageSize": "1000",
				}), r.Query)
			default:
				t.Fatalf("unexpected action %s", r.Action)
			}
		}
		require.Equal(t, []string{"1", "2", "3"}, listPages, "every page of the task list")
		require.ElementsMatch(t, []string{"T1", "T3"}, detailTasks, "details of redemption tasks only")
	}
}

func TestReconcileNothingFound(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryTaskList", 200, `{"RequestId":"R","TotalItemNum":0,"CurrentPageNum":1,"TotalPageNum":0,"PageSize":100,"NextPage":false,"Data":{"TaskInfo":[]}}`)
	got, err := c.Redeem.Reconcile(context.Background(), time.Now().Add(-5*time.Minute), []string{"x.com", "y.org"})
	require.NoError(t, err)
	require.Equal(t, map[string]*TaskDetail{"x.com": nil, "y.org": nil}, got)
	require.Len(t, ts.requests(), 1)
}

func TestReconcileValidation(t *testing.T) {
	c, ts := setup(t)
	_, err := c.Redeem.Reconcile(context.Background(), time.Now(), nil)
	requireValidationField(t, err, "domains")
	_, err = c.Redeem.Reconcile(context.Background(), time.Now(), []string{})
	requireValidationField(t, err, "domains")
	_, err = c.Redeem.Reconcile(context.Background(), time.Now(), []string{"ok.com", "not a domain"})
	requireValidationField(t, err, "domains[1]")
	_, err = c.Redeem.Reconcile(context.Background(), time.Now(), []string{"nodot"})
	requireValidationField(t, err, "domains[0]")
	require.Empty(t, ts.requests())
}

func TestReconcileErrors(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryTaskList", 403, `{"Code":"Forbidden.RAM","Message":"denied","RequestId":"R-F"}`)
	got, err := c.Redeem.Reconcile(context.Background(), time.Now(), []string{"a.com"})
	require.Nil(t, got)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	require.Equal(t, "Forbidden.RAM", apiErr.Code)

	// A failure reading a task's details is an error, not "not found".
	c, ts = setup(t)
	reconcileServer(ts, []string{taskInfoJSON("T1", "ORDER_REDEEM", "2024-03-05 10:00:00")}, nil)
	ts.reply("QueryTaskDetailList", 200, `{"RequestId":"R","Data":{"TaskDetail":[{"TaskNo":"T1"}]}}`)
	got, err = c.Redeem.Reconcile(context.Background(), time.Now(), []string{"a.com"})
	require.Nil(t, got)
	require.Error(t, err)
	require.True(t, strings.Contains(err.Error(), "DomainName"), "%v", err)
}

// With the service's clock 6, 10 or 14 minutes behind the client's (it
// accepts 15), Reconcile from SentAt, or from the README's old advice of
// SentAt minus 5 minutes, finds the order (issue 9).
func TestReconcileCoversClockSkew(t *testing.T) {
	for _, skew := range []time.Duration{6 * time.Minute, 10 * time.Minute, 14 * time.Minute} {
		t.Run(skew.String(), func(t *testing.T) {
			c, sim := simClient(t, []alidomaintest.Option{alidomaintest.WithClock(func() time.Time { return time.Now().Add(-skew) })})
			sim.AddDomain("skewed.com", simExpiry, alidomaintest.NeedsRedemption())
			sim.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.CommitThenDrop())
			_, err := c.Redeem.SubmitBatch(context.Background(), &BatchRedeemRequest{Domains: []RedeemDomain{{DomainName: "skewed.com", CurrentExpirationDate: simExpiry}}})
			var unknown *OutcomeUnknownError
			require.ErrorAs(t, err, &unknown)
			require.Equal(t, 1, sim.Orders("skewed.com"))
			for _, since := range []time.Time{unknown.SentAt, unknown.SentAt.Add(-5 * time.Minute)} {
				found, err := c.Redeem.Reconcile(context.Background(), since, []string{"skewed.com"})
				require.NoError(t, err)
				require.NotNil(t, found["skewed.com"], "the order placed %v ago on the service's clock was not found", skew)
			}
		})
	}
}

// A redemption task listed with TaskNum N whose details number fewer than N
// is an answer Reconcile cannot check: an error, never "no order".
func TestReconcileTaskWithMissingDetailsIsAnError(t *testing.T) {
	for _, tc := range []struct {
		name    string
		taskNum int
		details []string
	}{
		{"TaskNum 1, no details yet", 1, nil},
		{"TaskNum 2, one detail", 2, []string{reconcileDetailJSON("T1", "other.com", TaskWaiting, "2024-03-05 10:00:00")}},
		{"no TaskNum, no details", 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ts := setup(t)
			task := fmt.Sprintf(`{"TaskNo":"T1","TaskType":"ORDER_REDEEM","TaskStatus":"WAITING_EXECUTE","TaskStatusCode":0,"TaskNum":%d,"CreateTime":"2024-03-05 10:00:00"}`, tc.taskNum)
			if tc.taskNum == 0 {
				task = `{"TaskNo":"T1","TaskType":"ORDER_REDEEM","TaskStatus":"WAITING_EXECUTE","TaskStatusCode":0,"CreateTime":"2024-03-05 10:00:00"}`
			}
			reconcileServer(ts, []string{task}, map[string][]string{"T1": tc.details})
			got, err := c.Redeem.Reconcile(context.Background(), time.Now(), []string{"a.com"})
			require.Error(t, err)
			assert.Nil(t, got)
			assert.Contains(t, err.Error(), "T1")
		})
	}
}

// A newer failed detail does not hide an older succeeded or pending one.
func TestReconcilePrefersPlacedOrdersOverFailedOnes(t *testing.T) {
	for _, older := range []TaskStatus{TaskSucceeded, TaskWaiting, TaskExecuting} {
		t.Run(older.String(), func(t *testing.T) {
			c, ts := setup(t)
			tasks := []string{
				taskInfoJSON("TB", "ORDER_REDEEM", "2024-03-05 12:00:00"),
				taskInfoJSON("TA", "ORDER_REDEEM", "2024-03-05 10:00:00"),
			}
			reconcileServer(ts, tasks, map[string][]string{
				"TA": {reconcileDetailJSON("TA", "a.com", older, "2024-03-05 10:00:00"), reconcileDetailJSON("TA", "x.com", TaskSucceeded, "2024-03-05 10:00:00")},
				"TB": {reconcileDetailJSON("TB", "a.com", TaskFailed, "2024-03-05 12:00:00"), reconcileDetailJSON("TB", "x.com", TaskFailed, "2024-03-05 12:00:00")},
			})
			got, err := c.Redeem.Reconcile(context.Background(), time.Now(), []string{"a.com"})
			require.NoError(t, err)
			require.NotNil(t, got["a.com"])
			assert.Equal(t, "TA", got["a.com"].TaskNo, "the failed detail of TB hid the order of TA")
			assert.Equal(t, older, got["a.com"].Status)
		})
	}
	// With only failed details, the newest is returned.
	c, ts := setup(t)
	reconcileServer(ts, []string{taskInfoJSON("TB", "ORDER_REDEEM", "2024-03-05 12:00:00"), taskInfoJSON("TA", "ORDER_REDEEM", "2024-03-05 10:00:00")}, map[string][]string{
		"TA": {reconcileDetailJSON("TA", "a.com", TaskFailed, "2024-03-05 10:00:00"), reconcileDetailJSON("TA", "x.com", TaskFailed, "2024-03-05 10:00:00")},
		"TB": {reconcileDetailJSON("TB", "a.com", TaskFailed, "2024-03-05 12:00:00"), reconcileDetailJSON("TB", "x.com", TaskFailed, "2024-03-05 12:00:00")},
	})
	got, err := c.Redeem.Reconcile(context.Background(), time.Now(), []string{"a.com"})
	require.NoError(t, err)
	require.NotNil(t, got["a.com"])
	assert.Equal(t, "TB", got["a.com"].TaskNo)
}

// Reconcile matches names in canonical form and keys the result by the
// caller's spelling: an order for 例子.cn is found for xn--fsqu00a.cn, and
// the reverse.
func TestReconcileMatchesIDNForms(t *testing.T) {
	for _, tc := range []struct{ ordered, asked string }{
		{"例子.cn", "xn--fsqu00a.cn"},
		{"xn--fsqu00a.cn", "例子.cn"},
		{"XN--FSQU00A.CN", "例子.cn"},
		{"例子.cn", "XN--fsqu00a.CN"},
		{"bücher.de", "BÜCHER.de"},
	} {
		t.Run(tc.ordered+"/"+tc.asked, func(t *testing.T) {
			c, ts := setup(t)
			reconcileServer(ts, []string{taskInfoJSON("T1", "ORDER_REDEEM", "2024-03-05 10:00:00")}, map[string][]string{
				"T1": {reconcileDetailJSON("T1", tc.ordered, TaskSucceeded, "2024-03-05 10:00:00"), reconcileDetailJSON("T1", "other.com", TaskSucceeded, "2024-03-05 10:00:00")},
			})
			got, err := c.Redeem.Reconcile(context.Background(), time.Now(), []string{tc.asked, "absent.com"})
			require.NoError(t, err)
			require.Len(t, got, 2)
			require.NotNil(t, got[tc.asked], "the order for %q was not found for %q", tc.ordered, tc.asked)
			assert.Equal(t, tc.ordered, got[tc.asked].DomainName)
			assert.Nil(t, got["absent.com"])
		})
	}
}
