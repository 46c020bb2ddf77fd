package alidomaintest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alidomain/alidomain/internal/catalog"
)

// sampleValue is a value of the parameter's type that the Server accepts.
func sampleValue(p *catalog.Param) string {
	if len(p.Enum) > 0 {
		return p.Enum[0]
	}
	switch p.Type {
	case "integer", "int32", "int64", "long":
		n := 1
		if p.Min != nil && float64(n) < *p.Min {
			n = int(*p.Min)
		}
		return strconv.Itoa(n)
	case "float", "double":
		return "1.5"
	case "boolean":
		return "true"
	}
	switch {
	case strings.Contains(p.Wire, "DomainName") || p.Wire == "Domain":
		return "example.com"
	case strings.Contains(p.Wire, "Email"):
		return "admin@example.com"
	}
	return "x"
}

// validRequest fills every required parameter of a with a value of its
// type, as the catalog describes it (lists with one item).
func validRequest(a *catalog.Action) map[string]string {
	out := map[string]string{}
	for _, p := range a.Params {
		if !p.Required {
			continue
		}
		switch p.List {
		case catalog.Repeated:
			out[p.Wire+".1"] = sampleValue(p)
		case catalog.RepeatedStruct:
			for _, f := range p.Fields {
				if f.Required || f.Wire == "DomainName" {
					out[p.Wire+".1."+f.Wire] = sampleValue(f)
				}
			}
		case catalog.JSONList:
			item := map[string]any{}
			for _, f := range p.Fields {
				if f.Required {
					item[f.Wire] = jsonSample(f)
				}
			}
			b, _ := json.Marshal([]any{item})
			out[p.Wire] = string(b)
		default:
			out[p.Wire] = sampleValue(p)
		}
	}
	return out
}

func jsonSample(p *catalog.Param) any {
	v := sampleValue(p)
	switch p.Type {
	case "integer", "int32", "int64", "long":
		n, _ := strconv.Atoi(v)
		return n
	case "boolean":
		return true
	}
	return v
}

// firstMissing is the parameter a request without parameters is refused
// for: the first required one, in the catalog's order.
func firstMissing(a *catalog.Action) string {
	for _, p := range a.Params {
		if !p.Required {
			continue
		}
		if p.List == catalog.Repeated {
			return p.Wire + ".1"
		}
		return p.Wire
	}
	return ""
}

// Called with each action of the catalog and no parameters, the Server
// knows every one, and refuses each that has required parameters with
// MissingParameter naming the first; the others are answered.
func TestAllActionsWithoutParameters(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	refused := 0
	for _, a := range apiCatalog.Actions {
		want := firstMissing(a)
		resp, body := c.do(a.Name, call{pre: func(v url.Values) {
			if a.Paging != nil { // the caller adds them like the SDKs
				v.Del(a.Paging.PageNum)
				v.Del(a.Paging.PageSize)
			}
		}})
		if want == "" {
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: no required parameter, yet %d %s", a.Name, resp.StatusCode, body)
			}
			continue
		}
		refused++
		m := checkErr(t, resp, body, http.StatusBadRequest, "MissingParameter")
		if msg, _ := m["Message"].(string); !strings.Contains(msg, `"`+want+`"`) {
			t.Errorf("%s: %s, want it to name %s", a.Name, msg, want)
		}
	}
	if refused < 100 {
		t.Errorf("only %d actions have required parameters", refused)
	}
}

