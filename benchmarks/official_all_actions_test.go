package benchmarks_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/domain"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// simCatalog is what this test reads of catalog.json (internal/catalog is
// not importable from this module): each action's parameters, to build a
// valid request.
type simCatalog struct {
	Actions []struct {
		Name   string     `json:"name"`
		V1     string     `json:"v1"`
		Params []simParam `json:"params"`
		Answer []struct {
			Wire string `json:"wire"`
		} `json:"answer"`
	} `json:"actions"`
}

type simParam struct {
	Wire     string     `json:"wire"`
	Type     string     `json:"type"`
	Required bool       `json:"required"`
	List     string     `json:"list"`
	Fields   []simParam `json:"fields"`
	Enum     []string   `json:"enum"`
	Min      *float64   `json:"min"`
}

func loadSimCatalog(t *testing.T) *simCatalog {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "internal", "catalog", "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c simCatalog
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

// simValue is a value of the parameter's type the simulator accepts;
// state gives the values the account's facts require, by wire name.
func simValue(p simParam, state map[string]string) string {
	if v, ok := state[p.Wire]; ok {
		return v
	}
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

// v1Field returns the field of a v1 request struct whose name tag is wire.
func v1Field(v reflect.Value, wire string) (reflect.Value, bool) {
	rt := v.Type()
	for i := 0; i < rt.NumField(); i++ {
		if name, ok := rt.Field(i).Tag.Lookup("name"); ok && name == wire {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// fillV1 sets every required parameter of a v1 request (a pointer to its
// struct) from the catalog, by reflection: scalars (string,
// requests.Integer, requests.Boolean, requests.Float are all strings),
// repeated lists (*[]string), struct lists (*[]Item) with their required
// fields and DomainName, JSON lists.
func fillV1(t *testing.T, req reflect.Value, params []simParam, state map[string]string) {
	t.Helper()
	v := req.Elem()
	for _, p := range params {
		if !p.Required && !stateNames(state, p.Wire) {
			continue
		}
		f, ok := v1Field(v, p.Wire)
		if !ok {
			t.Errorf("%s: v1 has no field %s", v.Type(), p.Wire)
			continue
		}
		switch {
		case f.Kind() == reflect.String:
			f.SetString(simValue(p, state))
		case f.Kind() == reflect.Ptr && f.Type().Elem().Kind() == reflect.Slice:
			st := f.Type().Elem()
			list := reflect.MakeSlice(st, 1, 1)
			el := list.Index(0)
			switch el.Kind() {
			case reflect.String:
				el.SetString(simValue(p, state))
			case reflect.Struct:
				for _, sf := range p.Fields {
					if !sf.Required && sf.Wire != "DomainName" {
						if _, ok := state[p.Wire+"."+sf.Wire]; !ok {
							continue
						}
					}
					ff, ok := v1Field(el, sf.Wire)
					if !ok || ff.Kind() != reflect.String {
						t.Errorf("%s: v1 has no string field %s.%s", v.Type(), p.Wire, sf.Wire)
						continue
					}
					val := simValue(sf, state)
					if sv, ok := state[p.Wire+"."+sf.Wire]; ok {
						val = sv
					}
					ff.SetString(val)
				}
			}
			p := reflect.New(st)
			p.Elem().Set(list)
			f.Set(p)
		default:
			t.Errorf("%s: field %s of kind %s", v.Type(), p.Wire, f.Type())
		}
	}
}

// stateNames reports whether state sets the parameter wire or a field of
// its items.
func stateNames(state map[string]string, wire string) bool {
	for k := range state {
		if k == wire || strings.HasPrefix(k, wire+".") {
			return true
		}
	}
	return false
}

// newV1RequestOf builds an empty v1 request of type rt for action, as the
// SDK's CreateXxxRequest does, aimed at host.
func newV1RequestOf(rt reflect.Type, action, host string) reflect.Value {
	req := reflect.New(rt)
	rpc := &requests.RpcRequest{}
	rpc.InitWithApiInfo("Domain", "2018-01-29", action, "", "")
	rpc.Method = requests.POST
	v1Rpc(rpc, host)
	req.Elem().FieldByName("RpcRequest").Set(reflect.ValueOf(rpc))
	return req
}

// The account the all-actions tests run against, and the values its facts
// require of the actions modelled with state (by wire name, or
// List.Field for a struct list's item).
func simAccount(t *testing.T, srv *alidomaintest.Server) map[string]map[string]string {
	exp := time.Now().Add(-40 * 24 * time.Hour)
	srv.AddDomain("example.com", exp, alidomaintest.NeedsRedemption(), alidomaintest.InstanceID("S1"))
	srv.AddDomain("renew.com", exp, alidomaintest.NeedsRenewal())
	srv.AddAvailable("new.com")
	srv.AddTransferable("in.com", "code", exp)
	srv.AddRegistrantProfile(1)
	srv.AddDomainGroup(1, "deleted")
	srv.AddDomainGroup(2, "kept")
	ms := strconv.FormatInt(exp.UnixMilli(), 10)
	state := map[string]map[string]string{
		"CancelTask":                                {"TaskNo": simTask(t, srv)},
		"ChangeResourceGroup":                       {"ResourceId": "S1"},
		"SaveBatchDomainRemark":                     {"InstanceIds": "S1"},
		"UpdateDomainToDomainGroup":                 {"DomainGroupId": "2", "DomainName": "example.com"},
		"SaveBatchTaskForCreatingOrderActivate":     {"OrderActivateParam.DomainName": "new.com", "OrderActivateParam.RegistrantProfileId": "1", "OrderActivateParam.SubscriptionDuration": "1"},
		"SaveSingleTaskForCreatingOrderActivate":    {"DomainName": "new.com", "RegistrantProfileId": "1"},
		"SaveBatchTaskForCreatingOrderRedeem":       {"OrderRedeemParam.CurrentExpirationDate": ms},
		"SaveSingleTaskForCreatingOrderRedeem":      {"CurrentExpirationDate": ms},
		"SaveBatchTaskForCreatingOrderRenew":        {"OrderRenewParam.DomainName": "renew.com", "OrderRenewParam.CurrentExpirationDate": ms, "OrderRenewParam.SubscriptionDuration": "1"},
		"SaveSingleTaskForCreatingOrderRenew":       {"DomainName": "renew.com", "CurrentExpirationDate": ms},
		"SaveBatchTaskForCreatingOrderTransfer":     {"OrderTransferParam.DomainName": "in.com", "OrderTransferParam.AuthorizationCode": "code", "OrderTransferParam.RegistrantProfileId": "1"},
		"SaveSingleTaskForCreatingOrderTransfer":    {"DomainName": "in.com", "AuthorizationCode": "code"},
		"SetupDomainAutoRenew":                      {"InstanceId": "S1", "Operation": "SET"},
		"SaveBatchTaskForGenerateDomainCertificate": {"DomainNames": `["example.com"]`},
	}
	for k, v := range simFamilies(srv) {
		state[k] = v
	}
	return state
}

// simFamilies sets up what the registrant profile, contact, host, transfer
// and email actions act on, and returns their values: profiles the calls
// change other than profile 1 (which the orders name), transfers in placed
// with the v1 SDK (one done, two waiting for a code, one of them with a
// mail check), a mailbox waiting for its token.
func simFamilies(srv *alidomaintest.Server) map[string]map[string]string {
	exp := time.Now().Add(200 * 24 * time.Hour)
	srv.AddRegistrantProfile(97) // put in audit again
	srv.AddRegistrantProfile(99) // deleted
	srv.AddTransferable("t1.com", "code", exp, alidomaintest.InstanceID("S-T1"))
	srv.AddTransferable("re.com", "code", exp)
	srv.AddTransferable("mail.com", "code", exp)
	srv.RequireTransferInMailCheck("mail.com", "owner@example.com", "mail-token")
	srv.RequireTransferInMailCheck("tok.com", "owner@example.com", "tok-token") // passed
	u, err := url.Parse(srv.URL)
	if err != nil {
		panic(err)
	}
	client, err := domain.NewClientWithAccessKey("cn-hangzhou", srv.AccessKeyID, srv.AccessKeySecret)
	if err != nil {
		panic(err)
	}
	for name, code := range map[string]string{"t1.com": "code", "re.com": "wrong", "mail.com": "wrong"} {
		req := domain.CreateSaveSingleTaskForCreatingOrderTransferRequest()
		v1Rpc(req.RpcRequest, u.Host)
		req.DomainName, req.AuthorizationCode, req.RegistrantProfileId = name, code, "1"
		if _, err := client.SaveSingleTaskForCreatingOrderTransfer(req); err != nil {
			panic(err)
		}
	}
	srv.AddEmailVerification("v@example.com", false)
	token, _ := srv.EmailVerificationToken("v@example.com")
	return map[string]map[string]string{
		"DeleteRegistrantProfile":                    {"RegistrantProfileId": "99"},
		"RegistrantProfileRealNameVerification":      {"RegistrantProfileID": "97"},
		"QueryDnsHost":                               {"InstanceId": "S1"},
		"SaveSingleTaskForCreatingDnsHost":           {"InstanceId": "S1", "DnsName": "ns1", "Ip": "192.0.2.1"},
		"SaveSingleTaskForModifyingDnsHost":          {"InstanceId": "S1", "DnsName": "ns1", "Ip": "192.0.2.2"},
		"SaveSingleTaskForDeletingDnsHost":           {"InstanceId": "S1", "DnsName": "ns1"},
		"SaveSingleTaskForSynchronizingDnsHost":      {"InstanceId": "S1"},
		"SaveSingleTaskForAddingDSRecord":            {"Digest": "ABCD"},
		"SaveSingleTaskForModifyingDSRecord":         {"Digest": "ABCD"},
		"SaveSingleTaskForUpdatingContactInfo":       {"ContactType": "registrant"},
		"QueryTransferInByInstanceId":                {"InstanceId": "S-T1"},
		"TransferInReenterTransferAuthorizationCode": {"DomainName": "re.com", "TransferAuthorizationCode": "code"},
		"TransferInResendMailToken":                  {"DomainName": "mail.com"},
		"TransferInRefetchWhoisEmail":                {"DomainName": "mail.com"},
		"TransferInCheckMailToken":                   {"Token": "tok-token"},
		"VerifyEmail":                                {"Token": token},
	}
}

// simTask creates a task in the simulator, for the actions that name one.
func simTask(t *testing.T, srv *alidomaintest.Server) string {
	c, err := alidomain.New(alidomain.Options{Endpoint: srv.URL, Credentials: alidomain.StaticCredentials(srv.AccessKeyID, srv.AccessKeySecret)})
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ TaskNo string }
	if _, err := c.Call(context.Background(), &alidomain.CallRequest{Action: "SaveSingleTaskForUpdateProhibitionLock",
		Params: url.Values{"DomainName": {"renew.com"}, "Status": {"true"}}}, &out); err != nil {
		t.Fatal(err)
	}
	return out.TaskNo
}

// The official v1 SDK calls each of its 131 actions against the simulator
// with a valid request (required parameters from the catalog, set by
// reflection) and decodes every answer into its own response type; the
// same request signed with a wrong secret gets SignatureDoesNotMatch.
func TestOfficialV1AllActions(t *testing.T) {
	c := loadSimCatalog(t)
	v1 := v1Actions()
	if len(v1) != 131 {
		t.Fatalf("v1 SDK has %d actions, want 131", len(v1))
	}
	srv := alidomaintest.NewServer()
	defer srv.Close()
	state := simAccount(t, srv)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	good, err := domain.NewClientWithAccessKey("cn-hangzhou", srv.AccessKeyID, srv.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := domain.NewClientWithAccessKey("cn-hangzhou", srv.AccessKeyID, "wrong-secret")
	if err != nil {
		t.Fatal(err)
	}
	called := 0
	for _, a := range c.Actions {
		types, ok := v1[a.Name]
		if !ok {
			if a.V1 != "absent" {
				t.Errorf("%s: not in v1", a.Name)
			}
			continue
		}
		call := func(client *domain.Client) (reflect.Value, error) {
			req := newV1RequestOf(types[0], a.Name, u.Host)
			fillV1(t, req, a.Params, state[a.Name])
			out := reflect.ValueOf(client).MethodByName(a.Name).Call([]reflect.Value{req})
			err, _ := out[1].Interface().(error)
			return out[0], err
		}
		resp, err := call(good)
		if err != nil {
			t.Errorf("%s: %v", a.Name, err)
			continue
		}
		called++
		base := resp.Elem().FieldByName("BaseResponse").Interface().(interface {
			GetHttpStatus() int
			GetHttpContentString() string
		})
		for _, name := range []string{"RequestId", "TaskNo"} {
			if f := resp.Elem().FieldByName(name); f.IsValid() && f.String() == "" {
				t.Errorf("%s: no %s decoded", a.Name, name)
			}
		}
		if base.GetHttpStatus() != 200 || !strings.Contains(base.GetHttpContentString(), `"RequestId":`) {
			t.Errorf("%s: %d %s", a.Name, base.GetHttpStatus(), base.GetHttpContentString())
		}
		if _, err := call(bad); !isServerError(err, "SignatureDoesNotMatch") {
			t.Errorf("%s with a wrong secret: %v", a.Name, err)
		}
	}
	if called != 131 {
		t.Errorf("%d of 131 v1 actions answered", called)
	}
}

func isServerError(err error, code string) bool {
	var se *sdkerrors.ServerError
	return errors.As(err, &se) && se.ErrorCode() == code
}

// v2Query is a valid request of an action as the v2 runtime's query: the
// required parameters from the catalog, lists with one item.
func v2Query(params []simParam, state map[string]string) map[string]*string {
	q := map[string]*string{}
	set := func(k, v string) { q[k] = &v }
	for _, p := range params {
		if !p.Required && !stateNames(state, p.Wire) {
			continue
		}
		switch p.List {
		case "repeated":
			set(p.Wire+".1", simValue(p, state))
		case "repeated_struct":
			for _, f := range p.Fields {
				v, ok := state[p.Wire+"."+f.Wire]
				if !ok && !f.Required && f.Wire != "DomainName" {
					continue
				}
				if !ok {
					v = simValue(f, nil)
				}
				set(p.Wire+".1."+f.Wire, v)
			}
		case "json":
			if v, ok := state[p.Wire]; ok {
				set(p.Wire, v)
				continue
			}
			item := map[string]any{}
			for _, f := range p.Fields {
				if f.Required {
					item[f.Wire] = simValue(f, nil)
				}
			}
			b, _ := json.Marshal([]any{item})
			set(p.Wire, string(b))
		default:
			set(p.Wire, simValue(p, state))
		}
	}
	return q
}

// The official v2 runtime (its default V3 signing and HMAC-SHA1) calls
// every action of the catalog through CallApi with a valid request and
// gets a JSON answer with its RequestId and every top-level field of the
// catalog's answer; a wrong secret gets SignatureDoesNotMatch.
func TestOfficialV2AllActions(t *testing.T) {
	c := loadSimCatalog(t)
	for _, algo := range []string{"", "v2"} {
		t.Run("algorithm="+algo, func(t *testing.T) {
			srv := alidomaintest.NewServer()
			defer srv.Close()
			state := simAccount(t, srv)
			state["QueryDomainRealTimePrice"] = map[string]string{"DomainItem": `[{"Action":"renew","DomainName":"example.com"}]`}
			good := newV2Ops(t, srv, srv.AccessKeySecret, algo).(v2Ops)
			bad := newV2Ops(t, srv, "wrong-secret", algo).(v2Ops)
			for _, a := range c.Actions {
				body, err := good.call(a.Name, v2Query(a.Params, state[a.Name]))
				if err != nil {
					t.Errorf("%s: %v", a.Name, err)
					continue
				}
				for _, f := range a.Answer {
					if _, ok := body[f.Wire]; !ok && !strings.HasPrefix(f.Wire, "Error") && !strings.HasPrefix(f.Wire, "Dynamic") && f.Wire != "NextPageCursor" {
						t.Errorf("%s: answer lacks %s: %v", a.Name, f.Wire, body)
					}
				}
				if _, err := bad.call(a.Name, v2Query(a.Params, state[a.Name])); err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
					t.Errorf("%s with a wrong secret: %v", a.Name, err)
				}
			}
		})
	}
}
