package alidomain

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-querystring/query"

	"github.com/alidomain/alidomain/internal/sign"
	"github.com/alidomain/alidomain/internal/sign/signtest"
	"github.com/alidomain/alidomain/internal/wire"
)

// These benchmarks time the internals of one SubmitBatch where they are
// visible: encoding the request once per call, and the per-attempt work of
// signing (common parameters, canonical query, HMAC) compared with the HMAC
// alone over the same string to sign. The comparison with other SDKs lives
// in the benchmarks module (benchmarks/).

var benchSizes = []int{1, 10, 100, 1000}

// benchBatch returns a valid batch of n domains.
func benchBatch(n int) *BatchRedeemRequest {
	base := time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC)
	r := &BatchRedeemRequest{Domains: make([]RedeemDomain, n)}
	for i := range r.Domains {
		r.Domains[i] = RedeemDomain{
			DomainName:            fmt.Sprintf("expired-name-%04d.com", i+1),
			CurrentExpirationDate: base.Add(time.Duration(i) * 7919 * time.Millisecond),
		}
	}
	return r
}

// benchSign returns the signing input of an attempt of SubmitBatch.
func benchSign(ps wire.Params) sign.Input {
	creds := sign.Credentials{AccessKeyID: "LTAI5tBenchmarkKeyID", AccessKeySecret: "bench/Secret+With*Odd~Chars"}
	return sign.Input{Method: "POST", Action: opSaveBatchRedeem.action, Version: APIVersion, Format: "JSON", Credentials: creds, Now: benchNow, Nonce: benchNonce, Params: ps}
}

// benchSigner returns the V2 signer with every parameter in the query, as
// send uses it for a small request.
func benchSigner(tb testing.TB) sign.Signer {
	s, err := newSigner(SignatureV2, ParamsQuery, DefaultEndpoint)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

var (
	benchNow   = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	benchNonce = "0123456789abcdef0123456789abcdef"
)

// BenchmarkEncodeOnce times what SubmitBatch does once per call before the
// first attempt: validation, then encoding into sorted, escaped parameters.
// step=go-querystring is the same work for the one-domain request through
// go-querystring's url.Values and a sort, which the encoder replaces.
func BenchmarkEncodeOnce(b *testing.B) {
	for _, n := range benchSizes {
		req := benchBatch(n)
		b.Run(fmt.Sprintf("step=validate/N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := req.Validate(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("step=encode/N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, _, err := wire.EncodeRequest(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	single := &RedeemRequest{DomainName: "expired-name-0001.com", CurrentExpirationDate: benchNow, UserClientIP: "192.0.2.1"}
	b.Run("step=encode-single/N=1", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, _, err := wire.EncodeRequest(single); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("step=go-querystring-single/N=1", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			v, err := query.Values(single)
			if err != nil {
				b.Fatal(err)
			}
			wire.EncodeValues(v)
		}
	})
}

// BenchmarkSignAttempt times the per-attempt signing work against the bare
// HMAC-SHA1 over the same string to sign:
//
//   - step=query: the whole per-attempt query (common parameters with a
//     fixed nonce and time, canonical query, signature, query string), as
//     send builds it;
//   - step=hmac: hmac.New, Write and Sum over the precomputed string to sign.
//
// The target is step=query / step=hmac <= 3 at N=1000.
func BenchmarkSignAttempt(b *testing.B) {
	for _, n := range benchSizes {
		ps, _, err := wire.EncodeRequest(benchBatch(n))
		if err != nil {
			b.Fatal(err)
		}
		in := benchSign(ps)
		signV2 := benchSigner(b)
		b.Run(fmt.Sprintf("step=query/N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				signV2(in)
			}
		})
		q, _ := url.ParseQuery(signV2(in).Query)
		sts := []byte(signtest.StringToSign("POST", q))
		b.Run(fmt.Sprintf("step=hmac/N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(sts)))
			var sum [sha1.Size]byte
			for i := 0; i < b.N; i++ {
				mac := hmac.New(sha1.New, []byte(in.Credentials.AccessKeySecret+"&"))
				mac.Write(sts)
				mac.Sum(sum[:0])
			}
		})
	}
}

// TestBenchSigningMatchesReference keeps the benchmarks honest: the query
// they time is signed as the reference computation signs it.
func TestBenchSigningMatchesReference(t *testing.T) {
	for _, n := range benchSizes {
		ps, _, err := wire.EncodeRequest(benchBatch(n))
		if err != nil {
			t.Fatal(err)
		}
		in := benchSign(ps)
		q, err := url.ParseQuery(benchSigner(t)(in).Query)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := q.Get("Signature"), signtest.Sign("POST", in.Credentials.AccessKeySecret, q); got != want {
			t.Fatalf("N=%d: Signature %q, reference %q", n, got, want)
		}
		if got := len(q); got != 2*n+2+9 {
			t.Fatalf("N=%d: %d parameters, want %d", n, got, 2*n+2+9)
		}
	}
}

// stubTransport answers every request in process with a submit answer.
type stubTransport struct{}

func (stubTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	const body = `{"RequestId":"0D4B0C5E-BENCH-4F0B-9A0C-000000000001","TaskNo":"T-20250101-0001"}`
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: req}, nil
}

// BenchmarkSubmitBatch times a whole SubmitBatch through an in-process
// transport: the SDK's own cost (the benchmarks module compares it with
// other implementations).
func BenchmarkSubmitBatch(b *testing.B) {
	c, err := New(Options{Endpoint: "http://domain.test/", Credentials: StaticCredentials("LTAI5tBenchmarkKeyID", "bench/Secret+With*Odd~Chars"),
		HTTPClient: &http.Client{Transport: stubTransport{}}})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range benchSizes {
		req := benchBatch(n)
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := c.Redeem.SubmitBatch(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
