package alidomain

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
)

// uriServer serves temporary credentials at /creds?token=..., each added to
// the sinks; it counts requests.
type uriServer struct {
	*httptest.Server
	hits  atomic.Int32
	fail  atomic.Bool
	id    string
	token string // the credentials' SecurityToken
}

func newURIServer(t *testing.T, clock *fakeClock, sinks ...alidomaintest.CredentialSink) *uriServer {
	t.Helper()
	u := &uriServer{id: "STS.uri-key", token: "CAIS.uri/token+value=="}
	secret := "uri/secret+value="
	for _, s := range sinks {
		s.AddCredentials(u.id, secret, u.token)
	}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.hits.Add(1)
		if r.URL.Query().Get("auth") != "uri-access-token" {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		if u.fail.Load() {
			http.Error(w, "broken; the credentials are "+secret+" "+u.token, http.StatusInternalServerError)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{
			"Code": "Success", "AccessKeyId": u.id, "AccessKeySecret": secret, "SecurityToken": u.token,
			"Expiration": clock.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		})
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *uriServer) uri() string { return u.URL + "/creds?auth=uri-access-token" }

func TestURICredentials(t *testing.T) {
	clearEnv(t)
	clock := newFakeClock()
	u := newURIServer(t, clock)
	p := clocked(t, URICredentials(u.uri()), clock)
	c, err := p.Credentials(context.Background())
	require.NoError(t, err)
	assert.Equal(t, u.id, c.AccessKeyID)
	assert.Equal(t, u.token, c.SecurityToken)
	_, err = p.Credentials(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 1, u.hits.Load(), "cached")

	// From the environment; a failing answer quotes the secret, the error
	// neither that nor the URI's access token.
	t.Setenv(EnvCredentialsURI, u.uri())
	u.fail.Store(true)
	_, err = clocked(t, URICredentials(""), clock).Credentials(context.Background())
	require.ErrorContains(t, err, "HTTP 500")
	for _, s := range []string{"uri-access-token", "uri/secret", u.token, "broken"} {
		assert.NotContains(t, err.Error(), s)
	}
	assert.Contains(t, err.Error(), u.URL+"/creds")

	// An unreachable URI: the error (from net/http, which quotes the URL)
	// does not carry the query either.
	u.Close()
	_, err = URICredentials(u.uri()).Credentials(context.Background())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "uri-access-token")

	// Code other than Success.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"Code":"Failed","AccessKeyId":"id","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2030-01-01T00:00:00Z"}`))
	}))
	defer bad.Close()
	_, err = URICredentials(bad.URL).Credentials(context.Background())
	require.ErrorContains(t, err, "Code is not Success")
}

// world is every fake a credentials source can use, all issuing into one
// simulator, and the package's default endpoints pointed at them.
type world struct {
	clock *fakeClock
	sim   *alidomaintest.Server
	md    *alidomaintest.MetadataServer
	sts   *alidomaintest.STSServer
	uri   *uriServer
	home  string
	token string // the OIDC token file
}

func newWorld(t *testing.T) *world {
	w := &world{clock: newFakeClock(), home: clearEnv(t)}
	useClock(t, w.clock)
	w.sim = alidomaintest.NewServer()
	t.Cleanup(w.sim.Close)
	w.sts = newSTS(t, w.clock, w.sim)
	w.md = newMetadata(t, w.clock, alidomaintest.MetadataOptions{RoleName: "ecs-role", IssueTo: []alidomaintest.CredentialSink{w.sim, w.sts}})
	w.uri = newURIServer(t, w.clock, w.sim)
	w.token = filepath.Join(t.TempDir(), "oidc-token")
	require.NoError(t, os.WriteFile(w.token, []byte("eyJ.pod-token.sig"), 0o600))
	w.sts.SetOIDCToken(oidcP, "eyJ.pod-token.sig")
	oldECS, oldSTS := defaultECSEndpoint, defaultSTSEndpointOverride
	defaultECSEndpoint, defaultSTSEndpointOverride = w.md.URL, w.sts.URL
	t.Cleanup(func() { defaultECSEndpoint, defaultSTSEndpointOverride = oldECS, oldSTS })
	return w
}

// redeemWith redeems domain on the simulator with the credentials of p and
// checks that exactly one order was placed.
func (w *world) redeemWith(t *testing.T, p CredentialsProvider, domain string) {
	t.Helper()
	w.sim.AddDomain(domain, simExpiry, alidomaintest.NeedsRedemption())
	c, err := New(Options{Endpoint: w.sim.URL, Credentials: p, Retry: RetryPolicy{MaxAttempts: 1}})
	require.NoError(t, err)
	_, err = c.Redeem.SubmitBatch(context.Background(), &BatchRedeemRequest{Domains: []RedeemDomain{{DomainName: domain, CurrentExpirationDate: simExpiry}}})
	require.NoError(t, err)
	assert.Equal(t, 1, w.sim.Orders(domain))
}

