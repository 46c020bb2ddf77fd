package sign

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/sign/signtest"
	"github.com/alidomain/alidomain/internal/wire"
)

// wireExample is the request of docs/wire.md's V3 worked example with the query or the body
// filled in by the test.
func wireExample() v3Request {
	return v3Request{
		host:    "domain.aliyuncs.com",
		action:  "SaveBatchTaskForCreatingOrderRedeem",
		date:    "2023-03-13T08:34:30Z",
		nonce:   "edb2b34af0af9a6d14deaf7c1a5315eb",
		version: "2018-01-29",
		creds:   Credentials{AccessKeyID: "testid", AccessKeySecret: "testsecret"},
	}
}

// canonicalOf returns the canonical request and string to sign the signer
// builds for r.
func canonicalOf(r *v3Request) (string, string) {
	sha := bodySHA256(r.body)
	c := appendV3Canonical(nil, r, r.v3Headers(sha), sha)
	return string(c), v3StringToSign(c)
}

// The V3 worked examples of docs/wire.md, byte for byte: canonical request,
// string to sign and Authorization.
func TestSignV3WireExamples(t *testing.T) {
	const a1Canonical = "POST\n/\n" +
		"OrderRedeemParam.1.CurrentExpirationDate=1700000000000&OrderRedeemParam.1.DomainName=example.com&OrderRedeemParam.2.CurrentExpirationDate=1700086400000&OrderRedeemParam.2.DomainName=example.net&UseCoupon=false\n" +
		"host:domain.aliyuncs.com\n" +
		"x-acs-action:SaveBatchTaskForCreatingOrderRedeem\n" +
		"x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
		"x-acs-date:2023-03-13T08:34:30Z\n" +
		"x-acs-signature-nonce:edb2b34af0af9a6d14deaf7c1a5315eb\n" +
		"x-acs-version:2018-01-29\n" +
		"\n" +
		"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	a2Canonical := strings.Replace(a1Canonical,
		"x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n",
		"x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-acs-credentials-provider:static_ak\n", 1)
	a2Canonical = strings.Replace(a2Canonical, "x-acs-content-sha256;x-acs-date", "x-acs-content-sha256;x-acs-credentials-provider;x-acs-date", 1)
	const b1Canonical = "POST\n/\n" +
		"\n" +
		"content-type:application/x-www-form-urlencoded\n" +
		"host:domain.aliyuncs.com\n" +
		"x-acs-action:SaveBatchTaskForCreatingOrderRedeem\n" +
		"x-acs-content-sha256:36262171c710a550e7dbda83fd608bb39ff236329131b35c5ba8ca0cc89839d4\n" +
		"x-acs-date:2023-03-13T08:34:30Z\n" +
		"x-acs-signature-nonce:edb2b34af0af9a6d14deaf7c1a5315eb\n" +
		"x-acs-version:2018-01-29\n" +
		"\n" +
		"content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" +
		"36262171c710a550e7dbda83fd608bb39ff236329131b35c5ba8ca0cc89839d4"

	tests := []struct {
		name      string
		inBody    bool
		provider  string
		canonical string // empty: not published in full
		sts, auth string
	}{
		{
			name: "A1 query, minimal headers", canonical: a1Canonical,
			sts:  "ACS3-HMAC-SHA256\n85ad72deb2de8eb1f0e4316d8dca657578e173be6d4629356995a19d31fbb4c7",
			auth: "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=e1ce0a967c87ce1b24cea4f909558d43ae61da66bcedc7902a2a100d0fc0339c",
		},
		{
			name: "A2 query, credentials provider", provider: "static_ak", canonical: a2Canonical,
			sts:  "ACS3-HMAC-SHA256\ndd06de9abf5d15b482d232f1c31167bd9c041dba8a04a6946347bd212d82ea3e",
			auth: "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=705ca20adba55b3a00f82efd5369c1a5e721c22b29cecc30cf51781f5b618bc3",
		},
		{
			name: "B1 form body, minimal headers", inBody: true, canonical: b1Canonical,
			sts:  "ACS3-HMAC-SHA256\n4eff887088b77dce5cee75193362eb664b68370ca583115f307ffa665e0c453c",
			auth: "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=57a780dc17770603319fe8b86c7f0e5d6ef28413be1e6d791f021a3089735908",
		},
		{
			name: "B2 form body, credentials provider", inBody: true, provider: "static_ak",
			sts:  "ACS3-HMAC-SHA256\n074df410d154e486661562dcd8471b28cc506886fa1e973a9c71732fb283504e",
			auth: "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=f16d429060cab2113c441894a6ff220a7187ee0fd6ad8aa19ba937c7aef2aa4a",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := wireExample()
			r.provider = tt.provider
			ps := wire.EncodeValues(signtest.RedeemParams())
			if tt.inBody {
				r.body = wire.AppendPairs(nil, ps)
				require.Equal(t, signtest.RedeemBody, string(r.body))
				require.Len(t, r.body, 209)
			} else {
				r.query = ps
			}
			canonical, sts := canonicalOf(&r)
			if tt.canonical != "" {
				assert.Equal(t, tt.canonical, canonical)
			}
			assert.Equal(t, tt.sts, sts)
			s := signV3(&r)
			assert.Equal(t, tt.auth, s.authorization)
			if tt.inBody {
				assert.Equal(t, "36262171c710a550e7dbda83fd608bb39ff236329131b35c5ba8ca0cc89839d4", s.contentSHA256)
			} else {
				assert.Equal(t, emptySHA256, s.contentSHA256)
			}
			// The independent implementation agrees on everything.
			rc, rsts, rauth := signtest.V3(refV3Input(&r))
			assert.Equal(t, rc, canonical)
			assert.Equal(t, rsts, sts)
			assert.Equal(t, rauth, s.authorization)
		})
	}
}

