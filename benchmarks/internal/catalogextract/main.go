// Command catalogextract rebuilds internal/catalog/catalog.json from the
// official SDK models: the v2 SDK's client/ (the 2026 API, followed where
// the two differ), the v1 SDK's services/domain (to record what v1 lacks
// or still sends) and Alibaba's API metadata (required flags, limits,
// read or write). It keeps the summaries already in catalog.json, which
// are ours. Run from benchmarks/:
//
//	go run ./internal/catalogextract -v2 <git dir> -meta <git dir>
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The part of the catalog's JSON shape the extractor writes (this module
// cannot import internal/catalog; catalog.Load refuses keys its schema
// lacks, so a drift fails there).
type catalog struct {
	Product string    `json:"product"`
	Version string    `json:"version"`
	Actions []*action `json:"actions"`
}

type action struct {
	Name     string    `json:"name"`
	Kind     string    `json:"kind"`
	Summary  string    `json:"summary"`
	Lang     bool      `json:"lang,omitempty"`
	V1       string    `json:"v1,omitempty"`
	V1Only   []string  `json:"v1_only,omitempty"`
	Params   []*param  `json:"params,omitempty"`
	Answer   []*field  `json:"answer"`
	Envelope *envelope `json:"envelope,omitempty"`
	Paging   *paging   `json:"paging,omitempty"`
	Cursor   *cursor   `json:"cursor,omitempty"`
	Partial  *partial  `json:"partial,omitempty"`
}

type param struct {
	Wire      string   `json:"wire"`
	Go        string   `json:"go"`
	Type      string   `json:"type"`
	Required  bool     `json:"required,omitempty"`
	In        string   `json:"in,omitempty"`
	List      string   `json:"list,omitempty"`
	Fields    []*param `json:"fields,omitempty"`
	MaxItems  int      `json:"max_items,omitempty"`
	MaxLength int      `json:"max_length,omitempty"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
	Default   string   `json:"default,omitempty"`
	Enum      []string `json:"enum,omitempty"`
	V1        string   `json:"v1,omitempty"`
}

type field struct {
	Wire    string   `json:"wire"`
	Go      string   `json:"go"`
	Type    string   `json:"type"`
	Elem    string   `json:"elem,omitempty"`
	Fields  []*field `json:"fields,omitempty"`
	Wrapper bool     `json:"wrapper,omitempty"`
	V1      string   `json:"v1,omitempty"`
}

type envelope struct {
	Module  string `json:"module,omitempty"`
	Success string `json:"success,omitempty"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	Status  string `json:"status,omitempty"`
}

type paging struct {
	PageNum    string `json:"page_num"`
	PageSize   string `json:"page_size"`
	Total      string `json:"total,omitempty"`
	Current    string `json:"current,omitempty"`
	TotalPages string `json:"total_pages,omitempty"`
	Next       string `json:"next,omitempty"`
	Prev       string `json:"prev,omitempty"`
	Items      string `json:"items"`
}

type cursor struct {
	Params   map[string]string `json:"params"`
	PageSize string            `json:"page_size,omitempty"`
	Items    string            `json:"items"`
}

type partial struct {
	Success string `json:"success"`
	Fail    string `json:"fail"`
}

func main() {
	v2Dir := flag.String("v2", "", "git dir of a clone of alibabacloud-go/domain-20180129")
	metaDir := flag.String("meta", "", "git dir of a clone of muzea/aliyun-sdk-node (doc/domain/*.json)")
	out := flag.String("out", "../internal/catalog/catalog.json", "catalog to rewrite")
	flag.Parse()
	if *v2Dir == "" || *metaDir == "" {
		flag.Usage()
		os.Exit(2)
	}

	v1Dir := strings.TrimSpace(run("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aliyun/alibaba-cloud-sdk-go"))
	v1 := parseDir(filepath.Join(v1Dir, "services", "domain"))
	v2 := parseGit(*v2Dir, "client")
	client := run("git", "--git-dir="+*v2Dir, "show", "HEAD:client/client.go")
	meta := loadMeta(*metaDir)

	old := map[string]*action{}
	if b, err := os.ReadFile(*out); err == nil {
		var c catalog
		if err := json.Unmarshal(b, &c); err != nil {
			log.Fatalf("%s: %v", *out, err)
		}
		for _, a := range c.Actions {
			old[a.Name] = a
		}
	}

	c := &catalog{Product: "Domain", Version: "2018-01-29"}
	for _, name := range v2Actions(client) {
		a := build(name, v1, v2, withOptions(client, name), meta[name])
		if o := old[name]; o != nil {
			a.Summary = o.Summary
		}
		c.Actions = append(c.Actions, a)
	}
	sort.Slice(c.Actions, func(i, j int) bool { return c.Actions[i].Name < c.Actions[j].Name })
	var buf bytes.Buffer
	writeJSON(&buf, c)
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	counts := map[string]int{}
	for _, a := range c.Actions {
		counts[a.Kind]++
	}
	fmt.Fprintf(os.Stderr, "%d actions %v\n", len(c.Actions), counts)
}

