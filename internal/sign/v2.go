package alidomain

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"strings"
)

// signV2 signs an attempt with the RPC signature (HMAC-SHA1, SignatureVersion
// 1.0): the common parameters are merged into the request's sorted
// parameters, the canonical query is signed, and every parameter goes in
// the URL query, Signature last.
func signV2(in signInput) signedAttempt {
	var common [10]param
	n := 0
	add := func(k, v string) { common[n] = param{key: k, value: v}; n++ }
	add("AccessKeyId", escape(in.creds.AccessKeyID))
	add("Action", escape(in.action))
	add("Format", in.format)
	if in.lang != "" {
		add("Lang", escape(in.lang))
	}
	if in.creds.SecurityToken != "" {
		add("SecurityToken", escape(in.creds.SecurityToken))
	}
	add("SignatureMethod", "HMAC-SHA1")
	add("SignatureNonce", escape(in.nonce))
	add("SignatureVersion", "1.0")
	var raw [24]byte
	var esc [32]byte
	add("Timestamp", string(appendEscape(esc[:0], in.now.UTC().AppendFormat(raw[:0], timestampLayout))))
	add("Version", escape(in.apiVersion()))

	var b strings.Builder
	b.Grow(canonicalLen(in.params, common[:n]) + len("&Signature=") + 3*28)
	writeCanonical(&b, in.params, common[:n])
	var sum [sha1.Size]byte
	var sig [28]byte // base64 of 20 bytes
	base64.StdEncoding.Encode(sig[:], hmacSHA1StringToSign(&sum, in.creds.AccessKeySecret, in.method, in.params, common[:n]))
	b.WriteString("&Signature=")
	for _, c := range sig {
		if unreservedSet[c] {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(upperhex[c>>4])
			b.WriteByte(upperhex[c&15])
		}
	}
	return signedAttempt{query: b.String()}
}

// hmacSHA1StringToSign returns into sum the HMAC-SHA1 (RFC 2104), keyed
// with secret+"&", of the string to sign of a and b. One SHA-1 state instead
// of hmac.New's five allocations (BenchmarkInProcess/impl=alidomain/N=1).
func hmacSHA1StringToSign(sum *[sha1.Size]byte, secret, method string, a, b params) []byte {
	var buf [64 + 1]byte
	key := append(append(buf[:0], secret...), '&')
	if len(key) > sha1.BlockSize {
		*sum = sha1.Sum(key)
		key = sum[:]
	}
	var ipad, opad [sha1.BlockSize]byte
	copy(ipad[:], key)
	copy(opad[:], key)
	for i := range ipad {
		ipad[i] ^= 0x36
		opad[i] ^= 0x5c
	}
	// A small request is hashed from a stack buffer with sha1.Sum: no heap
	// allocation (BenchmarkInProcess/impl=alidomain/N=1). Each byte of the
	// canonical query is at most 3 in the string to sign.
	const small = 2048
	if len(stringToSignPrefix(method))+3*canonicalLen(a, b) <= small {
		var stack [sha1.BlockSize + small]byte
		inner := sha1.Sum(appendStringToSign(append(stack[:0], ipad[:]...), method, a, b))
		*sum = sha1.Sum(append(append(stack[:0], opad[:]...), inner[:]...))
		return sum[:]
	}
	h := sha1.New()
	h.Write(ipad[:])
	writeStringToSign(h, method, a, b)
	inner := h.Sum(sum[:0])
	h.Reset()
	h.Write(opad[:])
	h.Write(inner)
	return h.Sum(sum[:0])
}

// canonicalLen is the length of the canonical query of a and b.
func canonicalLen(a, b params) int {
	n := 0
	for i := range a {
		n += len(a[i].key) + len(a[i].value) + 2
	}
	for i := range b {
		n += len(b[i].key) + len(b[i].value) + 2
	}
	return n
}

// merge walks the union of two parameter lists, each sorted by raw key, in
// key order.
type merge struct {
	a, b params
	i, j int
}

// next returns the next parameter, or nil after the last.
func (m *merge) next() *param {
	switch {
	case m.i < len(m.a) && (m.j >= len(m.b) || m.a[m.i].sortKey() <= m.b[m.j].sortKey()):
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
func writeCanonical(w *strings.Builder, a, b params) {
	m := merge{a: a, b: b}
	for p := m.next(); p != nil; p = m.next() {
		if m.i+m.j > 1 {
			w.WriteByte('&')
		}
		w.WriteString(p.key)
		w.WriteByte('=')
		w.WriteString(p.value)
	}
}

// appendCanonical appends the canonical query of a and b to dst.
func appendCanonical(dst []byte, a, b params) []byte {
	var w strings.Builder
	writeCanonical(&w, a, b)
	return append(dst, w.String()...)
}

// stringToSignPrefix returns METHOD + "&" + escape("/") + "&".
func stringToSignPrefix(method string) string { return method + "&%2F&" }

// writeStringToSign writes METHOD&%2F&escape(canonical query of a and b) to
// h, from the parameters (whose escaped keys and values hold only
// unreserved bytes and '%'), in chunks, so that the string to sign is never
// held whole: at 1,000 domains it would be a 150 KB allocation per attempt
// (BenchmarkSignAttempt, step=query).
func writeStringToSign(h hash.Hash, method string, a, b params) {
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
func appendStringToSign(dst []byte, method string, a, b params) []byte {
	dst = append(dst, stringToSignPrefix(method)...)
	m := merge{a: a, b: b}
	for p := m.next(); p != nil; p = m.next() {
		dst = appendStringToSignParam(dst, p, m.i+m.j == 1)
	}
	return dst
}

// appendStringToSignParam appends one parameter of the string to sign,
// after "%26" unless it is the first.
func appendStringToSignParam(dst []byte, p *param, first bool) []byte {
	if !first {
		dst = append(dst, "%26"...)
	}
	dst = appendPercentEscaped(dst, p.key)
	dst = append(dst, "%3D"...)
	return appendPercentEscaped(dst, p.value)
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

// signParams returns the base64 HMAC-SHA1 signature, keyed with secret+"&",
// of the string to sign of the parameters ps.
func signParams(method, secret string, ps params) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	writeStringToSign(mac, method, ps, nil)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
