package alidomain

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
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
// and the string to sign; an echoing STS and a doer quoting the request
// quote the tokens in lower-case %xx, \u escapes and as 20-byte prefixes)
// shows no secret, in any encoding, nor a 20-byte prefix of one.
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

	// An STS that echoes the source's SecurityToken and the OIDC token in
	// lower-case %xx, \u escapes and as 20-byte prefixes, in a 400 and in
	// the Code and HostId of a 200.
	const echoedOIDC = "eyJ.echoed/oidc+token==0123456789"
	echoes := func(tok string) string {
		return echoEncodings["rfc3986-lower"](tok) + " " + echoEncodings["twice-lower"](tok) + " " + echoEncodings["json-u-all"](tok) + " " + tok[:min(20, len(tok))]
	}
	for _, status := range []int{400, 200} {
		echo := fakeSTS(t, func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			tok := r.PostForm.Get("SecurityToken") + r.Header.Get("x-acs-security-token") + r.PostForm.Get("OIDCToken")
			if tok != c.SecurityToken && tok != echoedOIDC {
				t.Errorf("the echoing STS got no token: %q", tok)
				tok = "unknown token of twenty bytes"
			}
			body, _ := json.Marshal(map[string]string{"Code": "Invalid." + echoes(tok), "HostId": tok[:20],
				"Message": "got " + echoes(tok), "RequestId": "R-" + tok[:20]})
			w.WriteHeader(status)
			_, _ = w.Write(body)
		})
		src := StaticSTSCredentials(c.AccessKeyID, c.AccessKeySecret, c.SecurityToken)
		use(AssumeRoleCredentials(AssumeRoleOptions{Source: src, RoleARN: roleA, Endpoint: echo.URL}))
		use(AssumeRoleCredentials(AssumeRoleOptions{Source: src, RoleARN: roleA, Endpoint: echo.URL, Signature: SignatureV3}))
		require.NoError(t, os.WriteFile(w.token, []byte(echoedOIDC), 0o600))
		use(OIDCCredentials(OIDCOptions{RoleARN: roleA, OIDCProviderARN: oidcP, OIDCTokenFile: w.token, Endpoint: echo.URL}))
	}
	secrets = append(secrets, echoedOIDC)
	// A doer whose error quotes the request: the IMDSv2 token header, the
	// credentials URI's query.
	var imdsTokens []string
	quoting := doerFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPut {
			return http.DefaultClient.Do(r)
		}
		tok := r.Header.Get("X-aliyun-ecs-metadata-token") + r.URL.Query().Get("auth")
		imdsTokens = append(imdsTokens, r.Header.Get("X-aliyun-ecs-metadata-token"))
		return nil, fmt.Errorf("refused %s: %s", r.URL, echoes(tok))
	})
	use(ECSRoleCredentials(ECSRoleOptions{Endpoint: w.md.URL, HTTPClient: quoting}))
	use(uriCredentials(w.uri.uri(), quoting))
	require.NotEmpty(t, imdsTokens)
	secrets = append(secrets, imdsTokens...)

	outs = append(outs, logs.String())
	require.Greater(t, len(secrets), 15)
	checked := 0
	for _, out := range outs {
		for _, s := range secrets {
			if s == "" {
				continue
			}
			forms := []string{s, wire.Escape(s), wire.Escape(wire.Escape(s)), url.QueryEscape(s), url.QueryEscape(url.QueryEscape(s))}
			for _, enc := range echoEncodings {
				forms = append(forms, enc(s))
				if len(s) >= 20 {
					forms = append(forms, enc(s[:20]))
				}
			}
			for _, form := range forms {
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
