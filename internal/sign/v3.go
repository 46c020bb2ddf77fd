package sign

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// Signature V3 (ACS3-HMAC-SHA256) of an RPC action, as the official runtime
// (darabonba-openapi DoRequest) sends it: Action and Version travel in
// x-acs-* headers, the request parameters in the URL query or in a form
// body, and an Authorization header carries the signature over the method,
// the canonical query, the signed headers and the body's SHA-256.

// v3Algorithm names the signature in the string to sign and Authorization.
const v3Algorithm = "ACS3-HMAC-SHA256"

// emptySHA256 is the lower-hex SHA-256 of an empty body.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// v3DateLayout is the layout of x-acs-date (UTC).
const v3DateLayout = "2006-01-02T15:04:05Z"

// v3Date formats t as x-acs-date.
func v3Date(t time.Time) string { return t.UTC().Format(v3DateLayout) }

// v3Request is what one V3-signed attempt covers.
type v3Request struct {
	method  string // default POST
	host    string // the Host header, port included when not the default
	action  string
	version string // the API version (x-acs-version)
	date    string // x-acs-date, see v3Date
	nonce   string // x-acs-signature-nonce, fresh for every attempt
	// query holds the URL query's parameters, escaped and sorted by key.
	query wire.Params
	// body is the exact bytes sent; nil means no body and no content-type.
	body []byte
	// contentType is sent with a body; default wire.FormContentType.
	contentType string
	creds       Credentials
	// provider, when set, is sent and signed as x-acs-credentials-provider
	// (the official runtime names its credential source there).
	provider string
}

// String describes the request without its credentials: fmt would print
// unexported fields, the secret among them, as they are.
func (r *v3Request) String() string {
	return "v3Request{" + r.action + " " + r.host + "}"
}

// header is one request header with its name as written on the wire.
type header struct{ name, value string }

// v3Signed is what signing one attempt produces.
type v3Signed struct {
	// headers are the signed headers in canonical (sorted) order; "host"
	// among them is to be sent as the request's Host.
	headers []header
	// contentSHA256 is the body's hash, also in headers.
	contentSHA256 string
	// authorization is the Authorization header's value.
	authorization string
}

// v3Headers returns the signed headers of r, sorted by name, their values
// trimmed as canonicalization trims them. The set is fixed, so the order is
// written out rather than sorted.
func (r *v3Request) v3Headers(contentSHA256 string) []header {
	hs := make([]header, 0, 10)
	add := func(name, value string) { hs = append(hs, header{name, strings.TrimSpace(value)}) }
	if r.body != nil {
		ct := r.contentType
		if ct == "" {
			ct = wire.FormContentType
		}
		add("content-type", ct)
	}
	add("host", r.host)
	sts := r.creds.SecurityToken != ""
	if sts {
		add("x-acs-accesskey-id", r.creds.AccessKeyID)
	}
	add("x-acs-action", r.action)
	add("x-acs-content-sha256", contentSHA256)
	if r.provider != "" {
		add("x-acs-credentials-provider", r.provider)
	}
	add("x-acs-date", r.date)
	if sts {
		add("x-acs-security-token", r.creds.SecurityToken)
	}
	add("x-acs-signature-nonce", r.nonce)
	add("x-acs-version", r.version)
	return hs
}

