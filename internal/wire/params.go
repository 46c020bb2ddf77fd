// Package wire holds what a request is on the wire, whatever signs it:
// request parameters percent-encoded per RFC 3986 and sorted (encoded from
// the request structs once per call), their key=value form, and the one
// canonical form of a domain name.
package wire

import (
	"net/url"
	"slices"
)

// Param is one request parameter whose Key and Value are already
// percent-encoded per RFC 3986, ready to be placed in a canonical query.
// Order is by the raw key, as the official SDKs sort before encoding; Raw
// is empty when the key needs no encoding (Raw == Key).
type Param struct{ Key, Value, Raw string }

// SortKey returns the key the canonical query is ordered by.
func (p *Param) SortKey() string {
	if p.Raw != "" {
		return p.Raw
	}
	return p.Key
}

// Params is a list of encoded parameters, sorted by raw key.
type Params []Param

const upperhex = "0123456789ABCDEF"

// unreserved marks the bytes RFC 3986 leaves as they are.
var unreserved = func() (t [256]bool) {
	for c := range t {
		t[c] = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~'
	}
	return t
}()

// AppendEscape appends s to dst percent-encoded per RFC 3986: every byte
// that is not unreserved becomes %XX with upper-case hex, so a space is %20
// and '*' is %2A (url.QueryEscape would write '+' and '*').
func AppendEscape[S string | []byte](dst []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved[c] {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperhex[c>>4], upperhex[c&15])
		}
	}
	return dst
}

// Escape returns s percent-encoded per RFC 3986.
func Escape(s string) string {
	for i := 0; i < len(s); i++ {
		if !unreserved[s[i]] {
			return string(AppendEscape(make([]byte, 0, len(s)+16), s))
		}
	}
	return s
}

// EncodeValues turns url.Values (Client.Call's parameters) into encoded
// parameters sorted by raw key.
func EncodeValues(v url.Values) Params {
	keys := make([]string, 0, len(v))
	n := 0
	for k, vs := range v {
		keys = append(keys, k)
		n += len(vs)
	}
	slices.Sort(keys)
	ps := make(Params, 0, n)
	for _, k := range keys {
		ek, raw := Escape(k), ""
		if ek != k {
			raw = k
		}
		for _, val := range v[k] {
			ps = append(ps, Param{Key: ek, Value: Escape(val), Raw: raw})
		}
	}
	return ps
}

// AppendPairs appends the parameters ps as key=value pairs joined with '&'.
// For sorted, escaped parameters this is both a canonical query and a form
// body: RFC 3986 escaping (a space is %20) is what the official runtime's
// QueryEscape with '+', '*' and "%7E" fixed up yields, and a form decoder
// reads it.
func AppendPairs(dst []byte, ps Params) []byte {
	for i := range ps {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, ps[i].Key...)
		dst = append(dst, '=')
		dst = append(dst, ps[i].Value...)
	}
	return dst
}

// PairsLen returns len(AppendPairs(nil, ps)).
func PairsLen(ps Params) int {
	n := 0
	for i := range ps {
		n += len(ps[i].Key) + len(ps[i].Value) + 2
	}
	if n > 0 {
		n--
	}
	return n
}

// Merge returns the union of a and b, each sorted by raw key, sorted.
func Merge(a, b Params) Params {
	out := make(Params, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j >= len(b) || (i < len(a) && a[i].SortKey() <= b[j].SortKey()) {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	return out
}

// FormContentType is the content type of a body of request parameters.
const FormContentType = "application/x-www-form-urlencoded"
