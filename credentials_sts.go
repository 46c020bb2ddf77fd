package alidomain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/credsrc"
	"github.com/alidomain/alidomain/internal/sign"
	"github.com/alidomain/alidomain/internal/wire"

	"github.com/alidomain/alidomain/internal/retry"
)

// Environment variables read by the STS-based providers.
const (
	EnvRoleARN            = "ALIBABA_CLOUD_ROLE_ARN"
	EnvOIDCProviderARN    = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN"
	EnvOIDCTokenFile      = "ALIBABA_CLOUD_OIDC_TOKEN_FILE"
	EnvRoleSessionName    = "ALIBABA_CLOUD_ROLE_SESSION_NAME"
	EnvSTSRegion          = "ALIBABA_CLOUD_STS_REGION"
	EnvVPCEndpointEnabled = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"
)

// stsVersion is the STS API version of AssumeRole and AssumeRoleWithOIDC.
const stsVersion = "2015-04-01"

// defaultSTSEndpoint is the public STS endpoint.
const defaultSTSEndpoint = "https://sts.aliyuncs.com/"

// Role sessions last an hour unless asked otherwise, and at least 15 minutes.
const (
	defaultRoleDuration = time.Hour
	minRoleDuration     = 15 * time.Minute
)

// maxCredentialBody bounds what is read from an STS, metadata or URI answer.
const maxCredentialBody = 1 << 20

// AssumeRoleOptions configures AssumeRoleCredentials.
type AssumeRoleOptions struct {
	// Source supplies the identity that assumes the role: any provider,
	// another AssumeRoleCredentials included, so roles chain. Required. A
	// Source that asks this provider again (itself, or a cycle of
	// providers passing the context on) makes the call fail, not wait.
	Source CredentialsProvider
	// RoleARN is the role to assume, acs:ram::<account>:role/<name>. Required.
	RoleARN string
	// RoleSessionName names the session in audit logs; default
	// ALIBABA_CLOUD_ROLE_SESSION_NAME, else a generated "alidomain-<milliseconds>".
	RoleSessionName string
	// ExternalID is the external ID the role's trust policy requires, if any.
	ExternalID string
	// Policy further restricts the session's permissions (a JSON policy).
	Policy string
	// Duration is the session's lifetime: default 1h, at least 15m, at most
	// the role's maximum.
	Duration time.Duration
	// Endpoint is the STS endpoint. Default https://sts.aliyuncs.com/, or
	// https://sts.<region>.aliyuncs.com/ when ALIBABA_CLOUD_STS_REGION is
	// set (sts-vpc.<region> with ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true).
	Endpoint string
	// HTTPClient sends the requests. Default: 5s to connect, 10s per attempt.
	HTTPClient HTTPDoer
	// Signature is how the requests are signed, with the Source's
	// credentials: SignatureV2 (the zero value) or SignatureV3. Either way
	// the parameters travel in a form body: with V2 all of them, common
	// parameters and Signature included; with V3 the request's, Action and
	// Version (2015-04-01) going in the x-acs-action and x-acs-version
	// headers and the body's SHA-256 in x-acs-content-sha256.
	Signature SignatureVersion
}

