package alidomain

import (
	"crypto/hmac"
	"crypto/sha1"
	"fmt"
	"net/url"
	"testing"
	"time"
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

// benchSigning returns what an attempt of SubmitBatch signs with.
func benchSigning() *signing {
	creds := Credentials{AccessKeyID: "LTAI5tBenchmarkKeyID", AccessKeySecret: "bench/Secret+With*Odd~Chars"}
	return &signing{op: opSaveBatchRedeem, creds: creds, idEsc: escape(creds.AccessKeyID)}
}

var (
	benchNow   = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	benchNonce = "0123456789abcdef0123456789abcdef"
)

// BenchmarkEncodeOnce times what SubmitBatch does once per call before the
// first attempt: validation, then flattening (go-querystring) and encoding
// into sorted parameters.
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
				if _, err := encodeRequest(req.wire()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSignAttempt times the per-attempt signing work against the bare
// HMAC-SHA1 over the same string to sign:
//
//   - step=query: the whole per-attempt query (common parameters with a
//     fixed nonce and time, canonical query, signature, query string), as
//     send builds it;
//   - step=canonical+sign: appendCanonical into a reused buffer, then
//     signCanonical;
//   - step=hmac: hmac.New, Write and Sum over the precomputed string to sign.
//
// The target is step=query / step=hmac <= 3 at N=1000.
func BenchmarkSignAttempt(b *testing.B) {
	for _, n := range benchSizes {
		ps, err := encodeRequest(benchBatch(n).wire())
		if err != nil {
			b.Fatal(err)
		}
		s := benchSigning()
		b.Run(fmt.Sprintf("step=query/N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				s.signedQuery(ps, "JSON", benchNow, benchNonce)
			}
		})
		common := params{
			{key: "AccessKeyId", value: s.idEsc},
			{key: "Action", value: s.op.action},
			{key: "Format", value: "JSON"},
			{key: "SignatureMethod", value: "HMAC-SHA1"},
			{key: "SignatureNonce", value: benchNonce},
			{key: "SignatureVersion", value: "1.0"},
			{key: "Timestamp", value: "2025-06-01T12%3A00%3A00Z"},
			{key: "Version", value: APIVersion},
		}
		canonical := appendCanonical(nil, ps, common)
		b.Run(fmt.Sprintf("step=canonical+sign/N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			buf := make([]byte, 0, len(canonical))
			for i := 0; i < b.N; i++ {
				buf = appendCanonical(buf[:0], ps, common)
				signCanonical("POST", s.creds.AccessKeySecret, buf)
			}
		})
		sts := []byte(stringToSignPrefix("POST") + escape(string(canonical)))
		b.Run(fmt.Sprintf("step=hmac/N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(sts)))
			var sum [sha1.Size]byte
			for i := 0; i < b.N; i++ {
				mac := hmac.New(sha1.New, []byte(s.creds.AccessKeySecret+"&"))
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
		ps, err := encodeRequest(benchBatch(n).wire())
		if err != nil {
			t.Fatal(err)
		}
		s := benchSigning()
		q, err := url.ParseQuery(s.signedQuery(ps, "JSON", benchNow, benchNonce))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := q.Get("Signature"), refSign("POST", s.creds.AccessKeySecret, q); got != want {
			t.Fatalf("N=%d: Signature %q, reference %q", n, got, want)
		}
		if got := len(q); got != 2*n+2+9 {
			t.Fatalf("N=%d: %d parameters, want %d", n, got, 2*n+2+9)
		}
	}
}