// Every action answers a valid request (its required parameters, from the
// catalog) with 200 and a body that parses in JSON and in XML and holds
// every top-level field of the catalog's answer.
func TestAllActionsAnswerValidRequest(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	exp := time.Now().Add(-40 * 24 * time.Hour)
	srv.AddDomain("example.com", exp, NeedsRedemption(), InstanceID("S1"))
	srv.AddDomain("renew.com", exp, NeedsRenewal())
	srv.AddAvailable("new.com")
	srv.AddTransferable("in.com", "code", exp)
	srv.AddRegistrantProfile(1)
	// The families of family_state.go need groups and a task that exist.
	srv.AddDomainGroup(1, "deleted")
	srv.AddDomainGroup(2, "kept")
	taskNo := c.ok("SaveSingleTaskForUpdateProhibitionLock", map[string]string{"DomainName": "renew.com", "Status": "true"})["TaskNo"].(string)
	// What the actions modelled with state need beyond the catalog's
	// required parameters: the account's facts.
	expMS := strconv.FormatInt(exp.UnixMilli(), 10)
	state := map[string]map[string]string{
		ActionSaveBatchTaskForCreatingOrderActivate:  {"OrderActivateParam.1.DomainName": "new.com", "OrderActivateParam.1.RegistrantProfileId": "1", "OrderActivateParam.1.SubscriptionDuration": "1"},
		ActionSaveSingleTaskForCreatingOrderActivate: {"DomainName": "new.com", "RegistrantProfileId": "1"},
		ActionSaveBatchTaskForCreatingOrderRedeem:    {"OrderRedeemParam.1.CurrentExpirationDate": expMS},
		ActionSaveSingleTaskForCreatingOrderRedeem:   {"CurrentExpirationDate": expMS},
		ActionSaveBatchTaskForCreatingOrderRenew:     {"OrderRenewParam.1.DomainName": "renew.com", "OrderRenewParam.1.CurrentExpirationDate": expMS, "OrderRenewParam.1.SubscriptionDuration": "1"},
		ActionSaveSingleTaskForCreatingOrderRenew:    {"DomainName": "renew.com", "CurrentExpirationDate": expMS},
		ActionSaveBatchTaskForCreatingOrderTransfer:  {"OrderTransferParam.1.DomainName": "in.com", "OrderTransferParam.1.AuthorizationCode": "code", "OrderTransferParam.1.RegistrantProfileId": "1"},
		ActionSaveSingleTaskForCreatingOrderTransfer: {"DomainName": "in.com", "AuthorizationCode": "code"},
		ActionSetupDomainAutoRenew:                   {"InstanceId": "S1", "Operation": "SET"},
		ActionQueryDomainRealTimePrice:               {"DomainItem": `[{"Action":"renew","DomainName":"example.com"}]`},
		"CancelTask":                                 {"TaskNo": taskNo},
		"ChangeResourceGroup":                        {"ResourceId": "S1"},
		"SaveBatchDomainRemark":                      {"InstanceIds": "S1"},
		"UpdateDomainToDomainGroup":                  {"DomainGroupId": "2", "DomainName.1": "example.com"},
	}
	for k, v := range familyRequests(srv) { // family_*_test.go
		state[k] = v
	}
	for _, a := range apiCatalog.Actions {
		p := validRequest(a)
		for k, v := range state[a.Name] {
			p[k] = v
		}
		familyBefore(srv, a.Name)
		resp, body := c.do(a.Name, call{params: p})
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s %v: %d %s", a.Name, p, resp.StatusCode, body)
			continue
		}
		m := decodeJSON(t, body)
		checkRequestID(t, resp, m["RequestId"])
		for _, f := range a.Answer {
			if _, ok := m[f.Wire]; !ok && !cursorEnded(a, f.Wire) && !omitted(a, f.Wire) {
				t.Errorf("%s: JSON answer lacks %s: %s", a.Name, f.Wire, body)
			}
		}
		if a.Kind == catalog.TaskWrite {
			if no, _ := m["TaskNo"].(string); no == "" {
				t.Errorf("%s: no TaskNo: %s", a.Name, body)
			}
		}

		familyBefore(srv, a.Name)
		resp, xbody := c.do(a.Name, call{params: p, pre: func(v url.Values) { v.Set("Format", "XML") }})
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
			t.Errorf("%s XML: %d %s %s", a.Name, resp.StatusCode, resp.Header.Get("Content-Type"), xbody)
			continue
		}
		root, top := xmlTop(t, xbody)
		if root != a.Name+"Response" {
			t.Errorf("%s: XML root %s", a.Name, root)
		}
		for _, f := range a.Answer {
			if list, isList := m[f.Wire].([]any); isList && len(list) == 0 {
				continue // an empty list has no element in XML
			}
			if !top[f.Wire] && !cursorEnded(a, f.Wire) && !omitted(a, f.Wire) {
				t.Errorf("%s: XML answer lacks %s: %s", a.Name, f.Wire, xbody)
			}
		}
	}
}

