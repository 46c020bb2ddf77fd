package benchmarks_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/domain"
)

// The catalog as this test reads it: internal/catalog is not importable
// from this module, so the test decodes the file itself (the fields it
// checks only).
type v1CheckCatalog struct {
	Actions []struct {
		Name   string         `json:"name"`
		V1     string         `json:"v1"`
		V1Only []string       `json:"v1_only"`
		Params []v1CheckParam `json:"params"`
		Answer []v1CheckField `json:"answer"`
	} `json:"actions"`
}

type v1CheckParam struct {
	Wire     string         `json:"wire"`
	MaxItems int            `json:"max_items"`
	Type     string         `json:"type"`
	In       string         `json:"in"`
	List     string         `json:"list"`
	Fields   []v1CheckParam `json:"fields"`
	V1       string         `json:"v1"`
}

type v1CheckField struct {
	Wire   string         `json:"wire"`
	Type   string         `json:"type"`
	Elem   string         `json:"elem"`
	Fields []v1CheckField `json:"fields"`
	V1     string         `json:"v1"`
}

func loadCatalogForV1Check(t *testing.T) *v1CheckCatalog {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "internal", "catalog", "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c v1CheckCatalog
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

// v1Actions maps each action of the v1 SDK to its request and response
// types, read off the client's methods: Action(*ActionRequest)
// (*ActionResponse, error), one per action.
func v1Actions() map[string][2]reflect.Type {
	ct := reflect.TypeOf(&domain.Client{})
	m := map[string][2]reflect.Type{}
	for i := 0; i < ct.NumMethod(); i++ {
		name := ct.Method(i).Name
		if !strings.HasSuffix(name, "WithCallback") {
			continue
		}
		action := strings.TrimSuffix(name, "WithCallback")
		mt, ok := ct.MethodByName(action)
		if !ok || mt.Type.NumIn() != 2 || mt.Type.NumOut() != 2 {
			continue
		}
		m[action] = [2]reflect.Type{mt.Type.In(1).Elem(), mt.Type.Out(0).Elem()}
	}
	return m
}

// TestCatalogMatchesV1SDK checks catalog.json against the v1 SDK's request
// and response structs by reflection: every action v1 has is in the
// catalog; every request parameter has v1's wire name, position, list
// style, struct-list fields and a compatible type; every answer field the
// catalog lists is in v1's response tree with a compatible type. The only
// differences tolerated are those the catalog records: parameters and
// answer fields marked "v1": "absent" (which v1 must then lack), answer
// fields marked "v1": "string" (which v1 decodes as text) and the
// parameters in "v1_only" (which v1 must then send).
func TestCatalogMatchesV1SDK(t *testing.T) {
	c := loadCatalogForV1Check(t)
	v1 := v1Actions()
	if len(v1) != 131 {
		t.Errorf("v1 SDK has %d actions, want 131", len(v1))
	}
	inCatalog := map[string]bool{}
	for _, a := range c.Actions {
		inCatalog[a.Name] = true
		types, ok := v1[a.Name]
		if a.V1 == "absent" {
			if ok {
				t.Errorf("%s: marked absent from v1, but v1 has it", a.Name)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: not in the v1 SDK and not marked absent", a.Name)
			continue
		}
		checkV1Request(t, a.Name, types[0], a.Params, a.V1Only)
		checkV1Answer(t, a.Name, types[1], a.Answer)
	}
	for name := range v1 {
		if !inCatalog[name] {
			t.Errorf("%s: in the v1 SDK, not in the catalog", name)
		}
	}
}

type v1Param struct {
	pos, style string
	typ        reflect.Type
	fields     map[string]reflect.Type
}

func v1RequestParams(rt reflect.Type) map[string]*v1Param {
	ps := map[string]*v1Param{}
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		name, ok := f.Tag.Lookup("name")
		if f.Anonymous || !ok {
			continue
		}
		p := &v1Param{pos: strings.ToLower(f.Tag.Get("position")), typ: f.Type}
		switch f.Tag.Get("type") {
		case "Repeated":
			p.style = "repeated"
			el := f.Type.Elem().Elem() // *[]T
			if el.Kind() == reflect.Struct {
				p.style = "repeated_struct"
				p.fields = map[string]reflect.Type{}
				for j := 0; j < el.NumField(); j++ {
					p.fields[el.Field(j).Tag.Get("name")] = el.Field(j).Type
				}
			}
			p.typ = el
		case "Json":
			p.style = "json"
			p.typ = f.Type.Elem().Elem()
		}
		ps[name] = p
	}
	return ps
}

// v1ParamTypeOK: v1 sends every scalar as text; its Go type still says
// which kind of value it is.
func v1ParamTypeOK(v1 reflect.Type, catalog string) bool {
	switch v1 {
	case reflect.TypeOf(requests.Integer("")):
		return catalog == "int32" || catalog == "int64" || catalog == "integer"
	case reflect.TypeOf(requests.Boolean("")):
		return catalog == "boolean"
	case reflect.TypeOf(requests.Float("")):
		return catalog == "float" || catalog == "double"
	}
	switch v1.Kind() {
	case reflect.String:
		return catalog == "string"
	case reflect.Struct:
		return catalog == "object"
	}
	return false
}

func checkV1Request(t *testing.T, action string, rt reflect.Type, params []v1CheckParam, v1Only []string) {
	t.Helper()
	v1 := v1RequestParams(rt)
	seen := map[string]bool{}
	for _, p := range params {
		seen[p.Wire] = true
		q := v1[p.Wire]
		if p.V1 == "absent" {
			if q != nil {
				t.Errorf("%s.%s: marked absent from v1, but v1 sends it", action, p.Wire)
			}
			continue
		}
		if q == nil {
			t.Errorf("%s.%s: v1 has no such parameter", action, p.Wire)
			continue
		}
		if q.pos != p.In {
			t.Errorf("%s.%s: position %s, v1 %s", action, p.Wire, p.In, q.pos)
		}
		if q.style != p.List {
			t.Errorf("%s.%s: list %q, v1 %q", action, p.Wire, p.List, q.style)
		}
		if p.List == "json" {
			continue // v1 marshals whatever it is given
		}
		if !v1ParamTypeOK(q.typ, p.Type) {
			t.Errorf("%s.%s: type %s, v1 %s", action, p.Wire, p.Type, q.typ)
		}
		fseen := map[string]bool{}
		for _, f := range p.Fields {
			fseen[f.Wire] = true
			ft, ok := q.fields[f.Wire]
			switch {
			case f.V1 == "absent" && ok:
				t.Errorf("%s.%s.%s: marked absent from v1, but v1 sends it", action, p.Wire, f.Wire)
			case f.V1 != "absent" && !ok:
				t.Errorf("%s.%s.%s: v1 has no such field", action, p.Wire, f.Wire)
			case ok && ft.Kind() != reflect.String:
				// v1 declares every field of a struct list as text.
				t.Errorf("%s.%s.%s: v1 type %s, not text", action, p.Wire, f.Wire, ft)
				t.Errorf("%s.%s.%s: type %s, v1 %s", action, p.Wire, f.Wire, f.Type, ft)
			}
		}
		for w := range q.fields {
			if !fseen[w] {
				t.Errorf("%s.%s.%s: v1 sends it, the catalog lacks it", action, p.Wire, w)
			}
		}
	}
	only := map[string]bool{}
	for _, w := range v1Only {
		only[w] = true
		if v1[w] == nil {
			t.Errorf("%s.%s: recorded as v1-only, but v1 lacks it", action, w)
		}
		if seen[w] {
			t.Errorf("%s.%s: recorded as v1-only, but the catalog has it", action, w)
		}
	}
	var extra []string
	for w := range v1 {
		if !seen[w] && !only[w] {
			extra = append(extra, w)
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		t.Errorf("%s: v1 sends %v, which the catalog neither has nor records as v1-only", action, extra)
	}
}

// v1AnswerTypeOK compares a v1 response field's Go type with the
// catalog's type.
func v1AnswerTypeOK(v1 reflect.Type, catalog string) bool {
	switch v1.Kind() {
	case reflect.String:
		return catalog == "string"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return catalog == "int32" || catalog == "int64" || catalog == "integer"
	case reflect.Bool:
		return catalog == "boolean"
	case reflect.Float32, reflect.Float64:
		return catalog == "float" || catalog == "double"
	case reflect.Struct:
		return catalog == "object"
	case reflect.Slice:
		return catalog == "array"
	case reflect.Map, reflect.Interface:
		return catalog == "object" || catalog == "any"
	}
	return false
}

func checkV1Answer(t *testing.T, where string, rt reflect.Type, fields []v1CheckField) {
	t.Helper()
	v1 := map[string]reflect.Type{}
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		if f.Anonymous {
			continue
		}
		v1[f.Tag.Get("json")] = f.Type
		if x := f.Tag.Get("xml"); x != f.Tag.Get("json") {
			t.Errorf("%s.%s: json and xml names differ in v1 (%s)", where, f.Name, x)
		}
	}
	for _, f := range fields {
		ft, ok := v1[f.Wire]
		if f.V1 == "absent" {
			if ok {
				t.Errorf("%s.%s: marked absent from v1, but v1 has it", where, f.Wire)
			}
			continue
		}
		if !ok {
			t.Errorf("%s.%s: not in v1's answer", where, f.Wire)
			continue
		}
		if f.V1 == "string" {
			// Recorded: v1 decodes this value as text.
			if ft.Kind() != reflect.String {
				t.Errorf("%s.%s: recorded as text in v1, v1 has %s", where, f.Wire, ft)
			}
			continue
		}
		if !v1AnswerTypeOK(ft, f.Type) && !(f.Type == "any" && ft.Kind() == reflect.String) {
			t.Errorf("%s.%s: type %s, v1 %s", where, f.Wire, f.Type, ft)
			continue
		}
		switch f.Type {
		case "object":
			if ft.Kind() == reflect.Struct {
				checkV1Answer(t, where+"."+f.Wire, ft, f.Fields)
			}
		case "array":
			el := ft.Elem()
			if f.Elem == "object" {
				if el.Kind() != reflect.Struct {
					t.Errorf("%s.%s: array of objects, v1 of %s", where, f.Wire, el)
					continue
				}
				checkV1Answer(t, where+"."+f.Wire, el, f.Fields)
			} else if !v1AnswerTypeOK(el, f.Elem) && f.Elem != "any" {
				t.Errorf("%s.%s: array of %s, v1 of %s", where, f.Wire, f.Elem, el)
			}
		}
	}
}
