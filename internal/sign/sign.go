// Package sign signs the attempts of RPC-style requests: the RPC signature
// (V2, HMAC-SHA1) and ACS3-HMAC-SHA256 (V3), with the request parameters in
// the URL query or in an application/x-www-form-urlencoded body. It knows
// nothing of the API's actions: it signs encoded parameters (package wire)
// with the credentials and common values of one attempt.
package sign

import (
	"fmt"
	"net/http"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// Credentials are what signing needs of an AccessKey.
type Credentials struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string // empty: none
}

// Input is what a signer signs for one attempt: the request's sorted,
// escaped parameters and what the common parameters are made of.
type Input struct {
	Method      string
	Action      string
	Version     string // the API version, as given
	Format      string // JSON or XML
	Lang        string // empty: none sent
	Credentials Credentials
	Now         time.Time
	Nonce       string // fresh for every attempt
	Params      wire.Params
}

// Attempt is a signer's output: the URL query, and for signature versions
// or placements that use them, a form body and extra headers.
type Attempt struct {
	Query  string
	Body   []byte      // nil: no body; else Header carries its Content-Type
	Header http.Header // nil: none beyond the client's own
	// Signature is the signature as sent (V2: escaped, the last parameter
	// of Query; V3: the hex in Authorization), so that errors never quote it.
	Signature string
}

// Signer signs one attempt; one per signature version and placement. The
// input is passed by value: it stays on the caller's stack.
type Signer func(Input) Attempt

// Version is a signature version.
type Version uint8

const (
	// V2 is the RPC signature, HMAC-SHA1, in the parameters.
	V2 Version = iota
	// V3 is ACS3-HMAC-SHA256, in headers.
	V3
)

// Placement is where a request's parameters travel.
type Placement uint8

const (
	// Auto places them in the URL query while the URL stays under
	// maxQueryURL, in a form body beyond.
	Auto Placement = iota
	// Query always places them in the URL query.
	Query
	// Body always places them in a form body.
	Body
)

// Request parameters in a form body, for both signature versions: V3
// hashes the body's exact bytes; V2 signs over the union of the URL's and
// the body's parameters, so where a parameter sits does not change the
// signature, and with the request parameters in the body the URL carries
// only the common ones and Signature.

// maxQueryURL is the URL length from which Auto moves the request
// parameters into a body: gateways answer 414 to longer request lines.
const maxQueryURL = 8 << 10

// placer signs attempts with one signature version and places their
// parameters.
type placer struct {
	placement Placement
	endpoint  string // the URL without its query
	host      string // the Host header
}

// New returns the signer of version v and placement p for requests to
// endpoint (an absolute URL without a query), or the error parsing it.
func New(v Version, p Placement, endpoint string) (Signer, error) {
	if p > Body {
		return nil, fmt.Errorf("sign: unknown placement %d", p)
	}
	// V3 signs the Host header: the one net/http sends for the endpoint.
	req, err := http.NewRequest(http.MethodPost, endpoint, nil)
	if err != nil {
		return nil, err
	}
	pl := &placer{placement: p, endpoint: endpoint, host: req.Host}
	switch v {
	case V2:
		return pl.signV2, nil
	case V3:
		return pl.signV3, nil
	}
	return nil, fmt.Errorf("sign: unknown version %d", v)
}

// inQuery reports whether a query of queryLen bytes goes in the URL.
func (pl *placer) inQuery(queryLen int) bool {
	switch pl.placement {
	case Query:
		return true
	case Body:
		return false
	}
	return len(pl.endpoint)+1+queryLen < maxQueryURL
}
