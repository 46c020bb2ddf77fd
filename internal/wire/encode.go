package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-querystring/query"
)

// Request structs declare their wire names once, in `url` tags with
// go-querystring's syntax:
//
//	DomainName string    `url:"DomainName,omitempty"`   // zero value not sent
//	UseCoupon  bool      `url:"UseCoupon"`              // sent as true or false
//	Expires    time.Time `url:"Expires,unixmilli"`      // Unix milliseconds
//	Domains    []X       `url:"OrderRedeemParam"`       // OrderRedeemParam.1.<X's tags>
//	Prices     []Y       `url:"Domains,json"`           // one parameter, a JSON array
//	Custom     T         `url:"Name"`                   // T implements query.Encoder
//	Lang       string    `url:"Lang,omitempty"`         // resolved with Options.Lang
//	Years      int       `url:"Years,default=1"`        // zero value sent as 1
//	Embedded                                           // untagged embedded struct: its fields
//
// EncodeRequest turns such a struct into the sorted, escaped parameter list
// in one pass: fields are visited in the order of their wire names (sorted
// once per type), and a list's keys are produced in canonical order (the
// indices as strings, 1, 10, 100, 11, ...), so nothing is sorted per call.
// go-querystring itself is used for fields whose type implements its
// Encoder; scalar fields are written directly (BenchmarkEncodeOnce: the
// go-querystring round trip through url.Values cost a third of a 1-domain
// call and, at 1,000 domains, more than the whole floor).

// fieldKind is how a field is written.
type fieldKind uint8

const (
	kindString fieldKind = iota
	kindBool
	kindInt
	kindUint
	kindMillis  // time.Time as Unix milliseconds
	kindList    // a slice, flattened as Key.N or Key.N.Field
	kindJSON    // any value, sent as one JSON text
	kindEncoder // a go-querystring Encoder
)

// fieldPlan is one wire field of a struct type.
type fieldPlan struct {
	name      string // wire name
	sortKey   string // name, or name+"." for a list
	index     []int  // of the field, through untagged embedded structs
	kind      fieldKind
	omitempty bool
	def       string      // default=: the text sent for the zero value
	ptr       bool        // the field is a pointer to the kind; nil is not sent
	elem      *structPlan // list of structs: the element's fields
	elemKind  fieldKind   // list of scalars: the element's kind
}

// structPlan is the encoding of a struct type, its fields in wire-name order.
type structPlan struct {
	fields   []fieldPlan
	lang     int  // index of the Lang field, or -1
	unsorted bool // an Encoder field writes keys of its own: sort at the end
}

var plans sync.Map // reflect.Type -> *structPlan

var (
	timeType    = reflect.TypeFor[time.Time]()
	encoderType = reflect.TypeFor[query.Encoder]()
)

// planFor returns the plan of struct type t, made once.
func planFor(t reflect.Type) (*structPlan, error) {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan), nil
	}
	p, err := makePlan(t, true)
	if err != nil {
		return nil, err
	}
	plans.Store(t, p)
	return p, nil
}

func makePlan(t reflect.Type, top bool) (*structPlan, error) {
	p := &structPlan{lang: -1}
	if err := p.addFields(t, nil, top); err != nil {
		return nil, err
	}
	slices.SortFunc(p.fields, func(a, b fieldPlan) int { return strings.Compare(a.sortKey, b.sortKey) })
	for i := 1; i < len(p.fields); i++ {
		if a, b := p.fields[i-1], p.fields[i]; a.sortKey == b.sortKey || strings.HasPrefix(b.sortKey, a.sortKey) && a.kind == kindList {
			return nil, fmt.Errorf("alidomain: %s: wire names %q and %q overlap", t, a.name, b.name)
		}
	}
	return p, nil
}

