package alidomain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alidomain/alidomain/alidomaintest"
	"github.com/alidomain/alidomain/internal/catalog"
	"github.com/alidomain/alidomain/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testCatalog = catalog.MustLoad()

// apiMethod calls the generated method of action on c with req (a pointer
// to its request, or nil for a nil one) and returns the answer and error.
func apiMethod(t *testing.T, c *Client, action string, req reflect.Value) (reflect.Value, error) {
	t.Helper()
	m := reflect.ValueOf(c.API).MethodByName(action)
	require.True(t, m.IsValid(), "no method API.%s", action)
	if !req.IsValid() {
		req = reflect.Zero(m.Type().In(1))
	}
	out := m.Call([]reflect.Value{reflect.ValueOf(context.Background()), req})
	err, _ := out[1].Interface().(error)
	return out[0], err
}

// newRequest returns a new request of action with every required field
// set (strings "x", lists of one item, times now).
func newRequest(t *testing.T, a *catalog.Action) reflect.Value {
	t.Helper()
	typ, ok := apiRequestType(a.Name)
	require.True(t, ok, a.Name)
	v := reflect.New(typ)
	for _, p := range a.Params {
		if !p.Required {
			continue
		}
		f := v.Elem().FieldByName(p.Go)
		require.True(t, f.IsValid(), "%s.%s", a.Name, p.Go)
		fillValue(f, 1)
	}
	return v
}

// apiRequestType returns the request type of action, from its method.
func apiRequestType(action string) (reflect.Type, bool) {
	m, ok := reflect.TypeOf(&API{}).MethodByName(action)
	if !ok {
		return nil, false
	}
	return m.Type.In(2).Elem(), true
}

// fillValue sets v to a non-zero value: lists get n items, each filled.
func fillValue(v reflect.Value, n int) {
	switch {
	case v.Type() == reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.UnixMilli(1767225600000)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillValue(v.Elem(), n)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := 0; i < n; i++ {
			fillValue(s.Index(i), 1)
		}
		v.Set(s)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fillValue(v.Field(i), n)
			}
		}
	}
}

// minimalAnswer returns a well-formed answer of the action's shape: every
// field present (strings "x", numbers 1, booleans true, lists of one).
func minimalAnswer(a *catalog.Action) map[string]any {
	m := answerObject(a.Answer)
	m["RequestId"] = "R-" + a.Name
	if e := a.Envelope; e != nil && e.Success != "" {
		// a success carries no error fields
		for _, k := range []string{e.Code, e.Message, e.Status, "DynamicCode", "DynamicMessage", "ErrorArgs"} {
			delete(m, k)
		}
	}
	return m
}

func answerObject(fs []*catalog.Field) map[string]any {
	m := map[string]any{}
	for _, f := range fs {
		m[f.Wire] = answerValue(f, f.Type)
	}
	return m
}

func answerValue(f *catalog.Field, typ string) any {
	switch typ {
	case "object":
		return answerObject(f.Fields)
	case "array":
		return []any{answerValue(f, f.Elem)}
	case "string", "any":
		return "x"
	case "boolean":
		return true
	case "double", "float":
		return 1.5
	}
	return 1
}

