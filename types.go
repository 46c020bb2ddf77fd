package alidomain

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-querystring/query"
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

// repeated is a list sent in the RPC style's 1-based form: for the key
// "OrderRedeemParam", element i's field F is sent as OrderRedeemParam.<i+1>.F.
// go-querystring cannot write this itself; this is its Encoder hook.
type repeated[T any] []T

// valuesAppender is implemented (on the pointer) by list elements that
// flatten themselves without reflection.
type valuesAppender interface {
	appendValues(l *listValues)
}

// listValues adds a list's fields to url.Values with a few allocations in
// all, not several per element: keys and formatted numbers are cut from one
// growing buffer, and the one-element []string values from one slice.
// Batches reach thousands of domains.
type listValues struct {
	v     url.Values
	key   string // the list's key
	index int    // the current element's number, from 1
	buf   strings.Builder
	vals  []string
}

func newListValues(v url.Values, key string, n int) *listValues {
	l := &listValues{v: v, key: key, vals: make([]string, 0, 2*n)}
	l.buf.Grow(n * (2*len(key) + 64)) // room for two keys and a number per element
	return l
}

// set adds key.index.name = value.
func (l *listValues) set(name, value string) {
	start := l.buf.Len()
	l.buf.WriteString(l.key)
	l.buf.WriteByte('.')
	var digits [20]byte
	l.buf.Write(strconv.AppendInt(digits[:0], int64(l.index), 10))
	l.buf.WriteByte('.')
	l.buf.WriteString(name)
	// Strings from a Builder stay valid and unchanged as it grows.
	k := l.buf.String()[start:]
	l.vals = append(l.vals, value)
	n := len(l.vals)
	l.v[k] = l.vals[n-1 : n : n] // full slice: an append by anyone copies
}

// setInt adds key.index.name = n in decimal.
func (l *listValues) setInt(name string, n int64) {
	start := l.buf.Len()
	var digits [20]byte
	l.buf.Write(strconv.AppendInt(digits[:0], n, 10))
	l.set(name, l.buf.String()[start:])
}

// EncodeValues writes the elements under key.N.Field, N from 1.
func (r repeated[T]) EncodeValues(key string, v *url.Values) error {
	var l *listValues // made for the first element with a fast path
	for i := range r {
		// &r[i], not r[i]: boxing a pointer does not allocate.
		if a, ok := any(&r[i]).(valuesAppender); ok {
			if l == nil {
				l = newListValues(*v, key, len(r))
			}
			l.index = i + 1
			a.appendValues(l)
			continue
		}
		prefix := key + "." + strconv.Itoa(i+1) + "."
		vals, err := query.Values(r[i])
		if err != nil {
			return fmt.Errorf("%s.%d: %w", key, i+1, err)
		}
		for k, vs := range vals {
			(*v)[prefix+k] = vs
		}
	}
	return nil
}

// flag is a boolean sent as true or false, as go-querystring would send a
// bool, without the fmt.Sprint it formats one with.
type flag bool

// EncodeValues writes the flag as true or false.
func (f flag) EncodeValues(key string, v *url.Values) error {
	(*v)[key] = []string{strconv.FormatBool(bool(f))}
	return nil
}

// millis is a time sent as Unix milliseconds; the zero time is left out
// (validation rejects it where it is required).
type millis time.Time

// EncodeValues writes the time as Unix milliseconds, or nothing when zero.
func (m millis) EncodeValues(key string, v *url.Values) error {
	t := time.Time(m)
	if t.IsZero() {
		return nil
	}
	v.Set(key, strconv.FormatInt(t.UnixMilli(), 10))
	return nil
}

// flexInt decodes an integer sent as a JSON number, a numeric string, an
// empty string or null, as the service does not always send the same.
type flexInt int64

// UnmarshalJSON accepts 12, "12", "" and null.
func (n *flexInt) UnmarshalJSON(b []byte) error {
	s, err := jsonScalarText(b)
	if err != nil {
		return err
	}
	v, err := parseFlexInt(s)
	*n = v
	return err
}

// UnmarshalXML accepts an element whose text is an integer or empty.
func (n *flexInt) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	v, err := parseFlexInt(s)
	*n = v
	return err
}

// jsonScalarText returns the text of a JSON scalar: a string's content
// (unquoted, escapes decoded), "" for null, else the literal itself, so
// that JSON and XML values go through the same parser.
func jsonScalarText(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	case string(b) == "null":
		return "", nil
	}
	return string(b), nil
}

// parseFlexInt parses the text of an integer, from JSON or XML alike:
// surrounding space is ignored, "" and "null" are 0, and a number with an
// exponent and no fraction (1.7e12) is accepted.
func parseFlexInt(s string) (flexInt, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "null" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != float64(int64(f)) {
			return 0, fmt.Errorf("not an integer: %.40q", s)
		}
		v = int64(f)
	}
	return flexInt(v), nil
}

// flexBool decodes a boolean sent as true/false, "true"/"false" or 1/0.
type flexBool bool

// UnmarshalJSON accepts true, "true", 1, "1" and their opposites, "" and null.
func (p *flexBool) UnmarshalJSON(b []byte) error {
	s, err := jsonScalarText(b)
	if err != nil {
		return err
	}
	v, err := parseFlexBool(s)
	*p = v
	return err
}

// UnmarshalXML accepts an element whose text is a boolean.
func (p *flexBool) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	v, err := parseFlexBool(s)
	*p = v
	return err
}

// parseFlexBool parses the text of a boolean, from JSON or XML alike.
func parseFlexBool(s string) (flexBool, error) {
	switch strings.TrimSpace(s) {
	case "true", "1", "True", "TRUE":
		return true, nil
	case "false", "0", "False", "FALSE", "", "null":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean: %.40q", s)
}

// flexString decodes a string that the service sometimes sends as a number.
type flexString string

// UnmarshalJSON accepts a string, a number or null.
func (p *flexString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*p = flexString(s)
		return nil
	}
	if string(b) == "null" {
		*p = ""
		return nil
	}
	var num json.Number
	if err := json.Unmarshal(b, &num); err != nil {
		return fmt.Errorf("not a string or number: %.40q", b)
	}
	*p = flexString(num)
	return nil
}