// The headers to send for docs/wire.md's worked examples A2 and B2: exactly the signed
// set, with the body's hash and, with a body, the content type.
func TestSignV3Headers(t *testing.T) {
	r := wireExample()
	r.query = wire.EncodeValues(signtest.RedeemParams())
	s := signV3(&r)
	assert.Equal(t, []header{
		{"host", "domain.aliyuncs.com"},
		{"x-acs-action", "SaveBatchTaskForCreatingOrderRedeem"},
		{"x-acs-content-sha256", emptySHA256},
		{"x-acs-date", "2023-03-13T08:34:30Z"},
		{"x-acs-signature-nonce", "edb2b34af0af9a6d14deaf7c1a5315eb"},
		{"x-acs-version", "2018-01-29"},
	}, s.headers)

	r.query, r.body = nil, wire.AppendPairs(nil, wire.EncodeValues(signtest.RedeemParams()))
	s = signV3(&r)
	assert.Equal(t, []header{
		{"content-type", "application/x-www-form-urlencoded"},
		{"host", "domain.aliyuncs.com"},
		{"x-acs-action", "SaveBatchTaskForCreatingOrderRedeem"},
		{"x-acs-content-sha256", "36262171c710a550e7dbda83fd608bb39ff236329131b35c5ba8ca0cc89839d4"},
		{"x-acs-date", "2023-03-13T08:34:30Z"},
		{"x-acs-signature-nonce", "edb2b34af0af9a6d14deaf7c1a5315eb"},
		{"x-acs-version", "2018-01-29"},
	}, s.headers)
}

// The official V3 vector (V3 signature doc, "Fixed parameter values"), and
// the vector derived for our operation (docs/wire.md, Published vector) with the same date,
// nonce and key.
func TestSignV3PublishedVector(t *testing.T) {
	creds := Credentials{AccessKeyID: "YourAccessKeyId", AccessKeySecret: "YourAccessKeySecret"}
	r := v3Request{
		host:    "ecs.cn-shanghai.aliyuncs.com",
		action:  "RunInstances",
		version: "2014-05-26",
		date:    "2023-10-26T10:22:32Z",
		nonce:   "3156853299f313e23d1673dc12e1703d",
		query: wire.EncodeValues(url.Values{
			"ImageId":  {"win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"},
			"RegionId": {"cn-shanghai"},
		}),
		creds: creds,
	}
	canonical, sts := canonicalOf(&r)
	// The canonical request, written out from the doc's rules.
	assert.Equal(t, "POST\n/\n"+
		"ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"+
		"host:ecs.cn-shanghai.aliyuncs.com\n"+
		"x-acs-action:RunInstances\n"+
		"x-acs-content-sha256:"+emptySHA256+"\n"+
		"x-acs-date:2023-10-26T10:22:32Z\n"+
		"x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n"+
		"x-acs-version:2014-05-26\n"+
		"\n"+
		"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"+
		emptySHA256, canonical)
	assert.Equal(t, "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259", sts)
	assert.Equal(t, "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
		signV3(&r).authorization)

	r = v3Request{
		host:    "domain.aliyuncs.com",
		action:  "SaveBatchTaskForCreatingOrderRedeem",
		date:    "2023-10-26T10:22:32Z",
		nonce:   "3156853299f313e23d1673dc12e1703d",
		query:   wire.EncodeValues(signtest.RedeemParams()),
		version: "2018-01-29",
		creds:   creds,
	}
	_, sts = canonicalOf(&r)
	assert.Equal(t, "ACS3-HMAC-SHA256\n79b00ad56ee877360e1d68a5b87162b21da430814766a937de735c97b11a609c", sts)
	assert.True(t, strings.HasSuffix(signV3(&r).authorization, ",Signature=33aafcf4f8f299011b16dccd3076ae7f9bdba999e7be1f0a5c1a44ca7c4bb845"))
}

