package alidomain

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/http"
)

// Request parameters in an application/x-www-form-urlencoded body, for both
// signature versions. V3 hashes the body's exact bytes (signer_v3.go). V2
// signs over the union of the URL's and the body's parameters, so where a
// parameter sits does not change the signature (wire.md §10): with the
// request parameters in the body, the URL carries only the common ones and
// Signature.

// maxQueryURL is the URL length from which ParamsAuto moves the request
// parameters into a body: gateways answer 414 to longer request lines.
const maxQueryURL = 8 << 10

// appendFormBody appends the form body of the escaped, sorted parameters ps:
// key=value pairs joined with '&'. RFC 3986 escaping (a space is %20) is
// valid form encoding, and it is what a V2 string to sign is built from.
func appendFormBody(dst []byte, ps params) []byte { return appendPairs(dst, ps) }

// signV2Form signs a V2 request whose request parameters ps go in a form
// body and whose common parameters (sorted, escaped, no Signature) go in the
// URL. It returns the URL query (the common parameters, then Signature) and
// the body. The signature is the one the same parameters would have all in
// the query.
func signV2Form(method, secret string, common, ps params) (query string, body []byte) {
	// The string to sign streams from the parameters, as signV2's does.
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	writeStringToSign(mac, method, ps, common)
	var sum [sha1.Size]byte
	sig := base64.StdEncoding.EncodeToString(mac.Sum(sum[:0]))

	q := appendPairs(make([]byte, 0, pairsLen(common)+len("&Signature=")+3*len(sig)), common)
	if len(common) > 0 {
		q = append(q, '&')
	}
	q = append(q, "Signature="...)
	q = appendEscape(q, sig)
	return string(q), appendFormBody(make([]byte, 0, pairsLen(ps)), ps)
}

// SignatureVersion selects how requests are signed.
type SignatureVersion string

const (
	// SignatureV2 is the RPC signature, HMAC-SHA1: SignatureMethod=HMAC-SHA1,
	// SignatureVersion=1.0 and Signature among the URL's parameters. The
	// default.
	SignatureV2 SignatureVersion = "v2"
	// SignatureV3 is ACS3-HMAC-SHA256, the official SDKs' default: Action,
	// Version, date and nonce in x-acs-* headers, the signature in an
	// Authorization header.
	SignatureV3 SignatureVersion = "v3"
)

// ParamPlacement selects where a request's parameters travel.
type ParamPlacement string

const (
	// ParamsAuto sends them in the URL query, as the official SDKs do,
	// while the URL stays under 8 KiB, and in a form body beyond (gateways
	// answer 414 to long URLs). The default.
	ParamsAuto ParamPlacement = ""
	// ParamsQuery always sends them in the URL query.
	ParamsQuery ParamPlacement = "query"
	// ParamsBody always sends them in an application/x-www-form-urlencoded
	// body.
	ParamsBody ParamPlacement = "body"
)

// placer signs attempts with one signature version and places their
// parameters; one per resolved Options.
type placer struct {
	placement ParamPlacement
	endpoint  string // the URL without its query
	host      string // the Host header
}

// newSigner returns the signer for a signature version and placement, or an
// error naming the option with an unknown value, for requests to endpoint
// (a valid absolute URL without a query).
func newSigner(v SignatureVersion, p ParamPlacement, endpoint string) (signer, error) {
	switch p {
	case ParamsAuto, ParamsQuery, ParamsBody:
	default:
		return nil, fmt.Errorf("alidomain: Options.Params %q is not %q, %q or %q", p, ParamsAuto, ParamsQuery, ParamsBody)
	}
	// V3 signs the Host header: the one net/http sends for the endpoint.
	req, err := http.NewRequest(http.MethodPost, endpoint, nil)
	if err != nil {
		return nil, fmt.Errorf("alidomain: Options.Endpoint: %w", err)
	}
	pl := &placer{placement: p, endpoint: endpoint, host: req.Host}
	switch v {
	case "", SignatureV2:
		return pl.signV2, nil
	case SignatureV3:
		return pl.signV3, nil
	}
	return nil, fmt.Errorf("alidomain: Options.Signature %q is not %q or %q", v, SignatureV2, SignatureV3)
}

