package alidomain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
	"github.com/alidomain/alidomain/internal/retry"
	"github.com/alidomain/alidomain/internal/wire"
)

const (
	roleA = "acs:ram::1234567890:role/deployer"
	roleB = "acs:ram::1234567890:role/domains"
	oidcP = "acs:ram::1234567890:oidc-provider/ack-rrsa"
)

// newSTS starts a fake STS driven by clock, with fast client retries.
func newSTS(t *testing.T, clock *fakeClock, sinks ...alidomaintest.CredentialSink) *alidomaintest.STSServer {
	t.Helper()
	old := stsRetryPolicy
	stsRetryPolicy = retry.Policy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}
	t.Cleanup(func() { stsRetryPolicy = old })
	s := alidomaintest.NewSTSServer(alidomaintest.STSOptions{Clock: clock.Now, MaxDuration: 12 * time.Hour, IssueTo: sinks})
	t.Cleanup(s.Close)
	s.AddRole(roleA, "")
	s.AddRole(roleB, "ext-42")
	return s
}

// The request AssumeRole sends by default (V2) is accepted by the simulator's
// own V2 verifier (alidomaintest's code, not the SDK's signer).
func TestAssumeRoleAcceptedBySimulatorVerifier(t *testing.T) {
	clearEnv(t)
	clock := newFakeClock()
	sts := newSTS(t, clock)
	p := clocked(t, AssumeRoleCredentials(AssumeRoleOptions{
		Source:   StaticCredentials(sts.AccessKeyID, sts.AccessKeySecret),
		RoleARN:  roleB,
		Policy:   `{"Version":"1","Statement":[{"Effect":"Allow","Action":"domain:*","Resource":"*"}]}`,
		Duration: 2 * time.Hour,
		// Characters the encoding changes, in a value that is signed.
		ExternalID: "ext-42",
		Endpoint:   sts.URL,
	}), clock)
	c, err := p.Credentials(context.Background())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(c.AccessKeyID, "STS."))
	assert.NotEmpty(t, c.SecurityToken)
	assert.True(t, c.Expiration.Equal(clock.Now().Add(2*time.Hour)), "expiration %v", c.Expiration)

	got := sts.LastRequest(alidomaintest.ActionAssumeRole)
	require.NotNil(t, got)
	assert.Equal(t, roleB, got["RoleArn"])
	assert.Equal(t, "ext-42", got["ExternalId"])
	assert.Equal(t, "7200", got["DurationSeconds"])
	assert.Contains(t, got["Policy"], `"domain:*"`)
	assert.True(t, strings.HasPrefix(got["RoleSessionName"], "alidomain-"), "generated session name %q", got["RoleSessionName"])
	assert.Equal(t, "2015-04-01", got["Version"])
	assert.Equal(t, "JSON", got["Format"])
	assert.Equal(t, 1, sts.Requests(alidomaintest.ActionAssumeRole))

	// A wrong ExternalId is refused: an *APIError.
	_, err = clocked(t, AssumeRoleCredentials(AssumeRoleOptions{
		Source: StaticCredentials(sts.AccessKeyID, sts.AccessKeySecret), RoleARN: roleB, Endpoint: sts.URL,
	}), clock).Credentials(context.Background())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "NoPermission", ae.Code)
	assert.Equal(t, "AssumeRole", ae.Action)
	assert.Equal(t, 403, ae.HTTPStatus)

	// ALIBABA_CLOUD_ROLE_SESSION_NAME names the session when the options do not.
	t.Setenv(EnvRoleSessionName, "from-env")
	_, err = clocked(t, AssumeRoleCredentials(AssumeRoleOptions{
		Source: StaticCredentials(sts.AccessKeyID, sts.AccessKeySecret), RoleARN: roleA, Endpoint: sts.URL,
	}), clock).Credentials(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "from-env", sts.LastRequest(alidomaintest.ActionAssumeRole)["RoleSessionName"])
}

