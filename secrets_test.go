package alidomain_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// Distinctive secrets, with characters that percent-encoding changes.
const (
	auditSecret      = "Audit/Secret+Key=0123456789abcdefXYZ"
	auditWrongSecret = "Wrong/Secret+Key=9876543210fedcbaQRS"
	auditToken       = "STS.Audit/Token+Value==CAISzAJ1q6Ft5B2yfSjIr5bNIdTz2rl4gKPYOBvHlTG"
)

// recordingConn copies every byte the client writes to wire.
type recordingConn struct {
	net.Conn
	wire *lockedBuffer
}

func (c recordingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.wire.Write(p[:n])
	return n, err
}

// signatureParam finds the Signature parameter in the request lines.
var signatureParam = regexp.MustCompile(`[?&]Signature=([A-Za-z0-9%._~-]+)`)

// rfc3986 is the RPC signature's percent-encoding, built independently of
// the SDK's encoder.
func rfc3986(s string) string {
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(url.QueryEscape(s))
}

// secretForms returns s as it could appear: raw, and percent-encoded once
// or twice (the string to sign encodes every value twice).
func secretForms(s string) []string {
	return []string{s, url.QueryEscape(s), url.PathEscape(s), rfc3986(s), rfc3986(rfc3986(s)),
		url.QueryEscape(url.QueryEscape(s))}
}

// TestSecretsNeverLeak runs the whole fault matrix with STS credentials and
// a Debug logger, twice (the right secret; then a wrong one, so that every
// answer is SignatureDoesNotMatch, whose message quotes the string to sign
// with the token in it), and checks that no log line, error text, printed
// value or panic shows the AccessKeySecret, the SecurityToken or any
// Signature the client sent, raw or percent-encoded.
func TestSecretsNeverLeak(t *testing.T) {
	for _, tc := range []struct {
		name   string
		secret string // the client's
	}{
		{"right-secret", auditSecret},
		{"wrong-secret", auditWrongSecret},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs, wire, shown lockedBuffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			var mu sync.Mutex
			var errCount int
			show := func(format string, args ...any) { fmt.Fprintf(&shown, format+"\n", args...) }
			cfg := matrixConfig{
				serverOpts: []alidomaintest.Option{
					alidomaintest.WithCredentials(matrixID, auditSecret),
					alidomaintest.WithSecurityToken(auditToken),
				},
				creds: func(*alidomaintest.Server) alidomain.CredentialsProvider {
					return alidomain.StaticSTSCredentials(matrixID, tc.secret, auditToken)
				},
				logger:   logger,
				wrapConn: func(c net.Conn) net.Conn { return recordingConn{c, &wire} },
				observe: func(op string, res any, err error) {
					show("%s: %v | %+v | %#v", op, res, res, res)
					if err == nil {
						return
					}
					mu.Lock()
					errCount++
					mu.Unlock()
					show("%s error: %s | %v | %+v | %#v", op, err.Error(), err, err, err)
					for e := err; e != nil; e = errors.Unwrap(e) {
						show("  chain %T: %v | %+v | %#v", e, e, e, e)
					}
					var apiErr *alidomain.APIError
					if errors.As(err, &apiErr) {
						show("  api error: %#v", *apiErr)
					}
					var unknown *alidomain.OutcomeUnknownError
					if errors.As(err, &unknown) {
						show("  outcome unknown: %#v", *unknown)
					}
					logger.Error("call failed", "op", op, "err", err)
				},
			}
			results := runMatrix(t, cfg, wireModes[:1])[0]
			for i := range results {
				for op := range results[i] {
					if p := results[i][op].panicked; p != nil {
						show("panic: %v | %#v", p, p)
					}
				}
			}
			// The credentials themselves, printed and logged.
			creds, err := alidomain.StaticSTSCredentials(matrixID, tc.secret, auditToken).Credentials(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			show("credentials: %v | %+v | %#v | %s", creds, creds, creds, creds)
			logger.Debug("credentials", "creds", creds)

			corpus := logs.String() + "\n" + shown.String()
			sent := wire.String()

			// Positive controls: the recording saw the secrets go out, and
			// the corpus holds what it should.
			var sigs []string
			for _, m := range signatureParam.FindAllStringSubmatch(sent, -1) {
				raw, err := url.PathUnescape(m[1])
				if err != nil {
					t.Fatalf("Signature %q: %v", m[1], err)
				}
				sigs = append(sigs, raw)
			}
			if len(sigs) < 30 {
				t.Fatalf("only %d signatures captured on the wire", len(sigs))
			}
			if !strings.Contains(sent, "SecurityToken="+rfc3986(auditToken)) {
				t.Fatalf("the token was not seen on the wire in its encoded form")
			}
			if !strings.Contains(corpus, `"msg":"alidomain: attempt"`) || errCount < 20 {
				t.Fatalf("the audit saw too little: %d errors, logs:\n%.2000s", errCount, logs.String())
			}
			if tc.secret == auditWrongSecret && !strings.Contains(corpus, "SignatureDoesNotMatch") {
				t.Fatalf("no SignatureDoesNotMatch answer was seen")
			}

			secrets := map[string]string{"AccessKeySecret": tc.secret, "SecurityToken": auditToken}
			if tc.secret != auditSecret {
				secrets["server's AccessKeySecret"] = auditSecret
			}
			for i, s := range sigs {
				secrets[fmt.Sprintf("Signature #%d", i)] = s
			}
			leaks := 0
			for name, s := range secrets {
				for _, form := range secretForms(s) {
					if i := strings.Index(corpus, form); i >= 0 {
						leaks++
						if leaks <= 5 {
							t.Errorf("%s leaks as %q in: ...%s...", name, form, corpus[max(0, i-200):min(len(corpus), i+len(form)+50)])
						}
					}
				}
			}
			t.Logf("audited %d bytes of logs and printed values, %d errors, %d signatures: %d leaks", len(corpus), errCount, len(sigs), leaks)
		})
	}
}
