package alidomaintest

import (
	"github.com/alidomain/alidomain/internal/wire"

	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/catalog"
)

// dataState is what tests set for the actions answered from data. s.mu
// guards it.
type dataState struct {
	answers map[string]map[string]any // SetAnswer, by action
	fails   map[failKey]string        // FailTasks
}

type failKey struct{ action, domain string }

// SetAnswer sets what action answers, for an action the Server answers from
// data (one not modelled with state; see the package documentation):
// answer is merged over the answer the Server builds from the catalog, key
// by key (objects recursively; a list replaces the list, each object in it
// merged over a generated item, so it may give only the fields a test
// cares about). RequestId is always the request's; a task write's TaskNo
// is always the task it created. For a page or cursor list, the list given
// at the catalog's items path (Data.Domain, say) is the whole list, served
// a page at a time with consistent paging fields. Setting an envelope's
// Success (or an answer's HttpStatusCode) scripts an error inside an HTTP
// 200. A nil answer restores the default. SetAnswer panics on an action the
// API lacks or one the Server answers from its state.
func (s *Server) SetAnswer(action string, answer map[string]any) {
	if !knownAction(action) {
		panic(fmt.Sprintf("alidomaintest: SetAnswer: unknown action %q", action))
	}
	if _, stateful := actions[action]; stateful {
		panic(fmt.Sprintf("alidomaintest: SetAnswer: %s answers from the Server's state", action))
	}
	var norm map[string]any
	if answer != nil {
		norm = normalize(answer).(map[string]any)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.data.answers == nil {
		s.data.answers = make(map[string]map[string]any)
	}
	if norm == nil {
		delete(s.data.answers, action)
		return
	}
	s.data.answers[action] = norm
}

// FailTasks makes the details that the task write action creates for
// domain fail with reason (as ErrorMsg and FailReason; an empty reason uses
// a generic message); an empty domain makes every detail of action fail.
// It covers the task writes the Server answers from data and those of the
// families modelled with state that create their tasks through it; paid
// orders have their own options (FailRedeem, FailRenew, ...). A failed
// detail changes nothing.
func (s *Server) FailTasks(action, domain, reason string) {
	a := catalogAction(action)
	if a == nil || a.Kind != catalog.TaskWrite {
		panic(fmt.Sprintf("alidomaintest: FailTasks: %q is not a task write", action))
	}
	if reason == "" {
		reason = "the task failed"
	}
	key := ""
	if strings.TrimSpace(domain) != "" {
		key = wire.CanonicalName(domain)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.data.fails == nil {
		s.data.fails = make(map[failKey]string)
	}
	s.data.fails[failKey{action, key}] = reason
}

// scriptedFailure is the FailTasks reason for a detail of action naming
// the domain key, "" for none. s.mu is held.
func (s *Server) scriptedFailure(action, key string) string {
	if msg := s.data.fails[failKey{action, key}]; msg != "" && key != "" {
		return msg
	}
	return s.data.fails[failKey{action, ""}]
}

// taskItem is one detail of a task a write creates.
type taskItem struct {
	name     string          // the domain as requested, "" for none
	instance string          // the instance id, when no domain names it
	failMsg  string          // a failure the handler decided, "" for none
	effect   func(s *Server) // the change made when the detail succeeds (s.mu held)
	result   string          // the TaskResult a successful detail reports (family_transfer.go)
}

// taskTypes are the documented TaskType values of task writes; the others
// report their action's name.
var taskTypes = map[string]string{
	"SaveBatchTaskForModifyingDomainDns":                     "CHG_DNS",
	"SaveBatchTaskForDomainNameProxyService":                 "SET_WHOIS_PROTECT",
	"SaveSingleTaskForDomainNameProxyService":                "SET_WHOIS_PROTECT",
	"SaveBatchTaskForUpdateProhibitionLock":                  "SET_UPDATE_PROHIBITED",
	"SaveSingleTaskForUpdateProhibitionLock":                 "SET_UPDATE_PROHIBITED",
	"SaveBatchTaskForTransferProhibitionLock":                "SET_TRANSFER_PROHIBITED",
	"SaveSingleTaskForTransferProhibitionLock":               "SET_TRANSFER_PROHIBITED",
	"SaveSingleTaskForCreatingDnsHost":                       "CREATE_DNSHOST",
	"SaveSingleTaskForModifyingDnsHost":                      "UPDATE_DNSHOST",
	"SaveSingleTaskForSynchronizingDnsHost":                  "SYNC_DNSHOST",
	"SaveTaskForUpdatingRegistrantInfoByIdentityCredential":  "CHG_HOLDER",
	"SaveTaskForUpdatingRegistrantInfoByRegistrantProfileID": "CHG_HOLDER",
	"SaveTaskForSubmittingDomainDelete":                      "DELETE_DOMAIN",
}

// taskTypeOf is the TaskType of the tasks action creates.
func taskTypeOf(action string) string {
	if t := taskTypes[action]; t != "" {
		return t
	}
	return action
}

// createTask creates a task of a write (not a paid order) with one detail
// per item, each succeeding after the task duration unless the item or
// FailTasks says it fails; a successful detail's effect is applied then.
// Families modelled with state create their tasks with it.
func (s *Server) createTask(action string, items []taskItem, clientIP string, now time.Time) *task {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(now)
	t := &task{no: newUUID(), typ: taskTypeOf(action), created: now, clientIP: clientIP}
	for _, it := range items {
		key := ""
		if it.name != "" {
			key = wire.CanonicalName(it.name)
		}
		s.seq++
		d := &detail{
			task:     t,
			no:       strconv.Itoa(100000000 + s.seq),
			name:     it.name,
			key:      key,
			instance: it.instance,
			failMsg:  it.failMsg,
			created:  now,
			duration: s.cfg.taskDuration,
			finalAt:  now.Add(s.cfg.taskDuration),
			effect:   it.effect,
			result:   it.result,
		}
		if d.failMsg == "" {
			d.failMsg = s.scriptedFailure(action, key)
		}
		if dom := s.domains[key]; dom != nil && d.instance == "" {
			d.instance = dom.instanceID
		}
		t.details = append(t.details, d)
		s.pending = append(s.pending, d)
	}
	s.settle(now)
	s.tasks = append(s.tasks, t)
	s.taskByNo[t.no] = t
	return t
}

// requestSubjects returns what a request names, in order: its domains
// (DomainName, DomainName.N, a struct or JSON list's DomainName fields,
// DomainNames.N or a JSON DomainNames),
// else its instance ids (InstanceId, InstanceId.N), else its e-mail
// addresses (Email, Email.N); instance reports which.
func requestSubjects(a *catalog.Action, p params) (names []string, instance bool) {
	for _, field := range []string{"DomainName", "DomainNames", "InstanceId", "Email"} {
		names = fieldValues(a, p, field)
		if len(names) > 0 {
			return names, field == "InstanceId"
		}
	}
	return nil, false
}

// fieldValues collects the values of the parameter or list field named
// field, in request order.
func fieldValues(a *catalog.Action, p params, field string) []string {
	var out []string
	for _, prm := range a.Params {
		switch {
		case prm.Wire == field && prm.List == catalog.Flat:
			if v := p[field]; v != "" {
				out = append(out, v)
			}
		case prm.Wire == field && prm.List == catalog.Repeated:
			for n := 1; p[field+"."+strconv.Itoa(n)] != ""; n++ {
				out = append(out, p[field+"."+strconv.Itoa(n)])
			}
		case prm.List == catalog.RepeatedStruct && hasField(prm, field):
			for n := 1; ; n++ {
				base := prm.Wire + "." + strconv.Itoa(n) + "."
				if !hasItem(p, base) {
					break
				}
				if v := p[base+field]; v != "" {
					out = append(out, v)
				}
			}
		case prm.Wire == field && prm.List == catalog.JSONList && len(prm.Fields) == 0:
			var items []string
			_ = json.Unmarshal([]byte(p[field]), &items)
			for _, v := range items {
				if v != "" {
					out = append(out, v)
				}
			}
		case prm.List == catalog.JSONList && hasField(prm, field):
			var items []map[string]any
			_ = json.Unmarshal([]byte(p[prm.Wire]), &items)
			for _, it := range items {
				if v, ok := it[field].(string); ok && v != "" {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

func hasField(prm *catalog.Param, field string) bool {
	for _, f := range prm.Fields {
		if f.Wire == field {
			return true
		}
	}
	return false
}

func hasItem(p params, base string) bool {
	for k := range p {
		if strings.HasPrefix(k, base) {
			return true
		}
	}
	return false
}

// generic answers an action that has no state-aware handler: an answer of
// the catalog's shape with plausible values, merged with SetAnswer's; a
// task write creates its task, page and cursor lists page through their
// list, partial-success answers list every subject as a success.
func (s *Server) generic(c *actionCall) (any, *gatewayError) {
	a := catalogAction(c.action)
	subjects, byInstance := requestSubjects(a, c.p)
	g := &sampler{a: a, p: c.p, now: c.now, domain: "example.com"}
	if len(subjects) > 0 && !byInstance && strings.Contains(subjects[0], ".") && !strings.Contains(subjects[0], "@") {
		g.domain = subjects[0]
	}
	ans := g.object(a.Answer)
	if e := a.Envelope; e != nil {
		setPath(ans, e.Success, true)
		setPath(ans, e.Code, "")
		setPath(ans, e.Message, "")
		setPath(ans, e.Status, int64(200))
	}
	if pr := a.Partial; pr != nil {
		s.partial(ans, pr, subjects)
	}
	s.mu.Lock()
	override := s.data.answers[c.action]
	s.mu.Unlock()
	if override != nil {
		ans = merge(ans, override)
	}
	if a.Kind == catalog.TaskWrite {
		items := make([]taskItem, 0, max(len(subjects), 1))
		for _, v := range subjects {
			if byInstance {
				items = append(items, taskItem{instance: v})
			} else {
				items = append(items, taskItem{name: v})
			}
		}
		if len(items) == 0 {
			items = append(items, taskItem{})
		}
		t := s.createTask(c.action, items, clientIP(c.p, c.r), c.now)
		setPath(ans, "TaskNo", t.no)
	}
	if pg := a.Paging; pg != nil {
		if err := s.page(ans, pg, c.p); err != nil {
			return nil, err
		}
	}
	if cur := a.Cursor; cur != nil {
		if err := cursorPage(a, ans, cur, c.p); err != nil {
			return nil, err
		}
	}
	ans["RequestId"] = c.reqID
	return answer(ans), nil
}

// partial fills a partial-success answer: every subject of the request in
// the success list, none in the fail list.
func (s *Server) partial(ans map[string]any, pr *catalog.Partial, subjects []string) {
	tmpl, _ := getPath(ans, pr.Success).([]any)
	list := make([]any, 0, len(subjects))
	for _, v := range subjects {
		if len(tmpl) > 0 {
			if m, ok := tmpl[0].(map[string]any); ok {
				item := merge(m, nil)
				for _, k := range []string{"DomainName", "Domain", "Email"} {
					if _, ok := item[k]; ok {
						item[k] = v
					}
				}
				list = append(list, item)
				continue
			}
		}
		list = append(list, v)
	}
	setPath(ans, pr.Success, list)
	setPath(ans, pr.Fail, []any{})
}

// page serves one page of a page list's list (see SetAnswer) and sets the
// paging fields the catalog names.
func (s *Server) page(ans map[string]any, pg *catalog.Paging, p params) *gatewayError {
	num, size, err := s.pageParams(p)
	if err != nil {
		return err
	}
	all, _ := getPath(ans, pg.Items).([]any)
	lo, hi, pi := paginate("", len(all), num, size)
	setPath(ans, pg.Items, append([]any{}, all[lo:hi]...))
	setPath(ans, pg.Total, int64(pi.TotalItemNum))
	setPath(ans, pg.Current, int64(pi.CurrentPageNum))
	setPath(ans, pg.TotalPages, int64(pi.TotalPageNum))
	setPath(ans, pg.Next, pi.NextPage)
	setPath(ans, pg.Prev, pi.PrePage)
	if _, ok := ans["PageSize"]; ok && pg.PageSize == "PageSize" {
		ans["PageSize"] = int64(size)
	}
	return nil
}

// cursorPrefix marks the Server's string cursors; integer cursors are the
// offset itself.
const cursorPrefix = "cursor-"

// cursorPage serves the part of a cursor list's list the request's cursor
// points at, and the cursor of the next part; after the last part the
// cursor is empty (a string cursor) or absent (a cursor object), so that a
// client following it stops.
func cursorPage(a *catalog.Action, ans map[string]any, cur *catalog.Cursor, p params) *gatewayError {
	size := 20
	if cur.PageSize != "" {
		if prm := a.Param(cur.PageSize); prm != nil && prm.Default != "" {
			size, _ = strconv.Atoi(prm.Default)
		}
		if v := p[cur.PageSize]; v != "" {
			n, ok := wireInt(v)
			if !ok || n < 1 {
				return errInvalid(cur.PageSize)
			}
			size = int(min(n, 10000))
		}
	}
	off := 0
	names := make([]string, 0, len(cur.Params))
	for name := range cur.Params {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v := p[name]
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimPrefix(v, cursorPrefix))
		if err != nil || n < 0 {
			return errInvalid(name)
		}
		off = n
	}
	all, _ := getPath(ans, cur.Items).([]any)
	lo := min(off, len(all))
	hi := min(lo+size, len(all))
	setPath(ans, cur.Items, append([]any{}, all[lo:hi]...))
	for _, name := range names {
		path := cur.Params[name]
		switch {
		case hi < len(all):
			if f := catalog.FindField(a.Answer, path); f != nil && f.Type != "string" {
				setPath(ans, path, int64(hi))
			} else {
				setPath(ans, path, cursorPrefix+strconv.Itoa(hi))
			}
		case strings.Contains(path, "."):
			parent := path[:strings.LastIndexByte(path, '.')]
			deletePath(ans, parent)
		default:
			setPath(ans, path, "")
		}
	}
	return nil
}

// sampler builds an answer of an action's shape with plausible values.
type sampler struct {
	a      *catalog.Action
	p      params
	now    time.Time
	domain string
}

func (g *sampler) object(fs []*catalog.Field) map[string]any {
	m := make(map[string]any, len(fs))
	for _, f := range fs {
		m[f.Wire] = g.value(f)
	}
	return m
}

func (g *sampler) value(f *catalog.Field) any {
	switch f.Type {
	case "object":
		return g.object(f.Fields)
	case "any":
		return map[string]any{}
	case "array":
		switch f.Elem {
		case "object":
			return []any{g.object(f.Fields)}
		case "any", "":
			return []any{}
		}
		return []any{g.scalar(f, f.Elem)}
	}
	return g.scalar(f, f.Type)
}

// silent are answer fields that are empty on success.
var silent = map[string]bool{
	"ErrorCode": true, "ErrorMsg": true, "ErrorMessage": true, "Code": true,
	"Message": true, "FailReason": true, "DynamicCode": true, "DynamicMessage": true,
}

func (g *sampler) scalar(f *catalog.Field, typ string) any {
	name := f.Wire
	switch typ {
	case "string":
		switch {
		case silent[name]:
			return ""
		case f.Secret:
			return randomAlnum(16)
		case strings.Contains(name, "DomainName") || name == "Domain":
			return g.domain
		case g.p[name] != "" && g.a.Param(name) != nil && !g.a.Param(name).Secret:
			return g.p[name]
		case strings.HasSuffix(name, "Time") || strings.HasSuffix(name, "Date"):
			return formatCST(g.now)
		case strings.Contains(name, "Email"):
			return "admin@example.com"
		case strings.Contains(name, "Dns") || strings.HasSuffix(name, "Server"):
			return "dns1.hichina.com"
		case name == "InstanceId":
			return "S20261206000001"
		case strings.HasSuffix(name, "Currency"):
			return "USD"
		case strings.HasSuffix(name, "Ip"):
			return "192.0.2.1"
		case strings.HasSuffix(name, "Status"):
			return "SUCCEED"
		}
		return "example"
	case "integer", "int32", "int64", "long":
		if f.Time != "" || strings.HasSuffix(name, "Long") || strings.HasSuffix(name, "Date") || strings.HasSuffix(name, "Time") {
			return g.now.UnixMilli()
		}
		if n, ok := wireInt(g.p[name]); ok && g.a.Param(name) != nil {
			return n
		}
		return int64(1)
	case "float", "double":
		return 10.5
	case "boolean":
		return strings.Contains(name, "Success") || name == "Result" || strings.HasPrefix(name, "Avail")
	}
	return "example"
}

// normalize turns a test's answer into plain JSON values (maps, []any,
// strings, json.Number, booleans), so that merging and both encodings see
// one form.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("alidomaintest: SetAnswer: the answer is not JSON: %v", err))
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var out any
	if err := d.Decode(&out); err != nil {
		panic(fmt.Sprintf("alidomaintest: SetAnswer: %v", err))
	}
	return out
}

// merge returns a copy of dst with src merged over it (see SetAnswer).
func merge(dst, src map[string]any) map[string]any {
	out := make(map[string]any, len(dst)+len(src))
	for k, v := range dst {
		if m, ok := v.(map[string]any); ok {
			v = merge(m, nil)
		}
		out[k] = v
	}
	for k, v := range src {
		switch sv := v.(type) {
		case map[string]any:
			if dm, ok := out[k].(map[string]any); ok {
				out[k] = merge(dm, sv)
				continue
			}
			out[k] = merge(sv, nil)
		case []any:
			var tmpl map[string]any
			if dl, ok := out[k].([]any); ok && len(dl) > 0 {
				tmpl, _ = dl[0].(map[string]any)
			}
			list := make([]any, len(sv))
			for i, e := range sv {
				if em, ok := e.(map[string]any); ok {
					if tmpl == nil {
						tmpl = map[string]any{}
					}
					e = merge(tmpl, em) // a copy: the test's value stays untouched
				}
				list[i] = e
			}
			out[k] = list
		default:
			out[k] = v
		}
	}
	return out
}

// getPath returns the value at a dotted path, or nil.
func getPath(m map[string]any, path string) any {
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	return cur
}

// setPath sets the value at a dotted path, creating objects on the way; an
// empty path sets nothing.
func setPath(m map[string]any, path string, v any) {
	if path == "" {
		return
	}
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
}

// deletePath removes the value at a dotted path.
func deletePath(m map[string]any, path string) {
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			return
		}
		m = next
	}
	delete(m, keys[len(keys)-1])
}

// answer is a generic answer. It encodes in JSON as a map and in XML as
// the service writes it: keys in order, a list as its elements repeated
// under the list's name.
type answer map[string]any

// MarshalXML writes the answer as the root element start.
func (a answer) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := xmlFields(e, a); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

func xmlFields(e *xml.Encoder, m map[string]any) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := xmlValue(e, k, m[k]); err != nil {
			return err
		}
	}
	return nil
}

func xmlValue(e *xml.Encoder, name string, v any) error {
	el := xml.StartElement{Name: xml.Name{Local: name}}
	switch x := v.(type) {
	case nil:
		return nil
	case map[string]any:
		if err := e.EncodeToken(el); err != nil {
			return err
		}
		if err := xmlFields(e, x); err != nil {
			return err
		}
		return e.EncodeToken(el.End())
	case answer:
		return xmlValue(e, name, map[string]any(x))
	case string:
		return e.EncodeElement(x, el)
	case json.Number:
		return e.EncodeElement(x.String(), el)
	case float64:
		return e.EncodeElement(strconv.FormatFloat(x, 'f', -1, 64), el)
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice {
		for i := 0; i < rv.Len(); i++ {
			if err := xmlValue(e, name, rv.Index(i).Interface()); err != nil {
				return err
			}
		}
		return nil
	}
	return e.EncodeElement(fmt.Sprint(v), el)
}
