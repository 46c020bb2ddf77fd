package catalog

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestLoadCountsByKind(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Actions) != 132 {
		t.Fatalf("%d actions, want 132", len(c.Actions))
	}
	got := map[Kind]int{}
	for _, a := range c.Actions {
		got[a.Kind]++
	}
	want := map[Kind]int{PaidOrder: 11, TaskWrite: 36, Write: 32, Read: 38, PageList: 12, CursorList: 3}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("kinds %v, want %v", got, want)
	}
	if a := c.Lookup("SaveBatchTaskForCreatingOrderRedeem"); a == nil || a.Kind != PaidOrder || a.TaskType != "ORDER_REDEEM" {
		t.Errorf("Lookup(SaveBatchTaskForCreatingOrderRedeem) = %+v", a)
	}
	if c.Lookup("NoSuchAction") != nil {
		t.Error("Lookup of an unknown action found one")
	}
}

// The shape facts the issue counts, from the catalog.
func TestShapeCounts(t *testing.T) {
	c := MustLoad()
	var lists, structLists, jsonLists, bodyActions, success, module, partial, v1absent int
	for _, a := range c.Actions {
		hasList, hasBody := false, false
		for _, p := range a.Params {
			if p.List != Flat {
				hasList = true
			}
			if p.List == RepeatedStruct || (p.List == JSONList && p.Type == "object") {
				structLists++
			}
			if p.List == JSONList {
				jsonLists++
			}
			if p.In == Body {
				hasBody = true
			}
		}
		if hasList {
			lists++
		}
		if hasBody {
			bodyActions++
		}
		if a.Envelope != nil {
			module++
			if a.Envelope.Success != "" {
				success++
			}
		}
		if a.Partial != nil {
			partial++
		}
		if a.V1 == "absent" {
			v1absent++
		}
	}
	for _, x := range []struct {
		name      string
		got, want int
	}{
		{"actions with lists", lists, 25},
		{"lists of structs", structLists, 9},
		{"JSON-string lists", jsonLists, 2},
		{"actions with body parameters", bodyActions, 8},
		{"Module envelopes", module, 9},
		{"envelopes with Success", success, 5},
		{"partial-success answers", partial, 5},
		{"actions v1 lacks", v1absent, 1},
	} {
		if x.got != x.want {
			t.Errorf("%s: %d, want %d", x.name, x.got, x.want)
		}
	}
}