// addFields adds the tagged fields of struct type t, whose index path in
// the planned type is at, and those of its untagged embedded structs.
func (p *structPlan) addFields(t reflect.Type, at []int, top bool) error {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("url")
		index := append(append([]int(nil), at...), i)
		if sf.Anonymous && tag == "" && sf.Type.Kind() == reflect.Struct && sf.Type != timeType {
			if err := p.addFields(sf.Type, index, top); err != nil {
				return err
			}
			continue
		}
		if !sf.IsExported() || tag == "" || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		f := fieldPlan{name: name, sortKey: name, index: index}
		has := func(o string) bool { return slices.Contains(strings.Split(opts, ","), o) }
		f.omitempty = has("omitempty")
		for _, o := range strings.Split(opts, ",") {
			if v, ok := strings.CutPrefix(o, "default="); ok {
				f.def = v
			}
		}
		ft := sf.Type
		switch {
		case has("json"):
			f.kind = kindJSON
		case ft.Implements(encoderType):
			f.kind = kindEncoder
			p.unsorted = true
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && ft.Elem() != timeType:
			if !top {
				return fmt.Errorf("alidomain: %s.%s: a list inside a list element", t, sf.Name)
			}
			ep, err := makePlan(ft.Elem(), false)
			if err != nil {
				return err
			}
			f.kind, f.elem, f.sortKey = kindList, ep, name+"."
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() != reflect.Uint8:
			k, err := scalarKind(ft.Elem(), has("unixmilli"))
			if err != nil {
				return fmt.Errorf("alidomain: %s.%s: %w", t, sf.Name, err)
			}
			f.kind, f.elemKind, f.sortKey = kindList, k, name+"."
		default:
			if ft.Kind() == reflect.Pointer {
				f.ptr, ft = true, ft.Elem()
			}
			k, err := scalarKind(ft, has("unixmilli"))
			if err != nil {
				return fmt.Errorf("alidomain: %s.%s: %w", t, sf.Name, err)
			}
			f.kind = k
		}
		if top && len(at) == 0 && name == "Lang" && f.kind == kindString && !f.ptr {
			p.lang = i
			continue // sent with the common parameters
		}
		p.fields = append(p.fields, f)
	}
	return nil
}

func scalarKind(t reflect.Type, millis bool) (fieldKind, error) {
	switch {
	case t == timeType:
		if !millis {
			return 0, fmt.Errorf("time.Time needs the unixmilli option")
		}
		return kindMillis, nil
	case t.Kind() == reflect.String:
		return kindString, nil
	case t.Kind() == reflect.Bool:
		return kindBool, nil
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		return kindInt, nil
	case t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64:
		return kindUint, nil
	}
	return 0, fmt.Errorf("type %s cannot be encoded", t)
}

// encoder writes the escaped keys and values of one request into one
// string, each param cut from it as soon as it is written (the Builder
// never changes bytes it has written, so earlier cuts stay valid).
type encoder struct {
	b         strings.Builder
	ps        Params
	key0, val int // where the current param's key and value start
	num       [24]byte
}

// EncodeRequest encodes the struct (or pointer to struct) v: its parameters
// sorted and escaped, and its Lang field (not among them).
func EncodeRequest(v any) (Params, string, error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, "", nil
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil, "", fmt.Errorf("alidomain: encoding a request of type %s: not a struct", rv.Type())
	}
	p, err := planFor(rv.Type())
	if err != nil {
		return nil, "", err
	}
	var lang string
	if p.lang >= 0 {
		lang = rv.Field(p.lang).String()
	}
	var e encoder
	size, count := p.sizeHint(rv)
	e.b.Grow(size)
	e.ps = make(Params, 0, count)
	var extra *url.Values // made for the first Encoder field
	for i := range p.fields {
		f := &p.fields[i]
		fv := rv.FieldByIndex(f.index)
		switch f.kind {
		case kindList:
			e.list(f, fv)
		case kindEncoder:
			if extra == nil {
				extra = &url.Values{}
			}
			if err := fv.Interface().(query.Encoder).EncodeValues(f.name, extra); err != nil {
				return nil, "", fmt.Errorf("alidomain: encoding %s: %w", f.name, err)
			}
		case kindJSON:
			if f.omitempty && fv.IsZero() {
				continue
			}
			b, err := marshalJSONParam(fv.Interface())
			if err != nil {
				return nil, "", fmt.Errorf("alidomain: encoding %s: %w", f.name, err)
			}
			e.key(nil, f.name)
			e.escape(string(b))
			e.end()
		default:
			if f.ptr {
				if fv.IsNil() {
					continue
				}
				fv = fv.Elem()
			}
			e.scalar(nil, f.name, f.kind, fv, f.omitempty, f.def)
		}
	}
	ps := e.ps
	if p.unsorted {
		ps = append(ps, EncodeValues(*extra)...)
		slices.SortStableFunc(ps, func(a, b Param) int { return strings.Compare(a.SortKey(), b.SortKey()) })
	}
	return ps, lang, nil
}