// bodySHA256 returns the lower-hex SHA-256 of body.
func bodySHA256(body []byte) string {
	if len(body) == 0 {
		return emptySHA256
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// appendV3Query appends V3's canonical query of ps: like wire.AppendPairs, but
// each key unescaped, as the official runtime (and so the gateway it talks
// to) writes it; the keys of the Domain API need no escaping, so only a key
// given to Client.Call can tell the difference.
func appendV3Query(dst []byte, ps wire.Params) []byte {
	for i := range ps {
		if i > 0 {
			dst = append(dst, '&')
		}
		k := ps[i].SortKey()
		if strings.ContainsAny(k, "+*%") {
			k = v3KeyFix.Replace(k)
		}
		dst = append(dst, k...)
		dst = append(dst, '=')
		dst = append(dst, ps[i].Value...)
	}
	return dst
}

// v3KeyFix is what the official runtime's fix-up of its whole canonical
// query ('+', '*' and "%7E") does to a raw key; escaped values are not
// changed by it.
var v3KeyFix = strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~")

// appendV3Canonical appends r's canonical request, for the signed headers
// hs, to dst:
//
//	METHOD \n / \n query \n name:value\n... \n names;... \n hashed payload
func appendV3Canonical(dst []byte, r *v3Request, hs []header, contentSHA256 string) []byte {
	method := r.method
	if method == "" {
		method = "POST"
	}
	dst = append(dst, method...)
	dst = append(dst, "\n/\n"...)
	dst = appendV3Query(dst, r.query)
	dst = append(dst, '\n')
	for _, h := range hs {
		dst = append(dst, h.name...)
		dst = append(dst, ':')
		dst = append(dst, h.value...)
		dst = append(dst, '\n')
	}
	dst = append(dst, '\n')
	dst = appendSignedHeaders(dst, hs)
	dst = append(dst, '\n')
	return append(dst, contentSHA256...)
}

// appendSignedHeaders appends the header names of hs joined with ';'.
func appendSignedHeaders(dst []byte, hs []header) []byte {
	for i, h := range hs {
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, h.name...)
	}
	return dst
}

// v3StringToSign returns ACS3-HMAC-SHA256 \n hex(SHA-256(canonical)).
func v3StringToSign(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	var b [len(v3Algorithm) + 1 + 2*sha256.Size]byte
	n := copy(b[:], v3Algorithm)
	b[n] = '\n'
	hex.Encode(b[n+1:], sum[:])
	return string(b[:])
}

// signV3 signs one attempt: it hashes the body once, builds the canonical
// request in one buffer sized up front (linear in the parameters), and
// returns the headers to send.
func signV3(r *v3Request) v3Signed {
	sha := bodySHA256(r.body)
	hs := r.v3Headers(sha)
	size := len(r.method) + 4 + 3 + wire.PairsLen(r.query) + 2*len(sha) + 8
	for _, h := range hs {
		size += 2*len(h.name) + len(h.value) + 3
	}
	canonical := appendV3Canonical(make([]byte, 0, size), r, hs, sha)
	sts := v3StringToSign(canonical)

	var sum [sha256.Size]byte
	var sig [2 * sha256.Size]byte
	hex.Encode(sig[:], hmacSHA256(&sum, r.creds.AccessKeySecret, sts)) // hmac.go

	auth := make([]byte, 0, len(v3Algorithm)+len(r.creds.AccessKeyID)+len(sig)+160)
	auth = append(auth, v3Algorithm...)
	auth = append(auth, " Credential="...)
	auth = append(auth, r.creds.AccessKeyID...)
	auth = append(auth, ",SignedHeaders="...)
	auth = appendSignedHeaders(auth, hs)
	auth = append(auth, ",Signature="...)
	auth = append(auth, sig[:]...)
	return v3Signed{headers: hs, contentSHA256: sha, authorization: string(auth)}
}

// signV3 signs with ACS3-HMAC-SHA256. Action and Version go in headers; the
// request parameters, with Lang and, when XML is asked, Format=XML (JSON is
// the V3 default), go in the URL or in a body.
func (pl *placer) signV3(in Input) Attempt {
	ps := in.Params
	var extra wire.Params
	if in.Format == "XML" {
		extra = append(extra, wire.Param{Key: "Format", Value: "XML"})
	}
	if in.Lang != "" {
		extra = append(extra, wire.Param{Key: "Lang", Value: wire.Escape(in.Lang)})
	}
	if len(extra) > 0 {
		ps = wire.Merge(ps, extra)
	}
	r := v3Request{method: in.Method, host: pl.host, action: in.Action, version: in.Version, date: v3Date(in.Now), nonce: in.Nonce, creds: in.Credentials}
	var query string
	if n := wire.PairsLen(ps); pl.inQuery(n) {
		r.query = ps
		query = string(wire.AppendPairs(make([]byte, 0, n), ps))
	} else {
		r.body = wire.AppendPairs(make([]byte, 0, n), ps)
	}
	s := signV3(&r)
	h := make(http.Header, len(s.headers)+1)
	for _, hd := range s.headers {
		switch hd.name {
		case "host": // the request's Host
		case "content-type":
			h["Content-Type"] = []string{hd.value}
		default:
			h[hd.name] = []string{hd.value} // lower case, as the official runtime writes them
		}
	}
	h["Authorization"] = []string{s.authorization}
	auth := s.authorization
	return Attempt{Query: query, Body: r.body, Header: h, Signature: auth[len(auth)-2*sha256.Size:]}
}