func run(name string, args ...string) string {
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		log.Fatalf("%s %v: %v", name, args, err)
	}
	return string(b)
}

// structs maps a type name to its struct type, from one parsed package.
type structs map[string]*ast.StructType

func addFile(s structs, fset *token.FileSet, name string, src []byte) {
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, sp := range g.Specs {
			ts := sp.(*ast.TypeSpec)
			if st, ok := ts.Type.(*ast.StructType); ok {
				s[ts.Name.Name] = st
			}
		}
	}
}

func parseDir(dir string) structs {
	s := structs{}
	fset := token.NewFileSet()
	ents, err := os.ReadDir(dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			log.Fatal(err)
		}
		addFile(s, fset, e.Name(), b)
	}
	return s
}

func parseGit(gitDir, dir string) structs {
	s := structs{}
	fset := token.NewFileSet()
	for _, n := range strings.Fields(run("git", "--git-dir="+gitDir, "ls-tree", "--name-only", "HEAD:"+dir)) {
		if !strings.HasSuffix(n, "_model.go") {
			continue
		}
		addFile(s, fset, n, []byte(run("git", "--git-dir="+gitDir, "show", "HEAD:"+dir+"/"+n)))
	}
	return s
}

var withOptionsRE = regexp.MustCompile(`(?m)^func \(client \*Client\) (\w+)WithOptions\(`)

func v2Actions(client string) []string {
	var names []string
	for _, m := range withOptionsRE.FindAllStringSubmatch(client, -1) {
		names = append(names, m[1])
	}
	return names
}

// withOptions returns the body of the action's WithOptions method.
func withOptions(client, name string) string {
	start := strings.Index(client, "func (client *Client) "+name+"WithOptions(")
	if start < 0 {
		log.Fatalf("v2 client: no %sWithOptions", name)
	}
	rest := client[start:]
	end := strings.Index(rest, "\n}\n")
	return rest[:end]
}

// meta is one operation of Alibaba's API metadata (the parts used).
type meta struct {
	OperationType string `json:"operationType"`
	SystemTags    struct {
		OperationType string `json:"operationType"`
	} `json:"systemTags"`
	Parameters []metaParam `json:"parameters"`
}

type metaParam struct {
	Name   string     `json:"name"`
	In     string     `json:"in"`
	Style  string     `json:"style"`
	Schema metaSchema `json:"schema"`
}

type metaSchema struct {
	Type       string                 `json:"type"`
	Required   bool                   `json:"required"`
	MaxItems   int                    `json:"maxItems"`
	MaxLength  int                    `json:"maxLength"`
	Minimum    json.RawMessage        `json:"minimum"`
	Maximum    json.RawMessage        `json:"maximum"`
	Default    json.RawMessage        `json:"default"`
	Enum       []json.RawMessage      `json:"enum"`
	Items      *metaSchema            `json:"items"`
	Properties map[string]*metaSchema `json:"properties"`
}

func loadMeta(gitDir string) map[string]*meta {
	m := map[string]*meta{}
	for _, n := range strings.Fields(run("git", "--git-dir="+gitDir, "ls-tree", "--name-only", "HEAD:doc/domain")) {
		if !strings.HasSuffix(n, ".json") || n == "list.json" {
			continue
		}
		var op meta
		if err := json.Unmarshal([]byte(run("git", "--git-dir="+gitDir, "show", "HEAD:doc/domain/"+n)), &op); err != nil {
			log.Fatalf("%s: %v", n, err)
		}
		m[strings.TrimSuffix(n, ".json")] = &op
	}
	return m
}

// v2 field facts.
type v2field struct {
	name, wire, typ, elemStruct string // typ: scalar type, or "array"/"object"
	elem                        string
	repeated, required          bool
}