// Roles chain: A is assumed with a RAM user's key, B with A's temporary
// credentials (token included), and the simulator accepts B's.
func TestAssumeRoleChainsTwoRoles(t *testing.T) {
	clearEnv(t)
	clock := newFakeClock()
	sts := newSTS(t, clock)
	a := AssumeRoleCredentials(AssumeRoleOptions{Source: StaticCredentials(sts.AccessKeyID, sts.AccessKeySecret), RoleARN: roleA, Endpoint: sts.URL, RoleSessionName: "a"})
	clocked(t, a, clock)
	b := clocked(t, AssumeRoleCredentials(AssumeRoleOptions{Source: a, RoleARN: roleB, ExternalID: "ext-42", Endpoint: sts.URL, RoleSessionName: "b"}), clock)
	cb, err := b.Credentials(context.Background())
	require.NoError(t, err)
	ca, err := a.Credentials(context.Background())
	require.NoError(t, err)
	assert.NotEqual(t, ca.AccessKeyID, cb.AccessKeyID)
	last := sts.LastRequest(alidomaintest.ActionAssumeRole)
	assert.Equal(t, "b", last["RoleSessionName"])
	assert.Equal(t, ca.AccessKeyID, last["AccessKeyId"], "B was assumed with A's key")
	assert.Equal(t, ca.SecurityToken, last["SecurityToken"], "and A's token")
	assert.Equal(t, 2, sts.Issued())

	// An hour later both refresh, A first.
	clock.Add(59 * time.Minute)
	cb2, err := b.Credentials(context.Background())
	require.NoError(t, err)
	assert.NotEqual(t, cb.AccessKeyID, cb2.AccessKeyID)
	assert.Equal(t, 4, sts.Issued())
}

func TestAssumeRoleRetriesAsReads(t *testing.T) {
	clearEnv(t)
	clock := newFakeClock()
	sts := newSTS(t, clock)
	mk := func(role string) CredentialsProvider {
		return clocked(t, AssumeRoleCredentials(AssumeRoleOptions{Source: StaticCredentials(sts.AccessKeyID, sts.AccessKeySecret), RoleARN: role, Endpoint: sts.URL}), clock)
	}
	sts.FailNext(2)
	_, err := mk(roleA).Credentials(context.Background())
	require.NoError(t, err, "two 500s, then success")
	assert.Equal(t, 3, sts.Requests(alidomaintest.ActionAssumeRole))

	sts.ThrottleNext(1)
	_, err = mk(roleA).Credentials(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 5, sts.Requests(alidomaintest.ActionAssumeRole))

	// Three 500s: all attempts used, the last *APIError returned.
	sts.FailNext(3)
	_, err = mk(roleA).Credentials(context.Background())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "InternalError", ae.Code)
	assert.Equal(t, 8, sts.Requests(alidomaintest.ActionAssumeRole))

	// A refusal is not retried.
	_, err = mk("acs:ram::1:role/none").Credentials(context.Background())
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "EntityNotExist.Role", ae.Code)
	assert.Equal(t, 9, sts.Requests(alidomaintest.ActionAssumeRole))
}

// The fake's SignatureDoesNotMatch quotes the string to sign, with the
// source's token in it; the error must not.
func TestAssumeRoleErrorsHoldNoSecret(t *testing.T) {
	clearEnv(t)
	clock := newFakeClock()
	sts := newSTS(t, clock)
	a := clocked(t, AssumeRoleCredentials(AssumeRoleOptions{Source: StaticCredentials(sts.AccessKeyID, sts.AccessKeySecret), RoleARN: roleA, Endpoint: sts.URL}), clock)
	ca, err := a.Credentials(context.Background())
	require.NoError(t, err)
	wrong := StaticSTSCredentials(ca.AccessKeyID, "Wrong/Secret+Key=", ca.SecurityToken)
	_, err = clocked(t, AssumeRoleCredentials(AssumeRoleOptions{Source: wrong, RoleARN: roleA, Endpoint: sts.URL}), clock).Credentials(context.Background())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "SignatureDoesNotMatch", ae.Code)
	assert.ErrorIs(t, err, ErrAuth)
	for _, s := range []string{err.Error(), ae.Message} {
		for _, secret := range []string{ca.SecurityToken, ca.AccessKeySecret, "Wrong/Secret+Key="} {
			for _, form := range []string{secret, wire.Escape(secret), wire.Escape(wire.Escape(secret)), url.QueryEscape(secret), wire.Escape(wire.Escape(secret))[:16]} {
				assert.NotContains(t, s, form)
			}
		}
	}
}