func (w *world) writeINI(t *testing.T, content string) {
	writeFile(t, filepath.Join(w.home, ".alibabacloud", "credentials"), content)
}

func (w *world) writeCLI(t *testing.T, current string, profiles ...map[string]any) {
	b, err := json.Marshal(map[string]any{"current": current, "profiles": profiles})
	require.NoError(t, err)
	writeFile(t, filepath.Join(w.home, ".aliyun", "config.json"), string(b))
}

// The chain's order: environment, OIDC, CLI config, INI file, ECS role,
// credentials URI; each removed in turn hands over to the next.
func TestDefaultChainOrder(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	t.Setenv(EnvAccessKeyID, "env-id")
	t.Setenv(EnvAccessKeySecret, "env-secret")
	t.Setenv(EnvRoleARN, roleA)
	t.Setenv(EnvOIDCProviderARN, oidcP)
	t.Setenv(EnvOIDCTokenFile, w.token)
	w.writeCLI(t, "p", map[string]any{"name": "p", "mode": "AK", "access_key_id": "cli-id", "access_key_secret": "cli-secret"})
	w.writeINI(t, "[default]\ntype = access_key\naccess_key_id = ini-id\naccess_key_secret = ini-secret\n")
	t.Setenv(EnvECSMetadataDisabled, "")
	t.Setenv(EnvCredentialsURI, w.uri.uri())

	chain := DefaultCredentials()
	p := chain
	id := func() string {
		t.Helper()
		c, err := p.Credentials(ctx)
		require.NoError(t, err)
		return c.AccessKeyID
	}
	assert.Equal(t, "env-id", id())

	t.Setenv(EnvAccessKeyID, "")
	t.Setenv(EnvAccessKeySecret, "")
	oidcID := id()
	assert.True(t, strings.HasPrefix(oidcID, "STS."))
	assert.Equal(t, 1, w.sts.Requests(alidomaintest.ActionAssumeRoleWithOIDC))
	assert.Equal(t, oidcID, id(), "the OIDC provider is kept, with its cache")
	assert.Equal(t, 1, w.sts.Requests(alidomaintest.ActionAssumeRoleWithOIDC))

	t.Setenv(EnvOIDCTokenFile, "")
	assert.Equal(t, "cli-id", id())

	require.NoError(t, os.Remove(filepath.Join(w.home, ".aliyun", "config.json")))
	assert.Equal(t, "ini-id", id())

	require.NoError(t, os.Remove(filepath.Join(w.home, ".alibabacloud", "credentials")))
	got := id()
	ecsID, _ := w.md.Current()
	assert.Equal(t, ecsID, got)
	assert.Zero(t, w.uri.hits.Load())

	t.Setenv(EnvECSMetadataDisabled, "true")
	assert.Equal(t, w.uri.id, id())
	assert.EqualValues(t, 1, w.uri.hits.Load())

	// Once the URI has worked, the metadata service is not probed again.
	t.Setenv(EnvECSMetadataDisabled, "")
	before := w.md.Stats()
	w.clock.Add(2 * time.Hour)
	assert.Equal(t, w.uri.id, id())
	assert.Equal(t, before, w.md.Stats())

	// The URI goes away: the metadata service is asked again.
	t.Setenv(EnvCredentialsURI, "")
	got = id()
	ecsID, _ = w.md.Current()
	assert.Equal(t, ecsID, got)
}