// STS credentials add x-acs-accesskey-id and x-acs-security-token, both
// signed; the token changes the signature, the Credential stays the id.
func TestSignV3SecurityToken(t *testing.T) {
	r := wireExample()
	r.query = wire.EncodeValues(signtest.RedeemParams())
	plain := signV3(&r)
	r.creds = Credentials{AccessKeyID: "STS.testid", AccessKeySecret: "testsecret", SecurityToken: "tok/en+=="}
	s := signV3(&r)
	assert.Equal(t, []header{
		{"host", "domain.aliyuncs.com"},
		{"x-acs-accesskey-id", "STS.testid"},
		{"x-acs-action", "SaveBatchTaskForCreatingOrderRedeem"},
		{"x-acs-content-sha256", emptySHA256},
		{"x-acs-date", "2023-03-13T08:34:30Z"},
		{"x-acs-security-token", "tok/en+=="},
		{"x-acs-signature-nonce", "edb2b34af0af9a6d14deaf7c1a5315eb"},
		{"x-acs-version", "2018-01-29"},
	}, s.headers)
	assert.True(t, strings.HasPrefix(s.authorization, "ACS3-HMAC-SHA256 Credential=STS.testid,SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature="), s.authorization)
	assert.NotContains(t, s.authorization, "tok/en")
	_, _, rauth := signtest.V3(refV3Input(&r))
	assert.Equal(t, rauth, s.authorization)

	r.creds.SecurityToken = "another"
	assert.NotEqual(t, s.authorization, signV3(&r).authorization)
	assert.NotEqual(t, plain.authorization, s.authorization)
}

// Every field the signature covers changes it.
func TestSignV3CoversEveryInput(t *testing.T) {
	base := wireExample()
	base.query = wire.EncodeValues(signtest.RedeemParams())
	ref := signV3(&base).authorization
	changes := map[string]func(r *v3Request){
		"host":    func(r *v3Request) { r.host = "domain.aliyuncs.com:8443" },
		"action":  func(r *v3Request) { r.action = "QueryTaskList" },
		"version": func(r *v3Request) { r.version = "2017-12-18" },
		"date":    func(r *v3Request) { r.date = "2023-03-13T08:34:31Z" },
		"nonce":   func(r *v3Request) { r.nonce = "edb2b34af0af9a6d14deaf7c1a5315ec" },
		"query":   func(r *v3Request) { r.query = wire.EncodeValues(url.Values{"UseCoupon": {"true"}}) },
		"body":    func(r *v3Request) { r.body = []byte("UseCoupon=false") },
		"secret":  func(r *v3Request) { r.creds.AccessKeySecret = "testsecreT" },
		"method":  func(r *v3Request) { r.method = "GET" },
	}
	for name, change := range changes {
		r := base
		change(&r)
		assert.NotEqual(t, ref, signV3(&r).authorization, name)
	}
}

// The secret appears nowhere in what is sent, nor in %v of the request.
func TestSignV3KeepsSecret(t *testing.T) {
	r := wireExample()
	r.creds = Credentials{AccessKeyID: "id", AccessKeySecret: "Sup3rSecretValue", SecurityToken: "TokenValue123"}
	s := signV3(&r)
	assert.NotContains(t, s.authorization, "Sup3rSecretValue")
	for _, h := range s.headers {
		assert.NotContains(t, h.value, "Sup3rSecretValue")
	}
	for _, verb := range []string{"%v", "%+v", "%s"} {
		out := fmt.Sprintf(verb, &r)
		assert.NotContains(t, out, "Sup3rSecretValue", verb)
		assert.NotContains(t, out, "TokenValue123", verb)
	}
}

