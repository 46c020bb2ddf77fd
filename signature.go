package alidomain

import (
	"fmt"

	"github.com/alidomain/alidomain/internal/sign"
)

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

// newSigner returns the signer for a signature version and placement, or an
// error naming the option with an unknown value, for requests to endpoint
// (a valid absolute URL without a query): the one place the options become
// internal/sign's values.
func newSigner(v SignatureVersion, p ParamPlacement, endpoint string) (sign.Signer, error) {
	var sp sign.Placement
	switch p {
	case ParamsAuto:
		sp = sign.Auto
	case ParamsQuery:
		sp = sign.Query
	case ParamsBody:
		sp = sign.Body
	default:
		return nil, fmt.Errorf("alidomain: Options.Params %q is not %q, %q or %q", p, ParamsAuto, ParamsQuery, ParamsBody)
	}
	var sv sign.Version
	switch v {
	case "", SignatureV2:
		sv = sign.V2
	case SignatureV3:
		sv = sign.V3
	default:
		return nil, fmt.Errorf("alidomain: Options.Signature %q is not %q or %q", v, SignatureV2, SignatureV3)
	}
	s, err := sign.New(sv, sp, endpoint)
	if err != nil {
		return nil, fmt.Errorf("alidomain: Options.Endpoint: %w", err)
	}
	return s, nil
}

// signCredentials returns what signing needs of creds.
func signCredentials(creds *Credentials) sign.Credentials {
	return sign.Credentials{AccessKeyID: creds.AccessKeyID, AccessKeySecret: creds.AccessKeySecret, SecurityToken: creds.SecurityToken}
}
