package alidomain

// These tests need core's strict decoding (issue 9): until it is merged,
// the QueryTaskList cases and the 200-with-Code detail case fail.

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Answers Reconcile cannot check are errors, never "nil, safe to submit
// again", whether they answer the task list or a task's details. These rely
// on strict decoding (a 2xx with Code is an *APIError; Data and the paging
// fields are required; XML only when asked for).
func TestReconcileUncheckableAnswersAreErrors(t *testing.T) {
	answers := []struct {
		name, contentType, body string
		apiError                bool
	}{
		{"200 with Code ServiceUnavailable and no Data", "application/json", `{"Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server.","RequestId":"R-503"}`, true},
		{"200 {}", "application/json", `{}`, false},
		{"200 HTML page", "text/html", `<html><head><title>Maintenance</title></head><body>Back soon</body></html>`, false},
		{"TotalItemNum 250 without page fields", "application/json", `{"RequestId":"R","TotalItemNum":250,"Data":{"TaskInfo":[],"TaskDetail":[]}}`, false},
	}
	task := `{"TaskNo":"T1","TaskType":"ORDER_REDEEM","TaskStatus":"COMPLETE","TaskStatusCode":2,"TaskNum":1,"CreateTime":"2024-03-05 10:00:00"}`
	for _, where := range []string{"QueryTaskList", "QueryTaskDetailList"} {
		for _, a := range answers {
			t.Run(where+"/"+a.name, func(t *testing.T) {
				c, ts := setup(t)
				reconcileServer(ts, []string{task}, map[string][]string{"T1": {reconcileDetailJSON("T1", "a.com", TaskSucceeded, "2024-03-05 10:00:00")}})
				ts.handle(where, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", a.contentType)
					io.WriteString(w, a.body)
				})
				got, err := c.Redeem.Reconcile(context.Background(), time.Now(), []string{"a.com"})
				require.Error(t, err, "Reconcile took %q as an answer: %v", a.body, got)
				assert.Nil(t, got)
				if a.apiError {
					var ae *APIError
					require.ErrorAs(t, err, &ae)
					assert.Equal(t, "ServiceUnavailable", ae.Code)
				}
			})
		}
	}
}
