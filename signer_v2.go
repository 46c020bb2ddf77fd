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
func signV2(in *signInput) signedAttempt {
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
	add("Version", APIVersion)

	var b strings.Builder
	b.Grow(canonicalLen(in.params, common[:n]) + len("&Signature=") + 3*28)
	writeCanonical(&b, in.params, common[:n])
	var key [64]byte
	mac := hmac.New(sha1.New, append(append(key[:0], in.creds.AccessKeySecret...), '&'))
	writeStringToSign(mac, in.method, b.String())
	var sum [sha1.Size]byte
	var sig [28]byte // base64 of 20 bytes
	base64.StdEncoding.Encode(sig[:], mac.Sum(sum[:0]))
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

// writeCanonical writes the canonical query of the union of a and b (each
// sorted by raw key): key=value pairs in key order, joined with '&'.
func writeCanonical(w *strings.Builder, a, b params) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var p *param
		if j >= len(b) || (i < len(a) && a[i].sortKey() <= b[j].sortKey()) {
			p = &a[i]
			i++
		} else {
			p = &b[j]
			j++
		}
		if i+j > 1 {
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

// canonicalEscapes maps the bytes of a canonical query that escape changes:
// it holds only unreserved bytes and these three.
var canonicalEscapes = [256]string{'%': "%25", '=': "%3D", '&': "%26"}

// writeStringToSign writes METHOD&%2F&escape(canonical) to h in chunks, so
// that the string to sign is never held whole: at 1,000 domains it would be
// a 150 KB allocation per attempt (BenchmarkSignAttempt, step=query).
func writeStringToSign(h hash.Hash, method, canonical string) {
	// Canonical queries of small requests fit in one buffer of their size.
	buf := make([]byte, 0, min(len(canonical)+len(canonical)/4+16, 4096))
	buf = append(buf, stringToSignPrefix(method)...)
	start := 0
	for i := 0; i < len(canonical); i++ {
		rep := canonicalEscapes[canonical[i]]
		if rep == "" {
			continue
		}
		buf = append(buf, canonical[start:i]...)
		buf = append(buf, rep...)
		start = i + 1
		if len(buf) >= 3072 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	buf = append(buf, canonical[start:]...)
	h.Write(buf)
}

// signCanonical returns the base64 HMAC-SHA1 signature, keyed with secret+"&",
// of METHOD&%2F&escape(canonical).
func signCanonical(method, secret string, canonical []byte) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	writeStringToSign(mac, method, string(canonical))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
