package alidomain

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

// formBodyLen returns len(appendFormBody(nil, ps)) without building it.
func formBodyLen(ps params) int { return pairsLen(ps) }

// signV2Form signs a V2 request whose request parameters ps go in a form
// body and whose common parameters (sorted, escaped, no Signature) go in the
// URL. It returns the URL query (the common parameters, then Signature) and
// the body. The signature is the one the same parameters would have all in
// the query.
func signV2Form(method, secret string, common, ps params) (query string, body []byte) {
	canonical := appendCanonical(make([]byte, 0, pairsLen(common)+pairsLen(ps)+1), ps, common)
	sig := signCanonical(method, secret, canonical)
	q := appendPairs(make([]byte, 0, pairsLen(common)+len("&Signature=")+3*len(sig)), common)
	if len(common) > 0 {
		q = append(q, '&')
	}
	q = append(q, "Signature="...)
	q = appendEscape(q, sig)
	return string(q), appendFormBody(make([]byte, 0, pairsLen(ps)), ps)
}
