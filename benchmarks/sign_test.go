package benchmarks_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"net/url"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/domain"

	"github.com/alidomain/alidomain/benchmarks/internal/fixture"
	"github.com/alidomain/alidomain/benchmarks/internal/stdlibsdk"
	"github.com/alidomain/alidomain/benchmarks/internal/v2domain"
)

// Request building and signing alone, where an implementation exposes it.
// Each signer returns the signed request as an *http.Request for the
// verifier; the time taken to make that request for checking is not part
// of the benchmark where the implementation does not make one itself.

const signHost = "127.0.0.1:8080"

// signV1 builds and signs with the v1 SDK's exported
// Client.BuildRequestWithSigner: flatten the request model, sign, build the
// URL and the *http.Request. It returns the request model, whose query then
// holds the signature.
func signV1(c *domain.Client, batch []fixture.Domain) (*domain.SaveBatchTaskForCreatingOrderRedeemRequest, error) {
	req := newV1Request(signHost, batch)
	return req, c.BuildRequestWithSigner(req, nil)
}

// v1HTTPRequest rebuilds the request that the v1 SDK sends from its signed
// request model.
func v1HTTPRequest(req *domain.SaveBatchTaskForCreatingOrderRedeemRequest) (*http.Request, error) {
	return http.NewRequest(req.GetMethod(), req.BuildUrl(), nil)
}

// signV2RPC composes the v2 runtime's exported utilities as its
// DoRPCRequest does for SignatureAlgorithm "v2": flatten the model
// (openapiutil.Query), merge the common parameters, GetRPCSignature. The
// URL is built later inside dara.DoRequest, which exposes no step for it.
func signV2RPC(batch []fixture.Domain) map[string]*string {
	q := dara.Merge(map[string]*string{
		"Action":         dara.String(fixture.Action),
		"Format":         dara.String("json"),
		"Version":        dara.String(fixture.Version),
		"Timestamp":      openapiutil.GetTimestamp(),
		"SignatureNonce": openapiutil.GetNonce(),
	}, v2domain.Query(newV2Request(batch)))
	q["SignatureMethod"] = dara.String("HMAC-SHA1")
	q["SignatureVersion"] = dara.String("1.0")
	q["AccessKeyId"] = dara.String(fixture.AccessKeyID)
	q["Signature"] = openapiutil.GetRPCSignature(dara.Merge(q), dara.String("POST"), dara.String(fixture.AccessKeySecret))
	return q
}

// signV2ACS3 composes the v2 runtime's exported utilities as its DoRequest
// does for the default ACS3-HMAC-SHA256: flatten, the x-acs-* headers, hash
// the empty payload, GetAuthorization.
func signV2ACS3(batch []fixture.Domain) *dara.Request {
	const alg = "ACS3-HMAC-SHA256"
	r := dara.NewRequest()
	r.Protocol = dara.String("http")
	r.Method = dara.String("POST")
	r.Pathname = dara.String("/")
	r.Query = dara.Merge(v2domain.Query(newV2Request(batch)))
	r.Headers = map[string]*string{
		"host":                  dara.String(signHost),
		"x-acs-version":         dara.String(fixture.Version),
		"x-acs-action":          dara.String(fixture.Action),
		"user-agent":            openapiutil.GetUserAgent(nil),
		"x-acs-date":            openapiutil.GetTimestamp(),
		"x-acs-signature-nonce": openapiutil.GetNonce(),
		"accept":                dara.String("application/json"),
	}
	payload := dara.String(hex.EncodeToString(openapiutil.Hash([]byte(""), dara.String(alg))))
	r.Headers["x-acs-content-sha256"] = payload
	r.Headers["Authorization"] = openapiutil.GetAuthorization(r, dara.String(alg), payload,
		dara.String(fixture.AccessKeyID), dara.String(fixture.AccessKeySecret))
	return r
}

// v2HTTPRequest builds the request that the v2 runtime would send for a
// signed query and headers.
func v2HTTPRequest(query, headers map[string]*string) (*http.Request, error) {
	v := url.Values{}
	for k, p := range query {
		v.Set(k, dara.StringValue(p))
	}
	req, err := http.NewRequest(http.MethodPost, "http://"+signHost+"/?"+v.Encode(), nil)
	if err != nil {
		return nil, err
	}
	for k, p := range headers {
		if k != "host" {
			req.Header.Set(k, dara.StringValue(p))
		}
	}
	req.Host = signHost
	return req, nil
}

// signStdlib builds and signs with the standard-library implementation.
func signStdlib(batch []fixture.Domain) (*http.Request, error) {
	c := &stdlibsdk.Client{Endpoint: "http://" + signHost + "/", AccessKeyID: fixture.AccessKeyID, AccessKeySecret: fixture.AccessKeySecret}
	return c.NewRequest(context.Background(), stdlibDomains(batch), time.Now(), "bench-nonce-0123456789abcdef")
}

// stringToSign returns the RPC v1 string to sign for batch (what the HMAC
// of every RPC implementation runs over, but for its nonce and timestamp).
func stringToSign(batch []fixture.Domain) []byte {
	req, err := signStdlib(batch)
	if err != nil {
		panic(err)
	}
	q := req.URL.Query()
	q.Del("Signature")
	params := make(map[string]string, len(q))
	for k := range q {
		params[k] = q.Get(k)
	}
	return []byte("POST&%2F&" + stdlibsdk.PercentEncode(stdlibsdk.CanonicalQuery(params)))
}

// hmacOnly is the limit: HMAC-SHA1 alone over a precomputed string to sign.
func hmacOnly(sts []byte, sum []byte) []byte {
	mac := hmac.New(sha1.New, []byte(fixture.AccessKeySecret+"&"))
	mac.Write(sts)
	return mac.Sum(sum[:0])
}