// Every catalog action has its method on *API with the generated shape,
// and every list its iterator.
func TestAPIHasEveryAction(t *testing.T) {
	at := reflect.TypeOf(&API{})
	ctxT, errT := reflect.TypeFor[context.Context](), reflect.TypeFor[error]()
	optsT := reflect.TypeFor[[]func(*Options)]()
	require.Len(t, testCatalog.Actions, 132)
	for _, a := range testCatalog.Actions {
		m, ok := at.MethodByName(a.Name)
		if !assert.True(t, ok, "API.%s missing", a.Name) {
			continue
		}
		ft := m.Type
		assert.True(t, ft.IsVariadic(), a.Name)
		require.Equal(t, 4, ft.NumIn(), a.Name)
		assert.Equal(t, ctxT, ft.In(1), a.Name)
		req := a.Name + "Request"
		if a.Request != "" {
			req = a.Request // <Action>Request is an alias of the hand-written type
		}
		assert.Equal(t, req, ft.In(2).Elem().Name(), a.Name)
		assert.Equal(t, optsT, ft.In(3), a.Name)
		require.Equal(t, 2, ft.NumOut(), a.Name)
		assert.Equal(t, a.Name+"Response", ft.Out(0).Elem().Name(), a.Name)
		assert.Equal(t, errT, ft.Out(1), a.Name)
		meta, ok := ft.Out(0).Elem().FieldByName("Meta")
		assert.True(t, ok && meta.Anonymous, "%sResponse embeds Meta", a.Name)

		it, hasIter := at.MethodByName(a.Name + "Iter")
		isList := a.Kind == catalog.PageList || a.Kind == catalog.CursorList
		assert.Equal(t, isList, hasIter, "%sIter", a.Name)
		if hasIter {
			assert.Equal(t, "Seq2", strings.SplitN(it.Type.Out(0).Name(), "[", 2)[0], a.Name)
		}
	}
	assert.Equal(t, len(testCatalog.Actions), len(knownActions), "api_tables.go has every action")
}

// The first item of every request field's url tag is the catalog's wire
// name, in struct lists too; JSON-list items carry it in their json tags.
func TestAPIRequestWireNames(t *testing.T) {
	for _, a := range testCatalog.Actions {
		typ, ok := apiRequestType(a.Name)
		require.True(t, ok, a.Name)
		require.Equal(t, len(a.Params), typ.NumField(), "%s: one field per parameter", a.Name)
		for _, p := range a.Params {
			f, ok := typ.FieldByName(p.Go)
			if !assert.True(t, ok, "%s.%s", a.Name, p.Go) {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("url"), ",")
			assert.Equal(t, p.Wire, name, "%s.%s", a.Name, p.Go)
			if len(p.Fields) == 0 {
				continue
			}
			et := f.Type.Elem()
			require.Equal(t, len(p.Fields), et.NumField(), "%s.%s item", a.Name, p.Go)
			for _, pf := range p.Fields {
				ef, ok := et.FieldByName(pf.Go)
				if !assert.True(t, ok, "%s.%s.%s", a.Name, p.Go, pf.Go) {
					continue
				}
				tag := ef.Tag.Get("url")
				if strings.Contains(opts, "json") {
					tag = ef.Tag.Get("json")
				}
				n, _, _ := strings.Cut(tag, ",")
				assert.Equal(t, pf.Wire, n, "%s.%s.%s", a.Name, p.Go, pf.Go)
			}
		}
	}
}

// The parameters the generated methods send are the catalog's: every
// field filled, lists of two, each key is Wire, Wire.N or Wire.N.Field.
func TestAPISendsCatalogNames(t *testing.T) {
	for _, a := range testCatalog.Actions {
		typ, _ := apiRequestType(a.Name)
		v := reflect.New(typ)
		fillValue(v.Elem(), 2)
		ps, _, err := wire.EncodeRequest(v.Interface())
		require.NoError(t, err, a.Name)
		want := map[string]bool{}
		for _, p := range a.Params {
			switch {
			case p.Wire == "Lang":
			case p.List == catalog.Repeated:
				want[p.Wire+".1"], want[p.Wire+".2"] = true, true
			case p.List == catalog.RepeatedStruct:
				for _, f := range p.Fields {
					want[p.Wire+".1."+f.Wire], want[p.Wire+".2."+f.Wire] = true, true
				}
			default:
				want[p.Wire] = true
			}
		}
		got := map[string]bool{}
		for _, p := range ps {
			got[p.SortKey()] = true
		}
		assert.Equal(t, want, got, a.Name)
	}
}

