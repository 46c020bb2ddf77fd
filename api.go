package alidomain

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alidomain/alidomain/internal/wire"
)

// API has one typed method per action of the Domain API, generated from
// the catalog (internal/catalog): <Action>(ctx, *<Action>Request, optFns...)
// returns *<Action>Response. Every request is validated before anything is
// sent; reads are retried as reads; every write is sent again only when it
// provably did not take effect, unless the catalog marks it safe to repeat.
// Page and cursor lists also have <Action>Iter, an iterator over every item.
// The friendly services (Redeem, Renew, Domains, Tasks, ...) remain the way
// in for the common work.
type API service

// service returns the shared service the methods call through.
func (a *API) service() *service { return (*service)(a) }

// wireAnswer is the wire form of a generated answer: the gateway's envelope
// and the answer's own fields, decoded from the same body.
type wireAnswer[T any] struct {
	wireMeta
	body T
}

// UnmarshalJSON decodes the envelope and the answer's fields.
func (a *wireAnswer[T]) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &a.wireMeta); err != nil {
		return err
	}
	return wire.DecodeLenientJSON(b, &a.body)
}

// UnmarshalXML decodes the envelope and the answer's fields from the root
// element.
func (a *wireAnswer[T]) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var raw struct {
		Inner []byte `xml:",innerxml"`
	}
	if err := d.DecodeElement(&raw, &start); err != nil {
		return err
	}
	doc := append(append([]byte("<r>"), raw.Inner...), "</r>"...)
	if err := xml.Unmarshal(doc, &a.wireMeta); err != nil {
		return err
	}
	return xml.Unmarshal(doc, &a.body)
}

// inBand is implemented by answers whose envelope reports errors inside an
// HTTP 200 (Success false with an ErrorCode).
type inBand interface {
	inBandError() (code, message string, status int)
}

// envelope returns the gateway's envelope, with an in-band failure of the
// answer's own envelope folded in, so that it is an *APIError.
func (a wireAnswer[T]) Folded() wireMeta {
	m := a.wireMeta
	if _, ok := any(&a.body).(interface{ ownsCode() }); ok {
		m.Code, m.Message = "", "" // a field of the answer (CheckTransferInFeasibility's verdict)
	}
	m = m.Folded()
	if m.Code != "" {
		return m
	}
	if f, ok := any(&a.body).(inBand); ok {
		if code, msg, status := f.inBandError(); code != "" {
			m.Code, m.Message = code, msg
			if status >= 100 && status <= 599 {
				m.Status = status
			}
		}
	}
	return m
}

// setMeta stores the call's Meta in an answer that embeds it.
func (m *Meta) setMeta(v Meta) { *m = v }

// answerResult returns the decoded answer with its Meta.
func answerResult[T any, PT interface {
	*T
	setMeta(Meta)
}](r *wireAnswer[T], m Meta) *T {
	PT(&r.body).setMeta(m)
	return &r.body
}

// checkBody runs the answer's own check (checkAnswer).
func checkBody[T any, PT interface {
	*T
	checkAnswer() error
}](r *wireAnswer[T]) error {
	return PT(&r.body).checkAnswer()
}

// Validation of generated requests: the field is named by its Go name, the
// reason gives the wire name.

func nilRequest(name string) error { return &ValidationError{Field: name, Reason: "is nil"} }

func missingParam(field, wire string) error {
	return &ValidationError{Field: field, Reason: "is required (" + wire + ")"}
}

func tooManyItems(field, wire string, n, max int) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf("has %d items; %s takes at most %d", n, wire, max)}
}

func checkLength(field, wire, v string, max int) error {
	if n := utf8.RuneCountInString(v); n > max {
		return &ValidationError{Field: field, Reason: fmt.Sprintf("has %d characters; %s takes at most %d", n, wire, max)}
	}
	return nil
}

func checkRange(field, wire string, v float64, lo, hi *float64) error {
	if lo != nil && v < *lo || hi != nil && v > *hi {
		r := "is " + strconv.FormatFloat(v, 'f', -1, 64) + "; " + wire + " takes"
		if lo != nil {
			r += " at least " + strconv.FormatFloat(*lo, 'f', -1, 64)
		}
		if hi != nil {
			if lo != nil {
				r += " and"
			}
			r += " at most " + strconv.FormatFloat(*hi, 'f', -1, 64)
		}
		return &ValidationError{Field: field, Reason: r}
	}
	return nil
}

func ptrFloat(f float64) *float64 { return &f }

// Secrets of generated requests.

// appendSecret adds a secret value to s, if there is one.
func appendSecret(s []string, v string) []string {
	if v != "" {
		s = append(s, v)
	}
	return s
}

// redactEach returns a copy of s with each item redacted by f.
func redactEach[T any](s []T, f func(T) T) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i := range s {
		out[i] = f(s[i])
	}
	return out
}

// formatRedacted prints v, a redacted copy of a value of the type name,
// for fmt's verb: %#v under the type's own name, the others as for v.
func formatRedacted(f fmt.State, verb rune, name string, v any) {
	if verb == 'v' && f.Flag('#') {
		s := fmt.Sprintf("%#v", v)
		if i := strings.IndexByte(s, '{'); i >= 0 {
			s = name + s[i:]
		}
		fmt.Fprint(f, s)
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), v)
}

