package sign

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/sign/signtest"
	"github.com/alidomain/alidomain/internal/wire"
)

// The V2 body signer's common parameters are exactly those the query signer
// puts in the URL, and both sign the same: the two lists cannot drift.
func TestV2CommonParamsMatchQuerySigner(t *testing.T) {
	for _, creds := range []Credentials{
		{AccessKeyID: "id", AccessKeySecret: "s"},
		{AccessKeyID: "STS.id", AccessKeySecret: "s", SecurityToken: "tok en/+="},
	} {
		for _, lang := range []string{"", "zh"} {
			in := Input{Method: "POST", Action: "QueryTaskList", Version: "2018-01-29", Format: "XML", Lang: lang, Credentials: creds,
				Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Nonce: "n0nce", Params: wire.EncodeValues(url.Values{"PageNum": {"1"}, "Z": {"a b"}})}
			q, err := url.ParseQuery(signV2(in).Query)
			require.NoError(t, err)
			form, err := New(V2, Body, "https://domain.aliyuncs.com/")
			require.NoError(t, err)
			sa := form(in)
			bq, err := url.ParseQuery(sa.Query)
			require.NoError(t, err)
			bv, err := url.ParseQuery(string(sa.Body))
			require.NoError(t, err)
			for k, v := range bv {
				bq[k] = v
			}
			assert.Equal(t, q, bq, "creds %v, lang %q", creds, lang)
		}
	}
}

// Placement under ParamsAuto: the query while endpoint + "?" + query is
// shorter than 8 KiB, a body from 8,192 bytes on, exactly at the boundary,
// for both versions (V2 through the window where only signing tells the
// signature's escaped length).
func TestAutoPlacementBoundary(t *testing.T) {
	const endpoint = "https://domain.aliyuncs.com/"
	creds := Credentials{AccessKeyID: "testid", AccessKeySecret: "testsecret"}
	for _, version := range []Version{V2, V3} {
		sign, err := New(version, Auto, endpoint)
		require.NoError(t, err)
		sawQuery, sawBody := false, false
		for n := 7700; n <= 8300; n++ {
			in := Input{Method: "POST", Action: "QueryDomainList", Version: "2018-01-29", Format: "JSON", Credentials: creds,
				Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Nonce: fmt.Sprintf("%032d", n),
				Params: wire.EncodeValues(url.Values{"DomainName": {strings.Repeat("a", n)}})}
			// The length of the URL with everything in the query.
			var queryURL int
			if version == V2 {
				queryURL = len(endpoint) + 1 + len(signV2(in).Query)
			} else {
				queryURL = len(endpoint) + 1 + len("DomainName=") + n
			}
			sa := sign(in)
			if queryURL < 8192 {
				require.Nil(t, sa.Body, "%d n=%d: URL of %d bytes goes in the query", version, n, queryURL)
				require.Contains(t, sa.Query, "DomainName=")
				require.Less(t, len(endpoint)+1+len(sa.Query), 8192)
				sawQuery = true
			} else {
				require.NotNil(t, sa.Body, "%d n=%d: URL of %d bytes goes in a body", version, n, queryURL)
				require.NotContains(t, sa.Query, "DomainName=")
				require.Equal(t, "DomainName="+strings.Repeat("a", n), string(sa.Body))
				require.Equal(t, []string{"application/x-www-form-urlencoded"}, sa.Header["Content-Type"])
				sawBody = true
			}
		}
		assert.True(t, sawQuery && sawBody, "%d: the range crosses the boundary", version)
	}
}

