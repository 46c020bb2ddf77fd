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
	"sync"
	"time"

	"github.com/alidomain/alidomain/internal/credsrc"
)

// Environment variables read by ECSRoleCredentials.
const (
	EnvECSMetadata         = "ALIBABA_CLOUD_ECS_METADATA"          // the RAM role name
	EnvECSMetadataDisabled = "ALIBABA_CLOUD_ECS_METADATA_DISABLED" // "true" turns the source off
	EnvIMDSv1Disabled      = "ALIBABA_CLOUD_IMDSV1_DISABLED"       // "true" forbids IMDSv1
)

// defaultMetadataEndpoint is the ECS instance metadata service.
const defaultMetadataEndpoint = "http://100.100.100.200"

// metadataTokenTTL is the lifetime asked for an IMDSv2 token, in seconds.
const metadataTokenTTL = "21600"

// metadataCredsPath is where the instance's RAM role credentials are.
const metadataCredsPath = "/latest/meta-data/ram/security-credentials/"

// defaultECSHTTPClient has short timeouts, so that a program off ECS does
// not hang, and no proxy: the metadata service is link-local.
var defaultECSHTTPClient = &lazyHTTPClient{build: newECSHTTPClient}

// newECSHTTPClient makes defaultECSHTTPClient's client.
func newECSHTTPClient() *http.Client {
	hc := credsrc.HTTPClient(time.Second, 2*time.Second, false)
	hc.Transport.(*http.Transport).ResponseHeaderTimeout = time.Second
	return hc
}

// lazyHTTPClient is a client made on first use, so that a program that
// never uses a credential source neither builds nor links its client.
type lazyHTTPClient struct {
	once  sync.Once
	build func() *http.Client
	c     *http.Client
}

// get returns the client, made by build on the first call.
func (l *lazyHTTPClient) get() *http.Client {
	l.once.Do(func() { l.c = l.build() })
	return l.c
}

// ECSRoleOptions configures ECSRoleCredentials.
type ECSRoleOptions struct {
	// RoleName is the instance's RAM role; empty: ALIBABA_CLOUD_ECS_METADATA,
	// else discovered from the metadata service.
	RoleName string
	// Endpoint is the metadata service; default "http://100.100.100.200".
	Endpoint string
	// DisableIMDSv1 forbids falling back to IMDSv1 (requests without a
	// session token) when no IMDSv2 token can be had; so does
	// ALIBABA_CLOUD_IMDSV1_DISABLED=true.
	DisableIMDSv1 bool
	// HTTPClient sends the requests. Default: 1s to connect, 1s to answer,
	// no proxy.
	HTTPClient HTTPDoer
}