// Random parameters, bodies, tokens and values with every awkward byte:
// the signer agrees with the independent implementation.
func TestSignV3MatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("abcXYZ019-_.~ *+/=&%:?#\n\t中文é🎉\x00\xff")
	randStr := func(max int) string {
		n := rng.IntN(max + 1)
		var b []byte
		for range n {
			b = append(b, alphabet[rng.IntN(len(alphabet))])
		}
		return string(b)
	}
	for i := range 300 {
		vals := url.Values{}
		for range rng.IntN(12) {
			// Keys the API uses need no escaping, but Client.Call takes any.
			k := []string{"A", "B.1.C", "OrderRedeemParam.10.DomainName", "Lang", "z", "Z_9-x.y~", "Key With Space", "star*", "中文"}[rng.IntN(9)]
			vals.Set(k+fmt.Sprint(rng.IntN(3)), randStr(20))
		}
		r := v3Request{
			host:    []string{"domain.aliyuncs.com", "127.0.0.1:54321", "[::1]:80"}[rng.IntN(3)],
			action:  "Action" + fmt.Sprint(i),
			date:    "2026-01-02T03:04:05Z",
			nonce:   fmt.Sprintf("%032x", rng.Uint64()),
			query:   wire.EncodeValues(vals),
			version: "2018-01-29",
			creds:   Credentials{AccessKeyID: "id" + fmt.Sprint(i), AccessKeySecret: randStr(30)},
		}
		if rng.IntN(2) == 0 {
			r.query, r.body = nil, wire.AppendPairs(nil, r.query)
			if rng.IntN(4) == 0 {
				r.body = []byte(randStr(50)) // any bytes: the hash covers what is sent
			}
		}
		if rng.IntN(3) == 0 {
			r.creds.SecurityToken = "tok" + randStr(10)
		}
		if rng.IntN(4) == 0 {
			r.provider = "static_ak"
		}
		canonical, sts := canonicalOf(&r)
		rc, rsts, rauth := signtest.V3(refV3Input(&r))
		require.Equal(t, rc, canonical, "case %d", i)
		require.Equal(t, rsts, sts, "case %d", i)
		require.Equal(t, rauth, signV3(&r).authorization, "case %d", i)
	}
}

// A 10,000-domain batch signs in one pass: the canonical request is built
// in one buffer, so the allocations do not grow with the batch.
func TestSignV3AllocationsIndependentOfSize(t *testing.T) {
	allocs := func(n int) float64 {
		vals := url.Values{}
		for i := 1; i <= n; i++ {
			vals.Set(fmt.Sprintf("OrderRedeemParam.%d.DomainName", i), fmt.Sprintf("d%d.com", i))
			vals.Set(fmt.Sprintf("OrderRedeemParam.%d.CurrentExpirationDate", i), "1700000000000")
		}
		r := wireExample()
		r.query = wire.EncodeValues(vals)
		return testing.AllocsPerRun(5, func() { signV3(&r) })
	}
	small, large := allocs(1), allocs(10000)
	assert.LessOrEqual(t, large, small+1, "allocations for 1 domain %v, for 10,000 %v", small, large)
}

// refV3Input restates r for the reference from r's raw inputs, not from
// the signer's header list.
func refV3Input(r *v3Request) signtest.V3Input {
	in := signtest.V3Input{Method: "POST", Query: url.Values{}, Headers: map[string]string{}, Body: r.body,
		ID: r.creds.AccessKeyID, Key: r.creds.AccessKeySecret}
	if r.method != "" {
		in.Method = r.method
	}
	for _, p := range r.query {
		k, _ := url.PathUnescape(p.Key)
		v, _ := url.PathUnescape(p.Value)
		in.Query.Add(k, v)
	}
	sum := sha256.Sum256(r.body)
	in.Headers["Host"] = r.host
	in.Headers["x-acs-action"] = r.action
	in.Headers["x-acs-version"] = r.version
	in.Headers["x-acs-date"] = r.date
	in.Headers["x-acs-signature-nonce"] = r.nonce
	in.Headers["x-acs-content-sha256"] = hex.EncodeToString(sum[:])
	in.Headers["User-Agent"] = "not signed"
	in.Headers["Accept"] = "application/json"
	if r.body != nil {
		in.Headers["Content-Type"] = "application/x-www-form-urlencoded"
	}
	if r.creds.SecurityToken != "" {
		in.Headers["x-acs-accesskey-id"] = r.creds.AccessKeyID
		in.Headers["x-acs-security-token"] = r.creds.SecurityToken
	}
	if r.provider != "" {
		in.Headers["x-acs-credentials-provider"] = r.provider
	}
	return in
}

// BenchmarkSignV3 signs a batch of N domains (query placement); the work is
// one pass over the parameters, one SHA-256 of the canonical request and
// one HMAC.
func BenchmarkSignV3(b *testing.B) {
	for _, n := range []int{1, 1000} {
		vals := url.Values{}
		for i := 1; i <= n; i++ {
			vals.Set(fmt.Sprintf("OrderRedeemParam.%d.DomainName", i), fmt.Sprintf("d%d.com", i))
			vals.Set(fmt.Sprintf("OrderRedeemParam.%d.CurrentExpirationDate", i), "1700000000000")
		}
		r := wireExample()
		r.query = wire.EncodeValues(vals)
		b.Run(fmt.Sprint("N=", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				signV3(&r)
			}
		})
	}
}