// AssumeRoleCredentials returns a provider of temporary credentials for a RAM
// role, from STS AssumeRole (version 2015-04-01, signed by the Client's own
// signer, V2 or V3 as Signature says, with the Source's credentials). They
// are cached and refreshed ahead of their expiry (when 180 s remain), one
// refresh at a time; while a refresh fails the cached credentials are
// served as long as they are valid. STS errors are *APIError values;
// transport errors, 5xx and throttling are retried as reads are. A missing
// Source or RoleARN, a Duration under 15 minutes or an unknown Signature
// makes every call fail with an error saying so.
func AssumeRoleCredentials(o AssumeRoleOptions) CredentialsProvider {
	if o.Source == nil {
		return errorProvider{errors.New("alidomain: AssumeRoleOptions.Source is required")}
	}
	if o.RoleARN == "" {
		return errorProvider{errors.New("alidomain: AssumeRoleOptions.RoleARN is required")}
	}
	dur, err := roleDuration("AssumeRoleOptions.Duration", o.Duration)
	if err != nil {
		return errorProvider{err}
	}
	sts, err := newSTSClient("AssumeRoleOptions.Endpoint", o.Endpoint, o.HTTPClient)
	if err != nil {
		return errorProvider{err}
	}
	if sts.sign, sts.v2, err = stsSigner("AssumeRoleOptions.Signature", o.Signature, sts.endpoint); err != nil {
		return errorProvider{err}
	}
	session := o.RoleSessionName
	if session == "" {
		session = os.Getenv(EnvRoleSessionName)
	}
	if session == "" {
		session = generatedSessionName()
	}
	params := url.Values{
		"RoleArn":         {o.RoleARN},
		"RoleSessionName": {session},
		"DurationSeconds": {strconv.FormatInt(int64(dur/time.Second), 10)},
	}
	if o.Policy != "" {
		params.Set("Policy", o.Policy)
	}
	if o.ExternalID != "" {
		params.Set("ExternalId", o.ExternalID)
	}
	p := newCachingProvider("AssumeRole "+o.RoleARN, nil)
	sts.now = func() time.Time { return p.now() }
	p.fetch = func(ctx context.Context) (Credentials, error) {
		src, err := o.Source.Credentials(ctx)
		if err != nil {
			return Credentials{}, fmt.Errorf("the source credentials: %w", err)
		}
		if !src.valid() {
			return Credentials{}, errors.New("the source returned an empty AccessKey ID or secret")
		}
		return sts.requestCredentials(ctx, "AssumeRole", params, &src)
	}
	return p
}

// OIDCOptions configures OIDCCredentials. Empty fields come from the
// environment, as in ACK's RRSA: ALIBABA_CLOUD_ROLE_ARN,
// ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE and
// ALIBABA_CLOUD_ROLE_SESSION_NAME.
type OIDCOptions struct {
	// RoleARN is the role to assume; OIDCProviderARN the identity
	// provider; OIDCTokenFile the file holding the OIDC token (read again
	// at every refresh, since it rotates; a regular file of at most 1 MiB);
	// RoleSessionName the session's name (default a generated one).
	RoleARN, OIDCProviderARN, OIDCTokenFile, RoleSessionName string
	// Policy further restricts the session's permissions.
	Policy string
	// Duration is the session's lifetime: default 1h, at least 15m.
	Duration time.Duration
	// Endpoint is the STS endpoint, with the defaults of AssumeRoleOptions.
	Endpoint string
	// HTTPClient sends the requests. Default: 5s to connect, 10s per attempt.
	HTTPClient HTTPDoer
}

// OIDCCredentials returns a provider of temporary credentials from STS
// AssumeRoleWithOIDC (an anonymous, unsigned call) with the token read from
// OIDCTokenFile at every refresh. Caching, refresh, retries and errors are
// those of AssumeRoleCredentials; the token never appears in an error.
func OIDCCredentials(o OIDCOptions) CredentialsProvider {
	o = oidcFromEnv(o)
	for _, f := range [...]struct{ name, env, v string }{
		{"RoleARN", EnvRoleARN, o.RoleARN},
		{"OIDCProviderARN", EnvOIDCProviderARN, o.OIDCProviderARN},
		{"OIDCTokenFile", EnvOIDCTokenFile, o.OIDCTokenFile},
	} {
		if f.v == "" {
			return errorProvider{fmt.Errorf("alidomain: OIDCOptions.%s is required (or set %s)", f.name, f.env)}
		}
	}
	dur, err := roleDuration("OIDCOptions.Duration", o.Duration)
	if err != nil {
		return errorProvider{err}
	}
	sts, err := newSTSClient("OIDCOptions.Endpoint", o.Endpoint, o.HTTPClient)
	if err != nil {
		return errorProvider{err}
	}
	if o.RoleSessionName == "" {
		o.RoleSessionName = generatedSessionName()
	}
	p := newCachingProvider("AssumeRoleWithOIDC "+o.RoleARN, nil)
	sts.now = func() time.Time { return p.now() }
	p.fetch = func(ctx context.Context) (Credentials, error) {
		raw, err := credsrc.ReadFile(ctx, o.OIDCTokenFile)
		if err != nil {
			return Credentials{}, fmt.Errorf("the OIDC token file %s: %w", o.OIDCTokenFile, err)
		}
		token := strings.TrimSpace(string(raw))
		if token == "" {
			return Credentials{}, fmt.Errorf("the OIDC token file %s is empty", o.OIDCTokenFile)
		}
		params := url.Values{
			"RoleArn":         {o.RoleARN},
			"OIDCProviderArn": {o.OIDCProviderARN},
			"OIDCToken":       {token},
			"RoleSessionName": {o.RoleSessionName},
			"DurationSeconds": {strconv.FormatInt(int64(dur/time.Second), 10)},
		}
		if o.Policy != "" {
			params.Set("Policy", o.Policy)
		}
		return sts.requestCredentials(ctx, "AssumeRoleWithOIDC", params, nil, token)
	}
	return p
}

