package alidomain

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// DefaultCredentials returns the provider chain most programs want, in the
// official credentials library's order:
//
//  1. the environment: ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET
//     and, if set, ALIBABA_CLOUD_SECURITY_TOKEN (EnvCredentials);
//  2. OIDC (ACK RRSA), when ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN
//     and ALIBABA_CLOUD_OIDC_TOKEN_FILE are set (OIDCCredentials);
//  3. the Alibaba Cloud CLI's config file, ALIBABA_CLOUD_CONFIG_FILE or
//     ~/.aliyun/config.json (unless ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true):
//     the profile ALIBABA_CLOUD_PROFILE or the file's current one, in mode AK,
//     StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole or OIDC;
//  4. the INI file ALIBABA_CLOUD_CREDENTIALS_FILE or ~/.alibabacloud/credentials:
//     the profile ALIBABA_CLOUD_PROFILE or "default", of type access_key,
//     ecs_ram_role, ram_role_arn or oidc_role_arn;
//  5. the ECS instance's RAM role (ECSRoleCredentials), unless
//     ALIBABA_CLOUD_ECS_METADATA_DISABLED=true;
//  6. the credentials URI ALIBABA_CLOUD_CREDENTIALS_URI, when set (URICredentials).
//
// The environment is read at every call; a file is read again when it
// changes (its modification time or size). A file must be a regular file
// of at most 1 MiB (a directory, a device or a FIFO is an error naming the
// variable that named it), and reading it gives up when the call's context
// ends. A source that is absent (unset
// variables, no file, not on ECS) passes to the next; a source that is
// configured but fails (a half-set environment, a broken file, a refused
// AssumeRole) stops the chain with its error, so that a broken setup never
// silently falls through to another identity. When every source is absent
// the error lists each one and why, one line each, with no secret. Once a
// later source has worked, the ECS metadata service is not probed again.
func DefaultCredentials() CredentialsProvider {
	home := func() string { h, _ := os.UserHomeDir(); return h }
	filePath := func(env string, elem ...string) func() (string, bool) {
		return func() (string, bool) {
			if p := os.Getenv(env); p != "" {
				return p, true
			}
			if h := home(); h != "" {
				return filepath.Join(append([]string{h}, elem...)...), false
			}
			return "", false
		}
	}
	return &defaultChain{
		cli: &fileSource{what: "CLI config", env: EnvConfigFile, path: filePath(EnvConfigFile, ".aliyun", "config.json"), parse: parseCLIConfig},
		ini: &fileSource{what: "credentials file", env: EnvCredentialsFile, path: filePath(EnvCredentialsFile, ".alibabacloud", "credentials"), parse: parseINICredentials},
		won: -1,
	}
}

// defaultChain is the provider DefaultCredentials returns. The providers of
// the environment-configured sources are rebuilt only when their variables
// change, so that their cached temporary credentials are kept.
type defaultChain struct {
	cli, ini *fileSource

	mu      sync.Mutex
	oidcKey string
	oidc    CredentialsProvider
	ecsKey  string
	ecs     CredentialsProvider
	uriKey  string
	uri     CredentialsProvider
	won     int // the source that last worked, -1 before any
}

// String describes the chain, never its credentials.
func (c *defaultChain) String() string { return "alidomain.DefaultCredentials()" }

// Format prints String whatever the verb.
func (c *defaultChain) Format(f fmt.State, verb rune) { formatString(f, verb, c.String()) }

// chainSourceNames names the sources in order, for the combined error.
var chainSourceNames = [...]string{"environment", "OIDC", "CLI config", "credentials file", "ECS RAM role", "credentials URI"}

// chainECS is the index of the ECS source, which costs a network probe.
const chainECS = 4

// Credentials tries each source in order and returns the first credentials found.
func (c *defaultChain) Credentials(ctx context.Context) (Credentials, error) {
	c.mu.Lock()
	won := c.won
	c.mu.Unlock()
	creds, err := c.try(ctx, won)
	var ce *chainError
	if won > chainECS && errors.As(err, &ce) {
		// The source that worked is gone: the metadata service is worth a probe again.
		c.mu.Lock()
		c.won = -1
		c.mu.Unlock()
		creds, err = c.try(ctx, -1)
	}
	return creds, err
}

