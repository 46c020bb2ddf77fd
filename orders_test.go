package alidomain

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/wire"
)

// orderCase is one of the six order actions of the renew, transfer and
// register family, with a valid request.
type orderCase struct {
	action string
	submit func(*Client, ...func(*Options)) (*SubmitResult, error)
}

func orderCases() []orderCase {
	ctx := context.Background()
	td := TransferDomain{DomainName: "t.example", AuthorizationCode: testAuthCode, RegistrantProfileID: 7}
	rd := RegisterDomain{DomainName: "r.example", RegistrantProfileID: 7}
	return []orderCase{
		{actionBatchRenew, func(c *Client, o ...func(*Options)) (*SubmitResult, error) {
			return c.Renew.SubmitBatch(ctx, &BatchRenewRequest{Domains: []RenewDomain{{DomainName: "a.example", CurrentExpirationDate: exp1}}}, o...)
		}},
		{actionSingleRenew, func(c *Client, o ...func(*Options)) (*SubmitResult, error) {
			return c.Renew.Submit(ctx, &RenewRequest{DomainName: "a.example", CurrentExpirationDate: exp1, Years: 2}, o...)
		}},
		{actionBatchTransfer, func(c *Client, o ...func(*Options)) (*SubmitResult, error) {
			return c.Transfer.SubmitBatch(ctx, &BatchTransferRequest{Domains: []TransferDomain{td}}, o...)
		}},
		{actionSingleTransfer, func(c *Client, o ...func(*Options)) (*SubmitResult, error) {
			return c.Transfer.Submit(ctx, &TransferRequest{TransferDomain: td}, o...)
		}},
		{actionBatchRegister, func(c *Client, o ...func(*Options)) (*SubmitResult, error) {
			return c.Register.SubmitBatch(ctx, &BatchRegisterRequest{Domains: []RegisterDomain{rd}}, o...)
		}},
		{actionSingleRegister, func(c *Client, o ...func(*Options)) (*SubmitResult, error) {
			return c.Register.Submit(ctx, &RegisterRequest{RegisterDomain: rd}, o...)
		}},
	}
}

