// Package benchmarks_test compares this SDK with the official Go SDKs and a
// plain standard-library implementation on one call,
// SaveBatchTaskForCreatingOrderRedeem with N domains:
//
//   - BenchmarkEndToEnd: over loopback HTTP to an httptest server, one
//     kept-alive connection;
//   - BenchmarkInProcess: through an in-process RoundTripper, no sockets: the
//     implementation's own cost;
//   - BenchmarkSign: request building and signing alone, where exposed, and
//     the limit, HMAC-SHA1 alone over the same string to sign.
//
// Before timing, every implementation's request is checked by the verify
// package (signature and exact parameters); the Test functions run the same
// checks without timing.
package benchmarks_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/domain"

	"github.com/alidomain/alidomain/benchmarks/internal/fixture"
	"github.com/alidomain/alidomain/benchmarks/internal/verify"
)

// setup is one implementation ready to call a verifying server.
type setup struct {
	h     *verify.Handler
	call  caller
	conns *atomic.Int64 // connections the server accepted (end to end only)
}

// newEndToEnd starts a loopback server and the implementation's client.
func newEndToEnd(tb testing.TB, im impl, batch []fixture.Domain) setup {
	tb.Helper()
	h := verify.NewHandler(batch)
	h.FlagsOptional = im.flagsOptional
	srv := httptest.NewUnstartedServer(h)
	conns := new(atomic.Int64)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	tb.Cleanup(srv.Close)
	call, err := im.newCaller(srv.URL, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return setup{h: h, call: call, conns: conns}
}

// newInProcess makes the implementation's client send through the
// handler's in-process RoundTripper.
func newInProcess(tb testing.TB, im impl, batch []fixture.Domain) setup {
	tb.Helper()
	h := verify.NewHandler(batch)
	h.FlagsOptional = im.flagsOptional
	call, err := im.newCaller("http://"+signHost, verify.RoundTripper{H: h})
	if err != nil {
		tb.Fatal(err)
	}
	return setup{h: h, call: call}
}

// checkAccepted makes one call with verification on and fails unless the
// server accepted it and the call returned the task.
func checkAccepted(tb testing.TB, s setup, batch []fixture.Domain) {
	tb.Helper()
	s.h.Verify.Store(true)
	before, _ := s.h.Accepted()
	err := mustTask(s.call(context.Background(), batch))
	n, rejected := s.h.Accepted()
	if len(rejected) > 0 {
		tb.Fatalf("the server rejected the request: %v", rejected[0])
	}
	if err != nil {
		tb.Fatalf("call: %v", err)
	}
	if n != before+1 {
		tb.Fatalf("the server accepted %d requests, want 1", n-before)
	}
}

// timeCalls times b.N calls with verification off.
func timeCalls(b *testing.B, s setup, batch []fixture.Domain) {
	checkAccepted(b, s, batch)
	s.h.Verify.Store(false)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if err := mustTask(s.call(ctx, batch)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportCPU(b, cpu)
	if s.conns != nil && s.conns.Load() != 1 {
		b.Logf("%d connections were opened, want one kept alive", s.conns.Load())
	}
}

// reportCPU reports the process CPU time per operation since start, as
// cpu-ns/op (not on systems where processCPU cannot measure it).
func reportCPU(b *testing.B, start time.Duration) {
	if end := processCPU(); end > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

func forEach(b *testing.B, f func(b *testing.B, im impl, batch []fixture.Domain)) {
	for _, im := range impls {
		for _, n := range fixture.Sizes {
			batch := fixture.Domains(n)
			b.Run(fmt.Sprintf("impl=%s/N=%d", im.name, n), func(b *testing.B) { f(b, im, batch) })
		}
	}
}

func BenchmarkEndToEnd(b *testing.B) {
	forEach(b, func(b *testing.B, im impl, batch []fixture.Domain) {
		timeCalls(b, newEndToEnd(b, im, batch), batch)
	})
}

func BenchmarkInProcess(b *testing.B) {
	forEach(b, func(b *testing.B, im impl, batch []fixture.Domain) {
		timeCalls(b, newInProcess(b, im, batch), batch)
	})
}

// signers are the implementations whose request building and signing can be
// timed alone (this SDK's are internal: see bench_test.go in the module
// root). Each returns a request for the verifier.
var signers = []struct {
	name string
	sign func(batch []fixture.Domain) (*http.Request, error)
}{
	{"official-v1", func(batch []fixture.Domain) (*http.Request, error) {
		req, err := signV1(v1SignClient, batch)
		if err != nil {
			return nil, err
		}
		return v1HTTPRequest(req)
	}},
	{"official-v2-hmac-sha1", func(batch []fixture.Domain) (*http.Request, error) {
		return v2HTTPRequest(signV2RPC(batch), nil)
	}},
	{"official-v2-acs3", func(batch []fixture.Domain) (*http.Request, error) {
		r := signV2ACS3(batch)
		return v2HTTPRequest(r.Query, r.Headers)
	}},
	{"stdlib", signStdlib},
}

var v1SignClient = func() *domain.Client {
	c, err := domain.NewClientWithAccessKey("cn-hangzhou", fixture.AccessKeyID, fixture.AccessKeySecret)
	if err != nil {
		panic(err)
	}
	return c
}()

// checkSigned fails unless the verifier accepts req for batch.
func checkSigned(tb testing.TB, req *http.Request, err error, batch []fixture.Domain) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := verify.Check(req, nil, batch, time.Now()); err != nil {
		tb.Fatalf("the server would reject the request: %v", err)
	}
}

func BenchmarkSign(b *testing.B) {
	for _, n := range fixture.Sizes {
		batch := fixture.Domains(n)
		for _, s := range signers {
			b.Run(fmt.Sprintf("impl=%s/N=%d", s.name, n), func(b *testing.B) {
				req, err := s.sign(batch)
				checkSigned(b, req, err, batch)
				b.ReportAllocs()
				b.ResetTimer()
				defer reportCPU(b, processCPU())
				// Time only what the implementation does itself.
				switch s.name {
				case "official-v1":
					for i := 0; i < b.N; i++ {
						if _, err := signV1(v1SignClient, batch); err != nil {
							b.Fatal(err)
						}
					}
				case "official-v2-hmac-sha1":
					for i := 0; i < b.N; i++ {
						signV2RPC(batch)
					}
				case "official-v2-acs3":
					for i := 0; i < b.N; i++ {
						signV2ACS3(batch)
					}
				default:
					for i := 0; i < b.N; i++ {
						if _, err := s.sign(batch); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
		b.Run(fmt.Sprintf("impl=hmac-sha1-only/N=%d", n), func(b *testing.B) {
			sts := stringToSign(batch)
			var sum [sha1Size]byte
			b.ReportAllocs()
			b.SetBytes(int64(len(sts)))
			b.ResetTimer()
			defer reportCPU(b, processCPU())
			for i := 0; i < b.N; i++ {
				hmacOnly(sts, sum[:])
			}
		})
	}
}

const sha1Size = 20

// TestAccepted runs, without timing, the check that precedes every timed
// run: each implementation's request is accepted by the verifying server,
// end to end and in process, at every N, on one kept-alive connection.
func TestAccepted(t *testing.T) {
	for _, im := range impls {
		for _, n := range fixture.Sizes {
			batch := fixture.Domains(n)
			t.Run(fmt.Sprintf("EndToEnd/impl=%s/N=%d", im.name, n), func(t *testing.T) {
				s := newEndToEnd(t, im, batch)
				for i := 0; i < 3; i++ { // fresh nonces on every call
					checkAccepted(t, s, batch)
				}
				if got := s.conns.Load(); got != 1 {
					t.Errorf("%d connections for 3 calls, want one kept alive", got)
				}
			})
			t.Run(fmt.Sprintf("InProcess/impl=%s/N=%d", im.name, n), func(t *testing.T) {
				s := newInProcess(t, im, batch)
				checkAccepted(t, s, batch)
				// The timed path (verification off) answers too.
				s.h.Verify.Store(false)
				if err := mustTask(s.call(context.Background(), batch)); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// TestSignAccepted checks the requests that BenchmarkSign times.
func TestSignAccepted(t *testing.T) {
	for _, n := range fixture.Sizes {
		batch := fixture.Domains(n)
		for _, s := range signers {
			t.Run(fmt.Sprintf("impl=%s/N=%d", s.name, n), func(t *testing.T) {
				req, err := s.sign(batch)
				checkSigned(t, req, err, batch)
			})
		}
	}
}

// TestVerifierRejects makes sure the verifier is not vacuous: a request
// with a wrong signature, a missing, extra or changed domain, or a replayed
// nonce is rejected.
func TestVerifierRejects(t *testing.T) {
	batch := fixture.Domains(3)
	good := func() *http.Request {
		req, err := signStdlib(batch)
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	tamper := map[string]func(*http.Request){
		"signature": func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "Signature=", "Signature=A", 1)
		},
		"changed domain": func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "expired-name-0002", "expired-name-0009", 1)
		},
	}
	for name, f := range tamper {
		req := good()
		f(req)
		if _, err := verify.Check(req, nil, batch, time.Now()); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A correctly signed request for another batch is refused too.
	for _, other := range [][]fixture.Domain{batch[:2], fixture.Domains(4)} {
		req, err := signStdlib(other)
		checkSigned(t, req, err, other)
		if _, err := verify.Check(req, nil, batch, time.Now()); err == nil {
			t.Errorf("a request for %d domains was accepted for %d", len(other), len(batch))
		}
	}
	// An ACS3 request with a changed header is refused.
	r := signV2ACS3(batch)
	req, err := v2HTTPRequest(r.Query, r.Headers)
	checkSigned(t, req, err, batch)
	req.Header.Set("x-acs-version", "2017-12-18")
	if _, err := verify.Check(req, nil, batch, time.Now()); err == nil {
		t.Error("ACS3 request with a changed signed header was accepted")
	}
	// A replayed nonce is refused by the handler.
	h := verify.NewHandler(batch)
	req = good()
	for i, want := range []int{200, 400} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req.Clone(context.Background()))
		if rec.Code != want {
			t.Errorf("request %d: HTTP %d, want %d", i+1, rec.Code, want)
		}
	}
}