// Validation refuses a missing required field or an over-long list before
// anything is sent, naming the Go field (and the wire name in the reason).
func TestAPIValidationSendsNothing(t *testing.T) {
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		io.WriteString(w, `{"RequestId":"R"}`)
	}))
	defer srv.Close()
	c, err := New(Options{Endpoint: srv.URL, Credentials: StaticCredentials(testKeyID, testSecret), Retry: RetryPolicy{MaxAttempts: 1}})
	require.NoError(t, err)
	checked := 0
	for _, a := range testCatalog.Actions {
		for _, p := range a.Params {
			if p.Required && (p.Type == "string" && p.GoType == "" || p.List != catalog.Flat || p.Time != "") {
				req := newRequest(t, a)
				req.Elem().FieldByName(p.Go).SetZero()
				_, err := apiMethod(t, c, a.Name, req)
				var ve *ValidationError
				if assert.ErrorAs(t, err, &ve, "%s without %s", a.Name, p.Go) {
					assert.Equal(t, p.Go, ve.Field)
					assert.Contains(t, ve.Reason, p.Wire)
				}
				checked++
			}
			if p.MaxItems > 0 {
				req := newRequest(t, a)
				fillValue(req.Elem().FieldByName(p.Go), p.MaxItems+1)
				_, err := apiMethod(t, c, a.Name, req)
				var ve *ValidationError
				if assert.ErrorAs(t, err, &ve, "%s with %d %s", a.Name, p.MaxItems+1, p.Go) {
					assert.Equal(t, p.Go, ve.Field)
					assert.Contains(t, ve.Reason, fmt.Sprint(p.MaxItems))
				}
				checked++
				fillValue(req.Elem().FieldByName(p.Go), p.MaxItems)
				_, err = apiMethod(t, c, a.Name, req)
				assert.False(t, errors.As(err, &ve), "%s with %d %s: %v", a.Name, p.MaxItems, p.Go, err)
			}
		}
		if hasRequired(a) {
			_, err := apiMethod(t, c, a.Name, reflect.Value{})
			var ve *ValidationError
			assert.ErrorAs(t, err, &ve, "%s(nil)", a.Name)
		}
	}
	assert.Greater(t, checked, 150)
	n := 0
	for _, a := range testCatalog.Actions {
		for _, p := range a.Params {
			if p.MaxItems > 0 {
				n++
			}
		}
	}
	assert.Equal(t, int32(n), sent.Load(), "only the requests at the limit were sent")
}

func hasRequired(a *catalog.Action) bool {
	for _, p := range a.Params {
		if p.Required && (a.Paging == nil || p.Wire != a.Paging.PageNum && p.Wire != a.Paging.PageSize) {
			return true
		}
	}
	return false
}

// For every action: the connection drops after the server has read the
// request. A write is sent once and its outcome is unknown; a read (or a
// write the catalog marks safe to repeat) is sent again and succeeds on a
// well-formed answer of its shape.
func TestAPIDroppedConnectionEveryAction(t *testing.T) {
	c, ts := setup(t)
	for _, a := range testCatalog.Actions {
		answer, err := json.Marshal(minimalAnswer(a))
		require.NoError(t, err)
		var n atomic.Int32
		ts.handle(a.Name, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write(answer)
		})
		out, err := apiMethod(t, c, a.Name, newRequest(t, a))
		if a.RepeatSafe {
			if assert.NoError(t, err, a.Name) {
				assert.Equal(t, int32(2), n.Load(), "%s is retried", a.Name)
				meta := out.Elem().FieldByName("Meta").Interface().(Meta)
				assert.Equal(t, "R-"+a.Name, meta.RequestID)
				assert.Equal(t, 2, meta.Attempts)
			}
			continue
		}
		var ou *OutcomeUnknownError
		assert.ErrorAs(t, err, &ou, a.Name)
		assert.Equal(t, int32(1), n.Load(), "%s is sent once", a.Name)
	}
}

// Every generated answer decodes a well-formed answer of its shape, in
// JSON and XML, every field reaching its Go field.
func TestAPIAnswersDecode(t *testing.T) {
	c, ts := setup(t)
	for _, a := range testCatalog.Actions {
		body, err := json.Marshal(minimalAnswer(a))
		require.NoError(t, err)
		ts.reply(a.Name, 200, string(body))
		out, err := apiMethod(t, c, a.Name, newRequest(t, a))
		if !assert.NoError(t, err, a.Name) {
			continue
		}
		resp := out.Elem()
		sent := minimalAnswer(a)
		for _, f := range a.Answer {
			if _, ok := sent[f.Wire]; !ok || f.Wire == "RequestId" {
				continue
			}
			assert.False(t, resp.FieldByName(f.Go).IsZero(), "%s.%s decoded", a.Name, f.Go)
		}
	}
}