// When every source is absent, the error lists each one and why, one line each.
func TestDefaultChainCombinedError(t *testing.T) {
	w := newWorld(t)
	t.Setenv(EnvECSMetadataDisabled, "")
	t.Setenv(EnvRoleARN, roleA) // OIDC half-configured: absent, not an error
	dead := alidomaintest.NewMetadataServer(alidomaintest.MetadataOptions{})
	dead.Close()
	defaultECSEndpoint = dead.URL

	_, err := DefaultCredentials().Credentials(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, errNotFound)
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, 7, err.Error())
	assert.Equal(t, "alidomain: no credentials found; tried, in order:", lines[0])
	for i, want := range []string{
		"  environment: " + EnvAccessKeyID + " and " + EnvAccessKeySecret + " are not set",
		"  OIDC: " + EnvRoleARN + ", " + EnvOIDCProviderARN + " and " + EnvOIDCTokenFile + " are not all set",
		"  CLI config: " + filepath.Join(w.home, ".aliyun", "config.json") + " does not exist",
		"  credentials file: " + filepath.Join(w.home, ".alibabacloud", "credentials") + " does not exist",
		"  ECS RAM role: the metadata service " + dead.URL + " is unreachable",
		"  credentials URI: " + EnvCredentialsURI + " is not set",
	} {
		assert.True(t, strings.HasPrefix(lines[i+1], want), "line %d: %q, want prefix %q", i+1, lines[i+1], want)
	}

	// A profile the files lack and a disabled CLI config are reasons too.
	t.Setenv(EnvProfile, "prod")
	t.Setenv(EnvCLIProfileDisabled, "true")
	w.writeINI(t, "[default]\naccess_key_id = a\naccess_key_secret = SECRETVALUE\n")
	_, err = DefaultCredentials().Credentials(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "  CLI config: disabled by "+EnvCLIProfileDisabled)
	assert.Contains(t, err.Error(), "no profile [prod]")
	assert.NotContains(t, err.Error(), "SECRETVALUE")
}

// Files are read again when they change, and their providers (with their
// caches) are kept while they do not.
func TestCredentialFilesRereadWhenChanged(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	p := DefaultCredentials()
	w.writeINI(t, "[default]\ntype = ram_role_arn\naccess_key_id = "+w.sts.AccessKeyID+"\naccess_key_secret = "+w.sts.AccessKeySecret+"\nrole_arn = "+roleA+"\n")
	c1, err := p.Credentials(ctx)
	require.NoError(t, err)
	c2, err := p.Credentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, c1, c2)
	assert.Equal(t, 1, w.sts.Requests(alidomaintest.ActionAssumeRole), "an unchanged file keeps the cached role credentials")

	// A rotated STS token in the CLI config, same size, new modification time.
	cli := filepath.Join(w.home, ".aliyun", "config.json")
	w.writeCLI(t, "p", map[string]any{"name": "p", "mode": "StsToken", "access_key_id": "id", "access_key_secret": "sec", "sts_token": "token-1"})
	c, err := p.Credentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, "token-1", c.SecurityToken)
	w.writeCLI(t, "p", map[string]any{"name": "p", "mode": "StsToken", "access_key_id": "id", "access_key_secret": "sec", "sts_token": "token-2"})
	st, err := os.Stat(cli)
	require.NoError(t, err)
	require.NoError(t, os.Chtimes(cli, st.ModTime(), st.ModTime().Add(time.Second)))
	c, err = p.Credentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, "token-2", c.SecurityToken)

	// A different size is a change even with the same modification time.
	w.writeCLI(t, "p", map[string]any{"name": "p", "mode": "StsToken", "access_key_id": "id", "access_key_secret": "sec", "sts_token": "token-three"})
	require.NoError(t, os.Chtimes(cli, st.ModTime(), st.ModTime().Add(time.Second)))
	c, err = p.Credentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, "token-three", c.SecurityToken)
}