// Attempt.Signature is the signature as sent, for every version and
// placement: V2's escaped Signature parameter (the independent signature
// over query and body), V3's hex at the end of Authorization.
func TestAttemptSignatureIsTheSentSignature(t *testing.T) {
	in := Input{Method: "POST", Action: "SaveBatchTaskForCreatingOrderRedeem", Version: "2018-01-29", Format: "JSON",
		Credentials: Credentials{AccessKeyID: "testid", AccessKeySecret: "testsecret", SecurityToken: "tok"},
		Now:         time.Date(2023, 3, 13, 8, 34, 30, 0, time.UTC), Nonce: "edb2b34af0af9a6d14deaf7c1a5315eb",
		Params: wire.EncodeValues(signtest.RedeemParams())}
	for _, p := range []Placement{Query, Body} {
		s, err := New(V2, p, "https://domain.aliyuncs.com/")
		require.NoError(t, err)
		sa := s(in)
		q, err := url.ParseQuery(sa.Query)
		require.NoError(t, err)
		form, err := url.ParseQuery(string(sa.Body))
		require.NoError(t, err)
		for k, v := range form {
			q[k] = v
		}
		assert.Equal(t, signtest.Escape(signtest.Sign("POST", "testsecret", q)), sa.Signature, "V2, placement %d", p)
		assert.True(t, strings.HasSuffix(sa.Query, "&Signature="+sa.Signature), "V2, placement %d", p)

		s, err = New(V3, p, "https://domain.aliyuncs.com/")
		require.NoError(t, err)
		sa = s(in)
		assert.Len(t, sa.Signature, 64, "V3, placement %d", p)
		assert.Equal(t, []string{sa.Header.Get("Authorization")[:len(sa.Header.Get("Authorization"))-64] + sa.Signature}, sa.Header["Authorization"])
		assert.Contains(t, sa.Header.Get("Authorization"), ",Signature="+sa.Signature)
	}
}

// An unsigned request's form carries Action, Format, Timestamp and
// Version among its parameters, in key order, and nothing of a signature.
func TestUnsignedForm(t *testing.T) {
	in := Input{Action: "AssumeRoleWithOIDC", Version: "2015-04-01", Format: "JSON", Lang: "en",
		Credentials: Credentials{AccessKeyID: "id", AccessKeySecret: "secret", SecurityToken: "tok"},
		Now:         time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600)), Nonce: "n",
		Params: wire.EncodeValues(url.Values{"RoleArn": {"acs:ram::1:role/r"}, "OIDCToken": {"a.b c"}})}
	assert.Equal(t, "Action=AssumeRoleWithOIDC&Format=JSON&Lang=en&OIDCToken=a.b%20c&RoleArn=acs%3Aram%3A%3A1%3Arole%2Fr&Timestamp=2026-01-02T02%3A04%3A05Z&Version=2015-04-01",
		string(UnsignedForm(&in)))
}

// New refuses values it does not know and an endpoint net/http cannot
// send to.
func TestNewRefuses(t *testing.T) {
	_, err := New(Version(7), Auto, "https://domain.aliyuncs.com/")
	assert.Error(t, err)
	_, err = New(V2, Placement(9), "https://domain.aliyuncs.com/")
	assert.Error(t, err)
	_, err = New(V3, Auto, "http://[::1")
	assert.Error(t, err)
	_, err = New(V3, Body, "https://domain.aliyuncs.com:8443/")
	assert.NoError(t, err)
}

// The parameters a request may not give are exactly the common ones the
// signer sets and Signature; Lang stays the request's to choose.
func TestReserved(t *testing.T) {
	var got []string
	for _, k := range []string{"AccessKeyId", "Action", "Format", "Lang", "SecurityToken", "Signature",
		"SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version", "RegionId", "DomainName", "action"} {
		if Reserved(k) {
			got = append(got, k)
		}
	}
	assert.Equal(t, []string{"AccessKeyId", "Action", "Format", "SecurityToken", "Signature",
		"SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version"}, got)
}

// FuzzSign checks the one-pass signer against the independent reference for
// arbitrary keys and values.
func FuzzSign(f *testing.F) {
	f.Add("Action", "X", "Key", "中 *~")
	f.Add("a", "", "b", "&=%")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		if k1 == "" || k2 == "" || k1 == k2 || k1 == "Signature" || k2 == "Signature" {
			return
		}
		p := map[string]string{k1: v1, k2: v2}
		vals := url.Values{k1: {v1}, k2: {v2}}
		if got, want := signRaw("POST", "sec", p), signtest.Sign("POST", "sec", vals); got != want {
			t.Fatalf("signRaw(%q) = %s, reference %s", p, got, want)
		}
	})
}