func v2fields(s structs, typeName string) []v2field {
	st := s[typeName]
	if st == nil {
		log.Fatalf("v2: no struct %s", typeName)
	}
	var fs []v2field
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 {
			continue
		}
		tag := reflect.StructTag("")
		if f.Tag != nil {
			tag = reflect.StructTag(strings.Trim(f.Tag.Value, "`"))
		}
		wire, _, _ := strings.Cut(tag.Get("json"), ",")
		v := v2field{name: f.Names[0].Name, wire: wire, repeated: tag.Get("type") == "Repeated"}
		if f.Doc != nil && strings.Contains(f.Doc.Text(), "This parameter is required.") {
			v.required = true
		}
		switch t := f.Type.(type) {
		case *ast.StarExpr:
			id := t.X.(*ast.Ident).Name
			if sc, ok := scalar(id); ok {
				v.typ = sc
			} else {
				v.typ, v.elemStruct = "object", id
			}
		case *ast.ArrayType:
			v.typ = "array"
			el := t.Elt
			if se, ok := el.(*ast.StarExpr); ok {
				el = se.X
			}
			if _, ok := el.(*ast.InterfaceType); ok {
				v.elem = "any"
				break
			}
			id := el.(*ast.Ident).Name
			if sc, ok := scalar(id); ok {
				v.elem = sc
			} else {
				v.elem, v.elemStruct = "object", id
			}
		case *ast.InterfaceType:
			v.typ = "any"
		case *ast.MapType:
			v.typ = "map"
		default:
			log.Fatalf("v2 %s.%s: type %T", typeName, v.name, f.Type)
		}
		fs = append(fs, v)
	}
	return fs
}

func scalar(id string) (string, bool) {
	switch id {
	case "string":
		return "string", true
	case "int32":
		return "int32", true
	case "int64":
		return "int64", true
	case "int":
		return "integer", true
	case "bool":
		return "boolean", true
	case "float32":
		return "float", true
	case "float64":
		return "double", true
	}
	return "", false
}

// v1 request facts: wire name -> list style ("" flat, repeated,
// repeated_struct, json), position, and struct-list field names.
type v1param struct {
	style, pos string
	fields     []string
}

func v1request(s structs, name string) (map[string]*v1param, bool) {
	st := s[name+"Request"]
	if st == nil {
		return nil, false
	}
	ps := map[string]*v1param{}
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 || f.Tag == nil {
			continue
		}
		tag := reflect.StructTag(strings.Trim(f.Tag.Value, "`"))
		p := &v1param{pos: strings.ToLower(tag.Get("position"))}
		switch tag.Get("type") {
		case "Repeated":
			p.style = "repeated"
			at := f.Type.(*ast.StarExpr).X.(*ast.ArrayType)
			if id, ok := at.Elt.(*ast.Ident); ok && id.Name != "string" {
				p.style = "repeated_struct"
				for _, sf := range s[id.Name].Fields.List {
					sfTag := reflect.StructTag(strings.Trim(sf.Tag.Value, "`"))
					p.fields = append(p.fields, sfTag.Get("name"))
				}
			}
		case "Json":
			p.style = "json"
		}
		ps[tag.Get("name")] = p
	}
	return ps, true
}

// v1answer returns the v1 response's JSON field tree as paths, each with
// its Go type's name ("" for composite types).
func v1answer(s structs, typeName, prefix string, into map[string]string) {
	st := s[typeName]
	if st == nil {
		return
	}
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 || f.Tag == nil {
			continue
		}
		tag := reflect.StructTag(strings.Trim(f.Tag.Value, "`"))
		wire := tag.Get("json")
		into[prefix+wire] = ""
		if id, ok := f.Type.(*ast.Ident); ok {
			into[prefix+wire] = id.Name
		}
		t := f.Type
		if at, ok := t.(*ast.ArrayType); ok {
			t = at.Elt
		}
		if id, ok := t.(*ast.Ident); ok {
			v1answer(s, id.Name, prefix+wire+".", into)
		}
	}
}