// The v2 differences a parity test against v1 may tolerate: exactly the
// 8 operations the v2 ChangeLog lists.
func TestV1Differences(t *testing.T) {
	c := MustLoad()
	got := map[string][]string{}
	for _, a := range c.Actions {
		for _, p := range a.Params {
			if p.V1 != "" {
				got[a.Name] = append(got[a.Name], p.Wire)
			}
			for _, f := range p.Fields {
				if f.V1 != "" {
					got[a.Name] = append(got[a.Name], p.Wire+"."+f.Wire)
				}
			}
		}
		for _, w := range a.V1Only {
			got[a.Name] = append(got[a.Name], "-"+w)
		}
	}
	want := map[string][]string{
		"CreateIntlFixedPriceDomainOrder":                 {"ProductType"},
		"QueryDomainGroupList":                            {"OrderByType", "OrderKeyType"},
		"QueryDomainList":                                 {"AutoRenewEnabled", "Dns", "Registrar"},
		"SaveBatchTaskForCreatingOrderRenew":              {"OrderRenewParam.PermitPremiumRenew"},
		"SaveBatchTaskForDomainNameProxyService":          {"ServiceType"},
		"SaveSingleTaskForCreatingOrderRenew":             {"PermitPremiumRenew"},
		"SaveBatchTaskForTransferOutByAuthorizationCode":  {"-Long", "-UserClientIp"},
		"SaveSingleTaskForTransferOutByAuthorizationCode": {"-Lang", "-UserClientIp"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("v1 differences\n got %v\nwant %v", got, want)
	}
}

func TestRepeatSafety(t *testing.T) {
	c := MustLoad()
	for _, a := range c.Actions {
		switch {
		case a.Kind.IsRead() && !a.RepeatSafe:
			t.Errorf("%s: a %s not repeat-safe", a.Name, a.Kind)
		case a.RepeatSafe && !a.Kind.IsRead() && (a.Kind != Write || a.RepeatReason == ""):
			t.Errorf("%s: %s repeat-safe without an overlay reason", a.Name, a.Kind)
		}
		if a.Kind == PaidOrder || a.Kind == TaskWrite {
			if a.RepeatSafe {
				t.Errorf("%s: a %s marked repeat-safe", a.Name, a.Kind)
			}
		}
		if a.Kind == TaskWrite && FindField(a.Answer, "TaskNo") == nil {
			t.Errorf("%s: a task write without TaskNo", a.Name)
		}
	}
	if a := c.Lookup("SetupDomainAutoRenew"); !a.RepeatSafe {
		t.Error("SetupDomainAutoRenew not repeat-safe")
	}
}

// Every action has what its kind needs, and every name a generator will
// use is a valid, unique Go name.
func TestActionsComplete(t *testing.T) {
	c := MustLoad()
	for _, a := range c.Actions {
		if strings.TrimSpace(a.Summary) == "" || strings.Contains(a.Summary, "\n") {
			t.Errorf("%s: summary %q is not one line", a.Name, a.Summary)
		}
		if FindField(a.Answer, "RequestId") == nil {
			t.Errorf("%s: no RequestId in the answer", a.Name)
		}
		if a.Lang != (a.Param("Lang") != nil) {
			t.Errorf("%s: lang %v disagrees with its parameters", a.Name, a.Lang)
		}
		switch a.Kind {
		case PageList:
			if a.Paging == nil || a.Param(a.Paging.PageNum) == nil || a.Param(a.Paging.PageSize) == nil || FindField(a.Answer, a.Paging.Items) == nil || FindField(a.Answer, a.Paging.Total) == nil {
				t.Errorf("%s: paging %+v does not name its fields", a.Name, a.Paging)
			}
		case CursorList:
			if a.Cursor == nil || len(a.Cursor.Params) == 0 || FindField(a.Answer, a.Cursor.Items) == nil {
				t.Fatalf("%s: cursor %+v", a.Name, a.Cursor)
			}
			for p, f := range a.Cursor.Params {
				if a.Param(p) == nil || FindField(a.Answer, f) == nil {
					t.Errorf("%s: cursor %s <- %s not found", a.Name, p, f)
				}
			}
		}
		if (a.Paging != nil) != (a.Kind == PageList) || (a.Cursor != nil) != (a.Kind == CursorList) {
			t.Errorf("%s: paging or cursor on a %s", a.Name, a.Kind)
		}
		checkParams(t, a.Name, a.Params, true)
		checkFields(t, a.Name, a.Answer)
	}
}

func checkParams(t *testing.T, where string, ps []*Param, top bool) {
	t.Helper()
	wires, gos := map[string]bool{}, map[string]bool{}
	for _, p := range ps {
		if wires[p.Wire] || gos[p.Go] {
			t.Errorf("%s.%s: wire or Go name twice", where, p.Wire)
		}
		wires[p.Wire], gos[p.Go] = true, true
		if !token.IsIdentifier(p.Go) || !token.IsExported(p.Go) {
			t.Errorf("%s.%s: Go name %q", where, p.Wire, p.Go)
		}
		if top != (p.In != "") || (top && p.In != Query && p.In != Body) {
			t.Errorf("%s.%s: position %q", where, p.Wire, p.In)
		}
		if (len(p.Fields) > 0) != (p.Type == "object") || (p.Type == "object" && p.List == Flat) {
			t.Errorf("%s.%s: type %s with %d fields, list %q", where, p.Wire, p.Type, len(p.Fields), p.List)
		}
		if p.Time != "" && p.Time != "unixmilli" {
			t.Errorf("%s.%s: time %q", where, p.Wire, p.Time)
		}
		checkParams(t, where+"."+p.Wire, p.Fields, false)
	}
}

func checkFields(t *testing.T, where string, fs []*Field) {
	t.Helper()
	wires, gos := map[string]bool{}, map[string]bool{}
	for _, f := range fs {
		if wires[f.Wire] || gos[f.Go] {
			t.Errorf("%s.%s: wire or Go name twice", where, f.Wire)
		}
		wires[f.Wire], gos[f.Go] = true, true
		if !token.IsIdentifier(f.Go) || !token.IsExported(f.Go) {
			t.Errorf("%s.%s: Go name %q", where, f.Wire, f.Go)
		}
		if (f.Type == "array") != (f.Elem != "") {
			t.Errorf("%s.%s: type %s elem %q", where, f.Wire, f.Type, f.Elem)
		}
		if f.Time != "" && f.Type != "int64" {
			t.Errorf("%s.%s: a time of type %s", where, f.Wire, f.Type)
		}
		checkFields(t, where+"."+f.Wire, f.Fields)
	}
}

// Every overlay entry names a real action, parameter or answer field, has a
// reason and sets something; Load refuses one that does not.
func TestStrictSchema(t *testing.T) {
	var c Catalog
	if err := strict([]byte(`{"product":"Domain","actions":[{"name":"X","kind":"read","sumary":"typo"}]}`), &c); err == nil {
		t.Error("a misspelt key was accepted")
	}
}

func TestOverlayEntries(t *testing.T) {
	var o Overlay
	if err := json.Unmarshal(overlayJSON, &o); err != nil {
		t.Fatal(err)
	}
	c := MustLoad()
	for i, e := range o.Entries {
		a := c.Lookup(e.Action)
		switch {
		case a == nil:
			t.Errorf("entry %d: no action %s", i, e.Action)
		case e.Param != "" && a.Param(e.Param) == nil:
			t.Errorf("entry %d: %s has no parameter %s", i, e.Action, e.Param)
		case e.Answer != "" && FindField(a.Answer, e.Answer) == nil:
			t.Errorf("entry %d: %s has no answer field %s", i, e.Action, e.Answer)
		}
		if strings.TrimSpace(e.Reason) == "" {
			t.Errorf("entry %d (%s): no reason", i, e.Action)
		}
		set := e
		set.Action, set.Param, set.Answer, set.Reason = "", "", "", ""
		if reflect.DeepEqual(set, OverlayEntry{}) {
			t.Errorf("entry %d (%s): sets nothing", i, e.Action)
		}
	}

	bad := []struct {
		name string
		e    OverlayEntry
	}{
		{"no reason", OverlayEntry{Action: "CheckDomain", Param: "DomainName", Secret: true}},
		{"unknown action", OverlayEntry{Action: "NoSuchAction", Kind: Read, Reason: "r"}},
		{"unknown parameter", OverlayEntry{Action: "CheckDomain", Param: "NoSuchParam", Secret: true, Reason: "r"}},
		{"unknown struct-list field", OverlayEntry{Action: "SaveBatchTaskForCreatingOrderRedeem", Param: "OrderRedeemParam.Nope", Secret: true, Reason: "r"}},
		{"unknown answer field", OverlayEntry{Action: "CheckDomain", Answer: "Nope", Money: true, Reason: "r"}},
		{"repeat-safe task write", OverlayEntry{Action: "SaveSingleTaskForCreatingDnsHost", RepeatSafe: true, Reason: "r"}},
		{"repeat-safe paid order", OverlayEntry{Action: "SaveBatchTaskForCreatingOrderRenew", Kind: PaidOrder, RepeatSafe: true, Reason: "r"}},
		{"action fact on a parameter", OverlayEntry{Action: "CheckDomain", Param: "DomainName", Kind: Write, Reason: "r"}},
	}
	for _, b := range bad {
		fresh := loadFacts(t)
		if err := fresh.apply(&Overlay{Entries: []*OverlayEntry{&b.e}}); err == nil {
			t.Errorf("%s: overlay accepted", b.name)
		}
	}
	fresh := loadFacts(t)
	ok := OverlayEntry{Action: "SaveBatchTaskForCreatingOrderTransfer", Param: "OrderTransferParam.AuthorizationCode", Secret: true, Reason: "r"}
	if err := fresh.apply(&Overlay{Entries: []*OverlayEntry{&ok}}); err != nil || !fresh.Lookup(ok.Action).Param(ok.Param).Secret {
		t.Errorf("a struct-list field's secret not applied: %v", err)
	}
}

func loadFacts(t *testing.T) *Catalog {
	t.Helper()
	var c Catalog
	if err := strict(factsJSON, &c); err != nil {
		t.Fatal(err)
	}
	if err := c.index(); err != nil {
		t.Fatal(err)
	}
	return &c
}

// The overlay's decisions that other code relies on.
func TestOverlayDecisions(t *testing.T) {
	c := MustLoad()
	for _, s := range []string{
		"SaveBatchTaskForCreatingOrderTransfer OrderTransferParam.AuthorizationCode",
		"SaveSingleTaskForCreatingOrderTransfer AuthorizationCode",
		"SaveBatchTaskForTransferOutByAuthorizationCode TransferOutParamList.AuthorizationCode",
		"SaveSingleTaskForTransferOutByAuthorizationCode AuthorizationCode",
		"TransferInReenterTransferAuthorizationCode TransferAuthorizationCode",
		"CheckTransferInFeasibility TransferAuthorizationCode",
	} {
		action, param, _ := strings.Cut(s, " ")
		if p := c.Lookup(action).Param(param); p == nil || !p.Secret {
			t.Errorf("%s: not a secret", s)
		}
	}
	for _, name := range []string{"SaveBatchTaskForReserveDropListDomain", "SaveSingleTaskForReserveDropListDomain", "CreateIntlFixedPriceDomainOrder"} {
		if c.Lookup(name).Kind != PaidOrder {
			t.Errorf("%s: not a paid order", name)
		}
	}
	if p := c.Lookup("SaveBatchTaskForCreatingOrderRenew").Param("OrderRenewParam.CurrentExpirationDate"); p.Time != "unixmilli" {
		t.Errorf("OrderRenewParam.CurrentExpirationDate time %q", p.Time)
	}
	if f := FindField(c.Lookup("QueryDomainList").Answer, "Data.Domain.ExpirationDateLong"); f.Time != "unixmilli" {
		t.Errorf("ExpirationDateLong time %q", f.Time)
	}
}

// The 15 actions the SDK types by hand send exactly the catalog's wire
// names: every `url` tag of their request types is a catalog parameter
// (struct-list fields included), with the same list style and time
// encoding.
func TestTypedActionsMatchRootPackage(t *testing.T) {
	c := MustLoad()
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, root, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg := pkgs["alidomain"]
	if pkg == nil {
		t.Fatal("no package alidomain in the module root")
	}
	structs := map[string]*ast.StructType{}
	typed := map[string]string{} // action -> request type
	for name, f := range pkg.Files {
		generated := strings.HasPrefix(filepath.Base(name), "api_op_") // the generated layer has its own tests
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.TypeSpec:
				if st, ok := n.Type.(*ast.StructType); ok {
					structs[n.Name.Name] = st
				}
			case *ast.CompositeLit:
				if generated {
					return true
				}
				if x, ok := n.Type.(*ast.IndexListExpr); ok && isIdent(x.X, "operation") {
					for _, el := range n.Elts {
						kv, ok := el.(*ast.KeyValueExpr)
						if ok && isIdent(kv.Key, "action") {
							if lit, ok := kv.Value.(*ast.BasicLit); ok {
								typed[unquote(t, lit)] = x.Indices[0].(*ast.Ident).Name
							}
						}
					}
				}
			}
			return true
		})
	}
	// The 15 actions behind a friendly service (some of which now send
	// the generated request type, which is checked the same way).
	if len(typed) != 15 {
		t.Errorf("found %d typed actions, want 15: %v", len(typed), typed)
	}
	for action, req := range typed {
		a := c.Lookup(action)
		if a == nil {
			t.Errorf("%s: typed but not in the catalog", action)
			continue
		}
		st := structs[req]
		if st == nil {
			t.Errorf("%s: request type %s not found", action, req)
			continue
		}
		n := matchStruct(t, action, st, structs, a.Params)
		if n == 0 {
			t.Errorf("%s: no url tags in %s", action, req)
		}
	}
}

