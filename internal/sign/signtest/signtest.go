// Package signtest holds, for tests, independent computations of the two
// signatures, written straight from their published rules with the
// standard library and sharing nothing with package sign or package wire,
// and the worked example both are checked on.
package signtest

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
)

// Escape is the classic percent-encoding of the official SDKs, built on
// url.QueryEscape: an independent path to the same RFC 3986 result.
func Escape(s string) string {
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(url.QueryEscape(s))
}

// Sign computes the RPC (V2) signature of the parameters q, Signature
// among them or not: base64 HMAC-SHA1, keyed with secret+"&", of
// StringToSign.
func Sign(method, secret string, q url.Values) string {
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(StringToSign(method, q)))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// StringToSign returns the RPC string to sign of q, Signature left out:
// METHOD&%2F&escape(sorted key=value pairs joined with '&'), each key and
// value escaped.
func StringToSign(method string, q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, Escape(k)+"="+Escape(q.Get(k)))
	}
	return method + "&" + Escape("/") + "&" + Escape(strings.Join(parts, "&"))
}

// V3Input is what V3 computes a signature from: raw (unescaped) query
// values, headers as a map, the body.
type V3Input struct {
	Method  string
	Query   url.Values
	Headers map[string]string
	Body    []byte
	ID, Key string // the AccessKey ID and secret
}

// V3 computes the ACS3-HMAC-SHA256 signature from the spec text, with
// strings.Builder, sort.Strings and url.QueryEscape: canonical query =
// sorted key=QueryEscape(value) with '+' '*' "%7E" fixed up; canonical
// headers = host, content-type and x-acs-*, lower-cased, trimmed, sorted;
// payload hash; HMAC-SHA256 keyed by the secret. Keys are written as they
// are, as the official runtime does (the keys the API uses need no
// escaping).
func V3(in V3Input) (canonical, sts, auth string) {
	keys := make([]string, 0, len(in.Query))
	for k := range in.Query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var q []string
	for _, k := range keys {
		for _, v := range in.Query[k] {
			q = append(q, k+"="+url.QueryEscape(v))
		}
	}
	query := strings.Join(q, "&")
	query = strings.ReplaceAll(query, "+", "%20")
	query = strings.ReplaceAll(query, "*", "%2A")
	query = strings.ReplaceAll(query, "%7E", "~")

	var names []string
	lower := map[string]string{}
	for k, v := range in.Headers {
		lk := strings.ToLower(k)
		if lk == "host" || lk == "content-type" || strings.HasPrefix(lk, "x-acs-") {
			names = append(names, lk)
			lower[lk] = strings.TrimSpace(v)
		}
	}
	sort.Strings(names)
	var hb strings.Builder
	for _, n := range names {
		hb.WriteString(n + ":" + lower[n] + "\n")
	}
	signed := strings.Join(names, ";")
	payload := sha256.Sum256(in.Body)

	var b strings.Builder
	b.WriteString(in.Method + "\n/\n" + query + "\n" + hb.String() + "\n" + signed + "\n" + hex.EncodeToString(payload[:]))
	canonical = b.String()
	h := sha256.Sum256([]byte(canonical))
	sts = "ACS3-HMAC-SHA256\n" + hex.EncodeToString(h[:])
	mac := hmac.New(sha256.New, []byte(in.Key))
	mac.Write([]byte(sts))
	auth = "ACS3-HMAC-SHA256 Credential=" + in.ID + ",SignedHeaders=" + signed + ",Signature=" + hex.EncodeToString(mac.Sum(nil))
	return canonical, sts, auth
}

// RedeemParams are the two-domain redeem parameters of the worked example
// both signatures are published for.
func RedeemParams() url.Values {
	return url.Values{
		"OrderRedeemParam.1.CurrentExpirationDate": {"1700000000000"},
		"OrderRedeemParam.1.DomainName":            {"example.com"},
		"OrderRedeemParam.2.CurrentExpirationDate": {"1700086400000"},
		"OrderRedeemParam.2.DomainName":            {"example.net"},
		"UseCoupon":                                {"false"},
	}
}

// RedeemBody is RedeemParams as a form body: 209 bytes.
const RedeemBody = "OrderRedeemParam.1.CurrentExpirationDate=1700000000000&OrderRedeemParam.1.DomainName=example.com&OrderRedeemParam.2.CurrentExpirationDate=1700086400000&OrderRedeemParam.2.DomainName=example.net&UseCoupon=false"

// EmptySHA256 is the lower-hex SHA-256 of an empty body.
const EmptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