// omitted: an answer from state leaves out the error fields on success, as
// the service does (QueryDomainRealTimePrice).
func omitted(a *catalog.Action, field string) bool {
	_, stateful := actions[a.Name]
	return stateful && silent[field]
}

// cursorEnded: a cursor object is absent once the list has ended.
func cursorEnded(a *catalog.Action, field string) bool {
	if a.Cursor == nil {
		return false
	}
	for _, path := range a.Cursor.Params {
		if strings.HasPrefix(path, field+".") {
			return true
		}
	}
	return false
}

// xmlTop parses an XML answer and returns its root's name and the names of
// the root's children.
func xmlTop(t *testing.T, b []byte) (string, map[string]bool) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	depth, root, top := 0, "", map[string]bool{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("XML: %v: %s", err, b)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				root = el.Name.Local
			case 2:
				top[el.Name.Local] = true
			}
		case xml.EndElement:
			depth--
		}
	}
	return root, top
}

// A task write the Server answers from data creates a task with one detail
// per domain named in the request; the details succeed unless FailTasks
// says otherwise, and QueryTaskDetailList and QueryTaskList show them.
func TestGenericTaskWriteDetails(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now))
	c := newCaller(t, srv)
	const action = "SaveBatchTaskForUpdateProhibitionLock"
	srv.AddDomain("a.example.com", clock.Now().AddDate(1, 0, 0))
	srv.AddDomain("b.example.net", clock.Now().AddDate(1, 0, 0))
	srv.FailTasks(action, "B.example.net", "registry refused the lock")
	m := c.ok(action, map[string]string{"DomainName.1": "a.example.com", "DomainName.2": "b.example.net", "Status": "true"})
	taskNo := m["TaskNo"].(string)
	clock.Advance(time.Hour)
	got := detailsOf(t, c, taskNo)
	if len(got) != 2 {
		t.Fatalf("details %v", got)
	}
	a, b := got["a.example.com"], got["b.example.net"]
	if len(a) != 1 || num(t, a[0]["TaskStatusCode"]) != 2 || a[0]["TaskType"] != "SET_UPDATE_PROHIBITED" {
		t.Errorf("a.example.com: %v", a)
	}
	if len(b) != 1 || num(t, b[0]["TaskStatusCode"]) != 3 || b[0]["FailReason"] != "registry refused the lock" {
		t.Errorf("b.example.net: %v", b)
	}
	tl := items(t, c.ok(ActionQueryTaskList, nil), "TaskInfo")
	if len(tl) != 1 || tl[0]["TaskNo"] != taskNo || num(t, tl[0]["TaskNum"]) != 2 || tl[0]["TaskStatus"] != "COMPLETE" {
		t.Errorf("task list %v", tl)
	}
	// A struct list's DomainName fields name the details too.
	m = c.ok("SaveBatchTaskForUpdatingContactInfoByNewContact", map[string]string{
		"ContactType": "admin", "RegistrantType": "1", "DomainName.1": "c.example.com", "DomainName.2": "d.example.com",
		"Email": "a@example.com", "Country": "CN", "Province": "Zhejiang", "City": "Hangzhou",
		"Address": "1 Road", "PostalCode": "310000", "TelArea": "86", "Telephone": "12345678",
		"RegistrantOrganization": "Org", "RegistrantName": "Name", "TransferOutProhibited": "false",
	})
	if got := detailsOf(t, c, m["TaskNo"].(string)); len(got["c.example.com"]) != 1 || len(got["d.example.com"]) != 1 {
		t.Errorf("contact task details %v", got)
	}
}