// An envelope's Success false in an HTTP 200 is an *APIError with the
// envelope's code and message.
func TestAPIEnvelopeSuccessFalse(t *testing.T) {
	c, ts := setup(t, func(o *Options) { o.Retry.MaxAttempts = 1 })
	n := 0
	for _, a := range testCatalog.Actions {
		e := a.Envelope
		if e == nil || e.Success == "" {
			continue
		}
		n++
		ans := minimalAnswer(a)
		ans[e.Success], ans[e.Code], ans[e.Message] = false, "Domain.NotSupported", "not for this domain"
		body, _ := json.Marshal(ans)
		ts.reply(a.Name, 200, string(body))
		_, err := apiMethod(t, c, a.Name, newRequest(t, a))
		var ae *APIError
		if assert.ErrorAs(t, err, &ae, a.Name) {
			assert.Equal(t, "Domain.NotSupported", ae.Code)
			assert.Equal(t, "not for this domain", ae.Message)
		}
	}
	assert.Equal(t, 5, n, "the envelopes with Success")
}

// The fixed-price order returns its OrderNo and PayURL; an answer without
// an OrderNo is an unknown outcome, never a success.
func TestAPICreateIntlFixedPriceDomainOrder(t *testing.T) {
	c, ts := setup(t)
	ts.reply("CreateIntlFixedPriceDomainOrder", 200, `{"RequestId":"R1","Module":{"OrderNo":"O-1","PayUrl":"https://pay.example/1","Domain":"a.com","PayPrice":10}}`)
	res, err := c.API.CreateIntlFixedPriceDomainOrder(context.Background(), &CreateIntlFixedPriceDomainOrderRequest{Domain: "a.com", ExpectedPrice: 10})
	require.NoError(t, err)
	assert.Equal(t, "O-1", res.Module.OrderNo)
	assert.Equal(t, "https://pay.example/1", res.Module.PayURL)
	assert.Equal(t, "R1", res.RequestID)

	ts.reply("CreateIntlFixedPriceDomainOrder", 200, `{"RequestId":"R2","Module":{}}`)
	_, err = c.API.CreateIntlFixedPriceDomainOrder(context.Background(), &CreateIntlFixedPriceDomainOrderRequest{Domain: "a.com"})
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Len(t, ts.requests(), 2, "sent once each")
}

// A partial success reports the items that failed.
func TestAPIPartialSuccess(t *testing.T) {
	c, ts := setup(t)
	ts.reply("SubmitEmailVerification", 200, `{"RequestId":"R","SuccessList":[{"Email":"a@example.com","Code":"OK"}],"FailList":[{"Email":"b@example.com","Code":"Mail.Invalid","Message":"bad"}]}`)
	res, err := c.API.SubmitEmailVerification(context.Background(), &SubmitEmailVerificationRequest{Email: "a@example.com,b@example.com"})
	require.NoError(t, err)
	require.Len(t, res.Failed(), 1)
	assert.Equal(t, "b@example.com", res.Failed()[0].Email)
	require.Len(t, res.Succeeded(), 1)

	ts.reply("ConfirmTransferInEmail", 200, `{"RequestId":"R","SuccessList":{"SuccessDomain":["a.com"]},"FailList":{"FailDomain":["b.com"]}}`)
	res2, err := c.API.ConfirmTransferInEmail(context.Background(), &ConfirmTransferInEmailRequest{DomainName: []string{"a.com", "b.com"}, Email: "x@example.com"})
	require.NoError(t, err)
	assert.Equal(t, []string{"b.com"}, res2.Failed())
	assert.Equal(t, []string{"a.com"}, res2.Succeeded())
}

