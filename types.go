package alidomain

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
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

// valuesAppender is implemented by list elements that flatten themselves
// without reflection.
type valuesAppender interface {
	appendValues(prefix string, v url.Values)
}

// EncodeValues writes the elements under key.N.Field, N from 1.
func (r repeated[T]) EncodeValues(key string, v *url.Values) error {
	if *v == nil {
		*v = url.Values{}
	}
	for i := range r {
		prefix := key + "." + strconv.Itoa(i+1) + "."
		if a, ok := any(r[i]).(valuesAppender); ok {
			a.appendValues(prefix, *v)
			continue
		}
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
	b = bytes.Trim(b, `"`)
	if len(b) == 0 || string(b) == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(string(b), 64)
		if ferr != nil || f != float64(int64(f)) {
			return fmt.Errorf("not an integer: %.40q", b)
		}
		v = int64(f)
	}
	*n = flexInt(v)
	return nil
}

// UnmarshalXML accepts an element whose text is an integer or empty.
func (n *flexInt) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	return n.UnmarshalJSON([]byte(s))
}

// flexBool decodes a boolean sent as true/false, "true"/"false" or 1/0.
type flexBool bool

// UnmarshalJSON accepts true, "true", 1, "1" and their opposites, "" and null.
func (p *flexBool) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	switch string(b) {
	case "true", "1", "True", "TRUE":
		*p = true
	case "false", "0", "False", "FALSE", "", "null":
		*p = false
	default:
		return fmt.Errorf("not a boolean: %.40q", b)
	}
	return nil
}

// UnmarshalXML accepts an element whose text is a boolean.
func (p *flexBool) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	return p.UnmarshalJSON([]byte(s))
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