// Values not of their parameter's type are refused, InvalidParameter naming
// the parameter: a boolean other than true/false, an integer with letters,
// a JSON list that is not an array, an enum's stranger, a list longer than
// its limit.
func TestTypeErrorsRefused(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	many := map[string]string{"AliyunDns": "true"}
	for i := 1; i <= 1001; i++ {
		many["DomainName."+strconv.Itoa(i)] = "d" + strconv.Itoa(i) + ".com"
	}
	for _, tc := range []struct {
		action string
		params map[string]string
		name   string
	}{
		{"SaveBatchTaskForModifyingDomainDns", map[string]string{"AliyunDns": "T", "DomainName.1": "a.com"}, "AliyunDns"},
		{"SaveBatchTaskForModifyingDomainDns", map[string]string{"AliyunDns": "1", "DomainName.1": "a.com"}, "AliyunDns"},
		{"SaveBatchTaskForModifyingDomainDns", many, "DomainName"},
		{"QueryAdvancedDomainList", map[string]string{"DomainStatus": "x"}, "DomainStatus"},
		{"QueryAdvancedDomainList", map[string]string{"PageSize": "201"}, "PageSize"},
		{"QueryAdvancedDomainList", map[string]string{"StartExpirationDate": "1.5"}, "StartExpirationDate"},
		{"QueryContactInfo", map[string]string{"DomainName": "a.com", "ContactType": "owner"}, "ContactType"},
		{"QueryDomainRealTimePrice", map[string]string{"Currency": "USD", "DomainItem": "x"}, ""}, // a business error in HTTP 200, see TestPrices
		{"QueryDomainList", map[string]string{"PageSize": "ten"}, "PageSize"},
		{"SaveBatchTaskForTransferOutByAuthorizationCode", map[string]string{"TransferOutParamList.1.DomainName": "a.com", "TransferOutParamList.1.AuthorizationCode": "c", "TransferOutParamList.1.Foo": "1", "TransferOutParamList.x.DomainName": "b.com"}, "TransferOutParamList.x.DomainName"},
	} {
		if tc.name == "" {
			if m := c.ok(tc.action, tc.params); m["Success"] != false {
				t.Errorf("%s %v: %v", tc.action, tc.params, m)
			}
			continue
		}
		m := c.apiErr(tc.action, call{params: tc.params, form: true}, 400, "InvalidParameter")
		if msg, _ := m["Message"].(string); !strings.Contains(msg, `"`+tc.name+`"`) {
			t.Errorf("%s: %s, want it to name %s", tc.action, msg, tc.name)
		}
	}
	// A struct list's item without its required field.
	a := catalogAction("QueryDomainRealTimePrice")
	if err := checkParams(a, params{"Currency": "USD", "DomainItem": `[{"Action":"renew"}]`}, nil); err == nil || !strings.Contains(err.message, `"DomainItem.1.DomainName"`) {
		t.Errorf("JSON list item without DomainName: %v", err)
	}
	if err := checkParams(a, params{"Currency": "USD", "DomainItem": `{"Action":"renew"}`}, nil); err == nil || err.code != "InvalidParameter" {
		t.Errorf("JSON object instead of a list: %v", err)
	}
	if srv.Requests("SaveBatchTaskForModifyingDomainDns") != 3 || srv.taskCount() != 0 {
		t.Errorf("refused requests created tasks: %d", srv.taskCount())
	}
}