// A page list's iterator goes to the last page; a page that does not
// advance is an error, not a loop.
func TestAPIPageIterator(t *testing.T) {
	c, ts := setup(t)
	var pages []string
	ts.handle("QueryChangeLogList", func(w http.ResponseWriter, r *http.Request) {
		n := r.URL.Query().Get("PageNum")
		pages = append(pages, n)
		fmt.Fprintf(w, `{"RequestId":"R","CurrentPageNum":%s,"TotalPageNum":3,"TotalItemNum":3,"NextPage":%v,"PageSize":1,"Data":{"ChangeLog":[{"DomainName":"d%s.com"}]}}`, n, n != "3", n)
	})
	var got []string
	for it, err := range c.API.QueryChangeLogListIter(context.Background(), &QueryChangeLogListRequest{PageSize: 1}) {
		require.NoError(t, err)
		got = append(got, it.DomainName)
	}
	assert.Equal(t, []string{"d1.com", "d2.com", "d3.com"}, got)
	assert.Equal(t, []string{"1", "2", "3"}, pages)

	ts.reply("QueryChangeLogList", 200, `{"RequestId":"R","CurrentPageNum":1,"TotalPageNum":3,"TotalItemNum":3,"NextPage":true,"PageSize":1,"Data":{"ChangeLog":[{"DomainName":"d.com"}]}}`)
	var errs int
	for _, err := range c.API.QueryChangeLogListIter(context.Background(), nil) {
		if err != nil {
			errs++
			assert.Contains(t, err.Error(), "again")
		}
	}
	assert.Equal(t, 1, errs)
}

// A cursor list's iterator follows the cursor to the end; the same page
// under the same cursor is an error, not a loop.
func TestAPICursorIterator(t *testing.T) {
	c, ts := setup(t)
	var cursors []string
	ts.handle("QueryTaskInfoHistory", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		cursors = append(cursors, q.Get("TaskNoCursor")+"@"+q.Get("CreateTimeCursor"))
		switch q.Get("TaskNoCursor") {
		case "":
			io.WriteString(w, `{"RequestId":"R","Objects":[{"TaskNo":"T1"},{"TaskNo":"T2"}],"NextPageCursor":{"TaskNo":"T3","CreateTimeLong":1700000000000}}`)
		case "T3":
			io.WriteString(w, `{"RequestId":"R","Objects":[{"TaskNo":"T3"}],"NextPageCursor":{}}`)
		}
	})
	var got []string
	for it, err := range c.API.QueryTaskInfoHistoryIter(context.Background(), &QueryTaskInfoHistoryRequest{PageSize: 2}) {
		require.NoError(t, err)
		got = append(got, it.TaskNo)
	}
	assert.Equal(t, []string{"T1", "T2", "T3"}, got)
	assert.Equal(t, []string{"@", "T3@1700000000000"}, cursors)

	ts.reply("QueryTaskInfoHistory", 200, `{"RequestId":"R","Objects":[{"TaskNo":"T1"}],"NextPageCursor":{"TaskNo":"T1","CreateTimeLong":1}}`)
	var errs, items int
	for _, err := range c.API.QueryTaskInfoHistoryIter(context.Background(), &QueryTaskInfoHistoryRequest{PageSize: 1}) {
		if err != nil {
			errs++
			assert.Contains(t, err.Error(), "did not advance")
		} else {
			items++
		}
	}
	assert.Equal(t, 1, errs)
	assert.Equal(t, 1, items, "the first page's items, then the error")
}