// matchStruct checks st's url tags against ps and returns how many it
// matched.
func matchStruct(t *testing.T, where string, st *ast.StructType, structs map[string]*ast.StructType, ps []*Param) int {
	t.Helper()
	seen := map[string]bool{}
	n := 0
	for _, f := range st.Fields.List {
		if f.Tag == nil {
			continue
		}
		tag, ok := reflect.StructTag(unquoteRaw(f.Tag.Value)).Lookup("url")
		if !ok || tag == "-" {
			continue
		}
		opts := strings.Split(tag, ",")
		wire := opts[0]
		var p *Param
		for _, q := range ps {
			if q.Wire == wire {
				p = q
			}
		}
		if p == nil {
			t.Errorf("%s: url tag %s is not a catalog parameter", where, wire)
			continue
		}
		if seen[wire] {
			t.Errorf("%s: two fields send %s", where, wire)
		}
		seen[wire] = true
		n++
		has := func(o string) bool {
			for _, x := range opts[1:] {
				if x == o {
					return true
				}
			}
			return false
		}
		if has("json") != (p.List == JSONList) {
			t.Errorf("%s.%s: json option %v, catalog list %q", where, wire, has("json"), p.List)
		}
		if has("unixmilli") != (p.Time == "unixmilli") {
			t.Errorf("%s.%s: unixmilli option %v, catalog time %q", where, wire, has("unixmilli"), p.Time)
		}
		if at, ok := f.Type.(*ast.ArrayType); ok && p.List == RepeatedStruct {
			if id, ok := at.Elt.(*ast.Ident); ok && structs[id.Name] != nil {
				matchStruct(t, where+"."+wire, structs[id.Name], structs, p.Fields)
			} else {
				t.Errorf("%s.%s: a struct list of %T", where, wire, at.Elt)
			}
		}
	}
	return n
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func unquote(t *testing.T, lit *ast.BasicLit) string {
	s, err := strconv.Unquote(lit.Value)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func unquoteRaw(s string) string { return strings.Trim(s, "`") }
