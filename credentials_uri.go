package alidomain

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/alidomain/alidomain/internal/credsrc"
)

// EnvCredentialsURI names the URI that URICredentials reads by default.
const EnvCredentialsURI = "ALIBABA_CLOUD_CREDENTIALS_URI"

// defaultURIHTTPClient is used by URICredentials: 5s to connect, 10s in all.
var defaultURIHTTPClient = &lazyHTTPClient{build: newProxiedHTTPClient}

// newProxiedHTTPClient makes the client of the STS and URI sources: 5s to
// connect, 10s in all, through the environment's proxy.
func newProxiedHTTPClient() *http.Client {
	return credsrc.HTTPClient(5*time.Second, 10*time.Second, true)
}

// URICredentials returns a provider of temporary credentials served at uri
// (empty: ALIBABA_CLOUD_CREDENTIALS_URI): a GET answered with JSON holding
// Code ("Success"), AccessKeyId, AccessKeySecret, SecurityToken and
// Expiration. They are cached and refreshed ahead of their expiry, like
// AssumeRoleCredentials'. Errors name the URI without its query and never
// quote the answer.
func URICredentials(uri string) CredentialsProvider {
	return uriCredentials(uri, defaultURIHTTPClient.get())
}

func uriCredentials(uri string, doer HTTPDoer) CredentialsProvider {
	if uri == "" {
		uri = os.Getenv(EnvCredentialsURI)
	}
	if uri == "" {
		return errorProvider{absent("alidomain: credentials URI: " + EnvCredentialsURI + " is not set")}
	}
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errorProvider{fmt.Errorf("alidomain: credentials URI: not an absolute http(s) URL")}
	}
	shown := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	var secrets []string // the query and user info may hold an access token
	for _, vs := range u.Query() {
		secrets = append(secrets, vs...)
	}
	if p, ok := u.User.Password(); ok {
		secrets = append(secrets, p)
	}
	sc := newScrubber(nil, "", []string{uri}, secrets)
	return newCachingProvider("credentials URI "+shown, func(ctx context.Context) (Credentials, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
		if err != nil {
			return Credentials{}, fmt.Errorf("GET %s: %s", shown, transportCause(err, sc))
		}
		req.Header.Set("Accept", "application/json")
		resp, err := doer.Do(req)
		if err != nil {
			return Credentials{}, fmt.Errorf("GET %s: %s", shown, transportCause(err, sc))
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxCredentialBody+1))
		switch {
		case err != nil:
			return Credentials{}, fmt.Errorf("GET %s: reading the answer: %s", shown, transportCause(err, sc))
		case len(body) > maxCredentialBody:
			return Credentials{}, fmt.Errorf("GET %s: the answer is larger than %d bytes", shown, maxCredentialBody)
		case resp.StatusCode != http.StatusOK:
			return Credentials{}, fmt.Errorf("GET %s: HTTP %d", shown, resp.StatusCode)
		}
		return decodeMetadataCredentials(shown, body, true)
	})
}
