package alidomain

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/wire"
)

// The secrets audit, per source: whatever each source returns, prints, logs
// or fails with (the fakes' failures quote the credentials, the OIDC token
// and the string to sign) shows no secret, in any encoding.
func TestCredentialSourcesLeakNoSecret(t *testing.T) {
	w := newWorld(t)
	t.Setenv(EnvECSMetadataDisabled, "")
	ctx := context.Background()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	secrets := []string{w.sts.AccessKeySecret, "eyJ.pod-token.sig", "uri-access-token", "uri/secret+value=", w.uri.token}
	var outs []string
	record := func(vals ...any) {
		for _, v := range vals {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
				outs = append(outs, fmt.Sprintf(verb, v))
			}
			if err, ok := v.(error); ok && err != nil {
				outs = append(outs, err.Error())
			}
		}
	}
	use := func(p CredentialsProvider) {
		c, err := p.Credentials(ctx)
		record(p, c, err)
		if err == nil {
			secrets = append(secrets, c.AccessKeySecret, c.SecurityToken)
		}
		client, cerr := New(Options{Endpoint: w.sim.URL, Credentials: p, Logger: logger, Retry: RetryPolicy{MaxAttempts: 1}})
		require.NoError(t, cerr)
		_, err = client.Domains.List(ctx, &ListDomainsRequest{})
		record(err)
		logger.Info("provider", "p", p, "c", c, "err", err)
	}

	root := StaticCredentials(w.sts.AccessKeyID, w.sts.AccessKeySecret)
	ecs := ECSRoleCredentials(ECSRoleOptions{Endpoint: w.md.URL})
	assumed := AssumeRoleCredentials(AssumeRoleOptions{Source: root, RoleARN: roleA, Endpoint: w.sts.URL})
	chained := AssumeRoleCredentials(AssumeRoleOptions{Source: ecs, RoleARN: roleB, ExternalID: "ext-42", Endpoint: w.sts.URL})
	chainedV3 := AssumeRoleCredentials(AssumeRoleOptions{Source: ecs, RoleARN: roleB, ExternalID: "ext-42", Endpoint: w.sts.URL, Signature: SignatureV3})
	oidc := OIDCCredentials(OIDCOptions{RoleARN: roleA, OIDCProviderARN: oidcP, OIDCTokenFile: w.token, Endpoint: w.sts.URL})
	uri := URICredentials(w.uri.uri())
	w.writeINI(t, "[default]\ntype = ram_role_arn\naccess_key_id = "+w.sts.AccessKeyID+"\naccess_key_secret = "+w.sts.AccessKeySecret+"\nrole_arn = "+roleA+"\n")
	chain := DefaultCredentials()
	all := []CredentialsProvider{ecs, assumed, chained, chainedV3, oidc, uri, chain}

	// Success first (the secrets issued are then known), then every failure.
	for _, p := range all {
		use(p)
	}
	w.clock.Add(2 * time.Hour) // everything expired
	w.md.FailNext(1000)
	w.sts.FailNext(1000)
	w.uri.fail.Store(true)
	for _, p := range all {
		use(p)
	}
	w.md.FailNext(0)
	w.sts.FailNext(0)
	// The fake STS quotes the refused OIDC token and the string to sign.
	require.NoError(t, os.WriteFile(w.token, []byte("eyJ.refused-token.sig"), 0o600))
	secrets = append(secrets, "eyJ.refused-token.sig")
	use(OIDCCredentials(OIDCOptions{RoleARN: roleA, OIDCProviderARN: oidcP, OIDCTokenFile: w.token, Endpoint: w.sts.URL}))
	c, err := assumed.Credentials(ctx)
	require.NoError(t, err)
	secrets = append(secrets, c.AccessKeySecret, c.SecurityToken)
	use(AssumeRoleCredentials(AssumeRoleOptions{Source: StaticSTSCredentials(c.AccessKeyID, "Not/The+Secret=", c.SecurityToken), RoleARN: roleA, Endpoint: w.sts.URL}))
	use(AssumeRoleCredentials(AssumeRoleOptions{Source: StaticSTSCredentials(c.AccessKeyID, "Not/The+Secret=", c.SecurityToken), RoleARN: roleA, Endpoint: w.sts.URL, Signature: SignatureV3}))
	secrets = append(secrets, "Not/The+Secret=")
	record(&profileSpec{creds: c}, profileSpec{creds: c})

	outs = append(outs, logs.String())
	require.Greater(t, len(secrets), 15)
	checked := 0
	for _, out := range outs {
		for _, s := range secrets {
			if s == "" {
				continue
			}
			for _, form := range []string{s, wire.Escape(s), wire.Escape(wire.Escape(s)), url.QueryEscape(s), url.QueryEscape(url.QueryEscape(s))} {
				if strings.Contains(out, form) {
					t.Errorf("a secret (%d bytes) shows in: %s", len(s), out)
				}
				checked++
			}
		}
	}
	assert.Contains(t, strings.Join(outs, "\n"), "SignatureDoesNotMatch", "the echoing failure was exercised")
	assert.Contains(t, strings.Join(outs, "\n"), "AuthenticationFail.OIDCToken.Invalid")
	assert.Contains(t, strings.Join(outs, "\n"), "HTTP 500")
	assert.Greater(t, checked, 1000)
}
