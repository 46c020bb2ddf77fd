package alidomain_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// TestAuthorizationCodeNeverLeaks runs the fault matrix's transfer columns
// with a Debug logger, with the right secret and then a wrong one (every
// answer SignatureDoesNotMatch), prints and logs every request, result and
// error, and checks that the transfer code shows nowhere, raw or encoded,
// while the recording of the wire proves it was sent.
func TestAuthorizationCodeNeverLeaks(t *testing.T) {
	var cols []orderColumn
	for _, col := range orderColumns {
		if strings.HasPrefix(col.name, "Transfer.") {
			cols = append(cols, col)
		}
	}
	if len(cols) != 2 {
		t.Fatalf("%d transfer columns", len(cols))
	}
	for _, tc := range []struct{ name, secret string }{{"right-secret", auditSecret}, {"wrong-secret", auditWrongSecret}} {
		t.Run(tc.name, func(t *testing.T) {
			var logs, wire, shown lockedBuffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			text := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			show := func(format string, args ...any) { fmt.Fprintf(&shown, format+"\n", args...) }
			var mu sync.Mutex
			errCount := 0
			cfg := matrixConfig{
				serverOpts: []alidomaintest.Option{alidomaintest.WithCredentials(matrixID, auditSecret)},
				creds: func(*alidomaintest.Server) alidomain.CredentialsProvider {
					return alidomain.StaticCredentials(matrixID, tc.secret)
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
					logger.Error("call failed", "op", op, "err", err)
				},
			}
			t.Run("cells", func(t *testing.T) {
				for i, c := range faultMatrix {
					for _, col := range cols {
						t.Run(fmt.Sprintf("%02d-%s", i, col.name), func(t *testing.T) {
							t.Parallel()
							if res := runOrderCell(t, cfg, c, col); res.panicked != nil {
								show("panic: %v | %#v", res.panicked, res.panicked)
							}
						})
					}
				}
			})

			// The requests themselves, printed and logged every way.
			single := alidomain.TransferRequest{TransferDomain: matrixTransfer, UseCoupon: true, CouponNo: "C"}
			batch := alidomain.BatchTransferRequest{Domains: []alidomain.TransferDomain{matrixTransfer, matrixTransfer}}
			detail := alidomain.TaskDetail{DomainName: matrixDomain, TaskResult: matrixTransfer.AuthorizationCode}
			for _, v := range []any{matrixTransfer, &matrixTransfer, single, &single, batch, &batch, detail, []alidomain.TaskDetail{detail}} {
				show("%v | %+v | %#v | %s | %q | %x", v, v, v, v, v, v)
				logger.Info("value", "v", v)
				text.Info("value", "v", v)
			}
			if err := (&alidomain.BatchTransferRequest{Domains: []alidomain.TransferDomain{{DomainName: "a b", AuthorizationCode: matrixTransfer.AuthorizationCode}}}).Validate(); err != nil {
				show("validation: %v | %#v", err, err)
			}

			corpus := logs.String() + "\n" + shown.String()
			sent := wire.String()
			// Positive controls: the code went out, and the audit saw enough.
			if !strings.Contains(sent, "AuthorizationCode="+rfc3986(matrixTransfer.AuthorizationCode)) {
				t.Fatalf("the code was not seen on the wire in its encoded form")
			}
			if !strings.Contains(corpus, `"msg":"alidomain: attempt"`) || errCount < 20 {
				t.Fatalf("the audit saw too little: %d errors", errCount)
			}
			if tc.secret == auditWrongSecret && !strings.Contains(corpus, "SignatureDoesNotMatch") {
				t.Fatalf("no SignatureDoesNotMatch answer was seen")
			}
			if !strings.Contains(corpus, matrixDomain) || !strings.Contains(corpus, "[REDACTED]") {
				t.Fatalf("the printed values lack the domain or the redaction mark")
			}
			leaks := 0
			for _, form := range secretForms(matrixTransfer.AuthorizationCode) {
				if i := strings.Index(corpus, form); i >= 0 {
					leaks++
					if leaks <= 5 {
						t.Errorf("the AuthorizationCode leaks as %q in: ...%s...", form, corpus[max(0, i-200):min(len(corpus), i+len(form)+50)])
					}
				}
			}
			t.Logf("audited %d bytes of logs and printed values, %d errors: %d leaks", len(corpus), errCount, leaks)
		})
	}
}
