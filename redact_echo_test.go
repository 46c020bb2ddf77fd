package alidomain

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/retry"
	"github.com/alidomain/alidomain/internal/wire"
)

// echoCode is a transfer AuthorizationCode with the characters that HTML,
// XML, JSON and percent-encoding all change.
const echoCode = "K7#pQ2&xL<9>mZ!w"

// echoEncodings are the ways a server may echo a secret, written here
// independently of the redaction engine.
var echoEncodings = map[string]func(string) string{
	"raw":  func(s string) string { return s },
	"html": html.EscapeString,
	"xml": func(s string) string {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	},
	"json": func(s string) string { b, _ := json.Marshal(s); return string(b[1 : len(b)-1]) },
	"json-u-all": func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, "\\u%04x", r)
		}
		return b.String()
	},
	"rfc3986":       wire.Escape,
	"rfc3986-lower": func(s string) string { return lowerHex(wire.Escape(s)) },
	"twice-lower":   func(s string) string { return lowerHex(wire.Escape(lowerHex(wire.Escape(s)))) },
	"form":          url.QueryEscape,
}

// assertNoSecretEcho fails when text holds secret, or any prefix of it of
// 8 bytes or more, in any of echoEncodings.
func assertNoSecretEcho(t *testing.T, text, secret string) {
	t.Helper()
	for name, enc := range echoEncodings {
		for n := 8; n <= len(secret); n++ {
			if f := enc(secret[:n]); strings.Contains(text, f) {
				t.Errorf("%d bytes of the secret show %s-encoded (%q) in: %s", n, name, f, text)
				return
			}
		}
	}
}

// errorCorpus is everything a caller may print of err: Error(), %v, %+v,
// %#v, the JSON of the error and of its *APIError, and a slog line.
func errorCorpus(t *testing.T, err error) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%v\n%+v\n%#v\n", err.Error(), err, err, err)
	js, jerr := json.Marshal(err)
	require.NoError(t, jerr)
	b.Write(js)
	var ae *APIError
	if errors.As(err, &ae) {
		js, jerr = json.Marshal(ae)
		require.NoError(t, jerr)
		b.WriteString("\n")
		b.Write(js)
		fmt.Fprintf(&b, "\n%#v", *ae)
	}
	slog.New(slog.NewJSONHandler(&b, nil)).Error("failed", "err", err)
	return b.String()
}