// SetAnswer's values are merged over the generated answer; a page list's
// list is paged consistently with the request; a cursor list's cursor ends.
func TestSetAnswerAndLists(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	srv.SetAnswer("QueryLocalEnsAssociation", map[string]any{"Address": "0xabc"})
	if m := c.ok("QueryLocalEnsAssociation", map[string]string{"DomainName": "a.eth"}); m["Address"] != "0xabc" {
		t.Errorf("SetAnswer: %v", m)
	}
	var doms []any
	for i := 0; i < 5; i++ {
		doms = append(doms, map[string]any{"DomainName": "d" + strconv.Itoa(i) + ".com"})
	}
	srv.SetAnswer("QueryOperationAuditInfoList", map[string]any{"Data": doms})
	m := c.ok("QueryOperationAuditInfoList", map[string]string{"PageNum": "2", "PageSize": "2"})
	var list []map[string]any
	for _, x := range m["Data"].([]any) {
		list = append(list, x.(map[string]any))
	}
	if len(list) != 2 || list[0]["DomainName"] != "d2.com" || list[0]["AuditStatus"] == nil ||
		num(t, m["TotalItemNum"]) != 5 || num(t, m["TotalPageNum"]) != 3 || num(t, m["CurrentPageNum"]) != 2 ||
		m["NextPage"] != true || m["PrePage"] != true {
		t.Errorf("page 2 of 5: %v", m)
	}
	// Every cursor list of the API is modelled with state (family_lists.go,
	// family_history.go); TestFamilySearches and TestFamilyTaskHistory
	// follow their cursors to the end.
	srv.SetAnswer("QueryLocalEnsAssociation", nil)
	if m := c.ok("QueryLocalEnsAssociation", map[string]string{"DomainName": "a.eth"}); m["Address"] == "0xabc" {
		t.Errorf("SetAnswer(nil) kept the answer: %v", m)
	}
	for _, bad := range []string{"NoSuchAction", ActionQueryDomainList} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SetAnswer(%s) did not panic", bad)
				}
			}()
			srv.SetAnswer(bad, map[string]any{})
		}()
	}
}

// An envelope answer reports success in band; a partial-success answer
// lists every subject of the request as a success.
func TestEnvelopeAndPartial(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	m := c.ok("QueryDomainSpecialBizDetail", map[string]string{"BizId": "1"})
	if m["Success"] != true || num(t, m["HttpStatusCode"]) != 200 || m["Module"] == nil {
		t.Errorf("envelope: %v", m)
	}
	srv.RequireTransferInMailCheck("a.com", "x@example.com", "t")
	srv.RequireTransferInMailCheck("b.com", "x@example.com", "t")
	m = c.ok("ConfirmTransferInEmail", map[string]string{"DomainName.1": "a.com", "DomainName.2": "b.com", "Email": "x@example.com"})
	succ := m["SuccessList"].(map[string]any)["SuccessDomain"].([]any)
	if len(succ) != 2 || succ[0] != "a.com" || succ[1] != "b.com" || len(m["FailList"].(map[string]any)["FailDomain"].([]any)) != 0 {
		t.Errorf("partial: %v", m)
	}
}

// Faults apply to an action answered from data as to any other.
func TestGenericFaults(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	const action = "SaveSingleTaskForAssociatingEns"
	p := validRequest(catalogAction(action))
	srv.Inject(action, ServerErrorAfterCommit(), MalformedBody())
	c.apiErr(action, call{params: p}, 500, "InternalError")
	if srv.taskCount() != 1 {
		t.Errorf("after ServerErrorAfterCommit: %d tasks, want 1 (committed)", srv.taskCount())
	}
	resp, body := c.do(action, call{params: p})
	if resp.StatusCode != 200 || json.Valid(body) {
		t.Errorf("MalformedBody: %d %s", resp.StatusCode, body)
	}
	c.ok(action, p)
	if srv.taskCount() != 3 {
		t.Errorf("%d tasks, want 3", srv.taskCount())
	}
}

func (s *Server) taskCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tasks)
}

// Actions answered from data are safe for concurrent use: task writes,
// their details and SetAnswer at once (run with -race).
func TestGenericConcurrent(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	const write, read = "SaveSingleTaskForTransferProhibitionLock", "QueryOperationAuditInfoList"
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := "d" + strconv.Itoa(i) + ".com"
			resp, body, err := c.send(call{}, c.build(write, call{params: map[string]string{"DomainName": name, "Status": "true"}}))
			if err != nil || resp.StatusCode != 200 {
				errs <- fmt.Sprintf("%s: %v %s", name, err, body)
				return
			}
			srv.SetAnswer(read, map[string]any{"Data": []any{map[string]any{"DomainName": name}}})
			resp, body, err = c.send(call{}, c.build(read, call{}))
			if err != nil || resp.StatusCode != 200 {
				errs <- fmt.Sprintf("%s: %v %s", read, err, body)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if n := srv.taskCount(); n != 16 {
		t.Errorf("%d tasks, want 16", n)
	}
}
