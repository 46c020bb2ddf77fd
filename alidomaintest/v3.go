package alidomaintest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// v3Algorithm is the only signature V3 algorithm the Server accepts.
const v3Algorithm = "ACS3-HMAC-SHA256"

// v3Auth is a parsed V3 Authorization header.
type v3Auth struct {
	credential    string
	signedHeaders []string // as listed, lower case
	signature     string
}

// parseV3Authorization parses
// "ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=a;b,Signature=HEX". Each of
// the three fields must appear exactly once, non-empty; SignedHeaders must be
// sorted, without duplicates.
func parseV3Authorization(h string) (v3Auth, bool) {
	var a v3Auth
	alg, rest, ok := strings.Cut(h, " ")
	if !ok || alg != v3Algorithm {
		return a, false
	}
	var seen [3]bool
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || v == "" {
			return a, false
		}
		var i int
		switch k {
		case "Credential":
			i, a.credential = 0, v
		case "SignedHeaders":
			i = 1
			a.signedHeaders = strings.Split(v, ";")
			for j, name := range a.signedHeaders {
				if name == "" || name != strings.ToLower(name) || (j > 0 && a.signedHeaders[j-1] >= name) {
					return a, false
				}
			}
		case "Signature":
			i, a.signature = 2, v
		default:
			return a, false
		}
		if seen[i] {
			return a, false
		}
		seen[i] = true
	}
	return a, seen[0] && seen[1] && seen[2]
}

// errIncompleteSignature answers a V3 request whose Authorization header is
// malformed or leaves a header that must be signed unsigned. The code is the
// one seen in the wild for malformed signatures (docs/wire.md, Error codes); when the
// real gateway uses it for V3 is not documented.
var errIncompleteSignature = &gatewayError{http.StatusBadRequest, "IncompleteSignature",
	"The request signature does not conform to Aliyun standards."}

// errContentHash answers a V3 request whose x-acs-content-sha256 is not the
// hash of its body. The real gateway's code for it is not documented; the
// generic InvalidParameter naming the header stands in for it.
var errContentHash = errInvalid("x-acs-content-sha256")

// v3Canon replaces, in an already encoded string, what V3 canonical forms
// spell differently from url.QueryEscape (docs/wire.md, Signature V3).
var v3Canon = strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~")

// parseV3 checks the syntax of a signature V3 (ACS3-HMAC-SHA256) request as
// docs/wire.md (Signature V3) describes it: Action and Version from the x-acs-action and
// x-acs-version headers, the date, nonce and body hash headers, and the
// Authorization header. params are the action parameters, from the URL query
// and a form body; body is the request's exact bytes; version is the API
// version the service speaks (the STSServer shares this verifier).
func parseV3(r *http.Request, params map[string]string, body []byte, version string) (*signedRequest, *gatewayError) {
	auth, ok := parseV3Authorization(r.Header.Get("Authorization"))
	if !ok {
		return nil, errIncompleteSignature
	}
	for _, h := range []string{"x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"} {
		if strings.TrimSpace(r.Header.Get(h)) == "" {
			return nil, errMissing(h)
		}
	}
	if r.Header.Get("x-acs-version") != version {
		return nil, errVersion
	}
	sum := sha256.Sum256(body)
	if !hmac.Equal([]byte(strings.ToLower(r.Header.Get("x-acs-content-sha256"))), []byte(hex.EncodeToString(sum[:]))) {
		return nil, errContentHash
	}
	signed := make(map[string]bool, len(auth.signedHeaders))
	for _, h := range auth.signedHeaders {
		signed[h] = true
	}
	if !signed["host"] {
		return nil, errIncompleteSignature
	}
	for name := range r.Header {
		lower := strings.ToLower(name)
		if (strings.HasPrefix(lower, "x-acs-") || lower == "content-type") && !signed[lower] {
			return nil, errIncompleteSignature
		}
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, &gatewayError{http.StatusBadRequest, "InvalidParameter",
			"The request parameters could not be parsed."}
	}
	tok := r.Header.Values("x-acs-security-token")
	return &signedRequest{
		params:      params,
		action:      r.Header.Get("x-acs-action"),
		accessKeyID: auth.credential,
		token:       strings.Join(tok, ","),
		hasToken:    len(tok) > 0,
		timestamp:   r.Header.Get("x-acs-date"),
		nonce:       r.Header.Get("x-acs-signature-nonce"),
		verify: func(secret string) (bool, string) {
			sts := v3StringToSign(r, query, auth.signedHeaders)
			want := v3Sign(secret, sts)
			return hmac.Equal([]byte(strings.ToLower(auth.signature)), []byte(want)), sts
		},
	}, nil
}

// v3CanonicalRequest builds METHOD, URI, query, headers, signed headers and
// payload hash, one per line (docs/wire.md, Signature V3). The payload hash is the
// x-acs-content-sha256 header, already checked against the body.
func v3CanonicalRequest(r *http.Request, query url.Values, signedHeaders []string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	uri := r.URL.EscapedPath()
	if uri == "" {
		uri = "/"
	}
	b.WriteString(v3Canon.Replace(uri))
	b.WriteByte('\n')
	b.WriteString(v3CanonicalQuery(query))
	b.WriteByte('\n')
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(v3HeaderValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(strings.ToLower(r.Header.Get("x-acs-content-sha256")))
	return b.String()
}

// v3CanonicalQuery sorts the pairs by key; each is key=enc(value), the key
// as is; the whole then gets the V3 replacements.
func v3CanonicalQuery(query url.Values) string {
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		if vs := query[k]; len(vs) > 0 {
			b.WriteString(url.QueryEscape(vs[0]))
		}
	}
	return v3Canon.Replace(b.String())
}

// v3HeaderValue is a signed header's canonical value: trimmed, and the
// values of a header sent more than once sorted and joined with commas.
func v3HeaderValue(r *http.Request, name string) string {
	if name == "host" {
		return strings.TrimSpace(r.Host)
	}
	vs := r.Header.Values(name)
	trimmed := make([]string, len(vs))
	for i, v := range vs {
		trimmed[i] = strings.TrimSpace(v)
	}
	sort.Strings(trimmed)
	return strings.Join(trimmed, ",")
}

// v3StringToSign returns "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonical
// request)).
func v3StringToSign(r *http.Request, query url.Values, signedHeaders []string) string {
	sum := sha256.Sum256([]byte(v3CanonicalRequest(r, query, signedHeaders)))
	return v3Algorithm + "\n" + hex.EncodeToString(sum[:])
}

// v3Sign returns hex(HMAC-SHA256(secret, sts)); the key has no "&" suffix.
func v3Sign(secret, sts string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(sts))
	return hex.EncodeToString(m.Sum(nil))
}