// An AuthorizationCode echoed by the server in any encoding, as a prefix,
// in any field of an error answer (a 200 that carries a Code included) or
// in a body that is not an error document, shows nowhere: not in the
// error, its %v/%+v/%#v, its JSON, nor the Debug log of the attempt.
func TestEchoedAuthorizationCodeNeverShows(t *testing.T) {
	j := echoEncodings["json"]
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{"HTML-escaped in Message", 400, `{"Code":"InvalidAuthCode","Message":"code ` + j(html.EscapeString(echoCode)) + ` is wrong","RequestId":"R"}`},
		{"HTML numeric references in a proxy's page", 502, "<html><body>code " + strings.NewReplacer("&", "&#38;", "<", "&#x3C;", ">", "&#62;", "#", "&#35;").Replace(echoCode) + " is wrong</body></html>"},
		{"XML-escaped in an XML body that is not an error document", 400, "<Response><Detail>code " + echoEncodings["xml"](echoCode) + " is wrong</Detail></Response>"},
		{"XML-escaped twice in an XML error", 400, "<Error><Code>InvalidAuthCode</Code><Message>code " + echoEncodings["xml"](echoEncodings["xml"](echoCode)) + "</Message><RequestId>R</RequestId></Error>"},
		{`\u-escaped in a JSON body that is not an error document`, 400, `{"detail":"code ` + j(echoCode) + ` is wrong","RequestId":"R"}`},
		{`\u-escaped every character in Message`, 400, `{"Code":"InvalidAuthCode","Message":"code ` + strings.ReplaceAll(echoEncodings["json-u-all"](echoCode), `\`, `\\`) + `","RequestId":"R"}`},
		{"10-byte prefix", 400, `{"Code":"InvalidAuthCode","Message":"code ` + j(echoCode[:10]) + `... is wrong","RequestId":"R"}`},
		{"11-byte prefix", 400, `{"Code":"InvalidAuthCode","Message":"code ` + j(echoCode[:11]) + `... is wrong","RequestId":"R"}`},
		{"lower-case %xx (held before too: a regression row)", 400, `{"Code":"InvalidAuthCode","Message":"AuthCode%3d` + echoEncodings["twice-lower"](echoCode) + ` is wrong","RequestId":"R"}`},
		{"in Code of a 200 error answer", 200, `{"Code":"Invalid.` + j(echoCode) + `","Message":"m","RequestId":"R"}`},
		{"in HostId of a 200 error answer", 200, `{"Code":"Forbidden","Message":"m","HostId":"` + j(echoCode) + `","RequestId":"R"}`},
		{"in RequestId and Recommend of a 200 error answer", 200, `{"Code":"Forbidden","Message":"m","RequestId":"R-` + j(echoCode) + `","Recommend":"https://x/?c=` + wire.Escape(echoCode) + `"}`},
		{"in HostId of a 400", 400, `{"Code":"Forbidden","Message":"m","HostId":"h ` + j(html.EscapeString(echoCode)) + `","RequestId":"R"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			c, ts := setup(t, func(o *Options) {
				o.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			})
			ts.reply(actionSingleTransfer, tc.status, tc.body)
			_, err := c.Transfer.Submit(context.Background(), &TransferRequest{TransferDomain: TransferDomain{DomainName: "a.com", AuthorizationCode: echoCode, RegistrantProfileID: 1}})
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			corpus := errorCorpus(t, err) + "\n" + logs.String()
			require.Contains(t, logs.String(), `"msg":"alidomain: attempt"`, "the attempt was logged")
			assert.Contains(t, corpus, redacted, "the echo was there and was redacted")
			assertNoSecretEcho(t, corpus, echoCode)
		})
	}
}

// Client.Call treats a parameter whose name marks a secret (Password,
// *Secret*, *Token*, *AuthorizationCode) as a secret: an echo of its value,
// raw or lower-case %xx, shows nowhere.
func TestCallSecretNamedParamsNeverShow(t *testing.T) {
	for _, name := range []string{"Password", "NewPassword", "ClientSecret", "AccessToken", "OrderTransferParam.1.AuthorizationCode"} {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			c, ts := setup(t, func(o *Options) {
				o.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			})
			ts.reply("SaveSomething", 400, `{"Code":"InvalidValue","Message":"the value `+echoEncodings["json"](echoCode)+` (`+lowerHex(wire.Escape(echoCode))+`) is invalid","RequestId":"R"}`)
			_, err := c.Call(context.Background(), &CallRequest{Action: "SaveSomething", Params: url.Values{name: {echoCode}, "DomainName": {"a.com"}}}, nil)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, "InvalidValue", ae.Code)
			assert.Contains(t, ae.Message, "is invalid")
			corpus := errorCorpus(t, err) + "\n" + logs.String()
			assert.Contains(t, corpus, redacted)
			assertNoSecretEcho(t, corpus, echoCode)
		})
	}
}

// fakeSTS is an STS that answers every request with h.
func fakeSTS(t *testing.T, h http.HandlerFunc) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// A SecurityToken (of AssumeRole's source) or an OIDC token echoed by STS
// in lower-case %xx or as a 20-byte prefix, in any field of its answer (a
// 200 with a Code included), shows nowhere in the provider's error.
func TestSTSEchoedTokensNeverShow(t *testing.T) {
	clearEnv(t)
	old := stsRetryPolicy
	stsRetryPolicy = retry.Policy{MaxAttempts: 1}
	t.Cleanup(func() { stsRetryPolicy = old })
	const srcToken = "CAIS/Source+Token==0123456789abcdefXYZ"
	const oidcToken = "eyJ.oidc/Token+Value==0123456789abcdef"
	tokenFile := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(tokenFile, []byte(oidcToken), 0o600))
	j := echoEncodings["json"]
	echoes := map[string]func(string) (int, string){
		"lower-case %xx in Message": func(tok string) (int, string) {
			return 400, `{"Code":"InvalidParameter","Message":"string to sign: POST%26%2f%26Value%3d` + echoEncodings["twice-lower"](tok) + `&x","RequestId":"R"}`
		},
		"lower-case %xx without a name": func(tok string) (int, string) {
			return 400, `{"Code":"InvalidParameter","Message":"got ` + lowerHex(wire.Escape(tok)) + ` here","RequestId":"R"}`
		},
		"20-byte prefix": func(tok string) (int, string) {
			return 400, `{"Code":"InvalidParameter","Message":"got ` + j(tok[:20]) + `... here","RequestId":"R"}`
		},
		"20-byte prefix in Code and HostId of a 200": func(tok string) (int, string) {
			return 200, `{"Code":"Invalid.` + j(tok[:20]) + `","Message":"m","HostId":"` + j(tok[:20]) + `","RequestId":"R"}`
		},
		`\u-escaped in a proxy's page`: func(tok string) (int, string) {
			return 502, "<html><script>var t = '" + echoEncodings["json-u-all"](tok) + "';</script></html>"
		},
	}
	for name, echo := range echoes {
		t.Run(name, func(t *testing.T) {
			for _, v := range []SignatureVersion{SignatureV2, SignatureV3} {
				srv := fakeSTS(t, func(w http.ResponseWriter, r *http.Request) {
					status, body := echo(srcToken)
					w.WriteHeader(status)
					_, _ = w.Write([]byte(body))
				})
				p := AssumeRoleCredentials(AssumeRoleOptions{Source: StaticSTSCredentials("id", "src/secret+1", srcToken), RoleARN: roleA, Endpoint: srv.URL, Signature: v})
				_, err := p.Credentials(context.Background())
				require.Error(t, err)
				corpus := errorCorpus(t, err)
				assert.Contains(t, corpus, redacted, "the echo was there and was redacted")
				assertNoSecretEcho(t, corpus, srcToken)
			}
			srv := fakeSTS(t, func(w http.ResponseWriter, r *http.Request) {
				if r.ParseForm() != nil || r.PostForm.Get("OIDCToken") != oidcToken {
					t.Errorf("the fake did not get the token: %v", r.PostForm)
				}
				status, body := echo(oidcToken)
				w.WriteHeader(status)
				_, _ = w.Write([]byte(strings.ReplaceAll(body, "SecurityToken", "OIDCToken")))
			})
			_, err := OIDCCredentials(OIDCOptions{RoleARN: roleA, OIDCProviderARN: oidcP, OIDCTokenFile: tokenFile, Endpoint: srv.URL}).Credentials(context.Background())
			require.Error(t, err)
			corpus := errorCorpus(t, err)
			assert.Contains(t, corpus, redacted)
			assertNoSecretEcho(t, corpus, oidcToken)
		})
	}
}

// The ECS metadata and credentials URI sources scrub a doer's error (which
// may quote the request: the IMDSv2 token header, the URI's query) with
// the same engine: lower-case %xx and prefixes included.
func TestCredentialSourceTransportErrorsNeverShowTokens(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvECSMetadataDisabled, "")
	const imdsToken = "AQAEA/imds+Token==0123456789abcdef"
	const uriToken = "uri/Access+Token==0123456789abcdef"
	md := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(imdsToken))
	}))
	t.Cleanup(md.Close)
	failing := doerFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPut {
			return http.DefaultClient.Do(r)
		}
		tok := r.Header.Get("X-aliyun-ecs-metadata-token") + r.URL.Query().Get("token")
		return nil, &url.Error{Op: "Get", URL: r.URL.String(), Err: fmt.Errorf("proxy refused request with %s (%s...)", lowerHex(wire.Escape(tok)), tok[:20])}
	})
	_, err := ECSRoleCredentials(ECSRoleOptions{Endpoint: md.URL, RoleName: "role", HTTPClient: failing, DisableIMDSv1: true}).Credentials(context.Background())
	require.Error(t, err)
	corpus := errorCorpus(t, err)
	assert.Contains(t, corpus, "proxy refused", "the doer's error is described")
	assert.Contains(t, corpus, redacted)
	assertNoSecretEcho(t, corpus, imdsToken)

	_, err = uriCredentials("http://127.0.0.1:1/creds?token="+url.QueryEscape(uriToken), failing).Credentials(context.Background())
	require.Error(t, err)
	corpus = errorCorpus(t, err)
	assert.Contains(t, corpus, "proxy refused")
	assert.Contains(t, corpus, redacted)
	assertNoSecretEcho(t, corpus, uriToken)
}