func build(name string, v1, v2 structs, opts string, m *meta) *action {
	a := &action{Name: name}
	v1p, inV1 := v1request(v1, name)
	if !inV1 {
		a.V1 = "absent"
	}
	metaParams := map[string]*metaParam{}
	if m != nil {
		for i := range m.Parameters {
			metaParams[m.Parameters[i].Name] = &m.Parameters[i]
		}
	}
	seen := map[string]bool{}
	for _, f := range v2fields(v2, name+"Request") {
		p := &param{Wire: f.wire, Go: goName(f.wire), Type: f.typ, Required: f.required}
		seen[f.wire] = true
		switch {
		case regexp.MustCompile(`body\["` + f.wire + `"\]`).MatchString(opts):
			p.In = "body"
		case regexp.MustCompile(`query\["` + f.wire + `"\]`).MatchString(opts):
			p.In = "query"
		default:
			log.Fatalf("%s.%s: neither query nor body", name, f.wire)
		}
		if f.typ == "array" {
			p.Type = f.elem
			switch {
			case strings.Contains(opts, `ArrayToStringWithSpecifiedStyle(tmpReq.`+f.name+`, dara.String("`+f.wire+`"), dara.String("json"))`):
				p.List = "json"
			case f.repeated:
				p.List = "repeated"
			default:
				log.Fatalf("%s.%s: list of unknown style", name, f.wire)
			}
			if f.elem == "object" {
				if p.List == "repeated" {
					p.List = "repeated_struct"
				}
				for _, sf := range v2fields(v2, f.elemStruct) {
					if sf.typ == "array" || sf.typ == "object" {
						log.Fatalf("%s.%s.%s: nested list", name, f.wire, sf.wire)
					}
					p.Fields = append(p.Fields, &param{Wire: sf.wire, Go: goName(sf.wire), Type: sf.typ, Required: sf.required})
				}
			}
		} else if f.typ == "object" || f.typ == "map" {
			log.Fatalf("%s.%s: object parameter", name, f.wire)
		}
		if mp := metaParams[f.wire]; mp != nil {
			limits(p, &mp.Schema)
			if mp.Schema.Items != nil {
				for _, sf := range p.Fields {
					if ps := mp.Schema.Items.Properties[sf.Wire]; ps != nil {
						limits(sf, ps)
					}
				}
			}
		}
		if inV1 {
			vp := v1p[f.wire]
			if vp != nil {
				for _, sf := range p.Fields {
					if !slices.Contains(vp.fields, sf.Wire) {
						sf.V1 = "absent"
					}
				}
			}
			switch {
			case vp == nil:
				p.V1 = "absent"
			case vp.style != p.List:
				log.Fatalf("%s.%s: list style %q in v1, %q in v2", name, f.wire, vp.style, p.List)
			case vp.pos != p.In:
				log.Printf("note: %s.%s is %s in v1, %s in v2", name, f.wire, vp.pos, p.In)
			}
		}
		if f.wire == "Lang" {
			a.Lang = true
		}
		a.Params = append(a.Params, p)
	}
	for w := range v1p {
		if !seen[w] {
			a.V1Only = append(a.V1Only, w)
		}
	}
	sort.Strings(a.V1Only)
	sort.Slice(a.Params, func(i, j int) bool { return a.Params[i].Wire < a.Params[j].Wire })

	v1paths := map[string]string{}
	if inV1 {
		v1answer(v1, name+"Response", "", v1paths)
	}
	a.Answer = answer(v2, name+"ResponseBody", "", v1paths, inV1)

	// Kind, from the facts.
	op := ""
	if m != nil {
		op = m.OperationType
		// The finer tag decides where the coarse one says write for a
		// Get or Query that changes nothing.
		if t := m.SystemTags.OperationType; t == "get" || t == "list" {
			op = "read"
		}
	}
	has := func(path string) bool { return findField(a.Answer, path) != nil }
	switch {
	case a.param("ScrollId") != nil || a.hasCursorParam():
		a.Kind = "cursor_list"
	case pageParam(a) != "" && (has("TotalItemNum") || has("TotalPageNum") || has("Module.TotalItemNum")):
		a.Kind = "page_list"
	case op == "read" || (op == "" && readName(name)):
		a.Kind = "read"
	case has("TaskNo"):
		a.Kind = "task_write"
	default:
		a.Kind = "write"
	}
	if op == "" {
		log.Printf("note: %s not in the API metadata; kind %s by its name", name, a.Kind)
	}
	if has("Module") {
		a.Envelope = &envelope{Module: "Module"}
	}
	if has("Success") && (has("ErrorCode") || has("ErrorMsg") || has("Module")) {
		if a.Envelope == nil {
			a.Envelope = &envelope{}
		}
		a.Envelope.Success = "Success"
		for _, c := range []string{"ErrorCode", "Code"} {
			if has(c) {
				a.Envelope.Code = c
				break
			}
		}
		for _, c := range []string{"ErrorMsg", "Message"} {
			if has(c) {
				a.Envelope.Message = c
				break
			}
		}
		for _, c := range []string{"HttpStatusCode"} {
			if has(c) {
				a.Envelope.Status = c
			}
		}
	}
	if s, f := listPath(a.Answer, "SuccessList"), listPath(a.Answer, "FailList"); s != "" && f != "" {
		a.Partial = &partial{Success: s, Fail: f}
	}
	switch a.Kind {
	case "page_list":
		pg := &paging{PageNum: pageParam(a), PageSize: "PageSize"}
		// Most lists page at the top; the fixed-price order list pages
		// inside its Module.
		under := ""
		if !has("TotalItemNum") && !has("TotalPageNum") {
			under = "Module."
		}
		for _, x := range []struct {
			dst  *string
			wire string
		}{{&pg.Total, "TotalItemNum"}, {&pg.Current, "CurrentPageNum"}, {&pg.TotalPages, "TotalPageNum"}, {&pg.Next, "NextPage"}, {&pg.Prev, "PrePage"}} {
			if has(under + x.wire) {
				*x.dst = under + x.wire
			}
		}
		pg.Items = itemsPath(a.Answer)
		a.Paging = pg
	case "cursor_list":
		cu := &cursor{Params: map[string]string{}}
		for _, p := range a.Params {
			switch {
			case p.Wire == "ScrollId":
				cu.Params[p.Wire] = "ScrollId"
			case strings.HasSuffix(p.Wire, "Cursor"):
				// The answer's next-page cursor object carries the
				// values the next call sends.
				// An integer cursor is the time in Unix
				// milliseconds, which the answer gives as ...Long.
				base := strings.TrimSuffix(p.Wire, "Cursor")
				if strings.HasPrefix(p.Type, "int") && has("NextPageCursor."+base+"Long") {
					base += "Long"
				}
				cu.Params[p.Wire] = "NextPageCursor." + base
			case p.Wire == "PageSize":
				cu.PageSize = "PageSize"
			}
		}
		for k, v := range cu.Params {
			if !has(v) {
				log.Fatalf("%s: cursor %s: no answer field %s", name, k, v)
			}
		}
		cu.Items = itemsPath(a.Answer)
		a.Cursor = cu
	}
	return a
}

