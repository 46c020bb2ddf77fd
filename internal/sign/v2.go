package sign

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"net/http"
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// The RPC signature (V2): HMAC-SHA1, keyed with secret+"&", of
// METHOD&%2F&escape(canonical query), where the canonical query is the
// request's and the common parameters' key=value pairs in key order; the
// base64 signature is sent as Signature, after the other parameters.

// timestampLayout is how the RPC style writes an attempt's time (UTC).
const timestampLayout = "2006-01-02T15:04:05Z"

// appendTimestamp appends t as the escaped Timestamp parameter.
func appendTimestamp(dst []byte, t time.Time) []byte {
	var raw [24]byte
	return wire.AppendEscape(dst, t.UTC().AppendFormat(raw[:0], timestampLayout))
}

// commonParams is the common parameters of one request, sorted and
// escaped, without Signature; an array, so that signing a query keeps them
// on the stack.
type commonParams struct {
	p [10]wire.Param
	n int
}

// list returns the parameters.
func (c *commonParams) list() wire.Params { return c.p[:c.n] }

// common returns the common parameters of in, timestamp (appendTimestamp)
// among them. Those of an unsigned request (signed false) leave out the
// credentials and the signature's method, version and nonce.
func common(in *Input, timestamp string, signed bool) (c commonParams) {
	add := func(k, v string) { c.p[c.n] = wire.Param{Key: k, Value: v}; c.n++ }
	if signed {
		add("AccessKeyId", wire.Escape(in.Credentials.AccessKeyID))
	}
	add("Action", wire.Escape(in.Action))
	add("Format", in.Format)
	if in.Lang != "" {
		add("Lang", wire.Escape(in.Lang))
	}
	if signed {
		if in.Credentials.SecurityToken != "" {
			add("SecurityToken", wire.Escape(in.Credentials.SecurityToken))
		}
		add("SignatureMethod", "HMAC-SHA1")
		add("SignatureNonce", wire.Escape(in.Nonce))
		add("SignatureVersion", "1.0")
	}
	add("Timestamp", timestamp)
	add("Version", wire.Escape(in.Version))
	return c
}

// reserved is the set of parameters a signer sets itself: the common
// parameters of a signed request and Signature; Lang, which a request
// chooses, is not among them.
var reserved = func() map[string]bool {
	full := Input{Action: "a", Version: "v", Format: "f", Lang: "l", Nonce: "n",
		Credentials: Credentials{AccessKeyID: "i", AccessKeySecret: "s", SecurityToken: "t"}}
	c := common(&full, "ts", true)
	m := map[string]bool{"Signature": true}
	for _, p := range c.list() {
		if p.Key != "Lang" {
			m[p.Key] = true
		}
	}
	return m
}()

// Reserved reports whether a request may not give the parameter key,
// because a signer sets it.
func Reserved(key string) bool { return reserved[key] }

// commonMaxLen bounds the length of the common parameters' pairs: their
// fixed text, and every variable value escaped at three bytes a byte.
func commonMaxLen(in *Input) int {
	const fixed = 200 // keys, separators, fixed values and the escaped Timestamp: 166
	return fixed + len(in.Format) + 3*(len(in.Credentials.AccessKeyID)+len(in.Action)+len(in.Lang)+len(in.Credentials.SecurityToken)+len(in.Nonce)+len(in.Version))
}

// UnsignedForm returns the form body of an unsigned request (STS's
// AssumeRoleWithOIDC): in's parameters and the common ones, without
// credentials, nonce or signature.
func UnsignedForm(in *Input) []byte {
	var ts [32]byte
	c := common(in, string(appendTimestamp(ts[:0], in.Now)), false)
	all := wire.Merge(in.Params, c.list())
	return wire.AppendPairs(make([]byte, 0, wire.PairsLen(all)), all)
}

// signV2 signs an attempt with the RPC signature: the common parameters are
// merged into the request's sorted parameters, the canonical query is
// signed, and every parameter goes in the URL query, Signature last.
func signV2(in Input) Attempt {
	var ts [32]byte
	c := common(&in, string(appendTimestamp(ts[:0], in.Now)), true)
	cs := c.list()

	var b strings.Builder
	b.Grow(canonicalLen(in.Params, cs) + len("&Signature=") + 3*28)
	writeCanonical(&b, in.Params, cs)
	var sum [sha1.Size]byte
	var sig [28]byte // base64 of 20 bytes
	base64.StdEncoding.Encode(sig[:], hmacSHA1StringToSign(&sum, in.Credentials.AccessKeySecret, in.Method, in.Params, cs))
	b.WriteString("&Signature=")
	var esc [3 * 28]byte
	escaped := wire.AppendEscape(esc[:0], sig[:])
	b.Write(escaped)
	q := b.String()
	return Attempt{Query: q, Signature: q[len(q)-len(escaped):]}
}

