package alidomain_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// Distinctive secrets, with characters that percent-encoding changes.
const (
	auditSecret      = "Audit/Secret+Key=0123456789abcdefXYZ"
	auditWrongSecret = "Wrong/Secret+Key=9876543210fedcbaQRS"
	auditToken       = "STS.Audit/Token+Value==CAISzAJ1q6Ft5B2yfSjIr5bNIdTz2rl4gKPYOBvHlTG"
)

// rfc3986 is the RPC signature's percent-encoding, built independently of
// the SDK's encoder.
func rfc3986(s string) string {
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(url.QueryEscape(s))
}

// secretForms returns s as it could appear: raw, percent-encoded once or
// twice (the string to sign encodes every value twice) and form-encoded.
func secretForms(s string) []string {
	return []string{s, url.QueryEscape(s), url.PathEscape(s), rfc3986(s), rfc3986(rfc3986(s)),
		url.QueryEscape(url.QueryEscape(s))}
}

// echoedForms returns the forms of s, whole and as its prefixes of 10 and
// 11 bytes (shorter than the 12 bytes that were once the shortest
// redacted), in secretForms and in the echo rows' encodings: the forms of
// the secrets the echo rows quote.
func echoedForms(s string) []string {
	var forms []string
	for _, p := range []string{s, s[:min(10, len(s))], s[:min(11, len(s))]} {
		forms = append(forms, secretForms(p)...)
		for _, e := range auditEchoes {
			forms = append(forms, e.enc(p))
		}
	}
	return forms
}

// auditEchoes are the encodings in which the echo rows' service quotes the
// secrets, written independently of the SDK.
var auditEchoes = []struct {
	name string
	enc  func(string) string
}{
	{"HTML decimal references", func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, "&#%d;", r)
		}
		return b.String()
	}},
	{"XML hexadecimal references", func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, "&#x%X;", r)
		}
		return b.String()
	}},
	{"JSON \\u escapes", func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, "\\u%04x", r)
		}
		return b.String()
	}},
	{"lower-case %xx twice", func(s string) string { return lowerPercent(rfc3986(lowerPercent(rfc3986(s)))) }},
}

// lowerPercent lower-cases the hex digits of the percent-escapes of s.
func lowerPercent(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = byte(unicode.ToLower(rune(b[i+1]))), byte(unicode.ToLower(rune(b[i+2])))
		}
	}
	return string(b)
}

// echoRows are rows beside the fault matrix for the audit: the service
// answers the order with an error in a 200 whose Code and Message quote the
// AuthorizationCode, the SecurityToken and the AccessKeySecret in one
// encoding, whole and as 10- and 11-byte prefixes.
func echoRows() []matrixCase {
	var rows []matrixCase
	for _, e := range auditEchoes {
		quote := func(s string) string { return e.enc(s) + " (" + e.enc(s[:10]) + ", " + e.enc(s[:11]) + ")" }
		msg := "code " + quote(matrixTransfer.AuthorizationCode) + " token " + quote(auditToken) + " secret " + quote(auditSecret)
		rows = append(rows, matrixCase{name: "echo in " + e.name, faults: faults(alidomaintest.InBodyError("Invalid."+e.enc(matrixTransfer.AuthorizationCode), msg))})
	}
	return rows
}

// auditRun is one signature version, placement and client secret of the
// audit, with everything it printed, logged and sent.
type auditRun struct {
	mode        wireMode
	secret      string // the client's
	logs, shown lockedBuffer
	wire        wireRecorder // every request the client sent itself
	errors      atomic.Int64
	cfg         matrixConfig
}

func (a *auditRun) String() string {
	if a.secret == auditSecret {
		return a.mode.String() + "/right-secret"
	}
	return a.mode.String() + "/wrong-secret"
}

func (a *auditRun) show(format string, args ...any) { fmt.Fprintf(&a.shown, format+"\n", args...) }