// Iterators of generated lists.

// listPosition builds a Page from a page list's answer; without a next-page
// flag (hasNextFlag false), a next page exists while cur < totalPages.
func listPosition(cur, totalPages, total int, next, hasNextFlag bool) Page {
	p := Page{PageNum: cur, TotalPages: totalPages, TotalItems: total, HasNext: next}
	if !hasNextFlag {
		p.HasNext = cur > 0 && cur < totalPages
	}
	return p
}

// pageItems returns an iterator over the items of every page of a page
// list, with the rules of pages (a page that does not advance is an
// error). req is validated now and copied; it is never modified.
func pageItems[Req, T, Item any](ctx context.Context, s *service, op *operation[Req, wireAnswer[T], T], req *Req, optFns []func(*Options), page func(*T) ([]Item, Page)) iter.Seq2[Item, error] {
	if err := op.validate(req); err != nil {
		return failedSeq[Item](err)
	}
	var r Req
	if req != nil {
		r = wire.CloneRequest(*req)
	}
	optFns = slices.Clone(optFns)
	start, _ := op.paging(&r)
	return pages(ctx, *start, func(ctx context.Context, n int) ([]Item, Page, error) {
		pr := r
		num, _ := op.paging(&pr)
		*num = n
		out, err := op.call(ctx, s, &pr, optFns)
		if err != nil {
			return nil, Page{}, err
		}
		items, pg := page(out)
		return items, pg, nil
	})
}

// cursorItems returns an iterator over the items of every page of a cursor
// list: page gives a page's items, its next cursor (as one comparable
// text) and whether there is one; advance copies the cursor into the next
// request. It stops at an empty page or when no cursor follows; a page
// that repeats the previous one under the same cursor is an error, never an
// endless loop. req is validated now and copied; it is never modified.
func cursorItems[Req, T, Item any](ctx context.Context, s *service, op *operation[Req, wireAnswer[T], T], req *Req, optFns []func(*Options), page func(*T) ([]Item, string, bool), advance func(*Req, *T)) iter.Seq2[Item, error] {
	if err := op.validate(req); err != nil {
		return failedSeq[Item](err)
	}
	var r0 Req
	if req != nil {
		r0 = wire.CloneRequest(*req)
	}
	optFns = slices.Clone(optFns)
	return func(yield func(Item, error) bool) {
		var zero Item
		r := r0
		var lastCursor string
		var lastItems []Item
		for n := 0; ; n++ {
			out, err := op.call(ctx, s, &r, optFns)
			if err != nil {
				yield(zero, err)
				return
			}
			items, cursor, more := page(out)
			if n > 0 && cursor == lastCursor && reflect.DeepEqual(items, lastItems) {
				yield(zero, fmt.Errorf("alidomain: %s: paging: the cursor did not advance (the same page came back); stopping", op.action))
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) == 0 || !more {
				return
			}
			lastCursor, lastItems = cursor, items
			advance(&r, out)
		}
	}
}

// The kinds of actions in knownActions.
type actionKind uint8

const (
	actionRead actionKind = iota
	actionPageList
	actionCursorList
	actionWrite
	actionTaskWrite
	actionPaidOrder
)

// actionInfo is what Client.Call knows of an action.
type actionInfo struct {
	name       string
	kind       actionKind
	repeatSafe bool     // a read, or a write the catalog marks safe to repeat
	result     string   // a write's answer field that shows it was taken (TaskNo), or ""
	secrets    []string // wire names of secret parameters (List.Field in lists)
}

// lookupAction returns what is known of action, whatever its case.
func lookupAction(action string) (*actionInfo, bool) {
	i, found := slices.BinarySearchFunc(knownActions[:], action, func(a actionInfo, t string) int {
		return compareFold(a.name, t)
	})
	if !found {
		return nil, false
	}
	return &knownActions[i], true
}

// compareFold compares ASCII strings as if both were lower-case.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := foldByte(a[i]), foldByte(b[i])
		if ca != cb {
			return int(ca) - int(cb)
		}
	}
	return len(a) - len(b)
}

func foldByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// callIdempotent decides whether Client.Call may repeat action: the
// catalog decides for a known action (a write is never made repeatable by
// the caller's flag); asked decides for an unknown one.
func callIdempotent(action string, asked bool) bool {
	if info, ok := lookupAction(action); ok {
		return info.repeatSafe
	}
	return asked
}

// knownSecretParam reports whether the flattened parameter name (Code, or
// List.3.Code) is one the catalog marks secret for action.
func knownSecretParam(info *actionInfo, name string) bool {
	if info == nil || len(info.secrets) == 0 {
		return false
	}
	parts := strings.Split(name, ".")
	kept := parts[:0]
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			kept = append(kept, p)
		}
	}
	flat := strings.Join(kept, ".")
	for _, s := range info.secrets {
		if strings.EqualFold(s, flat) {
			return true
		}
	}
	return false
}