func (a *action) param(w string) *param {
	for _, p := range a.Params {
		if p.Wire == w {
			return p
		}
	}
	return nil
}

// pageParam is the page-number parameter of a page list.
func pageParam(a *action) string {
	for _, w := range []string{"PageNum", "CurrentPage"} {
		if a.param(w) != nil && a.param("PageSize") != nil {
			return w
		}
	}
	return ""
}

func (a *action) hasCursorParam() bool {
	for _, p := range a.Params {
		if strings.HasSuffix(p.Wire, "Cursor") {
			return true
		}
	}
	return false
}

func readName(name string) bool {
	for _, p := range []string{"Query", "Check", "Get", "List", "Lookup", "Scroll", "Describe", "Batch"} {
		if strings.HasPrefix(name, p) && !strings.HasPrefix(name, "BatchFuzzy") {
			return true
		}
	}
	return strings.HasPrefix(name, "BatchFuzzy")
}

func answer(v2 structs, typeName, prefix string, v1paths map[string]string, inV1 bool) []*field {
	var out []*field
	for _, f := range v2fields(v2, typeName) {
		fl := &field{Wire: f.wire, Go: goName(f.wire), Type: f.typ, Elem: f.elem}
		if f.elemStruct != "" {
			fl.Fields = answer(v2, f.elemStruct, prefix+f.wire+".", v1paths, inV1)
		}
		if f.typ == "object" && len(fl.Fields) == 1 && fl.Fields[0].Type == "array" {
			fl.Wrapper = true
		}
		v1type, ok := v1paths[prefix+f.wire]
		switch {
		case !inV1:
		case !ok:
			fl.V1 = "absent"
		case v1type == "string" && f.typ != "string" && f.typ != "any":
			// v1 decodes the value as text.
			fl.V1 = "string"
		}
		out = append(out, fl)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Wire < out[j].Wire })
	return out
}

func findField(fs []*field, path string) *field {
	head, rest, nested := strings.Cut(path, ".")
	for _, f := range fs {
		if f.Wire == head {
			if !nested {
				return f
			}
			return findField(f.Fields, rest)
		}
	}
	return nil
}