// Secrets are removed before a field is cut, so a cut cannot leave a
// secret's prefix behind.
func TestSafeAPIErrorScrubsBeforeCutting(t *testing.T) {
	token := "CAIS" + strings.Repeat("tokenpart/+=", 10)
	msg := strings.Repeat("x", maxCredField-40) + "token=" + wire.Escape(wire.Escape(token)) + strings.Repeat("y", 500)
	sc := stsScrubber(nil, []string{token})
	body, err := json.Marshal(map[string]string{"Code": "X", "Message": msg, "RequestId": strings.Repeat("r", 5000)})
	require.NoError(t, err)
	_, _, err = decodeSTSAnswer("AssumeRole", 400, body, sc)
	var e *APIError
	require.ErrorAs(t, err, &e)
	assert.NotContains(t, e.Message, "CAIS")
	assert.Contains(t, e.Message, redacted)
	assert.LessOrEqual(t, len(e.Message), maxCredField+3)
	assert.LessOrEqual(t, len(e.RequestID), maxCredField+3, "every field is bounded")
	assert.Equal(t, "a "+redacted+" b", sc.scrub("a "+url.QueryEscape(url.QueryEscape(token))+" b"))

	// A page that is not an error document is cut to an excerpt: after scrubbing.
	for pad := 230; pad < 260; pad++ {
		page := "<html>" + strings.Repeat("x", pad) + token + "</html>"
		_, _, err := decodeSTSAnswer("AssumeRole", 502, []byte(page), sc)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "CAIS", "pad %d", pad)
	}
}

func TestAssumeRoleOptionsChecked(t *testing.T) {
	clearEnv(t)
	src := StaticCredentials("id", "secret")
	for _, tc := range []struct {
		o    AssumeRoleOptions
		want string
	}{
		{AssumeRoleOptions{RoleARN: roleA}, "Source is required"},
		{AssumeRoleOptions{Source: src}, "RoleARN is required"},
		{AssumeRoleOptions{Source: src, RoleARN: roleA, Duration: 10 * time.Minute}, "minimum of 15m"},
		{AssumeRoleOptions{Source: src, RoleARN: roleA, Endpoint: "sts.aliyuncs.com"}, "not an absolute"},
	} {
		_, err := AssumeRoleCredentials(tc.o).Credentials(context.Background())
		assert.ErrorContains(t, err, tc.want)
	}
	// A failing source is named, and its error kept.
	boom := errors.New("source down")
	_, err := AssumeRoleCredentials(AssumeRoleOptions{Source: CredentialsProviderFunc(func(context.Context) (Credentials, error) {
		return Credentials{}, boom
	}), RoleARN: roleA, Endpoint: "http://127.0.0.1:1/"}).Credentials(context.Background())
	assert.ErrorIs(t, err, boom)
	assert.ErrorContains(t, err, "AssumeRole "+roleA)
}

func TestSTSEndpointFromEnvironment(t *testing.T) {
	clearEnv(t)
	assert.Equal(t, "https://sts.aliyuncs.com/", stsEndpointFromEnv())
	t.Setenv(EnvSTSRegion, "cn-shanghai")
	assert.Equal(t, "https://sts.cn-shanghai.aliyuncs.com/", stsEndpointFromEnv())
	t.Setenv(EnvVPCEndpointEnabled, "true")
	assert.Equal(t, "https://sts-vpc.cn-shanghai.aliyuncs.com/", stsEndpointFromEnv())
	c, err := newSTSClient("f", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "https://sts-vpc.cn-shanghai.aliyuncs.com/", c.endpoint)
}