// try asks the sources in order; won is the source that last worked.
func (c *defaultChain) try(ctx context.Context, won int) (Credentials, error) {
	var why [len(chainSourceNames)]string
	for i, name := range chainSourceNames {
		if i == chainECS && won > chainECS {
			why[i] = "skipped: a later source has worked"
			continue
		}
		creds, err := c.source(ctx, i)
		if err == nil {
			c.mu.Lock()
			c.won = i
			c.mu.Unlock()
			return creds, nil
		}
		if !errors.Is(err, errNotFound) || ctx.Err() != nil {
			return Credentials{}, err
		}
		msg := strings.TrimPrefix(err.Error(), "alidomain: ")
		msg = strings.TrimPrefix(strings.TrimPrefix(msg, name+": "), name+" ")
		why[i] = oneLine(msg)
	}
	var b strings.Builder
	b.WriteString("alidomain: no credentials found; tried, in order:")
	for i, name := range chainSourceNames {
		b.WriteString("\n  ")
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(why[i])
	}
	return Credentials{}, &chainError{msg: b.String()}
}

// chainError is DefaultCredentials' error when no source has credentials.
type chainError struct{ msg string }

// Error lists each source and why it had no credentials.
func (e *chainError) Error() string { return e.msg }

// Is makes the error match errNotFound.
func (e *chainError) Is(target error) bool { return target == errNotFound }

// source asks source i of the chain.
func (c *defaultChain) source(ctx context.Context, i int) (Credentials, error) {
	switch i {
	case 0:
		creds, err := envCredentials()
		if errors.Is(err, errNotFound) {
			err = absent(EnvAccessKeyID + " and " + EnvAccessKeySecret + " are not set")
		}
		return creds, err
	case 1:
		o := oidcFromEnv(OIDCOptions{Endpoint: defaultSTSEndpointOverride})
		if o.RoleARN == "" || o.OIDCProviderARN == "" || o.OIDCTokenFile == "" {
			return Credentials{}, absent(EnvRoleARN + ", " + EnvOIDCProviderARN + " and " + EnvOIDCTokenFile + " are not all set")
		}
		key := strings.Join([]string{o.RoleARN, o.OIDCProviderARN, o.OIDCTokenFile, o.RoleSessionName, stsEndpointFromEnv(), o.Endpoint}, "\x00")
		return c.cached(&c.oidcKey, &c.oidc, key, func() CredentialsProvider { return OIDCCredentials(o) }).Credentials(ctx)
	case 2:
		if strings.EqualFold(os.Getenv(EnvCLIProfileDisabled), "true") {
			return Credentials{}, absent("disabled by " + EnvCLIProfileDisabled + "=true")
		}
		return c.cli.Credentials(ctx)
	case 3:
		return c.ini.Credentials(ctx)
	case 4:
		if strings.EqualFold(os.Getenv(EnvECSMetadataDisabled), "true") {
			return Credentials{}, absent("disabled by " + EnvECSMetadataDisabled + "=true")
		}
		key := strings.Join([]string{os.Getenv(EnvECSMetadata), os.Getenv(EnvIMDSv1Disabled), defaultECSEndpoint}, "\x00")
		return c.cached(&c.ecsKey, &c.ecs, key, func() CredentialsProvider {
			return ECSRoleCredentials(ECSRoleOptions{Endpoint: defaultECSEndpoint})
		}).Credentials(ctx)
	default:
		uri := os.Getenv(EnvCredentialsURI)
		if uri == "" {
			return Credentials{}, absent(EnvCredentialsURI + " is not set")
		}
		return c.cached(&c.uriKey, &c.uri, uri, func() CredentialsProvider { return URICredentials(uri) }).Credentials(ctx)
	}
}

// cached returns *prov, built again by build when key differs from *pkey.
func (c *defaultChain) cached(pkey *string, prov *CredentialsProvider, key string, build func() CredentialsProvider) CredentialsProvider {
	c.mu.Lock()
	defer c.mu.Unlock()
	if *prov == nil || *pkey != key {
		*pkey, *prov = key, build()
	}
	return *prov
}