// listPath finds the array named w at the top or under one wrapper.
func listPath(fs []*field, w string) string {
	for _, f := range fs {
		if f.Wire == w && f.Type == "array" {
			return w
		}
		if f.Wire == w && f.Wrapper {
			return w + "." + f.Fields[0].Wire
		}
		if f.Type == "object" {
			if p := listPath(f.Fields, w); p != "" {
				return f.Wire + "." + p
			}
		}
	}
	return ""
}

// itemsPath finds a list's items: the one array at the top or one level
// down (Data.Domain).
func itemsPath(fs []*field) string {
	var found []string
	for _, f := range fs {
		if f.Type == "array" {
			found = append(found, f.Wire)
		}
		if f.Type == "object" {
			for _, g := range f.Fields {
				if g.Type == "array" {
					found = append(found, f.Wire+"."+g.Wire)
				}
			}
		}
	}
	if len(found) != 1 {
		log.Fatalf("items: %v", found)
	}
	return found[0]
}

func limits(p *param, s *metaSchema) {
	p.Required = p.Required || s.Required
	p.MaxItems = s.MaxItems
	p.MaxLength = s.MaxLength
	p.Min = number(s.Minimum)
	p.Max = number(s.Maximum)
	if len(s.Default) > 0 {
		p.Default = text(s.Default)
	}
	for _, e := range s.Enum {
		p.Enum = append(p.Enum, text(e))
	}
}

func text(r json.RawMessage) string {
	var s string
	if json.Unmarshal(r, &s) == nil {
		return s
	}
	return string(r)
}

func number(r json.RawMessage) *float64 {
	if len(r) == 0 {
		return nil
	}
	f, err := strconv.ParseFloat(text(r), 64)
	if err != nil {
		log.Fatalf("limit %s: %v", r, err)
	}
	return &f
}

// goName is the mechanical Go name of a wire name: exported, with Go's
// initialisms.
func goName(wire string) string {
	if wire == "" {
		log.Fatal("empty wire name")
	}
	var words []string
	start := 0
	for i := 1; i <= len(wire); i++ {
		if i == len(wire) || (wire[i] >= 'A' && wire[i] <= 'Z' && !(wire[i-1] >= 'A' && wire[i-1] <= 'Z')) || (wire[i] >= '0' && wire[i] <= '9' && !(wire[i-1] >= '0' && wire[i-1] <= '9')) {
			words = append(words, wire[start:i])
			start = i
		}
	}
	for i, w := range words {
		switch w {
		case "Id", "Ip", "Dns", "Url", "Api", "Http", "Https", "Json", "Xml", "Sms", "Ssl", "Uri", "Cpu", "Ttl":
			words[i] = strings.ToUpper(w)
		case "Ids":
			words[i] = "IDs"
		case "Ips":
			words[i] = "IPs"
		}
	}
	s := strings.Join(words, "")
	return strings.ToUpper(s[:1]) + s[1:]
}

// writeJSON writes v indented, with every object or array that fits in
// 120 columns on one line: stable and compact enough to review.
func writeJSON(buf *bytes.Buffer, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	pretty(buf, json.RawMessage(b), 0)
	buf.WriteByte('\n')
}

func pretty(buf *bytes.Buffer, raw json.RawMessage, indent int) {
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		log.Fatal(err)
	}
	if indent*2+compact.Len() <= 120 || (raw[0] != '{' && raw[0] != '[') {
		buf.Write(compact.Bytes())
		return
	}
	pad := strings.Repeat("  ", indent+1)
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if raw[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			log.Fatal(err)
		}
		buf.WriteString("[\n")
		for i, it := range items {
			buf.WriteString(pad)
			pretty(buf, it, indent+1)
			if i < len(items)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString(strings.Repeat("  ", indent) + "]")
		return
	}
	// An object: read key order from the token stream.
	if _, err := d.Token(); err != nil {
		log.Fatal(err)
	}
	buf.WriteString("{\n")
	first := true
	for d.More() {
		k, err := d.Token()
		if err != nil {
			log.Fatal(err)
		}
		var val json.RawMessage
		if err := d.Decode(&val); err != nil {
			log.Fatal(err)
		}
		if !first {
			buf.WriteString(",\n")
		}
		first = false
		kb, _ := json.Marshal(k.(string))
		buf.WriteString(pad)
		buf.Write(kb)
		buf.WriteString(": ")
		pretty(buf, val, indent+1)
	}
	buf.WriteString("\n" + strings.Repeat("  ", indent) + "}")
}