// Every source, end to end: a domain is redeemed on the simulator with the
// credentials it gives.
func TestRedeemWithCredentialsFromEachSource(t *testing.T) {
	w := newWorld(t)
	t.Setenv(EnvECSMetadataDisabled, "")
	root := StaticCredentials(w.sts.AccessKeyID, w.sts.AccessKeySecret)
	sources := []struct {
		name  string
		setup func(t *testing.T) CredentialsProvider
	}{
		{"static", func(t *testing.T) CredentialsProvider {
			return StaticCredentials(w.sim.AccessKeyID, w.sim.AccessKeySecret)
		}},
		{"environment", func(t *testing.T) CredentialsProvider {
			t.Setenv(EnvAccessKeyID, w.sim.AccessKeyID)
			t.Setenv(EnvAccessKeySecret, w.sim.AccessKeySecret)
			return DefaultCredentials()
		}},
		{"ecs", func(t *testing.T) CredentialsProvider {
			return ECSRoleCredentials(ECSRoleOptions{Endpoint: w.md.URL})
		}},
		{"assume-role", func(t *testing.T) CredentialsProvider {
			return AssumeRoleCredentials(AssumeRoleOptions{Source: root, RoleARN: roleA, Endpoint: w.sts.URL})
		}},
		{"assume-role-from-ecs", func(t *testing.T) CredentialsProvider {
			return AssumeRoleCredentials(AssumeRoleOptions{Source: ECSRoleCredentials(ECSRoleOptions{Endpoint: w.md.URL}), RoleARN: roleB, ExternalID: "ext-42", Endpoint: w.sts.URL})
		}},
		{"oidc", func(t *testing.T) CredentialsProvider {
			t.Setenv(EnvRoleARN, roleA)
			t.Setenv(EnvOIDCProviderARN, oidcP)
			t.Setenv(EnvOIDCTokenFile, w.token)
			return DefaultCredentials()
		}},
		{"uri", func(t *testing.T) CredentialsProvider {
			t.Setenv(EnvECSMetadataDisabled, "true")
			t.Setenv(EnvCredentialsURI, w.uri.uri())
			return DefaultCredentials()
		}},
		{"ini-access-key", func(t *testing.T) CredentialsProvider {
			w.writeINI(t, fmt.Sprintf("[default]\ntype = access_key\naccess_key_id = %s\naccess_key_secret = %s\n", w.sim.AccessKeyID, w.sim.AccessKeySecret))
			return DefaultCredentials()
		}},
		{"ini-ram-role-arn", func(t *testing.T) CredentialsProvider {
			w.writeINI(t, fmt.Sprintf("[default]\ntype = ram_role_arn\naccess_key_id = %s\naccess_key_secret = %s\nrole_arn = %s\nrole_session_name = ini\n", w.sts.AccessKeyID, w.sts.AccessKeySecret, roleA))
			return DefaultCredentials()
		}},
		{"ini-ecs-ram-role", func(t *testing.T) CredentialsProvider {
			w.writeINI(t, "[default]\ntype = ecs_ram_role\nrole_name = ecs-role\n")
			return DefaultCredentials()
		}},
		{"ini-oidc-role-arn", func(t *testing.T) CredentialsProvider {
			w.writeINI(t, fmt.Sprintf("[default]\ntype = oidc_role_arn\nrole_arn = %s\noidc_provider_arn = %s\noidc_token_file_path = %s\n", roleA, oidcP, w.token))
			return DefaultCredentials()
		}},
		{"cli-ak", func(t *testing.T) CredentialsProvider {
			w.writeCLI(t, "ak", map[string]any{"name": "ak", "mode": "AK", "access_key_id": w.sim.AccessKeyID, "access_key_secret": w.sim.AccessKeySecret})
			return DefaultCredentials()
		}},
		{"cli-ram-role-arn", func(t *testing.T) CredentialsProvider {
			w.writeCLI(t, "r", map[string]any{"name": "r", "mode": "RamRoleArn", "access_key_id": w.sts.AccessKeyID, "access_key_secret": w.sts.AccessKeySecret,
				"ram_role_arn": roleB, "external_id": "ext-42", "expired_seconds": 1800})
			return DefaultCredentials()
		}},
		{"cli-ecs-ram-role", func(t *testing.T) CredentialsProvider {
			w.writeCLI(t, "e", map[string]any{"name": "e", "mode": "EcsRamRole", "ram_role_name": "ecs-role"})
			return DefaultCredentials()
		}},
		{"cli-oidc", func(t *testing.T) CredentialsProvider {
			w.writeCLI(t, "o", map[string]any{"name": "o", "mode": "OIDC", "ram_role_arn": roleA, "oidc_provider_arn": oidcP, "oidc_token_file": w.token})
			return DefaultCredentials()
		}},
		{"cli-chainable-from-ecs", func(t *testing.T) CredentialsProvider {
			w.writeCLI(t, "c",
				map[string]any{"name": "c", "mode": "ChainableRamRoleArn", "source_profile": "r", "ram_role_arn": roleB, "external_id": "ext-42"},
				map[string]any{"name": "r", "mode": "ChainableRamRoleArn", "source_profile": "e", "ram_role_arn": roleA},
				map[string]any{"name": "e", "mode": "EcsRamRole"})
			return DefaultCredentials()
		}},
	}
	for i, src := range sources {
		t.Run(src.name, func(t *testing.T) {
			for _, f := range []string{filepath.Join(w.home, ".aliyun", "config.json"), filepath.Join(w.home, ".alibabacloud", "credentials")} {
				os.Remove(f)
			}
			issued := w.sts.Issued()
			w.redeemWith(t, src.setup(t), fmt.Sprintf("source-%d.com", i))
			if strings.Contains(src.name, "role-arn") || strings.Contains(src.name, "oidc") || strings.Contains(src.name, "assume") {
				assert.Greater(t, w.sts.Issued(), issued, "the credentials came from STS")
			}
			if src.name == "cli-chainable-from-ecs" {
				assert.Equal(t, issued+2, w.sts.Issued(), "two roles chained from the ECS role")
			}
		})
	}
}
