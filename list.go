package alidomain

import (
	"context"
	"encoding/xml"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// Page describes where a page of a list stands.
type Page struct {
	// PageNum is this page's number, from 1.
	PageNum int
	// PageSize is the number of items per page.
	PageSize int
	// TotalPages is the number of pages.
	TotalPages int
	// TotalItems is the number of items over all pages.
	TotalItems int
	// HasNext reports whether another page follows.
	HasNext bool
}

// listPage is one page of any list; DomainPage, TaskPage and
// TaskDetailPage have its layout.
type listPage[T any] struct {
	Meta
	Page
	Items []T
}

// listItem is the wire form of a list's item: the element it is listed
// under in Data, and its conversion (which may refuse it).
type listItem[T any] interface {
	listKey() string
	item() (T, error)
}

// listResponse is the answer of every list action.
type listResponse[W listItem[T], T any] struct {
	wireMeta
	wirePage
	Data *listData[W, T] `json:"Data" xml:"Data"`

	items []T // set by convert
}

// convert refuses an answer that cannot be checked (a paging field
// missing) or whose items contradict its total, and converts the items. A
// page without Data is an empty page only when TotalItemNum says there is
// nothing to list (an account without matching domains is answered so);
// with a non-zero total, a page within the list that holds no items is an
// error, never an empty page.
func (r *listResponse[W, T]) convert() error {
	missing := r.wirePage.missing()
	if r.Data == nil && missing != "" {
		return fmt.Errorf("the response has no Data and no %s", missing)
	}
	var wire []W
	if r.Data != nil {
		wire = r.Data.items
	}
	r.items = make([]T, len(wire))
	for i := range wire {
		it, err := wire[i].item()
		if err != nil {
			return fmt.Errorf("item %d of the page: %w", i+1, err)
		}
		r.items[i] = it
	}
	if missing != "" {
		return fmt.Errorf("the response has no %s", missing)
	}
	if total := r.TotalItemNum.V; len(wire) == 0 && total != 0 {
		if r.Data == nil {
			return fmt.Errorf("the response has no Data, and TotalItemNum is %d", total)
		}
		if r.withinList() {
			return fmt.Errorf("page %d lists no items, and TotalItemNum is %d", r.CurrentPageNum.V, total)
		}
	}
	return nil
}

// listData is the Data member: {"<key>":[...]} in JSON (in the shapes
// wire.DecodeListJSON tolerates), repeated <key> elements in XML.
type listData[W listItem[T], T any] struct{ items []W }

// UnmarshalJSON decodes the items listed under W's key.
func (d *listData[W, T]) UnmarshalJSON(b []byte) error {
	var zero W
	items, err := wire.DecodeListJSON[W](b, zero.listKey())
	d.items = items
	return err
}

// UnmarshalXML decodes the child elements named by W's key.
func (d *listData[W, T]) UnmarshalXML(dec *xml.Decoder, start xml.StartElement) error {
	var zero W
	key := zero.listKey()
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local != key {
				if err := dec.Skip(); err != nil {
					return err
				}
				continue
			}
			var w W
			if err := dec.DecodeElement(&w, &el); err != nil {
				return err
			}
			d.items = append(d.items, w)
		case xml.EndElement:
			return nil
		}
	}
}

// wirePage holds the paging fields of every list response; all but
// NextPage are required.
type wirePage struct {
	TotalItemNum   wire.OptionalInt `json:"TotalItemNum" xml:"TotalItemNum"`
	CurrentPageNum wire.OptionalInt `json:"CurrentPageNum" xml:"CurrentPageNum"`
	TotalPageNum   wire.OptionalInt `json:"TotalPageNum" xml:"TotalPageNum"`
	PageSize       wire.OptionalInt `json:"PageSize" xml:"PageSize"`
	NextPage       *wire.FlexBool   `json:"NextPage" xml:"NextPage"`
}

// missing names the first required paging field the answer left out, or "".
func (w *wirePage) missing() string {
	switch {
	case !w.CurrentPageNum.OK:
		return "CurrentPageNum"
	case !w.TotalItemNum.OK:
		return "TotalItemNum"
	case !w.TotalPageNum.OK:
		return "TotalPageNum"
	case !w.PageSize.OK:
		return "PageSize"
	}
	return ""
}

// withinList reports whether the page is one that must hold items: its
// number is at most the number of pages, as TotalPageNum or TotalItemNum
// and PageSize say (a page asked for beyond the end is empty).
func (w *wirePage) withinList() bool {
	last := w.TotalPageNum.V
	if size := w.PageSize.V; size > 0 {
		last = max(last, (w.TotalItemNum.V+size-1)/size)
	}
	return w.CurrentPageNum.V <= last
}

