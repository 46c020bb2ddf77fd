package alidomaintest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"sort"
	"strings"
)

const upperHex = "0123456789ABCDEF"

// percentEncode encodes s per RFC 3986 as the RPC signature v1 requires:
// the unreserved bytes A-Z a-z 0-9 - _ . ~ are kept, every other byte
// (of the UTF-8 encoding) becomes %XX with upper-case hex.
func percentEncode(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&0x0F])
		}
	}
	return b.String()
}

// canonicalQuery returns the sorted, encoded query of params, leaving out
// Signature.
func canonicalQuery(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k == "Signature" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys) // byte order
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(percentEncode(k))
		b.WriteByte('=')
		b.WriteString(percentEncode(params[k]))
	}
	return b.String()
}

// stringToSign returns METHOD&%2F&enc(canonical query).
func stringToSign(method string, params map[string]string) string {
	return method + "&" + percentEncode("/") + "&" + percentEncode(canonicalQuery(params))
}

// signString returns base64(HMAC-SHA1(secret+"&", sts)).
func signString(secret, sts string) string {
	return hmacBase64(secret+"&", sts)
}

// hmacBase64 returns base64(HMAC-SHA1(key, data)).
func hmacBase64(key, data string) string {
	m := hmac.New(sha1.New, []byte(key))
	m.Write([]byte(data))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// signatureMatches reports whether got equals the expected signature, in
// constant time.
func signatureMatches(got, want string) bool {
	return hmac.Equal([]byte(got), []byte(want))
}
