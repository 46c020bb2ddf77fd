package alidomain_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// TestAuthorizationCodeNeverPrinted prints and logs, every way, the
// transfer requests, a task detail whose TaskResult carries the code, the
// details Reconcile returns for a transfer and a validation error of a
// request with a code, and the errors of a service that echoes the code in
// every encoding and as a prefix, and checks that the code shows nowhere,
// raw or encoded, whole or as a 10- or 11-byte prefix. The runs of the transfer columns under every fault, version and
// placement are in TestSecretsNeverLeak.
func TestAuthorizationCodeNeverPrinted(t *testing.T) {
	var logs, shown lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	text := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	show := func(format string, args ...any) { fmt.Fprintf(&shown, format+"\n", args...) }
	code := matrixTransfer.AuthorizationCode

	// A transfer that succeeds, then Reconcile's answer and the task's
	// details, as the service returns them.
	srv := alidomaintest.NewServer()
	defer srv.Close()
	prepareTransfer(srv)
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    srv.URL,
		Credentials: alidomain.StaticCredentials(srv.AccessKeyID, srv.AccessKeySecret),
		Logger:      logger,
		Params:      alidomain.ParamsBody,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	since := time.Now().Add(-time.Minute)
	sr, err := client.Transfer.Submit(ctx, &alidomain.TransferRequest{TransferDomain: matrixTransfer})
	if err != nil {
		t.Fatal(err)
	}
	found, err := client.Transfer.Reconcile(ctx, since, []string{matrixDomain})
	if err != nil || found[matrixDomain] == nil {
		t.Fatalf("Reconcile: %v, %v", found, err)
	}
	page, err := client.Tasks.ListDetails(ctx, &alidomain.ListTaskDetailsRequest{TaskNo: sr.TaskNo})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("ListDetails: %v, %v", page, err)
	}

	single := alidomain.TransferRequest{TransferDomain: matrixTransfer, UseCoupon: true, CouponNo: "C"}
	batch := alidomain.BatchTransferRequest{Domains: []alidomain.TransferDomain{matrixTransfer, matrixTransfer}}
	detail := alidomain.TaskDetail{DomainName: matrixDomain, TaskResult: code}
	values := []any{matrixTransfer, &matrixTransfer, single, &single, batch, &batch, detail, &detail,
		[]alidomain.TaskDetail{detail}, found, *found[matrixDomain], page, page.Items}
	for _, v := range values {
		show("%v | %+v | %#v | %s | %q | %x", v, v, v, v, v, v)
		logger.Info("value", "v", v)
		text.Info("value", "v", v)
	}
	bad := &alidomain.BatchTransferRequest{Domains: []alidomain.TransferDomain{{DomainName: "a b", AuthorizationCode: code}}}
	if err := bad.Validate(); err != nil {
		show("validation: %v | %+v | %#v", err, err, err)
	} else {
		t.Errorf("a name with a space validated")
	}

	// The service echoes the code in an error answer (a 200 with a Code),
	// in each encoding, whole and as 10- and 11-byte prefixes.
	for _, e := range auditEchoes {
		srv.Inject(alidomaintest.ActionSaveSingleTaskForCreatingOrderTransfer, alidomaintest.InBodyError("Invalid."+e.enc(code),
			"code "+e.enc(code)+" ("+e.enc(code[:10])+", "+e.enc(code[:11])+")"))
		_, err := client.Transfer.Submit(ctx, &alidomain.TransferRequest{TransferDomain: matrixTransfer})
		var apiErr *alidomain.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("echo %s: %v, want an *APIError", e.name, err)
		}
		js, _ := json.Marshal(apiErr)
		show("echo %s: %s | %v | %+v | %#v | %s", e.name, err.Error(), err, err, err, js)
		logger.Error("echo", "err", err)
	}

	corpus := logs.String() + "\n" + shown.String()
	// Positive controls: the values were printed, the code redacted.
	if !strings.Contains(corpus, matrixDomain) || !strings.Contains(corpus, "[REDACTED]") || !strings.Contains(corpus, sr.TaskNo) ||
		!strings.Contains(corpus, "echo "+auditEchoes[0].name) {
		t.Fatalf("the printed values lack the domain, the task, the echoes or the redaction mark:\n%.2000s", corpus)
	}
	for _, form := range echoedForms(code) {
		if i := strings.Index(corpus, form); i >= 0 {
			t.Errorf("the AuthorizationCode leaks as %q in: ...%s...", form, corpus[max(0, i-200):min(len(corpus), i+len(form)+50)])
		}
	}
}