func TestOIDCRereadsRotatedTokenFile(t *testing.T) {
	clearEnv(t)
	clock := newFakeClock()
	sts := newSTS(t, clock)
	file := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(file, []byte("eyJ.first-token.sig\n"), 0o600))
	sts.SetOIDCToken(oidcP, "eyJ.first-token.sig")

	// Every field from the environment, as ACK's RRSA sets it.
	t.Setenv(EnvRoleARN, roleA)
	t.Setenv(EnvOIDCProviderARN, oidcP)
	t.Setenv(EnvOIDCTokenFile, file)
	t.Setenv(EnvRoleSessionName, "pod-1")
	p := clocked(t, OIDCCredentials(OIDCOptions{Endpoint: sts.URL}), clock)
	c1, err := p.Credentials(context.Background())
	require.NoError(t, err)
	last := sts.LastRequest(alidomaintest.ActionAssumeRoleWithOIDC)
	assert.Equal(t, "eyJ.first-token.sig", last["OIDCToken"])
	assert.Equal(t, "pod-1", last["RoleSessionName"])
	assert.Equal(t, roleA, last["RoleArn"])
	assert.Empty(t, last["Signature"], "anonymous")

	// The token rotates; the old one is refused from now on.
	require.NoError(t, os.WriteFile(file, []byte("eyJ.second-token.sig"), 0o600))
	sts.SetOIDCToken(oidcP, "eyJ.second-token.sig")
	clock.Add(58 * time.Minute)
	c2, err := p.Credentials(context.Background())
	require.NoError(t, err)
	assert.NotEqual(t, c1.AccessKeyID, c2.AccessKeyID)
	assert.Equal(t, "eyJ.second-token.sig", sts.LastRequest(alidomaintest.ActionAssumeRoleWithOIDC)["OIDCToken"])

	// A refused token: the fake quotes it, the error does not.
	require.NoError(t, os.WriteFile(file, []byte("eyJ.stale-token.sig"), 0o600))
	_, err = clocked(t, OIDCCredentials(OIDCOptions{Endpoint: sts.URL}), clock).Credentials(context.Background())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "AuthenticationFail.OIDCToken.Invalid", ae.Code)
	assert.NotContains(t, err.Error(), "stale-token")

	// Missing settings are named.
	t.Setenv(EnvOIDCTokenFile, "")
	_, err = OIDCCredentials(OIDCOptions{Endpoint: sts.URL}).Credentials(context.Background())
	assert.ErrorContains(t, err, EnvOIDCTokenFile)
}

// stsRecorder is an HTTPDoer that keeps what each request carried.
type stsRecorder struct {
	reqs []recordedSTS
}

type recordedSTS struct {
	rawQuery string
	header   http.Header
	body     string
}

func (r *stsRecorder) Do(req *http.Request) (*http.Response, error) {
	rec := recordedSTS{rawQuery: req.URL.RawQuery, header: req.Header.Clone()}
	if req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		raw, _ := io.ReadAll(b)
		rec.body = string(raw)
	}
	r.reqs = append(r.reqs, rec)
	return http.DefaultClient.Do(req)
}