// inQuery reports whether a query of queryLen bytes goes in the URL.
func (pl *placer) inQuery(queryLen int) bool {
	switch pl.placement {
	case ParamsQuery:
		return true
	case ParamsBody:
		return false
	}
	return len(pl.endpoint)+1+queryLen < maxQueryURL
}

// signV2 signs with the RPC signature, the request parameters in the URL
// or in a body. Before signing, only the signature's escaped length (28 to
// 84 bytes) is unknown, so only a query within that window of the limit is
// signed to be measured.
func (pl *placer) signV2(in signInput) signedAttempt {
	switch pl.placement {
	case ParamsQuery:
		return signV2(in)
	case ParamsAuto:
		n := pairsLen(in.params) + 1
		if pl.inQuery(n + v2CommonMaxLen(&in) + len("&Signature=") + 84) {
			return signV2(in) // fits in any case: no need to build the common parameters here
		}
		n += pairsLen(v2CommonParams(&in)) + len("&Signature=")
		if pl.inQuery(n + 84) {
			return signV2(in)
		}
		if pl.inQuery(n + 28) {
			if sa := signV2(in); pl.inQuery(len(sa.query)) {
				return sa
			}
		}
	}
	query, body := signV2Form(in.method, in.creds.AccessKeySecret, v2CommonParams(&in), in.params)
	return signedAttempt{query: query, body: body, header: http.Header{"Content-Type": {formContentType}}}
}

// v2CommonMaxLen bounds the length of the common parameters' pairs: their
// fixed text, and every variable value escaped at three bytes a byte.
func v2CommonMaxLen(in *signInput) int {
	const fixed = 200 // keys, separators, fixed values and the escaped Timestamp: 166
	return fixed + len(in.format) + 3*(len(in.creds.AccessKeyID)+len(in.action)+len(in.lang)+len(in.creds.SecurityToken)+len(in.nonce)+len(in.version))
}

// v2CommonParams returns the common parameters of a V2 request, sorted and
// escaped, without Signature: those signV2 merges into the query.
func v2CommonParams(in *signInput) params {
	common := make(params, 0, 10)
	add := func(k, v string) { common = append(common, param{key: k, value: v}) }
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
	add("Timestamp", escape(in.now.UTC().Format(timestampLayout)))
	add("Version", escape(in.apiVersion()))
	return common
}

// signV3 signs with ACS3-HMAC-SHA256. Action and Version go in headers; the
// request parameters, with Lang and, when XML is asked, Format=XML (JSON is
// the V3 default), go in the URL or in a body.
func (pl *placer) signV3(in signInput) signedAttempt {
	ps := in.params
	var extra params
	if in.format == "XML" {
		extra = append(extra, param{key: "Format", value: "XML"})
	}
	if in.lang != "" {
		extra = append(extra, param{key: "Lang", value: escape(in.lang)})
	}
	if len(extra) > 0 {
		ps = mergeParams(ps, extra)
	}
	r := v3Request{method: in.method, host: pl.host, action: in.action, version: in.version, date: v3Date(in.now), nonce: in.nonce, creds: in.creds}
	var query string
	if n := pairsLen(ps); pl.inQuery(n) {
		r.query = ps
		query = string(appendPairs(make([]byte, 0, n), ps))
	} else {
		r.body = appendFormBody(make([]byte, 0, n), ps)
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
	return signedAttempt{query: query, body: r.body, header: h}
}

// mergeParams returns the union of a and b, each sorted by raw key, sorted.
func mergeParams(a, b params) params {
	out := make(params, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j >= len(b) || (i < len(a) && a[i].sortKey() <= b[j].sortKey()) {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	return out
}
