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

	"github.com/stretchr/testify/require"
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
					"BeginCreateTime": "1709600000123",
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