// newAuditRun returns the run's matrix configuration: the simulator knows
// the audit's key pair and STS token; the client signs with them (or with
// a wrong secret), logs at Debug into a buffer and has every value and
// error it returns printed and logged.
func newAuditRun(mode wireMode, secret string) *auditRun {
	a := &auditRun{mode: mode, secret: secret}
	logger := slog.New(slog.NewJSONHandler(&a.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	text := slog.New(slog.NewTextHandler(&a.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a.cfg = matrixConfig{
		serverOpts: []alidomaintest.Option{
			alidomaintest.WithCredentials(matrixID, auditSecret),
			alidomaintest.WithSecurityToken(auditToken),
		},
		creds: func(*alidomaintest.Server) alidomain.CredentialsProvider {
			return alidomain.StaticSTSCredentials(matrixID, secret, auditToken)
		},
		logger:   logger,
		wrapConn: a.wire.wrap,
		observe: func(op string, res any, err error) {
			a.show("%s: %v | %+v | %#v", op, res, res, res)
			text.Info("result", "op", op, "res", res)
			if err == nil {
				return
			}
			a.errors.Add(1)
			a.show("%s error: %s | %v | %+v | %#v", op, err.Error(), err, err, err)
			for e := err; e != nil; e = errors.Unwrap(e) {
				a.show("  chain %T: %v | %+v | %#v", e, e, e, e)
			}
			var apiErr *alidomain.APIError
			if errors.As(err, &apiErr) {
				a.show("  api error: %#v", *apiErr)
			}
			var unknown *alidomain.OutcomeUnknownError
			if errors.As(err, &unknown) {
				a.show("  outcome unknown: %#v", *unknown)
			}
			logger.Error("call failed", "op", op, "err", err)
			text.Error("call failed", "op", op, "err", err)
		},
	}
	a.cfg.mode = mode
	return a
}

// TestSecretsNeverLeak runs the whole fault matrix and the order matrix's
// transfer columns (whose requests carry an AuthorizationCode) for both signature versions and both
// parameter placements, with STS credentials and a Debug logger, twice (the
// right secret; then a wrong one, so that every answer is
// SignatureDoesNotMatch, whose message quotes the string to sign), and
// checks that no log line, error text, printed value or panic shows the
// AccessKeySecret, the SecurityToken, any signature the client sent (V2's
// Signature, V3's Authorization signature), the transfer AuthorizationCode
// or any form body the client sent, raw, percent-encoded once or twice or
// form-encoded. The echo rows add the transfer columns answered by a
// service that quotes the AccessKeySecret, the SecurityToken and the code
// as HTML/XML references, JSON \u escapes and lower-case %xx twice, whole
// and as 10- and 11-byte prefixes; none of those forms may show either.
// Positive controls: each secret was on the wire, and the echoes were
// answered.
func TestSecretsNeverLeak(t *testing.T) {
	var runs []*auditRun
	var cells []cell
	for _, mode := range wireModes {
		for _, secret := range []string{auditSecret, auditWrongSecret} {
			a := newAuditRun(mode, secret)
			runs = append(runs, a)
			for i, c := range faultMatrix {
				for op := range numMatrixOps {
					cells = append(cells, cell{fmt.Sprintf("%s/%02d-%s", a, i, matrixOps[op].name), func(t *testing.T) {
						if res := runCell(t, a.cfg, c, op); res.panicked != nil {
							a.show("panic: %v | %#v", res.panicked, res.panicked)
						}
					}})
				}
				for _, col := range transferColumns() {
					cells = append(cells, cell{fmt.Sprintf("%s/%02d-%s", a, i, col.name), func(t *testing.T) {
						if res := runOrderCell(t, a.cfg, c, col); res.panicked != nil {
							a.show("panic: %v | %#v", res.panicked, res.panicked)
						}
					}})
				}
			}
			for _, c := range echoRows() {
				for _, col := range transferColumns() {
					cells = append(cells, cell{fmt.Sprintf("%s/%s-%s", a, c.name, col.name), func(t *testing.T) {
						if res := runOrderCell(t, a.cfg, c, col); res.panicked != nil {
							a.show("panic: %v | %#v", res.panicked, res.panicked)
						}
					}})
				}
			}
		}
	}
	runCells(t, cells)
	for _, a := range runs {
		t.Run(a.String(), func(t *testing.T) { a.audit(t) })
	}
}

// audit checks one run's corpus against the secrets its wire shows.
func (a *auditRun) audit(t *testing.T) {
	// The credentials themselves, printed and logged.
	creds, err := alidomain.StaticSTSCredentials(matrixID, a.secret, auditToken).Credentials(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a.show("credentials: %v | %+v | %#v | %s", creds, creds, creds, creds)
	a.cfg.logger.Debug("credentials", "creds", creds)

	corpus := a.logs.String() + "\n" + a.shown.String()
	reqs := a.wire.requests()

	// What went out: signatures, the token, the code, the bodies.
	var sigs, bodies []string
	tokens, codes := 0, 0
	for _, r := range reqs {
		switch a.mode.sig {
		case alidomain.SignatureV2:
			if s := r.query.Get("Signature"); s != "" {
				sigs = append(sigs, s)
			}
			if r.query.Get("SecurityToken") == auditToken {
				tokens++
			}
		case alidomain.SignatureV3:
			if _, s, ok := strings.Cut(r.header.Get("Authorization"), ",Signature="); ok && len(s) == 64 {
				sigs = append(sigs, s)
			}
			if r.header.Get("x-acs-security-token") == auditToken {
				tokens++
			}
		}
		form, _ := url.ParseQuery(r.body)
		if r.query.Get("AuthorizationCode") == matrixTransfer.AuthorizationCode || form.Get("AuthorizationCode") == matrixTransfer.AuthorizationCode {
			codes++
		}
		if r.body != "" {
			bodies = append(bodies, r.body)
		}
	}

	// Positive controls: the secrets went out in this run's mode, and the
	// corpus holds what it should.
	if len(sigs) < 50 || len(sigs) != len(reqs) {
		t.Fatalf("%d signatures captured in %d requests on the wire", len(sigs), len(reqs))
	}
	if tokens != len(reqs) {
		t.Fatalf("the token was on the wire in %d of %d requests", tokens, len(reqs))
	}
	if codes < 10 {
		t.Fatalf("the AuthorizationCode was on the wire in only %d requests", codes)
	}
	if a.mode.params == alidomain.ParamsBody && len(bodies) != len(reqs) {
		t.Fatalf("%d form bodies in %d requests", len(bodies), len(reqs))
	}
	if a.mode.params == alidomain.ParamsQuery && len(bodies) != 0 {
		t.Fatalf("%d bodies sent with the parameters in the query", len(bodies))
	}
	if !strings.Contains(corpus, `"msg":"alidomain: attempt"`) || a.errors.Load() < 50 {
		t.Fatalf("the audit saw too little: %d errors, logs:\n%.2000s", a.errors.Load(), a.logs.String())
	}
	if a.secret == auditSecret && (!strings.Contains(corpus, matrixDomain) || !strings.Contains(corpus, "[REDACTED]")) {
		t.Fatalf("the printed values lack the domain or the redaction mark")
	}
	if a.secret == auditWrongSecret && !strings.Contains(corpus, "SignatureDoesNotMatch") {
		t.Fatalf("no SignatureDoesNotMatch answer was seen")
	}

	secrets := map[string]string{
		"AccessKeySecret":   a.secret,
		"SecurityToken":     auditToken,
		"AuthorizationCode": matrixTransfer.AuthorizationCode,
	}
	if a.secret != auditSecret {
		secrets["server's AccessKeySecret"] = auditSecret
	}
	for i, s := range sigs {
		secrets[fmt.Sprintf("signature #%d", i)] = s
	}
	for i, b := range bodies {
		secrets[fmt.Sprintf("form body #%d %q", i, b)] = b
	}
	if a.secret == auditSecret && !strings.Contains(corpus, "Invalid.") {
		t.Fatalf("no echo row's answer was seen")
	}
	echoed := map[string]bool{"AccessKeySecret": true, "SecurityToken": true, "AuthorizationCode": true, "server's AccessKeySecret": true}
	leaks := 0
	for name, s := range secrets {
		forms := secretForms(s)
		if echoed[name] {
			forms = echoedForms(s)
		}
		for _, form := range forms {
			if i := strings.Index(corpus, form); i >= 0 {
				leaks++
				if leaks <= 5 {
					t.Errorf("%s leaks as %q in: ...%s...", name, form, corpus[max(0, i-200):min(len(corpus), i+len(form)+50)])
				}
			}
		}
	}
	t.Logf("%s: audited %d bytes of logs and printed values, %d errors, %d requests, %d signatures, %d bodies: %d leaks",
		a, len(corpus), a.errors.Load(), len(reqs), len(sigs), len(bodies), leaks)
}

// transferColumns are the order matrix's transfer columns.
func transferColumns() []orderColumn {
	var cols []orderColumn
	for _, col := range orderColumns {
		if orderKinds[col.name] == alidomaintest.KindTransfer {
			cols = append(cols, col)
		}
	}
	return cols
}