// ECSRoleCredentials returns a provider of the temporary credentials of the
// ECS instance's RAM role, from the instance metadata service: IMDSv2 (a
// session token from PUT /latest/api/token, sent with every GET), falling
// back to IMDSv1 only when allowed. They are cached and refreshed ahead of
// their expiry, like AssumeRoleCredentials'. No body the metadata service
// answers appears in an error (only its status, and the role's name). With
// ALIBABA_CLOUD_ECS_METADATA_DISABLED=true every call fails.
func ECSRoleCredentials(o ECSRoleOptions) CredentialsProvider {
	if strings.EqualFold(os.Getenv(EnvECSMetadataDisabled), "true") {
		return errorProvider{absent("alidomain: ECS RAM role: disabled by " + EnvECSMetadataDisabled + "=true")}
	}
	if o.RoleName == "" {
		o.RoleName = os.Getenv(EnvECSMetadata)
	}
	o.DisableIMDSv1 = o.DisableIMDSv1 || strings.EqualFold(os.Getenv(EnvIMDSv1Disabled), "true")
	if o.Endpoint == "" {
		o.Endpoint = defaultMetadataEndpoint
	}
	u, err := url.Parse(o.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.User != nil {
		return errorProvider{&ValidationError{Field: "ECSRoleOptions.Endpoint", Reason: fmt.Sprintf("%q is not an absolute http(s) URL without a query", o.Endpoint)}}
	}
	if o.HTTPClient == nil {
		o.HTTPClient = defaultECSHTTPClient.get()
	}
	m := &imds{base: strings.TrimSuffix(u.String(), "/"), opts: o}
	name := "ECS RAM role"
	if o.RoleName != "" {
		name += " " + o.RoleName
	}
	return newCachingProvider(name, m.fetch)
}

// imds reads credentials from an instance metadata service.
type imds struct {
	base string
	opts ECSRoleOptions
}

// fetch gets a session token (IMDSv2), the role name if not known, and the
// role's credentials.
func (m *imds) fetch(ctx context.Context) (Credentials, error) {
	token, err := m.token(ctx)
	if err != nil {
		var a *absentError
		if errors.As(err, &a) || ctx.Err() != nil { // unreachable: IMDSv1 would be too
			return Credentials{}, err
		}
		if m.opts.DisableIMDSv1 {
			return Credentials{}, fmt.Errorf("getting an IMDSv2 token (IMDSv1 is disabled): %w", err)
		}
		token = ""
	}
	role := m.opts.RoleName
	if role == "" {
		status, body, err := m.get(ctx, metadataCredsPath, token)
		switch {
		case err != nil:
			return Credentials{}, err
		case status == http.StatusNotFound:
			return Credentials{}, absent("the instance has no RAM role attached")
		case status != http.StatusOK:
			return Credentials{}, fmt.Errorf("discovering the RAM role: HTTP %d", status)
		}
		role, _, _ = strings.Cut(strings.TrimSpace(string(body)), "\n")
		role = strings.TrimSpace(role)
		if role == "" {
			return Credentials{}, absent("the instance has no RAM role attached")
		}
	}
	status, body, err := m.get(ctx, metadataCredsPath+url.PathEscape(role), token)
	switch {
	case err != nil:
		return Credentials{}, err
	case status == http.StatusNotFound:
		return Credentials{}, absent(fmt.Sprintf("no RAM role %q on this instance", bound(role)))
	case status != http.StatusOK:
		return Credentials{}, fmt.Errorf("getting the credentials of RAM role %q: HTTP %d", bound(role), status)
	}
	return decodeMetadataCredentials("RAM role "+strconv.Quote(bound(role)), body, false)
}

// decodeMetadataCredentials decodes the credentials a metadata service or a
// credentials URI answers (Code is optional for a URI); what names the
// source in errors, which never quote the body.
func decodeMetadataCredentials(what string, body []byte, codeOptional bool) (Credentials, error) {
	var a struct {
		Code, AccessKeyId, AccessKeySecret, SecurityToken, Expiration string
	}
	if err := json.Unmarshal(bytes.TrimSpace(body), &a); err != nil {
		return Credentials{}, fmt.Errorf("the credentials of %s are not the JSON expected", what)
	}
	if a.Code == "" && codeOptional {
		a.Code = "Success"
	}
	return metadataCredentials(what, a.Code, a.AccessKeyId, a.AccessKeySecret, a.SecurityToken, a.Expiration)
}

// metadataCredentials checks the fields of a metadata or URI answer; what
// says source never includes a value.
func metadataCredentials(what, code, id, secret, token, expiration string) (Credentials, error) {
	if code != "Success" {
		return Credentials{}, fmt.Errorf("the credentials of %s: Code is not Success", what)
	}
	if id == "" || secret == "" || token == "" {
		return Credentials{}, fmt.Errorf("the credentials of %s lack AccessKeyId, AccessKeySecret or SecurityToken", what)
	}
	exp, err := time.Parse(time.RFC3339, expiration)
	if err != nil {
		return Credentials{}, fmt.Errorf("the credentials of %s: Expiration is not a time", what)
	}
	return Credentials{AccessKeyID: id, AccessKeySecret: secret, SecurityToken: token, Expiration: exp}, nil
}

// token asks for an IMDSv2 session token.
func (m *imds) token(ctx context.Context) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, m.base+"/latest/api/token", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("X-aliyun-ecs-metadata-token-ttl-seconds", metadataTokenTTL)
	status, body, err := m.do(req)
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("PUT /latest/api/token: HTTP %d", status)
	}
	tok := strings.TrimSpace(string(body))
	if tok == "" {
		return "", errors.New("PUT /latest/api/token: empty token")
	}
	return tok, nil
}

// get reads path, with the session token when there is one.
func (m *imds) get(ctx context.Context, path, token string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.base+path, nil)
	if err != nil {
		return 0, nil, err
	}
	if token != "" {
		req.Header.Set("X-aliyun-ecs-metadata-token", token)
	}
	return m.do(req)
}

// do sends req; an unreachable service is reported as an absent source.
func (m *imds) do(req *http.Request) (int, []byte, error) {
	resp, err := m.opts.HTTPClient.Do(req)
	// A doer's error may quote the request, the session token included.
	sc := func() *scrubber {
		return newScrubber(nil, "", nil, []string{req.Header.Get("X-aliyun-ecs-metadata-token")})
	}
	if err != nil {
		if req.Context().Err() != nil {
			return 0, nil, req.Context().Err()
		}
		return 0, nil, absent(fmt.Sprintf("the metadata service %s is unreachable (not on ECS?): %v", m.base, transportCause(err, sc())))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxCredentialBody+1))
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: reading the answer: %v", req.Method, req.URL.Path, transportCause(err, sc()))
	}
	if len(body) > maxCredentialBody {
		return 0, nil, fmt.Errorf("%s %s: the answer is larger than %d bytes", req.Method, req.URL.Path, maxCredentialBody)
	}
	return resp.StatusCode, body, nil
}

// transportCause returns the innermost cause of a transport error, without
// the URL (which may carry a secret, as a credentials URI's query can),
// scrubbed by sc (a doer's error may quote the request) before it is cut.
func transportCause(err error, sc *scrubber) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return bound(sc.scrub(err.Error()))
}

// absentError is a source that holds no credentials here (not configured,
// not on ECS): DefaultCredentials goes on to the next source.
type absentError struct{ msg string }

func absent(msg string) error { return &absentError{msg} }

// Error returns the reason.
func (e *absentError) Error() string { return e.msg }

// Is makes an absent source match errNotFound.
func (e *absentError) Is(target error) bool { return target == errNotFound }