// page converts the paging fields. When NextPage is absent, a next page
// exists if the current page number is below the number of pages.
func (w *wirePage) page() Page {
	p := Page{
		PageNum:    int(w.CurrentPageNum.V),
		PageSize:   int(w.PageSize.V),
		TotalPages: int(w.TotalPageNum.V),
		TotalItems: int(w.TotalItemNum.V),
	}
	if w.NextPage != nil {
		p.HasNext = bool(*w.NextPage)
	} else {
		p.HasNext = p.PageNum > 0 && p.PageNum < p.TotalPages
	}
	return p
}

// listResult is the result of every list declaration: the page and its
// converted items.
func listResult[W listItem[T], T any](r *listResponse[W, T], m Meta) *listPage[T] {
	return &listPage[T]{Meta: m, Page: r.page(), Items: r.items}
}

// listIter returns an iterator over every item that req selects, page after
// page from req's PageNum (or 1), with the rules of pages. req is
// validated now and copied; it is never modified.
func listIter[Req any, W listItem[T], T any](ctx context.Context, s *service, op *operation[Req, listResponse[W, T], listPage[T]], req *Req, optFns []func(*Options)) iter.Seq2[T, error] {
	if op.validate != nil {
		if err := op.validate(req); err != nil {
			return failedSeq[T](err)
		}
	}
	var r Req
	if req != nil {
		r = wire.CloneRequest(*req)
	}
	optFns = slices.Clone(optFns)
	start, _ := op.paging(&r)
	return pages(ctx, *start, func(ctx context.Context, n int) ([]T, Page, error) {
		pr := r
		num, _ := op.paging(&pr)
		*num = n
		p, err := op.call(ctx, s, &pr, optFns)
		if err != nil {
			return nil, Page{}, err
		}
		return p.Items, p.Page, nil
	})
}

// fetchFunc fetches page pageNum (1-based) of a list.
type fetchFunc[T any] func(ctx context.Context, pageNum int) ([]T, Page, error)

// pages returns an iterator over every item of a paged list, fetched with
// fetch from page start (or 1 when start < 1). It is lazy: nothing is
// fetched until the loop starts, and a loop that breaks early fetches no
// further page. Each loop over it starts again from start.
//
// It stops after the last page: when the page says there is no next one, or
// when its number reaches the number of pages. On a failure it yields the
// zero item with the error once and stops; a server that answers a page
// number that does not advance is such a failure, never an endless loop.
func pages[T any](ctx context.Context, start int, fetch fetchFunc[T]) iter.Seq2[T, error] {
	if start < 1 {
		start = 1
	}
	return func(yield func(T, error) bool) {
		var zero T
		num, last := start, 0
		for {
			items, pg, err := fetch(ctx, num)
			if err != nil {
				yield(zero, err)
				return
			}
			cur := pg.PageNum
			if cur == 0 {
				cur = num // the service did not say; trust the request
			}
			if last != 0 && cur <= last {
				yield(zero, fmt.Errorf("alidomain: paging: asked for page %d, the service answered page %d again after page %d; stopping", num, cur, last))
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if !pg.HasNext || (pg.TotalPages > 0 && cur >= pg.TotalPages) || len(items) == 0 {
				return
			}
			last, num = cur, cur+1
		}
	}
}

// failedSeq returns an iterator that yields (zero, err) once, for a request
// that failed validation: still nothing is sent.
func failedSeq[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// collectSeq gathers every item of seq, or returns its first error.
func collectSeq[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for it, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// defaultPageSize is the page size sent when a request leaves PageSize at
// zero: the service's documented default, sent explicitly because some
// list actions document PageNum and PageSize as required.
const defaultPageSize = 20

// checkPaging validates a request's PageNum and PageSize (limit 0: no upper
// bound) and that a time range does not end before it starts.
func checkPaging(num, size, limit int, startField string, start time.Time, endField string, end time.Time) error {
	switch {
	case num < 0:
		return &ValidationError{Field: "PageNum", Reason: fmt.Sprintf("is %d; pages are numbered from 1 (0 means the first)", num)}
	case size < 0 || limit > 0 && size > limit:
		reason := fmt.Sprintf("is %d; it must not be negative (0 means the default)", size)
		if limit > 0 {
			reason = fmt.Sprintf("is %d; it must be between 1 and %d (0 means the default)", size, limit)
		}
		return &ValidationError{Field: "PageSize", Reason: reason}
	case !start.IsZero() && !end.IsZero() && end.Before(start):
		return &ValidationError{Field: endField, Reason: "is before " + startField}
	}
	return nil
}