// oidcFromEnv fills o's empty names from the environment.
func oidcFromEnv(o OIDCOptions) OIDCOptions {
	for _, f := range [...]struct {
		v   *string
		env string
	}{
		{&o.RoleARN, EnvRoleARN}, {&o.OIDCProviderARN, EnvOIDCProviderARN},
		{&o.OIDCTokenFile, EnvOIDCTokenFile}, {&o.RoleSessionName, EnvRoleSessionName},
	} {
		if *f.v == "" {
			*f.v = os.Getenv(f.env)
		}
	}
	return o
}

// roleDuration applies the default and the minimum of a role session.
func roleDuration(field string, d time.Duration) (time.Duration, error) {
	switch {
	case d == 0:
		return defaultRoleDuration, nil
	case d < minRoleDuration:
		return 0, &ValidationError{Field: field, Reason: fmt.Sprintf("%v is shorter than the minimum of 15m", d)}
	}
	return d.Truncate(time.Second), nil
}

// generatedSessionName returns a role session name unique enough for audit logs.
func generatedSessionName() string {
	return "alidomain-" + strconv.FormatInt(time.Now().UnixMilli(), 10)
}

// stsEndpointFromEnv is the STS endpoint ALIBABA_CLOUD_STS_REGION and
// ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED select.
func stsEndpointFromEnv() string {
	return stsEndpoint(os.Getenv(EnvSTSRegion), strings.EqualFold(os.Getenv(EnvVPCEndpointEnabled), "true"))
}

// stsEndpoint returns the regional (or VPC) STS endpoint, or the public one
// when region is empty.
func stsEndpoint(region string, vpc bool) string {
	if region == "" {
		return defaultSTSEndpoint
	}
	host := "sts."
	if vpc {
		host = "sts-vpc."
	}
	return "https://" + host + region + ".aliyuncs.com/"
}

// defaultSTSHTTPClient is shared by the STS providers made without an HTTPClient.
var defaultSTSHTTPClient = &lazyHTTPClient{build: newProxiedHTTPClient}

// stsRetryPolicy is how STS calls are retried; tests shorten the delays.
var stsRetryPolicy = retry.DefaultPolicy()

// stsClient calls one STS endpoint.
type stsClient struct {
	endpoint string
	http     HTTPDoer
	retry    retry.Policy
	now      func() time.Time
	// sign signs the requests of signed actions (stsSigner); v2 says it
	// is SignatureV2.
	sign sign.Signer
	v2   bool
}