// Requests holding secrets redact them in every printed form and JSON, and
// errors never quote them.
func TestAPISecretsRedacted(t *testing.T) {
	const code = "EPP-SECRET-8412"
	reqs := []any{
		&SaveBatchTaskForCreatingOrderTransferRequest{OrderTransferParam: []SaveBatchTaskForCreatingOrderTransferOrderTransferParam{{DomainName: "a.com", AuthorizationCode: code}}},
		&SaveSingleTaskForCreatingOrderTransferRequest{DomainName: "a.com", AuthorizationCode: code},
		&TransferInReenterTransferAuthorizationCodeRequest{DomainName: "a.com", TransferAuthorizationCode: code},
		&VerifyEmailRequest{Token: code},
	}
	for _, r := range reqs {
		for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
			s := fmt.Sprintf(f, r)
			assert.NotContains(t, s, code, "%T %s", r, f)
			assert.Contains(t, s, "REDACTED", "%T %s", r, f)
		}
		b, err := json.Marshal(r)
		require.NoError(t, err)
		assert.NotContains(t, string(b), code)
	}
	c, ts := setup(t)
	ts.reply("TransferInReenterTransferAuthorizationCode", 400, `{"Code":"Invalid.Code","Message":"code `+code+` is wrong","RequestId":"R"}`)
	_, err := c.API.TransferInReenterTransferAuthorizationCode(context.Background(), reqs[2].(*TransferInReenterTransferAuthorizationCodeRequest))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), code)
	ts.reply("SaveBatchTaskForCreatingOrderTransfer", 400, `{"Code":"Invalid.Code","Message":"code `+code+` is wrong","RequestId":"R"}`)
	_, err = c.API.SaveBatchTaskForCreatingOrderTransfer(context.Background(), reqs[0].(*SaveBatchTaskForCreatingOrderTransferRequest))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), code)
}

// Client.Call takes retry safety from the catalog: a known write is sent
// once on a dropped connection even with Idempotent, a known read is
// retried without it; secrets the catalog names are scrubbed.
func TestCallUsesCatalog(t *testing.T) {
	c, ts := setup(t)
	var writes, reads atomic.Int32
	ts.handle("saveSingleTaskForCreatingDnsHost", func(w http.ResponseWriter, r *http.Request) {
		writes.Add(1)
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	})
	ts.handle("QueryDnsHost", func(w http.ResponseWriter, r *http.Request) {
		if reads.Add(1) == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		io.WriteString(w, `{"RequestId":"R"}`)
	})
	_, err := c.Call(context.Background(), &CallRequest{Action: "saveSingleTaskForCreatingDnsHost", Idempotent: true}, nil)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve, "a write cannot be made repeatable")
	assert.Equal(t, int32(0), writes.Load())
	_, err = c.Call(context.Background(), &CallRequest{Action: "saveSingleTaskForCreatingDnsHost"}, nil)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, int32(1), writes.Load())
	_, err = c.Call(context.Background(), &CallRequest{Action: "QueryDnsHost"}, nil)
	require.NoError(t, err)
	assert.Equal(t, int32(2), reads.Load())

	const tok = "MAILTOKEN-77311"
	ts.reply("VerifyEmail", 400, `{"Code":"Bad","Message":"token `+tok+` expired","RequestId":"R"}`)
	_, err = c.Call(context.Background(), &CallRequest{Action: "VerifyEmail", Params: map[string][]string{"Token": {tok}}}, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), tok)

	info, ok := lookupAction("verifyemail")
	require.True(t, ok)
	assert.True(t, knownSecretParam(info, "Token"))
	info, _ = lookupAction("SaveBatchTaskForCreatingOrderTransfer")
	assert.True(t, knownSecretParam(info, "OrderTransferParam.12.AuthorizationCode"))
	assert.False(t, knownSecretParam(info, "OrderTransferParam.12.DomainName"))
}

// On the simulator: the generated list's iterator reads the account, the
// generated paid order's TaskNo is followed by Tasks.Wait, as orders are.
func TestAPIOnSimulator(t *testing.T) {
	c, sim := simClient(t, nil)
	ctx := context.Background()
	sim.AddDomain("renew.com", simExpiry, alidomaintest.NeedsRenewal())
	sim.AddDomain("two.net", simExpiry, alidomaintest.NeedsRenewal())

	var names []string
	for d, err := range c.API.QueryDomainListIter(ctx, &QueryDomainListRequest{PageSize: 1}) {
		require.NoError(t, err)
		names = append(names, d.DomainName)
	}
	assert.ElementsMatch(t, []string{"renew.com", "two.net"}, names)

	res, err := c.API.SaveSingleTaskForCreatingOrderRenew(ctx, &SaveSingleTaskForCreatingOrderRenewRequest{
		DomainName: "renew.com", Years: 2, CurrentExpirationDate: simExpiry,
	})
	require.NoError(t, err)
	require.NotEmpty(t, res.TaskNo)
	assert.Equal(t, 1, res.Attempts)
	details := waitTask(t, c, res.TaskNo)
	assert.Equal(t, TaskSucceeded, details["renew.com"].Status)
	assert.Equal(t, 1, sim.OrdersOf(alidomaintest.KindRenew, "renew.com"))
}