// marshalJSONParam returns v as the official SDKs write a JSON parameter
// (dara.Stringify): no HTML escaping of <, > and &, no spaces, no newline.
func marshalJSONParam(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// sizeHint guesses the encoded size and the number of parameters, so that
// neither the string nor the Params grow.
func (p *structPlan) sizeHint(rv reflect.Value) (size, count int) {
	size = 16
	for i := range p.fields {
		f := &p.fields[i]
		if f.kind != kindList {
			size += len(f.name) + 24
			count++
			continue
		}
		n, per := rv.FieldByIndex(f.index).Len(), 1
		if f.elem != nil {
			per = len(f.elem.fields)
		}
		size += n * per * (len(f.name) + 40)
		count += n * per
	}
	return size, count
}

// key starts a parameter named field, pre (a list's Key.N) or pre.field;
// wire names are unreserved, so they need no escaping.
func (e *encoder) key(pre []byte, field string) {
	e.key0 = e.b.Len()
	e.b.Write(pre)
	if len(pre) > 0 && field != "" {
		e.b.WriteByte('.')
	}
	e.b.WriteString(field)
	e.val = e.b.Len()
}

// escape writes s percent-encoded per RFC 3986, copying unreserved runs.
func (e *encoder) escape(s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; !unreserved[c] {
			e.b.WriteString(s[start:i])
			e.b.Write([]byte{'%', upperhex[c>>4], upperhex[c&15]})
			start = i + 1
		}
	}
	e.b.WriteString(s[start:])
}

// end ends the current parameter's value.
func (e *encoder) end() {
	s := e.b.String()
	e.ps = append(e.ps, Param{Key: s[e.key0:e.val], Value: s[e.val:]})
}

// scalar writes one scalar parameter (see key), unless omitempty and zero;
// a zero value with a default (def) is sent as the default.
func (e *encoder) scalar(pre []byte, field string, k fieldKind, v reflect.Value, omitempty bool, def string) {
	if def != "" && v.IsZero() {
		e.key(pre, field)
		e.escape(def)
		e.end()
		return
	}
	if omitempty && v.IsZero() {
		return
	}
	var ms int64
	if k == kindMillis {
		t := timeOf(v)
		if t.IsZero() {
			return // validation rejects a zero time where one is required
		}
		ms = t.UnixMilli()
	}
	e.key(pre, field)
	switch k {
	case kindString:
		e.escape(v.String())
	case kindBool:
		e.b.WriteString(strconv.FormatBool(v.Bool()))
	case kindInt:
		e.b.Write(strconv.AppendInt(e.num[:0], v.Int(), 10))
	case kindUint:
		e.b.Write(strconv.AppendUint(e.num[:0], v.Uint(), 10))
	case kindMillis:
		e.b.Write(strconv.AppendInt(e.num[:0], ms, 10))
	}
	e.end()
}

// timeOf returns the time.Time in v without boxing a copy of it.
func timeOf(v reflect.Value) *time.Time {
	if v.CanAddr() {
		return v.Addr().Interface().(*time.Time)
	}
	t := v.Interface().(time.Time)
	return &t
}

// list flattens a slice as Key.N (scalars) or Key.N.Field (structs), N from
// 1, in canonical order.
func (e *encoder) list(f *fieldPlan, v reflect.Value) {
	var buf [64]byte
	for n := firstIndex(v.Len()); n != 0; n = nextIndex(n, v.Len()) {
		el := v.Index(n - 1)
		pre := strconv.AppendInt(append(append(buf[:0], f.name...), '.'), int64(n), 10)
		if f.elem == nil {
			e.scalar(pre, "", f.elemKind, el, false, "")
			continue
		}
		for i := range f.elem.fields {
			ef := &f.elem.fields[i]
			fv := el.FieldByIndex(ef.index)
			if ef.ptr {
				if fv.IsNil() {
					continue
				}
				fv = fv.Elem()
			}
			e.scalar(pre, ef.name, ef.kind, fv, ef.omitempty, ef.def)
		}
	}
}

// firstIndex and nextIndex walk 1..n in the order of their decimal strings
// (1, 10, 100, 11, ..., 2, 20, ...); 0 ends the walk.
func firstIndex(n int) int { return min(n, 1) }

func nextIndex(i, n int) int {
	if i*10 <= n {
		return i * 10
	}
	for i%10 == 9 || i+1 > n {
		if i /= 10; i == 0 {
			return 0
		}
	}
	return i + 1
}

// CloneRequest returns a copy of the request struct r whose pointer fields
// point at copies, so that a caller changing them later changes nothing.
func CloneRequest[T any](r T) T {
	v := reflect.ValueOf(&r).Elem()
	if v.Kind() != reflect.Struct {
		return r
	}
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.Pointer && !f.IsNil() && f.CanSet() {
			c := reflect.New(f.Type().Elem())
			c.Elem().Set(f.Elem())
			f.Set(c)
		}
	}
	return r
}