// newSTSClient checks the endpoint (default from the environment) and fills
// in the defaults.
func newSTSClient(field, endpoint string, doer HTTPDoer) (*stsClient, error) {
	if endpoint == "" {
		endpoint = stsEndpointFromEnv()
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.User != nil {
		return nil, &ValidationError{Field: field, Reason: fmt.Sprintf("%q is not an absolute http(s) URL without a query", endpoint)}
	}
	if u.Path == "" {
		u.Path = "/"
	}
	if doer == nil {
		doer = defaultSTSHTTPClient.get()
	}
	return &stsClient{endpoint: u.String(), http: doer, retry: stsRetryPolicy, now: time.Now}, nil
}

// stsAnswer is the body of an AssumeRole or AssumeRoleWithOIDC answer.
type stsAnswer struct {
	RequestID   string `json:"RequestId"`
	Code        string `json:"Code"`
	Message     string `json:"Message"`
	HostID      string `json:"HostId"`
	Recommend   string `json:"Recommend"`
	Credentials *struct {
		AccessKeyID     string `json:"AccessKeyId"`
		AccessKeySecret string `json:"AccessKeySecret"`
		SecurityToken   string `json:"SecurityToken"`
		Expiration      string `json:"Expiration"`
	} `json:"Credentials"`
}

// requestCredentials sends action with params, signed by signer (nil: anonymous), and
// returns the credentials of the answer. Transport errors, 5xx and
// throttling are retried with backoff. secrets are values (besides the
// signer's) that must not appear in an error.
func (s *stsClient) requestCredentials(ctx context.Context, action string, params url.Values, signer *Credentials, secrets ...string) (Credentials, error) {
	if signer != nil {
		secrets = append(secrets, signer.AccessKeySecret, signer.SecurityToken)
	}
	ps := wire.EncodeValues(params)
	for attempt := 1; ; attempt++ {
		c, again, err := s.attempt(ctx, action, ps, signer, secrets)
		if err == nil {
			return c, nil
		}
		if !again || attempt >= s.retry.MaxAttempts || ctx.Err() != nil {
			if attempt > 1 {
				err = fmt.Errorf("%w (after %d attempts)", err, attempt)
			}
			return Credentials{}, err
		}
		if werr := retry.Sleep(ctx, s.retry.Backoff(attempt)); werr != nil {
			return Credentials{}, fmt.Errorf("%w (while waiting to retry after: %v)", werr, err)
		}
	}
}

// stsSigner returns the package's signer of version v for STS requests to
// endpoint, and whether it is V2; field names v's option in an error.
func stsSigner(field string, v SignatureVersion, endpoint string) (sign.Signer, bool, error) {
	placement := ParamsBody
	switch v {
	case "", SignatureV2:
		// signedForm sends V2's whole signed query as the body.
		v, placement = SignatureV2, ParamsQuery
	case SignatureV3:
	default:
		return nil, false, &ValidationError{Field: field, Reason: fmt.Sprintf("%q is not %q or %q", v, SignatureV2, SignatureV3)}
	}
	signer, err := newSigner(v, placement, endpoint)
	return signer, v == SignatureV2, err
}

// signedForm signs one attempt of action with the client's signer and
// returns its form body, its headers and its signature. V3 signs the body's
// hash; V2 signs the union of the URL's and the body's parameters, so its
// whole signed query, common parameters and Signature included, goes in the
// body and nothing, token included, in the URL.
func (s *stsClient) signedForm(action string, ps wire.Params, creds *Credentials) ([]byte, http.Header, string) {
	in := sign.Input{Method: http.MethodPost, Action: action, Version: stsVersion, Format: "JSON", Credentials: signCredentials(creds), Now: s.now(), Nonce: newNonce(), Params: ps}
	sa := s.sign(in)
	if !s.v2 {
		return sa.Body, sa.Header, sa.Signature
	}
	return []byte(sa.Query), http.Header{"Content-Type": {wire.FormContentType}}, sa.Signature
}

// attempt makes one STS request. It reports whether a failure may be retried.
func (s *stsClient) attempt(ctx context.Context, action string, ps wire.Params, signer *Credentials, secrets []string) (Credentials, bool, error) {
	var body []byte
	var header http.Header
	if signer != nil {
		var sig string
		body, header, sig = s.signedForm(action, ps, signer)
		secrets = append(secrets[:len(secrets):len(secrets)], sig)
	} else {
		// Unsigned: the parameters and the common ones RPC needs, in a form.
		body = sign.UnsignedForm(&sign.Input{Action: action, Version: stsVersion, Format: "JSON", Now: s.now(), Params: ps})
		header = http.Header{"Content-Type": {wire.FormContentType}}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint, bytes.NewReader(body))
	if err != nil {
		return Credentials{}, false, fmt.Errorf("%s: %w", action, err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "alidomain-go/"+Version)
	resp, err := s.http.Do(req)
	if err != nil {
		return Credentials{}, ctx.Err() == nil, fmt.Errorf("alidomain: %s at %s: %s", action, s.endpoint, stsScrubber(body, secrets).scrub(err.Error()))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxCredentialBody+1))
	if err == nil && len(raw) > maxCredentialBody {
		err = fmt.Errorf("the answer is larger than %d bytes", maxCredentialBody)
	}
	if err != nil {
		return Credentials{}, ctx.Err() == nil, fmt.Errorf("alidomain: %s: reading the answer (HTTP %d): %s", action, resp.StatusCode, stsScrubber(body, secrets).scrub(err.Error()))
	}
	return decodeSTSAnswer(action, resp.StatusCode, raw, stsScrubber(body, secrets))
}

// stsScrubber returns the scrubber of an STS attempt that sent body: the
// body whole, the secrets (the source's credentials, the signature, the
// OIDC token) with their prefixes, in every encoding.
func stsScrubber(body []byte, secrets []string) *scrubber {
	return newScrubber(nil, "", []string{string(body)}, secrets)
}

// decodeSTSAnswer turns an STS answer into credentials, or an error (an
// *APIError for an error document, every field scrubbed by sc before it is
// cut) with no secret in it; it reports whether the failure may be retried.
func decodeSTSAnswer(action string, status int, raw []byte, sc *scrubber) (Credentials, bool, error) {
	if status < 200 || status > 299 {
		e := boundAPIError(parseAPIErrorScrubbed(action, status, raw, sc))
		return Credentials{}, status >= 500 || e.throttled(), e
	}
	var a stsAnswer
	if err := json.Unmarshal(bytes.TrimSpace(raw), &a); err != nil {
		return Credentials{}, false, fmt.Errorf("alidomain: %s: the answer (HTTP %d, %d bytes) is not the JSON expected", action, status, len(raw))
	}
	if a.Credentials == nil {
		if a.Code != "" {
			e := boundAPIError(scrubbedAPIError(action, status, errorBody{Code: a.Code, Message: a.Message, RequestID: a.RequestID, HostID: a.HostID, Recommend: a.Recommend}, sc))
			return Credentials{}, e.throttled(), e
		}
		return Credentials{}, false, fmt.Errorf("alidomain: %s: the answer has no Credentials (RequestId %s)", action, bound(sc.scrub(a.RequestID)))
	}
	ac := a.Credentials
	if ac.AccessKeyID == "" || ac.AccessKeySecret == "" || ac.SecurityToken == "" {
		return Credentials{}, false, fmt.Errorf("alidomain: %s: the answer lacks AccessKeyId, AccessKeySecret or SecurityToken (RequestId %s)", action, bound(sc.scrub(a.RequestID)))
	}
	exp, err := time.Parse(time.RFC3339, ac.Expiration)
	if err != nil {
		return Credentials{}, false, fmt.Errorf("alidomain: %s: the answer's Expiration is not a time (RequestId %s)", action, bound(sc.scrub(a.RequestID)))
	}
	return Credentials{AccessKeyID: ac.AccessKeyID, AccessKeySecret: ac.AccessKeySecret, SecurityToken: ac.SecurityToken, Expiration: exp}, false, nil
}

// boundAPIError cuts e's (already scrubbed) texts to maxCredField bytes.
func boundAPIError(e *APIError) *APIError {
	for _, f := range [...]*string{&e.Code, &e.Message, &e.Recommend, &e.RequestID, &e.HostID} {
		*f = bound(*f)
	}
	return e
}

// maxCredField bounds each text of a credentials source that reaches an error.
const maxCredField = 256

// bound cuts s to maxCredField bytes (on a rune boundary).
func bound(s string) string {
	if len(s) <= maxCredField {
		return s
	}
	n := maxCredField
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "..."
}