// Client.Call keeps the fixed-price order to the paid-order rule: its
// answer must carry Module.OrderNo (it has no TaskNo), else the outcome is
// unknown.
func TestCallFixedPriceOrder(t *testing.T) {
	c, ts := setup(t)
	ts.reply("CreateIntlFixedPriceDomainOrder", 200, `{"RequestId":"R1","Module":{"OrderNo":"O-1"}}`)
	var out map[string]any
	_, err := c.Call(context.Background(), &CallRequest{Action: "CreateIntlFixedPriceDomainOrder", Params: map[string][]string{"Domain": {"a.com"}}}, &out)
	require.NoError(t, err)
	ts.reply("CreateIntlFixedPriceDomainOrder", 200, `{"RequestId":"R2","TaskNo":"T-1"}`)
	_, err = c.Call(context.Background(), &CallRequest{Action: "CreateIntlFixedPriceDomainOrder", Params: map[string][]string{"Domain": {"a.com"}}}, &out)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Len(t, ts.requests(), 2)
}

// The answers tolerate what the service sends loosely: numbers and booleans
// as text, a number where text is expected, one item without its list, an
// empty object as "".
func TestAPIAnswersLenient(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryChangeLogList", 200, `{"RequestId":"R","CurrentPageNum":"1","TotalPageNum":"1","TotalItemNum":1,"NextPage":"false","PageSize":"20",`+
		`"Data":{"ChangeLog":{"DomainName":"a.com","Time":1700000000000}}}`)
	res, err := c.API.QueryChangeLogList(context.Background(), &QueryChangeLogListRequest{})
	require.NoError(t, err)
	assert.Equal(t, int32(1), res.CurrentPageNum)
	assert.False(t, res.NextPage)
	require.Len(t, res.Data.ChangeLog, 1)
	assert.Equal(t, "a.com", res.Data.ChangeLog[0].DomainName)
	assert.Equal(t, "1700000000000", res.Data.ChangeLog[0].Time)

	ts.reply("QueryChangeLogList", 200, `{"RequestId":"R","CurrentPageNum":"one"}`)
	_, err = c.API.QueryChangeLogList(context.Background(), &QueryChangeLogListRequest{})
	require.Error(t, err, "text that is no number is still an error")
	assert.Contains(t, err.Error(), "CurrentPageNum")
}

// The fixed-price order's Reconcile reads every page of the order list and
// returns the domain's orders, whatever form the name is given in.
func TestReconcileIntlFixedPriceDomainOrder(t *testing.T) {
	c, ts := setup(t)
	var pages []string
	ts.handle("QueryIntlFixedPriceOrderList", func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Query().Get("CurrentPage")
		pages = append(pages, p)
		dom := map[string]string{"1": "other.com", "2": "xn--fsqu00a.xn--fiqs8s"}[p]
		fmt.Fprintf(w, `{"RequestId":"R","Module":{"CurrentPageNum":%s,"TotalPageNum":2,"TotalItemNum":2,"PageSize":1,"Data":[{"Domain":%q,"Status":1}]}}`, p, dom)
	})
	got, err := c.API.ReconcileIntlFixedPriceDomainOrder(context.Background(), "例子.中国")
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "xn--fsqu00a.xn--fiqs8s", got[0].Domain)
	assert.Equal(t, []string{"1", "2"}, pages)

	got, err = c.API.ReconcileIntlFixedPriceDomainOrder(context.Background(), "absent.com")
	require.NoError(t, err)
	assert.Empty(t, got)
}

