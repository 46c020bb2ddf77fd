package alidomain

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"net/url"
	"sort"
	"sync"
)

// param is one request parameter whose key and value are already
// percent-encoded per RFC 3986, ready to be placed in a canonical query.
// Order is by the raw key, as the official SDKs sort before encoding; raw
// is empty when the key needs no encoding (raw == key).
type param struct{ key, value, raw string }

// sortKey returns the key the canonical query is ordered by.
func (p *param) sortKey() string {
	if p.raw != "" {
		return p.raw
	}
	return p.key
}

// params is a list of encoded parameters, sorted by raw key.
type params []param

// has reports whether ps holds the raw key.
func (ps params) has(key string) bool {
	i := sort.Search(len(ps), func(i int) bool { return ps[i].sortKey() >= key })
	return i < len(ps) && ps[i].sortKey() == key
}

const upperhex = "0123456789ABCDEF"

// unreserved reports whether c is kept as is by RFC 3986 percent-encoding.
func unreserved(c byte) bool { return unreservedSet[c] }

// unreservedSet is unreserved as a table: one load per byte, for the long
// keys and values of large batches.
var unreservedSet = func() (t [256]bool) {
	for c := range t {
		t[c] = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~'
	}
	return t
}()

// appendEscape appends s to dst percent-encoded per RFC 3986: every byte that
// is not unreserved becomes %XX with upper-case hex, so a space is %20 and
// '*' is %2A (url.QueryEscape would write '+' and '*').
func appendEscape[S string | []byte](dst []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperhex[c>>4], upperhex[c&15])
		}
	}
	return dst
}

// escape returns s percent-encoded per RFC 3986.
func escape(s string) string {
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			return string(appendEscape(make([]byte, 0, len(s)+16), s))
		}
	}
	return s
}

// encodeValues turns query values into encoded parameters sorted by raw
// key, the form that every attempt reuses without encoding the request again.
func encodeValues(v url.Values) params {
	keys := make([]string, 0, len(v))
	n := 0
	for k, vs := range v {
		keys = append(keys, k)
		n += len(vs)
	}
	order := make([]int32, len(keys))
	for i := range order {
		order[i] = int32(i)
	}
	sortKeys(keys, order, 0)
	ps := make(params, 0, n)
	for _, i := range order {
		k := keys[i]
		ek, raw := escape(k), ""
		if ek != k {
			raw = k
		}
		for _, val := range v[k] {
			ps = append(ps, param{key: ek, value: escape(val), raw: raw})
		}
	}
	return ps
}

// sortKeys sorts order, indices into keys, so that the keys are in byte
// order (as sort.Strings would put them), given that they share their first
// d bytes. It is a multikey quicksort (Bentley and Sedgewick): a batch's
// thousands of keys share long prefixes ("OrderRedeemParam.") that a
// comparison sort reads again at every comparison, while this reads each
// byte position once per partition; and moving int32 indices, not strings,
// costs the garbage collector no write barriers.
func sortKeys(keys []string, order []int32, d int) {
	byteAt := func(i int32) int { // -1 past the end sorts a prefix first
		if k := keys[i]; d < len(k) {
			return int(k[d])
		}
		return -1
	}
	for len(order) > 1 {
		if len(order) < 16 { // insertion sort on what follows the prefix
			for i := 1; i < len(order); i++ {
				for j := i; j > 0 && keys[order[j]][d:] < keys[order[j-1]][d:]; j-- {
					order[j], order[j-1] = order[j-1], order[j]
				}
			}
			return
		}
		// Three-way partition on byte d: less, equal, greater.
		pivot := byteAt(order[len(order)/2])
		lt, gt := 0, len(order)
		for i := 0; i < gt; {
			switch c := byteAt(order[i]); {
			case c < pivot:
				order[lt], order[i] = order[i], order[lt]
				lt++
				i++
			case c > pivot:
				gt--
				order[i], order[gt] = order[gt], order[i]
			default:
				i++
			}
		}
		sortKeys(keys, order[:lt], d)
		sortKeys(keys, order[gt:], d)
		if pivot < 0 { // the equal part is keys that end at d: all equal
			return
		}
		order, d = order[lt:gt], d+1 // the equal part shares d+1 bytes
	}
}

// appendCanonical appends the canonical query of the union of a and b (each
// sorted by key) to dst: key=value pairs in key order joined with '&'.
func appendCanonical(dst []byte, a, b params) []byte {
	i, j, first := 0, 0, true
	for i < len(a) || j < len(b) {
		var p param
		if j >= len(b) || (i < len(a) && a[i].sortKey() <= b[j].sortKey()) {
			p = a[i]
			i++
		} else {
			p = b[j]
			j++
		}
		if !first {
			dst = append(dst, '&')
		}
		first = false
		dst = append(dst, p.key...)
		dst = append(dst, '=')
		dst = append(dst, p.value...)
	}
	return dst
}

// stringToSignPrefix returns METHOD + "&" + escape("/") + "&".
func stringToSignPrefix(method string) string {
	switch method {
	case "POST":
		return "POST&%2F&"
	case "GET":
		return "GET&%2F&"
	}
	return method + "&%2F&"
}

// appendEscapedCanonical appends escape(canonical) to dst. canonical holds
// only unreserved bytes, '%', '=' and '&', so only those three need
// encoding; the rest is copied in runs, in one pass.
func appendEscapedCanonical(dst, canonical []byte) []byte {
	start := 0
	for i, c := range canonical {
		if rep := canonicalEscapes[c]; rep != "" { // a table: twice as fast as a switch
			dst = append(dst, canonical[start:i]...)
			dst = append(dst, rep...)
			start = i + 1
		}
	}
	return append(dst, canonical[start:]...)
}

// canonicalEscapes maps the bytes of a canonical query that escape changes.
var canonicalEscapes = [256]string{'%': "%25", '=': "%3D", '&': "%26"}

// stsPool holds buffers for strings to sign.
var stsPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// signCanonical returns the base64 HMAC-SHA1 signature, keyed with secret+"&",
// of METHOD&%2F&escape(canonical), where canonical is an already encoded
// canonical query (as written by appendCanonical).
func signCanonical(method, secret string, canonical []byte) string {
	// One Write of the whole string to sign: many small Writes to the
	// hash cost more than building it in a pooled buffer.
	bp := stsPool.Get().(*[]byte)
	sts := append((*bp)[:0], stringToSignPrefix(method)...)
	sts = appendEscapedCanonical(sts, canonical)
	km := getMAC(secret)
	km.mac.Write(sts)
	if cap(sts) <= maxPooled {
		*bp = sts
		stsPool.Put(bp)
	}
	var sum [sha1.Size]byte
	sig := base64.StdEncoding.EncodeToString(km.mac.Sum(sum[:0]))
	macPool.Put(km)
	return sig
}

// keyedMAC is an HMAC-SHA1 state and the secret it is keyed with.
type keyedMAC struct {
	secret string
	mac    hash.Hash
}

// macPool reuses HMAC states: making one costs five allocations, and a
// client signs every attempt with the same key.
var macPool sync.Pool

// getMAC returns a reset HMAC-SHA1 keyed with secret+"&".
func getMAC(secret string) *keyedMAC {
	if km, _ := macPool.Get().(*keyedMAC); km != nil && km.secret == secret {
		km.mac.Reset()
		return km
	}
	return &keyedMAC{secret: secret, mac: hmac.New(sha1.New, []byte(secret+"&"))}
}