// Every order action decodes its answer from JSON and from XML.
func TestOrdersDecodeJSONAndXML(t *testing.T) {
	for _, oc := range orderCases() {
		t.Run(oc.action, func(t *testing.T) {
			c, ts := setup(t)
			ts.reply(oc.action, 200, `{"RequestId":"REQ-J","TaskNo":"TASK-J"}`)
			res, err := oc.submit(c)
			require.NoError(t, err)
			assert.Equal(t, SubmitResult{Meta: Meta{RequestID: "REQ-J", Attempts: 1}, TaskNo: "TASK-J"}, *res)

			ts.handle(oc.action, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/xml")
				fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><%sResponse><RequestId>REQ-X</RequestId><TaskNo>TASK-X</TaskNo></%[1]sResponse>`, oc.action)
			})
			res, err = oc.submit(c, func(o *Options) { o.Format = "XML" })
			require.NoError(t, err)
			assert.Equal(t, "TASK-X", res.TaskNo)
			assert.Equal(t, "REQ-X", res.RequestID)
			reqs := ts.requests()
			require.Len(t, reqs, 2)
			assert.Equal(t, "XML", reqs[1].Query.Get("Format"))
			assert.Equal(t, oc.action, reqs[1].Action)
		})
	}
}

// The paid-order rule for every order action: throttling is retried (it
// provably did not take effect), nothing else that follows a write is.
func TestOrdersPaidOrderRule(t *testing.T) {
	throttle := [2]any{400, `{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"R-T"}`}
	failures := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"commit then drop", func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}},
		{"500 InternalError", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			io.WriteString(w, `{"Code":"InternalError","Message":"oops","RequestId":"R-500"}`)
		}},
		{"malformed 200", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"RequestId":`) }},
		{"200 without TaskNo", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"RequestId":"R"}`) }},
	}
	for _, oc := range orderCases() {
		t.Run(oc.action, func(t *testing.T) {
			c, ts := setup(t)
			ts.script(oc.action, throttle, throttle, [2]any{200, okBatch})
			res, err := oc.submit(c)
			require.NoError(t, err)
			assert.Equal(t, 3, res.Attempts, "throttled attempts are retried")
			require.Len(t, ts.requests(), 3)

			for _, f := range failures {
				c, ts := setup(t)
				ts.handle(oc.action, f.handler)
				_, err := oc.submit(c)
				require.ErrorIs(t, err, ErrOutcomeUnknown, f.name)
				var ou *OutcomeUnknownError
				require.ErrorAs(t, err, &ou)
				assert.Equal(t, oc.action, ou.Action)
				assert.Len(t, ts.requests(), 1, "%s: a paid order was sent again", f.name)
			}

			// A refusal is final and says so: no retry, not unknown.
			c, ts = setup(t)
			ts.reply(oc.action, 400, `{"Code":"InvalidParameter","Message":"no","RequestId":"R-400"}`)
			_, err = oc.submit(c)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, "InvalidParameter", ae.Code)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown)
			assert.Len(t, ts.requests(), 1)
		})
	}
}

func orderDetailJSON(taskNo, typ, name string, st TaskStatus, created string) string {
	return fmt.Sprintf(`{"TaskNo":%q,"TaskDetailNo":"%s/%s","TaskType":%q,"DomainName":%q,"TaskStatusCode":%d,"CreateTime":%q,"UpdateTime":%q}`,
		taskNo, taskNo, name, typ, name, int(st), created, created)
}

// reconcileFixture: one task per type, each with details for a.com and b.com,
// created a minute apart in list order.
func reconcileFixture(types ...string) ([]string, map[string][]string) {
	var tasks []string
	details := map[string][]string{}
	for i, typ := range types {
		no := fmt.Sprintf("T%d", i+1)
		created := fmt.Sprintf("2024-03-05 10:%02d:00", 10+i)
		tasks = append(tasks, taskInfoJSON(no, typ, created))
		// taskInfoJSON lists two domains per task: Reconcile reads both details.
		details[no] = []string{orderDetailJSON(no, typ, "a.com", TaskExecuting, created), orderDetailJSON(no, typ, "b.com", TaskSucceeded, created)}
	}
	return tasks, details
}

func TestOrdersReconcilePerKind(t *testing.T) {
	types := []string{"ORDER_REDEEM", "ORDER_RENEW", "ORDER_ACTIVATE", "CHG_DNS", "ORDER_TRANSFER", "SET_WHOIS_PROTECT"}
	tasks, details := reconcileFixture(types...)
	kinds := []struct {
		name      string
		reconcile func(c *Client) (map[string]*TaskDetail, error)
		want      string // the TaskNo found for a.com
		read      []string
	}{
		{"renew", func(c *Client) (map[string]*TaskDetail, error) {
			return c.Renew.Reconcile(context.Background(), exp1, []string{"A.com", "none.com"})
		}, "T2", []string{"T2"}},
		{"register", func(c *Client) (map[string]*TaskDetail, error) {
			return c.Register.Reconcile(context.Background(), exp1, []string{"A.com", "none.com"})
		}, "T3", []string{"T3"}},
		{"transfer", func(c *Client) (map[string]*TaskDetail, error) {
			return c.Transfer.Reconcile(context.Background(), exp1, []string{"A.com", "none.com"})
		}, "T5", []string{"T5"}},
		{"redeem", func(c *Client) (map[string]*TaskDetail, error) {
			return c.Redeem.Reconcile(context.Background(), exp1, []string{"A.com", "none.com"})
		}, "T1", []string{"T1"}},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			c, ts := setup(t)
			reconcileServer(ts, tasks, details)
			got, err := k.reconcile(c)
			require.NoError(t, err)
			require.Len(t, got, 2)
			require.Contains(t, got, "none.com")
			assert.Nil(t, got["none.com"])
			require.NotNil(t, got["A.com"])
			assert.Equal(t, k.want, got["A.com"].TaskNo)
			var read []string
			for _, r := range ts.requests() {
				if r.Action == "QueryTaskDetailList" {
					read = append(read, r.Query.Get("TaskNo"))
				}
			}
			assert.Equal(t, k.read, read, "details of this kind's tasks only")
		})
	}
}

// Transfer's Reconcile does not depend on a guessed task type: whatever
// type the service gives transfer-in tasks (none, or one never seen), the
// order is found, and only documented other kinds are ruled out.
func TestTransferReconcileDoesNotDependOnTaskType(t *testing.T) {
	for _, typ := range []string{"ORDER_TRANSFER", "", "TRANSFER_IN", "order_transfer_in", "DOMAIN_TRANSFER_IN_ORDER"} {
		t.Run("type "+typ, func(t *testing.T) {
			tasks, details := reconcileFixture("ORDER_RENEW", typ, "ORDER_ACTIVATE", "CHG_HOLDER", "ORDER_REDEEM")
			c, ts := setup(t)
			reconcileServer(ts, tasks, details)
			got, err := c.Transfer.Reconcile(context.Background(), exp1, []string{"a.com"})
			require.NoError(t, err)
			require.NotNil(t, got["a.com"], "a transfer-in task of type %q was not counted", typ)
			assert.Equal(t, "T2", got["a.com"].TaskNo)
		})
	}
	// Only documented other kinds: no transfer.
	documented := make([]string, 0, len(documentedTaskTypes))
	for typ := range documentedTaskTypes {
		documented = append(documented, strings.ToLower(typ))
	}
	tasks, details := reconcileFixture(documented...)
	c, ts := setup(t)
	reconcileServer(ts, tasks, details)
	got, err := c.Transfer.Reconcile(context.Background(), exp1, []string{"a.com"})
	require.NoError(t, err)
	assert.Nil(t, got["a.com"], "a documented other kind counted as a transfer")
	for _, r := range ts.requests() {
		assert.NotEqual(t, "QueryTaskDetailList", r.Action, "details of a documented other kind were read")
	}
}

func TestOrdersReconcileValidation(t *testing.T) {
	c, ts := setup(t)
	for _, rec := range []func(context.Context, time.Time, []string, ...func(*Options)) (map[string]*TaskDetail, error){
		c.Renew.Reconcile, c.Transfer.Reconcile, c.Register.Reconcile,
	} {
		_, err := rec(context.Background(), exp1, nil)
		requireValidationField(t, err, "domains")
		_, err = rec(context.Background(), exp1, []string{"a.com", "bad name"})
		requireValidationField(t, err, "domains[1]")
	}
	assert.Empty(t, ts.requests())

	var zero Client
	zero.Renew = &RenewService{}
	_, err := zero.Renew.Reconcile(context.Background(), exp1, []string{"a.com"})
	assert.ErrorIs(t, err, errNotInitialised)
}

// A task detail's TaskResult can carry an authorization code: no print,
// log or JSON of a detail shows it, and the field itself stays readable.
func TestTaskDetailRedactsTaskResult(t *testing.T) {
	d := TaskDetail{TaskNo: "T1", DomainName: "a.com", TaskType: "ORDER_TRANSFER_OUT", TaskResult: testAuthCode, Status: TaskSucceeded, ErrorMsg: "ok"}
	report := TaskReport{TaskNo: "T1", Details: []TaskDetail{d}}
	for _, v := range []any{d, &d, []TaskDetail{d}, report, &report} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, "Ab1", "%s of %T: %s", verb, v, out)
		}
		assert.Contains(t, fmt.Sprintf("%+v", v), "a.com")
		assert.Contains(t, fmt.Sprintf("%+v", v), redacted)
		b, err := json.Marshal(v)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "Ab1")
		assert.Contains(t, string(b), `"DomainName":"a.com"`)
		for _, h := range []func(io.Writer) slog.Handler{
			func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
			func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
		} {
			var buf strings.Builder
			slog.New(h(&buf)).Info("detail", "d", v)
			assert.NotContains(t, buf.String(), "Ab1", buf.String())
			assert.Contains(t, buf.String(), "a.com")
		}
	}
	assert.Contains(t, fmt.Sprintf("%#v", d), "alidomain.TaskDetail{")
	assert.Contains(t, d.String(), "Status:succeeded")
	assert.Equal(t, testAuthCode, d.TaskResult)
	assert.NotContains(t, TaskDetail{DomainName: "x.com"}.String(), redacted, "no result, nothing redacted")
}

// The encoder's two additions for the order family: an untagged embedded
// struct contributes its fields, and default= sends the zero value as the
// default; a wire name given twice is refused.
func TestEncodeEmbeddedAndDefault(t *testing.T) {
	type inner struct {
		A string `url:"A"`
		N int    `url:"N,default=1"`
	}
	type outer struct {
		inner
		B bool `url:"B"`
	}
	ps, _, err := wire.EncodeRequest(&outer{inner: inner{A: "x y"}})
	require.NoError(t, err)
	assert.Equal(t, wire.Params{{Key: "A", Value: "x%20y"}, {Key: "B", Value: "false"}, {Key: "N", Value: "1"}}, ps)
	ps, _, err = wire.EncodeRequest(&outer{inner: inner{N: 7}, B: true})
	require.NoError(t, err)
	assert.Equal(t, wire.Params{{Key: "A", Value: ""}, {Key: "B", Value: "true"}, {Key: "N", Value: "7"}}, ps)

	type clash struct {
		inner
		A string `url:"A"`
	}
	_, _, err = wire.EncodeRequest(&clash{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "overlap")
}