// On the simulator, which answers every action (from its state or from the
// catalog's shape): a generated task write's TaskNo is followed by
// Tasks.Wait, and every generated method decodes the simulator's answer.
func TestAPITaskWriteOnSimulator(t *testing.T) {
	srv := alidomaintest.NewServer(alidomaintest.WithTaskDuration(50 * time.Millisecond))
	defer srv.Close()
	srv.AddDomain("a.example.com", simExpiry, alidomaintest.Normal())
	srv.AddDomain("b.example.com", simExpiry, alidomaintest.Normal())
	srv.FailTasks("SaveBatchTaskForModifyingDomainDns", "b.example.com", "refused")
	c, err := New(Options{Endpoint: srv.URL, Credentials: StaticCredentials(srv.AccessKeyID, srv.AccessKeySecret)})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := c.API.SaveBatchTaskForModifyingDomainDns(ctx, &SaveBatchTaskForModifyingDomainDnsRequest{
		DomainName: []string{"a.example.com", "b.example.com"}, DomainNameServer: []string{"ns1.example.net"},
	})
	require.NoError(t, err)
	require.NotEmpty(t, res.TaskNo)
	rep, err := c.Tasks.Wait(ctx, res.TaskNo, &WaitOptions{PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	require.Len(t, rep.Details, 2)
	failed := rep.Failed()
	require.Len(t, failed, 1)
	assert.Equal(t, "b.example.com", failed[0].DomainName)

	ok := 0
	for _, a := range testCatalog.Actions {
		_, err := apiMethod(t, c, a.Name, newRequest(t, a))
		var ae *APIError
		if errors.As(err, &ae) {
			continue // refused by the simulator's rules (an unknown domain, say): the answer decoded
		}
		if assert.NoError(t, err, a.Name) {
			ok++
		}
	}
	assert.Greater(t, ok, 60, "actions answered with a result (the others refused by the simulator's state)")
}

// The friendly services' declarations that send generated requests keep the
// generated declarations' facts (action, retry rule, Lang), which they
// state as literals so that they stay static data.
func TestFriendlyDeclarationsMatchGenerated(t *testing.T) {
	type facts struct {
		action             string
		idempotent, noLang bool
	}
	pairs := []struct{ friendly, generated facts }{
		{facts{opSetupDomainAutoRenew.action, opSetupDomainAutoRenew.idempotent, opSetupDomainAutoRenew.noLang},
			facts{apiSetupDomainAutoRenew.action, apiSetupDomainAutoRenew.idempotent, apiSetupDomainAutoRenew.noLang}},
		{facts{opQueryTaskList.action, opQueryTaskList.idempotent, opQueryTaskList.noLang},
			facts{apiQueryTaskList.action, apiQueryTaskList.idempotent, apiQueryTaskList.noLang}},
		{facts{opQueryTaskDetailList.action, opQueryTaskDetailList.idempotent, opQueryTaskDetailList.noLang},
			facts{apiQueryTaskDetailList.action, apiQueryTaskDetailList.idempotent, apiQueryTaskDetailList.noLang}},
		{facts{opQueryDomainList.action, opQueryDomainList.idempotent, opQueryDomainList.noLang},
			facts{apiQueryDomainList.action, apiQueryDomainList.idempotent, apiQueryDomainList.noLang}},
		{facts{opQueryDomainByDomainName.action, opQueryDomainByDomainName.idempotent, opQueryDomainByDomainName.noLang},
			facts{apiQueryDomainByDomainName.action, apiQueryDomainByDomainName.idempotent, apiQueryDomainByDomainName.noLang}},
	}
	for _, p := range pairs {
		assert.Equal(t, p.generated, p.friendly)
	}
}

// Answer objects of one shape share one generated type: a cursor of the
// task history decodes into the type of the list's items.
func TestAPISameShapeOneType(t *testing.T) {
	rt := reflect.TypeOf(QueryTaskDetailHistoryResponse{})
	items, _ := rt.FieldByName("Objects")
	for _, name := range []string{"CurrentPageCursor", "NextPageCursor", "PrePageCursor"} {
		f, _ := rt.FieldByName(name)
		assert.Equal(t, items.Type.Elem(), f.Type, name)
	}
}