// signV2 signs with the RPC signature, the request parameters in the URL
// or in a body. Before signing, only the signature's escaped length (28 to
// 84 bytes) is unknown, so only a query within that window of the limit is
// signed to be measured.
func (pl *placer) signV2(in Input) Attempt {
	n := wire.PairsLen(in.Params) + 1
	switch {
	case pl.placement == Query:
		return signV2(in)
	case pl.placement == Auto && pl.inQuery(n+commonMaxLen(&in)+len("&Signature=")+84):
		return signV2(in) // fits in any case: no need to build the common parameters here
	}
	var ts [32]byte
	c := common(&in, string(appendTimestamp(ts[:0], in.Now)), true)
	if pl.placement == Auto {
		n += wire.PairsLen(c.list()) + len("&Signature=")
		if pl.inQuery(n + 84) {
			return signV2(in)
		}
		if pl.inQuery(n + 28) {
			if sa := signV2(in); pl.inQuery(len(sa.Query)) {
				return sa
			}
		}
	}
	return signV2Form(in.Method, in.Credentials.AccessKeySecret, c.list(), in.Params)
}

// signV2Form signs a V2 request whose request parameters ps go in a form
// body and whose common parameters cs (sorted, escaped, no Signature) go in
// the URL: the query holds the common parameters, then Signature. The
// signature is the one the same parameters would have all in the query.
func signV2Form(method, secret string, cs, ps wire.Params) Attempt {
	// The string to sign streams from the parameters, as signV2's does.
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	writeStringToSign(mac, method, ps, cs)
	var sum [sha1.Size]byte
	sig := base64.StdEncoding.EncodeToString(mac.Sum(sum[:0]))

	q := wire.AppendPairs(make([]byte, 0, wire.PairsLen(cs)+len("&Signature=")+3*len(sig)), cs)
	if len(cs) > 0 {
		q = append(q, '&')
	}
	q = append(q, "Signature="...)
	n := len(q)
	q = wire.AppendEscape(q, sig)
	query := string(q)
	return Attempt{
		Query:     query,
		Body:      wire.AppendPairs(make([]byte, 0, wire.PairsLen(ps)), ps),
		Header:    http.Header{"Content-Type": {wire.FormContentType}},
		Signature: query[n:],
	}
}

// canonicalLen is the length of the canonical query of a and b.
func canonicalLen(a, b wire.Params) int {
	n := 0
	for i := range a {
		n += len(a[i].Key) + len(a[i].Value) + 2
	}
	for i := range b {
		n += len(b[i].Key) + len(b[i].Value) + 2
	}
	return n
}

// merge walks the union of two parameter lists, each sorted by raw key, in
// key order.
type merge struct {
	a, b wire.Params
	i, j int
}

// next returns the next parameter, or nil after the last.
func (m *merge) next() *wire.Param {
	switch {
	case m.i < len(m.a) && (m.j >= len(m.b) || m.a[m.i].SortKey() <= m.b[m.j].SortKey()):
		m.i++
		return &m.a[m.i-1]
	case m.j < len(m.b):
		m.j++
		return &m.b[m.j-1]
	}
	return nil
}

// writeCanonical writes the canonical query of the union of a and b:
// key=value pairs in key order, joined with '&'.
func writeCanonical(w *strings.Builder, a, b wire.Params) {
	m := merge{a: a, b: b}
	for p := m.next(); p != nil; p = m.next() {
		if m.i+m.j > 1 {
			w.WriteByte('&')
		}
		w.WriteString(p.Key)
		w.WriteByte('=')
		w.WriteString(p.Value)
	}
}

// stringToSignPrefix returns METHOD + "&" + escape("/") + "&".
func stringToSignPrefix(method string) string { return method + "&%2F&" }

// writeStringToSign writes METHOD&%2F&escape(canonical query of a and b) to
// h, from the parameters (whose escaped keys and values hold only
// unreserved bytes and '%'), in chunks, so that the string to sign is never
// held whole: at 1,000 domains it would be a 150 KB allocation per attempt
// (BenchmarkSignAttempt, step=query).
func writeStringToSign(h hash.Hash, method string, a, b wire.Params) {
	buf := make([]byte, 0, min(canonicalLen(a, b)*5/4+16, 4096))
	buf = append(buf, stringToSignPrefix(method)...)
	m := merge{a: a, b: b}
	for p := m.next(); p != nil; p = m.next() {
		buf = appendStringToSignParam(buf, p, m.i+m.j == 1)
		if len(buf) >= 3072 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
}

// appendStringToSign appends METHOD&%2F&escape(canonical query of a and b)
// to dst.
func appendStringToSign(dst []byte, method string, a, b wire.Params) []byte {
	dst = append(dst, stringToSignPrefix(method)...)
	m := merge{a: a, b: b}
	for p := m.next(); p != nil; p = m.next() {
		dst = appendStringToSignParam(dst, p, m.i+m.j == 1)
	}
	return dst
}

// appendStringToSignParam appends one parameter of the string to sign,
// after "%26" unless it is the first.
func appendStringToSignParam(dst []byte, p *wire.Param, first bool) []byte {
	if !first {
		dst = append(dst, "%26"...)
	}
	dst = appendPercentEscaped(dst, p.Key)
	dst = append(dst, "%3D"...)
	return appendPercentEscaped(dst, p.Value)
}

// appendPercentEscaped appends the already escaped s escaped once more:
// only its '%' change, to "%25".
func appendPercentEscaped(dst []byte, s string) []byte {
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(append(dst, s[:i]...), "%25"...)
		s = s[i+1:]
	}
}