// AssumeRole signed with V3 is accepted by the simulator's V3 verifier (not
// the SDK's signer): STS's version and the action in x-acs-version and
// x-acs-action, the parameters in a form body whose hash is signed.
func TestAssumeRoleV3AcceptedBySimulatorVerifier(t *testing.T) {
	clearEnv(t)
	clock := newFakeClock()
	sts := newSTS(t, clock)
	rec := &stsRecorder{}
	policy := `{"Version":"1","Statement":[{"Effect":"Allow","Action":"domain:*","Resource":"*"}]}`
	p := clocked(t, AssumeRoleCredentials(AssumeRoleOptions{
		Source:          StaticCredentials(sts.AccessKeyID, sts.AccessKeySecret),
		RoleARN:         roleB,
		RoleSessionName: "v3 session/*~",
		Policy:          policy,
		Duration:        2 * time.Hour,
		ExternalID:      "ext-42",
		Endpoint:        sts.URL,
		HTTPClient:      rec,
		Signature:       SignatureV3,
	}), clock)
	c, err := p.Credentials(context.Background())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(c.AccessKeyID, "STS."))
	assert.True(t, c.Expiration.Equal(clock.Now().Add(2*time.Hour)), "expiration %v", c.Expiration)

	got := sts.LastRequest(alidomaintest.ActionAssumeRole)
	require.NotNil(t, got)
	assert.Equal(t, "2015-04-01", got["x-acs-version"])
	assert.Equal(t, "AssumeRole", got["x-acs-action"])
	assert.True(t, strings.HasPrefix(got["authorization"], "ACS3-HMAC-SHA256 Credential="+sts.AccessKeyID+",SignedHeaders=content-type;host;"), got["authorization"])
	assert.Equal(t, roleB, got["RoleArn"])
	assert.Equal(t, "v3 session/*~", got["RoleSessionName"])
	assert.Equal(t, "ext-42", got["ExternalId"])
	assert.Equal(t, "7200", got["DurationSeconds"])
	assert.Equal(t, policy, got["Policy"])
	for _, v2only := range []string{"Version", "Action", "AccessKeyId", "Signature", "SignatureNonce", "Timestamp", "Format"} {
		assert.NotContains(t, got, v2only, "V3 sends no %s parameter", v2only)
	}

	require.Len(t, rec.reqs, 1)
	r := rec.reqs[0]
	assert.Empty(t, r.rawQuery, "the parameters travel in the body")
	assert.Equal(t, "application/x-www-form-urlencoded", r.header.Get("Content-Type"))
	sum := sha256.Sum256([]byte(r.body))
	assert.Equal(t, []string{hex.EncodeToString(sum[:])}, r.header["x-acs-content-sha256"], "lower case, as the official runtime writes it")
	form, err := url.ParseQuery(r.body)
	require.NoError(t, err)
	assert.Equal(t, roleB, form.Get("RoleArn"))
}

// V2 keeps every parameter, Signature and the source's token included, in
// the body: the URL carries none.
func TestAssumeRoleV2SendsEverythingInTheBody(t *testing.T) {
	clearEnv(t)
	clock := newFakeClock()
	sts := newSTS(t, clock)
	a := clocked(t, AssumeRoleCredentials(AssumeRoleOptions{Source: StaticCredentials(sts.AccessKeyID, sts.AccessKeySecret), RoleARN: roleA, Endpoint: sts.URL}), clock)
	rec := &stsRecorder{}
	b := clocked(t, AssumeRoleCredentials(AssumeRoleOptions{Source: a, RoleARN: roleA, Endpoint: sts.URL, HTTPClient: rec, Signature: SignatureV2}), clock)
	_, err := b.Credentials(context.Background())
	require.NoError(t, err)
	ca, err := a.Credentials(context.Background())
	require.NoError(t, err)
	require.Len(t, rec.reqs, 1)
	r := rec.reqs[0]
	assert.Empty(t, r.rawQuery)
	assert.Empty(t, r.header.Get("Authorization"))
	form, err := url.ParseQuery(r.body)
	require.NoError(t, err)
	for k, want := range map[string]string{"Action": "AssumeRole", "Version": "2015-04-01", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "AccessKeyId": ca.AccessKeyID, "SecurityToken": ca.SecurityToken, "Format": "JSON"} {
		assert.Equal(t, want, form.Get(k), k)
	}
	assert.NotEmpty(t, form.Get("Signature"))
	assert.True(t, strings.HasSuffix(r.body, "&Signature="+wire.Escape(form.Get("Signature"))), "Signature last")
}

