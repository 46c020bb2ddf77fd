package alidomain

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"
)

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

// wirePage holds the paging fields of every list response.
type wirePage struct {
	wireMeta
	TotalItemNum   flexInt   `json:"TotalItemNum" xml:"TotalItemNum"`
	CurrentPageNum flexInt   `json:"CurrentPageNum" xml:"CurrentPageNum"`
	TotalPageNum   flexInt   `json:"TotalPageNum" xml:"TotalPageNum"`
	PageSize       flexInt   `json:"PageSize" xml:"PageSize"`
	NextPage       *flexBool `json:"NextPage" xml:"NextPage"`
}

// page converts the paging fields. When NextPage is absent, a next page
// exists if the current page number is below the number of pages.
func (w *wirePage) page() Page {
	p := Page{
		PageNum:    int(w.CurrentPageNum),
		PageSize:   int(w.PageSize),
		TotalPages: int(w.TotalPageNum),
		TotalItems: int(w.TotalItemNum),
	}
	if w.NextPage != nil {
		p.HasNext = bool(*w.NextPage)
	} else {
		p.HasNext = p.PageNum > 0 && p.PageNum < p.TotalPages
	}
	return p
}

// decodeListJSON decodes the Data member of a list response, normally
// {"<key>":[item, ...]}, tolerating the shapes the service and the gateways
// in front of it produce for few or no items: Data or the list absent, null,
// "" , {} or []; a single item sent as an object instead of a list; and the
// list sent directly as Data.
func decodeListJSON[T any](b []byte, key string) ([]T, error) {
	b = trimJSON(b)
	if emptyJSON(b) {
		return nil, nil
	}
	switch b[0] {
	case '[':
		var items []T
		if err := json.Unmarshal(b, &items); err != nil {
			return nil, err
		}
		return items, nil
	case '{':
	default:
		return nil, fmt.Errorf("Data is neither an object nor a list: %.40q", b)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	raw, ok := m[key]
	if !ok {
		for k, v := range m {
			if strings.EqualFold(k, key) {
				raw, ok = v, true
				break
			}
		}
	}
	if !ok {
		return nil, nil
	}
	raw = trimJSON(raw)
	if emptyJSON(raw) {
		return nil, nil
	}
	switch raw[0] {
	case '[':
		var items []T
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("Data.%s: %w", key, err)
		}
		return items, nil
	case '{':
		var item T
		if err := json.Unmarshal(raw, &item); err != nil {
			return nil, fmt.Errorf("Data.%s: %w", key, err)
		}
		return []T{item}, nil
	}
	return nil, fmt.Errorf("Data.%s is neither an object nor a list: %.40q", key, raw)
}

func trimJSON(b []byte) []byte { return bytes.TrimSpace(b) }

// emptyJSON reports whether b is null, "", {} or [] (with any inner space).
func emptyJSON(b []byte) bool {
	s := string(b)
	switch s {
	case "", "null", `""`:
		return true
	}
	if len(s) >= 2 && (s[0] == '{' && s[len(s)-1] == '}' || s[0] == '[' && s[len(s)-1] == ']') {
		return strings.TrimSpace(s[1:len(s)-1]) == ""
	}
	return false
}

// chinaTime is China Standard Time, in which the service writes its date strings.
var chinaTime = time.FixedZone("CST", 8*60*60)

// serviceTimeLayouts are the layouts of the date strings the service sends;
// those without a zone are read in China Standard Time.
var serviceTimeLayouts = []string{
	"2006-01-02 15:04:05",
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"Jan 2,2006 15:04:05",
	"Jan 2, 2006 15:04:05",
	"2006-01-02",
}

// parseServiceTime parses a date the service wrote as a string (see
// serviceTimeLayouts) or as Unix milliseconds, and returns it in UTC. An
// empty string is the zero time.
func parseServiceTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		if ms == 0 {
			return time.Time{}, nil
		}
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range serviceTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, chinaTime); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %.40q", s)
}

// serviceTime decodes a date sent as "2006-01-02 15:04:05" (China Standard
// Time), another layout of serviceTimeLayouts, or Unix milliseconds as a
// number or a numeric string; empty and null are the zero time. The result
// is in UTC.
type serviceTime time.Time

// UnmarshalJSON accepts a date string, a number of milliseconds or null.
func (t *serviceTime) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else if string(b) != "null" {
		s = string(b)
	}
	v, err := parseServiceTime(s)
	if err != nil {
		return err
	}
	*t = serviceTime(v)
	return nil
}

// UnmarshalXML accepts an element whose text is a date or milliseconds.
func (t *serviceTime) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	v, err := parseServiceTime(s)
	if err != nil {
		return err
	}
	*t = serviceTime(v)
	return nil
}

// optionalInt is an integer that remembers whether it was sent at all.
type optionalInt struct {
	v  int64
	ok bool
}

// UnmarshalJSON accepts what flexInt does; "" and null leave it unset.
func (n *optionalInt) UnmarshalJSON(b []byte) error {
	s, err := jsonScalarText(b)
	if err != nil {
		return err
	}
	return n.set(s)
}

// UnmarshalXML accepts an element whose text is an integer or empty.
func (n *optionalInt) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	return n.set(s)
}

// set parses the text of the integer; blank or null leaves it unset.
func (n *optionalInt) set(s string) error {
	if s = strings.TrimSpace(s); s == "" || s == "null" {
		*n = optionalInt{}
		return nil
	}
	v, err := parseFlexInt(s)
	if err != nil {
		return err
	}
	*n = optionalInt{v: int64(v), ok: true}
	return nil
}

// defaultPageSize is the page size sent when a request leaves PageSize at
// zero: the service's documented default, sent explicitly because some
// list actions document PageNum and PageSize as required.
const defaultPageSize = 20

// pageNum returns the page number to send: n, or 1 for zero.
func pageNum(n int) int { return max(n, 1) }

// pageSize returns the page size to send: n, or defaultPageSize for zero.
func pageSize(n int) int {
	if n == 0 {
		return defaultPageSize
	}
	return n
}

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