// A wrong secret is refused whichever version signs, with no secret in the
// error; an unknown version is refused before anything is sent.
func TestAssumeRoleWrongSecretRefusedByBothVersions(t *testing.T) {
	clearEnv(t)
	clock := newFakeClock()
	sts := newSTS(t, clock)
	for _, v := range []SignatureVersion{SignatureV2, SignatureV3} {
		t.Run(string(v), func(t *testing.T) {
			const wrong = "Wrong/Secret+Key="
			rec := &stsRecorder{}
			_, err := clocked(t, AssumeRoleCredentials(AssumeRoleOptions{
				Source: StaticCredentials(sts.AccessKeyID, wrong), RoleARN: roleA, Endpoint: sts.URL, HTTPClient: rec, Signature: v,
			}), clock).Credentials(context.Background())
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, "SignatureDoesNotMatch", ae.Code)
			assert.ErrorIs(t, err, ErrAuth)
			assert.Equal(t, 1, len(rec.reqs), "a refusal is not retried")
			_, sig, _ := strings.Cut(rec.reqs[0].header.Get("Authorization"), ",Signature=")
			if v == SignatureV2 {
				form, _ := url.ParseQuery(rec.reqs[0].body)
				sig = form.Get("Signature")
			}
			require.NotEmpty(t, sig)
			for _, secret := range []string{wrong, sig} {
				for _, form := range []string{secret, wire.Escape(secret), url.QueryEscape(secret)} {
					assert.NotContains(t, err.Error(), form)
				}
			}
		})
	}
	rec := &stsRecorder{}
	_, err := AssumeRoleCredentials(AssumeRoleOptions{
		Source: StaticCredentials(sts.AccessKeyID, sts.AccessKeySecret), RoleARN: roleA, Endpoint: sts.URL, HTTPClient: rec, Signature: "v4",
	}).Credentials(context.Background())
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "AssumeRoleOptions.Signature", ve.Field)
	assert.Empty(t, rec.reqs, "nothing sent for v4")
}

// Roles chain with V3 too, in any mix of versions: B is assumed with A's
// temporary key, its token in x-acs-security-token; the simulator then
// accepts B's credentials from a client signing with V3.
func TestAssumeRoleV3Chains(t *testing.T) {
	clearEnv(t)
	clock := newFakeClock()
	sim := alidomaintest.NewServer()
	t.Cleanup(sim.Close)
	sts := newSTS(t, clock, sim)
	for _, tc := range []struct{ a, b SignatureVersion }{{SignatureV3, SignatureV3}, {SignatureV2, SignatureV3}, {SignatureV3, SignatureV2}} {
		t.Run(string(tc.a)+"-"+string(tc.b), func(t *testing.T) {
			a := clocked(t, AssumeRoleCredentials(AssumeRoleOptions{Source: StaticCredentials(sts.AccessKeyID, sts.AccessKeySecret), RoleARN: roleA, Endpoint: sts.URL, Signature: tc.a}), clock)
			b := clocked(t, AssumeRoleCredentials(AssumeRoleOptions{Source: a, RoleARN: roleB, ExternalID: "ext-42", Endpoint: sts.URL, RoleSessionName: "b", Signature: tc.b}), clock)
			cb, err := b.Credentials(context.Background())
			require.NoError(t, err)
			ca, err := a.Credentials(context.Background())
			require.NoError(t, err)
			assert.NotEqual(t, ca.AccessKeyID, cb.AccessKeyID)
			last := sts.LastRequest(alidomaintest.ActionAssumeRole)
			assert.Equal(t, "b", last["RoleSessionName"])
			if tc.b == SignatureV3 {
				assert.Equal(t, ca.AccessKeyID, last["x-acs-accesskey-id"], "B was assumed with A's key")
				assert.Equal(t, ca.SecurityToken, last["x-acs-security-token"], "and A's token")
			} else {
				assert.Equal(t, ca.AccessKeyID, last["AccessKeyId"])
				assert.Equal(t, ca.SecurityToken, last["SecurityToken"])
			}

			domain := "chain-" + string(tc.a) + string(tc.b) + ".com"
			sim.AddDomain(domain, simExpiry, alidomaintest.NeedsRedemption())
			c, err := New(Options{Endpoint: sim.URL, Credentials: b, Signature: SignatureV3, Retry: RetryPolicy{MaxAttempts: 1}})
			require.NoError(t, err)
			_, err = c.Redeem.SubmitBatch(context.Background(), &BatchRedeemRequest{Domains: []RedeemDomain{{DomainName: domain, CurrentExpirationDate: simExpiry}}})
			require.NoError(t, err)
			assert.Equal(t, 1, sim.Orders(domain))
		})
	}
}
